//! Reading Kick's payload JSON straight out of the envelope's `data` string, escapes and all:
//! the one-pass path of [`Reader::escaped`](super::reader::Reader::escaped).
//!
//! A Pusher frame carries the event's JSON as a JSON string, so the payload's JSON is escaped
//! once more: its quotes arrive as `\"`, its own escapes as `\\"`, `\\\\`, `\\n`, `\\u00e9`.
//! Unescaping the whole string into a second buffer before parsing it (the two-pass path) costs
//! a copy and a stop at every escape, an escape every 5 to 8 bytes. Here the reader walks the
//! escaped bytes as they are: `{ } [ ] : ,`, digits and `true`/`false`/`null` are written the same
//! at both levels, a string starts and ends at `\"`, and only the strings that are kept are
//! decoded, both levels at once, into their field ([`decode`]).
//!
//! The one-pass reader only has to be right when it succeeds: anything it does not handle (an
//! escape where a token should start, such as `\n` used as whitespace; a quote or backslash
//! hidden behind `\u0022` or `\u005c`; a kept string longer than [`DOUBLE_SMALL`]; any syntax
//! error) is an error, and the caller then decodes the payload the two-pass way, which gives
//! the result, or the error, that the payload deserves.
//!
//! Offsets here are added with `wrapping_add`: each is an offset into the input found by
//! scanning it (at most its length, which for a slice is at most `isize::MAX`) plus a few
//! bytes, which cannot wrap, and an offset past the end only makes a `get` answer `None`.
//! `saturating_add` cost a compare and a conditional move at each (256 instructions a frame
//! on the bench corpus).

use super::unescape::{decode_escape, hex4, unescape_in_place, unescape_into, unit_char};
use crate::error::SyntaxError;
use crate::text::TextMut;

/// Kept strings with escapes up to this many bytes (as they arrive, doubly escaped) are decoded
/// on the stack; a longer one sends the payload to the two-pass path. Chat lines are at most
/// 500 characters and most are under 100.
pub(crate) const DOUBLE_SMALL: usize = 512;

/// The length of the escape sequence of the outer string at `buf[at]` (a backslash): 2, or 6
/// for `\uXXXX`.
///
/// # Errors
/// [`SyntaxError::BadEscape`] for an escape JSON does not have, or for an ASCII character
/// hidden behind `\u00XX` ([`ascii_behind_u`]).
fn escape_len(buf: &[u8], at: usize) -> Result<usize, SyntaxError> {
    match buf.get(at.wrapping_add(1)) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
        Some(b'u') => {
            let start = at.wrapping_add(2);
            let digits = buf
                .get(start..start.wrapping_add(4))
                .ok_or(SyntaxError::UnexpectedEnd)?;
            if !digits.iter().all(u8::is_ascii_hexdigit) {
                return Err(SyntaxError::BadEscape);
            }
            if ascii_behind_u(digits) {
                return Err(SyntaxError::BadEscape);
            }
            Ok(6)
        }
        Some(_) => Err(SyntaxError::BadEscape),
        None => Err(SyntaxError::UnexpectedEnd),
    }
}

/// Whether the four digits of a `\u` escape (checked hexadecimal) stand for a printable ASCII
/// character, U+0020 to U+007F, which no encoder hides behind `\u` (Kick escapes non-ASCII
/// characters only). The one-pass reader refuses them at either level of a string, for two
/// reasons: a quote or backslash of the payload written so (`\u0022`, `\u005c`) would change
/// where its strings end, which it does not follow; and a secret's key or signed query spelt
/// with them would hide from the quick look before it ([`crate::message::redact`]), which
/// skips them on that promise. The two-pass path reads such a payload.
fn ascii_behind_u(digits: &[u8]) -> bool {
    matches!(digits, [b'0', b'0', b'2'..=b'7', _])
}

/// The offset in `rest` of the next backslash or quote of a string read by the one-pass reader:
/// keys and most values end, and escapes come (one every few bytes), within a word, so one is
/// tested in place before the scanner is called.
///
/// # Errors
/// [`SyntaxError::UnexpectedEnd`] when there is none.
#[inline(always)]
fn next_stop(rest: &[u8]) -> Result<usize, SyntaxError> {
    match rest.first_chunk::<8>() {
        Some(word) => match super::scan::special_in_word(*word, b'\\', b'"') {
            Some(k) => Ok(k),
            None => super::scan::find2(rest.get(8..).unwrap_or(&[]), b'\\', b'"')
                .map(|k| k.wrapping_add(8))
                .ok_or(SyntaxError::UnexpectedEnd),
        },
        None => super::scan::find2(rest, b'\\', b'"').ok_or(SyntaxError::UnexpectedEnd),
    }
}

