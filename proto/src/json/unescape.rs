//! JSON string unescaping without an allocator: in place, into a caller's buffer, or piece by
//! piece into a fixed-capacity [`Text`](crate::Text).
//!
//! Handles `\" \\ \/ \b \f \n \r \t \uXXXX`; a UTF-16 surrogate pair (`\ud83d\ude00`, what PHP's
//! `json_encode` writes for every astral character) becomes one 4-byte UTF-8 char, and a lone
//! surrogate becomes U+FFFD, as `JSON.parse` + `TextEncoder` do within one level (a pair split across
//! the two levels of Kick's double encoding, which no real encoder writes, gives two U+FFFD).
//! Raw UTF-8 is copied as is.
//!
//! Decoding never grows a string (an escape is at least as long as the UTF-8 it stands for: 2 → 1,
//! 6 → ≤ 3, 12 → 4 bytes), which is what makes in-place decoding possible.

use crate::error::SyntaxError;

/// One decoded piece of a JSON string: a run of bytes with no escape, or one escaped char.
pub(crate) enum Piece<'a> {
    /// Bytes copied verbatim (not yet checked for UTF-8).
    Run(&'a [u8]),
    /// A char from an escape sequence, with its UTF-8 encoding.
    Char(Utf8),
}

/// A char's UTF-8 encoding on the stack.
pub(crate) struct Utf8 {
    buf: [u8; 4],
    len: usize,
    c: char,
}

impl Utf8 {
    fn new(c: char) -> Self {
        let mut buf = [0; 4];
        let len = c.encode_utf8(&mut buf).len();
        Self { buf, len, c }
    }

    /// The char itself.
    pub(crate) const fn char(&self) -> char {
        self.c
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

/// The value of the four hexadecimal digits at `src[at..]`, if there are four and they are all
/// hexadecimal.
#[cfg(target_arch = "wasm32")]
pub(crate) fn hex4(src: &[u8], at: usize) -> Option<u32> {
    let digits = src.get(at..at.checked_add(4)?)?;
    let mut v = 0u32;
    for &d in digits {
        let n = char::from(d).to_digit(16)?;
        v = (v << 4) | n;
    }
    Some(v)
}

/// See the other `hex4`: natively, one table load a digit and one test for all four (every
/// `\u` escape of a chat line goes through here), rather than a branch a digit.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(crate) fn hex4(src: &[u8], at: usize) -> Option<u32> {
    let &[a, b, c, d] = src.get(at..)?.first_chunk::<4>()?;
    let value = |x: u8| u32::from(HEX.get(usize::from(x)).copied().unwrap_or(NOT_HEX));
    let (a, b, c, d) = (value(a), value(b), value(c), value(d));
    // A digit's value fits in four bits; `NOT_HEX` does not.
    ((a | b | c | d) < 16).then_some((a << 12) | (b << 8) | (c << 4) | d)
}

/// What [`HEX`] holds for a byte that is not a hexadecimal digit.
#[cfg(not(target_arch = "wasm32"))]
const NOT_HEX: u8 = 0xFF;

/// Each byte's value as a hexadecimal digit, or [`NOT_HEX`].
#[cfg(not(target_arch = "wasm32"))]
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "evaluated at compile time: an index out of range or an overflow is a build error"
)]
static HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The code point of the UTF-16 surrogate pair `high`, `low`, each already checked to be in
/// its range (`0xD800..=0xDBFF`, `0xDC00..=0xDFFF`): then it cannot wrap, at most 0x10FFFF.
#[inline(always)]
pub(crate) const fn pair_code(high: u32, low: u32) -> u32 {
    (high.wrapping_sub(0xD800) << 10)
        .wrapping_add(low.wrapping_sub(0xDC00))
        .wrapping_add(0x1_0000)
}

