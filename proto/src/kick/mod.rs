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

mod chat;
mod common;
mod content;
mod gifts;
mod macros;
mod moderation;
mod names;
mod poll;
mod stream;
mod subs;

pub use chat::{
    Badge, Celebration, ChatMessage, ChatMessageSent, ChatMetadata, GiftedUser, Identity,
    MessageDeleted, OriginalMessage, OriginalSender, PinnedMessageCreated, PinnedMessageDeleted,
    Sender, SentMessage, SentUser,
};
pub use common::{ChannelRef, MessageRef, UserRef};
pub use content::{Part, Parts};
pub use gifts::{
    Gift, GiftsLeaderboardUpdated, KicksGifted, KicksLeaderboardUpdated, KicksSender, Leaderboard,
    LeaderboardEntry, RewardRedeemed,
};
pub use moderation::{
    ChatMode, ChatSetting, ChatSettings, ChatSettingsChanged, ChatroomClear, ChatroomUpdated,
    SettingsChannel, UserBanned, UserUnbanned,
};
pub use names::{EventKind, PREFIX};
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

use crate::error::{DecodeError, Layer, SyntaxError};
use crate::json::field::Field;
use crate::json::reader::{Kind, Reader};
use crate::limits::EVENT_NAME;
use crate::text::Text;

/// An event whose name we do not know: passed through, never an error.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Unknown {
    /// The event name as sent.
    pub name: Text<EVENT_NAME>,
}

/// One decoded Kick event. The variant names are the `"type"` of the JSON form.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type"))]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // events are owned and fixed-size on purpose: no allocator
#[allow(missing_docs)] // each variant holds the struct of the same name, documented there
pub enum Event {
    ChatMessage(ChatMessage),
    MessageDeleted(MessageDeleted),
    UserBanned(UserBanned),
    UserUnbanned(UserUnbanned),
    ChatroomClear(ChatroomClear),
    ChatroomUpdated(ChatroomUpdated),
    ChatSettingsChanged(ChatSettingsChanged),
    PinnedMessageCreated(PinnedMessageCreated),
    PinnedMessageDeleted(PinnedMessageDeleted),
    PollUpdate(PollUpdate),
    PollDelete(PollDelete),
    Subscription(Subscription),
    ChannelSubscription(ChannelSubscription),
    GiftedSubscriptions(GiftedSubscriptions),
    LuckyUsersWhoGotGiftSubscriptions(LuckyUsersWhoGotGiftSubscriptions),
    GiftsLeaderboardUpdated(GiftsLeaderboardUpdated),
    KicksGifted(KicksGifted),
    KicksLeaderboardUpdated(KicksLeaderboardUpdated),
    RewardRedeemed(RewardRedeemed),
    StreamerIsLive(StreamerIsLive),
    StreamEnd(StreamEnd),
    StreamHost(StreamHost),
    StreamHosted(StreamHosted),
    ChatMoveToSupportedChannel(ChatMoveToSupportedChannel),
    FollowersUpdated(FollowersUpdated),
    GoalCreated(Goal),
    GoalProgressUpdate(Goal),
    GoalAchieved(Goal),
    GoalCanceled(Goal),
    PredictionCreated(PredictionEvent),
    PredictionUpdated(PredictionEvent),
    NewSubscriberUpdated(NewSubscriberUpdated),
    NewActivityFeed(NewActivityFeed),
    ChatMessageSent(ChatMessageSent),
    LivestreamUpdated(LivestreamUpdated),
    Unknown(Unknown),
}

/// Reads a whole payload that must be a JSON object into a `T`.
fn object<T: Field + Default>(payload: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(payload);
    let syntax = |r: &Reader<'_>, error: SyntaxError| DecodeError::Syntax {
        layer: Layer::Payload,
        error,
        offset: r.offset(),
    };
    match r.peek_kind() {
        Ok(Kind::Object) => {}
        Ok(_) => {
            r.skip_value().map_err(|e| syntax(&r, e))?;
            r.finish().map_err(|e| syntax(&r, e))?;
            return Err(DecodeError::PayloadNotAnObject);
        }
        Err(e) => return Err(syntax(&r, e)),
    }
    let mut v = T::default();
    v.read(&mut r).map_err(|e| syntax(&r, e))?;
    r.finish().map_err(|e| syntax(&r, e))?;
    Ok(v)
}

/// Checks that a payload whose content we do not need is well-formed JSON (`[]`, `{}`, ...).
fn any_value(payload: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(payload);
    r.skip_value()
        .and_then(|()| r.finish())
        .map_err(|error| DecodeError::Syntax {
            layer: Layer::Payload,
            error,
            offset: r.offset(),
        })
}

impl Event {
    /// Decodes the payload of the event called `name`. `payload` is plain JSON: for a Pusher
    /// frame, the *unescaped* contents of its `data` string (see [`crate::Decoder`], which does
    /// both steps).
    ///
    /// # Errors
    /// [`DecodeError::Syntax`] for malformed JSON, [`DecodeError::PayloadNotAnObject`] when a
    /// known event's payload is not an object. Unknown names are never an error.
    pub fn decode(name: &str, payload: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_kind(EventKind::from_name(name), name, payload)
    }

