//! The base glow: green while the stream is live, fading out when it ends. It is a state, not
//! a queued alert, so it changes at once and alerts play on top of it.

use super::curve::{fall, ramp};
use crate::color::Rgb;

/// The glow's colour at full level: Kick's green (#53FC18).
const GREEN: Rgb = Rgb::new(0x53, 0xFC, 0x18);
/// Its level while live, of 255: dim, so that alerts stand out over it.
pub(crate) const LEVEL: u8 = 72;
/// How long the glow takes to come on after `Live` (ms).
pub(crate) const RISE_MS: u64 = 1_000;
/// How long the glow takes to fade out after `End` (ms).
pub(crate) const FADE_MS: u64 = 3_000;

/// Where the glow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    /// Not live: dark.
    Off,
    /// Live: rising from `from` to [`LEVEL`] since `since` (ms), then steady.
    Live {
        /// When `Live` came.
        since: u64,
        /// The level then (non-zero if a fade was still running).
        from: u8,
    },
    /// Ended: falling from `from` to 0 since `since` (ms).
    Fading {
        /// When `End` came.
        since: u64,
        /// The level then.
        from: u8,
    },
}

impl Base {
    /// The glow level (of 255) at `now`.
    pub(crate) fn level(self, now: u64) -> u8 {
        match self {
            Base::Off => 0,
            Base::Live { since, from } => {
                let rise = ramp(
                    now.saturating_sub(since),
                    RISE_MS,
                    LEVEL.saturating_sub(from),
                );
                from.saturating_add(rise)
            }
            Base::Fading { since, from } => fall(now.saturating_sub(since), FADE_MS, from),
        }
    }

    /// The state after the stream goes live at `now`; a repeated `Live` changes nothing.
    pub(crate) fn live(self, now: u64) -> Base {
        match self {
            Base::Live { .. } => self,
            Base::Off | Base::Fading { .. } => Base::Live {
                since: now,
                from: self.level(now),
            },
        }
    }

    /// The state after the stream ends at `now`; fades from wherever the glow is.
    pub(crate) fn end(self, now: u64) -> Base {
        match self {
            Base::Off | Base::Fading { .. } => self,
            Base::Live { .. } => Base::Fading {
                since: now,
                from: self.level(now),
            },
        }
    }

    /// The glow's colour at `now`, before the brightness limit.
    pub(crate) fn color(self, now: u64) -> Rgb {
        GREEN.scaled(self.level(now))
    }
}
