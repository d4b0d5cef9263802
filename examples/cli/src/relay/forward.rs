//! The relay's one path for a Kick event: seen before? (then it is a copy and stops here),
//! otherwise out to every sink on the channel it came on, with Kick's secrets already taken out.
//!
//! The upstream connections (one per Kick chat) and the webhook server call
//! [`Forwarder::event`] from their own threads; the set of recent fingerprints is shared, so a
//! copy is caught whichever path brought the first one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::copies::Copies;
use super::sink::Sink;

/// How many fingerprints are remembered (about 40 bytes each, 2.5 MiB in all): a two-minute
/// window of 500 events a second across every relayed chat. Past that the oldest goes first,
/// and a copy arriving after its fingerprint went is forwarded again (never lost).
pub const COPIES_CAPACITY: usize = 1 << 16;
/// How long an event's copies are caught: Kick's copies (a second transport, a reconnect)
/// arrive within seconds.
pub const COPIES_WINDOW: Duration = Duration::from_secs(120);

/// Events in and out, for `/metrics` and the status line.
///
/// An event's outcome (forwarded or a copy) is counted before the event is counted as
/// received, all in one order (`SeqCst`): a reader that loads `received` first then finds
/// `forwarded + copies` at least as large, so a test or a dashboard never sees an event in
/// but neither out nor a copy.
#[derive(Debug, Default)]
pub struct Counts {
    /// Kick events received, copies included.
    pub received: AtomicU64,
    /// Forwarded to the sinks (once each).
    pub forwarded: AtomicU64,
    /// Not forwarded: a copy of one already forwarded.
    pub copies: AtomicU64,
    /// Alerts published on `kickwire-alerts.{room}`.
    pub alerts: AtomicU64,
}

impl Counts {
    fn add(n: &AtomicU64) {
        n.fetch_add(1, Ordering::SeqCst);
    }
}

/// Sends each event once to every sink.
pub struct Forwarder {
    copies: Mutex<Copies>,
    sinks: Vec<Arc<dyn Sink>>,
    /// Events and alerts counted.
    pub counts: Counts,
}

impl Forwarder {
    /// A forwarder into `sinks`, with the default window for copies.
    #[must_use]
    pub fn new(sinks: Vec<Arc<dyn Sink>>) -> Self {
        Self::with_copies(sinks, Copies::new(COPIES_CAPACITY, COPIES_WINDOW))
    }

    /// A forwarder remembering fingerprints in `copies`.
    #[must_use]
    pub fn with_copies(sinks: Vec<Arc<dyn Sink>>, copies: Copies) -> Self {
        Self {
            copies: Mutex::new(copies),
            sinks,
            counts: Counts::default(),
        }
    }

    /// One Kick event received at `now_ms` (any clock, the same for every caller): forwarded
    /// on `channel` as `event` with `payload` (redacted already) unless a copy was.
    /// Whether it was forwarded.
    pub fn event(&self, now_ms: u64, channel: &str, event: &str, payload: &str) -> bool {
        // A poisoned lock only means another thread panicked mid-insert: the set is still a
        // set, and the relay must go on.
        let mut copies = self.copies.lock().unwrap_or_else(PoisonError::into_inner);
        let fp = copies.fingerprint(channel, short_name(event), payload.as_bytes());
        if !copies.first_time(now_ms, fp) {
            drop(copies);
            Counts::add(&self.counts.copies);
            Counts::add(&self.counts.received);
            return false;
        }
        Counts::add(&self.counts.forwarded);
        Counts::add(&self.counts.received);
        // Still under the lock: with two upstreams of one chat, the thread that took m0 first
        // must hand it to the sinks before the other thread (which found m0 a copy) can hand
        // them m1, or clients see m1 before m0. The sinks only queue: at worst this waits on the
        // endpoint's bounded hand-off, which every upstream thread would wait on anyway.
        self.publish(channel, event, payload);
        true
    }

    /// Publishes an alert's JSON on `kickwire-alerts.{room}` as `kickwire:alert`.
    pub fn alert(&self, room: u64, json: &str) {
        Counts::add(&self.counts.alerts);
        self.publish(&alerts_channel(room), ALERT_EVENT, json);
    }

    /// Publishes anything else once (a verified webhook delivery, say), not fingerprinted.
    pub fn publish(&self, channel: &str, event: &str, data: &str) {
        for sink in &self.sinks {
            sink.publish(channel, event, data);
        }
    }
}

/// The event name of an alert.
pub const ALERT_EVENT: &str = "kickwire:alert";

/// The channel a chat's alerts go out on: `kickwire-alerts.{room}`.
#[must_use]
pub fn alerts_channel(room: u64) -> String {
    format!("kickwire-alerts.{room}")
}

/// The event's name without Kick's PHP namespace (`App\Events\ChatMessageEvent` and
/// `ChatMessageEvent` are one event: the transports have written both).
fn short_name(event: &str) -> &str {
    event.strip_prefix("App\\Events\\").unwrap_or(event)
}
