//! The message ids delivered lately: Kick retries a delivery until it is answered 200, so the
//! same message can arrive again (and again) after it was handed on.

use std::collections::{HashSet, VecDeque};

/// A bounded set of recent message ids: when full, the oldest id makes room for the new one.
///
/// Kick retries over minutes, and the replay window turns away anything older, so the set
/// only has to span the window: at the default 4,096 ids that is about 7 deliveries a second
/// for 10 minutes, far above one streamer's webhook traffic.
#[derive(Debug, Clone)]
pub(crate) struct RecentIds {
    ids: HashSet<Box<str>>,
    order: VecDeque<Box<str>>,
    capacity: usize,
}

impl RecentIds {
    /// An empty set that keeps at most `capacity` ids (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            ids: HashSet::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Adds `id` (which must not be in the set), dropping the oldest id if the set is full.
    pub(crate) fn insert(&mut self, id: &str) {
        if self.order.len() >= self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
        self.ids.insert(id.into());
        self.order.push_back(id.into());
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::RecentIds;

    #[test]
    fn the_oldest_id_goes_first() {
        let mut seen = RecentIds::new(3);
        for id in ["a", "b", "c"] {
            seen.insert(id);
        }
        assert!(seen.contains("a") && seen.contains("b") && seen.contains("c"));
        seen.insert("d");
        assert_eq!(seen.len(), 3);
        assert!(!seen.contains("a"));
        assert!(seen.contains("b") && seen.contains("c") && seen.contains("d"));
        seen.insert("e");
        assert!(!seen.contains("b"));
        assert!(seen.contains("c") && seen.contains("d") && seen.contains("e"));
    }

    #[test]
    fn a_capacity_of_zero_keeps_one() {
        let mut seen = RecentIds::new(0);
        seen.insert("a");
        assert!(seen.contains("a"));
        seen.insert("b");
        assert!(!seen.contains("a") && seen.contains("b"));
    }
}
