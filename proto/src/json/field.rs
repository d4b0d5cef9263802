//! Lenient, in-place reading of one JSON value into a typed field.
//!
//! Kick is inconsistent, so every reader here accepts what Kick has been seen to send and leaves
//! the field at its default for anything else (after skipping the value, so the message goes on):
//! ids as numbers or numeric strings, booleans as `true`/`false`, `0`/`1` or strings, `null` for
//! anything absent. Only malformed JSON is an error.

use super::reader::{Kind, Number, Reader};
use crate::error::SyntaxError;
use crate::text::{List, Text, TextMut};

/// Escaped strings up to this many bytes are decoded on the stack in one pass.
#[cfg(not(target_arch = "wasm32"))]
const SMALL: usize = 256;

/// A value that can be read from JSON into an existing place.
pub(crate) trait Field {
    /// Reads one JSON value (of any kind) into `self`.
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError>;
}

/// Puts a value back to its `Default` in place, field by field: what decoding into a kept event
/// does first. Assigning `Default::default()` to an event of several KB builds the whole value
/// and copies it (memsets of its buffers included); this only writes lengths and tags.
pub(crate) trait Reset {
    /// Sets `self` to the value `Default::default()` gives.
    fn reset(&mut self);
}

/// A value's `Default` as a constant. Switching a kept event to another variant writes it in
/// place, one copy from the constant, where building `Default::default()` first zeroed its
/// buffers on the stack (a memset of KB) and then copied them (see `read_into` in
/// `kick/table.rs`). The same value as `Default::default()` (tested for every event type).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) trait Fresh {
    /// `Default::default()`, as a constant.
    const FRESH: Self;
}

impl Fresh for u64 {
    const FRESH: Self = 0;
}

impl Fresh for u32 {
    const FRESH: Self = 0;
}

impl Fresh for bool {
    const FRESH: Self = false;
}

impl<T> Fresh for Option<T> {
    const FRESH: Self = None;
}

impl<const N: usize> Fresh for Text<N> {
    const FRESH: Self = Text::new();
}

impl<T, const N: usize> Fresh for List<T, N> {
    const FRESH: Self = List::new();
}

macro_rules! reset_to_default {
    ($($ty:ty),*) => {$(
        impl Reset for $ty {
            #[inline]
            fn reset(&mut self) {
                *self = <$ty>::default();
            }
        }
    )*};
}
reset_to_default!(u64, u32, bool);

impl<T> Reset for Option<T> {
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
}

impl<const N: usize> Reset for Text<N> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

impl<T, const N: usize> Reset for List<T, N> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

/// The integer part of a JSON number, if it is non-negative and fits; fractions are dropped.
fn number_u64(n: Number<'_>) -> Option<u64> {
    digits_u64(n.0)
}

/// Splits the ASCII digits off the front of `b`.
fn leading_digits(b: &[u8]) -> (&[u8], &[u8]) {
    let n = b
        .iter()
        .position(|d| !d.is_ascii_digit())
        .unwrap_or(b.len());
    b.split_at_checked(n).unwrap_or((b, &[]))
}

/// The exponent after a number's digits and fraction (`e+3`, `E-2`), saturated: 0 when there
/// is none, or no digit follows the `e`.
fn exponent(rest: &[u8]) -> i64 {
    // Slice patterns rather than `strip_prefix`, whose generic check keeps a panic path.
    let [b'e' | b'E', rest @ ..] = rest else {
        return 0;
    };
    let (negative, rest) = match rest.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, rest),
    };
    let mut e = 0i64;
    for d in leading_digits(rest).0 {
        // `saturating_mul(10)` as a comparison: its overflow check is a 128-bit multiplication
        // on wasm32.
        e = if e > i64::MAX / 10 {
            i64::MAX
        } else {
            e.wrapping_mul(10)
        };
        e = e.saturating_add(i64::from(d.wrapping_sub(b'0')));
    }
    if negative { e.saturating_neg() } else { e }
}

