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
use crate::json::field::{Field, Reset};
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

/// Reads a whole payload that must be a JSON object into `v`, overwriting all of it.
///
/// Only the reset is per type; the rest is [`payload_object`] and [`read_payload`], once for all.
#[inline]
fn object_into<T: Field + Reset>(v: &mut T, payload: &[u8]) -> Result<(), DecodeError> {
    let r = payload_object(payload)?;
    v.reset();
    read_payload(r, v)
}

/// The error of the payload's JSON at the reader's position.
#[cold]
#[inline(never)]
fn payload_syntax(r: &Reader<'_>, error: SyntaxError) -> DecodeError {
    DecodeError::Syntax {
        layer: Layer::Payload,
        error,
        offset: r.offset(),
    }
}

/// A reader at the start of `payload`, which must hold a JSON object.
fn payload_object(payload: &[u8]) -> Result<Reader<'_>, DecodeError> {
    let mut r = Reader::new(payload);
    match r.peek_kind() {
        Ok(Kind::Object) => Ok(r),
        Ok(_) => {
            r.skip_value().map_err(|e| payload_syntax(&r, e))?;
            r.finish().map_err(|e| payload_syntax(&r, e))?;
            Err(DecodeError::PayloadNotAnObject)
        }
        Err(e) => Err(payload_syntax(&r, e)),
    }
}

/// Reads the object at `r` into `v` and checks that nothing follows it.
fn read_payload(mut r: Reader<'_>, v: &mut dyn Field) -> Result<(), DecodeError> {
    v.read(&mut r)
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(&r, e))
}

/// Checks that a payload whose content we do not need is well-formed JSON (`[]`, `{}`, ...).
fn any_value(payload: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(payload);
    r.skip_value()
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(&r, e))
}

impl Event {
    /// Decodes the payload of the event called `name`. `payload` is plain JSON: for a Pusher
    /// frame, the *unescaped* contents of its `data` string (see [`crate::decode`], which does
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
        let mut event = Self::Unknown(Unknown::default());
        event.decode_into(kind, name, payload)?;
        Ok(event)
    }

    /// Decodes into `self`, reusing its storage: the fast path for drivers that keep one
    /// event in place (events are several KB; moving them costs more than decoding a chat line).
    /// After an error `self` holds some valid but unspecified event.
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    pub fn decode_into(
        &mut self,
        kind: EventKind,
        name: &str,
        payload: &[u8],
    ) -> Result<(), DecodeError> {
        use EventKind as K;
        /// Switches `self` to `variant` (only if it is another one) and reads the payload into it.
        macro_rules! read {
            ($variant:ident) => {{
                if !matches!(self, Self::$variant(_)) {
                    *self = Self::$variant(Default::default());
                }
                match self {
                    Self::$variant(v) => object_into(v, payload),
                    _ => Ok(()),
                }
            }};
        }
        match kind {
            K::ChatMessage => read!(ChatMessage),
            K::MessageDeleted => read!(MessageDeleted),
            K::UserBanned => read!(UserBanned),
            K::UserUnbanned => read!(UserUnbanned),
            K::ChatroomClear => read!(ChatroomClear),
            K::ChatroomUpdated => read!(ChatroomUpdated),
            K::ChatSettingsChanged => read!(ChatSettingsChanged),
            K::PinnedMessageCreated => read!(PinnedMessageCreated),
            K::PinnedMessageDeleted => {
                any_value(payload)?;
                *self = Self::PinnedMessageDeleted(PinnedMessageDeleted {});
                Ok(())
            }
            K::PollUpdate => read!(PollUpdate),
            K::PollDelete => {
                any_value(payload)?;
                *self = Self::PollDelete(PollDelete {});
                Ok(())
            }
            K::Subscription => read!(Subscription),
            K::ChannelSubscription => read!(ChannelSubscription),
            K::GiftedSubscriptions => {
                read!(GiftedSubscriptions)?;
                if let Self::GiftedSubscriptions(g) = self {
                    g.finish();
                }
                Ok(())
            }
            K::LuckyUsersWhoGotGiftSubscriptions => read!(LuckyUsersWhoGotGiftSubscriptions),
            K::GiftsLeaderboardUpdated => read!(GiftsLeaderboardUpdated),
            K::KicksGifted => read!(KicksGifted),
            K::KicksLeaderboardUpdated => read!(KicksLeaderboardUpdated),
            K::RewardRedeemed => read!(RewardRedeemed),
            K::StreamerIsLive => read!(StreamerIsLive),
            K::StreamEnd => read!(StreamEnd),
            K::StreamHost => read!(StreamHost),
            K::StreamHosted => read!(StreamHosted),
            K::ChatMoveToSupportedChannel => read!(ChatMoveToSupportedChannel),
            K::FollowersUpdated => read!(FollowersUpdated),
            K::GoalCreated => read!(GoalCreated),
            K::GoalProgressUpdate => read!(GoalProgressUpdate),
            K::GoalAchieved => read!(GoalAchieved),
            K::GoalCanceled => read!(GoalCanceled),
            K::PredictionCreated => read!(PredictionCreated),
            K::PredictionUpdated => read!(PredictionUpdated),
            K::NewSubscriberUpdated => read!(NewSubscriberUpdated),
            K::NewActivityFeed => read!(NewActivityFeed),
            K::ChatMessageSent => read!(ChatMessageSent),
            K::LivestreamUpdated => read!(LivestreamUpdated),
            K::Unknown => {
                *self = Self::Unknown(Unknown {
                    name: Text::from_str_truncating(name),
                });
                Ok(())
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &[u8] = br##"{"id":"x","chatroom_id":1,"content":"hi","type":"reply","created_at":"2023-12-24T22:05:00Z","sender":{"id":2,"username":"u","slug":"s","identity":{"color":"#fff","badges":[{"type":"vip","text":"VIP","count":3}]}},"metadata":{"original_sender":{"id":3,"username":"o"},"original_message":{"id":"m","content":"c"},"celebration":{"id":"c","type":"t","total_months":2},"message_ref":"123"}}"##;

    #[test]
    fn reset_is_default() {
        let Event::ChatMessage(mut m) = Event::decode("ChatMessageEvent", FULL).unwrap() else {
            panic!("not a chat message")
        };
        assert_ne!(m, ChatMessage::default());
        m.reset();
        assert_eq!(m, ChatMessage::default());
    }

    #[test]
    fn a_kept_event_decodes_as_a_fresh_one() {
        let kind = EventKind::ChatMessage;
        let mut kept = Event::decode("ChatMessageEvent", FULL).unwrap();
        for payload in [&br#"{"id":"y","content":"short"}"#[..], b"{}", FULL] {
            kept.decode_into(kind, "ChatMessageEvent", payload).unwrap();
            assert_eq!(kept, Event::decode("ChatMessageEvent", payload).unwrap());
        }
    }
}
