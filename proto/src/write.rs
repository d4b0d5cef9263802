//! Text written into a caller's buffer: the one writer, decimal formatter and JSON string
//! escaper of kickwire. Proto's frames and HTTP requests are written with them, and so are the
//! WebSocket link's upgrade request and frames, the browser package's JSON and the simulator's
//! JSON lines.
//!
//! A [`Writer`] never overruns its buffer and never fails half-way: what does not fit is
//! counted, so that the caller learns how much room the whole text needs.
//!
//! ```
//! use kickwire_proto::write::Writer;
//! let mut buf = [0u8; 32];
//! let mut w = Writer::new(&mut buf);
//! w.str("{\"n\":");
//! w.u64(42);
//! w.str(",\"s\":\"");
//! w.json_str("a \"quote\"\n");
//! w.str("\"}");
//! assert_eq!(w.into_str(), Ok(r#"{"n":42,"s":"a \"quote\"\n"}"#));
//!
//! let mut small = [0u8; 4];
//! let mut w = Writer::new(&mut small);
//! w.str("0123456789");
//! assert_eq!(w.into_str(), Err(10)); // the room it needed
//! ```

/// Decimal digits of `u64::MAX`.
pub(crate) const U64_DIGITS: usize = 20;

/// Appends to a byte buffer, counting what does not fit.
#[derive(Debug)]
pub struct Writer<'b> {
    buf: &'b mut [u8],
    /// Bytes of the text so far; past `buf.len()` once something did not fit (from then on,
    /// nothing more is copied).
    len: usize,
}

impl<'b> Writer<'b> {
    /// A writer at the start of `buf`.
    #[must_use]
    pub const fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Appends `b`: copied when it fits after everything before it, counted either way.
    pub fn bytes(&mut self, b: &[u8]) {
        if let Some(dst) = self.take(b.len()) {
            crate::bytes::copy(dst, b);
        }
    }

    /// Appends `s`.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// Appends `n` in decimal.
    pub fn u64(&mut self, n: u64) {
        let mut digits = [0u8; U64_DIGITS];
        self.bytes(u64_digits(n, &mut digits));
    }

    /// Appends `s` as the contents of a JSON string (escaped as [`escape_json`] does). Byte
    /// runs rather than [`escape_json`]'s `str` pieces: cutting a `str` checks char boundaries
    /// and its escapes a UTF-8 check, code the browser's core module carried for this alone
    /// (0.16 KB gzipped).
    pub fn json_str(&mut self, s: &str) {
        let s = s.as_bytes();
        let mut run = 0;
        for (i, &b) in s.iter().enumerate() {
            let mut unicode = [0; 6];
            let Some(escape) = escape_of(b, &mut unicode) else {
                continue;
            };
            self.bytes(s.get(run..i).unwrap_or_default());
            self.bytes(escape);
            run = i.saturating_add(1);
        }
        self.bytes(s.get(run..).unwrap_or_default());
    }

    /// The next `n` bytes, counted as written, for the caller to fill in place; `None` when
    /// they do not fit (they are counted all the same).
    pub fn take(&mut self, n: usize) -> Option<&mut [u8]> {
        let start = self.len;
        self.len = start.saturating_add(n);
        self.buf.get_mut(start..self.len)
    }

    /// Bytes the text needs so far (more than the buffer holds once it has overflowed).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Nothing written yet.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Something did not fit.
    #[must_use]
    pub const fn overflowed(&self) -> bool {
        self.len > self.buf.len()
    }

    /// The bytes written, or (`Err`) how many the whole text needs.
    ///
    /// # Errors
    /// The text did not fit: the length it needs.
    pub fn into_bytes(self) -> Result<&'b [u8], usize> {
        let len = self.len;
        self.buf.get(..len).ok_or(len)
    }

    /// The text written, or (`Err`) how many bytes it needs. Only `str`s and ASCII go in
    /// through [`str`](Self::str), [`u64`](Self::u64) and [`json_str`](Self::json_str); bytes
    /// that are not UTF-8 make this an `Err` with the length.
    ///
    /// # Errors
    /// As [`into_bytes`](Self::into_bytes).
    pub fn into_str(self) -> Result<&'b str, usize> {
        let len = self.len;
        self.into_bytes()
            .and_then(|b| crate::text::utf8(b).ok_or(len))
    }
}

/// Writes `n` in decimal into `buf` and returns it as a `str`.
pub(crate) fn u64_str(n: u64, buf: &mut [u8; U64_DIGITS]) -> &str {
    crate::text::utf8(u64_digits(n, buf)).unwrap_or("0")
}

