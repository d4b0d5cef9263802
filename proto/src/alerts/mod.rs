//! One alert per happening: a sans-IO state machine that turns Kick's events into [`Alert`]s,
//! merging Kick's copies (a sub sent as five events, a host as two, a gift in chunks, a chat
//! line again after a reconnect or on a second channel name) and marking each chatter's first
//! words since the stream went live.
//!
//! Feed it every Kick event, typed ([`Alerts::handle_event`]) or left as JSON
//! ([`Alerts::handle_json`]: a board that never holds a typed event), and, where a relay takes
//! Kick's signed webhooks, each verified delivery ([`Alerts::handle_official`]: a happening
//! seen on both ways in is one alert, the webhook minutes late or not), then take the alerts out
//! ([`Alerts::poll_alert`] until `None`). A gift whose chunks are not all in waits at most
//! [`ALERT_GIFT_WINDOW_MS`](crate::limits::ALERT_GIFT_WINDOW_MS): call
//! [`Alerts::handle_timeout`] at [`Alerts::poll_timeout`], and [`Alerts::finish`] at the end of
//! a replay. Time is passed in, as to a [`Connection`](crate::conn::Connection).
//!
//! ```
//! use kickwire_proto::alerts::{Alert, Alerts};
//! use kickwire_proto::{conn::Instant, decode, Message};
//!
//! // The same sub as Kick sends it on two channel names (real frames, 2026-09-27).
//! let frames: [&[u8]; 2] = [
//!     br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":4598,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.4598.v2"}"#,
//!     br#"{"event":"App\\Events\\NewSubscriberUpdatedEvent","data":"{\"channel_id\":4599,\"last_subscriber\":\"micke747\",\"count\":3323}","channel":"channel_4599"}"#,
//! ];
//! let mut alerts = Alerts::new();
//! let mut scratch = [0u8; kickwire_proto::limits::MAX_PAYLOAD];
//! let mut told = Vec::new();
//! for (ms, frame) in [0u64, 40].into_iter().zip(frames) {
//!     for message in decode(frame, &mut scratch) {
//!         if let Ok(Message::Kick { event, .. }) = message {
//!             alerts.handle_event(Instant::from_millis(ms), &event);
//!         }
//!     }
//!     while let Some(alert) = alerts.poll_alert() {
//!         told.push(alert);
//!     }
//! }
//! assert_eq!(told.len(), 1);
//! let Alert::Subscription(sub) = &told[0] else { panic!("{told:?}") };
//! assert_eq!((sub.username.as_str(), sub.months), ("micke747", Some(38)));
//! assert_eq!(alerts.stats().copies, 1);
//! ```
//!
//! Memory is fixed: the capacities are const generics with defaults from
//! [`limits`], as a [`Connection`](crate::conn::Connection)'s are; a board picks
//! small ones (`Alerts<2, 16, 16, 2, 128>`). Keys are 64-bit hashes, never strings.

mod alert;
mod facts;
mod first_words;
mod gifts;
#[cfg(feature = "serde")]
mod json;
mod key;
mod pair;
mod queue;
mod recent;
#[cfg(test)]
mod tests;

pub use alert::{
    Alert, Ban, Chat, Follow, GiftedSubscriptions, Goal, GoalStage, Host, KicksGift, Live,
    MessageDeleted, Pinned, Poll, Prediction, Reward, Subscription, Unban,
};

use facts::Fact;
use first_words::{Speakers, Spoke};
use gifts::{Gifts, Joined};
use key::{Family, Key, KeyBuilder, Window};
use pair::Side;
use queue::Queue;
use recent::Recent;

use crate::DecodeError;
use crate::conn::Instant;
use crate::kick::Event;
use crate::limits;
use crate::message::JsonEvent;

