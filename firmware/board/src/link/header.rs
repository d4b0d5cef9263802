//! A look at the next WebSocket frame's header before the codec reads it.
//!
//! embedded-websocket's `read` streams a data frame's payload in pieces, which is what lets a
//! small receive buffer carry a large message. A control frame (ping, close) read in pieces
//! would be wrong, though: a close frame cut after one byte of its status code is reported as
//! 1011, and a ping's payload must be echoed whole. So the link reads a control frame only
//! once all of it is buffered, and this tells it how long that is (RFC 6455 section 5.2).
//!
//! Fragmented messages need a look too. embedded-websocket 0.9.5 mishandles a fragment whose
//! payload arrives in more than one read: after a non-final fragment read in pieces it keeps a
//! finished "continuation read" and takes the next frame's header for payload, and a final
//! continuation frame read in pieces fails with `UnexpectedContinuationFrame` (it clears the
//! message's opcode before looking at it). Whole single-frame messages read in pieces are
//! handled right. So the link keeps track of fragmentation itself (FIN bit and opcode, from
//! here) and shows the codec every data frame as a single-frame text message: [`SINGLE_TEXT`].

/// The first header byte of a final text frame (FIN set, opcode 1), written over a data
/// frame's first byte before the codec reads it (see the module docs).
pub(crate) const SINGLE_TEXT: u8 = 0x81;

/// What the first bytes of a frame say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// The opcode (0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong).
    pub(crate) opcode: u8,
    /// The FIN bit: the last frame of its message.
    pub(crate) fin: bool,
    /// Opcode 8 and above: close, ping, pong (and reserved control opcodes).
    pub(crate) control: bool,
    /// Header bytes, mask key included.
    pub(crate) len: usize,
    /// Payload bytes announced (saturated on a 32-bit target: no buffer is that big anyway).
    pub(crate) payload: usize,
}

impl Header {
    /// The whole frame, header and payload (saturating).
    pub(crate) fn frame_len(&self) -> usize {
        self.len.saturating_add(self.payload)
    }
}

/// Reads the header at the start of `bytes`; `None` until all of it has arrived.
pub(crate) fn peek(bytes: &[u8]) -> Option<Header> {
    let (&b0, rest) = bytes.split_first()?;
    let (&b1, rest) = rest.split_first()?;
    let control = b0 & 0x08 != 0;
    let masked = b1 & 0x80 != 0;
    let (payload, ext) = match b1 & 0x7f {
        126 => {
            let n: [u8; 2] = rest.get(..2)?.try_into().ok()?;
            (usize::from(u16::from_be_bytes(n)), 2usize)
        }
        127 => {
            let n: [u8; 8] = rest.get(..8)?.try_into().ok()?;
            (
                usize::try_from(u64::from_be_bytes(n)).unwrap_or(usize::MAX),
                8,
            )
        }
        n => (usize::from(n), 0),
    };
    let len = 2usize
        .saturating_add(ext)
        .saturating_add(if masked { 4 } else { 0 });
    if bytes.len() < len {
        return None;
    }
    Some(Header {
        opcode: b0 & 0x0f,
        fin: b0 & 0x80 != 0,
        control,
        len,
        payload,
    })
}