/// Writes `n` in decimal into `buf` and returns the digits: what [`Writer::u64`] appends as
/// they are (they need no check as UTF-8, which cost the browser's module a call each).
fn u64_digits(mut n: u64, buf: &mut [u8; U64_DIGITS]) -> &[u8] {
    let mut at = U64_DIGITS;
    loop {
        at = at.saturating_sub(1);
        if let Some(slot) = buf.get_mut(at) {
            // `n % 10` is below 10: the cast and the addition cannot overflow.
            *slot = b'0'.wrapping_add((n % 10) as u8);
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or(b"0")
}

/// Gives `out` the pieces of `s` escaped as the contents of a JSON string (no quotes around
/// them): `"` and `\` with a backslash, newline, carriage return and tab as `\n`, `\r`, `\t`,
/// the other control characters below U+0020 as `\u00XX`; everything else as it is (all of
/// UTF-8: JSON needs nothing more).
///
/// ```
/// let mut out = String::new();
/// kickwire_proto::write::escape_json("a\"b\\c\n\u{1}é", |p| out.push_str(p));
/// assert_eq!(out, r#"a\"b\\c\n\u0001é"#);
/// ```
pub fn escape_json(s: &str, mut out: impl FnMut(&str)) {
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let mut unicode = [0; 6];
        let Some(escape) = escape_of(b, &mut unicode) else {
            continue;
        };
        // `i` is an ASCII byte's index: a char boundary on both sides.
        out(s.get(run..i).unwrap_or(""));
        out(crate::text::utf8(escape).unwrap_or(""));
        run = i.saturating_add(1);
    }
    out(s.get(run..).unwrap_or(""));
}

/// What JSON writes for byte `b` inside a string (see [`escape_json`]), a `\u00XX` escape
/// written into `unicode`; `None` for a byte written as it is.
fn escape_of(b: u8, unicode: &mut [u8; 6]) -> Option<&[u8]> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Some(match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0..=0x1f => {
            *unicode = *b"\\u0000";
            unicode[4] = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            unicode[5] = HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0');
            unicode
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json_strings_and_numbers() {
        let mut buf = [0u8; 64];
        let mut w = Writer::new(&mut buf);
        w.str("{\"a\":\"");
        w.json_str("q\"b\\s\n\u{1}\u{1f}é");
        w.str("\",\"n\":");
        w.u64(0);
        w.str(",\"m\":");
        w.u64(18_446_744_073_709_551_615);
        w.str("}");
        let s = w.into_str().unwrap_or_default();
        assert_eq!(
            s,
            r#"{"a":"q\"b\\s\n\u0001\u001fé","n":0,"m":18446744073709551615}"#
        );
        let v: serde_json::Value = serde_json::from_str(s).unwrap_or_default();
        assert_eq!(v["a"], "q\"b\\s\n\u{1}\u{1f}é");
    }

    #[test]
    fn counts_what_does_not_fit_and_copies_nothing_after_it() {
        let mut buf = [b'.'; 4];
        let mut w = Writer::new(&mut buf);
        w.str("ab");
        w.str("cde"); // does not fit: counted, not copied
        w.u64(12);
        assert!(w.overflowed());
        assert_eq!(w.len(), 7);
        assert_eq!(w.into_bytes(), Err(7));
        assert_eq!(&buf, b"ab..");
        let mut empty = [0u8; 0];
        let w = Writer::new(&mut empty);
        assert!(w.is_empty());
        assert_eq!(w.into_str(), Ok(""));
    }

    #[test]
    fn take_hands_out_room_to_fill() {
        let mut buf = [0u8; 6];
        let mut w = Writer::new(&mut buf);
        w.bytes(b"ab");
        if let Some(room) = w.take(3) {
            room.copy_from_slice(b"xyz");
        }
        assert!(w.take(2).is_none(), "7 bytes in 6");
        assert_eq!(w.len(), 7);
        assert_eq!(&buf[..5], b"abxyz");
    }

    #[test]
    fn decimal_digits() {
        let mut d = [0u8; U64_DIGITS];
        assert_eq!(u64_str(0, &mut d), "0");
        assert_eq!(u64_str(7, &mut d), "7");
        assert_eq!(u64_str(2_507_974, &mut d), "2507974");
        assert_eq!(u64_str(u64::MAX, &mut d), "18446744073709551615");
    }
}
