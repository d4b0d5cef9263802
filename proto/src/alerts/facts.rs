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

use super::alert::{
    Alert, Ban, Chat, Goal, GoalStage, Host, KicksGift, Live, MessageDeleted, Pinned, Poll,
    Prediction, Reward, Subscription, Unban,
};
use super::gifts::Chunk;
use super::key::{Family, Key, KeyBuilder, Window, user_hash};
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
use crate::limits::{ALERT_RECIPIENTS, GIFT_MESSAGE, ID, MESSAGE, SHORT, USERNAME};
use crate::message::JsonEvent;
use crate::text::{List, Text};

/// One event, as the machine sees it.
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
    /// The stream went live: first words start again.
    Live(Live, Key),
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
            object_into(&mut v, event.payload)?;
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
            well_formed(&mut (), payload)?;
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

/// The first [`ALERT_RECIPIENTS`] of a typed list, its total kept.
fn cut<const N: usize>(names: &List<Text<USERNAME>, N>) -> List<Text<USERNAME>, ALERT_RECIPIENTS> {
    let mut out: List<Text<USERNAME>, ALERT_RECIPIENTS> = List::default();
    // `next_slot` counts what it is asked for: only the names that fit.
    for name in names.iter().take(ALERT_RECIPIENTS) {
        if let Some(slot) = out.next_slot() {
            slot.clone_from(name);
        }
    }
    let kept = u32::try_from(names.len().min(ALERT_RECIPIENTS)).unwrap_or(u32::MAX);
    out.count_more(names.total().saturating_sub(kept));
    out
}

fn key(family: Family, window: Window) -> KeyBuilder {
    KeyBuilder::new(family, window)
}

/// A key from an id Kick gives, or none when the id is missing.
fn id_key(family: Family, id: &str) -> Option<Key> {
    (!id.is_empty()).then(|| key(family, Window::Id).text(id).finish())
}

fn chat(id: Text<ID>, sender: u64, username: Text<USERNAME>, content: Text<MESSAGE>) -> Fact {
    let k = id_key(Family::Chat, &id);
    let user = user_hash(sender, &username);
    let chat = Chat {
        id,
        username,
        content,
        first_words: false,
    };
    Fact::Chat(chat, k, user)
}

fn pinned(
    id: &str,
    username: Text<USERNAME>,
    content: Text<MESSAGE>,
    duration: Option<u64>,
) -> Fact {
    let k = id_key(Family::Pinned, id).unwrap_or_else(|| {
        key(Family::Pinned, Window::Same)
            .name(&username)
            .text(&content)
            .finish()
    });
    Fact::Alert(
        Alert::Pinned(Pinned {
            username,
            content,
            duration,
        }),
        Some(k),
    )
}

fn gift(
    recipients: List<Text<USERNAME>, ALERT_RECIPIENTS>,
    gifter: Text<USERNAME>,
    correlation: Option<&Text<ID>>,
    index: Option<u32>,
    total_chunks: Option<u32>,
    gifted_total: Option<u32>,
) -> Fact {
    let chunk = Chunk {
        gifter,
        recipients,
        index,
        total_chunks,
        gifted_total,
    };
    let correlation = correlation.and_then(|c| id_key(Family::Gift, c));
    Fact::Gift(chunk, correlation)
}

/// `ChatMessageSentEvent`: the chat's info line about a sub (an alert, with the months) or a
/// gift (a copy of the gift's events).
fn info_line(action: &str, username: Text<USERNAME>, months: Option<u32>) -> Fact {
    match action {
        "subscribe" => subscription(&Sub {
            username,
            months,
            ..Sub::default()
        }),
        "gift" => Fact::Copy,
        _ => Fact::Nothing,
    }
}

fn activity(kind: &str) -> Fact {
    if kind == "new_subscriber" {
        Fact::Copy
    } else {
        Fact::Nothing
    }
}

/// Keyed by the subscriber alone: three of a sub's five copies lack the months, and within
/// the window one user subscribes once.
fn subscription(s: &Sub) -> Fact {
    let k = key(Family::Subscription, Window::Copy)
        .name(&s.username)
        .finish();
    let alert = Alert::Subscription(Subscription {
        username: s.username.clone(),
        months: s.months,
    });
    Fact::Alert(alert, Some(k))
}

fn host(host: &Text<USERNAME>, viewers: Option<u64>, message: Option<&Text<GIFT_MESSAGE>>) -> Fact {
    let k = key(Family::Host, Window::Copy)
        .name(host)
        .number(viewers)
        .finish();
    let alert = Alert::Host(Host {
        host: host.clone(),
        viewers,
        message: message.cloned(),
    });
    Fact::Alert(alert, Some(k))
}

fn stream_host(h: &StreamHost) -> Fact {
    host(
        &h.host_username,
        h.number_viewers,
        h.optional_message.as_ref(),
    )
}

