//! What a [`Publisher`](super::Publisher) did, for `/metrics` and for its caller.

use std::collections::BTreeMap;

use super::DropReason;

/// Whether the engine answered the last request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// No request has been made yet.
    #[default]
    Unknown,
    /// The last request got an answer other than 5xx (a refusal included: the engine is
    /// there, and says no).
    Up,
    /// The last request could not connect, timed out, got no HTTP answer, or got a 5xx.
    Down,
}

/// The publisher's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events waiting now, the request in flight included.
    pub queued: usize,
    /// Events the engine accepted (a 2xx answer to their batch).
    pub published: u64,
    /// Batches the engine accepted.
    pub batches: u64,
    /// HTTP requests made, whatever their outcome.
    pub requests: u64,
    /// Requests that failed in a way worth retrying (no connection, a timeout, 5xx, 429).
    pub retries: u64,
    /// Events dropped, by reason.
    pub dropped: BTreeMap<DropReason, u64>,
    /// The last failure: a connection error, or the engine's status and answer.
    pub last_error: Option<String>,
    /// Whether the engine answered the last request.
    pub engine: Engine,
}

impl Stats {
    /// Events dropped for `reason`.
    #[must_use]
    pub fn dropped(&self, reason: DropReason) -> u64 {
        self.dropped.get(&reason).copied().unwrap_or(0)
    }

    /// Events dropped, all reasons together.
    #[must_use]
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }

    pub(super) fn drop_events(&mut self, reason: DropReason, n: usize) {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        let count = self.dropped.entry(reason).or_insert(0);
        *count = count.saturating_add(n);
    }
}