/// The char a `\u` escape's UTF-16 `unit` stands for, taking the next escape's unit (`low`,
/// asked for only after a high surrogate) when the two make a surrogate pair; and whether they
/// did. A lone surrogate is U+FFFD.
pub(crate) fn unit_char(unit: u32, low: impl FnOnce() -> Option<u32>) -> (char, bool) {
    if !(0xD800..=0xDBFF).contains(&unit) {
        return (
            char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
            false,
        );
    }
    match low() {
        Some(low @ 0xDC00..=0xDFFF) => (
            char::from_u32(pair_code(unit, low)).unwrap_or(char::REPLACEMENT_CHARACTER),
            true,
        ),
        _ => (char::REPLACEMENT_CHARACTER, false),
    }
}

/// Decodes the escape sequence that starts with the backslash at `src[at]`; returns the char and
/// how many bytes the sequence used.
pub(crate) fn decode_escape(src: &[u8], at: usize) -> Result<(char, usize), SyntaxError> {
    let kind = src
        .get(at.saturating_add(1))
        .ok_or(SyntaxError::UnexpectedEnd)?;
    let simple = match kind {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return decode_unicode(src, at),
        _ => return Err(SyntaxError::BadEscape),
    };
    Ok((simple, 2))
}

fn decode_unicode(src: &[u8], at: usize) -> Result<(char, usize), SyntaxError> {
    let unit = hex4(src, at.saturating_add(2)).ok_or(SyntaxError::BadEscape)?;
    let next = at.saturating_add(6);
    let (c, paired) = unit_char(unit, || match src.get(next..next.saturating_add(2)) {
        Some(b"\\u") => hex4(src, next.saturating_add(2)),
        _ => None,
    });
    Ok((c, if paired { 12 } else { 6 }))
}

/// Calls `f` with each piece of the raw string contents `src`, in order.
pub(crate) fn for_each_piece<'a>(
    src: &'a [u8],
    mut f: impl FnMut(Piece<'a>),
) -> Result<(), SyntaxError> {
    let mut pos = 0;
    loop {
        let rest = src.get(pos..).unwrap_or(&[]);
        let Some(k) = super::scan::find1(rest, b'\\') else {
            if !rest.is_empty() {
                f(Piece::Run(rest));
            }
            return Ok(());
        };
        if k > 0 {
            f(Piece::Run(rest.get(..k).unwrap_or(&[])));
        }
        let at = pos.saturating_add(k);
        let (c, used) = decode_escape(src, at)?;
        f(Piece::Char(Utf8::new(c)));
        pos = at.saturating_add(used);
    }
}

/// Decodes the escapes of raw JSON string contents in place and returns the decoded length.
///
/// `buf` holds what was between the quotes; afterwards `buf[..len]` is the decoded text (raw bytes
/// are not checked for UTF-8 here: decoding a payload twice needs no check in between).
///
/// # Errors
/// [`SyntaxError::BadEscape`] for an unknown escape or bad `\u` digits,
/// [`SyntaxError::UnexpectedEnd`] for a trailing lone backslash. `buf` is then partly rewritten.
///
/// # Example
/// ```
/// let mut buf = *br#"caf\u00e9 \ud83d\ude00 \"q\""#;
/// let n = kickwire_proto::json::unescape_in_place(&mut buf).unwrap();
/// assert_eq!(core::str::from_utf8(&buf[..n]).unwrap(), "café 😀 \"q\"");
/// ```
pub fn unescape_in_place(buf: &mut [u8]) -> Result<usize, SyntaxError> {
    let len = buf.len();
    let mut read = 0;
    let mut write = 0;
    loop {
        let rest = buf.get(read..).unwrap_or(&[]);
        let Some(k) = super::scan::find1(rest, b'\\') else {
            crate::bytes::move_within(buf, read, len, write);
            return Ok(write.saturating_add(len.saturating_sub(read)));
        };
        let at = read.saturating_add(k);
        // Invariant: write <= read (decoding never grows), so these ranges are in bounds.
        crate::bytes::move_within(buf, read, at, write);
        write = write.saturating_add(k);
        let (c, used) = decode_escape(buf, at)?;
        let enc = Utf8::new(c);
        let end = write.saturating_add(enc.len);
        if let Some(dst) = buf.get_mut(write..end) {
            crate::bytes::copy(dst, enc.as_slice());
        }
        write = end;
        read = at.saturating_add(used);
    }
}

