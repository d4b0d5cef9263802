//! Kick events without typed decoding: which event, on which channel, and the payload's JSON
//! text, unescaped in place in the received message. For hosts with a JSON parser of their
//! own (a browser's `JSON.parse`), which then need neither the typed structs nor their code.
//!
//! [`raw_events`] does it for a message on its own; a connection gives the same through
//! [`Received::next_raw`](crate::conn::Received::next_raw).

use crate::envelope::centrifugo::Message as Centrifugo;
use crate::envelope::{Data, Envelope, Transport, envelopes};
use crate::error::{DecodeError, Layer};
use crate::json::text;
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::text::Text;

/// One Kick event as its transport carried it.
#[derive(Debug, Clone)]
pub struct RawEvent<'m> {
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

/// Where an envelope's `data` sits in the message, as offsets: found while the envelope
/// borrows the message, used once that borrow has ended to unescape in place.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Span {
    /// A JSON string (escapes still in place) at `start..start + len`.
    String(usize, usize),
    /// Inline JSON at `start..start + len`.
    Json(usize, usize),
    Absent,
}

impl Span {
    /// `data`'s place in the message that starts at address `base`.
    pub(crate) fn of(data: Data<'_>, base: usize) -> Self {
        let offset = |b: &[u8]| (b.as_ptr() as usize).wrapping_sub(base);
        match data {
            Data::String(raw) => Self::String(offset(raw.raw()), raw.raw().len()),
            Data::Json(raw) => Self::Json(offset(raw), raw.len()),
            Data::Absent => Self::Absent,
        }
    }

    /// Unescapes the span in place if it is a string: `Ok(Some((start, len)))` of the JSON
    /// text, `Ok(None)` for no data.
    ///
    /// # Errors
    /// A [`DecodeError::Syntax`] of the envelope layer for broken escapes.
    pub(crate) fn unescape(
        self,
        message: &mut [u8],
    ) -> Result<Option<(usize, usize)>, DecodeError> {
        match self {
            Self::Absent => Ok(None),
            Self::Json(start, len) => Ok(Some((start, len))),
            Self::String(start, len) => {
                let region = message
                    .get_mut(start..start.saturating_add(len))
                    .ok_or(DecodeError::NotAnEvent)?;
                crate::json::unescape_in_place(region)
                    .map(|n| Some((start, n)))
                    .map_err(|error| DecodeError::Syntax {
                        layer: Layer::Envelope,
                        error,
                        offset: start,
                    })
            }
        }
    }
}

/// One envelope, with what is needed from it copied out (or kept as offsets) so that its
/// `data` can be unescaped in place once the envelope no longer borrows the message.
pub(crate) enum Located<'a> {
    /// A Pusher frame: a Kick event or one of Pusher's own (`pusher:…`).
    Pusher {
        name: Text<EVENT_NAME>,
        channel: Option<Text<CHANNEL>>,
        data: Span,
    },
    /// A Centrifugo publication of a Kick event.
    Publication {
        name: Text<EVENT_NAME>,
        channel: Text<CHANNEL>,
        data: Span,
    },
    /// Any other Centrifugo message (replies, pings, pushes), still borrowed.
    Centrifugo(Centrifugo<'a>),
    /// A malformed envelope.
    Bad(DecodeError),
}

/// Sorts one envelope of the message that starts at address `base`.
pub(crate) fn locate(item: Result<Envelope<'_>, DecodeError>, base: usize) -> Located<'_> {
    match item {
        Err(e) => Located::Bad(e),
        Ok(Envelope::Pusher {
            event,
            channel,
            data,
        }) => Located::Pusher {
            name: text(event),
            channel: channel.map(text),
            data: Span::of(data, base),
        },
        Ok(Envelope::Centrifugo(Centrifugo::Publication {
            channel,
            event: Some(event),
            data,
            ..
        })) => Located::Publication {
            name: text(event),
            channel: text(channel),
            data: Span::of(data, base),
        },
        Ok(Envelope::Centrifugo(m)) => Located::Centrifugo(m),
    }
}

/// The bytes at `at` (`None`: the JSON `null`).
pub(crate) fn slice(message: &[u8], at: Option<(usize, usize)>) -> &[u8] {
    match at {
        None => b"null",
        Some((start, len)) => message
            .get(start..start.saturating_add(len))
            .unwrap_or(b"null"),
    }
}

/// The Kick events of one WebSocket message, Pusher or Centrifugo, with no connection:
/// transport messages (the handshake, pings, replies) are skipped. Payloads are unescaped in
/// place, hence `&mut`.
///
/// ```
/// use kickwire_proto::{raw_events, kick::EventKind};
/// let mut msg = br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.1.v2"}"#.to_vec();
/// let mut events = raw_events(&mut msg);
/// let event = events.next().unwrap()?;
/// assert_eq!(event.kind, EventKind::Subscription);
/// assert_eq!(event.payload, br#"{"username":"micke747","months":38}"#);
/// # Ok::<(), kickwire_proto::DecodeError>(())
/// ```
pub fn raw_events(message: &mut [u8]) -> RawEvents<'_> {
    RawEvents { message, pos: 0 }
}

/// See [`raw_events`]. Not an `Iterator`: each event borrows the message until the next call.
#[derive(Debug)]
pub struct RawEvents<'m> {
    message: &'m mut [u8],
    pos: usize,
}

impl RawEvents<'_> {
    /// The next Kick event, or why the next envelope could not be used; `None` at the end.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the item borrows `self`
    pub fn next(&mut self) -> Option<Result<RawEvent<'_>, DecodeError>> {
        loop {
            let base = self.message.as_ptr() as usize;
            let rest = self.message.get(self.pos..)?;
            let mut envs = envelopes(rest);
            let item = envs.next()?;
            self.pos = self.pos.saturating_add(envs.offset());
            let (transport, name, channel, span) = match locate(item, base) {
                Located::Bad(e) => return Some(Err(e)),
                Located::Pusher { name, .. } if is_pusher_control(&name) => continue,
                Located::Pusher {
                    name,
                    channel,
                    data,
                } => (Transport::Pusher, name, channel.unwrap_or_default(), data),
                Located::Publication {
                    name,
                    channel,
                    data,
                } => (Transport::Centrifugo, name, channel, data),
                Located::Centrifugo(_) => continue,
            };
            return Some(span.unescape(self.message).map(|at| RawEvent {
                transport,
                kind: EventKind::from_name(&name),
                name,
                channel,
                payload: slice(self.message, at),
            }));
        }
    }
}

/// Pusher's own events (`pusher:ping`, `pusher_internal:subscription_succeeded`).
pub(crate) fn is_pusher_control(name: &str) -> bool {
    name.starts_with("pusher:") || name.starts_with("pusher_internal:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    /// `(kind, channel, payload)` or the error's text, for each item.
    fn all(msg: &str) -> Vec<Result<(EventKind, String, String), String>> {
        let mut bytes = msg.as_bytes().to_vec();
        let mut events = raw_events(&mut bytes);
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
