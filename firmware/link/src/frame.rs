//! The WebSocket frame format (RFC 6455 section 5) as a client sees it: the headers of the
//! server's frames, read and checked before their payload arrives, and the client's own
//! frames, masked, written whole.
//!
//! ```text
//!  byte 0: FIN, RSV1-3, opcode          byte 1: MASK, length 0-125 | 126 | 127
//!  then a 16-bit (126) or 64-bit (127) big-endian length, the 4-byte mask key when MASK is
//!  set, and the payload.
//! ```

use rand_core::RngCore;

use kickwire_proto::write::Writer;

/// The longest control frame payload (RFC 6455 section 5.5).
pub(crate) const CONTROL_MAX: usize = 125;

/// Status 1002: the peer broke the protocol (RFC 6455 section 7.4.1).
pub(crate) const PROTOCOL_ERROR: u16 = 1002;

/// Status 1009: a message too big to process (RFC 6455 section 7.4.1).
pub(crate) const MESSAGE_TOO_BIG: u16 = 1009;

/// What a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opcode {
    /// The next fragment of a message.
    Continuation,
    /// The first frame of a UTF-8 text message.
    Text,
    /// The first frame of a binary message.
    Binary,
    /// The closing handshake; the payload is empty or a status code and a reason.
    Close,
    /// Asks for a pong with the same payload.
    Ping,
    /// The answer to a ping (or a heartbeat nobody answers).
    Pong,
}

impl Opcode {
    /// The opcode of a frame's first byte; `None` for the reserved ones (3-7, 11-15).
    const fn from_bits(bits: u8) -> Option<Self> {
        Some(match bits {
            0x0 => Self::Continuation,
            0x1 => Self::Text,
            0x2 => Self::Binary,
            0x8 => Self::Close,
            0x9 => Self::Ping,
            0xA => Self::Pong,
            _ => return None,
        })
    }

    const fn bits(self) -> u8 {
        match self {
            Self::Continuation => 0x0,
            Self::Text => 0x1,
            Self::Binary => 0x2,
            Self::Close => 0x8,
            Self::Ping => 0x9,
            Self::Pong => 0xA,
        }
    }

    /// Close, ping and pong: at most 125 bytes, never fragmented, allowed between the
    /// fragments of a message.
    pub(crate) const fn is_control(self) -> bool {
        matches!(self, Self::Close | Self::Ping | Self::Pong)
    }
}

/// A server frame's header, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// The last frame of its message.
    pub(crate) fin: bool,
    pub(crate) opcode: Opcode,
    /// Bytes of the header itself (2, 4 or 10).
    pub(crate) len: usize,
    /// Bytes of payload that follow it (at most [`CONTROL_MAX`] for a control frame).
    pub(crate) payload: u64,
}

/// A frame the server must not send; the link answers it with a close frame of status
/// [`PROTOCOL_ERROR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Violation {
    /// RSV1-3 set: they mean an extension, and none was agreed on.
    Reserved,
    /// A reserved opcode.
    Opcode,
    /// The mask bit: a server's frames are never masked (RFC 6455 section 5.1).
    Masked,
    /// A control frame over 125 bytes or without FIN.
    Control,
    /// A 64-bit length with its top bit set.
    Length,
    /// A close frame with a 1-byte payload, or a status code no endpoint may send.
    Close,
}

impl Violation {
    /// The reason given to the connection.
    pub(crate) const fn reason(self) -> &'static str {
        match self {
            Self::Reserved => "WebSocket protocol error: reserved bits set",
            Self::Opcode => "WebSocket protocol error: reserved opcode",
            Self::Masked => "WebSocket protocol error: masked server frame",
            Self::Control => "WebSocket protocol error: bad control frame",
            Self::Length => "WebSocket protocol error: frame length over 2^63",
            Self::Close => "WebSocket protocol error: bad close frame",
        }
    }
}

