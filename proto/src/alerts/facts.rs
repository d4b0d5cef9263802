//! What the machine needs of a Kick event, read once, from a typed [`Event`] or from a
//! [`JsonEvent`]'s payload: one [`Fact`], so the two paths feed the machine the same thing.
//!
//! Both adapters end in the same builders (`chat`, `subscription`, `host`, ...). The events
//! whose structs are small (a sub, a host, a ban: at most as large as the alert they make) are
//! read on the JSON path into their own struct with the typed reader, so the two paths cannot
//! read them differently. The large ones (a chat message, a pin, a gift chunk, a chat info
//! line: 2.6 to 5 KB typed) are read with [`probe`], a few fields each, with the same field
//! readers typed decoding uses.
//!
//! Which events are copies of which (each rule next to the vectors that show it in
//! `alerts/tests.rs`):
//! - a sub comes as `SubscriptionEvent` and `ChatMessageSentEvent` (`action: subscribe`), both
//!   with the months, and as `ChannelSubscriptionEvent`, `NewSubscriberUpdatedEvent` and
//!   `NewActivityFeedEvent` (`new_subscriber`), without them: the first two make the alert
//!   (keyed by the subscriber's name), the last three are only copies;
//! - a host comes as `StreamHostEvent` and `StreamHostedEvent`: keyed by host and viewers;
//! - a gift comes as `GiftedSubscriptionsEvent`s (chunks joined by `correlation_id`), with a
//!   `LuckyUsersWhoGotGiftSubscriptionsEvent`, a `ChatMessageSentEvent` (`action: gift`) and a
//!   `ChannelSubscriptionEvent` naming no one: those three are only copies.
//!
//! Kick's webhooks are read in `facts/official.rs` (its table says which type makes what), and
//! their copies of realtime events are matched in `alerts/pair.rs`.

use super::alert::{Alert, Chat, GoalStage, Live};
use super::gifts::Chunk;
use super::key::Key;
use crate::DecodeError;
use crate::json::field::Field;
use crate::json::probe;
use crate::json::reader::Reader;
use crate::kick::payload::{object_into, well_formed};
use crate::kick::{
    self, ChatroomClear, Event, EventKind, KicksGifted, MessageDeleted as Deleted, PollUpdate,
    PredictionEvent, RewardRedeemed, StreamEnd, StreamHost, StreamHosted, StreamerIsLive,
    Subscription as Sub, UserBanned, UserUnbanned,
};
use crate::limits::{ID, MESSAGE, SHORT};
use crate::message::JsonEvent;
use crate::text::Text;

/// One event, as the machine sees it.
mod build;
mod official;

use build::*;
pub(crate) use official::of_official;

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // made and matched at once, never stored
pub(crate) enum Fact {
    /// Nothing to tell (settings, leaderboards, unknown events).
    Nothing,
    /// A copy of a happening another event tells.
    Copy,
    /// An alert, told once per key (always, without one).
    Alert(Alert, Option<Key>),
    /// A chat message, told once per id; the hash of its author, for first words.
    Chat(Chat, Option<Key>, u64),
    /// The stream went live: first words start again. Told once per key (always, without one).
    Live(Live, Option<Key>),
    /// A gift or a chunk of one, with its correlation id's key.
    Gift(Chunk, Option<Key>),
}

/// The fact of a typed event.
pub(crate) fn of_event(event: &Event) -> Fact {
    match event {
        Event::ChatMessage(m) => chat(
            m.id.clone(),
            m.sender.id,
            m.sender.username.clone(),
            m.content.clone(),
        ),
        Event::PinnedMessageCreated(p) => pinned(
            &p.message.id,
            p.message.sender.username.clone(),
            p.message.content.clone(),
            p.duration,
        ),
        Event::GiftedSubscriptions(g) => gift(
            cut(&g.gifted_usernames),
            g.gifter_username.clone(),
            g.correlation_id.as_ref(),
            g.chunk_details.as_ref().and_then(|c| c.chunk_index),
            g.chunk_details.as_ref().and_then(|c| c.total_chunks),
            g.gifted_total,
        ),
        Event::ChatMessageSent(s) => info_line(
            &s.message.action,
            s.user.username.clone(),
            s.message.months_subscribed,
        ),
        Event::NewActivityFeed(a) => activity(&a.kind),
        Event::ChannelSubscription(_)
        | Event::NewSubscriberUpdated(_)
        | Event::LuckyUsersWhoGotGiftSubscriptions(_) => Fact::Copy,
        Event::Subscription(s) => subscription(s),
        Event::StreamHost(h) => stream_host(h),
        Event::StreamHosted(h) => stream_hosted(h),
        Event::KicksGifted(k) => kicks(k),
        Event::RewardRedeemed(r) => reward(r),
        Event::UserBanned(b) => ban(b),
        Event::UserUnbanned(u) => unban(u),
        Event::MessageDeleted(d) => deleted(d),
        Event::ChatroomClear(c) => clear(c),
        Event::PinnedMessageDeleted(_) => unpinned(),
        Event::PollUpdate(p) => poll(p),
        Event::PredictionCreated(p) | Event::PredictionUpdated(p) => prediction(p),
        Event::GoalCreated(g) => goal(GoalStage::Created, g),
        Event::GoalProgressUpdate(g) => goal(GoalStage::Progress, g),
        Event::GoalAchieved(g) => goal(GoalStage::Achieved, g),
        Event::GoalCanceled(g) => goal(GoalStage::Canceled, g),
        Event::StreamerIsLive(l) => live(l),
        Event::StreamEnd(e) => end(e),
        _ => Fact::Nothing,
    }
}

