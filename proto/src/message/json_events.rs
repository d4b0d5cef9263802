//! Kick events left as JSON: which event, on which channel, and the payload's JSON text,
//! unescaped in place in the received message. For hosts with a JSON parser of their
//! own (a browser's `JSON.parse`), which then need neither the typed structs nor their code.
//!
//! [`json_events`] does it for a message on its own; a connection gives the same through
//! [`Received::next_raw`](crate::conn::Received::next_raw).

use super::cursor::{Cursor, Found, Named, slice};
use super::redact::Secrets;
use crate::envelope::Transport;
use crate::error::DecodeError;
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::text::Text;

/// One Kick event with its payload left as JSON text (not decoded into a typed struct).
#[derive(Debug, Clone)]
pub struct JsonEvent<'m> {
    /// The transport it came in.
    pub transport: Transport,
    /// Which event (`Unknown` for names kickwire does not know; they are still delivered).
    pub kind: EventKind,
    /// The name as sent (`App\Events\ChatMessageEvent`).
    pub name: Text<EVENT_NAME>,
    /// The channel it came on (empty when the frame named none).
    pub channel: Text<CHANNEL>,
    /// The payload as JSON text: Kick's `data` string unescaped in place, or the inline JSON;
    /// `null` when there was none. Not validated beyond the envelope.
    pub payload: &'m [u8],
}

impl<'m> JsonEvent<'m> {
    /// The Kick event the cursor found, its payload unescaped at `at` in `message`
    /// ([`Payload::in_place`](super::cursor::Payload::in_place)).
    pub(crate) fn of(event: Named, message: &'m [u8], at: Option<(usize, usize)>) -> Self {
        Self {
            transport: event.transport,
            kind: event.kind(),
            name: event.name,
            channel: event.channel.unwrap_or_default(),
            payload: slice(message, at),
        }
    }
}

/// The Kick events of one WebSocket message, Pusher or Centrifugo, with no connection:
/// transport messages (the handshake, pings, replies) are skipped. Payloads are unescaped in
/// place, hence `&mut`, and Kick's secrets taken out of them there
/// ([`redact`](super::redact)); [`JsonEvents::keep_secrets`] keeps them.
///
/// ```
/// use kickwire_proto::{json_events, kick::EventKind};
/// let mut msg = br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.1.v2"}"#.to_vec();
/// let mut events = json_events(&mut msg);
/// let event = events.next().unwrap()?;
/// assert_eq!(event.kind, EventKind::Subscription);
/// assert_eq!(event.payload, br#"{"username":"micke747","months":38}"#);
/// # Ok::<(), kickwire_proto::DecodeError>(())
/// ```
pub fn json_events(message: &mut [u8]) -> JsonEvents<'_> {
    JsonEvents {
        message,
        cursor: Cursor::default(),
    }
}

/// [`json_events`] for a message of Pusher frames: a Centrifugo message in it (any object with
/// no `event` member that Centrifugo's reader would take: `{}`, a push, a reply) is not read
/// but answered as [`DecodeError::Centrifugo`], and the walk goes on with the next line. For
/// hosts that only ever receive Pusher frames and are built for size (the browser's module
/// every page loads): a build that calls only this has none of the code that reads
/// Centrifugo's messages. Pusher frames give the same as with [`json_events`].
///
/// ```
/// use kickwire_proto::{pusher_json_events, kick::EventKind, DecodeError};
/// let mut msg = [
///     r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.1.v2"}"#,
///     r#"{"push":{"channel":"c","pub":{"data":{"event":"KicksGifted","data":{}}}}}"#,
/// ]
/// .join("\n")
/// .into_bytes();
/// let mut events = pusher_json_events(&mut msg);
/// let event = events.next().unwrap()?;
/// assert_eq!(event.kind, EventKind::Subscription);
/// assert_eq!(event.payload, br#"{"username":"micke747","months":38}"#);
/// assert_eq!(events.next().unwrap().unwrap_err(), DecodeError::Centrifugo);
/// assert!(events.next().is_none());
/// # Ok::<(), kickwire_proto::DecodeError>(())
/// ```
pub fn pusher_json_events(message: &mut [u8]) -> JsonEvents<'_, false> {
    JsonEvents {
        message,
        cursor: Cursor::default(),
    }
}

/// See [`json_events`]; with `CENTRIFUGO` false, [`pusher_json_events`]; with `REDACT` false,
/// [`JsonEvents::keep_secrets`]. Not an `Iterator`: each event borrows the message until the
/// next call.
///
/// The policy on secrets is a parameter of the type rather than a value in it: a build that
/// only keeps them (the browser's module every page loads, whose JavaScript redacts parsed
/// payloads) then has none of the redaction's code. As a value, it could not be told constant:
/// the walk's cursor, beside it, is handed to the walk by reference.
#[derive(Debug)]
pub struct JsonEvents<'m, const CENTRIFUGO: bool = true, const REDACT: bool = true> {
    message: &'m mut [u8],
    cursor: Cursor,
}