fn stream_hosted(h: &StreamHosted) -> Fact {
    host(
        &h.user.username,
        h.message.number_of_viewers,
        h.message.optional_message.as_ref(),
    )
}

fn kicks(k: &KicksGifted) -> Fact {
    let alert = Alert::KicksGift(KicksGift {
        sender: k.sender.username.clone(),
        gift: k.gift.name.clone(),
        amount: k.gift.amount,
        message: k.message.clone(),
    });
    Fact::Alert(alert, id_key(Family::Kicks, &k.gift_transaction_id))
}

fn reward(r: &RewardRedeemed) -> Fact {
    let k = key(Family::Reward, Window::Copy)
        .name(&r.username)
        .text(&r.reward_title)
        .text(&r.user_input)
        .finish();
    let alert = Alert::Reward(Reward {
        username: r.username.clone(),
        title: r.reward_title.clone(),
        input: r.user_input.clone(),
    });
    Fact::Alert(alert, Some(k))
}

fn ban(b: &UserBanned) -> Fact {
    let k = id_key(Family::Ban, &b.id).unwrap_or_else(|| {
        key(Family::Ban, Window::Copy)
            .name(&b.user.username)
            .number(b.duration)
            .finish()
    });
    let alert = Alert::Ban(Ban {
        username: b.user.username.clone(),
        by: b.banned_by.username.clone(),
        permanent: b.is_permanent(),
        duration: b.duration,
    });
    Fact::Alert(alert, Some(k))
}

fn unban(u: &UserUnbanned) -> Fact {
    let k = id_key(Family::Unban, &u.id).unwrap_or_else(|| {
        key(Family::Unban, Window::Copy)
            .name(&u.user.username)
            .finish()
    });
    let alert = Alert::Unban(Unban {
        username: u.user.username.clone(),
        by: u.unbanned_by.username.clone(),
    });
    Fact::Alert(alert, Some(k))
}

/// Keyed by the message deleted: deleting it twice is one happening.
fn deleted(d: &Deleted) -> Fact {
    let id = &d.message.id;
    let alert = Alert::MessageDeleted(MessageDeleted { id: id.clone() });
    Fact::Alert(alert, id_key(Family::Deleted, id))
}

fn clear(c: &ChatroomClear) -> Fact {
    let k =
        id_key(Family::Clear, &c.id).unwrap_or_else(|| key(Family::Clear, Window::Same).finish());
    Fact::Alert(Alert::ChatClear, Some(k))
}

fn unpinned() -> Fact {
    Fact::Alert(
        Alert::Unpinned,
        Some(key(Family::Unpinned, Window::Same).finish()),
    )
}

/// Keyed by the question and the votes: the same poll state sent again is a copy.
fn poll(p: &PollUpdate) -> Fact {
    let p = &p.poll;
    let k = p
        .options
        .iter()
        .fold(key(Family::Poll, Window::Copy).text(&p.title), |k, o| {
            k.text(&o.label).number(Some(o.votes))
        })
        .number(p.remaining)
        .finish();
    let alert = Alert::Poll(Poll {
        title: p.title.clone(),
        options: p.options.clone(),
        remaining: p.remaining,
    });
    Fact::Alert(alert, Some(k))
}

fn prediction(p: &PredictionEvent) -> Fact {
    let p = &p.prediction;
    let k = p
        .outcomes
        .iter()
        .fold(
            key(Family::Prediction, Window::Copy)
                .text(&p.id)
                .text(&p.title)
                .text(&p.state),
            |k, o| {
                k.text(&o.id)
                    .number(o.vote_count)
                    .number(o.total_vote_amount)
            },
        )
        .text(p.winning_outcome_id.as_deref().unwrap_or(""))
        .finish();
    let alert = Alert::Prediction(Prediction {
        title: p.title.clone(),
        state: p.state.clone(),
        outcomes: p.outcomes.clone(),
        winning_outcome_id: p.winning_outcome_id.clone(),
    });
    Fact::Alert(alert, Some(k))
}

fn goal(stage: GoalStage, g: &kick::Goal) -> Fact {
    let k = key(Family::Goal, Window::Copy)
        .number(Some(stage as u64))
        .text(&g.id)
        .number(g.current_value)
        .number(g.target_value)
        .finish();
    let alert = Alert::Goal(Goal {
        stage,
        goal_type: g.kind.clone(),
        current: g.current_value,
        target: g.target_value,
        followers: g.current_value.filter(|_| g.kind == "followers"),
    });
    Fact::Alert(alert, Some(k))
}

fn live(l: &StreamerIsLive) -> Fact {
    let s = &l.livestream;
    let k = key(Family::Live, Window::Id).number(Some(s.id)).finish();
    Fact::Live(
        Live {
            title: s.session_title.clone(),
        },
        k,
    )
}

fn end(e: &StreamEnd) -> Fact {
    let k = key(Family::End, Window::Id)
        .number(Some(e.livestream.id))
        .finish();
    Fact::Alert(Alert::End, Some(k))
}
