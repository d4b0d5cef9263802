//! A JSON text writer into the output buffer, for the few answers JavaScript reads with
//! `JSON.parse` (lifecycle events, HTTP requests and replies): a few hundred bytes of code
//! where `serde` and `core::fmt` would cost kilobytes.

/// Writes JSON into a fixed buffer; text that does not fit is cut and [`finish`](Self::finish)
/// says so by answering 0, which JavaScript treats as "nothing".
pub(crate) struct Json<'a> {
    buf: &'a mut [u8],
    len: usize,
    full: bool,
}

impl<'a> Json<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            full: false,
        }
    }

    /// Appends `s` as it is (JSON punctuation, keys known to need no escaping).
    pub(crate) fn raw(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes());
        self
    }

    fn bytes(&mut self, b: &[u8]) {
        let end = self.len.saturating_add(b.len());
        match self.buf.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(b);
                self.len = end;
            }
            None => self.full = true,
        }
    }

    /// Appends `s` as a JSON string: quotes, backslashes and control characters escaped.
    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(b"\"");
        self.str_body(s);
        self.bytes(b"\"");
        self
    }

    /// Appends `s` escaped as inside a JSON string, without the quotes.
    pub(crate) fn str_body(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut start = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                self.bytes(s.as_bytes().get(start..i).unwrap_or_default());
                let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                let lo = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
                match b {
                    b'"' | b'\\' => self.bytes(&[b'\\', b]),
                    _ => self.bytes(&[b'\\', b'u', b'0', b'0', hi, lo]),
                }
                start = i.saturating_add(1);
            }
        }
        self.bytes(s.as_bytes().get(start..).unwrap_or_default());
    }

    /// Appends a whole number.
    pub(crate) fn num(&mut self, mut n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i = i.saturating_sub(1);
            if let Some(d) = digits.get_mut(i) {
                *d = b'0'.saturating_add((n % 10) as u8);
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.bytes(digits.get(i..).unwrap_or_default());
        self
    }

    /// Appends a number, or `null` for none.
    #[cfg(feature = "core")]
    pub(crate) fn opt(&mut self, n: Option<u64>) -> &mut Self {
        match n {
            Some(n) => self.num(n),
            None => self.raw("null"),
        }
    }

    /// The length written, or 0 when it did not fit.
    pub(crate) fn finish(&self) -> u32 {
        if self.full { 0 } else { self.len as u32 }
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[test]
    fn escapes_what_json_needs_and_nothing_else() {
        let mut buf = [0u8; 64];
        let mut j = Json::new(&mut buf);
        j.raw("[")
            .str("a\"b\\c\n\u{1}é")
            .raw(",")
            .num(0)
            .raw(",")
            .num(4200)
            .raw(",")
            .opt(None)
            .raw("]");
        let n = j.finish() as usize;
        assert_eq!(
            &buf[..n],
            "[\"a\\\"b\\\\c\\u000a\\u0001é\",0,4200,null]".as_bytes()
        );
    }

    #[test]
    fn what_does_not_fit_is_nothing() {
        let mut buf = [0u8; 4];
        let mut j = Json::new(&mut buf);
        j.str("hello");
        assert_eq!(j.finish(), 0);
    }
}
