//! The table of Kick's events: one line per event, from which [`Event`], [`EventKind`] (with
//! [`EventKind::ALL`]), the wire-name lookup [`EventKind::from_name`], the type names and
//! [`Event::decode_into`]'s dispatch are all generated (by `events!`, in `table.rs`).
//!
//! Each line reads `Variant(PayloadType) = ["WireName", ...]`: the variant (also the `"type"` of
//! the JSON form), the struct its payload decodes into, and the names Kick sends it under
//! without the `App\Events\` prefix and the `Event` suffix, which are optional on the wire
//! (Kick sends `App\Events\ChatMessageEvent`, but also `KicksGifted` and
//! `GiftedSubscriptionsEvent`). A line may end in `via reader` for a payload that is not a
//! plain JSON object read into the struct.
//!
//! **Adding an event** is one line here plus its struct:
//!
//! 1. declare the struct with `kick_struct!` and its members with `object_fields!` in the file
//!    of its topic (`chat.rs`, `subs.rs`, `stream.rs`, ...), and re-export it from `kick/mod.rs`;
//! 2. add its line to the table below (the end is a good place: the order is
//!    [`EventKind::ALL`]'s, which front ends number their kinds by).
//!
//! Everything that only lists the events follows by itself: the browser's listener names
//! (`wasm/src/names.rs`) and the fuzz target `event_decode`. What says something of each event
//! fails a test until it is written: the browser's TypeScript payload types
//! (`wasm/types/events.d.ts`: run `wasm/types/generate.sh`; a test in `wasm/src/names.rs`), the
//! hand-checked names of `wasm/tests/bindings.rs`, the facts the RV32 test prints
//! (`tests/qemu-rv/src/facts.rs`) and the benchmark's serde mirror (`tests/bench`, its
//! cross-check).

use super::table::events;
use super::{
    ChannelSubscription, ChatMessage, ChatMessageSent, ChatMoveToSupportedChannel,
    ChatSettingsChanged, ChatroomClear, ChatroomUpdated, FollowersUpdated, GiftedSubscriptions,
    GiftsLeaderboardUpdated, Goal, KicksGifted, KicksLeaderboardUpdated, LivestreamUpdated,
    LuckyUsersWhoGotGiftSubscriptions, MessageDeleted, NewActivityFeed, NewSubscriberUpdated,
    PinnedMessageCreated, PinnedMessageDeleted, PollDelete, PollUpdate, PredictionEvent,
    RewardRedeemed, StreamEnd, StreamHost, StreamHosted, StreamerIsLive, Subscription, UserBanned,
    UserUnbanned,
};
use crate::error::DecodeError;
use crate::kick::payload::well_formed;
use crate::limits::EVENT_NAME;
use crate::text::Text;

/// The prefix Laravel puts on broadcast event names.
pub const PREFIX: &str = "App\\Events\\";

