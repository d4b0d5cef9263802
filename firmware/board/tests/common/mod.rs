//! Frame measurements shared by the board tests.
// Each test file uses a different subset of these.
#![allow(dead_code)]

use kickwire_board::Rgb;

/// LEDs with any channel on.
pub(crate) fn lit(frame: &[Rgb]) -> usize {
    frame.iter().filter(|px| **px != Rgb::BLACK).count()
}

/// The sum of all channels of all LEDs: the light in the frame.
pub(crate) fn energy(frame: &[Rgb]) -> u64 {
    frame
        .iter()
        .map(|px| u64::from(px.r) + u64::from(px.g) + u64::from(px.b))
        .sum()
}

/// The brightest channel in the frame.
pub(crate) fn brightest(frame: &[Rgb]) -> u8 {
    frame
        .iter()
        .map(|px| px.r.max(px.g).max(px.b))
        .max()
        .unwrap_or(0)
}

/// Whether every LED is off.
pub(crate) fn dark(frame: &[Rgb]) -> bool {
    lit(frame) == 0
}
