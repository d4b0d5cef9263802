//! One queued alert while it plays: what it looks like, when it started and how long it lasts.

use super::effects::{self, GIFT_CAP};
use super::noise::hash;
use crate::alert::Alert;
use crate::color::Rgb;
use crate::queue::Entry;

/// A gift burst lasts this long at least (ms) ...
pub(crate) const GIFT_BASE_MS: u64 = 1_500;
/// ... plus this much per gifted sub (ms), counting at most [`GIFT_CAP`] of them.
pub(crate) const GIFT_STEP_MS: u64 = 100;
/// A Kicks gift's double pulse (ms).
pub(crate) const KICKS_MS: u64 = 1_500;
/// A subscription's pulse (ms).
pub(crate) const SUB_MS: u64 = 2_000;
/// A host's comet run (ms).
pub(crate) const HOST_MS: u64 = 2_500;
/// A chat flicker (ms): short, chat is frequent.
pub(crate) const CHAT_MS: u64 = 300;

/// A subscription's colour: purple.
const SUB_COLOR: Rgb = Rgb::new(0xAA, 0x28, 0xFF);
/// A Kicks gift's colour: gold.
const KICKS_COLOR: Rgb = Rgb::new(0xFF, 0xAA, 0x00);
/// A host's comet colour: cyan.
const HOST_COLOR: Rgb = Rgb::new(0x00, 0xC8, 0xFF);
/// A chat flicker's colour: a dim, cool white, below every other alert.
const CHAT_COLOR: Rgb = Rgb::new(0x78, 0x78, 0xA0);

/// Mixed into every seed so that sparkles do not start from the hash of 0.
const SEED: u32 = 0x6B69_636B; // "kick"

/// How long `alert` plays (ms); 0 for `Live` and `End`, which are not queued.
pub(crate) fn duration(alert: Alert) -> u64 {
    match alert {
        Alert::GiftedSubs { count } => {
            let counted = u64::from(count.clamp(1, GIFT_CAP));
            GIFT_BASE_MS.saturating_add(GIFT_STEP_MS.saturating_mul(counted))
        }
        Alert::Kicks { .. } => KICKS_MS,
        Alert::Subscription { .. } => SUB_MS,
        Alert::Host { .. } => HOST_MS,
        Alert::Chat => CHAT_MS,
        Alert::Live | Alert::End => 0,
    }
}

/// A started alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Show {
    entry: Entry,
    start: u64,
    end: u64,
    seed: u32,
}

impl Show {
    /// `entry` starting at `start` (ms); `number` counts the shows started before it and seeds
    /// its sparkles, so that two bursts in a row differ but a replay is identical.
    pub(crate) fn new(entry: Entry, start: u64, number: u32) -> Self {
        Show {
            entry,
            start,
            end: start.saturating_add(duration(entry.alert)),
            seed: hash(SEED, number, 0),
        }
    }

    /// When it is over (ms).
    pub(crate) fn end(&self) -> u64 {
        self.end
    }

    /// Adds its light at `now` to `out`.
    pub(crate) fn draw(&self, now: u64, out: &mut [Rgb]) {
        let t = now.saturating_sub(self.start);
        let span = self.end.saturating_sub(self.start);
        match self.entry.alert {
            Alert::GiftedSubs { count } => effects::burst(t, span, count, self.seed, out),
            Alert::Subscription { .. } => effects::pulse(t, span, 1, SUB_COLOR, out),
            Alert::Kicks { .. } => effects::pulse(t, span, 2, KICKS_COLOR, out),
            Alert::Host { .. } => effects::comet(t, span, HOST_COLOR, out),
            Alert::Chat => effects::flicker(t, span, self.entry.weight, self.seed, CHAT_COLOR, out),
            Alert::Live | Alert::End => {}
        }
    }
}
