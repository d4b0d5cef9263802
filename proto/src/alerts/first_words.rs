//! Who has spoken since the stream went live: a fixed set of `N` user hashes (open addressing,
//! linear probing), so that a chatter's first message can be told from the rest.
//!
//! When the set is full nobody new is marked: marking would mean forgetting someone, whose
//! next message would then be claimed as their first words a second time. The machine counts
//! each message it could not mark ([`Stats::unmarked`](super::Stats::unmarked)).

/// What [`Speakers::first`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spoke {
    /// Their first message: now remembered.
    First,
    /// They have spoken before.
    Again,
    /// Not known, and no room to remember them: not marked.
    Full,
}

/// The users seen since the last [`clear`](Self::clear).
#[derive(Debug, Clone)]
pub(crate) struct Speakers<const N: usize> {
    /// 0 is an empty slot; a user whose hash is 0 is stored as 1 (one more possible collision
    /// in 2^64).
    slots: [u64; N],
}

impl<const N: usize> Default for Speakers<N> {
    fn default() -> Self {
        Self { slots: [0; N] }
    }
}

impl<const N: usize> Speakers<N> {
    /// Looks `user` up, remembering it if new and there is room.
    pub(crate) fn first(&mut self, user: u64) -> Spoke {
        let user = user.max(1);
        // The low bits of an FNV hash are as mixed as the high ones.
        let n = u64::try_from(N).unwrap_or(u64::MAX);
        let start = usize::try_from(user.checked_rem(n).unwrap_or(0)).unwrap_or(0);
        let (wrapped, from_start) = self.slots.split_at_mut(start.min(N));
        for slot in from_start.iter_mut().chain(wrapped.iter_mut()) {
            if *slot == user {
                return Spoke::Again;
            }
            if *slot == 0 {
                *slot = user;
                return Spoke::First;
            }
        }
        Spoke::Full
    }

    /// Forgets everyone: the stream went live again.
    pub(crate) fn clear(&mut self) {
        self.slots = [0; N];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_again_and_full() {
        let mut s: Speakers<3> = Speakers::default();
        assert_eq!(s.first(10), Spoke::First);
        assert_eq!(s.first(10), Spoke::Again);
        // 13 and 16 start at the same slot as 10 (mod 3) and probe on.
        assert_eq!(s.first(13), Spoke::First);
        assert_eq!(s.first(16), Spoke::First);
        assert_eq!(s.first(13), Spoke::Again);
        assert_eq!(s.first(16), Spoke::Again);
        assert_eq!(s.first(11), Spoke::Full);
        assert_eq!(s.first(11), Spoke::Full); // never marked, never claimed later
        assert_eq!(s.first(10), Spoke::Again);
        s.clear();
        assert_eq!(s.first(11), Spoke::First);
        // Hash 0 is a user like any other.
        assert_eq!(s.first(0), Spoke::First);
        assert_eq!(s.first(0), Spoke::Again);
        let mut none: Speakers<0> = Speakers::default();
        assert_eq!(none.first(5), Spoke::Full);
    }
}
