//! One received message: its transport part, handled as it is handed in
//! ([`handle_transport`]), and [`Received`], the Kick events in it, decoded in place as they
//! are read. Both walk the message with the one envelope walker, [`Cursor`].

use super::transport::{ControlMessage, Protocol};
use super::{Core, Event, Instant, Socket};
use crate::envelope::Transport;
use crate::error::DecodeError;
use crate::kick::EventKind;
use crate::message::cursor::{Cursor, Found, Named, Payload, slice};
#[cfg(not(target_arch = "wasm32"))]
use crate::message::read_in_one_pass;
use crate::message::redact::Secrets;
use crate::message::{JsonEvent, Message, fill_kick};
use crate::message::{Report, Walk, next_json};
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
    /// The first Kick event of the message, as [`handle_transport`] found it: most messages
    /// hold one event, which is then parsed once, not once to be told from transport messages
    /// and again here.
    first: Option<Named>,
    /// Where the envelopes after the first Kick event start.
    cursor: Cursor,
    /// How the cursor walks: the connection's, Pusher-only when it speaks Pusher only.
    walk: Walk,
    /// Where the Kick events end: the end of the message, or of the transport message that
    /// closed the socket (nothing after it counts).
    end: usize,
}

/// What [`handle_transport`] leaves for [`Received`].
pub(super) struct Left {
    first: Option<Named>,
    cursor: Cursor,
    walk: Walk,
    end: usize,
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
            .field("first", &self.first)
            .field("cursor", &self.cursor)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

/// Handles the transport messages of `message` (the handshake, pings, replies, pushes, and
/// bad messages as [`Event::BadMessage`]) and blanks each with spaces once handled, so that
/// only the Kick events are left, in place, for [`Received`]. The first Kick event is kept as
/// found; the others are parsed again when `Received` reaches them (several Kick events in one
/// message are Centrifugo batches, the rare case).
///
/// `CENTRIFUGO` false: the walk of a connection that speaks Pusher only. A Centrifugo message
/// is then blanked unread, as its Pusher state machine would ignore it read, and a Kick
/// publication of Centrifugo's is not delivered (a Pusher server sends none).
#[inline]
pub(super) fn handle_transport<
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
    const CENTRIFUGO: bool,
>(
    m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    proto: &mut impl Protocol,
    now: Instant,
    message: &mut [u8],
) -> Left {
    let mut cursor = Cursor::default();
    let mut first: Option<(Named, Cursor)> = None;
    loop {
        if matches!(m.socket, Socket::Closed | Socket::Opening) {
            break; // a socket we already gave up on: nothing of it counts
        }
        let start = cursor.offset();
        let Some(found) = cursor.walk::<CENTRIFUGO>(message, None) else {
            break;
        };
        let at = start..cursor.offset();
        match found {
            // Pusher's own events, and anything before its handshake, are transport messages;
            // other events are Kick's, left in place.
            Found::Kick(e)
                if !(m.socket == Socket::Handshaking && e.transport == Transport::Pusher) =>
            {
                if first.is_none() {
                    first = Some((e, cursor));
                }
                continue;
            }
            Found::Bad(e) => m.bad_message(e),
            Found::Centrifugo(c) => proto.control(m, now, ControlMessage::Centrifugo(&c)),
            Found::Unread => {}
            Found::Kick(e) | Found::Pusher(e) => {
                // Not through `unescape`: its report is a trait object, here a call that
                // the browser's module made indirectly.
                match e.data.in_place(message, Secrets::Keep) {
                    Ok(payload) => {
                        let control = ControlMessage::Pusher {
                            name: &e.name,
                            channel: e.channel.as_ref().map(|c| c.as_str()),
                            payload: slice(message, payload),
                        };
                        proto.control(m, now, control);
                    }
                    Err(e) => m.bad_message(e),
                }
            }
        }
        // Handled (or unread): blanked, so that only Kick events are left.
        blank(message, at);
    }
    let end = cursor.offset();
    let walk: Walk = |cursor, message| cursor.walk::<CENTRIFUGO>(message, None);
    match first {
        Some((first, after)) => Left {
            first: Some(first),
            cursor: after,
            walk,
            end,
        },
        None => Left {
            first: None,
            cursor,
            walk,
            end,
        },
    }
}

/// [`Payload::in_place`] in `message`, as received (a connection does not redact: its drivers
/// decide), a failure reported as [`Event::BadMessage`].
fn unescape(
    report: &mut dyn Report,
    data: Payload,
    message: &mut [u8],
) -> Option<Option<(usize, usize)>> {
    match data.in_place(message, Secrets::Keep) {
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

impl<'c, 'm> Received<'c, 'm> {
    /// The Kick events [`handle_transport`] left in `message`.
    pub(super) fn new(report: &'c mut dyn Report, message: &'m mut [u8], left: Left) -> Self {
        Self {
            report,
            message,
            first: left.first,
            cursor: left.cursor,
            walk: left.walk,
            end: left.end,
        }
    }

    /// Decodes the next Kick event into `out`; `None` when the message has no more.
    pub fn next_into(&mut self, out: &mut Message) -> Option<()> {
        loop {
            let event = self.next_kick()?;
            let kind = event.kind();
            // A Pusher frame's `data` string is read where it lies, in one pass, as `decode`
            // reads it; only what that reading does not follow is unescaped in place first
            // (the browser's module keeps only the latter).
            #[cfg(not(target_arch = "wasm32"))]
            if kind != EventKind::Unknown
                && let Some(raw) = event.data.escaped(self.message)
                && read_in_one_pass(
                    event.transport,
                    kind,
                    event.channel.clone().unwrap_or_default(),
                    raw,
                    out,
                )
            {
                return Some(());
            }
            let at = if kind == EventKind::Unknown {
                None // passed on by name: its payload is never read
            } else {
                match unescape(self.report, event.data, self.message) {
                    Some(at) => at,
                    None => continue,
                }
            };
            let payload = slice(self.message, at);
            let channel = event.channel.unwrap_or_default();
            match fill_kick(event.transport, kind, &event.name, channel, payload, out) {
                Ok(()) => return Some(()),
                Err(e) => self.report.bad_message(e),
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
    pub fn next_raw(&mut self) -> Option<JsonEvent<'_>> {
        // Only Kick events are left before `end` (`handle_transport` blanked the rest), so
        // the errors are broken payloads: reported, and the walk goes on.
        let message = self.message.get_mut(..self.end)?;
        let report = Some(&mut *self.report);
        next_json(
            &mut self.cursor,
            self.walk,
            message,
            Secrets::Keep,
            &mut self.first,
            report,
        )?
        .ok()
    }

    /// The next Kick event's envelope: the one kept by [`handle_transport`], then the next
    /// ones before `end` (transport messages are blanked: only Kick events are left).
    fn next_kick(&mut self) -> Option<Named> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        loop {
            let message = self.message.get(..self.end)?;
            if let Found::Kick(e) = (self.walk)(&mut self.cursor, message)? {
                return Some(e);
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
