//! One received message: its transport part, handled as it is handed in
//! ([`handle_transport`]), and [`Received`], the Kick events in it, decoded in place as they
//! are read.

use super::transport::{ControlMessage, Protocol};
use super::{Core, Event, Instant, Socket};
use crate::envelope::{Transport, envelopes};
use crate::error::DecodeError;
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::message::cursor::{Located, Span, is_pusher_control, locate, slice};
use crate::message::{JsonEvent as RawEvent, Message, fill_kick};
use crate::text::Text;
use core::ops::Range;

/// The Kick events in one message given to [`Connection::handle_message`], in order.
///
/// Iterate it (each item is a [`Message::Kick`]) or call [`next_into`](Self::next_into) to
/// reuse one `Message` (an event is several KB: the allocation- and copy-free path for small
/// devices). The transport messages of the message (pings, replies, the handshake) were handled
/// when it was handed in, so nothing but Kick events is lost by not iterating, and nothing
/// waits for this to be dropped. Events that cannot be used become [`Event::BadMessage`] as
/// they are reached.
///
/// [`Connection::handle_message`]: super::Connection::handle_message
#[must_use = "the Kick events of the message come out of it (its transport messages are handled already)"]
pub struct Received<'c, 'm> {
    /// Where the Kick events that cannot be used are reported: the connection.
    report: &'c mut dyn Report,
    message: &'m mut [u8],
    /// The next envelope starts here (after whitespace).
    pos: usize,
    /// Where the Kick events end: the end of the message, or of the transport message that
    /// closed the socket (nothing after it counts).
    end: usize,
}

/// Where [`Received`] reports a Kick event that cannot be used (the connection, whatever its
/// capacities: a trait object keeps `Received` one type).
pub(super) trait Report {
    /// Queues [`Event::BadMessage`] for `error`.
    fn bad_message(&mut self, error: DecodeError);
}

impl<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize> Report
    for Core<CHANNELS, EVENTS, TRANSMITS>
{
    fn bad_message(&mut self, error: DecodeError) {
        self.push_event(Event::BadMessage { error, repeats: 0 });
    }
}

impl core::fmt::Debug for Received<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Received")
            .field("pos", &self.pos)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

/// Handles the transport messages of `message` (the handshake, pings, replies, pushes, and
/// bad messages as [`Event::BadMessage`]) and blanks each with spaces once handled, so that
/// only the Kick events are left, in place, for [`Received`]. Answers where those end: the end
/// of the message, or of the transport message that closed the socket. A Kick event's envelope
/// is parsed here to be told from the rest, and again when `Received` reads it.
#[inline]
pub(super) fn handle_transport<
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
>(
    m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    proto: &mut impl Protocol,
    now: Instant,
    message: &mut [u8],
) -> usize {
    let mut pos = 0;
    loop {
        if matches!(m.socket, Socket::Closed | Socket::Opening) {
            return pos; // a socket we already gave up on: nothing of it counts
        }
        let Some((located, at)) = next_envelope(message, &mut pos, usize::MAX) else {
            return pos;
        };
        match located {
            // Pusher's own events, and anything before its handshake, are transport messages;
            // other events are Kick's, left in place.
            Located::Pusher { ref name, .. }
                if !(is_pusher_control(name) || m.socket == Socket::Handshaking) => {}
            Located::Publication { .. } => {}
            Located::Bad(e) => {
                m.bad_message(e);
                blank(message, at);
            }
            Located::Centrifugo(c) => {
                proto.control(m, now, ControlMessage::Centrifugo(&c));
                blank(message, at);
            }
            Located::Pusher {
                name,
                channel,
                data,
            } => {
                if let Some(payload) = unescape(m, data, message) {
                    let control = ControlMessage::Pusher {
                        name: &name,
                        channel: channel.as_ref().map(|c| c.as_str()),
                        payload: slice(message, payload),
                    };
                    proto.control(m, now, control);
                }
                blank(message, at);
            }
        }
    }
}

/// The one walk over a message's envelopes: the envelope at `*pos` (before `end`), sorted, and
/// where it lies; `*pos` moves past it.
fn next_envelope<'a>(
    message: &'a [u8],
    pos: &mut usize,
    end: usize,
) -> Option<(Located<'a>, Range<usize>)> {
    let base = message.as_ptr() as usize;
    let mut envs = envelopes(message.get(*pos..end.min(message.len()))?);
    let item = envs.next()?;
    let at = *pos..pos.saturating_add(envs.offset());
    *pos = at.end;
    Some((locate(item, base), at))
}

/// [`Span::unescape`] in `message`, a failure reported as [`Event::BadMessage`].
fn unescape(
    report: &mut dyn Report,
    data: Span,
    message: &mut [u8],
) -> Option<Option<(usize, usize)>> {
    match data.unescape(message) {
        Ok(at) => Some(at),
        Err(e) => {
            report.bad_message(e);
            None
        }
    }
}

/// Spaces over a handled envelope (whitespace between envelopes is skipped).
fn blank(message: &mut [u8], at: Range<usize>) {
    if let Some(bytes) = message.get_mut(at) {
        bytes.fill(b' ');
    }
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
    /// Nothing for the caller (a bad payload, reported).
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
    /// The Kick events left in `message[..end]` by [`handle_transport`].
    pub(super) const fn new(report: &'c mut dyn Report, message: &'m mut [u8], end: usize) -> Self {
        Self {
            report,
            message,
            pos: 0,
            end,
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
    /// into typed structs; `None` when the message has no more.
    ///
    /// ```
    /// use kickwire_proto::Transport;
    /// use kickwire_proto::conn::{Config, Connection, Instant};
    /// use kickwire_proto::kick::EventKind;
    /// let url = "ws://127.0.0.1:6001/app/key?protocol=7";
    /// let mut conn = Connection::new(Transport::Pusher, url, Config::default()).unwrap();
    /// conn.connect(Instant::from_millis(0));
    /// # let mut buf = [0u8; 256];
    /// # while conn.poll_transmit(&mut buf).ok().flatten().is_some() {}
    /// conn.handle_open(Instant::from_millis(1));
    /// let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
    /// conn.handle_message(Instant::from_millis(2), &mut hello).for_each(drop);
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

    /// Reads the next Kick event and says what became of it.
    fn step(&mut self, want: impl Want) -> Option<Got> {
        loop {
            let (located, _) = next_envelope(self.message, &mut self.pos, self.end)?;
            return Some(match located {
                Located::Pusher {
                    name,
                    channel,
                    data,
                } => want.kick(
                    self,
                    Transport::Pusher,
                    name,
                    channel.unwrap_or_default(),
                    data,
                ),
                Located::Publication {
                    name,
                    channel,
                    data,
                } => want.kick(self, Transport::Centrifugo, name, channel, data),
                // Handled and blanked by `handle_transport`: not met here.
                Located::Bad(_) | Located::Centrifugo(_) => continue,
            });
        }
    }

    /// [`Span::unescape`], a failure reported as [`Event::BadMessage`].
    fn payload_at(&mut self, data: Span) -> Option<Option<(usize, usize)>> {
        unescape(self.report, data, self.message)
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
        let payload = if kind == EventKind::Unknown {
            None
        } else {
            match r.payload_at(data) {
                Some(at) => Some(at),
                None => return Got::Nothing,
            }
        };
        let payload = payload.map_or(&b"null"[..], |at| slice(r.message, at));
        match fill_kick(transport, kind, &name, channel, payload, self.0) {
            Ok(()) => Got::Typed,
            Err(e) => {
                r.report.bad_message(e);
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
