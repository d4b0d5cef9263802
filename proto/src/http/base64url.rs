//! base64url (RFC 4648 section 5), decoding only: the middle part of a JWT.

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

#[cfg(test)]
mod tests {
    use super::*;

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
