//! The alert queue: fixed capacity, no allocation; highest priority first, first come first
//! served within a priority; when full, the lowest priority goes.
//!
//! Contract: [`Queue::push`] never fails and reports exactly how many alerts it threw away, so
//! the board's drop counter is exact.

use heapless::Vec;

use crate::alert::Alert;

/// How many alerts wait at most (chats that joined a queued chat count as one).
pub(crate) const CAPACITY: usize = 16;

/// A waiting alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// What to show.
    pub(crate) alert: Alert,
    /// When it was pushed (ms): it never starts earlier.
    pub(crate) at_ms: u64,
    /// How many pushes it stands for: more than 1 only for chats that coalesced.
    pub(crate) weight: u32,
}

/// The waiting alerts, in push order.
#[derive(Debug)]
pub(crate) struct Queue {
    entries: Vec<Entry, CAPACITY>,
}

impl Queue {
    /// An empty queue.
    pub(crate) const fn new() -> Self {
        Queue {
            entries: Vec::new(),
        }
    }

    /// Adds `alert`, pushed at `at_ms`. Returns how many alerts were dropped to make room:
    /// the new one if nothing queued has a lower priority, else the newest of the lowest.
    pub(crate) fn push(&mut self, alert: Alert, at_ms: u64) -> u32 {
        if alert == Alert::Chat
            && let Some(chat) = self.entries.iter_mut().find(|e| e.alert == Alert::Chat)
        {
            chat.weight = chat.weight.saturating_add(1);
            return 0;
        }
        let entry = Entry {
            alert,
            at_ms,
            weight: 1,
        };
        let Err(entry) = self.entries.push(entry) else {
            return 0;
        };
        self.make_room(entry)
    }

    /// The queue is full: evicts the newest lowest-priority entry for `entry` if that has a
    /// lower priority than `entry`, else drops `entry`. Returns the pushes thrown away.
    fn make_room(&mut self, entry: Entry) -> u32 {
        // `max_by_key` keeps the last of equal keys: the newest of the lowest priority.
        let victim = self
            .entries
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| u8::MAX.saturating_sub(e.alert.priority()));
        let Some((index, lowest)) = victim else {
            return entry.weight;
        };
        if lowest.alert.priority() >= entry.alert.priority() {
            return entry.weight;
        }
        let lost = lowest.weight;
        // `index` comes from iterating the entries, so it is in bounds.
        self.entries.remove(index);
        // There is a free slot now, so this push cannot fail; if it did, the alert is lost
        // and counted.
        match self.entries.push(entry) {
            Ok(()) => lost,
            Err(e) => lost.saturating_add(e.weight),
        }
    }

    /// When the next alert can start if the strip is free from `free_at` (ms): the later of
    /// that and the earliest push; `None` when nothing waits.
    pub(crate) fn next_start(&self, free_at: u64) -> Option<u64> {
        let first = self.entries.iter().map(|e| e.at_ms).min()?;
        Some(first.max(free_at))
    }

    /// Removes and returns the alert to play at `start`: the highest priority among those
    /// pushed by then, the earliest pushed of equals.
    pub(crate) fn take(&mut self, start: u64) -> Option<Entry> {
        // `min_by_key` keeps the first of equal keys: the earliest pushed.
        let (index, _) = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.at_ms <= start)
            .min_by_key(|(_, e)| u8::MAX.saturating_sub(e.alert.priority()))?;
        // `index` comes from iterating the entries, so it is in bounds.
        Some(self.entries.remove(index))
    }
}
