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
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
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
