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

use crate::error::SyntaxError;
use crate::limits;
use crate::text::Text;

/// A JSON string borrowed from the input: the bytes between its quotes, escapes not yet decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscapedStr<'a> {
    bytes: &'a [u8],
    escaped: bool,
    /// Read by the one-pass reader ([`Reader::escaped`]): escaped twice, once as the payload's
    /// JSON and once more as the envelope's `data` string.
    double: bool,
}

impl<'a> EscapedStr<'a> {
    /// Wraps raw string contents; `escaped` says whether a backslash occurs in them.
    pub(crate) const fn new(bytes: &'a [u8], escaped: bool) -> Self {
        Self {
            bytes,
            escaped,
            double: false,
        }
    }

    /// The bytes between the quotes as the one-pass reader sees them: escaped twice when
    /// `escaped` (see [`super::escaped`]); without an escape they are the string itself.
    const fn double(bytes: &'a [u8], escaped: bool) -> Self {
        Self {
            bytes,
            escaped,
            double: true,
        }
    }

    /// The string for a reader that compares its bytes as they are (keys, numbers in strings,
    /// `"true"`, times): they are what they say unless escaped twice, which the one-pass reader
    /// leaves to the two-pass one (an error: see [`super::escaped`]).
    pub(crate) const fn single(&self) -> Result<Self, SyntaxError> {
        if self.is_double() {
            Err(SyntaxError::BadEscape)
        } else {
            Ok(*self)
        }
    }

    /// Whether the bytes are escaped twice (and hold an escape).
    pub(crate) const fn is_double(&self) -> bool {
        self.double && self.escaped
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
        if self.double {
            // Not on any path today (the one-pass reader compares keys as they are); decoded
            // on the stack so the answer stays right, a longer string compares unequal.
            let mut buf = [0u8; super::escaped::DOUBLE_SMALL];
            return super::escaped::decode(self.bytes, &mut buf)
                .is_ok_and(|n| buf.get(..n) == Some(s.as_bytes()));
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
pub(crate) type OnMember<'f, 'a, const ESCAPED: bool = false> =
    dyn FnMut(&mut Reader<'a, ESCAPED>, &'a [u8]) -> Result<(), SyntaxError> + 'f;

/// What [`Reader::array`] calls for each item.
pub(crate) type OnItem<'f, 'a, const ESCAPED: bool = false> =
    dyn FnMut(&mut Reader<'a, ESCAPED>) -> Result<(), SyntaxError> + 'f;

/// The pull reader. See the module docs.
///
/// `ESCAPED` is the one-pass reader ([`Reader::escaped`]): its bytes are the contents of a
/// JSON string that holds the JSON to read. A type parameter rather than a flag, so the plain
/// reader (every reader but the typed decoder's, and the only one in the browser's module)
/// carries no code of the other.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a, const ESCAPED: bool = false> {
    buf: &'a [u8],
    /// The one-pass reader's `buf` as text when all of it is UTF-8 (checked once, when the
    /// reader is made), else empty: a kept run of it is then taken as a `&str` by its
    /// bounds, not checked again run by run (a dozen calls of `from_utf8` a chat message cost
    /// more than the one over the whole). Empty in the plain reader. Not in the browser's
    /// module, which has no one-pass reader.
    #[cfg(not(target_arch = "wasm32"))]
    text: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            #[cfg(not(target_arch = "wasm32"))]
            text: "",
            pos: 0,
        }
    }

    /// If the next value is a string, hands `f` a one-pass reader ([`Reader::escaped`]) of the
    /// JSON it holds, reading from the message as it lies (the string's end is not known yet:
    /// the JSON's end and a closing quote are). When `f` succeeds and its reader stopped at the
    /// closing quote, the string is consumed and returned, with the text the one-pass reader
    /// checked as UTF-8: the message from the string's first byte to its end (empty when that
    /// is not all UTF-8, and in the browser's module, which checks nothing ahead). Otherwise
    /// nothing is consumed, for the caller to read the string the usual way.
    ///
    /// # Errors
    /// A syntax error where the next value should start.
    pub(crate) fn read_escaped_string(
        &mut self,
        f: impl FnOnce(&mut Reader<'a, true>) -> bool,
    ) -> Result<Option<(EscapedStr<'a>, &'a str)>, SyntaxError> {
        if self.peek_kind()? != Kind::String {
            return Ok(None);
        }
        let start = self.pos.saturating_add(1);
        let mut inner = Reader::escaped(self.buf.get(start..).unwrap_or(&[]));
        if !f(&mut inner) {
            return Ok(None);
        }
        let end = start.saturating_add(inner.pos);
        match (self.buf.get(start..end), self.buf.get(end)) {
            (Some(bytes), Some(b'"')) => {
                self.pos = end.saturating_add(1);
                Ok(Some((EscapedStr::new(bytes, true), inner.text())))
            }
            _ => Ok(None),
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
}

impl<'a> Reader<'a, true> {
    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    /// A reader of the JSON text that the JSON string contents `buf` (the bytes between its
    /// quotes, escapes in place) stand for, without unescaping it first: the one-pass path
    /// ([`super::escaped`]). Its strings come out escaped twice (decoded only where kept); what
    /// it does not follow is an error, for the caller to take the two-pass path.
    pub(crate) const fn escaped(buf: &'a [u8]) -> Self {
        Self {
            buf,
            #[cfg(not(target_arch = "wasm32"))]
            text: match core::str::from_utf8(buf) {
                Ok(text) => text,
                Err(_) => "",
            },
            pos: 0,
        }
    }
}

impl<'a, const ESCAPED: bool> Reader<'a, ESCAPED> {
    /// Byte offset of the next unread byte.
    pub(crate) const fn offset(&self) -> usize {
        self.pos
    }

    /// The reader's bytes as text, if checked whole (see the field): never in the browser.
    #[inline(always)]
    const fn text(&self) -> &'a str {
        #[cfg(not(target_arch = "wasm32"))]
        return self.text;
        #[cfg(target_arch = "wasm32")]
        ""
    }

    /// Whether the byte where the reader stands is `b` (no whitespace skipped): a quick test
    /// before [`peek_kind`](Self::peek_kind), as Kick writes no whitespace. Always `false`
    /// in the browser's module (the test folds away), where bytes count more.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub(crate) fn next_is(&self, b: u8) -> bool {
        self.peek() == Some(b)
    }

    /// See the other `next_is`.
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    #[allow(clippy::unused_self)]
    pub(crate) const fn next_is(&self, _b: u8) -> bool {
        false
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
            // The payload's strings open with `\"` in the one-pass reader; any other escape
            // where a value starts is left to the two-pass path.
            b'\\' if ESCAPED && self.buf.get(self.pos.saturating_add(1)) == Some(&b'"') => {
                Kind::String
            }
            _ => return Err(SyntaxError::UnexpectedByte),
        })
    }

