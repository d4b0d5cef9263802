//! WebSocket frames (RFC 6455 section 5.2) built and parsed by hand, independent of the
//! embedded-websocket codec the board's link uses.

use base64::Engine as _;
use sha1::{Digest, Sha1};

/// The opcodes.
pub const CONTINUATION: u8 = 0x0;
pub const TEXT: u8 = 0x1;
pub const BINARY: u8 = 0x2;
pub const CLOSE: u8 = 0x8;
pub const PING: u8 = 0x9;
pub const PONG: u8 = 0xA;

/// How a frame's payload length is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthForm {
    /// The shortest form (7 bits, 16 bits or 64 bits).
    Shortest,
    /// Always 16 bits (valid for up to 65535 bytes; RFC 6455 asks for the shortest, a lenient
    /// reader takes both).
    Wide16,
    /// Always 64 bits.
    Wide64,
}

/// One frame as it goes on the wire. `b0` is FIN, RSV1-3 and the opcode; `mask` masks the
/// payload with that key (servers never mask; a client always does).
pub fn frame(b0: u8, payload: &[u8], form: LengthForm, mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut f = vec![b0];
    let m = if mask.is_some() { 0x80 } else { 0 };
    let n = payload.len();
    match form {
        LengthForm::Shortest if n < 126 => f.push(m | n as u8),
        LengthForm::Shortest | LengthForm::Wide16 if n <= 0xffff => {
            f.push(m | 126);
            f.extend_from_slice(&(n as u16).to_be_bytes());
        }
        _ => {
            f.push(m | 127);
            f.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    match mask {
        Some(key) => {
            f.extend_from_slice(&key);
            f.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => f.extend_from_slice(payload),
    }
    f
}

/// A frame read from bytes, payload unmasked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub fin: bool,
    /// RSV1-3 (bits 6-4 of the first byte).
    pub rsv: u8,
    pub opcode: u8,
    pub masked: bool,
    pub payload: Vec<u8>,
}

/// The first frame of `bytes` and its length on the wire; `None` until it has all arrived
/// (or when its announced length does not fit `usize`).
pub fn parse(bytes: &[u8]) -> Option<(Frame, usize)> {
    let (&b0, rest) = bytes.split_first()?;
    let (&b1, rest) = rest.split_first()?;
    let (len, rest) = match b1 & 0x7f {
        126 => {
            let (n, rest) = rest.split_first_chunk::<2>()?;
            (usize::from(u16::from_be_bytes(*n)), rest)
        }
        127 => {
            let (n, rest) = rest.split_first_chunk::<8>()?;
            (usize::try_from(u64::from_be_bytes(*n)).ok()?, rest)
        }
        n => (usize::from(n), rest),
    };
    let masked = b1 & 0x80 != 0;
    let (key, rest) = if masked {
        let (k, rest) = rest.split_first_chunk::<4>()?;
        (Some(*k), rest)
    } else {
        (None, rest)
    };
    let payload = rest.get(..len)?;
    let payload = match key {
        Some(k) => payload
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ k[i % 4])
            .collect(),
        None => payload.to_vec(),
    };
    let head = bytes.len() - rest.len();
    Some((
        Frame {
            fin: b0 & 0x80 != 0,
            rsv: (b0 >> 4) & 7,
            opcode: b0 & 0x0f,
            masked,
            payload,
        },
        head + len,
    ))
}

/// The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key` (RFC 6455 section 4.2.2).
pub fn accept(key: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(key.as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(sha.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6455_examples() {
        // Section 1.3's handshake example.
        assert_eq!(
            accept("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        // Section 5.7: a single-frame unmasked text message, and a masked one.
        let hello = frame(0x81, b"Hello", LengthForm::Shortest, None);
        assert_eq!(hello, [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
        let masked = frame(
            0x81,
            b"Hello",
            LengthForm::Shortest,
            Some([0x37, 0xfa, 0x21, 0x3d]),
        );
        assert_eq!(
            masked,
            [
                0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58
            ]
        );
        let (f, n) = parse(&masked).unwrap();
        assert_eq!(
            (f.payload.as_slice(), f.masked, f.fin, f.opcode, n),
            (&b"Hello"[..], true, true, TEXT, 11)
        );
        // 256 bytes in one unmasked binary frame: 16-bit length.
        let big = frame(0x82, &[0; 256], LengthForm::Shortest, None);
        assert_eq!(&big[..4], [0x82, 0x7E, 0x01, 0x00]);
        assert!(parse(&big[..100]).is_none());
        let wide = frame(0x82, &[0; 3], LengthForm::Wide64, None);
        assert_eq!(wide.len(), 2 + 8 + 3);
        assert_eq!(parse(&wide).unwrap().0.payload, [0; 3]);
    }
}
