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

/// The frames are written with the crate's one writer; what does not fit is an
/// [`EncodeError`] saying how much room the frame needs.
pub(crate) use crate::write::Writer;

impl<'b> Writer<'b> {
    /// The written text, or how many bytes it needed.
    pub(crate) fn finish(self) -> Result<&'b str, EncodeError> {
        self.into_str()
            .map_err(|required| EncodeError::BufferTooSmall { required })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