    /// Checks that only whitespace remains: in the one-pass reader, up to the end of its bytes
    /// or a bare `"`, which can only be the closing quote of the string it reads (see
    /// [`Reader::read_escaped_string`]).
    pub(crate) fn finish(&mut self) -> Result<(), SyntaxError> {
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(b'"') if ESCAPED => Ok(()),
            Some(_) => Err(SyntaxError::TrailingBytes),
        }
    }

    /// Reads one string value.
    ///
    /// The word test for a short string is inlined into every caller on native targets (a
    /// call cost about a hundred instructions a string, more than the test), not in the
    /// browser's module, where bytes count more.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn string(&mut self) -> Result<EscapedStr<'a>, SyntaxError> {
        if let Some(bytes) = self.short_string() {
            return Ok(if ESCAPED {
                EscapedStr::double(bytes, false)
            } else {
                EscapedStr::new(bytes, false)
            });
        }
        self.long_string()
    }

    /// [`string`](Self::string) past the word test.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn long_string(&mut self) -> Result<EscapedStr<'a>, SyntaxError> {
        if ESCAPED {
            return self.string_escaped();
        }
        self.expect(b'"')?;
        let start = self.pos;
        // Kick's event names open with `App\\Events\\`: its two escapes taken at once, where
        // the loop stopped at each (the name is the envelope's first member), in a copy of
        // the loop of its own: sharing one, the loop of every other long string (a `data`
        // string read by a connection) cost 260 instructions a frame more. Not in the
        // browser's module, where bytes count more.
        #[cfg(not(target_arch = "wasm32"))]
        if self
            .buf
            .get(start..)
            .is_some_and(|rest| rest.starts_with(br"App\\Events\\"))
        {
            self.pos = start.wrapping_add(br"App\\Events\\".len());
            return self.long_string_from(start, true);
        }
        self.long_string_from(start, false)
    }

    /// The loop of [`long_string`](Self::long_string) over the string that opened at
    /// `start`, read up to the reader's position; `escaped` if that part holds an escape.
    #[inline(always)]
    fn long_string_from(
        &mut self,
        start: usize,
        mut escaped: bool,
    ) -> Result<EscapedStr<'a>, SyntaxError> {
        loop {
            // Keys and most values are short: test a word in place before calling the scanner.
            // Not in the browser's modules, where it only bought speed (0.1 KB gzipped).
            #[cfg(target_arch = "wasm32")]
            let at = self.find_special(0)?;
            #[cfg(not(target_arch = "wasm32"))]
            let at = match self.buf.get(self.pos..).and_then(<[u8]>::first_chunk::<8>) {
                Some(word) => match super::scan::special_in_word(*word, b'"', b'\\') {
                    Some(k) => k,
                    None => self.find_special(8)?,
                },
                None => self.find_special(0)?,
            };
            self.pos = self.pos.wrapping_add(at);
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
            self.pos = self.pos.wrapping_add(2).min(self.buf.len());
        }
    }

    /// [`string`](Self::string) in the one-pass reader: from `\"` to `\"`.
    fn string_escaped(&mut self) -> Result<EscapedStr<'a>, SyntaxError> {
        self.skip_ws();
        if self.buf.get(self.pos..self.pos.wrapping_add(2)) != Some(b"\\\"") {
            return Err(SyntaxError::UnexpectedByte);
        }
        let start = self.pos.wrapping_add(2);
        let (end, next, escaped) = super::escaped::string_end(self.buf, start)?;
        let bytes = self.buf.get(start..end).ok_or(SyntaxError::UnexpectedEnd)?;
        self.pos = next;
        Ok(EscapedStr::double(bytes, escaped))
    }

    /// Reads one string value into `t`, decoded (see [`field::push_raw`](super::field::push_raw));
    /// in the one-pass reader, the string is decoded while its end is looked for
    /// ([`super::escaped::push_string`]), not found first and decoded after: its caller
    /// tried the word test ([`short_string_into`](Self::short_string_into)) first.
    ///
    /// Inlined into its one caller, `read_text`, on native targets: a kept string went
    /// through a call more (and its saved registers) than it needs.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn string_into(&mut self, t: crate::text::TextMut<'_>) -> Result<(), SyntaxError> {
        if ESCAPED {
            // `read_text` tried the word test first.
            self.skip_ws();
            if self.buf.get(self.pos..self.pos.wrapping_add(2)) != Some(b"\\\"") {
                return Err(SyntaxError::UnexpectedByte);
            }
            let start = self.pos.wrapping_add(2);
            self.pos = super::escaped::push_string(t, self.buf, self.text(), start)?;
            return Ok(());
        }
        super::field::push_raw(t, self.string()?)
    }

    /// The one-pass reader's kept string when the word test settles it ([`short_string`](
    /// Self::short_string): no escape, at most 39 bytes, at the reader's position with no
    /// whitespace before it): appended to `t`, and `true`; else nothing read, `false`. Tried
    /// by [`read_text`](super::field::read_text) before it looks at the value's kind, which
    /// such a string (most of the kept values) then does not need.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn short_string_into(&mut self, t: &mut crate::text::TextMut<'_>) -> bool {
        // Where the word test's string starts: it reads from `pos` as it is (no whitespace
        // skipped), past the opening `\"`.
        let from = self.pos.wrapping_add(2);
        let Some(bytes) = self.short_string() else {
            return false;
        };
        let to = from.wrapping_add(bytes.len());
        super::escaped::push_run(t, self.text(), bytes, from, to);
        true
    }

    /// Offset from `pos` of the next quote or backslash, looking from `pos + from` on.
    fn find_special(&self, from: usize) -> Result<usize, SyntaxError> {
        let start = self.pos.wrapping_add(from);
        let rest = self.buf.get(start..).ok_or(SyntaxError::UnexpectedEnd)?;
        let at = super::scan::find2(rest, b'"', b'\\').ok_or(SyntaxError::UnexpectedEnd)?;
        Ok(at.wrapping_add(from))
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

    /// A plain non-negative integer of at most 19 digits (which cannot overflow) at the
    /// reader's position, converted as it is read: what [`number`](Self::number) would read
    /// and [`digits_u64`](super::field::digits_u64) give. `None`, nothing consumed, for any
    /// other number (a sign, a fraction, an exponent, 20 digits), which the general path reads.
    ///
    /// Forced inline off bare metal (flash): a call for every id and count cost more than the
    /// read (39 instructions a frame, callgrind).
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(not(target_os = "none"), inline(always))]
    pub(crate) fn plain_integer(&mut self) -> Option<u64> {
        let rest = self.buf.get(self.pos..)?;
        let (v, n) = match plain_integer_words(rest) {
            Some(read) => read,
            None => plain_integer_bytes(rest)?,
        };
        // `n` digits of the input after `pos`: within its length, so this cannot wrap.
        self.pos = self.pos.wrapping_add(n);
        Some(v)
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
    pub(crate) fn object_dyn(
        &mut self,
        f: &mut OnMember<'_, 'a, ESCAPED>,
    ) -> Result<(), SyntaxError> {
        self.object_with(f)
    }

    /// The loop of [`object`](Self::object), for a caller that wants its own copy with `f`
    /// inlined into it (the typed decoder's structs, on native targets: see
    /// [`read_object`](super::field::read_object)).
    #[inline(always)]
    pub(crate) fn object_with(
        &mut self,
        mut f: impl FnMut(&mut Self, &'a [u8]) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        self.expect(b'{')?;
        if self.peek_token()? == b'}' {
            self.bump();
            return Ok(());
        }
        loop {
            // Keys are compared as they are: one with an escape, which no event has, is left
            // to the two-pass path in the one-pass reader.
            let key = match self.short_string() {
                Some(key) => key,
                None => self.string()?.single()?.raw(),
            };
            // Kick writes no whitespace: try the byte in place before skipping any.
            if self.peek() == Some(b':') {
                self.bump();
            } else {
                self.expect(b':')?;
            }
            f(self, key)?;
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

    /// A string of at most 39 bytes with no escape, read with one to five word tests:
    /// what [`string`](Self::string) would read, or `None` (nothing consumed) for the general
    /// path to read or refuse. Nearly all of Kick's keys are that short (`id`, `sender`,
    /// `created_at`, `chatroom_id`), and many values (`message`, usernames, colours).
    ///
    /// Not in the browser's module, where it cost 0.2 KB gzipped and the page decodes a
    /// handful of messages a second: there it answers `None` and folds away.
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    #[allow(clippy::unused_self)]
    pub(crate) const fn short_string(&mut self) -> Option<&'a [u8]> {
        None
    }

    /// See the other `short_string`.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(crate) fn short_string(&mut self) -> Option<&'a [u8]> {
        // Cut with slices rather than offsets, whose ranges cost a check each.
        let quote: &[u8] = if ESCAPED { b"\\\"" } else { b"\"" };
        let rest = self.buf.get(self.pos..)?.strip_prefix(quote)?;
        let k = match super::scan::special_in_word(*rest.first_chunk::<8>()?, b'\\', b'"') {
            Some(k) => k,
            None => {
                let second = rest.get(8..)?.first_chunk::<8>()?;
                match super::scan::special_in_word(*second, b'\\', b'"') {
                    Some(k) => k.wrapping_add(8),
                    None => short_tail::<ESCAPED>(rest)?,
                }
            }
        };
        let (key, after) = rest.split_at_checked(k)?;
        if !after.starts_with(quote) {
            return None;
        }
        // An offset in the input plus a few bytes: it cannot wrap (see `super::escaped`).
        self.pos = self
            .pos
            .wrapping_add(k)
            .wrapping_add(quote.len().wrapping_mul(2));
        Some(key)
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
    fn array_dyn(&mut self, f: &mut OnItem<'_, 'a, ESCAPED>) -> Result<(), SyntaxError> {
        self.array_with(f)
    }

    /// The loop of [`array`](Self::array), for a caller that wants its own copy with `f`
    /// inlined into it (the typed decoder's lists, on native targets but bare metal).
    #[inline(always)]
    pub(crate) fn array_with(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
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

impl<'a, const ESCAPED: bool> Reader<'a, ESCAPED> {
    /// Skips one value that no field wants. A container is passed over by counting its
    /// brackets, eight bytes a step, without tokenising what is inside: its strings are still
    /// found (a bracket inside one counts for nothing) and, in the one-pass reader, checked as
    /// [`string`](Self::string) checks them, but its numbers, literals, colons and commas are
    /// not looked at, as an on-demand reader does not (`[1,,2]` and `{"a"}` pass; a bracket
    /// of the other kind closes one). Scalars are read as [`skip_value`](Self::skip_value)
    /// reads them. The one-pass and the two-pass readers of a payload skip alike, so they
    /// accept the same payloads.
    ///
    /// In the browser's module this is [`skip_value`](Self::skip_value), which checks all
    /// of the JSON grammar as `JSON.parse` does: the bracket counter cost 0.37 KB gzipped of
    /// every page, which decodes a handful of messages a second.
    ///
    /// # Errors
    /// A bad string; the end before the container closes (in the one-pass reader, the bare
    /// quote that ends the JSON string it reads); an escape outside a string; more than
    /// [`limits::MAX_JSON_DEPTH`] open brackets.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn skip_unwanted(&mut self) -> Result<(), SyntaxError> {
        self.skip_value()
    }

    /// See the other `skip_unwanted`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn skip_unwanted(&mut self) -> Result<(), SyntaxError> {
        // A scalar is read as `skip_value` reads it, without its stack of open containers.
        match self.peek_kind()? {
            Kind::Object | Kind::Array => {}
            Kind::String => return self.string().map(|_| ()),
            Kind::Number => return self.number().map(|_| ()),
            Kind::True | Kind::False | Kind::Null => return self.literal().map(|_| ()),
        }
        if ESCAPED {
            self.pos = super::escaped::skip_container(self.buf, self.pos)?;
            return Ok(());
        }
        let mut depth = 0usize;
        loop {
            let rest = self.buf.get(self.pos..).unwrap_or(&[]);
            // Most stops are at the next byte or the one after (`{\"`, `\":\"`, `\",\"`):
            // look at those two before scanning words.
            let k = match rest {
                [a, ..] if super::scan::is_structural(*a) => 0,
                [_, b, ..] if super::scan::is_structural(*b) => 1,
                _ => super::scan::find_structural(rest).ok_or(SyntaxError::UnexpectedEnd)?,
            };
            self.pos = self.pos.saturating_add(k);
            match self.peek() {
                Some(b'{' | b'[') => {
                    depth = depth.saturating_add(1);
                    if depth > limits::MAX_JSON_DEPTH {
                        return Err(SyntaxError::TooDeep);
                    }
                    self.bump();
                }
                Some(b'}' | b']') => {
                    self.bump();
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                // A string: `"` in the plain reader, `\"` in the one-pass one, where
                // `string` refuses a bare quote (the end of the JSON string it reads) and any
                // other escape (which cannot sit outside a string).
                Some(b'"' | b'\\') => {
                    self.string()?;
                }
                // `|` and the control bytes the word test also stops at.
                _ => self.bump(),
            }
        }
    }
}

/// [`Reader::plain_integer`] a byte at a time: the value and the digits it took, or `None`.
#[cfg(not(target_arch = "wasm32"))]
fn plain_integer_bytes(rest: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    let mut n = 0usize;
    for &b in rest.iter().take(19) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(d));
        n = n.wrapping_add(1);
        if v == 0 {
            break; // a leading zero is the whole integer part, as JSON has it
        }
    }
    if n == 0 || matches!(rest.get(n), Some(b'0'..=b'9' | b'.' | b'e' | b'E')) {
        return None;
    }
    Some((v, n))
}

/// [`plain_integer_bytes`] eight digits a step, for an integer of 1 to 15 digits with no
/// leading zero and whole words to read (Kick's ids and counts: a byte loop cost some 75
/// instructions an id); `None` for anything else, which that reads or refuses. What this
/// reads, it reads as that does.
#[cfg(not(target_arch = "wasm32"))]
#[cfg_attr(not(target_os = "none"), inline(always))]
fn plain_integer_words(rest: &[u8]) -> Option<(u64, usize)> {
    const POW10: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    let first = u64::from_le_bytes(*rest.first_chunk::<8>()?);
    let n1 = leading_digits(first);
    // No digit, or a leading zero: the byte loop (which reads `0` alone).
    if n1 == 0 || first & 0xFF == u64::from(b'0') {
        return None;
    }
    let (v, n) = if n1 < 8 {
        (eight_digits(first, n1), n1)
    } else {
        let second = u64::from_le_bytes(*rest.get(8..)?.first_chunk::<8>()?);
        let n2 = leading_digits(second);
        if n2 == 8 {
            return None;
        }
        let high = eight_digits(first, 8).wrapping_mul(*POW10.get(n2)?);
        (
            high.wrapping_add(eight_digits(second, n2)),
            n2.wrapping_add(8),
        )
    };
    // The byte after the digits is no digit (the words say so): a fraction or an exponent
    // makes it another kind of number.
    if matches!(rest.get(n), Some(b'.' | b'e' | b'E')) {
        return None;
    }
    Some((v, n))
}

/// How many of the word's bytes, from its first (lowest), are ASCII digits before the first
/// that is not. A byte below `0` borrows from the ones above it, never from those below.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
const fn leading_digits(w: u64) -> usize {
    let d = w.wrapping_sub(u64::from_ne_bytes([b'0'; 8]));
    let not_digit =
        (d | d.wrapping_add(u64::from_ne_bytes([0x76; 8]))) & u64::from_ne_bytes([0x80; 8]);
    (not_digit.trailing_zeros() / 8) as usize
}

/// The value of the first `n` bytes of the word (0 to 8 ASCII digits, the first the most
/// significant): the others are shifted out, the digits combined in pairs, fours, eights.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
const fn eight_digits(w: u64, n: usize) -> u64 {
    let d = w.wrapping_sub(u64::from_ne_bytes([b'0'; 8]));
    // Leading zero digits in place of the bytes that are not the number's (all eight when
    // `n` is 0: a shift of 64 is none).
    let shift = 8usize.wrapping_sub(n).wrapping_mul(8) as u32;
    let d = match d.checked_shl(shift) {
        Some(d) => d,
        None => 0,
    };
    let d = d.wrapping_mul(10).wrapping_add(d >> 8);
    let mask = 0x0000_00FF_0000_00FF;
    let high = (d & mask).wrapping_mul(100 + (1_000_000 << 32));
    let low = ((d >> 16) & mask).wrapping_mul(1 + (10_000 << 32));
    high.wrapping_add(low) >> 32
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

/// The end of a short string ([`Reader::short_string`]) that did not end within its first two
/// words: the offset in `rest` of the first quote or backslash in its third to fifth word.
/// Up to five words: the envelope's `channel` (`chatrooms.12345678.v2`, in every frame), times
/// (25 bytes), ids (a UUID is 36) and longer usernames end within them, which the long path
/// took with a call and its scanner's setup; a sixth word cost more than it saved (callgrind).
/// Forced inline only where code size is cheap: inlined at every key and string read, these
/// three words made the ESP32-C3 firmware 54 KB larger, so on bare-metal targets (flash) it is
/// left to the compiler, which keeps it out of line at `opt-level = "s"`: 47 KB smaller, 115
/// instructions a frame slower on the host's corpus (callgrind). In the plain reader (not
/// `ESCAPED`), a string that ends less than a word before the input does is found too.
#[cfg(not(target_arch = "wasm32"))]
#[cfg_attr(target_os = "none", inline)]
#[cfg_attr(not(target_os = "none"), inline(always))]
fn short_tail<const ESCAPED: bool>(rest: &[u8]) -> Option<usize> {
    // Unrolled: as a loop it cost about 100 instructions a frame more (callgrind).
    let Some(third) = rest.get(16..).and_then(<[u8]>::first_chunk::<8>) else {
        // The input ends within the third word: the envelope's last member, its `channel`
        // (`chatrooms.12345678.v2"}` has seven bytes there), which otherwise took the long
        // path. Its last eight bytes instead: those before the 16th are in the second word,
        // which holds no quote or backslash. Only in the plain reader: the one-pass
        // reader's strings are followed by the rest of the envelope, and the test inlined
        // into its reads cost more than it saved.
        if ESCAPED {
            return None;
        }
        let from = rest.len().checked_sub(8)?;
        let last = rest.get(from..)?.first_chunk::<8>()?;
        return super::scan::special_in_word(*last, b'\\', b'"')?.checked_add(from);
    };
    if let Some(k) = super::scan::special_in_word(*third, b'\\', b'"') {
        return k.checked_add(16);
    }
    let fourth = rest.get(24..)?.first_chunk::<8>()?;
    if let Some(k) = super::scan::special_in_word(*fourth, b'\\', b'"') {
        return k.checked_add(24);
    }
    let fifth = rest.get(32..)?.first_chunk::<8>()?;
    super::scan::special_in_word(*fifth, b'\\', b'"')?.checked_add(32)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_event_names_prefix_reads_as_any_escapes_do() {
        // Hand-checked: the prefix taken at once, then whatever follows it (nothing, plain
        // bytes, an escape, the end of the input).
        for (input, want) in [
            (
                &br#""App\\Events\\ChatMessageEvent","#[..],
                Ok(&br"App\\Events\\ChatMessageEvent"[..]),
            ),
            (br#""App\\Events\\""#, Ok(br"App\\Events\\")),
            (br#""App\\Events\\\"x\\","#, Ok(br#"App\\Events\\\"x\\"#)),
            (br#""App\\Events\\"#, Err(SyntaxError::UnexpectedEnd)),
            (br#""App\\Events\"#, Err(SyntaxError::UnexpectedEnd)),
        ] {
            let mut r = Reader::new(input);
            let got = r.string();
            assert_eq!(
                got.map(|s| (s.raw(), s.has_escapes())),
                want.map(|w| (w, true))
            );
            if got.is_ok() {
                assert_eq!(r.offset(), want.unwrap().len() + 2);
            }
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn short_strings_take_the_word_test_and_the_rest_the_general_path() {
        // (input, what the word test reads and where it leaves the reader, or None).
        type Case = (&'static [u8], Option<(&'static [u8], usize)>);
        let plain: [Case; 15] = [
            (br#""abcdefg":1,"x":2"#, Some((b"abcdefg", 9))),
            (br#""abcdefghijklmno":1"#, Some((b"abcdefghijklmno", 17))),
            // Sixteen to 23 bytes: the third word.
            (
                br#""chatrooms.12345678.v2","data":1"#,
                Some((b"chatrooms.12345678.v2", 23)),
            ),
            // ... or, the input ending within it (the envelope's last member), its last eight
            // bytes; none of them a quote: the general path.
            (
                br#""chatrooms.12345678.v2"}"#,
                Some((b"chatrooms.12345678.v2", 23)),
            ),
            (br#""abcdefghijklmnop":1"#, Some((b"abcdefghijklmnop", 18))),
            (br#""abcdefghijklmnopqrstu"#, None),
            (
                br#""abcdefghijklmnopqrstuvw","x":2"#,
                Some((b"abcdefghijklmnopqrstuvw", 25)),
            ),
            // Up to five words: a time, a UUID, 39 bytes.
            (
                br#""2026-09-27T16:00:03+00:00","x":2......"#,
                Some((b"2026-09-27T16:00:03+00:00", 27)),
            ),
            (
                br#""74bc7227-188b-414b-b0ec-21c7ff4d076b","x":2"#,
                Some((b"74bc7227-188b-414b-b0ec-21c7ff4d076b", 38)),
            ),
            (
                br#""abcdefghijklmnopqrstuvwxyz0123456789abc","#,
                Some((b"abcdefghijklmnopqrstuvwxyz0123456789abc", 41)),
            ),
            // 40 bytes, too near the end for a word, an escape, whitespace first, too near
            // the end: the general path.
            (br#""abcdefghijklmnopqrstuvwxyz0123456789abcd","x":2"#, None),
            (br#""abcdefghijklmnopqrstuvwx","x"#, None),
            (br#""a\"bcdefgh":1,"x""#, None),
            (br#" "abcdefg":1,"x""#, None),
            (br#""ab""#, None),
        ];
        for (input, want) in plain {
            let mut r = Reader::new(input);
            let got = r.short_string().map(|k| (k, r.offset()));
            assert_eq!(got, want, "{:?}", std::str::from_utf8(input));
            if want.is_none() {
                assert_eq!(r.offset(), 0, "nothing consumed");
            }
        }
        let escaped: [Case; 5] = [
            (br#"\"id\":1,\"x\":2"#, Some((b"id", 6))),
            (br#"\"created_at\":\"2025"#, Some((b"created_at", 14))),
            // A bare quote (the outer string's end), the payload's own escape, an escape of
            // the outer string: the general path, which refuses or decodes them.
            (br#"\"ab"cdefgh\":1"#, None),
            (br#"\"a\\\"bcdefgh\":1"#, None),
            (br#"\"a\/bcdefgh\":1"#, None),
        ];
        for (input, want) in escaped {
            let mut r = Reader::escaped(input);
            let got = r.short_string().map(|k| (k, r.offset()));
            assert_eq!(got, want, "{:?}", std::str::from_utf8(input));
        }
        // Through `string`, a short string is the same plain string the scanner gives.
        let mut r = Reader::new(br#""message","x""#);
        assert_eq!(r.string(), Ok(EscapedStr::new(b"message", false)));
        let mut r = Reader::escaped(br#"\"message\",\"x\""#);
        let s = r.string().unwrap();
        assert_eq!(
            (s.raw(), s.has_escapes(), s.is_double()),
            (&b"message"[..], false, false)
        );
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn plain_integers_are_converted_as_read_and_others_left_to_number() {
        for (input, want) in [
            (&b"0,"[..], Some((0, 1))),
            (b"42", Some((42, 2))),
            (b"2507974}", Some((2_507_974, 7))),
            (
                b"9999999999999999999]",
                Some((9_999_999_999_999_999_999, 19)),
            ),
            // 20 digits, a fraction, an exponent, a sign, a leading zero before a digit, no
            // digit: the general path.
            (b"18446744073709551615,", None),
            (b"12.5,", None),
            (b"1e3,", None),
            (b"-1,", None),
            (b"01,", None),
            (b"x", None),
        ] {
            let mut r = Reader::new(input);
            let got = r.plain_integer().map(|v| (v, r.offset()));
            assert_eq!(got, want, "{:?}", std::str::from_utf8(input));
            if want.is_none() {
                assert_eq!(r.offset(), 0, "nothing consumed");
            }
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn integers_read_by_the_word_are_read_as_by_the_byte() {
        // Hand-checked: one word, two words (Kick's sender ids), the longest two words take.
        for (input, want) in [
            (&b"5389830,\\\"ab"[..], Some((5_389_830, 7))),
            (b"104186431}xxxxxxxx", Some((104_186_431, 9))),
            (b"123456789012345]x", Some((123_456_789_012_345, 15))),
            (b"12345678,xxxxxxxx", Some((12_345_678, 8))),
            (b"1,xxxxxx", Some((1, 1))),
            (b"1234567890123456,", None), // 16 digits: the byte loop
            (b"0,xxxxxx", None),          // a leading zero: the byte loop
            (b"1234567.5,xxxxxx", None),
            (b"12e3,xxx", None),
            (b"1234,xx", None), // not a whole word left
        ] {
            assert_eq!(
                plain_integer_words(input),
                want,
                "{:?}",
                std::str::from_utf8(input)
            );
        }
        // Every length of number, with every byte after it, and a digit of every value at
        // every place: where the words answer, the bytes answer the same.
        let mut taken = 0;
        for len in 1..=20usize {
            for after in 0..=255u8 {
                for (at, digit) in [(0, b'1'), (len / 2, b'0'), (len - 1, b'9'), (0, b'0')] {
                    let mut input: std::vec::Vec<u8> =
                        (0..len).map(|i| b"9876543210"[i % 10]).collect();
                    input[at] = digit;
                    input.push(after);
                    input.extend_from_slice(b"xxxxxxxxxxxxxxxx");
                    if let Some(got) = plain_integer_words(&input) {
                        assert_eq!(Some(got), plain_integer_bytes(&input), "{input:?}");
                        taken += 1;
                    }
                }
            }
        }
        assert!(taken > 10_000, "{taken}");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn unwanted_containers_are_skipped_by_their_brackets() {
        // (input, where the skip stops): brackets inside strings count for nothing; what is
        // between the brackets is not checked.
        for (input, end) in [
            (&br#"{"a":[1,,2],"b":"}]","c":{"d":"\"{"}},9"#[..], 37),
            (br#"[{"x"}]"#, 7),
            (br#"[1}"#, 3),
            (br#"17,"#, 2),
            (br#""s","#, 3),
        ] {
            let mut r = Reader::new(input);
            assert_eq!(
                r.skip_unwanted(),
                Ok(()),
                "{:?}",
                std::str::from_utf8(input)
            );
            assert_eq!(r.offset(), end, "{:?}", std::str::from_utf8(input));
        }
        // The one-pass reader: strings between `\"`s, a bracket inside one, the payload's
        // escaped quote; then what it leaves to the two-pass path.
        let mut r = Reader::escaped(br#"{\"a\":[\"]\\\"\",{}],\"b\":1},"#);
        assert_eq!(r.skip_unwanted(), Ok(()));
        assert_eq!(r.offset(), 30);
        for (bad, err) in [
            (&br#"{\"a\":1"}"#[..], SyntaxError::UnexpectedByte), // the outer string's end
            (br#"{\n}"#, SyntaxError::UnexpectedByte),            // an escape outside a string
            (br#"{\"a\":[1"#, SyntaxError::UnexpectedEnd),
        ] {
            let mut r = Reader::escaped(bad);
            assert_eq!(
                r.skip_unwanted(),
                Err(err),
                "{:?}",
                std::str::from_utf8(bad)
            );
        }
        let deep = [b'['; limits::MAX_JSON_DEPTH + 1];
        assert_eq!(
            Reader::new(&deep).skip_unwanted(),
            Err(SyntaxError::TooDeep)
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