/// Scans one string of the payload whose opening `\"` ends just before `start`: the offset of
/// its closing `\"`, the offset just after it, and whether the string holds any escape (of
/// either level).
///
/// Inlined into its one caller on native targets (the one-pass reader's long strings), which
/// saves a call per skipped long string.
///
/// # Errors
/// See the [module docs](self): whatever the one-pass reader leaves to the two-pass one.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn string_end(buf: &[u8], start: usize) -> Result<(usize, usize, bool), SyntaxError> {
    let mut pos = start;
    let mut escaped = false;
    loop {
        let rest = buf.get(pos..).ok_or(SyntaxError::UnexpectedEnd)?;
        let at = pos.wrapping_add(next_stop(rest)?);
        match string_stop(buf, at)? {
            (true, end) => return Ok((at, end, escaped)),
            (false, next) => {
                escaped = true;
                pos = next;
            }
        }
    }
}

/// One stop of [`string_end`]'s walk, at `buf[at]` (a quote or a backslash): whether it is the
/// string's closing `\"`, and the offset just after it or after the escape it opens. A
/// function of its own (inlined) changed how LLVM inlines the typed decoder's reads around the
/// walk: 96 instructions a frame fewer on the bench corpus, the walk the same (the browser's
/// module measured the same bytes either way).
#[inline(always)]
fn string_stop(buf: &[u8], at: usize) -> Result<(bool, usize), SyntaxError> {
    match (buf.get(at), buf.get(at.wrapping_add(1))) {
        // The outer string's own end: the caller found it, so it cannot be here.
        (Some(b'"'), _) => Err(SyntaxError::UnexpectedByte),
        (_, Some(b'"')) => Ok((true, at.wrapping_add(2))),
        (_, Some(b'\\')) => {
            // A backslash of the payload: the char after it is escaped whatever it is,
            // written plain (one byte; a UTF-8 lead byte's continuation bytes are never
            // special) or as an escape of the outer string.
            let next = at.wrapping_add(2);
            match buf.get(next) {
                Some(b'\\') => Ok((false, next.wrapping_add(escape_len(buf, next)?))),
                // A bare quote ends the outer string: the payload's escape is cut short.
                Some(b'"') => Err(SyntaxError::UnexpectedByte),
                // The payload's own `\u`, digits plain.
                Some(b'u')
                    if buf
                        .get(next.wrapping_add(1)..next.wrapping_add(5))
                        .is_some_and(ascii_behind_u) =>
                {
                    Err(SyntaxError::BadEscape)
                }
                Some(_) => Ok((false, next.wrapping_add(1))),
                None => Err(SyntaxError::UnexpectedEnd),
            }
        }
        // An escape of the outer string standing for one char of the payload's string
        // (`\/`, `\u00e9`).
        _ => Ok((false, at.wrapping_add(escape_len(buf, at)?))),
    }
}

/// Skips the payload's container (object or array) whose opening bracket is at `buf[pos]`,
/// no field wanting it: the offset just after its closing bracket. Its brackets are counted
/// and its strings walked ([`string_end`], which checks their escapes) in one loop, without
/// the reader's string path (the word tests for a short string, a call for a long one): the
/// one-pass twin of the plain reader's bracket counter
/// ([`skip_unwanted`](super::reader::Reader::skip_unwanted)), accepting what it accepts on
/// the payload unescaped, and refusing what the one-pass reader's strings refuse.
///
/// # Errors
/// A bad string or escape; a bare quote (the end of the JSON string read) or an escape
/// outside a string; the end before the container closes; more than
/// [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH) open brackets.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn skip_container(buf: &[u8], mut pos: usize) -> Result<usize, SyntaxError> {
    use super::scan::{find_structural, is_structural};
    let mut depth = 0usize;
    loop {
        let rest = buf.get(pos..).unwrap_or(&[]);
        // Most stops are at the next byte or one of the two after (`{\"`, `\":{`, `:1}`).
        let k = match rest {
            [a, ..] if is_structural(*a) => 0,
            [_, b, ..] if is_structural(*b) => 1,
            [_, _, c, ..] if is_structural(*c) => 2,
            _ => find_structural(rest).ok_or(SyntaxError::UnexpectedEnd)?,
        };
        let at = pos.wrapping_add(k);
        pos = at.wrapping_add(1);
        match buf.get(at) {
            Some(b'{' | b'[') => {
                depth = depth.wrapping_add(1);
                if depth > crate::limits::MAX_JSON_DEPTH {
                    return Err(SyntaxError::TooDeep);
                }
            }
            Some(b'}' | b']') => {
                // At least 1: the first stop is the container's own opening bracket (the
                // caller saw it), and the walk returns when the count is back to 0.
                depth = depth.wrapping_sub(1);
                if depth == 0 {
                    return Ok(pos);
                }
            }
            // A string of the payload opens with `\"`; any other escape cannot sit outside
            // one.
            Some(b'\\') => {
                if buf.get(pos) != Some(&b'"') {
                    return Err(SyntaxError::UnexpectedByte);
                }
                pos = pos.wrapping_add(1);
                loop {
                    pos = string_end(buf, pos)?.1;
                    // A member's value or the next member's key opens right after: `\":\"`,
                    // `\",\"`. Taken here, without a turn of the bracket loop.
                    match buf.get(pos..pos.wrapping_add(3)) {
                        Some(b":\\\"" | b",\\\"") => pos = pos.wrapping_add(3),
                        _ => break,
                    }
                }
            }
            // A bare quote: the end of the JSON string read, before the container closed.
            Some(b'"') => return Err(SyntaxError::UnexpectedByte),
            // `|` and the control bytes the word test also stops at.
            _ => {}
        }
    }
}

