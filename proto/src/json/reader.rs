//! A pull reader over one JSON text: the hand-written scanner on the hot path.
//!
//! Contract: every method either consumes exactly one syntactic item and returns `Ok`, or returns
//! a [`SyntaxError`] and leaves the reader somewhere inside the input; no method panics, allocates
//! or recurses. Skipping an unknown value is iterative with a fixed depth limit
//! ([`limits::MAX_JSON_DEPTH`]), so 10,000 nested brackets cost one error, not a stack overflow.
//!
//! Strings are returned still escaped ([`EscapedStr`]): the bytes between the quotes with their
//! escapes in place. Only the fields we keep are unescaped (see [`super::unescape`]), which is
//! why this is faster than a general JSON decoder that unescapes and allocates every string it
//! meets.

use super::UnescapeError;
use crate::error::SyntaxError;
use crate::limits;
use crate::text::Text;

/// A JSON string borrowed from the input: the bytes between its quotes, escapes not yet decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscapedStr<'a> {
    bytes: &'a [u8],
    escaped: bool,
}

impl<'a> EscapedStr<'a> {
    /// Wraps raw string contents; `escaped` says whether a backslash occurs in them.
    pub(crate) const fn new(bytes: &'a [u8], escaped: bool) -> Self {
        Self { bytes, escaped }
    }

    /// The bytes between the quotes, escapes still in place.
    #[must_use]
    pub const fn raw(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether the string contains at least one escape sequence.
    #[must_use]
    pub const fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// Compares the *decoded* string with `s` without decoding into a buffer.
    #[must_use]
    pub fn eq_str(&self, s: &str) -> bool {
        if !self.escaped {
            return self.bytes == s.as_bytes();
        }
        let mut rest = s.as_bytes();
        let mut ok = true;
        let parsed = super::unescape::for_each_piece(self.bytes, |piece| {
            let bytes: &[u8] = match &piece {
                super::unescape::Piece::Run(run) => run,
                super::unescape::Piece::Char(enc) => enc.as_slice(),
            };
            match rest.strip_prefix(bytes) {
                Some(r) if ok => rest = r,
                _ => ok = false,
            }
        });
        parsed.is_ok() && ok && rest.is_empty()
    }
}

/// The decoded string as a [`Text`], cut to its capacity. Names and reasons with escapes are
/// rare (Kick's `App\\Events\\` prefix): a bad escape keeps what decoded before it.
pub(crate) fn text<const N: usize>(s: EscapedStr<'_>) -> Text<N> {
    let mut t = Text::new();
    let _ = super::field::push_raw(t.as_mut(), s);
    t
}

/// The old name of [`EscapedStr`].
#[deprecated(note = "renamed `EscapedStr`: a JSON string still escaped")]
pub type RawStr<'a> = EscapedStr<'a>;

/// A JSON number token, validated against the JSON grammar but not converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Number<'a>(pub(crate) &'a [u8]);

/// What the next value is, judged by its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// What [`Reader::object`] calls for each member: the reader and the member's raw key.
pub(crate) type OnMember<'f, 'a> =
    dyn FnMut(&mut Reader<'a>, &'a [u8]) -> Result<(), SyntaxError> + 'f;

/// What [`Reader::array`] calls for each item.
pub(crate) type OnItem<'f, 'a> = dyn FnMut(&mut Reader<'a>) -> Result<(), SyntaxError> + 'f;

/// The pull reader. See the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Byte offset of the next unread byte.
    pub(crate) const fn offset(&self) -> usize {
        self.pos
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    #[inline]
    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.bump();
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline]
    fn peek_token(&mut self) -> Result<u8, SyntaxError> {
        self.skip_ws();
        self.peek().ok_or(SyntaxError::UnexpectedEnd)
    }

    #[inline]
    fn expect(&mut self, want: u8) -> Result<(), SyntaxError> {
        if self.peek_token()? == want {
            self.bump();
            Ok(())
        } else {
            Err(SyntaxError::UnexpectedByte)
        }
    }

    /// The kind of the next value, without consuming it.
    pub(crate) fn peek_kind(&mut self) -> Result<Kind, SyntaxError> {
        Ok(match self.peek_token()? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b'-' | b'0'..=b'9' => Kind::Number,
            b't' => Kind::True,
            b'f' => Kind::False,
            b'n' => Kind::Null,
            _ => return Err(SyntaxError::UnexpectedByte),
        })
    }