events! {
    ChatMessage(ChatMessage) = ["ChatMessage"],
    MessageDeleted(MessageDeleted) = ["MessageDeleted"],
    UserBanned(UserBanned) = ["UserBanned"],
    UserUnbanned(UserUnbanned) = ["UserUnbanned"],
    ChatroomClear(ChatroomClear) = ["ChatroomClear"],
    ChatroomUpdated(ChatroomUpdated) = ["ChatroomUpdated"],
    ChatSettingsChanged(ChatSettingsChanged) = ["ChatSettingsChanged"],
    PinnedMessageCreated(PinnedMessageCreated) = ["PinnedMessageCreated"],
    // Kick's payload is the literal `[]`.
    PinnedMessageDeleted(PinnedMessageDeleted) = ["PinnedMessageDeleted"] via well_formed,
    PollUpdate(PollUpdate) = ["PollUpdate"],
    PollDelete(PollDelete) = ["PollDelete"] via well_formed,
    Subscription(Subscription) = ["Subscription"],
    ChannelSubscription(ChannelSubscription) = ["ChannelSubscription"],
    // `gifted_count` is derived from the list once it is read.
    GiftedSubscriptions(GiftedSubscriptions) = ["GiftedSubscriptions"]
        via GiftedSubscriptions::read_payload,
    LuckyUsersWhoGotGiftSubscriptions(LuckyUsersWhoGotGiftSubscriptions) =
        ["LuckyUsersWhoGotGiftSubscriptions"],
    GiftsLeaderboardUpdated(GiftsLeaderboardUpdated) = ["GiftsLeaderboardUpdated"],
    KicksGifted(KicksGifted) = ["KicksGifted"],
    KicksLeaderboardUpdated(KicksLeaderboardUpdated) = ["KicksLeaderboardUpdated"],
    RewardRedeemed(RewardRedeemed) = ["RewardRedeemed"],
    StreamerIsLive(StreamerIsLive) = ["StreamerIsLive"],
    StreamEnd(StreamEnd) = ["StopStreamBroadcast"],
    StreamHost(StreamHost) = ["StreamHost"],
    StreamHosted(StreamHosted) = ["StreamHosted"],
    ChatMoveToSupportedChannel(ChatMoveToSupportedChannel) = ["ChatMoveToSupportedChannel"],
    FollowersUpdated(FollowersUpdated) = ["FollowersUpdated"],
    GoalCreated(Goal) = ["GoalCreated"],
    GoalProgressUpdate(Goal) = ["GoalProgressUpdate", "GoalProgressUpdated"],
    GoalAchieved(Goal) = ["GoalAchieved"],
    GoalCanceled(Goal) = ["GoalCanceled", "GoalCancelled"],
    PredictionCreated(PredictionEvent) = ["PredictionCreated"],
    PredictionUpdated(PredictionEvent) = ["PredictionUpdated"],
    NewSubscriberUpdated(NewSubscriberUpdated) = ["NewSubscriberUpdated"],
    NewActivityFeed(NewActivityFeed) = ["NewActivityFeed"],
    ChatMessageSent(ChatMessageSent) = ["ChatMessageSent"],
    LivestreamUpdated(LivestreamUpdated) = ["LivestreamUpdated", "LiveStream\\UpdatedLiveStream"],
}