/// What the machine merged, dropped or could not do: all counts since it was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Stats {
    /// Events that repeated a happening already told (same key within its window).
    pub duplicates: u32,
    /// Events that are only ever copies of another's happening (a sub's channel-side
    /// notices, a gift's lucky-users list and info line).
    pub copies: u32,
    /// Gift chunks not counted: after their gift was told, or past
    /// [`ALERT_GIFT_CHUNKS`](crate::limits::ALERT_GIFT_CHUNKS).
    pub chunks_dropped: u32,
    /// Gifts told before their wait ended, to make room for another.
    pub gifts_flushed: u32,
    /// Alerts dropped because the queue was full.
    pub alerts_dropped: u32,
    /// Chat messages whose author could not be remembered (the first-words set was full):
    /// not marked as first words, rather than marked twice.
    pub unmarked: u32,
    /// JSON events whose payload could not be read.
    pub unreadable: u32,
}

/// The alert machine. See the [module docs](self).
///
/// Capacities: `ALERTS` queued alerts ([`limits::ALERTS`]), `CHATS` chat ids
/// ([`limits::ALERT_CHAT_IDS`]) and `KEYS` other keys ([`limits::ALERT_KEYS`]) remembered,
/// `GIFTS` gifts joined at once ([`limits::ALERT_GIFTS`]), `USERS` chatters known
/// ([`limits::ALERT_USERS`]). `ALERTS` is at least 1 (0 does not compile); the others may be 0
/// (and the machine then does without).
#[derive(Debug, Clone)]
pub struct Alerts<
    const ALERTS: usize = { limits::ALERTS },
    const CHATS: usize = { limits::ALERT_CHAT_IDS },
    const KEYS: usize = { limits::ALERT_KEYS },
    const GIFTS: usize = { limits::ALERT_GIFTS },
    const USERS: usize = { limits::ALERT_USERS },
> {
    queue: Queue<ALERTS>,
    chats: Recent<CHATS>,
    keys: Recent<KEYS>,
    gifts: Gifts<GIFTS>,
    speakers: Speakers<USERS>,
    stats: Stats,
}

impl Default for Alerts {
    fn default() -> Self {
        Self::new()
    }
}

impl Alerts {
    /// A machine with the default capacities.
    #[must_use]
    pub fn new() -> Self {
        Self::with_capacities()
    }
}

impl<
    const ALERTS: usize,
    const CHATS: usize,
    const KEYS: usize,
    const GIFTS: usize,
    const USERS: usize,