    /// Checks that only whitespace remains.
    pub(crate) fn finish(&mut self) -> Result<(), SyntaxError> {
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(SyntaxError::TrailingBytes),
        }
    }

    /// Reads one string value.
    pub(crate) fn string(&mut self) -> Result<EscapedStr<'a>, SyntaxError> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            // Keys and most values are short: test a word in place before calling the scanner.
            let at = match self.buf.get(self.pos..).and_then(<[u8]>::first_chunk::<8>) {
                Some(word) => match super::scan::special_in_word(*word, b'"', b'\\') {
                    Some(k) => k,
                    None => self.find_special(8)?,
                },
                None => self.find_special(0)?,
            };
            self.pos = self.pos.saturating_add(at);
            if self.peek() == Some(b'"') {
                let bytes = self
                    .buf
                    .get(start..self.pos)
                    .ok_or(SyntaxError::UnexpectedEnd)?;
                self.bump();
                return Ok(EscapedStr::new(bytes, escaped));
            }
            // A backslash: the next byte is escaped whatever it is, so skip both. `\u` digits
            // are plain ASCII and cannot contain a quote, so they need no special case here.
            // A backslash at the very end escapes nothing: stop at the end, so that the error's
            // offset stays inside the input.
            escaped = true;
            self.pos = self.pos.saturating_add(2).min(self.buf.len());
        }
    }

    /// Reads one string value and decodes it into `dst` in the same pass: the raw string, and
    /// the decoded length or why it could not be decoded (a bad escape, `dst` too small: the
    /// string is consumed all the same, so the caller can go on with the rest of the JSON).
    pub(crate) fn string_into(
        &mut self,
        dst: &mut [u8],
    ) -> Result<(EscapedStr<'a>, Result<usize, UnescapeError>), SyntaxError> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = self.buf.get(start..).ok_or(SyntaxError::UnexpectedEnd)?;
        match super::unescape::unescape_string_into(rest, dst) {
            Ok((used, written)) => {
                self.pos = start.saturating_add(used);
                let end = self.pos.saturating_sub(1); // before the closing quote
                let bytes = self.buf.get(start..end).ok_or(SyntaxError::UnexpectedEnd)?;
                // Every escape decodes to fewer bytes than it takes, so "no escape" is exactly
                // "as long as the raw bytes".
                let escaped = written != bytes.len();
                Ok((EscapedStr::new(bytes, escaped), Ok(written)))
            }
            Err(e) => {
                // Find the end the plain way, for the caller to go on; report what went wrong.
                self.pos = start.saturating_sub(1);
                let raw = self.string()?;
                let e = match e {
                    UnescapeError::BufferTooSmall { .. } => UnescapeError::BufferTooSmall {
                        required: raw.raw().len(),
                    },
                    other => other,
                };
                Ok((raw, Err(e)))
            }
        }
    }

    /// Offset from `pos` of the next quote or backslash, looking from `pos + from` on.
    fn find_special(&self, from: usize) -> Result<usize, SyntaxError> {
        let start = self.pos.saturating_add(from);
        let rest = self.buf.get(start..).ok_or(SyntaxError::UnexpectedEnd)?;
        let at = super::scan::find2(rest, b'"', b'\\').ok_or(SyntaxError::UnexpectedEnd)?;
        Ok(at.saturating_add(from))
    }

    /// Reads one number token and checks it against the JSON grammar.
    pub(crate) fn number(&mut self) -> Result<Number<'a>, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(SyntaxError::BadNumber),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(SyntaxError::BadNumber);
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(SyntaxError::BadNumber);
            }
            self.digits();
        }
        let raw = self
            .buf
            .get(start..self.pos)
            .ok_or(SyntaxError::BadNumber)?;
        Ok(Number(raw))
    }

    #[inline]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
    }

    /// Reads `true`, `false` or `null`.
    pub(crate) fn literal(&mut self) -> Result<Kind, SyntaxError> {
        let kind = self.peek_kind()?;
        let word: &[u8] = match kind {
            Kind::True => b"true",
            Kind::False => b"false",
            Kind::Null => b"null",
            _ => return Err(SyntaxError::UnexpectedByte),
        };
        let end = self.pos.saturating_add(word.len());
        match self.buf.get(self.pos..end) {
            Some(got) if got == word => {
                self.pos = end;
                Ok(kind)
            }
            Some(_) => Err(SyntaxError::UnexpectedByte),
            None => Err(SyntaxError::UnexpectedEnd),
        }
    }

    /// Iterates over an object's members: `f` is called with each raw key and must consume the
    /// member's value (read it or [`skip_value`](Self::skip_value) it).
    #[inline]
    pub(crate) fn object(
        &mut self,
        mut f: impl FnMut(&mut Self, &'a [u8]) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        self.object_dyn(&mut f)
    }

    /// [`object`](Self::object) behind a `dyn`: one copy of the loop for every caller.
    pub(crate) fn object_dyn(&mut self, f: &mut OnMember<'_, 'a>) -> Result<(), SyntaxError> {
        self.expect(b'{')?;
        if self.peek_token()? == b'}' {
            self.bump();
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            f(self, key.raw())?;
            match self.peek_token()? {
                b',' => self.bump(),
                b'}' => {
                    self.bump();
                    return Ok(());
                }
                _ => return Err(SyntaxError::UnexpectedByte),
            }
        }
    }

    /// Iterates over an array's items: `f` must consume each item.
    #[inline]
    pub(crate) fn array(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        self.array_dyn(&mut f)
    }

    /// [`array`](Self::array) behind a `dyn`: one copy of the loop for every caller.
    fn array_dyn(&mut self, f: &mut OnItem<'_, 'a>) -> Result<(), SyntaxError> {
        self.expect(b'[')?;
        if self.peek_token()? == b']' {
            self.bump();
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek_token()? {
                b',' => self.bump(),
                b']' => {
                    self.bump();
                    return Ok(());
                }
                _ => return Err(SyntaxError::UnexpectedByte),
            }
        }
    }

    /// Skips one value of any kind and returns the raw bytes it spanned.
    pub(crate) fn raw_value(&mut self) -> Result<&'a [u8], SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        self.skip_value()?;
        self.buf
            .get(start..self.pos)
            .ok_or(SyntaxError::UnexpectedEnd)
    }

    /// Skips one value of any kind, validating its syntax, without recursion.
    pub(crate) fn skip_value(&mut self) -> Result<(), SyntaxError> {
        let mut stack = Stack::default();
        loop {
            // Read the start of one value.
            match self.peek_kind()? {
                Kind::Object => {
                    self.bump();
                    if self.peek_token()? == b'}' {
                        self.bump();
                    } else {
                        stack.push(true)?;
                        self.string()?;
                        self.expect(b':')?;
                        continue;
                    }
                }
                Kind::Array => {
                    self.bump();
                    if self.peek_token()? == b']' {
                        self.bump();
                    } else {
                        stack.push(false)?;
                        continue;
                    }
                }
                Kind::String => {
                    self.string()?;
                }
                Kind::Number => {
                    self.number()?;
                }
                Kind::True | Kind::False | Kind::Null => {
                    self.literal()?;
                }
            }
            // A value is complete: close every container that ends here.
            loop {
                let Some(in_object) = stack.top() else {
                    return Ok(());
                };
                match self.peek_token()? {
                    b',' => {
                        self.bump();
                        if in_object {
                            self.string()?;
                            self.expect(b':')?;
                        }
                        break;
                    }
                    b'}' if in_object => {
                        self.bump();
                        stack.pop();
                    }
                    b']' if !in_object => {
                        self.bump();
                        stack.pop();
                    }
                    _ => return Err(SyntaxError::UnexpectedByte),
                }
            }
        }
    }
}