/// The fact of an event left as JSON.
///
/// # Errors
/// What typed decoding gives for a payload that is not JSON, or not an object where the event
/// needs one.
pub(crate) fn of_json(event: &JsonEvent<'_>) -> Result<Fact, DecodeError> {
    /// Reads the event's own struct (small) with the typed reader and builds from it.
    macro_rules! typed {
        ($ty:ty, $build:expr) => {{
            let mut v = <$ty>::default();
            object_into(&mut v, &mut Reader::new(event.payload))?;
            $build(&v)
        }};
    }
    let payload = event.payload;
    Ok(match event.kind {
        EventKind::ChatMessage => {
            let m = Obj::of(payload)?;
            let sender = m.object("sender");
            chat(
                m.read("id"),
                sender.read("id"),
                sender.read("username"),
                m.read("content"),
            )
        }
        EventKind::PinnedMessageCreated => {
            let p = Obj::of(payload)?;
            let m = p.object("message");
            pinned(
                &m.read::<Text<ID>>("id"),
                m.object("sender").read("username"),
                m.read::<Text<MESSAGE>>("content"),
                p.read("duration"),
            )
        }
        EventKind::GiftedSubscriptions => {
            let g = Obj::of(payload)?;
            let details = g.object("chunk_details");
            gift(
                g.read("gifted_usernames"),
                g.read("gifter_username"),
                g.read::<Option<Text<ID>>>("correlation_id").as_ref(),
                details.read_any(&["chunk_index", "index", "current_chunk"]),
                details.read_any(&["total_chunks", "chunks_total", "total"]),
                g.read("gifted_total"),
            )
        }
        EventKind::ChatMessageSent => {
            let s = Obj::of(payload)?;
            let m = s.object("message");
            info_line(
                &m.read::<Text<SHORT>>("action"),
                s.object("user").read("username"),
                m.read("months_subscribed"),
            )
        }
        EventKind::NewActivityFeed => activity(&Obj::of(payload)?.read::<Text<SHORT>>("type")),
        EventKind::ChannelSubscription
        | EventKind::NewSubscriberUpdated
        | EventKind::LuckyUsersWhoGotGiftSubscriptions => {
            Obj::of(payload)?;
            Fact::Copy
        }
        EventKind::Subscription => typed!(Sub, subscription),
        EventKind::StreamHost => typed!(StreamHost, stream_host),
        EventKind::StreamHosted => typed!(StreamHosted, stream_hosted),
        EventKind::KicksGifted => typed!(KicksGifted, kicks),
        EventKind::RewardRedeemed => typed!(RewardRedeemed, reward),
        EventKind::UserBanned => typed!(UserBanned, ban),
        EventKind::UserUnbanned => typed!(UserUnbanned, unban),
        EventKind::MessageDeleted => typed!(Deleted, deleted),
        EventKind::ChatroomClear => typed!(ChatroomClear, clear),
        EventKind::PinnedMessageDeleted => {
            well_formed(&mut (), &mut Reader::new(payload))?;
            unpinned()
        }
        EventKind::PollUpdate => typed!(PollUpdate, poll),
        EventKind::PredictionCreated | EventKind::PredictionUpdated => {
            typed!(PredictionEvent, prediction)
        }
        EventKind::GoalCreated => typed!(kick::Goal, |g| goal(GoalStage::Created, g)),
        EventKind::GoalProgressUpdate => typed!(kick::Goal, |g| goal(GoalStage::Progress, g)),
        EventKind::GoalAchieved => typed!(kick::Goal, |g| goal(GoalStage::Achieved, g)),
        EventKind::GoalCanceled => typed!(kick::Goal, |g| goal(GoalStage::Canceled, g)),
        EventKind::StreamerIsLive => typed!(StreamerIsLive, live),
        EventKind::StreamEnd => typed!(StreamEnd, end),
        _ => Fact::Nothing,
    })
}

/// An object of a payload, or nothing (a member absent or not an object): its members read
/// as typed decoding reads them, their defaults when absent.
#[derive(Clone, Copy)]
struct Obj<'a>(Option<probe::Object<'a>>);

impl<'a> Obj<'a> {
    fn of(payload: &'a [u8]) -> Result<Self, DecodeError> {
        probe::object(payload).map(|o| Self(Some(o)))
    }

    fn object(self, key: &str) -> Self {
        Self(self.0.and_then(|o| o.object(key)))
    }

    fn read<T: Field + Default>(self, key: &str) -> T {
        let mut v = T::default();
        if let Some(raw) = self.0.and_then(|o| o.get(key)) {
            // A bad escape in this one member (which typed decoding refuses the event for):
            // its default, as if absent.
            if v.read(&mut Reader::new(raw)).is_err() {
                v = T::default();
            }
        }
        v
    }

    /// The member under the last of `keys` present, as typed decoding reads aliases (each
    /// alias present overwrites).
    fn read_any<T: Field + Default>(self, keys: &[&str]) -> T {
        let present = keys
            .iter()
            .filter_map(|k| self.0.and_then(|o| o.get(k)).map(|raw| (k, raw)))
            .max_by_key(|(_, raw)| raw.as_ptr() as usize);
        present.map_or_else(T::default, |(k, _)| self.read(k))
    }
}
