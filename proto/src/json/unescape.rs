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
}

impl Utf8 {
    fn new(c: char) -> Self {
        let mut buf = [0; 4];
        let len = c.encode_utf8(&mut buf).len();
        Self { buf, len }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

fn hex4(src: &[u8], at: usize) -> Option<u32> {
    let digits = src.get(at..at.checked_add(4)?)?;
    let mut v = 0u32;
    for &d in digits {
        let n = char::from(d).to_digit(16)?;
        v = (v << 4) | n;
    }
    Some(v)
}

/// Decodes the escape sequence that starts with the backslash at `src[at]`; returns the char and
/// how many bytes the sequence used.
fn decode_escape(src: &[u8], at: usize) -> Result<(char, usize), SyntaxError> {
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
    match unit {
        0xD800..=0xDBFF => {
            // A high surrogate: combine with a following `\uDC00..\uDFFF`, else it stands alone.
            let next = at.saturating_add(6);
            let low = match src.get(next..next.saturating_add(2)) {
                Some(b"\\u") => hex4(src, next.saturating_add(2)),
                _ => None,
            };
            match low {
                Some(low @ 0xDC00..=0xDFFF) => {
                    // The match arms bound both units, so this cannot wrap: at most 0x10FFFF.
                    let c = ((unit.wrapping_sub(0xD800)) << 10)
                        .wrapping_add(low.wrapping_sub(0xDC00))
                        .wrapping_add(0x1_0000);
                    Ok((char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER), 12))
                }
                _ => Ok((char::REPLACEMENT_CHARACTER, 6)),
            }
        }
        _ => Ok((
            char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
            6,
        )),
    }
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
            buf.copy_within(read..len, write);
            return Ok(write.saturating_add(len.saturating_sub(read)));
        };
        let at = read.saturating_add(k);
        // Invariant: write <= read (decoding never grows), so these ranges are in bounds.
        buf.copy_within(read..at, write);
        write = write.saturating_add(k);
        let (c, used) = decode_escape(buf, at)?;
        let enc = Utf8::new(c);
        let end = write.saturating_add(enc.len);
        if let Some(dst) = buf.get_mut(write..end) {
            dst.copy_from_slice(enc.as_slice());
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
    // One pass, source to destination: this is the outer `data` string of every Kick frame,
    // where every inner quote is an escape, so the common escapes are written as single bytes.
    let syntax = UnescapeError::Syntax;
    let mut read = 0usize;
    let mut write = 0usize;
    loop {
        let rest = src.get(read..).unwrap_or(&[]);
        let run = super::scan::find1(rest, b'\\').unwrap_or(rest.len());
        let end = write.saturating_add(run);
        if let (Some(d), Some(s)) = (dst.get_mut(write..end), rest.get(..run)) {
            d.copy_from_slice(s);
        }
        write = end;
        let at = read.saturating_add(run);
        let simple = match src.get(at.saturating_add(1)) {
            None if at >= src.len() => return Ok(write),
            Some(b'"') => Some(b'"'),
            Some(b'\\') => Some(b'\\'),
            Some(b'/') => Some(b'/'),
            Some(b'n') => Some(b'\n'),
            _ => None,
        };
        if let Some(byte) = simple {
            if let Some(d) = dst.get_mut(write) {
                *d = byte;
            }
            write = write.saturating_add(1);
            read = at.saturating_add(2);
            continue;
        }
        let (c, used) = decode_escape(src, at).map_err(syntax)?;
        let enc = Utf8::new(c);
        let end = write.saturating_add(enc.len);
        if let Some(d) = dst.get_mut(write..end) {
            d.copy_from_slice(enc.as_slice());
        }
        write = end;
        read = at.saturating_add(used);
    }
}

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