/// Decodes raw JSON string contents from `src` into `dst` and returns the decoded length.
///
/// # Errors
/// [`UnescapeError::BufferTooSmall`] when `dst` is shorter than `src` (decoding never grows, so
/// `src.len()` bytes always suffice), or the [`SyntaxError`] of a bad escape.
pub fn unescape_into(src: &[u8], dst: &mut [u8]) -> Result<usize, UnescapeError> {
    if dst.len() < src.len() {
        return Err(UnescapeError::BufferTooSmall {
            required: src.len(),
        });
    }
    copy_unescaping(src, dst).map(|(_, written)| written)
}

/// The loop behind [`unescape_into`]: copies eight bytes at a time and looks at them afterwards,
/// so a run between two escapes costs no call and no second read. The outer `data` string has
/// an escape every few bytes (each inner quote is `\"`), which is why this beats "find the next
/// backslash, then memcpy the run" there.
#[inline]
fn copy_unescaping(src: &[u8], dst: &mut [u8]) -> Result<(usize, usize), UnescapeError> {
    let syntax = UnescapeError::Syntax;
    let full = UnescapeError::BufferTooSmall {
        required: src.len(),
    };
    // Index arithmetic wraps rather than saturates: both indices stay within their slices
    // (whose lengths are at most `isize::MAX`), so a few bytes more never overflow, and
    // every access still goes through `get`.
    let mut read = 0usize;
    let mut write = 0usize;
    loop {
        // Fast path: whole words while both sides have eight bytes left. Bytes after a special
        // one are copied too, harmlessly: they are rewritten from `write` on.
        // (`first_chunk` gives arrays: a fixed-size copy is one move, where a slice copy of
        // unknown length would be a call to memcpy.)
        while let (Some(s), Some(d)) = (
            src.get(read..).and_then(<[u8]>::first_chunk::<8>),
            dst.get_mut(write..).and_then(<[u8]>::first_chunk_mut::<8>),
        ) {
            *d = *s;
            let hit = super::scan::special_in_word(*s, b'\\', b'\\');
            let Some(k) = hit else {
                read = read.wrapping_add(8);
                write = write.wrapping_add(8);
                continue;
            };
            // The common case, `\"` inside the word, is finished here without leaving the
            // loop: overwrite the copied backslash and step over the escape.
            let (Some(b'\\'), Some(&next)) = (s.get(k), s.get(k.wrapping_add(1))) else {
                read = read.wrapping_add(k);
                write = write.wrapping_add(k);
                break;
            };
            let Some(&byte) = SIMPLE.get(usize::from(next)).filter(|&&b| b != 0) else {
                read = read.wrapping_add(k);
                write = write.wrapping_add(k);
                break;
            };
            if let Some(slot) = d.get_mut(k) {
                *slot = byte;
            }
            read = read.wrapping_add(k).wrapping_add(2);
            write = write.wrapping_add(k).wrapping_add(1);
        }
        // Slow path: one byte, which is special when the fast path stopped on it.
        let byte = match src.get(read) {
            None => return Ok((read, write)),
            Some(&b) => b,
        };
        match byte {
            b'\\' => {
                let (c, used) = decode_escape(src, read).map_err(syntax)?;
                let enc = Utf8::new(c);
                let end = write.wrapping_add(enc.len);
                crate::bytes::copy(dst.get_mut(write..end).ok_or(full)?, enc.as_slice());
                write = end;
                read = read.wrapping_add(used);
            }
            b => {
                *dst.get_mut(write).ok_or(full)? = b;
                write = write.wrapping_add(1);
                read = read.wrapping_add(1);
            }
        }
    }
}

/// The byte each one-character escape stands for, by the character after the backslash; 0 for
/// `u` and for what is not an escape.
// Indexing in a const initialiser is checked when compiling: a bad index fails the build.
#[allow(clippy::indexing_slicing)]
const SIMPLE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t[b'b' as usize] = 0x08;
    t[b'f' as usize] = 0x0c;
    t[b'n' as usize] = b'\n';
    t[b'r' as usize] = b'\r';
    t[b't' as usize] = b'\t';
    t
};