impl<'m, const CENTRIFUGO: bool, const REDACT: bool> JsonEvents<'m, CENTRIFUGO, REDACT> {
    /// Hands payloads on as received, Kick's secrets and all (by default they are taken out:
    /// see [`redact`](super::redact)).
    ///
    /// ```
    /// use kickwire_proto::json_events;
    /// let frame = br#"{"event":"App\\Events\\X","data":"{\"playback_url\":\"https:\\/\\/x.live-video.net\\/a.m3u8\"}","channel":"c"}"#;
    /// let mut msg = frame.to_vec();
    /// let mut events = json_events(&mut msg);
    /// assert_eq!(events.next().unwrap()?.payload, br#"{"playback_url":"[redacted]"}"#);
    /// let mut msg = frame.to_vec();
    /// let mut events = json_events(&mut msg).keep_secrets();
    /// assert_eq!(
    ///     events.next().unwrap()?.payload,
    ///     br#"{"playback_url":"https:\/\/x.live-video.net\/a.m3u8"}"#
    /// );
    /// # Ok::<(), kickwire_proto::DecodeError>(())
    /// ```
    #[must_use]
    pub fn keep_secrets(self) -> JsonEvents<'m, CENTRIFUGO, false> {
        JsonEvents {
            message: self.message,
            cursor: self.cursor,
        }
    }

    /// The next Kick event, or why the next envelope could not be used; `None` at the end.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the item borrows `self`
    pub fn next(&mut self) -> Option<Result<JsonEvent<'_>, DecodeError>> {
        let walk: Walk = |cursor, message| cursor.walk::<CENTRIFUGO>(message, None);
        next_json(
            &mut self.cursor,
            walk,
            self.message,
            if REDACT {
                Secrets::Redact
            } else {
                Secrets::Keep
            },
            &mut None,
            None,
        )
    }
}

/// [`Cursor::walk`] with or without Centrifugo, as a function rather than a type parameter: a
/// connection's [`Received`](crate::conn::Received) stays one type, and one that speaks Pusher
/// only (`TOKEN` 0) refers to the Pusher-only walk alone (its build then has no Centrifugo
/// reader). [`JsonEvents`] walks with it too, so that both take the one [`next_json`]: the
/// browser's module every page loads has both, and kept two copies of the walk (0.1 KB).
pub(crate) type Walk = for<'m> fn(&mut Cursor, &'m [u8]) -> Option<Found<'m>>;

/// Where [`next_json`] reports what it does not answer: a connection's Kick events that cannot
/// be used (the connection, whatever its capacities: a trait object keeps one `next_json`).
pub(crate) trait Report {
    /// Takes `error` (a connection queues `Event::BadMessage` for it).
    fn bad_message(&mut self, error: DecodeError);
}

/// The next Kick event of `message` after `cursor` (`first` instead when it holds one: an
/// event found already), its payload unescaped in place and `secrets` applied. Pusher's and
/// Centrifugo's own messages are skipped; a malformed envelope or a broken payload is an
/// error, and a Centrifugo message that a Pusher-only `walk` left unread is
/// [`DecodeError::Centrifugo`]: answered, or given to `report` when there is one and the walk
/// goes on. `None` at the end.
pub(crate) fn next_json<'m>(
    cursor: &mut Cursor,
    walk: Walk,
    message: &'m mut [u8],
    secrets: Secrets,
    first: &mut Option<Named>,
    mut report: Option<&mut (dyn Report + '_)>,
) -> Option<Result<JsonEvent<'m>, DecodeError>> {
    loop {
        let found = match first.take() {
            Some(event) => Found::Kick(event),
            None => walk(cursor, message)?,
        };
        let error = match found {
            Found::Kick(event) => match event.data.in_place(message, secrets) {
                Ok(at) => return Some(Ok(JsonEvent::of(event, message, at))),
                Err(e) => e,
            },
            Found::Pusher(_) | Found::Centrifugo(_) => continue,
            Found::Bad(e) => e,
            Found::Unread => DecodeError::Centrifugo,
        };
        match report.as_deref_mut() {
            Some(report) => report.bad_message(error),
            None => return Some(Err(error)),
        }
    }
}

/// The old name of [`JsonEvent`].
#[deprecated(note = "renamed `JsonEvent`: a Kick event with its payload as JSON text")]
pub type RawEvent<'m> = JsonEvent<'m>;

/// The old name of [`JsonEvents`].
#[deprecated(note = "renamed `JsonEvents`")]
pub type RawEvents<'m> = JsonEvents<'m>;