/// `v * 10 + digit`, or `None` if that overflows `u64`. Cheaper than `checked_mul` where a
/// 64-bit multiplication with an overflow check is a library call (32-bit targets, wasm).
#[inline]
pub(crate) fn push_digit(v: u64, digit: u8) -> Option<u64> {
    if v > u64::MAX / 10 {
        return None;
    }
    v.wrapping_mul(10).checked_add(u64::from(digit))
}

/// The integer part of a non-negative decimal written as JSON writes numbers: digits, then
/// optionally a fraction and an exponent (`12.5` and `1.25e1` are 12, `1e3` is 1000); what
/// follows a fraction or exponent is not looked at. `None` for a sign, no leading digit, another
/// character right after the digits, or a value over `u64::MAX`.
pub(crate) fn digits_u64(b: &[u8]) -> Option<u64> {
    // Ids and counts: at most 19 digits and nothing else, which cannot overflow (10^19 - 1 is
    // below 2^64), so they need none of the steps below. Not in the browser's module, where
    // it cost 76 bytes gzipped of every page.
    #[cfg(not(target_arch = "wasm32"))]
    if (1..=19).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        return Some(b.iter().fold(0u64, |v, d| {
            v.wrapping_mul(10)
                .wrapping_add(u64::from(d.wrapping_sub(b'0')))
        }));
    }
    point_digits(b)
}

/// [`digits_u64`] without its native fast path: any decimal, fraction and exponent included.
#[inline(always)]
fn point_digits(b: &[u8]) -> Option<u64> {
    let (int, rest) = leading_digits(b);
    if int.is_empty() || !matches!(rest.first(), None | Some(b'.' | b'e' | b'E')) {
        return None;
    }
    // Past the fraction's digits.
    let (_, rest) = match rest {
        [b'.', r @ ..] => leading_digits(r),
        _ => (&[][..], rest),
    };
    // The integer part is the digits of `int` and `frac` up to the point moved by the
    // exponent, then zeros past the last digit (a non-zero value overflows within 20 of them).
    let mut keep = i64::try_from(int.len())
        .unwrap_or(i64::MAX)
        .saturating_add(exponent(rest));
    // One loop over `int`, the point and `frac` (the point skipped) rather than two over `int`
    // and `frac` chained: 0.05 KB gzipped less of the browser's module.
    let written = b.len().saturating_sub(rest.len());
    let mut digits = b
        .get(..written)
        .unwrap_or_default()
        .iter()
        .filter(|d| **d != b'.');
    let mut v: u64 = 0;
    while keep > 0 {
        let d = match digits.next() {
            Some(d) => d.wrapping_sub(b'0'),
            None if v == 0 => break,
            None => 0,
        };
        v = push_digit(v, d)?;
        keep = keep.wrapping_sub(1);
    }
    Some(v)
}

/// A JSON integer (optionally negative) as `i64`; `None` beyond its range or for anything
/// [`digits_u64`] refuses.
pub(crate) fn number_i64(b: &[u8]) -> Option<i64> {
    match b.split_first() {
        // From zero, so that `i64::MIN`, whose magnitude is no `i64`, is in range too.
        Some((b'-', rest)) => 0i64.checked_sub_unsigned(digits_u64(rest)?),
        _ => i64::try_from(digits_u64(b)?).ok(),
    }
}

