//! Kick's events: typed, fixed-capacity, decoded from one payload (the JSON inside a Pusher or
//! Centrifugo envelope). Knows nothing about the transport.
//!
//! ```
//! use kickwire_proto::kick::Event;
//! let payload = br#"{"chatroom_id":4598,"username":"micke747","months":38}"#;
//! let Event::Subscription(sub) = Event::decode("App\\Events\\SubscriptionEvent", payload)? else {
//!     panic!("not a subscription")
//! };
//! assert_eq!((sub.username.as_str(), sub.months), ("micke747", Some(38)));
//! # Ok::<(), kickwire_proto::DecodeError>(())
//! ```

pub mod channels;
mod chat;
mod common;
mod content;
mod events;
mod gifts;
mod macros;
mod moderation;
pub(crate) mod payload;
mod poll;
mod stream;
mod subs;
mod table;
pub(crate) mod time;

pub use chat::{
    Badge, Celebration, ChatMessage, ChatMessageSent, ChatMetadata, GiftedUser, Identity,
    MessageDeleted, OriginalMessage, OriginalSender, PinnedMessageCreated, PinnedMessageDeleted,
    Sender, SentMessage, SentUser,
};
pub use common::{ChannelRef, MessageRef, UserRef};
pub use content::{Part, Parts};
pub use events::{Event, EventKind, PREFIX, Unknown};
pub use gifts::{
    Gift, GiftsLeaderboardUpdated, KicksGifted, KicksLeaderboardUpdated, KicksSender, Leaderboard,
    LeaderboardEntry, RewardRedeemed,
};
pub use moderation::{
    ChatMode, ChatSetting, ChatSettings, ChatSettingsChanged, ChatroomClear, ChatroomUpdated,
    SettingsChannel, UserBanned, UserUnbanned,
};
pub use poll::{
    Goal, Outcome, Poll, PollDelete, PollOption, PollUpdate, Prediction, PredictionEvent,
};
pub use stream::{
    Category, ChatMoveToSupportedChannel, EndedLivestream, FollowersUpdated, HostMessage, HostUser,
    HostedChannel, Livestream, LivestreamUpdated, NewActivityFeed, StreamEnd, StreamHost,
    StreamHosted, StreamerIsLive,
};
pub use subs::{
    ChannelSubscription, ChunkDetails, GiftedSubscriptions, LuckyUsersWhoGotGiftSubscriptions,
    NewSubscriberUpdated, Subscription,
};
