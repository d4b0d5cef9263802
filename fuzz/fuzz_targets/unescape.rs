//! Arbitrary bytes as the raw contents of a JSON string: `unescape_in_place` and `unescape_into`
//! agree with each other and with a plain byte-by-byte reference decoder written here, never
//! grow the text, never panic, and keep valid UTF-8 valid.
#![no_main]

use kickwire_proto::SyntaxError;
use kickwire_proto::json::{UnescapeError, unescape_in_place, unescape_into};
use libfuzzer_sys::fuzz_target;

fn hex4(src: &[u8], at: usize) -> Option<u32> {
    let digits = src.get(at..at + 4)?;
    let s = std::str::from_utf8(digits).ok()?;
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// The documented semantics, one byte at a time: the simple escapes, `\uXXXX`, a surrogate pair
/// as one char, a lone surrogate as U+FFFD; raw bytes copied as they are.
fn reference(src: &[u8]) -> Result<Vec<u8>, SyntaxError> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i] != b'\\' {
            out.push(src[i]);
            i += 1;
            continue;
        }
        let kind = *src.get(i + 1).ok_or(SyntaxError::UnexpectedEnd)?;
        let (c, used) = match kind {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let unit = hex4(src, i + 2).ok_or(SyntaxError::BadEscape)?;
                match unit {
                    0xD800..=0xDBFF => {
                        let low = if src.get(i + 6..i + 8) == Some(b"\\u") {
                            hex4(src, i + 8)
                        } else {
                            None
                        };
                        match low {
                            Some(low @ 0xDC00..=0xDFFF) => {
                                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                (char::from_u32(c).expect("a pair is a char"), 12)
                            }
                            _ => (char::REPLACEMENT_CHARACTER, 6),
                        }
                    }
                    0xDC00..=0xDFFF => (char::REPLACEMENT_CHARACTER, 6),
                    _ => (char::from_u32(unit).expect("not a surrogate"), 6),
                }
            }
            _ => return Err(SyntaxError::BadEscape),
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        i += used;
    }
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let mut in_place = data.to_vec();
    let r1 = unescape_in_place(&mut in_place);

    let mut into = vec![0u8; data.len()];
    let r2 = unescape_into(data, &mut into);

    match (&r1, reference(data)) {
        (Ok(n), Ok(want)) => assert_eq!(&in_place[..*n], &want[..], "differs from the reference"),
        (Err(e), Err(want)) => assert_eq!(*e, want, "error differs from the reference"),
        (got, want) => panic!("got {got:?}, the reference {want:?}"),
    }

    match (r1, r2) {
        (Ok(n1), Ok(n2)) => {
            assert_eq!(n1, n2);
            assert!(
                n1 <= data.len(),
                "unescaping grew the text: {n1} > {}",
                data.len()
            );
            assert_eq!(in_place[..n1], into[..n2]);
            if !data.contains(&b'\\') {
                assert_eq!(
                    &into[..n2],
                    data,
                    "text without escapes must be copied as is"
                );
            }
            if std::str::from_utf8(data).is_ok() {
                // Escapes decode to whole chars (lone surrogates to U+FFFD) and runs between
                // them are split at an ASCII backslash: valid UTF-8 stays valid.
                assert!(
                    std::str::from_utf8(&into[..n2]).is_ok(),
                    "valid UTF-8 input gave invalid UTF-8 output"
                );
            }
        }
        (Err(e1), Err(UnescapeError::Syntax(e2))) => assert_eq!(e1, e2),
        (a, b) => panic!("in place {a:?} vs into {b:?}"),
    }

    // A destination shorter than the source is refused up front, never overrun.
    if !data.is_empty() {
        let mut small = vec![0u8; data.len() - 1];
        assert_eq!(
            unescape_into(data, &mut small),
            Err(UnescapeError::BufferTooSmall {
                required: data.len()
            })
        );
    }
});
