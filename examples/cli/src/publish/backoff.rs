//! How long to wait before retrying a request the engine did not take.

use std::time::Duration;

/// Exponential back-off with jitter: the `n`-th retry in a row (from 0) waits a random time
/// between half and all of `initial * 2^n`, capped at `max`. The jitter keeps many relays
/// that lost the same engine from all retrying in the same instant when it comes back.
///
/// ```
/// use std::time::Duration;
/// use kickwire_cli::publish::Backoff;
/// let b = Backoff::default();
/// assert_eq!(b.delay(0, 1.0), Duration::from_millis(500));
/// assert_eq!(b.delay(0, 0.0), Duration::from_millis(250));
/// assert_eq!(b.delay(20, 1.0), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The longest wait of the first retry.
    pub initial: Duration,
    /// The longest wait of any retry.
    pub max: Duration,
}

impl Default for Backoff {
    /// 0.5 s, doubling up to 30 s.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The wait before retry number `attempt` (0 for the first retry after a success), with
    /// `jitter` from 0.0 (half the ceiling) to 1.0 (the whole ceiling); values outside are
    /// clamped.
    #[must_use]
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(31));
        let ceiling = self.initial.saturating_mul(factor).min(self.max);
        let half = ceiling / 2;
        half + (ceiling - half).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// A jitter value in `[0, 1]` from the operating system's random source (0.5 if it fails).
#[must_use]
pub(super) fn random_jitter() -> f64 {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 2];
    match SystemRandom::new().fill(&mut bytes) {
        Ok(()) => f64::from(u16::from_le_bytes(bytes)) / f64::from(u16::MAX),
        Err(_) => 0.5,
    }
}
