//! What the board reacts to: the few alerts that light the strip, reduced to the numbers the
//! animations need.

use kickwire_proto::alerts::Alert as ProtoAlert;

/// One thing that happened on the stream that the board shows.
///
/// Made from proto's alerts with [`Alert::from_proto`] (what [`Machine`](crate::Machine) does
/// with each Kick event, so that Kick's copies of one happening light the strip once), or
/// directly (tests). Queued alerts play one at a time, highest priority first:
/// `GiftedSubs` > `Kicks` > `Subscription` > `Host` > `Chat`. `Live` and `End` are not queued:
/// they switch the strip's base glow on and off at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Alert {
    /// Someone gifted `count` subscriptions (all chunks of the gift together, exact even when
    /// the recipient list was cut): a sparkle burst that grows with the count.
    GiftedSubs {
        /// How many subscriptions were gifted.
        count: u32,
    },
    /// Someone subscribed (one pulse however many copies Kick sent): a purple pulse.
    Subscription {
        /// Months subscribed; 1 when the event does not say.
        months: u32,
    },
    /// Someone gifted Kicks: a double gold pulse.
    Kicks {
        /// The gift's value in Kicks (saturated at `u32::MAX`).
        amount: u32,
    },
    /// Another channel hosts this one (once, though Kick sends two events): a cyan comet
    /// along the strip.
    Host {
        /// Viewers brought (0 when the event does not say; saturated at `u32::MAX`).
        viewers: u32,
    },
    /// A chat message: a brief flicker; chats that arrive while one waits in
    /// the queue join it instead of piling up.
    Chat,
    /// The stream went live: the green base glow comes on.
    Live,
    /// The stream ended: the base glow fades out.
    End,
}

impl Alert {
    /// The board's reaction to one of proto's alerts (one per happening, Kick's copies already
    /// merged by [`Machine`](crate::Machine)), if it has one; `None` for the alerts the board
    /// ignores (bans, polls, pins, goals, ...).
    ///
    /// A gift's burst is sized by its [`count`](kickwire_proto::alerts::GiftedSubscriptions::count),
    /// the recipients of all its chunks together (exact even when the names were cut); a sub
    /// without its months counts as 1 month.
    ///
    /// ```
    /// use kickwire_board::Alert;
    /// use kickwire_proto::alerts::{self, GiftedSubscriptions};
    /// let gift = alerts::Alert::GiftedSubscriptions(GiftedSubscriptions {
    ///     count: 5,
    ///     chunks: 3,
    ///     complete: true,
    ///     ..GiftedSubscriptions::default()
    /// });
    /// assert_eq!(Alert::from_proto(&gift), Some(Alert::GiftedSubs { count: 5 }));
    /// ```
    #[must_use]
    pub fn from_proto(alert: &ProtoAlert) -> Option<Alert> {
        Some(match alert {
            ProtoAlert::GiftedSubscriptions(g) => Alert::GiftedSubs { count: g.count },
            ProtoAlert::Subscription(s) => Alert::Subscription {
                months: s.months.unwrap_or(1),
            },
            ProtoAlert::KicksGift(k) => Alert::Kicks {
                amount: saturate(k.amount),
            },
            ProtoAlert::Host(h) => Alert::Host {
                viewers: h.viewers.map_or(0, saturate),
            },
            ProtoAlert::Chat(_) => Alert::Chat,
            ProtoAlert::Live(_) => Alert::Live,
            ProtoAlert::End => Alert::End,
            ProtoAlert::Reward(_)
            | ProtoAlert::Ban(_)
            | ProtoAlert::Unban(_)
            | ProtoAlert::MessageDeleted(_)
            | ProtoAlert::ChatClear
            | ProtoAlert::Pinned(_)
            | ProtoAlert::Unpinned
            | ProtoAlert::Poll(_)
            | ProtoAlert::Prediction(_)
            | ProtoAlert::Goal(_)
            | ProtoAlert::Follow(_) => return None,
        })
    }

    /// Queue order: higher plays first, and the lowest is dropped first when the queue is full.
    #[must_use]
    pub(crate) const fn priority(self) -> u8 {
        match self {
            Alert::GiftedSubs { .. } => 5,
            Alert::Kicks { .. } => 4,
            Alert::Subscription { .. } => 3,
            Alert::Host { .. } => 2,
            Alert::Live | Alert::End => 1,
            Alert::Chat => 0,
        }
    }
}

/// `v` as a `u32`, `u32::MAX` if it does not fit.
fn saturate(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