/// An event whose name we do not know: passed through, never an error.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Unknown {
    /// The event name as sent.
    pub name: Text<EVENT_NAME>,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::field::Reset;

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

    #[test]
    fn names_as_kick_sends_them() {
        use EventKind as K;
        // Each spelling seen on the wire (vectors and public clients), and near misses.
        for (name, kind) in [
            ("App\\Events\\ChatMessageEvent", K::ChatMessage),
            ("ChatMessageEvent", K::ChatMessage),
            ("App\\Events\\ChatMessage", K::ChatMessage),
            ("KicksGifted", K::KicksGifted),
            ("GiftedSubscriptionsEvent", K::GiftedSubscriptions),
            ("App\\Events\\StopStreamBroadcast", K::StreamEnd),
            ("GoalProgressUpdatedEvent", K::GoalProgressUpdate),
            ("GoalCancelledEvent", K::GoalCanceled),
            (
                "App\\Events\\LiveStream\\UpdatedLiveStreamEvent",
                K::LivestreamUpdated,
            ),
            ("App\\Events\\LivestreamUpdated", K::LivestreamUpdated),
            // The type name is not a wire name when Kick's differs.
            ("StreamEnd", K::Unknown),
            // One suffix, one prefix, exact case.
            ("ChatMessageEventEvent", K::Unknown),
            ("App\\Events\\App\\Events\\ChatMessageEvent", K::Unknown),
            ("chatmessageevent", K::Unknown),
            ("App\\Events\\", K::Unknown),
            ("Event", K::Unknown),
            ("", K::Unknown),
            ("pusher:ping", K::Unknown),
        ] {
            assert_eq!(EventKind::from_name(name), kind, "{name}");
        }
    }

    #[test]
    fn all_lists_each_known_kind_once() {
        assert_eq!(EventKind::ALL.len(), 35);
        assert_eq!(EventKind::ALL[0], EventKind::ChatMessage);
        assert_eq!(EventKind::ALL[34], EventKind::LivestreamUpdated);
        for (i, kind) in EventKind::ALL.iter().enumerate() {
            assert_ne!(*kind, EventKind::Unknown);
            assert!(!EventKind::ALL[..i].contains(kind), "{kind:?} twice");
        }
    }

    #[test]
    fn every_wire_spelling_finds_its_kind() {
        let mut spellings = 0;
        for kind in EventKind::ALL {
            assert!(!kind.wire_names().is_empty(), "{kind:?}");
            for base in kind.wire_names() {
                for name in [
                    std::string::ToString::to_string(base),
                    std::format!("{base}Event"),
                    std::format!("{PREFIX}{base}"),
                    std::format!("{PREFIX}{base}Event"),
                ] {
                    assert_eq!(EventKind::from_name(&name), kind, "{name}");
                    spellings += 1;
                }
            }
        }
        // 35 kinds, three of them with a second spelling, four forms of each.
        assert_eq!(spellings, (35 + 3) * 4);
        assert!(EventKind::Unknown.wire_names().is_empty());
    }

    #[test]
    fn the_packed_table_matches_whole_names_only() {
        use EventKind as K;
        // The names lie end to end in one run of bytes (`NAME_TABLE`, after a length byte
        // each): a part of one, one running into the next, or a length byte read as a name
        // must find nothing; the second spellings the kind before them; the last, the last.
        for (name, kind) in [
            ("ChatMessag", K::Unknown),
            ("hatMessage", K::Unknown),
            ("ChatMessageMessageDeleted", K::Unknown),
            ("ChatMessage\u{e}MessageDeleted", K::Unknown),
            ("\u{b}ChatMessage", K::Unknown),
            ("MessageDeleted", K::MessageDeleted),
            ("GoalProgressUpdate", K::GoalProgressUpdate),
            ("GoalProgressUpdated", K::GoalProgressUpdate),
            ("GoalAchieved", K::GoalAchieved),
            ("GoalCancelled", K::GoalCanceled),
            ("PredictionCreated", K::PredictionCreated),
            ("LiveStream\\UpdatedLiveStream", K::LivestreamUpdated),
            ("LiveStream\\UpdatedLiveStrea", K::Unknown),
            ("LiveStream\\UpdatedLiveStreamX", K::Unknown),
        ] {
            assert_eq!(EventKind::from_name(name), kind, "{name}");
            assert_eq!(EventKind::from_name_bytes(name.as_bytes()), kind, "{name}");
            // The packed walk itself (natively the lookups above use the pairs).
            assert_eq!(EventKind::from_packed(name.as_bytes()), kind, "{name}");
        }
        // Every spelling of every kind, through the packed walk.
        for kind in EventKind::ALL {
            for name in kind.wire_names() {
                assert_eq!(EventKind::from_packed(name.as_bytes()), kind, "{name}");
            }
        }
        assert_eq!(EventKind::from_packed(b""), K::Unknown);
        // Bytes that are no UTF-8 match no name.
        assert_eq!(EventKind::from_name_bytes(b"ChatMessage\xff"), K::Unknown);
        assert_eq!(
            EventKind::from_name_bytes(b"App\\Events\\GoalCancelledEvent"),
            K::GoalCanceled
        );
    }

    #[test]
    fn type_names_are_the_json_types() {
        assert_eq!(EventKind::StreamEnd.type_name(), "StreamEnd");
        assert_eq!(EventKind::GoalCanceled.type_name(), "GoalCanceled");
        assert_eq!(EventKind::Unknown.type_name(), "Unknown");
        let event = Event::decode("App\\Events\\StopStreamBroadcast", b"{}").unwrap();
        assert_eq!(
            (event.kind(), event.type_name()),
            (EventKind::StreamEnd, "StreamEnd")
        );
        let event = Event::decode("SomethingNewEvent", b"{}").unwrap();
        assert_eq!(
            (event.kind(), event.type_name()),
            (EventKind::Unknown, "Unknown")
        );
    }

    #[test]
    fn every_kind_decodes_into_its_own_variant() {
        // `{}` is a valid payload of every event; each lands in the variant of its kind, from a
        // fresh event and from one kept of another kind.
        let mut kept = Event::Unknown(Unknown::default());
        for kind in EventKind::ALL {
            let event = Event::decode_kind(kind, "x", b"{}").unwrap();
            assert_eq!(event.kind(), kind);
            kept.decode_into(kind, "x", b"{}").unwrap();
            assert_eq!(kept, event);
        }
    }

    #[test]
    fn empty_events_take_any_json_and_others_only_objects() {
        for kind in [EventKind::PinnedMessageDeleted, EventKind::PollDelete] {
            for payload in [&b"[]"[..], b"{}", b"null", b"1"] {
                assert!(Event::decode_kind(kind, "x", payload).is_ok(), "{kind:?}");
            }
            assert!(Event::decode_kind(kind, "x", b"[").is_err());
        }
        assert_eq!(
            Event::decode_kind(EventKind::ChatMessage, "x", b"[]"),
            Err(DecodeError::PayloadNotAnObject)
        );
    }
}
