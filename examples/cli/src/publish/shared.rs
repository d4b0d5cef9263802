//! The state the publishing threads share, behind one lock.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::{Queue, Stats};

/// The queue, the counters and the stop signals.
#[derive(Debug)]
pub(super) struct State {
    pub queue: Queue,
    pub stats: Stats,
    /// Set by `shutdown`: send what is queued until then, then stop.
    pub closing: Option<Instant>,
    /// Stop after the request being made, sending nothing more.
    pub stop: bool,
    /// The sender has returned.
    pub finished: bool,
}

/// [`State`] with the condition variable that signals each change of it.
#[derive(Debug)]
pub(super) struct Shared {
    state: Mutex<State>,
    pub changed: Condvar,
}

impl Shared {
    pub fn new(queue: Queue) -> Self {
        Self {
            state: Mutex::new(State {
                queue,
                stats: Stats::default(),
                closing: None,
                stop: false,
                finished: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// The state. A thread that panicked while holding the lock left counters, not broken
    /// invariants, so a poisoned lock is used as it is.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a change, at most until `until` (for ever when `None`).
    pub fn wait<'a>(
        &self,
        guard: MutexGuard<'a, State>,
        until: Option<Instant>,
    ) -> MutexGuard<'a, State> {
        match until {
            None => self
                .changed
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner),
            Some(t) => {
                let left = t.saturating_duration_since(Instant::now());
                self.changed
                    .wait_timeout(guard, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        }
    }
}

impl State {
    /// Whether the sender must stop now: told to, or closing and past the deadline.
    pub fn must_stop(&self, now: Instant) -> bool {
        self.stop || self.closing.is_some_and(|deadline| now >= deadline)
    }
}