/// Reads a number, or a string holding one; `None` (value consumed) for anything else.
/// `plain` is what `parse` gives for a plain non-negative integer's value: natively such a
/// number (ids, counts: most of them) is converted as it is read rather than read then parsed.
#[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
pub(crate) fn read_numeric<T, const E: bool>(
    r: &mut Reader<'_, E>,
    parse: impl Fn(&[u8]) -> Option<T>,
    #[cfg_attr(target_arch = "wasm32", allow(unused_variables))] plain: impl Fn(u64) -> Option<T>,
) -> Result<Option<T>, SyntaxError> {
    // Such an integer where the reader stands (Kick writes no whitespace) is a number: its
    // kind need not be looked at first.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(v) = r.plain_integer() {
        return Ok(plain(v));
    }
    match r.peek_kind()? {
        Kind::Number => {
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(v) = r.plain_integer() {
                return Ok(plain(v));
            }
            Ok(parse(r.number()?.0))
        }
        Kind::String => {
            let s = r.string()?.single()?;
            Ok(if s.has_escapes() {
                None
            } else {
                parse(trim(s.raw()))
            })
        }
        _ => r.skip_value().map(|()| None),
    }
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

impl Field for Option<u64> {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        *self = read_numeric(r, digits_u64, Some)?;
        Ok(())
    }
}

impl Field for u64 {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        if let Some(v) = read_numeric(r, digits_u64, Some)? {
            *self = v;
        }
        Ok(())
    }
}

impl Field for Option<u32> {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        *self = read_numeric(r, |b| digits_u64(b).map(clamp), |v| Some(clamp(v)))?;
        Ok(())
    }
}

impl Field for u32 {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        let mut v: Option<u32> = None;
        v.read(r)?;
        if let Some(v) = v {
            *self = v;
        }
        Ok(())
    }
}

impl Field for Option<i64> {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        *self = read_numeric(r, number_i64, |v| i64::try_from(v).ok())?;
        Ok(())
    }
}

impl Field for Option<bool> {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        *self = match r.peek_kind()? {
            Kind::True | Kind::False => Some(r.literal()? == Kind::True),
            Kind::Number => number_u64(r.number()?).map(|v| v != 0),
            Kind::String => {
                let s = r.string()?.single()?;
                match trim(s.raw()) {
                    b"true" | b"1" => Some(true),
                    b"false" | b"0" => Some(false),
                    _ => None,
                }
            }
            _ => {
                r.skip_value()?;
                None
            }
        };
        Ok(())
    }
}

impl Field for bool {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        let mut v: Option<bool> = None;
        v.read(r)?;
        *self = v.unwrap_or(false);
        Ok(())
    }
}

/// Appends the decoded text of a raw JSON string to `t` (invalid UTF-8 becomes U+FFFD).
///
/// # Errors
/// The [`SyntaxError`] of a bad escape; what decoded before it is kept.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn push_raw(mut t: TextMut<'_>, s: super::EscapedStr<'_>) -> Result<(), SyntaxError> {
    if !s.has_escapes() {
        t.push_bytes_lossy(s.raw());
    } else if s.is_double() {
        // From the one-pass reader: both levels decoded at once, as the two-pass path would
        // have decoded them.
        super::escaped::push(t, s.raw())?;
    } else if s.raw().len() <= SMALL {
        // Decode short strings into a stack buffer, then check UTF-8 and copy once.
        let mut buf = [0u8; SMALL];
        match super::unescape_into(s.raw(), &mut buf) {
            Ok(n) => t.push_bytes_lossy(buf.get(..n).unwrap_or(&[])),
            // Again run by run, to keep what decoded before the bad escape (as the browser's
            // `push_raw` does); a bad escape is rare enough to be read twice.
            Err(super::UnescapeError::Syntax(_)) => return push_pieces(t, s.raw()),
            Err(_) => {}
        }
    } else {
        push_pieces(t, s.raw())?;
    }
    Ok(())
}

/// See the other `push_raw`. The browser's module has no one-pass reader (whose strings are
/// escaped twice) and decodes a handful of names a second: one general path, 0.7 KB gzipped
/// less of what every page loads.
#[cfg(target_arch = "wasm32")]
pub(crate) fn push_raw(mut t: TextMut<'_>, s: super::EscapedStr<'_>) -> Result<(), SyntaxError> {
    if s.has_escapes() {
        return push_pieces(t, s.raw());
    }
    t.push_bytes_lossy(s.raw());
    Ok(())
}

