//! One happening seen on both ways in: Kick's realtime feed (Pusher or Centrifugo) and its
//! signed webhooks. The two share no id for most kinds (a webhook names no transaction, ban,
//! livestream or gift correlation id), and a webhook comes up to minutes late, so an alert of
//! a kind both tell leaves a *pair key* behind, made from what both say of it (the alert
//! itself, so the two cannot make it differently), marked with the way it came in. The first
//! alert from the other way with the same content takes that key (it is forgotten) and is not
//! told. A key is taken once: two real happenings that look alike (the same Kicks gift sent
//! twice by one viewer) each find their own copy, in order, and a copy never swallows a second
//! happening. Copies within one way in are caught before, by the usual keys (`facts.rs`);
//! webhook retries by the caller's seen-ids set (the CLI's webhook judge).
//!
//! What the pair key holds, per kind (both ways read it into the same alert):
//! - a sub: the subscriber's name (a user subscribes once a month);
//! - gifted subs: the gifter's name and the count (the realtime gift's correlation id is not in
//!   the webhook);
//! - a Kicks gift: the sender, the gift's name and its amount;
//! - a ban or timeout: the banned user and whether it is a ban or a timeout;
//! - a reward: the redeemer, the reward's title and what they typed;
//! - live and end: the kind alone (one channel per machine; a restart within the window is
//!   matched in order).

use super::alert::Alert;
use super::key::{Family, Key, KeyBuilder, Window};

/// The way an event came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Pusher or Centrifugo.
    Realtime,
    /// A verified webhook delivery.
    Official,
}

impl Side {
    pub(crate) const fn other(self) -> Self {
        match self {
            Self::Realtime => Self::Official,
            Self::Official => Self::Realtime,
        }
    }
}

/// The pair key `alert` leaves when it came in from `side`, for the kinds both ways tell.
pub(crate) fn key(alert: &Alert, side: Side) -> Option<Key> {
    let k = KeyBuilder::new(Family::Pair, Window::Pair)
        .text(alert.kind_name())
        .number(Some(side as u64));
    let k = match alert {
        Alert::Subscription(s) => k.name(&s.username),
        Alert::GiftedSubscriptions(g) => k.name(&g.gifter).number(Some(u64::from(g.count))),
        Alert::KicksGift(g) => k.name(&g.sender).text(&g.gift).number(Some(g.amount)),
        Alert::Ban(b) => k.name(&b.username).number(Some(u64::from(b.permanent))),
        Alert::Reward(r) => k.name(&r.username).text(&r.title).text(&r.input),
        Alert::Live(_) | Alert::End => k,
        Alert::Chat(_)
        | Alert::Host(_)
        | Alert::Unban(_)
        | Alert::MessageDeleted(_)
        | Alert::ChatClear
        | Alert::Pinned(_)
        | Alert::Unpinned
        | Alert::Poll(_)
        | Alert::Prediction(_)
        | Alert::Goal(_)
        | Alert::Follow(_) => return None,
    };
    Some(k.finish())
}
