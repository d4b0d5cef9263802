//! The connection's clock: a point in time the driver passes in, in milliseconds.

use core::time::Duration;

/// A point in time, in milliseconds since an origin the driver chooses (its start, boot, the
/// page load): only differences matter. Drivers convert `std::time::Instant`,
/// `performance.now()` or `embassy_time::Instant::as_millis()`.
///
/// ```
/// use core::time::Duration;
/// use kickwire_proto::conn::Instant;
/// let t = Instant::from_millis(1_000);
/// assert_eq!(t + Duration::from_secs(2), Instant::from_millis(3_000));
/// assert_eq!(Instant::from_millis(3_500) - t, Duration::from_millis(2_500));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Instant(u64);

impl Instant {
    /// The instant `ms` milliseconds after the origin.
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// `d` later, saturating at the end of time (what `+` does too).
    #[must_use]
    pub fn after(self, d: Duration) -> Self {
        Self(self.0.saturating_add(millis(d)))
    }

    /// Milliseconds since the origin.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

/// The shortest timeout the connection uses, whatever the configuration says: a timeout of
/// zero would have the connection time out again at the very instant it retried, for ever.
pub(crate) const MIN_TIMEOUT: Duration = Duration::from_secs(1);

/// The deadline `d` after `now`, `d` at least [`MIN_TIMEOUT`].
pub(crate) fn timeout_after(now: Instant, d: Duration) -> Instant {
    now.after(d.max(MIN_TIMEOUT))
}

/// Milliseconds in `d`, saturating (a `Duration` can hold more than `u64` milliseconds).
/// `u64` arithmetic rather than `Duration::as_millis`'s `u128`, whose multiplication is a
/// library call on 32-bit targets (`__multi3`, 0.1 KB of the browser's module); the same
/// value: the whole seconds' milliseconds overflow `u64` only when the total does.
pub(crate) fn millis(d: Duration) -> u64 {
    // A comparison, not `saturating_mul`: a 64-bit multiplication's overflow check is the
    // `u128` one on wasm.
    match d.as_secs() {
        s if s > u64::MAX / 1000 => u64::MAX,
        s => s
            .wrapping_mul(1000)
            .saturating_add(u64::from(d.subsec_millis())),
    }
}

impl core::ops::Add<Duration> for Instant {
    type Output = Self;
    /// Saturates at the end of time rather than wrapping.
    fn add(self, d: Duration) -> Self {
        self.after(d)
    }
}

impl core::ops::Sub for Instant {
    type Output = Duration;
    /// Zero when `earlier` is later: a clock that went backwards never gives a huge wait.
    fn sub(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_is_the_u128_count_saturated() {
        // u64::MAX is 18_446_744_073_709_551_615: its seconds, and their last millisecond.
        let top = u64::MAX / 1000;
        for d in [
            Duration::ZERO,
            Duration::from_nanos(999_999),
            Duration::from_millis(2_300),
            Duration::new(top, 615_999_999),
            Duration::new(top, 616_000_000),
            Duration::new(top.saturating_add(1), 0),
            Duration::MAX,
        ] {
            let u128_count = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
            assert_eq!(millis(d), u128_count, "{d:?}");
        }
    }
}