/// Which containers are open while skipping: one bit each (object = 1), at most
/// [`limits::MAX_JSON_DEPTH`] deep.
#[derive(Default)]
struct Stack {
    bits: [u64; limits::MAX_JSON_DEPTH / 64],
    depth: usize,
}

impl Stack {
    fn push(&mut self, object: bool) -> Result<(), SyntaxError> {
        let word = self
            .bits
            .get_mut(self.depth / 64)
            .ok_or(SyntaxError::TooDeep)?;
        let bit = 1u64 << (self.depth % 64);
        if object {
            *word |= bit;
        } else {
            *word &= !bit;
        }
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    fn top(&self) -> Option<bool> {
        let top = self.depth.checked_sub(1)?;
        let word = self.bits.get(top / 64)?;
        Some(word & (1u64 << (top % 64)) != 0)
    }

    fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `string_into` on `json` (a string value and what follows) with a `cap`-byte buffer:
    /// the raw string, the decoded bytes or the error, and the offset after the string.
    fn string_into(
        json: &str,
        cap: usize,
    ) -> (
        EscapedStr<'_>,
        Result<std::vec::Vec<u8>, UnescapeError>,
        usize,
    ) {
        let mut r = Reader::new(json.as_bytes());
        let mut dst = std::vec![0u8; cap];
        let (raw, n) = r.string_into(&mut dst).unwrap();
        (raw, n.map(|n| dst[..n].to_vec()), r.offset())
    }

    #[test]
    fn string_into_decodes_in_the_same_pass() {
        // Escapes at every position of an eight-byte word, and across word ends.
        let json = r#"  "{\"id\":\"ab\\\\c\",\"t\":\"\u00e9\ud83d\ude00\/x\n\"}","#;
        let want = "{\"id\":\"ab\\\\c\",\"t\":\"é😀/x\n\"}".as_bytes();
        let raw_len = json.trim_start().len() - 3; // less the two quotes and the comma
        // Every capacity from the decoded length up: the word loop must stop in time.
        for cap in want.len()..raw_len + 16 {
            let (raw, got, at) = string_into(json, cap);
            assert_eq!(got.as_deref(), Ok(want), "cap {cap}");
            assert!(raw.has_escapes());
            assert_eq!(raw.raw().len(), raw_len);
            assert_eq!(&json[at..], ",");
        }
        let (raw, got, _) = string_into(r#""plain text, no escapes""#, 64);
        assert_eq!(got.as_deref(), Ok(&b"plain text, no escapes"[..]));
        assert!(!raw.has_escapes());
    }

    #[test]
    fn string_into_reports_and_goes_on() {
        // Too small: the exact requirement is the raw length, and the string is consumed.
        let json = r#""0123456789\"abcdefghij", 1"#;
        let (_, got, at) = string_into(json, 12);
        assert_eq!(got, Err(UnescapeError::BufferTooSmall { required: 22 }));
        assert_eq!(&json[at..], ", 1");
        // A bad escape is reported, and the string is consumed all the same.
        let json = r#""abcdefgh\qrstuvwxyz" 2"#;
        let (_, got, at) = string_into(json, 64);
        assert_eq!(got, Err(UnescapeError::Syntax(SyntaxError::BadEscape)));
        assert_eq!(&json[at..], " 2");
        // An unterminated string is a syntax error of the reader itself.
        let mut r = Reader::new(br#""abcdefghijklmnop\""#);
        assert_eq!(
            r.string_into(&mut [0; 64]).unwrap_err(),
            SyntaxError::UnexpectedEnd
        );
    }

    #[test]
    fn an_error_offset_never_points_past_the_input() {
        // A string that ends in a lone backslash: the escape would take a byte that is not
        // there. Found by the `http_reply` fuzz target (offset 8 in a 7-byte body, reported
        // in `ReplyError::Malformed`).
        for json in [&b"\"\\"[..], b"\"ab\\", b"\"abcdefghijk\\"] {
            let mut r = Reader::new(json);
            assert_eq!(r.string().unwrap_err(), SyntaxError::UnexpectedEnd);
            assert_eq!(r.offset(), json.len(), "{json:?}");
        }
    }

    fn skip(s: &str) -> Result<(), SyntaxError> {
        let mut r = Reader::new(s.as_bytes());
        r.skip_value()?;
        r.finish()
    }

    #[test]
    fn skips_valid_values() {
        for ok in [
            "{}",
            "[]",
            r#"{"a":[1,2,{"b":null}],"c":"x\"y"}"#,
            " [ true , false , null , -0.5e+3 ] ",
            r#""\\""#,
        ] {
            assert_eq!(skip(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_invalid_values() {
        for (bad, err) in [
            ("{", SyntaxError::UnexpectedEnd),
            ("[1,]", SyntaxError::UnexpectedByte),
            ("{\"a\" 1}", SyntaxError::UnexpectedByte),
            ("[1}", SyntaxError::UnexpectedByte),
            ("01", SyntaxError::TrailingBytes),
            ("-", SyntaxError::BadNumber),
            ("1.", SyntaxError::BadNumber),
            ("tru", SyntaxError::UnexpectedEnd),
            ("nul!", SyntaxError::UnexpectedByte),
            ("\"abc", SyntaxError::UnexpectedEnd),
            ("\"abc\\", SyntaxError::UnexpectedEnd),
        ] {
            assert_eq!(skip(bad), Err(err), "{bad}");
        }
    }

    #[test]
    fn depth_is_limited_not_recursive() {
        let mut deep = [b'['; 10_000];
        assert_eq!(Reader::new(&deep).skip_value(), Err(SyntaxError::TooDeep));
        deep.fill(b'{');
        // `{{` is not even valid: a key must follow, so this fails on the second byte.
        assert_eq!(
            Reader::new(&deep).skip_value(),
            Err(SyntaxError::UnexpectedByte)
        );
    }

    #[test]
    fn strings_are_raw() {
        let mut r = Reader::new(br#""a\"b\\" "plain""#);
        let s = r.string().unwrap();
        assert_eq!(s.raw(), br#"a\"b\\"#);
        assert!(s.has_escapes());
        assert!(s.eq_str("a\"b\\"));
        let p = r.string().unwrap();
        assert!(!p.has_escapes());
        assert!(p.eq_str("plain"));
        assert!(!p.eq_str("plai"));
    }
}
