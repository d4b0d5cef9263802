//! Colours of the strip: 8-bit RGB as WS2812 LEDs take them, and the integer arithmetic the
//! engine needs to dim and mix them without changing their hue.
//!
//! Contract: no operation here overflows or panics; dimming multiplies every channel by the
//! same fraction, so the ratio between channels (the hue) is kept up to rounding.

/// One LED's colour, 8 bits per channel, 255 the brightest (the strip driver reorders the
/// channels to the wire's GRB).
///
/// ```
/// use kickwire_board::Rgb;
/// assert_eq!(Rgb::new(0, 0, 0), Rgb::BLACK);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Rgb {
    /// Red, 0..=255.
    pub r: u8,
    /// Green, 0..=255.
    pub g: u8,
    /// Blue, 0..=255.
    pub b: u8,
}

impl Rgb {
    /// All channels off: an unlit LED.
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);

    /// The colour with these channel values.
    #[must_use]
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Every channel multiplied by `level / 255`, rounded down: `level` 255 keeps the colour,
    /// 0 gives black, and no channel can end above `level`.
    #[must_use]
    pub(crate) fn scaled(self, level: u8) -> Rgb {
        let scale = |c: u8| {
            let product = u16::from(c).saturating_mul(u16::from(level));
            // The quotient is at most 255 (255 * 255 / 255), so the conversion never saturates.
            u8::try_from(product / 255).unwrap_or(u8::MAX)
        };
        Rgb::new(scale(self.r), scale(self.g), scale(self.b))
    }

    /// The light of both colours together. Where the sum would exceed 255 the whole pixel is
    /// dimmed until its brightest channel is 255, rather than clipping one channel (which would
    /// turn, say, a green glow plus a purple pulse into a different hue).
    #[must_use]
    pub(crate) fn plus(self, other: Rgb) -> Rgb {
        let sum = |a: u8, b: u8| u32::from(a).saturating_add(u32::from(b));
        let (r, g, b) = (
            sum(self.r, other.r),
            sum(self.g, other.g),
            sum(self.b, other.b),
        );
        let top = r.max(g).max(b);
        let fit = |c: u32| {
            let c = if top > 255 {
                // c <= top, so c * 255 / top <= 255; top > 255 so the division is defined. Wide
                // enough: c * 255 <= 510 * 255.
                c.saturating_mul(255).checked_div(top).unwrap_or(0)
            } else {
                c
            };
            u8::try_from(c).unwrap_or(u8::MAX)
        };
        Rgb::new(fit(r), fit(g), fit(b))
    }
}
