//! [`Received`]: the Kick events of one received message, decoded in place.

use super::{Connection, Event, Instant, Socket};
use crate::envelope::{Transport, envelopes};
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::message::cursor::{Located, Span, is_pusher_control, locate, slice};
use crate::message::{JsonEvent as RawEvent, Message, fill_kick};
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

/// What to do with a Kick event that [`Received::step`] reaches. A type per caller rather
/// than an enum: each caller's `step` is then compiled with its own code only, so a driver
/// that reads raw events (the browser build) does not carry the typed decoder.
trait Want {
    fn kick(
        self,
        r: &mut Received<'_, '_>,
        transport: Transport,
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        data: Span,
    ) -> Got;
}

/// Decode it into this.
struct Typed<'o>(&'o mut Message);
/// Unescape its payload and say where it is.
struct Raw;

/// What [`Received::step`] did with one envelope.
#[allow(clippy::large_enum_variant)] // lives on the stack for one step: no allocator
enum Got {
    /// Nothing for the caller (a transport message, a bad one, or draining).
    Nothing,
    /// A Kick event, decoded into the `Message` given.
    Typed,
    /// A Kick event, left as JSON at `payload` (`None`: there was no payload).
    Raw {
        transport: Transport,
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        payload: Option<(usize, usize)>,
    },
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
            if let Got::Typed = self.step(Typed(out))? {
                return Some(());
            }
        }
    }

    /// The next Kick event with its payload as JSON text, unescaped in place but not decoded
    /// into typed structs; `None` when the message has no more. Transport messages are handled
    /// on the way, as with iteration.
    ///
    /// ```
    /// use kickwire_proto::conn::{Config, Connection, Instant};
    /// use kickwire_proto::kick::EventKind;
    /// let url = "ws://127.0.0.1:6001/app/key?protocol=7";
    /// let mut conn = Connection::pusher(url, Config::default()).unwrap();
    /// conn.connect(Instant::from_millis(0));
    /// # let mut buf = [0u8; 256];
    /// # while conn.poll_transmit(&mut buf).ok().flatten().is_some() {}
    /// conn.handle_open(Instant::from_millis(1));
    /// let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
    /// conn.handle_message(Instant::from_millis(2), &mut hello);
    /// let mut frame = br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.1.v2"}"#.to_vec();
    /// let mut received = conn.handle_message(Instant::from_millis(3), &mut frame);
    /// let event = received.next_raw().unwrap();
    /// assert_eq!(event.kind, EventKind::Subscription);
    /// assert_eq!(event.channel.as_str(), "chatrooms.1.v2");
    /// assert_eq!(event.payload, br#"{"username":"micke747","months":38}"#);
    /// ```
    pub fn next_raw(&mut self) -> Option<RawEvent<'_>> {
        loop {
            if let Got::Raw {
                transport,
                name,
                channel,
                payload,
            } = self.step(Raw)?
            {
                let payload = slice(self.message, payload);
                return Some(RawEvent {
                    transport,
                    kind: EventKind::from_name(&name),
                    name,
                    channel,
                    payload,
                });
            }
        }
    }

    /// Handles the next envelope and says what became of it.
    fn step(&mut self, want: impl Want) -> Option<Got> {
        if matches!(self.conn.socket, Socket::Closed | Socket::Opening) {
            return None; // a socket we already gave up on: nothing of it counts
        }
        let base = self.message.as_ptr() as usize;
        let rest = self.message.get(self.pos..)?;
        let mut envs = envelopes(rest);
        let item = envs.next()?;
        self.pos = self.pos.saturating_add(envs.offset());
        match locate(item, base) {
            Located::Bad(e) => {
                self.conn.push_event(Event::BadMessage {
                    error: e,
                    repeats: 0,
                });
                Some(Got::Nothing)
            }
            Located::Centrifugo(m) => {
                self.conn.centrifugo_control(self.now, &m);
                Some(Got::Nothing)
            }
            Located::Pusher {
                name,
                channel,
                data,
            } => {
                let control = is_pusher_control(&name);
                if control || self.conn.socket == Socket::Handshaking {
                    let now = self.now;
                    let Some((conn, payload)) = self.payload(data) else {
                        return Some(Got::Nothing);
                    };
                    let channel = channel.as_ref().map(|c| c.as_str());
                    conn.pusher_control(now, &name, channel, payload);
                    return Some(Got::Nothing);
                }
                Some(want.kick(
                    self,
                    Transport::Pusher,
                    name,
                    channel.unwrap_or_default(),
                    data,
                ))
            }
            Located::Publication {
                name,
                channel,
                data,
            } => Some(want.kick(self, Transport::Centrifugo, name, channel, data)),
        }
    }

    /// The `data` of an envelope, unescaped in place when it is a string, and the connection
    /// (borrowed alongside: the payload borrows the message, not the connection).
    fn payload(&mut self, data: Span) -> Option<(&mut Connection, &[u8])> {
        let at = self.payload_at(data)?;
        Some((&mut *self.conn, slice(self.message, at)))
    }

    /// [`Span::unescape`], a failure reported as [`Event::BadMessage`].
    fn payload_at(&mut self, data: Span) -> Option<Option<(usize, usize)>> {
        match data.unescape(self.message) {
            Ok(at) => Some(at),
            Err(e) => {
                self.conn.push_event(Event::BadMessage {
                    error: e,
                    repeats: 0,
                });
                None
            }
        }
    }
}

impl Want for Raw {
    fn kick(
        self,
        r: &mut Received<'_, '_>,
        transport: Transport,
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        data: Span,
    ) -> Got {
        match r.payload_at(data) {
            Some(payload) => Got::Raw {
                transport,
                name,
                channel,
                payload,
            },
            None => Got::Nothing,
        }
    }
}

impl Want for Typed<'_> {
    fn kick(
        self,
        r: &mut Received<'_, '_>,
        transport: Transport,
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        data: Span,
    ) -> Got {
        let kind = EventKind::from_name(&name);
        let (conn, payload) = if kind == EventKind::Unknown {
            (&mut *r.conn, &b"null"[..])
        } else {
            match r.payload(data) {
                Some(p) => p,
                None => return Got::Nothing,
            }
        };
        match fill_kick(transport, kind, &name, channel, payload, self.0) {
            Ok(()) => Got::Typed,
            Err(e) => {
                conn.push_event(Event::BadMessage {
                    error: e,
                    repeats: 0,
                });
                Got::Nothing
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
        // As `next_raw` does (the unescaping is wasted on events nobody reads, which are few):
        // one instantiation of `step` fewer in a driver that reads raw events.
        while self.step(Raw).is_some() {}
    }
}
