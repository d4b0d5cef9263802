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

use super::unescape::{unescape_in_place, unescape_into};
use crate::error::SyntaxError;

/// Kept strings with escapes up to this many bytes (as they arrive, doubly escaped) are decoded
/// on the stack; a longer one sends the payload to the two-pass path. Chat lines are at most
/// 500 characters and most are under 100.
pub(crate) const DOUBLE_SMALL: usize = 512;

/// The length of the escape sequence of the outer string at `buf[at]` (a backslash): 2, or 6
/// for `\uXXXX`.
///
/// # Errors
/// [`SyntaxError::BadEscape`] for an escape JSON does not have, or for `\u0022` and `\u005c`: a
/// quote or backslash of the payload hidden behind `\u` would change where its strings end,
/// which the one-pass reader does not follow (no encoder writes them).
fn escape_len(buf: &[u8], at: usize) -> Result<usize, SyntaxError> {
    match buf.get(at.saturating_add(1)) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
        Some(b'u') => {
            let start = at.saturating_add(2);
            let digits = buf
                .get(start..start.saturating_add(4))
                .ok_or(SyntaxError::UnexpectedEnd)?;
            if !digits.iter().all(u8::is_ascii_hexdigit) {
                return Err(SyntaxError::BadEscape);
            }
            if digits.eq_ignore_ascii_case(b"0022") || digits.eq_ignore_ascii_case(b"005c") {
                return Err(SyntaxError::BadEscape);
            }
            Ok(6)
        }
        Some(_) => Err(SyntaxError::BadEscape),
        None => Err(SyntaxError::UnexpectedEnd),
    }
}

/// Scans one string of the payload whose opening `\"` ends just before `start`: the offset of
/// its closing `\"`, the offset just after it, and whether the string holds any escape (of
/// either level).
///
/// # Errors
/// See the [module docs](self): whatever the one-pass reader leaves to the two-pass one.
pub(crate) fn string_end(buf: &[u8], start: usize) -> Result<(usize, usize, bool), SyntaxError> {
    let mut pos = start;
    let mut escaped = false;
    loop {
        let rest = buf.get(pos..).ok_or(SyntaxError::UnexpectedEnd)?;
        // Keys and most values end within a word: test one in place before calling the scanner.
        let k = match rest.first_chunk::<8>() {
            Some(word) => match super::scan::special_in_word(*word, b'\\', b'"') {
                Some(k) => k,
                None => super::scan::find2(rest.get(8..).unwrap_or(&[]), b'\\', b'"')
                    .ok_or(SyntaxError::UnexpectedEnd)?
                    .saturating_add(8),
            },
            None => super::scan::find2(rest, b'\\', b'"').ok_or(SyntaxError::UnexpectedEnd)?,
        };
        let at = pos.saturating_add(k);
        match (buf.get(at), buf.get(at.saturating_add(1))) {
            // The outer string's own end: the caller found it, so it cannot be here.
            (Some(b'"'), _) => return Err(SyntaxError::UnexpectedByte),
            (_, Some(b'"')) => return Ok((at, at.saturating_add(2), escaped)),
            (_, Some(b'\\')) => {
                // A backslash of the payload: the char after it is escaped whatever it is,
                // written plain (one byte; a UTF-8 lead byte's continuation bytes are never
                // special) or as an escape of the outer string.
                escaped = true;
                let next = at.saturating_add(2);
                pos = match buf.get(next) {
                    Some(b'\\') => next.saturating_add(escape_len(buf, next)?),
                    Some(_) => next.saturating_add(1),
                    None => return Err(SyntaxError::UnexpectedEnd),
                };
            }
            // An escape of the outer string standing for one char of the payload's string
            // (`\/`, `\u00e9`).
            _ => {
                escaped = true;
                pos = at.saturating_add(escape_len(buf, at)?);
            }
        }
    }
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
            r#"\"a\qb\",1"#,      // no such escape
            r#"\"a\u12g4\",1"#,   // bad hex
            r#"\"a"b\",1"#,       // a bare quote cannot be inside the outer string
        ] {
            assert!(end(s).is_err(), "{s}");
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