/// [`string_end`] and [`push`] in one pass, for a string that is kept: decodes the string whose
/// opening `\"` ends just before `start` into `t` while looking for its end, and answers the
/// offset just after its closing `\"`. It refuses all that either of them refuses (the
/// one-pass reader may refuse more than the two-pass one, never less), so it gives what the
/// two calls give.
///
/// # Errors
/// See [`string_end`] and [`push`].
pub(crate) fn push_string(
    mut t: TextMut<'_>,
    buf: &[u8],
    text: &str,
    start: usize,
) -> Result<usize, SyntaxError> {
    let mut pos = start;
    loop {
        let rest = buf.get(pos..).ok_or(SyntaxError::UnexpectedEnd)?;
        let k = next_stop(rest)?;
        let at = pos.wrapping_add(k);
        if k > 0 {
            push_run(&mut t, text, rest.get(..k).unwrap_or(&[]), pos, at);
        }
        let (c, used) = match (buf.get(at), buf.get(at.wrapping_add(1))) {
            (Some(b'"'), _) => return Err(SyntaxError::UnexpectedByte),
            (_, Some(b'"')) => return Ok(at.wrapping_add(2)),
            (_, Some(b'\\')) => {
                // The payload's escape: checked as `string_end` checks it, decoded as `push`.
                let next = at.wrapping_add(2);
                if let Some(c) = plain_u_escape(buf, next) {
                    t.push_char(c);
                    pos = next.wrapping_add(5);
                    // Text in a non-Latin script arrives as runs of these (`\\u3084\\u3070`,
                    // three in four right after another in the bench corpus): the next one is
                    // taken here, as the loop's top would take it, without the scanner's call.
                    while buf.get(pos..pos.wrapping_add(2)) == Some(b"\\\\") {
                        let Some(c) = plain_u_escape(buf, pos.wrapping_add(2)) else {
                            break;
                        };
                        t.push_char(c);
                        pos = pos.wrapping_add(7);
                    }
                    continue;
                }
                if let Some(c) = plain_u_pair(buf, next) {
                    t.push_char(c);
                    pos = next.wrapping_add(12);
                    continue;
                }
                match buf.get(next) {
                    Some(b'\\') => {
                        escape_len(buf, next)?;
                    }
                    Some(b'"') => return Err(SyntaxError::UnexpectedByte),
                    Some(b'u')
                        if buf
                            .get(next.wrapping_add(1)..next.wrapping_add(5))
                            .is_some_and(ascii_behind_u) =>
                    {
                        return Err(SyntaxError::BadEscape);
                    }
                    Some(_) => {}
                    None => return Err(SyntaxError::UnexpectedEnd),
                }
                // The payload's `\/` (every slash of a URL in a chat line): its char, without
                // the general escape's decoding and call.
                let (c, used) = if buf.get(next) == Some(&b'/') {
                    ('/', 1)
                } else {
                    inner_escape(buf, next)?
                };
                (c, used.wrapping_add(2))
            }
            _ => {
                escape_len(buf, at)?;
                decode_escape(buf, at)?
            }
        };
        t.push_char(c);
        pos = at.wrapping_add(used);
    }
}

/// Appends `run`, the bytes `from..to` of a one-pass reader's input, to `t`: taken from `text`
/// (that input, when it is all UTF-8) without checking it again, else checked here, invalid
/// sequences becoming U+FFFD. The run is cut at ASCII bytes (quotes, backslashes), so its
/// bounds are char boundaries of `text` and both ways give the same text.
#[cfg_attr(not(any(target_arch = "wasm32", target_os = "none")), inline(always))]
#[cfg_attr(any(target_arch = "wasm32", target_os = "none"), inline)]
pub(crate) fn push_run(t: &mut TextMut<'_>, text: &str, run: &[u8], from: usize, to: usize) {
    match text.get(from..to) {
        Some(s) => t.push_str(s),
        None => t.push_bytes_lossy(run),
    }
}

