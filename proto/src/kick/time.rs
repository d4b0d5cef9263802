//! [`Timestamp`]: one type for the four ways Kick writes a point in time, and how a payload's
//! member is read into one.

use crate::error::SyntaxError;
use crate::json::field::{Field, number_i64, push_digit};
use crate::json::reader::{Kind, Reader};

/// A point in time as milliseconds since the Unix epoch (UTC).
///
/// Kick writes times as ISO 8601 with an offset (`2023-12-24T22:05:00+00:00`), RFC 3339 with
/// fractional seconds (`2026-01-14T17:58:57.996338008Z`, Go and Laravel), SQL style
/// (`2025-07-17 01:53:20`, taken as UTC), unix seconds (`1751605454`) or unix milliseconds
/// (`1790525704722`); all become this type.
///
/// ```
/// use kickwire_proto::Timestamp;
/// let a = Timestamp::parse_str("2023-12-24T22:05:00+00:00").unwrap();
/// let b = Timestamp::from_unix_number(1_703_455_500);
/// assert_eq!(a, b);
/// assert_eq!(a.unix_millis(), 1_703_455_500_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Timestamp(i64);

/// Numbers below this are unix seconds; from here up to [`MICROS_FROM`] they are milliseconds.
/// 1e11 s is the year 5138, 1e11 ms is 1973: no real Kick time is ambiguous.
const MILLIS_FROM: i64 = 100_000_000_000;
/// From here numbers are microseconds (1e14 ms is the year 5138), and from [`NANOS_FROM`] nanoseconds.
const MICROS_FROM: i64 = 100_000_000_000_000;
const NANOS_FROM: i64 = 100_000_000_000_000_000;

impl Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    #[must_use]
    pub const fn from_unix_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    #[must_use]
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// A unix time given as a bare number, whose unit is told by its size: seconds, milliseconds,
    /// microseconds or nanoseconds.
    #[must_use]
    pub const fn from_unix_number(n: i64) -> Self {
        let a = n.unsigned_abs();
        let ms = if a < MILLIS_FROM as u64 {
            n.saturating_mul(1000)
        } else if a < MICROS_FROM as u64 {
            n
        } else if a < NANOS_FROM as u64 {
            n / 1000
        } else {
            n / 1_000_000
        };
        Self(ms)
    }

    /// The UTC date and time of day: `(year, month, day, millisecond of the day)`, in the
    /// proleptic Gregorian calendar (H. Hinnant's `civil_from_days`, the inverse of what the
    /// parser uses). For writing a time out without a date library.
    ///
    /// ```
    /// use kickwire_proto::Timestamp;
    /// let t = Timestamp::parse_str("2024-02-29T23:59:59.250Z").unwrap();
    /// assert_eq!(t.to_civil(), (2024, 2, 29, 86_399_250));
    /// assert_eq!(Timestamp::from_unix_millis(-1).to_civil(), (1969, 12, 31, 86_399_999));
    /// ```
    #[must_use]
    pub fn to_civil(self) -> (i64, u8, u8, u32) {
        const DAY: i64 = 86_400_000;
        let (days, in_day) = (self.0.div_euclid(DAY), self.0.rem_euclid(DAY));
        // |days| < 1.1e11 for any i64 of milliseconds: none of this can overflow.
        let z = days.wrapping_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = doe
            .wrapping_sub(doe / 1460)
            .wrapping_add(doe / 36_524)
            .wrapping_sub(doe / 146_096)
            / 365;
        let doy = doe.wrapping_sub(
            yoe.wrapping_mul(365)
                .wrapping_add(yoe / 4)
                .wrapping_sub(yoe / 100),
        );
        let mp = doy.wrapping_mul(5).wrapping_add(2) / 153;
        let day = doy
            .wrapping_sub(mp.wrapping_mul(153).wrapping_add(2) / 5)
            .wrapping_add(1);
        let month = if mp < 10 {
            mp.wrapping_add(3)
        } else {
            mp.wrapping_sub(9)
        };
        let year = yoe
            .wrapping_add(era.wrapping_mul(400))
            .wrapping_add(i64::from(month <= 2));
        // In range by construction: month 1..=12, day 1..=31, in_day below 86,400,000.
        (
            year,
            u8::try_from(month).unwrap_or(0),
            u8::try_from(day).unwrap_or(0),
            u32::try_from(in_day).unwrap_or(0),
        )
    }

    /// Parses any of the string forms Kick uses (see the type's docs), including a numeric string.
    /// Returns `None` for anything else.
    #[must_use]
    pub fn parse_str(s: &str) -> Option<Self> {
        Self::parse_ascii(s.trim().as_bytes())
    }

    /// [`parse_str`](Self::parse_str) of bytes with nothing to trim. Every form is ASCII and
    /// each of its bytes is checked, so bytes that are not UTF-8 are no time either.
    fn parse_ascii(b: &[u8]) -> Option<Self> {
        // Not in the browser's module, which reads a handful of times a second.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(ms) = parse_iso_offset_form(b) {
            return Some(Self(ms));
        }
        if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
            return parse_int(b).map(Self::from_unix_number);
        }
        parse_iso(b).map(Self)
    }
}

