//! Kick's copies merged before the strip lights: proto's alert machine
//! ([`kickwire_proto::alerts`]) with the board's capacities ([`memory::Alerts`]), fed the JSON
//! events the link hands out, its alerts turned into the board's ([`Alert::from_proto`]).
//!
//! Kick sends one sub as up to five events, a host as two, and a big gift in chunks; shown
//! event by event, a sub would pulse twice and a gift of 50 would burst once per chunk, each
//! burst sized by its chunk. Through the machine, each happening is one alert: one pulse per
//! sub, one comet per host, one burst per gift sized by the whole gift.

use kickwire_proto::JsonEvent;
use kickwire_proto::alerts::Stats;
use kickwire_proto::conn::Instant;

use crate::Alert;
use crate::memory;

/// The board's alert machine. Feed it every Kick event ([`handle_json`](Self::handle_json)),
/// and call [`handle_timeout`](Self::handle_timeout) at [`poll_timeout`](Self::poll_timeout):
/// a gift whose chunks are not all in is shown when its wait ends.
///
/// ```
/// use kickwire_board::{Alert, Machine};
/// use kickwire_proto::conn::Instant;
/// // The same sub on two channel names (real frames, 2026-09-27): one pulse.
/// let frames = [
///     br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":4598,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.4598.v2"}"#.to_vec(),
///     br#"{"event":"App\\Events\\ChannelSubscriptionEvent","data":"{\"user_ids\":[218739],\"username\":\"micke747\",\"channel_id\":4599}","channel":"channel_4599"}"#.to_vec(),
/// ];
/// let mut machine = Machine::new();
/// let mut shown = Vec::new();
/// for (ms, mut frame) in [0u64, 30].into_iter().zip(frames) {
///     let mut events = kickwire_proto::json_events(&mut frame);
///     while let Some(Ok(event)) = events.next() {
///         machine.handle_json(Instant::from_millis(ms), &event, |a| shown.push(a));
///     }
/// }
/// assert_eq!(shown, [Alert::Subscription { months: 38 }]);
/// ```
#[derive(Debug, Clone)]
pub struct Machine {
    alerts: memory::Alerts,
}

impl Default for Machine {
    fn default() -> Self {
        Self::new()
    }
}

impl Machine {
    /// A machine that has seen nothing yet.
    #[must_use]
    pub fn new() -> Self {
        Self {
            alerts: memory::Alerts::with_capacities(),
        }
    }

    /// Takes in a Kick event (left as JSON) received at `now` and hands each board alert it
    /// makes to `show`: none for a copy of a happening already shown, for a gift chunk while
    /// the gift waits for the others, and for what the board does not show; a payload that
    /// cannot be read is counted ([`Stats::unreadable`]) and shows nothing.
    pub fn handle_json(
        &mut self,
        now: Instant,
        event: &JsonEvent<'_>,
        mut show: impl FnMut(Alert),
    ) {
        // Gifts whose wait ended go first, and alone: the machine's queue then has room for
        // all this event makes (see `memory::MACHINE_ALERTS`).
        self.handle_timeout(now, &mut show);
        // An unreadable payload is counted in the stats; the board has nothing to show for it.
        let _ = self.alerts.handle_json(now, event);
        self.drain(&mut show);
    }

    /// Shows the gifts whose wait for a missing chunk ended by `now`, with what came.
    pub fn handle_timeout(&mut self, now: Instant, mut show: impl FnMut(Alert)) {
        self.alerts.handle_timeout(now);
        self.drain(&mut show);
    }

    /// When [`handle_timeout`](Self::handle_timeout) has something to do: the end of the wait
    /// of a gift still missing chunks, or `None`.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.alerts.poll_timeout()
    }

    /// What the machine merged and dropped so far (`copies` and `duplicates`: the pulses the
    /// board did not repeat).
    #[must_use]
    pub const fn stats(&self) -> Stats {
        self.alerts.stats()
    }

    fn drain(&mut self, show: &mut impl FnMut(Alert)) {
        while let Some(alert) = self.alerts.poll_alert() {
            if let Some(alert) = Alert::from_proto(&alert) {
                show(alert);
            }
        }
    }
}