> Alerts<ALERTS, CHATS, KEYS, GIFTS, USERS>
{
    /// A machine with the capacities of its type:
    ///
    /// ```
    /// use kickwire_proto::alerts::Alerts;
    /// // A board: it drains after each event.
    /// let board: Alerts<2, 16, 16, 2, 128> = Alerts::with_capacities();
    /// assert_eq!(board.pending_gifts(), 0);
    /// ```
    #[must_use]
    pub fn with_capacities() -> Self {
        Self {
            queue: Queue::default(),
            chats: Recent::default(),
            keys: Recent::default(),
            gifts: Gifts::default(),
            speakers: Speakers::default(),
            stats: Stats::default(),
        }
    }

    /// Takes in a typed Kick event received at `now`.
    pub fn handle_event(&mut self, now: Instant, event: &Event) {
        self.handle_timeout(now);
        self.apply(now, facts::of_event(event), Side::Realtime);
    }

    /// Takes in a Kick event left as JSON received at `now`: the same alerts as
    /// [`handle_event`](Self::handle_event) with the typed event.
    ///
    /// # Errors
    /// What typed decoding says of a payload that is not JSON or not an object (also counted
    /// in [`Stats::unreadable`]); the machine goes on.
    pub fn handle_json(&mut self, now: Instant, event: &JsonEvent<'_>) -> Result<(), DecodeError> {
        self.handle_timeout(now);
        self.take(now, facts::of_json(event), Side::Realtime)
    }

    /// Takes in one of Kick's webhook deliveries received at `now`: its `Kick-Event-Type`
    /// header and its JSON body, once the caller has checked its signature and dropped a
    /// delivery whose `Kick-Event-Message-Id` it has seen (Kick retries until it gets a 200).
    ///
    /// It makes the alert the realtime event makes, and a happening seen on both ways is one
    /// alert, whichever comes first, even with the webhook minutes late
    /// ([`ALERT_PAIR_WINDOW_MS`](crate::limits::ALERT_PAIR_WINDOW_MS)). `channel.followed`
    /// makes a [`Follow`], which only webhooks tell; `livestream.metadata.updated` and types
    /// it does not know make nothing. Which type makes what, keyed how, is in
    /// `alerts/facts/official.rs`.
    ///
    /// ```
    /// use kickwire_proto::alerts::{Alert, Alerts};
    /// use kickwire_proto::conn::Instant;
    ///
    /// let mut alerts = Alerts::new();
    /// let body = br#"{"broadcaster":{"user_id":1,"username":"b"},"follower":{"user_id":2,"username":"ann"}}"#;
    /// alerts.handle_official(Instant::from_millis(0), "channel.followed", body).unwrap();
    /// let Some(Alert::Follow(f)) = alerts.poll_alert() else { panic!() };
    /// assert_eq!(f.username.as_str(), "ann");
    /// assert!(alerts.handle_official(Instant::from_millis(1), "kicks.gifted", b"{").is_err());
    /// ```
    ///
    /// # Errors
    /// What typed decoding says of a body that is not JSON or not an object (also counted in
    /// [`Stats::unreadable`]); the machine goes on.
    pub fn handle_official(
        &mut self,
        now: Instant,
        event_type: &str,
        body: &[u8],
    ) -> Result<(), DecodeError> {
        self.handle_timeout(now);
        self.take(now, facts::of_official(event_type, body), Side::Official)
    }

    /// The next alert, oldest first.
    pub fn poll_alert(&mut self) -> Option<Alert> {
        self.queue.pop()
    }

    /// When [`handle_timeout`](Self::handle_timeout) has something to do: the end of the wait
    /// of the first gift still missing chunks. `Some` whenever a gift is waiting.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.gifts.next_deadline()
    }

    /// Tells the gifts whose wait for a missing chunk ended by `now`, with what came.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some((key, gift)) = self.gifts.take_due(now) {
            self.tell_gift(now, key, gift);
        }
    }

    /// The end of a replay (or of the stream's events): tells every waiting gift now.
    pub fn finish(&mut self, now: Instant) {
        while let Some((key, gift)) = self.gifts.take_oldest() {
            self.tell_gift(now, key, gift);
        }
    }

    /// What the machine merged and dropped so far.
    #[must_use]
    pub const fn stats(&self) -> Stats {
        self.stats
    }

    /// Gifts waiting for chunks.
    #[must_use]
    pub fn pending_gifts(&self) -> usize {
        self.gifts.len()
    }

    /// Alerts waiting for [`poll_alert`](Self::poll_alert).
    #[must_use]
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Applies a fact read from JSON, or counts why it could not be read.
    fn take(
        &mut self,
        now: Instant,
        fact: Result<Fact, DecodeError>,
        side: Side,
    ) -> Result<(), DecodeError> {
        match fact {
            Ok(fact) => {
                self.apply(now, fact, side);
                Ok(())
            }
            Err(e) => {
                self.stats.unreadable = self.stats.unreadable.saturating_add(1);
                Err(e)
            }
        }
    }

    fn apply(&mut self, now: Instant, fact: Fact, side: Side) {
        match fact {
            Fact::Nothing => {}
            Fact::Copy => self.stats.copies = self.stats.copies.saturating_add(1),
            Fact::Alert(alert, key) => {
                if self.first(key, now) {
                    self.tell(now, alert, side);
                }
            }
            Fact::Chat(mut chat, key, user) => {
                let new = match key {
                    Some(key) => self.chats.first(key, now),
                    None => true,
                };
                if !new {
                    self.stats.duplicates = self.stats.duplicates.saturating_add(1);
                    return;
                }
                chat.first_words = match self.speakers.first(user) {
                    Spoke::First => true,
                    Spoke::Again => false,
                    Spoke::Full => {
                        self.stats.unmarked = self.stats.unmarked.saturating_add(1);
                        false
                    }
                };
                self.push(Alert::Chat(chat));
            }
            Fact::Live(live, key) => {
                // A copy from the other way in does not start first words again.
                if self.first(key, now) && self.tell(now, Alert::Live(live), side) {
                    self.speakers.clear();
                }
            }
            Fact::Gift(chunk, None) => {
                // A gift of the older shape is whole: told once per gifter and recipients.
                let key = chunk
                    .shape(KeyBuilder::new(Family::GiftShape, Window::Copy))
                    .finish();
                if self.first(Some(key), now) {
                    self.tell(now, Alert::GiftedSubscriptions(chunk.into_alert()), side);
                }
            }
            Fact::Gift(chunk, Some(key)) => self.join(now, key, chunk),
        }
    }

    fn join(&mut self, now: Instant, key: Key, chunk: gifts::Chunk) {
        if self.keys.contains(key, now) {
            self.stats.chunks_dropped = self.stats.chunks_dropped.saturating_add(1);
            return;
        }
        let chunk = match self.gifts.join(key, chunk, now) {
            Joined::Full(chunk) => chunk,
            Joined::Waiting => return,
            Joined::Copy => {
                self.stats.duplicates = self.stats.duplicates.saturating_add(1);
                return;
            }
            Joined::Dropped => {
                self.stats.chunks_dropped = self.stats.chunks_dropped.saturating_add(1);
                return;
            }
            Joined::Complete(gift) => return self.tell_gift(now, key, gift),
        };
        // No room for another gift: the oldest goes now, with what it has.
        if let Some((old, gift)) = self.gifts.take_oldest() {
            self.stats.gifts_flushed = self.stats.gifts_flushed.saturating_add(1);
            self.tell_gift(now, old, gift);
        }
        match self.gifts.join(key, chunk, now) {
            Joined::Complete(gift) => self.tell_gift(now, key, gift),
            Joined::Full(chunk) => {
                // No room at all (`GIFTS` is 0): the chunk is told as it is.
                self.keys.insert(key, now);
                let gift = Alert::GiftedSubscriptions(gifts::Chunk::into_alert(chunk));
                self.tell(now, gift, Side::Realtime);
            }
            Joined::Waiting | Joined::Copy | Joined::Dropped => {}
        }
    }

    /// Tells a joined gift and remembers its correlation id: its late chunks are not a second
    /// gift.
    fn tell_gift(&mut self, now: Instant, key: Key, gift: GiftedSubscriptions) {
        self.keys.insert(key, now);
        self.tell(now, Alert::GiftedSubscriptions(gift), Side::Realtime);
    }

    /// Tells `alert`, which came in from `side`, unless it is the copy of one the other way
    /// in told (its pair key is then taken, and the copy counted in [`Stats::duplicates`]);
    /// whether it was told. See `alerts/pair.rs`.
    fn tell(&mut self, now: Instant, alert: Alert, side: Side) -> bool {
        if let Some(theirs) = pair::key(&alert, side.other())
            && self.keys.take(theirs, now)
        {
            self.stats.duplicates = self.stats.duplicates.saturating_add(1);
            return false;
        }
        if let Some(ours) = pair::key(&alert, side) {
            self.keys.insert(ours, now);
        }
        self.push(alert);
        true
    }

    /// Whether the happening of `key` is new (and now remembered); a copy is counted.
    fn first(&mut self, key: Option<Key>, now: Instant) -> bool {
        let Some(key) = key else { return true };
        let new = self.keys.first(key, now);
        if !new {
            self.stats.duplicates = self.stats.duplicates.saturating_add(1);
        }
        new
    }

    fn push(&mut self, alert: Alert) {
        if self.queue.push(alert) {
            self.stats.alerts_dropped = self.stats.alerts_dropped.saturating_add(1);
        }
    }
}
