//! The strip patterns, each added onto a frame: burst, pulse, comet and flicker.
//!
//! Each is a function of the time into the alert `t` (ms), its length `span` (ms) and a seed
//! only, draws nothing once `t >= span`, and handles any strip length including 0.

use super::curve::{ease, fall, part, ramp, triangle};
use super::noise::{hash, pick};
use crate::color::Rgb;

/// A gift of this many subs or more looks (and, in `show`, lasts) like one of this many.
pub(crate) const GIFT_CAP: u32 = 50;

/// How fast a burst lights up (ms) before it decays over the rest of its span.
const ATTACK_MS: u64 = 120;
/// Sparkles move to new LEDs this often (ms).
const SPARKLE_MS: u64 = 40;
/// A chat flicker toggles this often (ms).
const FLICKER_MS: u64 = 60;
/// A burst's colours: pink, purple, gold, white.
const CONFETTI: [Rgb; 4] = [
    Rgb::new(0xFF, 0x28, 0xC8),
    Rgb::new(0xAA, 0x28, 0xFF),
    Rgb::new(0xFF, 0xBE, 0x28),
    Rgb::new(0xFF, 0xFF, 0xFF),
];

/// The strip length as a `u32` (saturated; no real strip comes near).
fn len(out: &[Rgb]) -> u32 {
    u32::try_from(out.len()).unwrap_or(u32::MAX)
}

/// Adds `color` to LED `index` if the strip has it.
fn add(out: &mut [Rgb], index: u32, color: Rgb) {
    if let Some(px) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
        *px = px.plus(color);
    }
}

/// Gifted subs: confetti sparkles that flash up and decay. More gifts light more LEDs (from
/// about 12 % of the strip for 1 gift to all of it at [`GIFT_CAP`]) and brighter (peak 97 to
/// 255 of 255); at least one LED is lit whatever the strip length.
pub(crate) fn burst(t: u64, span: u64, count: u32, seed: u32, out: &mut [Rgb]) {
    if t >= span {
        return;
    }
    let strength = count.clamp(1, GIFT_CAP);
    let envelope = if t < ATTACK_MS {
        ramp(t, ATTACK_MS, u8::MAX)
    } else {
        fall(
            t.saturating_sub(ATTACK_MS),
            span.saturating_sub(ATTACK_MS),
            u8::MAX,
        )
    };
    let peak = 96_u32.saturating_add(part(159, strength, GIFT_CAP));
    let level = u8::try_from(part(u32::from(envelope), peak, 255)).unwrap_or(u8::MAX);
    // Per mille of the LEDs lit in each sparkle slot.
    let density = 100_u32.saturating_add(part(900, strength, GIFT_CAP));
    let slot = u32::try_from(t / SPARKLE_MS).unwrap_or(u32::MAX);
    let n = len(out);
    // One LED always sparkles, so a single gift still shows on a strip of one.
    let anchor = pick(seed, slot, u32::MAX, n);
    for index in 0..n {
        let h = hash(seed, slot, index);
        if h % 1000 >= density && Some(index) != anchor {
            continue;
        }
        // Each sparkle between half and full level, in one of the confetti colours.
        let twinkle = u8::try_from(128_u32.saturating_add((h >> 8) % 128)).unwrap_or(u8::MAX);
        let color = CONFETTI
            .get(usize::try_from((h >> 20) % 4).unwrap_or(0))
            .copied()
            .unwrap_or(Rgb::BLACK);
        add(out, index, color.scaled(level).scaled(twinkle));
    }
}

/// `pulses` swells of `color` over the whole strip, each rising from dark to full and back.
pub(crate) fn pulse(t: u64, span: u64, pulses: u64, color: Rgb, out: &mut [Rgb]) {
    if t >= span {
        return;
    }
    let Some(each) = span.checked_div(pulses) else {
        return;
    };
    let phase = t.checked_rem(each).unwrap_or(0);
    let lit = color.scaled(ease(triangle(phase, each)));
    for px in out.iter_mut() {
        *px = px.plus(lit);
    }
}

/// A comet of `color` running from LED 0 to the far end, its tail fading behind it; the run
/// ends with the tail off the strip.
pub(crate) fn comet(t: u64, span: u64, color: Rgb, out: &mut [Rgb]) {
    if t >= span {
        return;
    }
    let n = len(out);
    let tail = (n / 4).max(2);
    let travel = n.saturating_add(tail);
    let elapsed = u32::try_from(t).unwrap_or(u32::MAX);
    let span = u32::try_from(span).unwrap_or(u32::MAX);
    let head = part(elapsed, travel, span);
    for behind in 0..tail {
        let Some(index) = head.checked_sub(behind) else {
            break;
        };
        let level = 255_u32.saturating_sub(part(behind, 255, tail));
        add(
            out,
            index,
            color.scaled(u8::try_from(level).unwrap_or(u8::MAX)),
        );
    }
}

/// Chat: a few LEDs (one per coalesced message, at most a quarter of the strip) flicker and
/// fade out.
pub(crate) fn flicker(t: u64, span: u64, chats: u32, seed: u32, color: Rgb, out: &mut [Rgb]) {
    if t >= span {
        return;
    }
    let n = len(out);
    let sparks = chats.clamp(1, (n / 4).max(1));
    let on = (t / FLICKER_MS).is_multiple_of(2);
    let level = fall(t, span, if on { u8::MAX } else { 64 });
    for spark in 0..sparks {
        if let Some(index) = pick(seed, 0, spark, n) {
            add(out, index, color.scaled(level));
        }
    }
}
