//! The endpoint's counters: atomics the event loop bumps, read at any time by
//! [`Endpoint::stats`](super::Endpoint::stats) (e.g. from the relay's `/metrics` hook).

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the endpoint's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// WebSocket clients connected now (handshake done, not closing).
    pub clients_now: u64,
    /// WebSocket clients accepted since the start.
    pub clients_total: u64,
    /// (client, channel) subscriptions now.
    pub subscriptions_now: u64,
    /// Frames written whole to clients' sockets (events, replies, pings, close frames).
    pub frames_out: u64,
    /// Clients closed with 4100 because their queue was full (they read too slowly).
    pub slow_clients_dropped: u64,
    /// Clients closed with 4201 because they did not answer `pusher:ping` in time.
    pub activity_timeouts: u64,
    /// Messages from clients the endpoint refused: bad JSON, client events, private or
    /// presence channels, bad channel names, unknown events, WebSocket protocol errors.
    pub bad_client_messages: u64,
    /// Connections refused with HTTP 503 because `max_clients` were connected.
    pub refused_over_capacity: u64,
    /// Plain HTTP requests answered (by the hook, or 404/413/...).
    pub http_requests: u64,
}

/// The live counters behind [`Stats`].
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) clients_now: AtomicU64,
    pub(super) clients_total: AtomicU64,
    pub(super) subscriptions_now: AtomicU64,
    pub(super) frames_out: AtomicU64,
    pub(super) slow_clients_dropped: AtomicU64,
    pub(super) activity_timeouts: AtomicU64,
    pub(super) bad_client_messages: AtomicU64,
    pub(super) refused_over_capacity: AtomicU64,
    pub(super) http_requests: AtomicU64,
}

/// Adds one (or `n`) to a counter; relaxed, as each counter stands alone.
pub(super) fn bump(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// Takes one (or `n`) from a gauge.
pub(super) fn drop_by(counter: &AtomicU64, n: u64) {
    counter.fetch_sub(n, Ordering::Relaxed);
}

impl Counters {
    pub(super) fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            clients_now: get(&self.clients_now),
            clients_total: get(&self.clients_total),
            subscriptions_now: get(&self.subscriptions_now),
            frames_out: get(&self.frames_out),
            slow_clients_dropped: get(&self.slow_clients_dropped),
            activity_timeouts: get(&self.activity_timeouts),
            bad_client_messages: get(&self.bad_client_messages),
            refused_over_capacity: get(&self.refused_over_capacity),
            http_requests: get(&self.http_requests),
        }
    }
}
