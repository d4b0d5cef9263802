//! Base64 encoding (RFC 4648 section 4, the standard alphabet with `=` padding), only as far
//! as the WebSocket upgrade needs it: the 16-byte `Sec-WebSocket-Key` and the 20-byte SHA-1
//! behind `Sec-WebSocket-Accept`. Nothing is ever decoded: the accept value is compared as
//! text.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The length of the base64 text of `n` bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n.div_ceil(3).saturating_mul(4)
}

/// Writes the base64 text of `input` to the start of `out`; returns its length, or `None`
/// (and writes nothing) when `out` is shorter than [`encoded_len`] of the input.
pub(crate) fn encode(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let len = encoded_len(input.len());
    let out = out.get_mut(..len)?;
    for (group, text) in input.chunks(3).zip(out.chunks_mut(4)) {
        let byte = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let bits = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        // A group of n bytes gives n + 1 characters; `=` pads it to four.
        let chars = group.len().saturating_add(1);
        for (i, c) in text.iter_mut().enumerate() {
            let six = (bits >> (18usize.saturating_sub(i.saturating_mul(6)))) & 0x3f;
            *c = match i < chars {
                true => ALPHABET.get(six as usize).copied().unwrap_or(b'='),
                false => b'=',
            };
        }
    }
    Some(len)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::string::String;

    fn text(input: &[u8]) -> String {
        let mut out = [0u8; 64];
        let n = encode(input, &mut out).unwrap();
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn rfc_4648_test_vectors() {
        // RFC 4648 section 10.
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(text(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn the_whole_alphabet_and_the_handshake_sizes() {
        // 0x00 0x10 0x83 0x10 0x51 0x87 ... : every 6-bit value from 0 to 63 in order,
        // written out by hand as 48 bytes.
        let all: [u8; 48] = [
            0x00, 0x10, 0x83, 0x10, 0x51, 0x87, 0x20, 0x92, 0x8b, 0x30, 0xd3, 0x8f, 0x41, 0x14,
            0x93, 0x51, 0x55, 0x97, 0x61, 0x96, 0x9b, 0x71, 0xd7, 0x9f, 0x82, 0x18, 0xa3, 0x92,
            0x59, 0xa7, 0xa2, 0x9a, 0xab, 0xb2, 0xdb, 0xaf, 0xc3, 0x1c, 0xb3, 0xd3, 0x5d, 0xb7,
            0xe3, 0x9e, 0xbb, 0xf3, 0xdf, 0xbf,
        ];
        assert_eq!(
            text(&all),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        );
        // The RFC 6455 section 1.3 key is the base64 of this 16-byte nonce.
        assert_eq!(text(b"the sample nonce"), "dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!((encoded_len(16), encoded_len(20)), (24, 28));
    }

    #[test]
    fn a_short_output_is_refused_untouched() {
        let mut out = [b'.'; 7];
        assert_eq!(encode(b"foobar", &mut out), None);
        assert_eq!(&out, b".......");
    }
}