/// [`push_raw`] of a string with escapes, run by run.
fn push_pieces(mut t: TextMut<'_>, raw: &[u8]) -> Result<(), SyntaxError> {
    super::unescape::for_each_piece(raw, |piece| match piece {
        super::unescape::Piece::Run(run) => t.push_bytes_lossy(run),
        super::unescape::Piece::Char(enc) => t.push_char(enc.char()),
    })
}

/// [`Field::read`] of a [`Text`] of any capacity.
///
/// The one-pass reader's short string (most kept values) is read where the field is, natively
/// off bare metal: the call cost more than its read; the rest is [`read_text_value`].
#[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
fn read_text<const E: bool>(mut t: TextMut<'_>, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
    t.clear();
    if E && r.short_string_into(&mut t) {
        return Ok(());
    }
    read_text_value(t, r)
}

/// [`read_text`] past the word test: a function of its own natively; elsewhere (the browser,
/// bare metal) part of `read_text` as before, where bytes count more.
#[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(never))]
#[cfg_attr(any(target_arch = "wasm32", target_os = "none"), inline(always))]
fn read_text_value<const E: bool>(
    mut t: TextMut<'_>,
    r: &mut Reader<'_, E>,
) -> Result<(), SyntaxError> {
    match r.peek_kind()? {
        Kind::String => r.string_into(t)?,
        Kind::Number => t.push_bytes_lossy(r.number()?.0),
        Kind::True | Kind::False => {
            let word = if r.literal()? == Kind::True {
                "true"
            } else {
                "false"
            };
            t.push_str(word);
        }
        _ => r.skip_value()?,
    }
    Ok(())
}

impl<const N: usize> Field for Text<N> {
    /// A string is unescaped into the text; a number is kept as written (ids); `true`/`false`
    /// as words; `null` and containers leave the text empty.
    #[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
    #[cfg_attr(any(target_arch = "wasm32", target_os = "none"), inline)]
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        read_text(self.as_mut(), r)
    }
}

impl<const N: usize> Field for Option<Text<N>> {
    // Forced inline natively, as `Text`'s read: a call for each optional text (a chat line's
    // `message_ref`) cost 9 instructions a frame more than the read where the field is.
    #[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        // A short string where the one-pass reader stands (a `message_ref`) is no `null`.
        if E {
            let mut t = self.get_or_insert_with(Text::new).as_mut();
            t.clear();
            if r.short_string_into(&mut t) {
                return Ok(());
            }
        }
        if r.peek_kind()? == Kind::Null {
            r.literal()?;
            *self = None;
            return Ok(());
        }
        let text = self.get_or_insert_with(Text::new);
        text.read(r)
    }
}

impl<T: Field + Default, const N: usize> Field for List<T, N> {
    /// An array fills the list (items beyond `N` are counted and skipped); anything else
    /// leaves it empty.
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        self.clear();
        if !r.next_is(b'[') && r.peek_kind()? != Kind::Array {
            return r.skip_value();
        }
        let item = |r: &mut Reader<'_, E>| match self.next_slot() {
            Some(slot) => slot.read(r),
            None => r.skip_value(),
        };
        // Natively each list has its own loop, its items' reading inlined into it; not on bare
        // metal (flash) nor in the browser's module, where bytes count more.
        #[cfg(not(any(target_arch = "wasm32", target_os = "none")))]
        return r.array_with(item);
        #[cfg(any(target_arch = "wasm32", target_os = "none"))]
        r.array(item)
    }
}

/// A struct read from a JSON object, member by member.
pub(crate) trait Members {
    /// Reads the object member `key` into its field, or skips it.
    fn read_member<const E: bool>(
        &mut self,
        r: &mut Reader<'_, E>,
        key: &[u8],
    ) -> Result<(), SyntaxError>;
}

