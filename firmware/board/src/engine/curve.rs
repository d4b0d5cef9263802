//! Brightness over time in integers: ramps and triangles on a 0..=255 scale.
//!
//! Contract: every function is total (any `t`, any span, including 0) and never overflows.

/// Rises linearly from 0 at `t = 0` to `max` at `t = span`, and stays there; `max` at once
/// when `span` is 0.
pub(crate) fn ramp(t: u64, span: u64, max: u8) -> u8 {
    if t >= span {
        return max;
    }
    // Here t < span, so span > 0 and the quotient is below `max`.
    let level = u64::from(max)
        .saturating_mul(t)
        .checked_div(span)
        .unwrap_or(0);
    u8::try_from(level).unwrap_or(max)
}

/// Falls linearly from `max` at `t = 0` to 0 at `t = span`, and stays dark.
pub(crate) fn fall(t: u64, span: u64, max: u8) -> u8 {
    max.saturating_sub(ramp(t, span, max))
}

/// One pulse: 0 at `t = 0`, 255 at half of `span`, back to 0 at `span` and after.
pub(crate) fn triangle(t: u64, span: u64) -> u8 {
    if t >= span {
        return 0;
    }
    let half = span / 2;
    if t < half {
        ramp(t, half, u8::MAX)
    } else {
        let rest = span.saturating_sub(t);
        ramp(rest, span.saturating_sub(half), u8::MAX)
    }
}

/// `level` squared (on the 0..=255 scale): LEDs look linear in light, not in perceived
/// brightness, so a squared ramp reads as a smooth swell instead of a jump off black.
pub(crate) fn ease(level: u8) -> u8 {
    let square = u16::from(level).saturating_mul(u16::from(level));
    u8::try_from(square / 255).unwrap_or(u8::MAX)
}

/// `x * num / den` computed wide, 0 when `den` is 0, saturated at `u32::MAX`.
pub(crate) fn part(x: u32, num: u32, den: u32) -> u32 {
    let wide = u64::from(x)
        .saturating_mul(u64::from(num))
        .checked_div(u64::from(den))
        .unwrap_or(0);
    u32::try_from(wide).unwrap_or(u32::MAX)
}