    /// As [`decode`](Self::decode), with the name already looked up.
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    pub fn decode_kind(kind: EventKind, name: &str, payload: &[u8]) -> Result<Self, DecodeError> {
        use EventKind as K;
        Ok(match kind {
            K::ChatMessage => Self::ChatMessage(object(payload)?),
            K::MessageDeleted => Self::MessageDeleted(object(payload)?),
            K::UserBanned => Self::UserBanned(object(payload)?),
            K::UserUnbanned => Self::UserUnbanned(object(payload)?),
            K::ChatroomClear => Self::ChatroomClear(object(payload)?),
            K::ChatroomUpdated => Self::ChatroomUpdated(object(payload)?),
            K::ChatSettingsChanged => Self::ChatSettingsChanged(object(payload)?),
            K::PinnedMessageCreated => Self::PinnedMessageCreated(object(payload)?),
            K::PinnedMessageDeleted => {
                any_value(payload)?;
                Self::PinnedMessageDeleted(PinnedMessageDeleted {})
            }
            K::PollUpdate => Self::PollUpdate(object(payload)?),
            K::PollDelete => {
                any_value(payload)?;
                Self::PollDelete(PollDelete {})
            }
            K::Subscription => Self::Subscription(object(payload)?),
            K::ChannelSubscription => Self::ChannelSubscription(object(payload)?),
            K::GiftedSubscriptions => {
                let mut g: GiftedSubscriptions = object(payload)?;
                g.finish();
                Self::GiftedSubscriptions(g)
            }
            K::LuckyUsersWhoGotGiftSubscriptions => {
                Self::LuckyUsersWhoGotGiftSubscriptions(object(payload)?)
            }
            K::GiftsLeaderboardUpdated => Self::GiftsLeaderboardUpdated(object(payload)?),
            K::KicksGifted => Self::KicksGifted(object(payload)?),
            K::KicksLeaderboardUpdated => Self::KicksLeaderboardUpdated(object(payload)?),
            K::RewardRedeemed => Self::RewardRedeemed(object(payload)?),
            K::StreamerIsLive => Self::StreamerIsLive(object(payload)?),
            K::StreamEnd => Self::StreamEnd(object(payload)?),
            K::StreamHost => Self::StreamHost(object(payload)?),
            K::StreamHosted => Self::StreamHosted(object(payload)?),
            K::ChatMoveToSupportedChannel => Self::ChatMoveToSupportedChannel(object(payload)?),
            K::FollowersUpdated => Self::FollowersUpdated(object(payload)?),
            K::GoalCreated => Self::GoalCreated(object(payload)?),
            K::GoalProgressUpdate => Self::GoalProgressUpdate(object(payload)?),
            K::GoalAchieved => Self::GoalAchieved(object(payload)?),
            K::GoalCanceled => Self::GoalCanceled(object(payload)?),
            K::PredictionCreated => Self::PredictionCreated(object(payload)?),
            K::PredictionUpdated => Self::PredictionUpdated(object(payload)?),
            K::NewSubscriberUpdated => Self::NewSubscriberUpdated(object(payload)?),
            K::NewActivityFeed => Self::NewActivityFeed(object(payload)?),
            K::ChatMessageSent => Self::ChatMessageSent(object(payload)?),
            K::LivestreamUpdated => Self::LivestreamUpdated(object(payload)?),
            K::Unknown => Self::Unknown(Unknown {
                name: Text::from_str_truncating(name),
            }),
        })
    }

    /// The `"type"` name of this event, as in the JSON form (`ChatMessage`, `StreamEnd`, ...).
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self {
            Self::ChatMessage(_) => "ChatMessage",
            Self::MessageDeleted(_) => "MessageDeleted",
            Self::UserBanned(_) => "UserBanned",
            Self::UserUnbanned(_) => "UserUnbanned",
            Self::ChatroomClear(_) => "ChatroomClear",
            Self::ChatroomUpdated(_) => "ChatroomUpdated",
            Self::ChatSettingsChanged(_) => "ChatSettingsChanged",
            Self::PinnedMessageCreated(_) => "PinnedMessageCreated",
            Self::PinnedMessageDeleted(_) => "PinnedMessageDeleted",
            Self::PollUpdate(_) => "PollUpdate",
            Self::PollDelete(_) => "PollDelete",
            Self::Subscription(_) => "Subscription",
            Self::ChannelSubscription(_) => "ChannelSubscription",
            Self::GiftedSubscriptions(_) => "GiftedSubscriptions",
            Self::LuckyUsersWhoGotGiftSubscriptions(_) => "LuckyUsersWhoGotGiftSubscriptions",
            Self::GiftsLeaderboardUpdated(_) => "GiftsLeaderboardUpdated",
            Self::KicksGifted(_) => "KicksGifted",
            Self::KicksLeaderboardUpdated(_) => "KicksLeaderboardUpdated",
            Self::RewardRedeemed(_) => "RewardRedeemed",
            Self::StreamerIsLive(_) => "StreamerIsLive",
            Self::StreamEnd(_) => "StreamEnd",
            Self::StreamHost(_) => "StreamHost",
            Self::StreamHosted(_) => "StreamHosted",
            Self::ChatMoveToSupportedChannel(_) => "ChatMoveToSupportedChannel",
            Self::FollowersUpdated(_) => "FollowersUpdated",
            Self::GoalCreated(_) => "GoalCreated",
            Self::GoalProgressUpdate(_) => "GoalProgressUpdate",
            Self::GoalAchieved(_) => "GoalAchieved",
            Self::GoalCanceled(_) => "GoalCanceled",
            Self::PredictionCreated(_) => "PredictionCreated",
            Self::PredictionUpdated(_) => "PredictionUpdated",
            Self::NewSubscriberUpdated(_) => "NewSubscriberUpdated",
            Self::NewActivityFeed(_) => "NewActivityFeed",
            Self::ChatMessageSent(_) => "ChatMessageSent",
            Self::LivestreamUpdated(_) => "LivestreamUpdated",
            Self::Unknown(_) => "Unknown",
        }
    }
}
