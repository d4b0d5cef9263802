//! base64url (RFC 4648 section 5): decoding the middle part of a JWT, and encoding without
//! padding (a PKCE code challenge, RFC 7636 section 4.2).

/// Decodes base64url (or standard base64), padding optional, into `out`; `None` for a bad
/// character or too little room.
pub(super) fn base64url_decode(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut n: usize = 0;
    for &c in input {
        let v = match c {
            b'A'..=b'Z' => c.wrapping_sub(b'A'),
            b'a'..=b'z' => c.wrapping_sub(b'a').wrapping_add(26),
            b'0'..=b'9' => c.wrapping_sub(b'0').wrapping_add(52),
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = acc.wrapping_shl(6) | u32::from(v);
        bits = bits.wrapping_add(6);
        if bits >= 8 {
            bits = bits.wrapping_sub(8);
            *out.get_mut(n)? = (acc.wrapping_shr(bits) & 0xff) as u8;
            n = n.checked_add(1)?;
        }
    }
    Some(n)
}

/// Writes `input` as base64url without padding.
pub(super) fn base64url_encode(input: &[u8], out: &mut crate::write::Writer<'_>) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for chunk in input.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        // A chunk of k bytes gives k + 1 characters (padding left out).
        for i in 0..=chunk.len() {
            let shift = 18u32.saturating_sub(6u32.saturating_mul(i as u32));
            let index = (n >> shift) & 63;
            let c = ALPHABET.get(index as usize).copied().unwrap_or(b'A');
            out.bytes(&[c]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_rfc4648_vectors() {
        // RFC 4648 section 10's vectors, padding removed.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut buf = [0u8; 16];
            let mut w = crate::write::Writer::new(&mut buf);
            base64url_encode(plain.as_bytes(), &mut w);
            assert_eq!(w.into_str(), Ok(encoded));
        }
        // The two characters that differ from standard base64: 0xfb 0xff -> "-_8".
        let mut buf = [0u8; 4];
        let mut w = crate::write::Writer::new(&mut buf);
        base64url_encode(&[0xfb, 0xff], &mut w);
        assert_eq!(w.into_str(), Ok("-_8"));
    }

    #[test]
    fn base64_edges() {
        let mut out = [0u8; 8];
        assert_eq!(base64url_decode(b"", &mut out), Some(0));
        assert_eq!(base64url_decode(b"YQ", &mut out), Some(1));
        assert_eq!(&out[..1], b"a");
        assert_eq!(base64url_decode(b"YWJj", &mut out), Some(3));
        assert_eq!(&out[..3], b"abc");
        assert_eq!(base64url_decode(b"YWI=", &mut out), Some(2));
        assert_eq!(base64url_decode(b"YW*", &mut out), None);
        let mut tiny = [0u8; 1];
        assert_eq!(base64url_decode(b"YWJj", &mut tiny), None);
    }
}
