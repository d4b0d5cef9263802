//! The status pixel: while the link to the server is down, LED 0 breathes dim red, so a dark
//! strip on a quiet stream can be told apart from a board that lost its connection.

use super::curve::triangle;
use crate::color::Rgb;

/// The pixel's colour at full level.
const RED: Rgb = Rgb::new(0xFF, 0, 0);
/// One breath (ms).
const PERIOD_MS: u64 = 2_000;
/// Dimmest level of a breath (of 255): never off, so it is always visible.
const LOW: u8 = 24;
/// Brightest level of a breath (of 255).
const HIGH: u8 = 72;

/// The link state as the board last heard it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Status {
    online: bool,
    /// When `online` last changed (ms): breaths start there.
    since: u64,
}

impl Status {
    /// Offline: a board starts before its link is up.
    pub(crate) const fn new() -> Self {
        Status {
            online: false,
            since: 0,
        }
    }

    /// Records the link state at `now`.
    pub(crate) fn set(&mut self, online: bool, now: u64) {
        if online != self.online {
            self.online = online;
            self.since = now;
        }
    }

    /// The colour LED 0 must show at `now`, or `None` when online (LED 0 is then like the rest).
    pub(crate) fn color(self, now: u64) -> Option<Rgb> {
        if self.online {
            return None;
        }
        let phase = now
            .saturating_sub(self.since)
            .checked_rem(PERIOD_MS)
            .unwrap_or(0);
        let swing = u8::try_from(super::curve::part(
            u32::from(triangle(phase, PERIOD_MS)),
            u32::from(HIGH.saturating_sub(LOW)),
            u32::from(u8::MAX),
        ))
        .unwrap_or(0);
        Some(RED.scaled(LOW.saturating_add(swing)))
    }
}
