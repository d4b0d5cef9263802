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
        secrets: Secrets::Redact,
    }
}

/// See [`json_events`]. Not an `Iterator`: each event borrows the message until the next call.
#[derive(Debug)]
pub struct JsonEvents<'m> {
    message: &'m mut [u8],
    cursor: Cursor,
    secrets: Secrets,
}

impl JsonEvents<'_> {
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
    pub fn keep_secrets(mut self) -> Self {
        self.secrets = Secrets::Keep;
        self
    }

    /// The next Kick event, or why the next envelope could not be used; `None` at the end.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the item borrows `self`
    pub fn next(&mut self) -> Option<Result<JsonEvent<'_>, DecodeError>> {
        loop {
            let event = match self.cursor.next(self.message, None)? {
                Found::Bad(e) => return Some(Err(e)),
                Found::Kick(event) => event,
                Found::Pusher(_) | Found::Centrifugo(_) => continue,
            };
            return Some(
                event
                    .data
                    .in_place(self.message, self.secrets)
                    .map(|at| JsonEvent::of(event, self.message, at)),
            );
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
