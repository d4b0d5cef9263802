//! What the CLI writes to a terminal: text from Kick made inert.
//!
//! Chat messages, usernames, titles, channel names and a server's error messages are typed by
//! strangers. Written raw to a terminal, a control character in them is a command: `ESC ] 0 ;`
//! sets the window title, `ESC [ 2 J` clears the screen, `ESC ] 52 ;` writes the clipboard, and
//! U+009B is a one-character CSI in UTF-8 terminals. So every line the CLI prints passes through
//! here:
//!
//! - a readable line ([`write_line`]) shows each control character as Rust writes it, `\u{1b}`;
//! - a JSON line ([`write_json`]) is serde_json's text, which escapes C0 already, with DEL and
//!   the C1 controls written as `\u007f`..`\u009f` too (still the same JSON value).
//!
//! ```
//! use kickwire_cli::terminal::escape;
//! assert_eq!(escape("hi\u{1b}]0;owned\u{7}"), r"hi\u{1b}]0;owned\u{7}");
//! assert_eq!(escape("tab\tstays"), "tab\tstays");
//! ```

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// Whether a terminal could take `c` as (part of) a command: C0 controls but tab, DEL, and the
/// C1 controls U+0080-U+009F. Newlines count too: one printed line is one event.
#[must_use]
pub fn is_control(c: char) -> bool {
    // `char::is_control` is Unicode's Cc: U+0000-U+001F and U+007F-U+009F.
    c.is_control() && c != '\t'
}

/// `text` with each control character ([`is_control`]) written as `\u{XX}`; borrowed when
/// there is none (the common case).
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes one readable line: `text`, escaped, then a newline.
pub fn write_line(w: &mut impl Write, text: &str) -> io::Result<()> {
    w.write_all(escape(text).as_bytes())?;
    w.write_all(b"\n")
}

/// Writes `value` as one line of compact JSON with no raw control character in it.
pub fn write_json(w: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    w.write_all(json_text(value).as_bytes())?;
    w.write_all(b"\n")
}

/// `value` as compact JSON with no raw control character in it (see the module docs).
#[must_use]
pub fn json_text(value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(256);
    let mut ser = Serializer::with_formatter(&mut out, InertFormatter);
    if let Err(e) = value.serialize(&mut ser) {
        // Our values are plain structs and maps with string keys; say so rather than print
        // nothing.
        return serde_json::json!({ "serialization_error": e.to_string() }).to_string();
    }
    // serde_json writes UTF-8 only, and the formatter adds ASCII only.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// serde_json's compact format (the trait's defaults), with DEL and the C1 controls escaped inside strings (JSON
/// structure is ASCII, so strings are the only place they can be).
struct InertFormatter;

impl Formatter for InertFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_control(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attacks of issue 11, one per string: clipboard write, screen clear, window title,
    /// an 8-bit CSI, a bell, DEL, a newline that would fake a second event line.
    const ATTACKS: &str =
        "a\u{1b}]52;c;aGk=\u{7}b\u{1b}[2Jc\u{1b}]0;title\u{7}d\u{9b}31me\u{7f}f\ng";

    #[test]
    fn escape_writes_each_control_as_rust_does() {
        // Written out by hand.
        assert_eq!(
            escape(ATTACKS),
            r"a\u{1b}]52;c;aGk=\u{7}b\u{1b}[2Jc\u{1b}]0;title\u{7}d\u{9b}31me\u{7f}f\u{a}g"
        );
        assert!(matches!(escape("plain, ça va 😀\t!"), Cow::Borrowed(_)));
        // U+00A0 (no-break space) is the first character past C1: printable.
        assert_eq!(escape("\u{9f}\u{a0}"), "\\u{9f}\u{a0}");
    }

    #[test]
    fn json_text_escapes_c1_and_del_and_stays_the_same_value() {
        let v = serde_json::json!({ "content": ATTACKS, "k\u{85}": [1, null, true] });
        let text = json_text(&v);
        // By hand: serde_json's own escapes for C0, ours for DEL and C1.
        assert_eq!(
            text,
            r#"{"content":"a\u001b]52;c;aGk=\u0007b\u001b[2Jc\u001b]0;title\u0007d\u009b31me\u007ff\ng","k\u0085":[1,null,true]}"#
        );
        assert!(!text.chars().any(is_control));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn write_line_ends_the_line_once() {
        let mut out = Vec::new();
        write_line(&mut out, "x\ny").unwrap();
        assert_eq!(out, b"x\\u{a}y\n");
    }
}
