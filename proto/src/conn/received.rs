//! [`Received`]: the Kick events of one received message, decoded in place.

use super::{Connection, Event, Instant, Socket};
use crate::decode::{Message, fill_kick, text};
use crate::envelope::centrifugo::Message as Centrifugo;
use crate::envelope::{Data, Envelope, Transport, envelopes};
use crate::error::{DecodeError, Layer};
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::text::Text;

/// The Kick events in one message given to [`Connection::handle_message`], in order.
///
/// Iterate it (each item is a [`Message::Kick`]) or call [`next_into`](Self::next_into) to
/// reuse one `Message` (an event is several KB: the allocation- and copy-free path for small
/// devices). Transport messages among them (pings, replies, the handshake) are handled as they
/// are reached, and the rest of the message is handled when this is dropped, so nothing is lost
/// by not iterating. Messages that cannot be used become [`Event::BadMessage`].
#[derive(Debug)]
pub struct Received<'c, 'm> {
    conn: &'c mut Connection,
    now: Instant,
    message: &'m mut [u8],
    pos: usize,
}

/// Where an envelope's `data` sits in the message.
#[derive(Debug, Clone, Copy)]
enum Span {
    /// A JSON string (escapes still in place) at `start..start + len`.
    String(usize, usize),
    /// Inline JSON at `start..start + len`.
    Json(usize, usize),
    Absent,
}

/// One envelope, with what is needed from it copied out so that its `data` can be decoded in
/// place afterwards.
enum Step {
    Pusher {
        name: Text<EVENT_NAME>,
        channel: Option<Text<CHANNEL>>,
        data: Span,
    },
    Publication {
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        data: Span,
    },
    /// Handled already, or nothing to do.
    Done,
}

impl<'c, 'm> Received<'c, 'm> {
    pub(crate) fn new(conn: &'c mut Connection, now: Instant, message: &'m mut [u8]) -> Self {
        Self {
            conn,
            now,
            message,
            pos: 0,
        }
    }

    /// Decodes the next Kick event into `out`; `None` when the message has no more.
    pub fn next_into(&mut self, out: &mut Message) -> Option<()> {
        loop {
            if self.step(Some(out))? {
                return Some(());
            }
        }
    }

    /// Handles the next envelope; `Some(true)` when it was a Kick event written to `out`.
    fn step(&mut self, out: Option<&mut Message>) -> Option<bool> {
        if matches!(self.conn.socket, Socket::Closed | Socket::Opening) {
            return None; // a socket we already gave up on: nothing of it counts
        }
        let base = self.message.as_ptr() as usize;
        let rest = self.message.get(self.pos..)?;
        let mut envs = envelopes(rest);
        let item = envs.next()?;
        self.pos = self.pos.saturating_add(envs.offset());
        // Offsets of borrowed parts within the message, to find them again once the borrow ends.
        let span = |d: Data<'_>| match d {
            Data::String(raw) => Span::String(
                (raw.raw().as_ptr() as usize).wrapping_sub(base),
                raw.raw().len(),
            ),
            Data::Json(raw) => Span::Json((raw.as_ptr() as usize).wrapping_sub(base), raw.len()),
            Data::Absent => Span::Absent,
        };
        let step = match item {
            Err(e) => {
                self.conn.push_event(Event::BadMessage(e));
                Step::Done
            }
            Ok(Envelope::Pusher {
                event,
                channel,
                data,
            }) => Step::Pusher {
                name: text(event),
                channel: channel.map(text),
                data: span(data),
            },
            Ok(Envelope::Centrifugo(Centrifugo::Publication {
                channel,
                event: Some(event),
                data,
                ..
            })) => Step::Publication {
                name: text(event),
                channel: text(channel),
                data: span(data),
            },
            Ok(Envelope::Centrifugo(m)) => {
                self.conn.centrifugo_control(self.now, &m);
                Step::Done
            }
        };
        match step {
            Step::Done => Some(false),
            Step::Pusher {
                name,
                channel,
                data,
            } => {
                let control = name.starts_with("pusher:") || name.starts_with("pusher_internal:");
                if control || self.conn.socket == Socket::Handshaking {
                    let now = self.now;
                    let Some((conn, payload)) = self.payload(data) else {
                        return Some(false);
                    };
                    let channel = channel.as_ref().map(|c| c.as_str());
                    conn.pusher_control(now, &name, channel, payload);
                    return Some(false);
                }
                Some(self.kick(
                    Transport::Pusher,
                    &name,
                    channel.unwrap_or_default(),
                    data,
                    out,
                ))
            }
            Step::Publication {
                name,
                channel,
                data,
            } => Some(self.kick(Transport::Centrifugo, &name, channel, data, out)),
        }
    }

    fn kick(
        &mut self,
        transport: Transport,
        name: &str,
        channel: Text<CHANNEL>,
        data: Span,
        out: Option<&mut Message>,
    ) -> bool {
        let Some(out) = out else {
            return false; // draining on drop: nobody wants it
        };
        let kind = EventKind::from_name(name);
        let (conn, payload) = if kind == EventKind::Unknown {
            (&mut *self.conn, &b"null"[..])
        } else {
            match self.payload(data) {
                Some(p) => p,
                None => return false,
            }
        };
        match fill_kick(transport, kind, name, channel, payload, out) {
            Ok(()) => true,
            Err(e) => {
                conn.push_event(Event::BadMessage(e));
                false
            }
        }
    }

    /// The `data` of an envelope, unescaped in place when it is a string, and the connection
    /// (borrowed alongside: the payload borrows the message, not the connection).
    fn payload(&mut self, data: Span) -> Option<(&mut Connection, &[u8])> {
        let conn = &mut *self.conn;
        match data {
            Span::Absent => Some((conn, b"null")),
            Span::Json(start, len) => {
                Some((conn, self.message.get(start..start.saturating_add(len))?))
            }
            Span::String(start, len) => {
                let region = self.message.get_mut(start..start.saturating_add(len))?;
                match crate::json::unescape_in_place(region) {
                    Ok(n) => Some((conn, self.message.get(start..start.saturating_add(n))?)),
                    Err(error) => {
                        conn.push_event(Event::BadMessage(DecodeError::Syntax {
                            layer: Layer::Envelope,
                            error,
                            offset: start,
                        }));
                        None
                    }
                }
            }
        }
    }
}

impl Iterator for Received<'_, '_> {
    type Item = Message;

    fn next(&mut self) -> Option<Message> {
        let mut out = Message::default();
        self.next_into(&mut out).map(|()| out)
    }
}

impl Drop for Received<'_, '_> {
    /// Handles what was not iterated: transport messages must never be skipped.
    fn drop(&mut self) {
        while self.step(None).is_some() {}
    }
}