/// Reads a JSON object member by member with `f`; `null` or a non-object is skipped and reads
/// nothing. In the browser's module behind a `dyn`, so that the loop exists once rather than
/// once per struct; on native targets each struct has its own, with its members' dispatch
/// inlined into it (a chat frame's 20 members cost two calls each less).
#[inline(always)]
pub(crate) fn read_object<'a, const E: bool>(
    r: &mut Reader<'a, E>,
    f: impl FnMut(&mut Reader<'a, E>, &'a [u8]) -> Result<(), SyntaxError>,
) -> Result<(), SyntaxError> {
    #[cfg(target_arch = "wasm32")]
    return read_object_dyn(r, &mut { f });
    #[cfg(not(target_arch = "wasm32"))]
    {
        if !r.next_is(b'{') && r.peek_kind()? != Kind::Object {
            return r.skip_value();
        }
        r.object_with(f)
    }
}

/// [`read_object`] in the browser's module: one copy for every struct.
#[cfg(target_arch = "wasm32")]
fn read_object_dyn<'a, const E: bool>(
    r: &mut Reader<'a, E>,
    f: &mut super::reader::OnMember<'_, 'a, E>,
) -> Result<(), SyntaxError> {
    if r.peek_kind()? != Kind::Object {
        return r.skip_value();
    }
    r.object_dyn(f)
}

/// Implements [`Field`] for a struct read from a JSON object, member by member:
/// `object_fields!(Type { b"json_key" | b"alias" => field, ... });`
/// Unknown members are skipped; `null` or a non-object leaves the struct at its default.
///
/// The keys are compared as whole slices, one `==` each, rather than with a `match` on byte
/// patterns: a `match` compiles to a byte-by-byte comparison tree (at `opt-level = "z"` one
/// load and branch per byte of every key: the bulk of the decoder's wasm code), while `==` on a
/// constant becomes a length test and a `memcmp`, which optimised native code turns into one or
/// two word compares.
macro_rules! object_fields {
    ($ty:ty { $($($key:literal)|+ => $field:ident),* $(,)? }) => {
        impl $crate::json::field::Members for $ty {
            #[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
            fn read_member<const E: bool>(
                &mut self,
                r: &mut $crate::json::reader::Reader<'_, E>,
                key: &[u8],
            ) -> Result<(), $crate::error::SyntaxError> {
                $(
                    if $(key == $key.as_slice())||+ {
                        return $crate::json::field::Field::read(&mut self.$field, r);
                    }
                )*
                r.skip_unwanted()
            }
        }
        impl $crate::json::field::Field for $ty {
            #[inline]
            fn read<const E: bool>(
                &mut self,
                r: &mut $crate::json::reader::Reader<'_, E>,
            ) -> Result<(), $crate::error::SyntaxError> {
                $crate::json::field::read_object(r, |r, key| {
                    $crate::json::field::Members::read_member(self, r, key)
                })
            }
        }
    };
}
pub(crate) use object_fields;

