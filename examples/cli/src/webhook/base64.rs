//! Base64 decoding (RFC 4648 section 4, the standard alphabet), for the two places a webhook
//! meets it: the `Kick-Event-Signature` header and the body of a PEM public key.
//!
//! Padding is optional (Kick's header is padded; a PEM line break may fall anywhere, so the
//! caller joins the lines first). Bits left over after the last whole byte are ignored, as
//! most decoders do: a signature decoded from a sloppy text still has to verify.

/// The bytes of a base64 text, or `None` if it holds a character outside the alphabet, `=`
/// anywhere but at the end, or a length no encoder produces.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let unpadded = text
        .strip_suffix(b"==")
        .or_else(|| text.strip_suffix(b"="))
        .unwrap_or(text);
    // A padded text comes in whole groups of four; any text leaves 0, 2 or 3 characters over
    // (one character is only six bits: no byte).
    if (unpadded.len() != text.len() && !text.len().is_multiple_of(4)) || unpadded.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for &c in unpadded {
        acc = (acc << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // The byte is the 8 bits above the `bits` still pending; `acc` keeps only those.
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The six bits one character stands for.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::decode;

    #[test]
    fn rfc_4648_test_vectors() {
        // RFC 4648 section 10, padded and not.
        let cases: [(&str, &str); 7] = [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ];
        for (text, bytes) in cases {
            assert_eq!(
                decode(text.as_bytes()).as_deref(),
                Some(bytes.as_bytes()),
                "{text}"
            );
        }
        assert_eq!(decode(b"Zg").as_deref(), Some(&b"f"[..]));
        assert_eq!(decode(b"Zm8").as_deref(), Some(&b"fo"[..]));
    }

    #[test]
    fn the_last_two_characters_of_the_alphabet() {
        // 0xfb 0xff 0xbf is 111110 111111 111110 111111: `+/+/`.
        assert_eq!(decode(b"+/+/").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
    }

    #[test]
    fn rejects_what_no_encoder_writes() {
        for bad in [
            &b"Z"[..],     // one character: six bits, no byte
            b"Zg=",        // padded but not a group of four
            b"Z===",       // three pad characters
            b"Zg==Zg==",   // padding in the middle
            b"Zm9v\nYmFy", // a line break (PEM lines are joined first)
            b"Zm9-",       // the URL-safe alphabet
            b"Zm9v Zg==",
        ] {
            assert_eq!(decode(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