/// Why [`unescape_into`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum UnescapeError {
    /// The destination is shorter than the source; `required` bytes always suffice.
    BufferTooSmall {
        /// The length that always suffices: the source's.
        required: usize,
    },
    /// The source is not valid JSON string contents.
    Syntax(SyntaxError),
}

impl core::fmt::Display for UnescapeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BufferTooSmall { required } => {
                write!(f, "buffer too small: {required} bytes needed")
            }
            Self::Syntax(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for UnescapeError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescape(s: &str) -> Result<std::string::String, SyntaxError> {
        let mut buf = s.as_bytes().to_vec();
        let n = unescape_in_place(&mut buf)?;
        buf.truncate(n);
        Ok(std::string::String::from_utf8(buf).unwrap())
    }

    #[test]
    fn hex4_reads_four_digits_of_either_case_and_nothing_else() {
        let cases: [(&[u8], usize, Option<u32>); 11] = [
            (b"00e9", 0, Some(0xE9)),
            (b"\\ud83d", 2, Some(0xD83D)),
            (b"DE00", 0, Some(0xDE00)),
            (b"fFfF", 0, Some(0xFFFF)),
            (b"0000", 0, Some(0)),
            (b"a9F0x", 0, Some(0xA9F0)),
            // A byte that is not a digit in any of the four places.
            (b"00g0", 0, None),
            (b"0 10", 0, None),
            (b"/9:0", 0, None),
            (b"00\xc3\xa9", 0, None),
            // Fewer than four bytes left.
            (b"00e", 0, None),
        ];
        for (src, at, want) in cases {
            assert_eq!(hex4(src, at), want, "{src:?} at {at}");
        }
        assert_eq!(hex4(b"00e9", usize::MAX), None);
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(
            unescape(r#"\"\\\/\b\f\n\r\t"#).unwrap(),
            "\"\\/\u{8}\u{c}\n\r\t"
        );
        assert_eq!(unescape("no escapes").unwrap(), "no escapes");
        assert_eq!(unescape("").unwrap(), "");
    }

    #[test]
    fn unicode_escapes() {
        assert_eq!(unescape(r"\u0041\u00e9\u20ac").unwrap(), "Aé€");
        assert_eq!(unescape(r"\u015f").unwrap(), "ş");
        assert_eq!(unescape(r"x\ud83d\ude2dy").unwrap(), "x😭y");
        assert_eq!(unescape(r"\uD83D\uDE2D").unwrap(), "😭");
    }

    #[test]
    fn lone_surrogates_become_replacement() {
        assert_eq!(unescape(r"\ud83d").unwrap(), "\u{FFFD}");
        assert_eq!(unescape(r"\ude2d").unwrap(), "\u{FFFD}");
        assert_eq!(unescape(r"\ud83dx").unwrap(), "\u{FFFD}x");
        assert_eq!(unescape(r"\ud83d\u0041").unwrap(), "\u{FFFD}A");
        assert_eq!(unescape(r"\ud83d\ud83d\ude2d").unwrap(), "\u{FFFD}😭");
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert_eq!(unescape(r"\x"), Err(SyntaxError::BadEscape));
        assert_eq!(unescape(r"\u12"), Err(SyntaxError::BadEscape));
        assert_eq!(unescape(r"\u12g4"), Err(SyntaxError::BadEscape));
        assert_eq!(unescape("\\"), Err(SyntaxError::UnexpectedEnd));
    }

    #[test]
    fn into_needs_source_length() {
        let mut small = [0u8; 3];
        assert_eq!(
            unescape_into(br"\u0041bcd", &mut small),
            Err(UnescapeError::BufferTooSmall { required: 9 })
        );
        let mut big = [0u8; 9];
        assert_eq!(unescape_into(br"\u0041bcd", &mut big), Ok(4));
        assert_eq!(&big[..4], b"Abcd");
    }
}