impl Field for Option<Timestamp> {
    /// A number is a unix time in the unit its size tells ([`Timestamp::from_unix_number`]); a
    /// string any of Kick's forms ([`Timestamp::parse_str`]); anything else, or a string that is
    /// no time, is `None`.
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        // A short string with no escape (Kick's times) where the reader stands is what
        // `string` would read: its kind need not be looked at first.
        if let Some(b) = r.short_string() {
            *self = time_of(b);
            return Ok(());
        }
        *self = match r.peek_kind()? {
            Kind::Number => number_i64(r.number()?.0).map(Timestamp::from_unix_number),
            Kind::String => time_of(r.string()?.single()?.raw()),
            _ => {
                r.skip_value()?;
                None
            }
        };
        Ok(())
    }
}

/// The time a string's bytes (no escape in them) hold, if any.
fn time_of(b: &[u8]) -> Option<Timestamp> {
    // The fixed form checks every byte of it: tried first, before the trim's checks and
    // `parse_ascii`, which would try it first too.
    #[cfg(not(any(target_arch = "wasm32", target_os = "none")))]
    if let Some(ms) = parse_iso_offset_form(b) {
        return Some(Timestamp(ms));
    }
    // Kick's times have no whitespace around them: then there is nothing to trim, and no need
    // to check UTF-8 to trim it.
    if b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        Timestamp::parse_ascii(b)
    } else {
        core::str::from_utf8(b).ok().and_then(Timestamp::parse_str)
    }
}

fn parse_int(b: &[u8]) -> Option<i64> {
    let mut v: u64 = 0;
    for &d in b {
        let digit = d.checked_sub(b'0').filter(|d| *d <= 9)?;
        v = push_digit(v, digit)?;
    }
    i64::try_from(v).ok()
}

/// The `len` ASCII digits at `b[from..]` as a number; at most 4 digits, so it cannot overflow.
fn field(b: &[u8], from: usize, len: usize) -> Option<i64> {
    let digits = b.get(from..from.checked_add(len)?)?;
    let mut v: i64 = 0;
    for &d in digits {
        let digit = d.checked_sub(b'0').filter(|d| *d <= 9)?;
        v = v.wrapping_mul(10).wrapping_add(i64::from(digit));
    }
    Some(v)
}

/// [`parse_iso`] of the one form nearly every chat message's `created_at` has,
/// `YYYY-MM-DDTHH:MM:SS±HH:MM` (25 bytes), its fields at fixed places: checked and converted
/// without the general parser's searches and per-field bounds checks, which cost chat
/// decoding a few percent. `None` for anything else (or a field out of range), which
/// [`parse_iso`] then reads or refuses: what this accepts, it converts as that does.
#[cfg(not(target_arch = "wasm32"))]
fn parse_iso_offset_form(b: &[u8]) -> Option<i64> {
    let b: &[u8; 25] = b.try_into().ok()?;
    #[cfg(not(target_os = "none"))]
    let (year, month, day, hour, minute, second, sign, off) = offset_form_fields(b)?;
    #[cfg(target_os = "none")]
    let (year, month, day, hour, minute, second, sign, off) = offset_form_fields_bytewise(b)?;
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let off = if sign == b'-' {
        off.wrapping_neg()
    } else {
        off
    };
    // Every field has two digits (the year four): bounded as in `parse_iso`, which wraps too.
    #[cfg(not(target_os = "none"))]
    let days = days_from_civil_nonnegative(year, month, day);
    #[cfg(target_os = "none")]
    let days = days_from_civil(year, month, day);
    Some(unix_secs(days, hour, minute, second, off).wrapping_mul(1000))
}

