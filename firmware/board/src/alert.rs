//! What the board reacts to: the few Kick events that light the strip, reduced to the numbers
//! the animations need.

use kickwire_proto::JsonEvent;
use kickwire_proto::json::probe;
use kickwire_proto::kick::{Event, EventKind};

/// One thing that happened on the stream that the board shows.
///
/// Made from a Kick event left as JSON with [`Alert::from_json`] (what the board does: no typed
/// event slot), from a decoded one with [`Alert::from_event`], or directly (tests). Queued alerts play one at a time, highest priority first:
/// `GiftedSubs` > `Kicks` > `Subscription` > `Host` > `Chat`. `Live` and `End` are not queued:
/// they switch the strip's base glow on and off at once.
///
/// ```
/// use kickwire_board::Alert;
/// use kickwire_proto::kick::Event;
/// let payload = br#"{"chatroom_id":4598,"username":"micke747","months":38}"#;
/// let event = Event::decode("App\\Events\\SubscriptionEvent", payload)?;
/// assert_eq!(Alert::from_event(&event), Some(Alert::Subscription { months: 38 }));
/// # Ok::<(), kickwire_proto::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Alert {
    /// Someone gifted `count` subscriptions (`GiftedSubscriptions.gifted_count`, exact even
    /// when the recipient list was cut): a sparkle burst that grows with the count.
    GiftedSubs {
        /// How many subscriptions were gifted.
        count: u32,
    },
    /// Someone subscribed (`Subscription`): a purple pulse.
    Subscription {
        /// Months subscribed; 1 when the event does not say.
        months: u32,
    },
    /// Someone gifted Kicks (`KicksGifted`): a double gold pulse.
    Kicks {
        /// The gift's value in Kicks (saturated at `u32::MAX`).
        amount: u32,
    },
    /// Another channel hosts this one (`StreamHost`): a cyan comet along the strip.
    Host {
        /// Viewers brought (0 when the event does not say; saturated at `u32::MAX`).
        viewers: u32,
    },
    /// A chat message (`ChatMessage`): a brief flicker; chats that arrive while one waits in
    /// the queue join it instead of piling up.
    Chat,
    /// The stream went live (`StreamerIsLive`): the green base glow comes on.
    Live,
    /// The stream ended (`StreamEnd`): the base glow fades out.
    End,
}

impl Alert {
    /// The board's reaction to a Kick event, if it has one; `None` for every event the board
    /// ignores (bans, polls, leaderboards, ...), and for the channel-side copies of an alert
    /// it already shows: `ChannelSubscription` (Kick also sends the sub as `Subscription`, with
    /// its months), `StreamHosted` and `LuckyUsersWhoGotGiftSubscriptions`.
    #[must_use]
    pub fn from_event(event: &Event) -> Option<Alert> {
        match event {
            Event::GiftedSubscriptions(g) => Some(Alert::GiftedSubs {
                count: g.gifted_count,
            }),
            Event::Subscription(s) => Some(Alert::Subscription {
                months: s.months.unwrap_or(1),
            }),
            Event::KicksGifted(k) => Some(Alert::Kicks {
                amount: saturate(k.gift.amount),
            }),
            Event::StreamHost(h) => Some(Alert::Host {
                viewers: h.number_viewers.map_or(0, saturate),
            }),
            Event::ChatMessage(_) => Some(Alert::Chat),
            Event::StreamerIsLive(_) => Some(Alert::Live),
            Event::StreamEnd(_) => Some(Alert::End),
            _ => None,
        }
    }

    /// The board's reaction to a Kick event left as JSON (its kind and payload, as
    /// [`link`](crate::link) gives them), reading only the numbers it needs with
    /// [`probe`]: no typed event (several KB) is decoded. The same alert as
    /// [`from_event`](Self::from_event) on the decoded event, and `None` for a payload that is
    /// not a well-formed JSON object. Two differences, in payloads no server sends: a bad
    /// escape (`"\g"`) inside a string makes typed decoding fail but not this; and when the
    /// `gift` object repeats, the last one alone counts, where typed decoding merges them.
    ///
    /// ```
    /// use kickwire_board::Alert;
    /// let mut frame = br#"{"event":"App\\Events\\GiftedSubscriptionsEvent","data":"{\"chatroom_id\":1,\"gifted_usernames\":[\"a\",\"b\"],\"gifter_username\":\"court\"}","channel":"chatrooms.1.v2"}"#.to_vec();
    /// let mut events = kickwire_proto::json_events(&mut frame);
    /// let Some(Ok(event)) = events.next() else { panic!() };
    /// assert_eq!(Alert::from_json(&event), Some(Alert::GiftedSubs { count: 2 }));
    /// ```
    #[must_use]
    pub fn from_json(event: &JsonEvent<'_>) -> Option<Alert> {
        use EventKind as K;
        // Checked for every event the board shows, also those whose content it ignores, as
        // typed decoding would; never for the others.
        let payload = || probe::object(event.payload).ok();
        Some(match event.kind {
            K::GiftedSubscriptions => Alert::GiftedSubs {
                count: payload()?
                    .array_len("gifted_usernames")
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
            },
            K::Subscription => Alert::Subscription {
                months: payload()?.u64("months").map_or(1, saturate),
            },
            K::KicksGifted => Alert::Kicks {
                amount: payload()?
                    .object("gift")
                    .and_then(|g| g.u64("amount"))
                    .map_or(0, saturate),
            },
            K::StreamHost => Alert::Host {
                viewers: payload()?.u64("number_viewers").map_or(0, saturate),
            },
            K::ChatMessage => payload().map(|_| Alert::Chat)?,
            K::StreamerIsLive => payload().map(|_| Alert::Live)?,
            K::StreamEnd => payload().map(|_| Alert::End)?,
            _ => return None,
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
