//! Reconnect delays: exponential back-off with seeded jitter.
//!
//! 1, 2, 4, 8, 16 s (the cap) after consecutive failures, each plus 0-1 s of jitter so that a
//! fleet of boards that lost the same server does not come back in lockstep. The jitter comes
//! from a small PRNG seeded by the driver ([`Config::rng_seed`](super::Config::rng_seed)), so a
//! test or a fuzz run is reproducible.

use core::time::Duration;

/// The first delay; each further failure doubles it up to [`MAX_MS`].
const BASE_MS: u64 = 1_000;
/// The cap.
const MAX_MS: u64 = 16_000;
/// Jitter added to every delay: uniform in `0..JITTER_MS`.
const JITTER_MS: u64 = 1_000;

/// Failures since the last successful connection, and the jitter source.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    failures: u32,
    rng: SplitMix64,
}

impl Backoff {
    pub(crate) const fn new(seed: u64) -> Self {
        Self {
            failures: 0,
            rng: SplitMix64(seed),
        }
    }

    /// Consecutive failures so far.
    pub(crate) const fn failures(&self) -> u32 {
        self.failures
    }

    /// A connection succeeded: the next failure starts again at 1 s.
    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }

    /// A delay of `base` plus 0-1 s of jitter that counts no failure (retrying one
    /// subscription is not reconnecting).
    pub(crate) fn jittered(&mut self, base: Duration) -> Duration {
        base.saturating_add(Duration::from_millis(self.rng.next() % JITTER_MS))
    }

    /// The delay before the next attempt, counting one more failure. `at_once` (the server
    /// asked for an immediate reconnect) skips the exponential part for the first failure
    /// after a good connection, never the jitter.
    pub(crate) fn next_delay(&mut self, at_once: bool) -> Duration {
        let exp = if at_once && self.failures == 0 {
            0
        } else {
            let shift = self.failures.min(4); // 1 << 4 = 16: the cap
            BASE_MS.checked_shl(shift).unwrap_or(MAX_MS).min(MAX_MS)
        };
        self.failures = self.failures.saturating_add(1);
        let jitter = self.rng.next() % JITTER_MS;
        Duration::from_millis(exp.saturating_add(jitter))
    }
}

/// SplitMix64: a tiny, good-enough PRNG for jitter (not for anything secret).
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap_with_jitter_below_a_second() {
        let mut b = Backoff::new(7);
        let want = [1_000, 2_000, 4_000, 8_000, 16_000, 16_000, 16_000];
        for base in want {
            let d = b.next_delay(false).as_millis() as u64;
            assert!(
                (base..base + 1_000).contains(&d),
                "{d} not in {base}+[0,1000)"
            );
        }
        b.reset();
        let d = b.next_delay(false).as_millis() as u64;
        assert!((1_000..2_000).contains(&d));
    }

    #[test]
    fn at_once_only_right_after_a_good_connection() {
        let mut b = Backoff::new(1);
        assert!(b.next_delay(true).as_millis() < 1_000);
        let d = b.next_delay(true).as_millis() as u64;
        assert!((2_000..3_000).contains(&d), "{d}");
    }

    #[test]
    fn the_seed_decides_the_jitter() {
        let run = |seed| {
            let mut b = Backoff::new(seed);
            [
                b.next_delay(false),
                b.next_delay(false),
                b.next_delay(false),
            ]
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }
}