/// Seconds since the Unix epoch of a day (`days` since 1970-01-01) and a time of it at UTC
/// offset `offset_min` minutes: what both ISO forms' parsers end with. Every field is bounded
/// by its parser (two digits, a year of four), so nothing can overflow; wrapping as they do.
#[inline(always)]
fn unix_secs(days: i64, hour: i64, minute: i64, second: i64, offset_min: i64) -> i64 {
    days.wrapping_mul(86_400)
        .wrapping_add(hour.wrapping_mul(3600))
        .wrapping_add(minute.wrapping_mul(60))
        .wrapping_add(second)
        .wrapping_sub(offset_min.wrapping_mul(60))
}

/// The fields of [`parse_iso_offset_form`]'s form, eight bytes at a time (off bare metal,
/// where 64-bit words are cheap): the separators compared at once, the digits checked at once
/// (high nibble 3, and still so with 6 added to the low one), and each two-digit field made
/// in place as `10 * first + second` (`v * 10 + (v >> 8)`, no byte above 99).
#[cfg(not(any(target_arch = "wasm32", target_os = "none")))]
#[allow(clippy::type_complexity)]
fn offset_form_fields(b: &[u8; 25]) -> Option<(i64, i64, i64, i64, i64, i64, u8, i64)> {
    // Digit positions of each word: `YYYY-MM-`, `DDTHH:MM`, `:SS±HH:M`.
    const D0: u64 = u64::from_le_bytes([0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0]);
    const D1: u64 = u64::from_le_bytes([0xff, 0xff, 0, 0xff, 0xff, 0, 0xff, 0xff]);
    const D2: u64 = u64::from_le_bytes([0, 0xff, 0xff, 0, 0xff, 0xff, 0, 0xff]);
    const S0: u64 = u64::from_le_bytes(*b"\0\0\0\0-\0\0-");
    const S1: u64 = u64::from_le_bytes(*b"\0\0T\0\0:\0\0");
    const S2: u64 = u64::from_le_bytes(*b":\0\0\0\0\0:\0");
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    const HIGH: u64 = u64::from_le_bytes([0xf0; 8]);
    const SIX: u64 = u64::from_le_bytes([6; 8]);
    let (x, rest) = b.split_first_chunk::<8>()?;
    let (y, rest) = rest.split_first_chunk::<8>()?;
    let z = rest.first_chunk::<8>()?;
    let (w0, w1, w2) = (
        u64::from_le_bytes(*x),
        u64::from_le_bytes(*y),
        u64::from_le_bytes(*z),
    );
    let sign = b[19];
    let last = b[24].wrapping_sub(b'0');
    // A byte with its high nibble 3 takes 6 without a carry out of it; one without fails the
    // first test, whatever a carry does to the next.
    let digits = |w: u64, d: u64| {
        w & HIGH & d == ZEROS & d && w.wrapping_add(SIX & d) & HIGH & d == ZEROS & d
    };
    if w0 & !D0 != S0
        || w1 & !D1 != S1
        || w2 & !(D2 | 0xff << 24) != S2
        || !matches!(sign, b'+' | b'-')
        || last > 9
        || !digits(w0, D0)
        || !digits(w1, D1)
        || !digits(w2, D2)
    {
        return None;
    }
    // Each digit's value in place, the separators zero: no byte borrows.
    let pairs = |w: u64, d: u64| {
        let v = (w & d).wrapping_sub(ZEROS & d);
        v.wrapping_mul(10).wrapping_add(v >> 8)
    };
    let [y0, _, y1, _, _, month, _, _] = pairs(w0, D0).to_le_bytes();
    let [day, _, _, hour, _, _, minute, _] = pairs(w1, D1).to_le_bytes();
    let [_, second, _, _, oh, _, _, om] = pairs(w2, D2).to_le_bytes();
    let f = i64::from;
    Some((
        f(y0).wrapping_mul(100).wrapping_add(f(y1)),
        f(month),
        f(day),
        f(hour),
        f(minute),
        f(second),
        sign,
        f(oh)
            .wrapping_mul(60)
            .wrapping_add(f(om))
            .wrapping_add(f(last)),
    ))
}

