//! Percent-encoding (RFC 3986 section 2.1) of query and form values: every byte but the
//! unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`. A space becomes `%20`, which form decoders
//! accept as well as `+`.

use crate::http::request::Out;

/// Writes `value` percent-encoded.
pub(super) fn percent_encode(value: &str, out: &mut Out<'_>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.bytes(&[b]);
        } else {
            let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            out.bytes(&[b'%', hi, lo]);
        }
    }
}

/// Writes `name=value` pairs joined by `&`, each value percent-encoded (the names are ours and
/// need none).
pub(super) fn pairs(pairs: &[(&str, &str)], out: &mut Out<'_>) {
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.str("&");
        }
        out.str(name);
        out.str("=");
        percent_encode(value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(s: &str) -> std::string::String {
        let mut buf = [0u8; 128];
        let mut out = Out::new(&mut buf);
        percent_encode(s, &mut out);
        out.into_str().unwrap().into()
    }

    #[test]
    fn percent_encoding() {
        // Checked by hand against RFC 3986's unreserved set and UTF-8 (é is C3 A9).
        assert_eq!(encoded("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encoded("user:read chat:write"),
            "user%3Aread%20chat%3Awrite"
        );
        assert_eq!(
            encoded("http://127.0.0.1:8910/callback"),
            "http%3A%2F%2F127.0.0.1%3A8910%2Fcallback"
        );
        assert_eq!(encoded("a&b=c+d é"), "a%26b%3Dc%2Bd%20%C3%A9");
    }
}
