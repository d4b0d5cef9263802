//! The server side of RFC 6455 framing: client frames in (masked, unmasked here in place),
//! server frames out (never masked). Only what a Pusher server needs: no extensions.

/// Opcodes (RFC 6455 section 5.2).
pub(super) const CONTINUATION: u8 = 0x0;
pub(super) const TEXT: u8 = 0x1;
pub(super) const BINARY: u8 = 0x2;
pub(super) const CLOSE: u8 = 0x8;
pub(super) const PING: u8 = 0x9;
pub(super) const PONG: u8 = 0xA;

/// Close codes the endpoint sends (RFC 6455 section 7.4.1).
pub(super) const PROTOCOL_ERROR: u16 = 1002;
pub(super) const UNSUPPORTED_DATA: u16 = 1003;
pub(super) const INVALID_DATA: u16 = 1007;
pub(super) const TOO_BIG: u16 = 1009;

/// One client frame found at the start of a buffer.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Frame {
    pub(super) fin: bool,
    pub(super) opcode: u8,
    /// Where the (unmasked) payload sits in the buffer.
    pub(super) payload: std::ops::Range<usize>,
    /// Bytes the whole frame took.
    pub(super) len: usize,
}

/// What the start of a buffer holds.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decoded {
    /// Not a whole frame yet.
    Partial,
    /// A whole frame, its payload unmasked in place.
    Frame(Frame),
    /// A frame a client must not send: close with this code.
    Fail(u16),
}

/// Decodes the frame at the start of `buf`, unmasking its payload in place. A data frame's
/// payload over `max_payload` fails with 1009 as soon as its header is read.
pub(super) fn decode(buf: &mut [u8], max_payload: usize) -> Decoded {
    let (Some(&b0), Some(&b1)) = (buf.first(), buf.get(1)) else {
        return Decoded::Partial;
    };
    let fin = b0 & 0x80 != 0;
    let opcode = b0 & 0x0F;
    if b0 & 0x70 != 0 || !matches!(opcode, CONTINUATION | TEXT | BINARY | CLOSE | PING | PONG) {
        return Decoded::Fail(PROTOCOL_ERROR);
    }
    // Clients must mask every frame (section 5.1).
    if b1 & 0x80 == 0 {
        return Decoded::Fail(PROTOCOL_ERROR);
    }
    let (len, header) = match b1 & 0x7F {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Decoded::Partial,
        },
        127 => match buf.get(2..10).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            Some(b) => (u64::from_be_bytes(b), 10),
            None => return Decoded::Partial,
        },
        n => (u64::from(n), 2),
    };
    let control = opcode >= CLOSE;
    if control && (!fin || len > 125) {
        return Decoded::Fail(PROTOCOL_ERROR);
    }
    let Ok(len) = usize::try_from(len) else {
        return Decoded::Fail(TOO_BIG);
    };
    if len > max_payload {
        return Decoded::Fail(TOO_BIG);
    }
    let start = header + 4;
    let end = start + len;
    if buf.len() < end {
        return Decoded::Partial;
    }
    let mask = [
        buf[header],
        buf[header + 1],
        buf[header + 2],
        buf[header + 3],
    ];
    for (i, byte) in buf[start..end].iter_mut().enumerate() {
        *byte ^= mask[i % 4];
    }
    Decoded::Frame(Frame {
        fin,
        opcode,
        payload: start..end,
        len: end,
    })
}

/// A whole, unmasked server frame with `payload`.
pub(super) fn encode(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x80 | opcode);
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= usize::from(u16::MAX) => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// A close frame with `code` and a short `reason` (cut to fit the 125-byte control limit).
pub(super) fn close(code: u16, reason: &str) -> Vec<u8> {
    let mut payload = code.to_be_bytes().to_vec();
    let mut cut = reason.len().min(123);
    while !reason.is_char_boundary(cut) {
        cut -= 1;
    }
    payload.extend_from_slice(&reason.as_bytes()[..cut]);
    encode(CLOSE, &payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(b0: u8, payload: &[u8]) -> Vec<u8> {
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        let mut out = vec![b0];
        if payload.len() < 126 {
            out.push(0x80 | payload.len() as u8);
        } else {
            out.push(0x80 | 126);
            out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        out
    }

    #[test]
    fn rfc_6455_masked_hello_is_read() {
        // RFC 6455 section 5.7: "A single-frame masked text message".
        let mut buf = vec![
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let Decoded::Frame(f) = decode(&mut buf, 100) else {
            panic!()
        };
        assert_eq!((f.fin, f.opcode, f.len), (true, TEXT, 11));
        assert_eq!(&buf[f.payload], b"Hello");
        assert_eq!(decode(&mut [0x81, 0x85, 0x37], 100), Decoded::Partial);
    }

    #[test]
    fn server_frames_match_rfc_6455_examples() {
        // Section 5.7: unmasked "Hello", and a 256-byte binary message's 16-bit length.
        assert_eq!(
            encode(TEXT, b"Hello"),
            [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]
        );
        assert_eq!(encode(BINARY, &[0; 256])[..4], [0x82, 0x7E, 0x01, 0x00]);
        assert_eq!(
            encode(BINARY, &[0; 65536])[..10],
            [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]
        );
        assert_eq!(close(4100, "Over capacity")[..4], [0x88, 15, 0x10, 0x04]);
    }

    #[test]
    fn frames_a_client_must_not_send_fail() {
        let mut unmasked = vec![0x81, 0x01, b'a'];
        assert_eq!(decode(&mut unmasked, 100), Decoded::Fail(PROTOCOL_ERROR));
        assert_eq!(
            decode(&mut masked(0xC1, b"a"), 100),
            Decoded::Fail(PROTOCOL_ERROR)
        ); // RSV1
        assert_eq!(
            decode(&mut masked(0x83, b"a"), 100),
            Decoded::Fail(PROTOCOL_ERROR)
        ); // opcode 3
        assert_eq!(
            decode(&mut masked(0x09, b"a"), 100),
            Decoded::Fail(PROTOCOL_ERROR)
        ); // fragmented ping
        assert_eq!(
            decode(&mut masked(0x81, &[b'a'; 200]), 100),
            Decoded::Fail(TOO_BIG)
        );
    }
}