/// Appends the string that the doubly escaped `raw` (the bytes between its `\"`s) stands for
/// to `t`, both levels decoded in one pass: runs of plain bytes are copied, an escape of the
/// outer string is one char of the payload's string (`\/`, `\u00e9`), and `\\` starts one of
/// the payload's own escapes, whose letter follows (plain, or written `\"`, `\\`, `\/`). The
/// result is what unescaping the outer string and then the payload's string gives, surrogate
/// pairs included (each level pairs its own).
///
/// # Errors
/// A bad escape at either level; a letter or `\u` digit of the payload's escape hidden behind
/// an escape of the outer string (no encoder writes one), which the two-pass path then reads.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn push(mut t: TextMut<'_>, raw: &[u8]) -> Result<(), SyntaxError> {
    let mut pos = 0usize;
    loop {
        let rest = raw.get(pos..).unwrap_or(&[]);
        let Some(k) = super::scan::find1(rest, b'\\') else {
            if !rest.is_empty() {
                t.push_bytes_lossy(rest);
            }
            return Ok(());
        };
        if k > 0 {
            t.push_bytes_lossy(rest.get(..k).unwrap_or(&[]));
        }
        let at = pos.saturating_add(k);
        let (c, used) = if raw.get(at.saturating_add(1)) == Some(&b'\\') {
            let (c, used) = inner_escape(raw, at.saturating_add(2))?;
            (c, used.saturating_add(2))
        } else {
            decode_escape(raw, at)?
        };
        t.push_char(c);
        pos = at.saturating_add(used);
    }
}

/// The char of the payload's commonest escape, `\\u00e9`: a `u` at `raw[at]` and four plain
/// digits standing for a char that is neither ASCII (refused, see [`ascii_behind_u`]) nor half
/// of a surrogate pair (read by [`inner_escape`]); `None` for anything else, which
/// [`inner_escape`] then reads or refuses. Every non-ASCII char of a line Kick encodes the PHP
/// way takes this path, so it skips the general escape's checks and call.
#[inline]
fn plain_u_escape(raw: &[u8], at: usize) -> Option<char> {
    if raw.get(at) != Some(&b'u') {
        return None;
    }
    let unit = hex4(raw, at.wrapping_add(1))?;
    if unit < 0x80 || (0xD800..=0xDFFF).contains(&unit) {
        return None;
    }
    char::from_u32(unit)
}

/// The char of a surrogate pair of the payload's escapes, `\\ud83d\\ude00`, its digits plain:
/// from the first `u` at `raw[at]`, twelve bytes (`u`, four digits, `\\u`, four digits) that
/// stand for one char; `None` for anything else, which [`inner_escape`] then reads or refuses.
/// Every emoji of a line Kick encodes the PHP way is one, which took [`inner_escape`]'s
/// general path (its call, the letter's and the pair's tests, [`unit_char`]'s closure): the
/// same char, as [`unit_char`] makes it.
#[inline]
fn plain_u_pair(raw: &[u8], at: usize) -> Option<char> {
    if raw.get(at) != Some(&b'u') {
        return None;
    }
    let high = hex4(raw, at.wrapping_add(1))?;
    let low_at = at.wrapping_add(5);
    if !(0xD800..=0xDBFF).contains(&high)
        || raw.get(low_at..low_at.wrapping_add(3)) != Some(b"\\\\u")
    {
        return None;
    }
    let low = hex4(raw, low_at.wrapping_add(3))?;
    if !(0xDC00..=0xDFFF).contains(&low) {
        return None;
    }
    char::from_u32(super::unescape::pair_code(high, low))
}

/// The payload's escape whose backslash (written `\\`) ends just before `at`: its char, and the
/// bytes of `raw` it took from `at` on: at most `\uXXXX\uXXXX` (a surrogate pair), the
/// payload's `u` and digits written plain; decoded as the two-pass path decodes it.
fn inner_escape(raw: &[u8], at: usize) -> Result<(char, usize), SyntaxError> {
    let (letter, letter_len) = match raw.get(at) {
        Some(b'\\') => match raw.get(at.wrapping_add(1)) {
            Some(&c @ (b'"' | b'\\' | b'/')) => (c, 2),
            Some(_) => return Err(SyntaxError::BadEscape),
            None => return Err(SyntaxError::UnexpectedEnd),
        },
        Some(&c) => (c, 1),
        None => return Err(SyntaxError::UnexpectedEnd),
    };
    let digits_at = at.wrapping_add(letter_len);
    if letter != b'u' {
        let (c, _) = decode_escape(&[b'\\', letter], 0)?;
        return Ok((c, letter_len));
    }
    // Its four digits; then, for a surrogate's pair, `\\u` (the payload's backslash, escaped
    // once more) and four more.
    let digits = raw
        .get(digits_at..digits_at.wrapping_add(4))
        .ok_or(SyntaxError::UnexpectedEnd)?;
    let unit = hex4(digits, 0).ok_or(SyntaxError::BadEscape)?;
    let pair_at = digits_at.wrapping_add(4);
    let (c, paired) = unit_char(unit, || {
        if raw.get(pair_at..pair_at.wrapping_add(3)) == Some(b"\\\\u") {
            hex4(raw, pair_at.wrapping_add(3))
        } else {
            None
        }
    });
    // `XXXX`, or `XXXX\\uXXXX`.
    let took = if paired { 11 } else { 4 };
    Ok((c, letter_len.wrapping_add(took)))
}