/// The old name of [`json_events`].
#[deprecated(note = "renamed `json_events`")]
pub fn raw_events(message: &mut [u8]) -> JsonEvents<'_> {
    json_events(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    /// `(kind, channel, payload)` or the error's text, for each item.
    fn all(msg: &str) -> Vec<Result<(EventKind, String, String), String>> {
        let mut bytes = msg.as_bytes().to_vec();
        let mut events = json_events(&mut bytes);
        let mut out = Vec::new();
        while let Some(item) = events.next() {
            out.push(
                item.map(|e| {
                    (
                        e.kind,
                        e.channel.to_string(),
                        String::from_utf8(e.payload.to_vec()).unwrap(),
                    )
                })
                .map_err(|e| e.to_string()),
            );
        }
        out
    }

    #[test]
    fn transport_messages_are_skipped_and_kick_events_kept_in_order() {
        let msg = [
            r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\"}"}"#,
            r#"{"push":{"channel":"c1","pub":{"data":{"event":"KicksGifted","data":{"a":1}}}}}"#,
            "{}",
            r#"{"id":3,"subscribe":{}}"#,
            r#"{"event":"App\\Events\\StreamHostEvent","data":"{\"host_username\":\"x\\\"y\"}","channel":"c2"}"#,
        ]
        .join("\n");
        assert_eq!(
            all(&msg),
            [
                Ok((EventKind::KicksGifted, "c1".into(), r#"{"a":1}"#.into())),
                Ok((
                    EventKind::StreamHost,
                    "c2".into(),
                    r#"{"host_username":"x\"y"}"#.into()
                )),
            ]
        );
    }

    /// `(kind, channel, payload)` or the error, for each item of a Pusher-only walk.
    fn pusher_only(msg: &str) -> Vec<Result<(EventKind, String, String), DecodeError>> {
        let mut bytes = msg.as_bytes().to_vec();
        let mut events = pusher_json_events(&mut bytes);
        let mut out = Vec::new();
        while let Some(item) = events.next() {
            out.push(item.map(|e| {
                (
                    e.kind,
                    e.channel.to_string(),
                    String::from_utf8(e.payload.to_vec()).unwrap(),
                )
            }));
        }
        out
    }

    const SUBSCRIPTIONS: &str = include_str!("../../../tests/vectors/kick/SubscriptionEvent.jsonl");
    const CENTRIFUGO: &str =
        include_str!("../../../tests/vectors/kick/reconstructed/centrifugo_json_protocol.jsonl");

    #[test]
    fn pusher_only_reads_kicks_pusher_frames() {
        // The three real frames of SubscriptionEvent.jsonl in one message; their payloads as
        // SubscriptionEvent.expected.jsonl lists them.
        let sub = |room: u64, name: &str, months: u32| {
            Ok((
                EventKind::Subscription,
                std::format!("chatrooms.{room}.v2"),
                std::format!(r#"{{"chatroom_id":{room},"username":"{name}","months":{months}}}"#),
            ))
        };
        assert_eq!(
            pusher_only(SUBSCRIPTIONS.trim_end()),
            [
                sub(2507974, "feepsyy", 2),
                sub(31047538, "The_D0ctor", 1),
                sub(4598, "micke747", 38),
            ]
        );
        // Pusher's own events are skipped, as by `json_events`.
        let hello = r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\"}"}"#;
        assert_eq!(pusher_only(hello), []);
    }

    #[test]
    fn pusher_only_answers_each_centrifugo_message_with_an_error_and_goes_on() {
        // Every line of the Centrifugo exchange (commands, replies, a Kick publication, the
        // ping, an unsubscribe and a disconnect push): one `Centrifugo` error each.
        for line in CENTRIFUGO.lines() {
            assert_eq!(pusher_only(line), [Err(DecodeError::Centrifugo)], "{line}");
        }
        // Between two Pusher frames, the ping costs only itself.
        let mut lines = SUBSCRIPTIONS.lines();
        let msg = [lines.next().unwrap(), "{}", lines.next().unwrap()].join("\n");
        let got = pusher_only(&msg);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], Err(DecodeError::Centrifugo));
        assert_eq!(got[0].as_ref().unwrap().1, "chatrooms.2507974.v2");
        assert_eq!(got[2].as_ref().unwrap().1, "chatrooms.31047538.v2");
        // An object of neither protocol stays what `json_events` says it is.
        assert_eq!(
            pusher_only(r#"{"pad":"a"}"#),
            [Err(DecodeError::NotAnEvent)]
        );
        assert_eq!(
            all(r#"{"pad":"a"}"#),
            [Err(DecodeError::NotAnEvent.to_string())]
        );
    }

    #[test]
    fn a_bad_envelope_is_an_error_and_the_next_line_still_comes() {
        let msg =
            "{\"event\":\"A\",\"data\":\"\\q\"}\nnot json\n{\"event\":\"B\",\"channel\":\"c\"}";
        let got = all(msg);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[0].as_ref().unwrap_err().starts_with("envelope: "),
            "{got:?}"
        );
        assert!(got[1].is_err());
        assert_eq!(got[2], Ok((EventKind::Unknown, "c".into(), "null".into())));
    }
}