/// Reads the header at the start of `bytes`: `Ok(None)` until all of it has arrived. Each
/// rule is checked as soon as the bytes it needs are in, so a bad frame is refused at its
/// second byte whatever its length says.
pub(crate) fn parse(bytes: &[u8]) -> Result<Option<Header>, Violation> {
    let (Some(&b0), Some(&b1)) = (bytes.first(), bytes.get(1)) else {
        return Ok(None);
    };
    if b0 & 0x70 != 0 {
        return Err(Violation::Reserved);
    }
    let opcode = Opcode::from_bits(b0 & 0x0f).ok_or(Violation::Opcode)?;
    if b1 & 0x80 != 0 {
        return Err(Violation::Masked);
    }
    let fin = b0 & 0x80 != 0;
    let short = b1 & 0x7f;
    if opcode.is_control() && (!fin || usize::from(short) > CONTROL_MAX) {
        return Err(Violation::Control);
    }
    let (len, payload) = match short {
        126 => match bytes.get(2..4).and_then(|b| <[u8; 2]>::try_from(b).ok()) {
            Some(n) => (4, u64::from(u16::from_be_bytes(n))),
            None => return Ok(None),
        },
        127 => match bytes.get(2..10).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            Some(n) => (10, u64::from_be_bytes(n)),
            None => return Ok(None),
        },
        n => (2, u64::from(n)),
    };
    // RFC 6455 section 5.2: "the most significant bit MUST be 0". A longer than minimal
    // length encoding is the sender's mistake but harmless, so it is accepted.
    if payload >> 63 != 0 {
        return Err(Violation::Length);
    }
    Ok(Some(Header {
        fin,
        opcode,
        len,
        payload,
    }))
}

/// A fresh masking key (RFC 6455 section 5.3: unpredictable, one per frame).
pub(crate) fn mask_key(rng: &mut impl RngCore) -> [u8; 4] {
    let mut key = [0; 4];
    rng.fill_bytes(&mut key);
    key
}

/// Writes a whole (FIN) client frame to the start of `out`: the header, `mask`, and
/// `payload` masked with it. Its length, or `None` when it does not fit.
pub(crate) fn write(
    out: &mut [u8],
    opcode: Opcode,
    payload: &[u8],
    mask: [u8; 4],
) -> Option<usize> {
    let n = payload.len();
    let (len16, len64);
    let (short, extended): (u8, &[u8]) = match (u8::try_from(n), u16::try_from(n)) {
        (Ok(short), _) if usize::from(short) <= CONTROL_MAX => (short, &[]),
        (_, Ok(n)) => {
            len16 = n.to_be_bytes();
            (126, &len16)
        }
        _ => {
            len64 = u64::try_from(n).ok()?.to_be_bytes();
            (127, &len64)
        }
    };
    let mut w = Writer::new(out);
    w.bytes(&[0x80 | opcode.bits(), 0x80 | short]);
    w.bytes(extended);
    w.bytes(&mask);
    // The payload is masked in place, where it goes.
    let masked = w.take(n)?;
    for ((to, from), m) in masked.iter_mut().zip(payload).zip(mask.iter().cycle()) {
        *to = from ^ m;
    }
    (!w.overflowed()).then_some(w.len())
}

/// The payload of a close frame: its status code, if any, and its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Close<'a> {
    pub(crate) code: Option<u16>,
    /// Empty when there is none, or when it is not UTF-8 (a reason is only for people).
    pub(crate) reason: &'a str,
}

impl<'a> Close<'a> {
    /// Reads a close frame's payload (RFC 6455 section 5.5.1).
    pub(crate) fn parse(payload: &'a [u8]) -> Result<Self, Violation> {
        let Some((code, reason)) = payload.split_first_chunk::<2>() else {
            return match payload.is_empty() {
                true => Ok(Self {
                    code: None,
                    reason: "",
                }),
                false => Err(Violation::Close),
            };
        };
        let code = u16::from_be_bytes(*code);
        if !sendable(code) {
            return Err(Violation::Close);
        }
        Ok(Self {
            code: Some(code),
            reason: core::str::from_utf8(reason).unwrap_or(""),
        })
    }
}

/// Whether an endpoint may put `code` in a close frame (RFC 6455 section 7.4): the codes the
/// RFC defines but 1004-1006 and 1015 (reserved, or for reports only, never on the wire),
/// those registered with IANA since (1012-1014), and the ranges for libraries and
/// applications (3000-4999: Pusher's 4000-4299 among them).
const fn sendable(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

#[cfg(test)]
mod tests;
