//! The two JSON string escapings Kick's frames come in, written out by hand so that tests can
//! build frames either way:
//!
//! - PHP's `json_encode` with its default flags (Kick's backend): `\/`, every non-ASCII char as
//!   `\uXXXX` (astral chars as a surrogate pair), `"`, `\` and control chars escaped;
//! - "raw" (JavaScript's `JSON.stringify`, Go): only `"`, `\` and the control chars escaped,
//!   UTF-8 kept.

use std::fmt::Write as _;

/// An escaper: a string in, the contents of a JSON string out (without the quotes).
pub type Escaper = fn(&str) -> String;

/// PHP's `json_encode($s)` with default flags (hex digits in lower case, as PHP writes them).
pub fn php_escape(s: &str) -> String {
    php(s, false)
}

/// As [`php_escape`] with the hex digits in upper case: PHP does not write them so, other
/// encoders do, and JSON allows both.
pub fn php_escape_upper(s: &str) -> String {
    php(s, true)
}

fn php(s: &str, upper: bool) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let unit = |out: &mut String, u: u16| {
        if upper {
            write!(out, "\\u{u:04X}").expect("writing to a String");
        } else {
            write!(out, "\\u{u:04x}").expect("writing to a String");
        }
    };
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => unit(&mut out, u32::from(c) as u16),
            c if c.is_ascii() => out.push(c),
            c => {
                for u in c.encode_utf16(&mut [0; 2]) {
                    unit(&mut out, *u);
                }
            }
        }
    }
    out
}

/// Only what JSON requires: `"`, `\` and the control chars U+0000..U+001F; UTF-8 kept.
pub fn raw_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                write!(out, "\\u{:04x}", u32::from(c)).expect("writing to a String")
            }
            c => out.push(c),
        }
    }
    out
}

/// Both escapings, named, for tests that try each.
pub const ESCAPERS: [(&str, Escaper); 2] = [("php", php_escape), ("raw", raw_escape)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_escaping_by_hand() {
        let s = "a\"\\/\u{8}\u{1}é😭";
        assert_eq!(php_escape(s), r#"a\"\\\/\b\u0001\u00e9\ud83d\ude2d"#);
        assert_eq!(php_escape_upper(s), r#"a\"\\\/\b\u0001\u00E9\uD83D\uDE2D"#);
        assert_eq!(raw_escape(s), "a\\\"\\\\/\\b\\u0001é😭");
    }
}
