//! Writing what a connection sends into the driver's buffer.
//!
//! Frames are queued as *intent* ([`Pending`]) and written only when the driver asks, into its
//! buffer: no frame is held twice, and a buffer that is too small costs nothing but a retry.

/// One thing the connection wants done, in order. Each transport writes the frames its own way
/// ([`Protocol::encode`](super::transport::Protocol::encode)).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pending {
    /// Open a socket to the connection's URL.
    Open,
    /// Close the socket.
    Close(u16),
    /// Subscribe the channel in this slot; the command id (Centrifugo's replies name it).
    Subscribe(usize, u32),
    /// Unsubscribe the channel named first among the connection's waiting unsubscribes (it is
    /// gone from the list already; its name waits apart so that every frame queued stays a
    /// few bytes).
    Unsubscribe,
    /// A ping; the command id (Pusher's pings carry none: theirs is 0, so repeats merge).
    Ping(u32),
    /// The answer to the server's ping.
    Pong,
    /// Centrifugo `connect` with the current token, command id.
    Connect(u32),
    /// Centrifugo `refresh` with the current token, command id.
    Refresh(u32),
}

/// Why [`poll_transmit`](super::Connection::poll_transmit) could not write a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum EncodeError {
    /// The buffer is too small for the next frame, which stays queued: call again with at
    /// least `required` bytes.
    BufferTooSmall {
        /// Bytes the frame needs.
        required: usize,
    },
}

impl crate::describe::Describe for EncodeError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::BufferTooSmall { required } => {
                out(Text("transmit buffer too small: "));
                out(Number(*required as u64));
                out(Text(" bytes needed"));
            }
        }
    }
}

crate::describe::display_by_describe!(EncodeError);

impl core::error::Error for EncodeError {}

/// Writes into a byte buffer and counts what did not fit, so that the error can say how much
/// would have.
pub(crate) struct Writer<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> Writer<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        let end = self.len.saturating_add(b.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(b);
        }
        self.len = end;
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// `s` as the contents of a JSON string: `"`, `\` and control characters escaped.
    pub(crate) fn json_str(&mut self, s: &str) {
        let mut run = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => b"",
                _ => continue,
            };
            self.bytes(s.as_bytes().get(run..i).unwrap_or(&[]));
            if esc.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                let lo = HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0');
                self.bytes(&[b'\\', b'u', b'0', b'0', hi, lo]);
            } else {
                self.bytes(esc);
            }
            run = i.saturating_add(1);
        }
        self.bytes(s.as_bytes().get(run..).unwrap_or(&[]));
    }

    pub(crate) fn u64(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i = i.saturating_sub(1);
            if let Some(d) = digits.get_mut(i) {
                *d = b'0'.saturating_add((v % 10) as u8);
            }
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(digits.get(i..).unwrap_or(&[]));
    }

    /// The written text, or how many bytes it needed.
    pub(crate) fn finish(self) -> Result<&'b str, EncodeError> {
        let len = self.len;
        match self.buf.get(..len) {
            // Only `str`s and ASCII went in, so this is UTF-8.
            Some(b) => {
                core::str::from_utf8(b).map_err(|_| EncodeError::BufferTooSmall { required: len })
            }
            None => Err(EncodeError::BufferTooSmall { required: len }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json_strings_and_numbers() {
        let mut buf = [0u8; 64];
        let mut w = Writer::new(&mut buf);
        w.str("{\"a\":\"");
        w.json_str("q\"b\\s\n\u{1}é");
        w.str("\",\"n\":");
        w.u64(0);
        w.str(",\"m\":");
        w.u64(18_446_744_073_709_551_615);
        w.str("}");
        let s = w.finish().unwrap();
        assert_eq!(
            s,
            r#"{"a":"q\"b\\s\n\u0001é","n":0,"m":18446744073709551615}"#
        );
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        assert_eq!(v["a"], "q\"b\\s\n\u{1}é");
    }

    #[test]
    fn says_how_much_room_it_needed() {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        w.str("0123456789");
        assert_eq!(
            w.finish(),
            Err(EncodeError::BufferTooSmall { required: 10 })
        );
    }
}