/// [`offset_form_fields`] on bare metal, a byte at a time.
#[cfg(target_os = "none")]
#[allow(clippy::type_complexity)]
fn offset_form_fields_bytewise(b: &[u8; 25]) -> Option<(i64, i64, i64, i64, i64, i64, u8, i64)> {
    let sign = b[19];
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || !matches!(sign, b'+' | b'-')
        || b[22] != b':'
    {
        return None;
    }
    let mut ok = true;
    let mut two = |at: usize| -> i64 {
        let (hi, lo) = (
            b.get(at).map_or(10, |d| d.wrapping_sub(b'0')),
            b.get(at.wrapping_add(1))
                .map_or(10, |d| d.wrapping_sub(b'0')),
        );
        ok &= hi < 10 && lo < 10;
        i64::from(hi).wrapping_mul(10).wrapping_add(i64::from(lo))
    };
    let year = two(0).wrapping_mul(100).wrapping_add(two(2));
    let (month, day, hour, minute, second) = (two(5), two(8), two(11), two(14), two(17));
    let off = two(20).wrapping_mul(60).wrapping_add(two(23));
    ok.then_some((year, month, day, hour, minute, second, sign, off))
}

/// `YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH[:]MM]`
///
/// Every field has at most four digits, so the arithmetic is bounded well inside `i64`
/// (a year below 10000 is under 2^39 milliseconds): it wraps rather than checks, which keeps
/// this small where 64-bit overflow checks are expensive (32-bit targets, wasm).
fn parse_iso(b: &[u8]) -> Option<i64> {
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let (year, month, day) = (field(b, 0, 4)?, field(b, 5, 2)?, field(b, 8, 2)?);
    let (hour, minute) = (field(b, 11, 2)?, field(b, 14, 2)?);
    if b.get(13) != Some(&b':') || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut pos: usize = 16;
    let mut second = 0;
    if b.get(pos) == Some(&b':') {
        second = field(b, 17, 2)?;
        pos = 19;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut millis: i64 = 0;
    if b.get(pos) == Some(&b'.') {
        pos = pos.wrapping_add(1);
        let start = pos;
        let mut scale = 100;
        while let Some(&d @ b'0'..=b'9') = b.get(pos) {
            millis = millis.wrapping_add(i64::from(d.wrapping_sub(b'0')).wrapping_mul(scale));
            scale /= 10;
            pos = pos.wrapping_add(1);
        }
        if pos == start {
            return None;
        }
    }
    let offset_min = match b.get(pos) {
        None | Some(b'Z' | b'z') if b.len() <= pos.wrapping_add(1) => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let h = field(b, pos.wrapping_add(1), 2)?;
            let m_at = if b.get(pos.wrapping_add(3)) == Some(&b':') {
                4
            } else {
                3
            };
            let m = field(b, pos.wrapping_add(m_at), 2)?;
            if b.len() != pos.wrapping_add(m_at).wrapping_add(2) {
                return None;
            }
            let off = h.wrapping_mul(60).wrapping_add(m);
            if sign == b'-' {
                off.wrapping_neg()
            } else {
                off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = unix_secs(days, hour, minute, second, offset_min);
    Some(secs.wrapping_mul(1000).wrapping_add(millis))
}

/// [`days_from_civil`] of a year the caller made of digits (at least 0), its arithmetic kept
/// nonnegative: the year is taken 400 years (one era, 146,097 days) later and the era given
/// back at the end, so that every division is of a nonnegative number, which the compiler
/// makes without the fix-ups a signed one needs.
#[cfg(not(any(target_arch = "wasm32", target_os = "none")))]
fn days_from_civil_nonnegative(y: i64, m: i64, d: i64) -> i64 {
    let y = y.wrapping_add(400).wrapping_sub(i64::from(m <= 2));
    let (era, yoe) = (y / 400, y % 400);
    let doe = day_of_era(yoe, m, d);
    era.wrapping_sub(1)
        .wrapping_mul(146_097)
        .wrapping_add(doe)
        .wrapping_sub(719_468)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`), for
/// `0 <= y <= 9999`, `1 <= m <= 12`, `1 <= d <= 31`: small numbers, so nothing can overflow.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y.wrapping_sub(1) } else { y };
    let era = y.div_euclid(400);
    let yoe = y.wrapping_sub(era.wrapping_mul(400));
    era.wrapping_mul(146_097)
        .wrapping_add(day_of_era(yoe, m, d))
        .wrapping_sub(719_468)
}

/// The day of its 400-year era (0..146,097) of month `m`, day `d` of the era's year `yoe`
/// (0..400), the year starting in March: the part of [`days_from_civil`] both its forms share.
#[inline(always)]
fn day_of_era(yoe: i64, m: i64, d: i64) -> i64 {
    let mp = if m > 2 {
        m.wrapping_sub(3)
    } else {
        m.wrapping_add(9)
    };
    let doy = (mp.wrapping_mul(153).wrapping_add(2) / 5)
        .wrapping_add(d)
        .wrapping_sub(1);
    yoe.wrapping_mul(365)
        .wrapping_add(yoe / 4)
        .wrapping_sub(yoe / 100)
        .wrapping_add(doy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        Timestamp::parse_str(s).map(Timestamp::unix_millis)
    }

    /// `json` read as a member value, then the reader's next token.
    fn read(json: &str) -> Option<i64> {
        let mut t = Some(Timestamp::from_unix_millis(1));
        let mut r = Reader::new(json.as_bytes());
        t.read(&mut r).unwrap();
        r.finish().unwrap();
        t.map(Timestamp::unix_millis)
    }

    #[test]
    fn a_member_reads_numbers_strings_and_nothing_else() {
        // 2023-12-24T22:05:00Z is 1 703 455 500 s (see `all_kick_forms`).
        assert_eq!(read("1703455500"), Some(1_703_455_500_000));
        assert_eq!(read("1703455500123"), Some(1_703_455_500_123));
        assert_eq!(read("-1"), Some(-1000));
        // JSON's other ways of writing an integer: 1e3 is 1 000 s.
        assert_eq!(read("1e3"), Some(1_000_000));
        assert_eq!(read(r#""2023-12-24T22:05:00Z""#), Some(1_703_455_500_000));
        assert_eq!(read(r#""1703455500""#), Some(1_703_455_500_000));
        // Whitespace around a time (ASCII or not) is trimmed as `parse_str` trims it; bytes
        // that are not UTF-8 are no time.
        assert_eq!(read(r#"" 1703455500 ""#), Some(1_703_455_500_000));
        assert_eq!(
            read("\"\u{a0}2023-12-24T22:05:00Z\u{3000}\""),
            Some(1_703_455_500_000)
        );
        for bytes in [
            &b"\"2023-12-24T22:05:00\xff\""[..],
            b"\"2023-12-24T22:05:00\xff0\"",
        ] {
            let mut t = Some(Timestamp::from_unix_millis(1));
            t.read(&mut Reader::new(bytes)).unwrap();
            assert_eq!(t, None, "{bytes:?}");
        }
        // Anything else is no time, and the value is consumed all the same.
        for other in ["null", "true", r#""soon""#, "[1703455500]", r#"{"t":1}"#] {
            assert_eq!(read(other), None, "{other}");
        }
    }

    #[test]
    fn all_kick_forms() {
        // Expected values computed by hand: 2023-12-24 is day 19715 since the epoch.
        assert_eq!(ms("2023-12-24T22:05:00+00:00"), Some(1_703_455_500_000));
        assert_eq!(ms("2023-12-24 22:05:00"), Some(1_703_455_500_000));
        assert_eq!(ms("2023-12-24T22:05:00Z"), Some(1_703_455_500_000));
        assert_eq!(
            ms("2023-12-24T22:05:00.996338008Z"),
            Some(1_703_455_500_996)
        );
        assert_eq!(ms("2023-12-24T23:05:00+01:00"), Some(1_703_455_500_000));
        assert_eq!(ms("2023-12-24T21:05:00-0100"), Some(1_703_455_500_000));
        assert_eq!(ms("1703455500"), Some(1_703_455_500_000));
        assert_eq!(ms("1703455500123"), Some(1_703_455_500_123));
        assert_eq!(ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(ms("2000-03-01T00:00:00Z"), Some(951_868_800_000));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "now",
            "2023-13-01T00:00:00Z",
            "2023-12-24T22:05:00+",
            "2023-12-24T22:05:00.Z",
            "2023-12-24X22:05",
        ] {
            assert_eq!(ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_by_magnitude() {
        assert_eq!(
            Timestamp::from_unix_number(1_707_251_975).unix_millis(),
            1_707_251_975_000
        );
        assert_eq!(
            Timestamp::from_unix_number(1_790_525_704_722).unix_millis(),
            1_790_525_704_722
        );
        assert_eq!(
            Timestamp::from_unix_number(1_790_525_704_722_000).unix_millis(),
            1_790_525_704_722
        );
        assert_eq!(
            Timestamp::from_unix_number(1_790_525_704_722_000_000).unix_millis(),
            1_790_525_704_722
        );
    }

    #[test]
    fn a_strings_time_is_its_forms_time() {
        // Hand-checked (Python's `datetime`): the fixed form, taken before the trim's checks,
        // and the same time spelt otherwise or with spaces around it.
        let want = Some(Timestamp(1_703_455_500_000));
        for s in [
            "2023-12-24T23:35:00+01:30",
            " 2023-12-24T23:35:00+01:30 ",
            "2023-12-24T22:05:00Z",
            "2023-12-24 22:05:00",
        ] {
            assert_eq!(time_of(s.as_bytes()), want, "{s}");
        }
        assert_eq!(time_of(b"2023-12-24T23:35:00+01:3x"), None);
        assert_eq!(time_of(b"2023-13-24T23:35:00+01:30"), None);
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn days_of_a_nonnegative_year_are_the_general_ones() {
        // Hand-checked: 1970-01-01 is day 0, 2000-03-01 day 11,017, 0000-01-01 day -719,528.
        assert_eq!(days_from_civil_nonnegative(1970, 1, 1), 0);
        assert_eq!(days_from_civil_nonnegative(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil_nonnegative(0, 1, 1), -719_528);
        // Every year the fixed form can write, every month, days 1 to 31.
        for y in 0..=9999 {
            for m in 1..=12 {
                for d in 1..=31 {
                    assert_eq!(
                        days_from_civil_nonnegative(y, m, d),
                        days_from_civil(y, m, d),
                        "{y}-{m}-{d}"
                    );
                }
            }
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn the_offset_form_is_read_as_the_general_parser_reads_it() {
        // Hand-checked (Python's `datetime`): the fast path takes these.
        for (s, want) in [
            ("2026-09-27T16:00:03+00:00", 1_790_524_803_000),
            ("2023-12-24T23:35:00+01:30", 1_703_455_500_000),
            ("2000-02-29T00:00:60-09:59", 951_818_400_000),
            ("1969-12-31T23:59:59+00:00", -1000),
        ] {
            assert_eq!(parse_iso_offset_form(s.as_bytes()), Some(want), "{s}");
            assert_eq!(parse_iso(s.as_bytes()), Some(want), "{s}");
        }
        // Every byte of the form changed to every value, one at a time, and the form one
        // byte short or long: where the fast path answers, it answers as `parse_iso` does
        // (which reads what it leaves: `t` or a space for `T`, fields out of range, ...).
        let base = *b"2026-09-27T16:00:03+00:00";
        let mut taken = 0;
        for at in 0..base.len() {
            for v in 0..=255u8 {
                let mut b = base;
                b[at] = v;
                if let Some(ms) = parse_iso_offset_form(&b) {
                    assert_eq!(Some(ms), parse_iso(&b), "{:?}", core::str::from_utf8(&b));
                    taken += 1;
                }
            }
        }
        // Hand-counted: each separator and the sign as they are (6 + 2), any digit of the
        // year and the offset (40 + 40), and the others within range: month `09` (1 + 9),
        // day `27` (3 + 10), hour `16` (2 + 10), minute `00` (6 + 10), second `03` (6 + 10).
        assert_eq!(taken, 155);
        assert_eq!(parse_iso_offset_form(&base[..24]), None);
        assert_eq!(parse_iso_offset_form(b"2026-09-27T16:00:03+00:000"), None);
        assert_eq!(parse_iso_offset_form(b"2026-09-27T16:00:03.0Z000"), None);
    }
}
