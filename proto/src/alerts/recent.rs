//! The keys of recent happenings: a fixed ring of `N` (hash, when seen) pairs, the oldest
//! overwritten first. A key is a copy while it is in the ring and within its window.

use super::key::Key;
use crate::conn::Instant;

/// The last `N` keys seen.
#[derive(Debug, Clone)]
pub(crate) struct Recent<const N: usize> {
    seen: [(u64, Instant); N],
    /// Where the next key goes.
    next: usize,
    /// Entries written so far, up to `N` (the unwritten ones are not keys).
    len: usize,
}

impl<const N: usize> Default for Recent<N> {
    fn default() -> Self {
        Self {
            seen: [(0, Instant::from_millis(0)); N],
            next: 0,
            len: 0,
        }
    }
}

impl<const N: usize> Recent<N> {
    /// Whether `key` was seen within its window before `now`. A clock that went backwards
    /// counts as no time passed (a copy rather than a second alert).
    pub(crate) fn contains(&self, key: Key, now: Instant) -> bool {
        let window = key.window.millis();
        self.seen.iter().take(self.len).any(|&(hash, at)| {
            hash == key.hash && now.as_millis().saturating_sub(at.as_millis()) < window
        })
    }

    /// Remembers `key` as seen at `now`, forgetting the oldest key when full.
    pub(crate) fn insert(&mut self, key: Key, now: Instant) {
        if let Some(slot) = self.seen.get_mut(self.next) {
            *slot = (key.hash, now);
            self.next = self.next.saturating_add(1).checked_rem(N).unwrap_or(0);
            self.len = self.len.saturating_add(1).min(N);
        }
    }

    /// Forgets the oldest entry of `key` within its window, if any: whether there was one. The
    /// newer entries move back one place, so the ring's order (oldest overwritten first) holds.
    pub(crate) fn take(&mut self, key: Key, now: Instant) -> bool {
        let window = key.window.millis();
        // Entries in the order they came: the oldest at `start`.
        let start = self
            .next
            .saturating_add(N)
            .saturating_sub(self.len)
            .checked_rem(N)
            .unwrap_or(0);
        let at = |j: usize| start.saturating_add(j).checked_rem(N).unwrap_or(0);
        let found = (0..self.len).find(|&j| {
            self.seen.get(at(j)).is_some_and(|&(hash, seen)| {
                hash == key.hash && now.as_millis().saturating_sub(seen.as_millis()) < window
            })
        });
        let Some(found) = found else { return false };
        for j in found..self.len.saturating_sub(1) {
            let newer = self.seen.get(at(j.saturating_add(1))).copied();
            if let (Some(newer), Some(slot)) = (newer, self.seen.get_mut(at(j))) {
                *slot = newer;
            }
        }
        self.len = self.len.saturating_sub(1);
        self.next = self
            .next
            .saturating_add(N)
            .saturating_sub(1)
            .checked_rem(N)
            .unwrap_or(0);
        true
    }

    /// `contains`, then `insert`: true when `key` is new (the happening is to be told).
    pub(crate) fn first(&mut self, key: Key, now: Instant) -> bool {
        if self.contains(key, now) {
            return false;
        }
        self.insert(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::Window;
    use super::*;

    fn key(hash: u64, window: Window) -> Key {
        Key { hash, window }
    }

    #[test]
    fn a_key_is_a_copy_within_its_window_only() {
        let mut r: Recent<4> = Recent::default();
        let t = Instant::from_millis(1_000);
        assert!(r.first(key(7, Window::Copy), t));
        assert!(!r.first(key(7, Window::Copy), t));
        // 119.999 s later still a copy, 120 s later a new happening.
        assert!(r.contains(key(7, Window::Copy), Instant::from_millis(120_999)));
        assert!(!r.contains(key(7, Window::Copy), Instant::from_millis(121_000)));
        // A clock gone backwards: still a copy.
        assert!(r.contains(key(7, Window::Copy), Instant::from_millis(0)));
        // Hash 0 is a key like any other, not an empty slot.
        assert!(!r.contains(key(0, Window::Id), t));
        assert!(r.first(key(0, Window::Id), t));
        assert!(!r.first(key(0, Window::Id), t));
    }

    #[test]
    fn take_forgets_one_entry_and_keeps_the_order() {
        let t = Instant::from_millis(10);
        // Not full: 1, 2, 1 then take 1 twice.
        let mut r: Recent<4> = Recent::default();
        for h in [1, 2, 1] {
            r.insert(key(h, Window::Id), t);
        }
        assert!(r.take(key(1, Window::Id), t));
        assert!(r.contains(key(1, Window::Id), t)); // the second 1 is left
        assert!(r.take(key(1, Window::Id), t));
        assert!(!r.take(key(1, Window::Id), t));
        assert!(r.contains(key(2, Window::Id), t));
        // Full and wrapped: 3, 4, 5 in a ring of 3 after 1, 2 were overwritten; take 4, then
        // two inserts overwrite 3 (the oldest) then 5, never the newest.
        let mut r: Recent<3> = Recent::default();
        for h in 1..=5 {
            r.insert(key(h, Window::Id), t);
        }
        assert!(r.take(key(4, Window::Id), t));
        assert!(!r.contains(key(4, Window::Id), t));
        r.insert(key(6, Window::Id), t); // fills the freed room
        assert!([3, 5, 6].iter().all(|&h| r.contains(key(h, Window::Id), t)));
        r.insert(key(7, Window::Id), t); // overwrites 3
        assert!(!r.contains(key(3, Window::Id), t));
        assert!([5, 6, 7].iter().all(|&h| r.contains(key(h, Window::Id), t)));
        // Outside its window an entry is not taken.
        let mut r: Recent<2> = Recent::default();
        r.insert(key(9, Window::Copy), t);
        assert!(!r.take(key(9, Window::Copy), Instant::from_millis(10 + 120_000)));
        let mut none: Recent<0> = Recent::default();
        none.insert(key(1, Window::Id), t);
        assert!(!none.take(key(1, Window::Id), t));
    }

    #[test]
    fn the_oldest_key_is_forgotten_first() {
        let mut r: Recent<3> = Recent::default();
        let t = Instant::from_millis(5);
        for h in 1..=4 {
            assert!(r.first(key(h, Window::Id), t));
        }
        assert!(r.first(key(1, Window::Id), t)); // forgotten: 4 overwrote it
        assert!(!r.first(key(3, Window::Id), t));
        assert!(!r.first(key(4, Window::Id), t));
        let mut none: Recent<0> = Recent::default();
        assert!(none.first(key(1, Window::Id), t));
        assert!(none.first(key(1, Window::Id), t));
    }
}