/// `Option<S>` of an object struct: `null` or absent is `None`, an object is `Some`.
macro_rules! optional_object {
    ($ty:ty) => {
        impl $crate::json::field::Field for Option<$ty> {
            fn read<const E: bool>(
                &mut self,
                r: &mut $crate::json::reader::Reader<'_, E>,
            ) -> Result<(), $crate::error::SyntaxError> {
                if !r.next_is(b'{') && r.peek_kind()? != $crate::json::reader::Kind::Object {
                    *self = None;
                    return r.skip_value();
                }
                let v = self.get_or_insert_with(Default::default);
                $crate::json::field::Field::read(v, r)
            }
        }
    };
}
pub(crate) use optional_object;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_escape_keeps_what_decoded_before_it_short_or_long() {
        use std::format;
        use std::string::ToString;
        // Hand-checked: `\u00e9` is é, `\q` is no escape. Short strings take the stack
        // buffer, long ones (over `SMALL`) the run-by-run path: both keep the same prefix.
        let long = "x".repeat(SMALL + 10);
        for (raw, kept) in [
            (r"caf\u00e9 \q rest".to_string(), "café ".to_string()),
            (format!(r"{long}\u00e9\q"), format!("{long}é")),
        ] {
            let mut t = Text::<1024>::new();
            let got = push_raw(
                t.as_mut(),
                super::super::EscapedStr::new(raw.as_bytes(), true),
            );
            assert_eq!(got, Err(SyntaxError::BadEscape), "{raw}");
            assert_eq!(&*t, kept.as_str());
        }
        // And the decoded text when all is well.
        let mut t = Text::<64>::new();
        push_raw(
            t.as_mut(),
            super::super::EscapedStr::new(br"caf\u00e9 \/ \ud83d\ude00", true),
        )
        .unwrap();
        assert_eq!(&*t, "café / 😀");
    }

    fn read<T: Field + Default>(json: &str) -> T {
        let mut v = T::default();
        let mut r = Reader::new(json.as_bytes());
        v.read(&mut r).unwrap();
        r.finish().unwrap();
        v
    }

    #[test]
    fn ids_as_numbers_or_strings() {
        assert_eq!(read::<Option<u64>>("123"), Some(123));
        assert_eq!(read::<Option<u64>>("\"123\""), Some(123));
        assert_eq!(read::<Option<u64>>("\" 42 \""), Some(42));
        assert_eq!(read::<Option<u64>>("1.5"), Some(1));
        // Exponents move the point: JSON allows them, and the integer part is what is read.
        // (Read as 1 before: found by the `http_reply` fuzz target's comparison with
        // serde_json.)
        for (json, want) in [
            ("1.25e1", Some(12)),
            ("1e3", Some(1000)),
            ("12E-1", Some(1)),
            ("12e-5", Some(0)),
            ("0.5e1", Some(5)),
            ("1.5e+1", Some(15)),
            ("\"1e3\"", Some(1000)),
            ("0e999999999999", Some(0)),
            ("1e20", None),
            ("1e999999999999999999999", None),
            ("18446744073709551615e0", Some(u64::MAX)),
            ("1.8446744073709551615e19", Some(u64::MAX)),
            // The plain-digits path ends at 19 digits; 20 take the checked one.
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
            ("\"0000000000000000001\"", Some(1)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("0", Some(0)),
        ] {
            assert_eq!(read::<Option<u64>>(json), want, "{json}");
        }
        assert_eq!(read::<Option<i64>>("-2.5e1"), Some(-25));
        assert_eq!(read::<Option<u64>>("-3"), None);
        assert_eq!(read::<Option<u64>>("null"), None);
        assert_eq!(read::<Option<u64>>("{\"a\":1}"), None);
        assert_eq!(read::<Option<u64>>("99999999999999999999"), None);
        assert_eq!(read::<Option<i64>>("-3"), Some(-3));
        // i64's ends, as numbers and as strings, and one past each.
        for (json, want) in [
            ("-9223372036854775808", Some(i64::MIN)),
            ("\"-9223372036854775808\"", Some(i64::MIN)),
            ("-9223372036854775809", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("-0", Some(0)),
        ] {
            assert_eq!(read::<Option<i64>>(json), want, "{json}");
        }
    }

    /// [`digits_u64`] as it was written before its one loop (two loops over `int` and `frac`
    /// chained, the exponent folded with `saturating_mul`): the reading the browser's module
    /// keeps, whatever its code.
    fn two_loop_digits(b: &[u8]) -> Option<u64> {
        /// Its own split, as it was (`take_while`), not the one under test.
        fn leading_digits(b: &[u8]) -> (&[u8], &[u8]) {
            b.split_at(b.iter().take_while(|d| d.is_ascii_digit()).count())
        }
        let (int, rest) = leading_digits(b);
        if int.is_empty() || !matches!(rest.first(), None | Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let (frac, rest) = match rest {
            [b'.', r @ ..] => leading_digits(r),
            _ => (&[][..], rest),
        };
        let exp = match rest {
            [b'e' | b'E', rest @ ..] => {
                let (negative, rest) = match rest.split_first() {
                    Some((b'-', r)) => (true, r),
                    Some((b'+', r)) => (false, r),
                    _ => (false, rest),
                };
                let e = leading_digits(rest).0.iter().fold(0i64, |e, d| {
                    e.saturating_mul(10).saturating_add(i64::from(d - b'0'))
                });
                if negative { e.saturating_neg() } else { e }
            }
            _ => 0,
        };
        let keep = i64::try_from(int.len()).unwrap().saturating_add(exp);
        let keep = usize::try_from(keep.max(0)).unwrap_or(usize::MAX);
        let mut v: u64 = 0;
        for &d in int.iter().chain(frac).take(keep) {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        let written = int.len() + frac.len();
        for _ in written..keep {
            if v == 0 {
                break;
            }
            v = v.checked_mul(10)?;
        }
        Some(v)
    }

    #[test]
    fn digits_read_as_the_two_loop_form_read_them() {
        use std::string::String;
        use std::vec::Vec;
        // Every string of up to five of these bytes (numbers, broken ones, signs and words)...
        const BYTES: &[u8] = b"019.eE+-x";
        let mut inputs: Vec<String> = std::vec![String::new()];
        let mut last = inputs.clone();
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s| BYTES.iter().map(move |b| std::format!("{s}{}", *b as char)))
                .collect();
            inputs.extend(last.iter().cloned());
        }
        // ...and the edges: u64::MAX and past it, the point moved by exponents near i64's
        // ends, fractions longer than the value, 19 and 20 digits (the native fast path's end).
        for s in [
            "18446744073709551615",
            "18446744073709551616",
            "18446744073709551615e0",
            "1844674407370955161.5e1",
            "1844674407370955161.6e1",
            "1.8446744073709551615e19",
            "1.8446744073709551616e19",
            "9999999999999999999",
            "99999999999999999999",
            "0000000000000000000000000001",
            "1e19",
            "1e20",
            "0e99999999999999999999",
            "1e9223372036854775807",
            "1e9223372036854775808",
            "1e-9223372036854775808",
            "1e-99999999999999999999",
            "12345678901234567890e-19",
            "0.000000000000000000000000012345e30",
            "1.2345678901234567890123e5",
            "5.e3",
            "5.x",
            "5e+",
            "5e-x",
            "7.25e2garbage",
        ] {
            inputs.push(s.into());
        }
        for s in &inputs {
            let b = s.as_bytes();
            assert_eq!(digits_u64(b), two_loop_digits(b), "{s:?}");
            assert_eq!(point_digits(b), two_loop_digits(b), "{s:?}");
        }
    }

    #[test]
    fn booleans_in_every_form() {
        for (json, want) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("1", Some(true)),
            ("0", Some(false)),
            ("\"true\"", Some(true)),
            ("\"0\"", Some(false)),
            ("null", None),
            ("[]", None),
        ] {
            assert_eq!(read::<Option<bool>>(json), want, "{json}");
        }
    }

    #[test]
    fn text_from_any_scalar() {
        assert_eq!(read::<Text<16>>(r#""a\"b""#).as_str(), "a\"b");
        assert_eq!(read::<Text<16>>("12345").as_str(), "12345");
        assert_eq!(read::<Text<16>>("null").as_str(), "");
        assert_eq!(read::<Option<Text<16>>>("null"), None);
        assert_eq!(read::<Text<3>>(r#""\u00e9\u00e9""#).as_str(), "é");
    }

    #[test]
    fn list_keeps_exact_total() {
        let l = read::<List<Option<u64>, 2>>("[1,2,3,4]");
        assert_eq!(l.as_slice(), &[Some(1), Some(2)]);
        assert_eq!(l.total(), 4);
    }
}