/// Decodes a doubly escaped string (the bytes between its `\"`s) into `buf`: the outer level,
/// then the payload's own escapes, in place. The decoded length.
///
/// # Errors
/// A bad escape at either level, or a string longer than `buf`.
pub(crate) fn decode(raw: &[u8], buf: &mut [u8]) -> Result<usize, SyntaxError> {
    let n = unescape_into(raw, buf).map_err(|_| SyntaxError::BadEscape)?;
    unescape_in_place(buf.get_mut(..n).unwrap_or(&mut []))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `string_end` over `s` after its opening `\"`.
    fn end(s: &str) -> Result<(usize, usize, bool), SyntaxError> {
        string_end(s.as_bytes(), 2)
    }

    #[test]
    fn finds_the_end_of_each_kind_of_string() {
        // Plain.
        assert_eq!(end(r#"\"abc\",1"#), Ok((5, 7, false)));
        // The payload's escaped quote and backslash, its `\/`, `\n` and `\u00e9`.
        assert_eq!(end(r#"\"a\\\"b\",1"#), Ok((8, 10, true)));
        assert_eq!(end(r#"\"a\\\\\",1"#), Ok((7, 9, true)));
        assert_eq!(end(r#"\"a\\/b\\nc\\u00e9\",1"#), Ok((18, 20, true)));
        // An escaped backslash then plain text that only looks like an escape.
        assert_eq!(end(r#"\"a\\\\u0070\",1"#), Ok((12, 14, true)));
        // The outer string's own escapes of the payload's chars (`\/`, a `\u` of UTF-16).
        assert_eq!(
            end(r#"\"http:\/\/x \u00e9\ud83d\ude00\",1"#),
            Ok((31, 33, true))
        );
    }

    #[test]
    fn leaves_what_it_does_not_follow_to_the_two_pass_path() {
        for s in [
            r#"\"abc"#,           // no end
            r#"\"abc\"#,          // a lone backslash at the end
            r#"\"a\u0022b\",1"#,  // a quote hidden behind \u
            r#"\"a\\\u005c\",1"#, // a backslash hidden behind \u
            r#"\"a\u0041\",1"#,   // any ASCII char behind the outer level's \u
            r#"\"a\u007F\",1"#,   // ... up to U+007F, in either case
            r#"\"a\\u0070\",1"#,  // or the payload's own (its `\u`, digits plain)
            r#"\"a\qb\",1"#,      // no such escape
            r#"\"a\u12g4\",1"#,   // bad hex
            r#"\"a"b\",1"#,       // a bare quote cannot be inside the outer string
            r#"\"a\\"b\",1"#,     // ... even after the payload's backslash
        ] {
            assert!(end(s).is_err(), "{s}");
        }
    }

    /// `push` into a text of `N` bytes.
    fn pushed<const N: usize>(raw: &[u8]) -> Result<crate::text::Text<N>, SyntaxError> {
        let mut t = crate::text::Text::<N>::new();
        push(t.as_mut(), raw).map(|()| t)
    }

    /// The two-pass reading of `raw`: the outer level, then the payload's, as lossy UTF-8 in a
    /// text of `N` bytes.
    fn two_pass<const N: usize>(raw: &[u8]) -> Result<crate::text::Text<N>, SyntaxError> {
        let mut buf = std::vec![0u8; raw.len()];
        let n = decode(raw, &mut buf)?;
        let mut t = crate::text::Text::<N>::new();
        t.as_mut().push_bytes_lossy(&buf[..n]);
        Ok(t)
    }

    #[test]
    fn push_decodes_both_levels_in_one_pass() {
        for raw in [
            &br#"say \\\"hi\\\" http:\\\/\\\/x \\ud83d\\ude00 \u00e9"#[..],
            // Pairs at each level, a lone surrogate at each, a pair split across the levels.
            br#"\ud83d\ude00 \\ud83d\\ude00 \ud83d x \\udc00 \\ud83d\ude00"#,
            br#"\\n\\t\\b\\f\\r\\/\\\/ \n\/"#,
            b"plain \xc3\xa9 and bad \xff utf-8",
        ] {
            assert_eq!(pushed::<64>(raw), two_pass::<64>(raw), "{raw:?}");
            // Cut short at every size: the same cut as the two-pass text.
            assert_eq!(pushed::<7>(raw), two_pass::<7>(raw), "{raw:?}");
        }
        // Errors where the two-pass path errs.
        for raw in [
            &br#"a\\q"#[..],
            br#"a\q"#,
            br#"a\\"#,
            br#"a\\u12"#,
            br#"\u12g4"#,
        ] {
            assert!(pushed::<64>(raw).is_err(), "{raw:?}");
            assert!(two_pass::<64>(raw).is_err(), "{raw:?}");
        }
    }

    /// The pieces the proptests build strings of: plain and UTF-8 bytes, a byte that is not
    /// UTF-8, escapes of either level and split ones; the first 17 stay inside a string, the
    /// last three end it early (`\"`), end the outer string (a bare quote), or hide ASCII
    /// behind `\u`.
    const PIECES: [&[u8]; 20] = [
        b"a",
        "é".as_bytes(),
        b"\\\\",
        b"\xff",
        b"\\/",
        b"\\u00e9",
        b"\\ud83d",
        b"\\ude00",
        b"\\\\u",
        b"d83d",
        b"de00",
        b"20ac",
        b"0041",
        b"\\\\n",
        b"\\\\\\\"",
        b"\\\\\\\\",
        b"u",
        b"\\\"",
        b"\"",
        b"\\u0041",
    ];

    proptest::proptest! {
        /// Any string of the pieces that matter: where the two-pass reading succeeds, `push`
        /// gives the same text; where it fails, `push` fails too.
        #[test]
        fn push_is_the_two_pass_reading(pieces in proptest::collection::vec(0usize..17, 0..24)) {
            let raw: std::vec::Vec<u8> = pieces.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            // Only what the one-pass reader hands over: a whole string between `\"`s.
            let framed = [&b"\\\""[..], &raw, b"\\\""].concat();
            if !matches!(string_end(&framed, 2), Ok((end, _, _)) if end == 2 + raw.len()) {
                return Ok(());
            }
            match two_pass::<32>(&raw) {
                Ok(t) => proptest::prop_assert_eq!(pushed::<32>(&raw), Ok(t)),
                Err(_) => proptest::prop_assert!(pushed::<32>(&raw).is_err()),
            }
        }
    }

    proptest::proptest! {
        /// `push_string` is `string_end` then `push`: the same end and text when both
        /// succeed, an error when either fails.
        #[test]
        fn push_string_is_string_end_then_push(pieces in proptest::collection::vec(0usize..20, 0..24)) {
            let raw: std::vec::Vec<u8> = pieces.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            let framed = [&b"\\\""[..], &raw, b"\\\",1"].concat();
            // Its runs taken from the input checked whole when it is UTF-8 (no `\xff` piece),
            // else each checked alone; and each checked alone whatever the input.
            let text = core::str::from_utf8(&framed).unwrap_or("");
            let mut fused = crate::text::Text::<32>::new();
            let got = push_string(fused.as_mut(), &framed, text, 2);
            let mut unchecked = crate::text::Text::<32>::new();
            proptest::prop_assert_eq!(push_string(unchecked.as_mut(), &framed, "", 2), got);
            proptest::prop_assert_eq!(&unchecked, &fused);
            let apart = string_end(&framed, 2).and_then(|(end, next, _)| {
                let mut t = crate::text::Text::<32>::new();
                push(t.as_mut(), &framed[2..end]).map(|()| (next, t))
            });
            match apart {
                Ok((next, t)) => {
                    proptest::prop_assert_eq!(got, Ok(next));
                    proptest::prop_assert_eq!(fused, t);
                }
                Err(_) => proptest::prop_assert!(got.is_err()),
            }
        }
    }

    #[test]
    fn push_string_decodes_and_ends_where_the_string_ends() {
        // Hand-checked: a chat line as Kick double-encodes it (the payload's `\"`, `\/`, a
        // `\u` pair, the outer `\u00e9`), then the next member.
        let frame = r#"\"say \\\"hi\\\" http:\\\/\\\/x \\ud83d\\ude00 \u00e9 ü\",\"id\":1"#;
        for text in [frame, ""] {
            let mut t = crate::text::Text::<64>::new();
            let next = push_string(t.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(&*t, "say \"hi\" http://x 😀 é ü");
            assert_eq!(&frame[next..], r#",\"id\":1"#);
        }
        // The payload's own `\\u` escapes with plain digits, of one to three UTF-8 bytes:
        // a control char, `é`, `€`; a lone low surrogate is U+FFFD, as the two-pass path has it.
        let frame = r#"\"\\u001f\\u00e9x\\u20ac\\udc00\\u00E9\",1"#;
        for text in [frame, ""] {
            let mut t = crate::text::Text::<64>::new();
            let next = push_string(t.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(&*t, "\u{1f}éx€\u{FFFD}é");
            assert_eq!(&frame[next..], ",1");
        }
        // Pairs of the payload's `\\u` escapes (taken at once when both halves are there, as
        // the two-pass path pairs them): whole, of either case, a high half before another
        // high one, before a char that is no half, before plain text, at the end.
        let frame = r#"\"\\ud83d\\ude00\\uD83D\\uDE00\\ud83d\\ud83d\\ude00\\ud83d\\u00e9\\ud83dx\\ud83d\",1"#;
        for text in [frame, ""] {
            let mut t = crate::text::Text::<64>::new();
            let next = push_string(t.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(&*t, "😀😀\u{FFFD}😀\u{FFFD}é\u{FFFD}x\u{FFFD}");
            assert_eq!(&frame[next..], ",1");
            assert_eq!(t, two_pass::<64>(&frame.as_bytes()[2..next - 2]).unwrap());
        }
        // The payload's `\/` written plain (its slash taken without the general decoding),
        // next to the outer level's `\/` and the payload's written `\\\/`.
        let frame = r#"\"a\\/b\\/\/\\\/c\\/\",1"#;
        for text in [frame, ""] {
            let mut t = crate::text::Text::<64>::new();
            let next = push_string(t.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(&*t, "a/b///c/");
            assert_eq!(&frame[next..], ",1");
        }
        // A byte that is not UTF-8 (the input then has no text): U+FFFD in its place.
        let mut t = crate::text::Text::<64>::new();
        let next = push_string(t.as_mut(), b"\\\"a\xffb \\\",1", "", 2).unwrap();
        assert_eq!((&*t, next), ("a\u{FFFD}b ", 8));
        // What `string_end` refuses: a bare quote, ASCII behind `\u` at either level.
        for bad in [
            &br#"\"a"b\",1"#[..],
            br#"\"a\u0041\",1"#,
            br#"\"a\\u0041\",1"#,
            br#"\"a\\"b\",1"#,
        ] {
            let mut t = crate::text::Text::<64>::new();
            assert!(push_string(t.as_mut(), bad, "", 2).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn push_string_reads_runs_of_the_payloads_u_escapes() {
        // Hand-checked: a run of `\\uXXXX` (taken one after another without the scanner),
        // broken by a pair, a lone surrogate, an escaped backslash and plain text; a run
        // that ends the string.
        let frame =
            r#"\"\\u3084\\u3070\\ud83d\\ude00\\u3044\\udc00\\u00e9\\\\\\u00e9x\\u4fe1\\u3042\",1"#;
        for text in [frame, ""] {
            let mut t = crate::text::Text::<64>::new();
            let next = push_string(t.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(&*t, "やば😀い\u{FFFD}é\\éx信あ");
            assert_eq!(&frame[next..], ",1");
            // Cut short inside the run: the same cut as the two-pass path.
            let mut cut = crate::text::Text::<7>::new();
            push_string(cut.as_mut(), frame.as_bytes(), text, 2).unwrap();
            assert_eq!(cut, two_pass::<7>(&frame.as_bytes()[2..next - 2]).unwrap());
        }
        // ASCII behind the payload's `\u` inside a run is still refused.
        let mut t = crate::text::Text::<64>::new();
        let bad = br#"\"\\u3084\\u0041\\u3070\",1"#;
        assert!(push_string(t.as_mut(), bad, "", 2).is_err());
    }

    /// `skip_container` over `s`, whose container opens at its first byte.
    #[cfg(not(target_arch = "wasm32"))]
    fn skipped(s: &[u8]) -> Result<usize, SyntaxError> {
        skip_container(s, 0)
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn skip_container_ends_after_the_closing_bracket() {
        // Hand-checked (input after `pad` spaces, where the skip ends without them): brackets
        // inside strings, the payload's escaped quote (`\\\"`) and backslash (`\\\\`) before
        // a string's end, `\\/`, the outer level's `\/` and `\u00e9`, nesting, a bracket of
        // the other kind closing one (as the plain reader's counter has it), the `|` and
        // control bytes the scanner also stops at.
        let cases: [(&[u8], usize); 9] = [
            (br#"{}"#, 2),
            (br#"[\"]\"],1"#, 7),
            (br#"{\"a\":[\"]\\\"\",{}],\"b\":1},"#, 30),
            (br#"{\"k\":\"x\\\\\"}]"#, 17),
            (br#"[\"{[\\\\\\\"\\\\\",\"}\"]]"#, 26),
            (br#"{\"u\":\"https:\\/\\/a\/b \u00e9|\u001b\"}x"#, 42),
            (br#"[[[{\"a\":[]}]],{\"b\":{}}]\"#, 27),
            (br#"[1}"#, 3),
            (b"[\\\"\xc3\xa9\\\\\xc3\xa9\\\"],", 12),
        ];
        for (input, end) in cases {
            // Every byte of the input at every place relative to the scanner's words.
            for pad in 0..17 {
                let s = [&b"["[..], &std::vec![b' '; pad], input, b"]"].concat();
                let inner = skip_container(&s, pad + 1);
                assert_eq!(
                    inner,
                    Ok(pad + 1 + end),
                    "{pad} {:?}",
                    std::str::from_utf8(input)
                );
            }
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn skip_container_refuses_what_the_one_pass_reader_does_not_follow() {
        for bad in [
            &br#"{\"a\":1"}"#[..],   // a bare quote: the outer string's end
            br#"{\"a\":\"b"c\"}"#,   // ... inside a string too
            br#"{\"a\":\"b\\"c\"}"#, // ... after the payload's backslash (`\\`)
            br#"{\n}"#,              // an escape outside a string
            br#"{\\\"a\":1}"#,       // the payload's backslash outside a string
            br#"[\"\q\"]"#,          // no such escape of the outer level
            br#"[\"\u00g0\"]"#,      // bad hex
            br#"[\"\u0041\"]"#,      // ASCII behind `\u`, at the outer level
            br#"[\"\\u0041\"]"#,     // ... or the payload's
            br#"[\"a\\\u0041\"]"#,   // ... or the payload's escape's letter hidden
            br#"[\"a\\\q\"]"#,       // the payload's escape, the outer one bad
            br#"{\"a\":[1}"#,        // never closed
            br#"[\"]\"\\"#,          // a lone backslash at the end
        ] {
            assert!(skipped(bad).is_err(), "{:?}", std::str::from_utf8(bad));
        }
        // Cut short anywhere: an error, never a panic.
        let whole = br#"{\"a\":[\"]\\\"\\\\\",{\"u\":\"\\/\u00e9\"}],\"b\":1}"#;
        assert_eq!(skipped(whole), Ok(whole.len()));
        for cut in 0..whole.len() {
            assert!(skipped(&whole[..cut]).is_err(), "{cut}");
        }
        let deep = [b'['; crate::limits::MAX_JSON_DEPTH + 1];
        assert_eq!(skipped(&deep), Err(SyntaxError::TooDeep));
        let mut ok = std::vec![b'['; crate::limits::MAX_JSON_DEPTH];
        ok.extend([b']'; crate::limits::MAX_JSON_DEPTH]);
        assert_eq!(skipped(&ok), Ok(ok.len()));
    }

    /// The payload's JSON pieces the skip proptest builds containers of: brackets, quotes,
    /// the payload's escapes, plain and UTF-8 bytes, `|`.
    #[cfg(not(target_arch = "wasm32"))]
    const JSON_PIECES: [&str; 16] = [
        "{", "}", "[", "]", "\"", "\\\"", "\\\\", "\\/", "\\u00e9", ":", ",", "1", "ab", "é", "/",
        "|",
    ];

    /// `inner` written into a JSON string's contents as the envelope writes it (`"` and `\`
    /// escaped; with `more`, `/` and non-ASCII chars too, as PHP does): the escaped bytes and,
    /// for each byte offset of `inner` (and its end), where it lands.
    #[cfg(not(target_arch = "wasm32"))]
    fn escape_outer(inner: &str, more: bool) -> (std::vec::Vec<u8>, std::vec::Vec<usize>) {
        let mut out = std::vec::Vec::new();
        let mut at = std::vec::Vec::new();
        for c in inner.chars() {
            for _ in 0..c.len_utf8() {
                at.push(out.len());
            }
            match c {
                '"' => out.extend(b"\\\""),
                '\\' => out.extend(b"\\\\"),
                '/' if more => out.extend(b"\\/"),
                c if more && !c.is_ascii() => {
                    out.extend(std::format!("\\u{:04x}", u32::from(c)).as_bytes());
                }
                c => out.extend(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        at.push(out.len());
        (out, at)
    }

    proptest::proptest! {
        /// `skip_container` is the plain reader's bracket counter on the payload unescaped:
        /// where that skips a container, this skips the same one; where that fails, this does.
        #[test]
        #[cfg(not(target_arch = "wasm32"))]
        fn skip_container_is_the_plain_skip(
            pieces in proptest::collection::vec(0usize..16, 0..40),
            open in 0usize..2,
            more: bool,
        ) {
            let inner: std::string::String = core::iter::once(["{", "["][open])
                .chain(pieces.iter().map(|&i| JSON_PIECES[i]))
                .chain([",9"])
                .collect();
            let (outer, at) = escape_outer(&inner, more);
            let mut plain = super::super::reader::Reader::new(inner.as_bytes());
            // Where this skips, that skips the same container. With `/` and non-ASCII chars
            // escaped, one outside a string is an escape there, which this refuses (the
            // two-pass path reads it); otherwise they agree on every input.
            match (plain.skip_unwanted(), skipped(&outer)) {
                (Ok(()), Ok(end)) => proptest::prop_assert_eq!(end, at[plain.offset()]),
                (Err(_), Ok(end)) => proptest::prop_assert!(false, "{}", end),
                (Ok(()), Err(_)) => proptest::prop_assert!(more),
                (Err(_), Err(_)) => {}
            }
        }
    }

    #[test]
    fn decodes_both_levels() {
        let mut buf = [0u8; 64];
        // As Kick sends a chat line with a quote, a slash and an emoji (PHP's `\u` pair).
        let raw = br#"say \\\"hi\\\" http:\\\/\\\/x \\ud83d\\ude00 \u00e9"#;
        let n = decode(raw, &mut buf).unwrap();
        assert_eq!(&buf[..n], "say \"hi\" http://x 😀 é".as_bytes());
        assert_eq!(
            decode(br#"a\\q"#, &mut buf),
            Err(SyntaxError::BadEscape),
            "the payload's bad escape"
        );
        assert!(decode(b"0123456789", &mut buf[..4]).is_err(), "too long");
    }
}
