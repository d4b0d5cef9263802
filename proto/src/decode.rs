//! From one received WebSocket text message to typed events, in one call: the envelope, the
//! second JSON decoding of `data`, and the Kick payload.

use crate::envelope::centrifugo::Message as Centrifugo;
use crate::envelope::{Data, Envelope, Envelopes, Transport, envelopes};
use crate::error::DecodeError;
use crate::json::{self, EscapedStr, text};
use crate::kick::{Event, EventKind};
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::text::Text;

/// What one envelope turned out to be.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(clippy::large_enum_variant)] // owned, fixed-size events on purpose: no allocator
pub enum Message {
    /// A Kick event.
    Kick {
        /// The transport it came in.
        transport: Transport,
        /// The channel it came on (`chatrooms.123.v2`, `channel_456`, ...).
        channel: Text<CHANNEL>,
        /// The event.
        event: Event,
    },
    /// A transport-level message (`pusher:connection_established`, a Centrifugo ping or reply):
    /// the connection state machines handle these; a decoder alone only names them.
    Control {
        /// The transport.
        transport: Transport,
        /// Its name: the Pusher event name, or `ping`, `reply`, `unsubscribe`, `disconnect`,
        /// `push` for Centrifugo.
        name: Text<EVENT_NAME>,
    },
}

/// Decodes every envelope in one WebSocket text message, Pusher or Centrifugo.
///
/// `scratch` receives the unescaped payload of each event in turn; [`limits::MAX_PAYLOAD`]
/// bytes always suffice (any buffer at least as long as the message does).
///
/// [`limits::MAX_PAYLOAD`]: crate::limits::MAX_PAYLOAD
///
/// ```
/// use kickwire_proto::{decode, Message, kick::Event};
/// let frame = br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":4598,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.4598.v2"}"#;
/// let mut scratch = [0u8; 1024];
/// for message in decode(frame, &mut scratch) {
///     if let Message::Kick { channel, event: Event::Subscription(sub), .. } = message? {
///         assert_eq!(channel.as_str(), "chatrooms.4598.v2");
///         assert_eq!(sub.months, Some(38));
///     }
/// }
/// # Ok::<(), kickwire_proto::DecodeError>(())
/// ```
pub fn decode<'a, 's>(message: &'a [u8], scratch: &'s mut [u8]) -> Messages<'a, 's> {
    Messages {
        envelopes: envelopes(message),
        scratch,
    }
}

/// Iterator returned by [`decode`]: one item per envelope; an error item never ends it.
#[derive(Debug)]
pub struct Messages<'a, 's> {
    envelopes: Envelopes<'a>,
    scratch: &'s mut [u8],
}

impl Messages<'_, '_> {
    /// Decodes the next envelope into `out`, reusing its storage; `None` when the message is
    /// exhausted. The allocation-free *and* copy-free path: an event is several KB, and moving
    /// it out of an iterator costs more than decoding a chat line. After an error `out` holds
    /// some valid but unspecified message.
    ///
    /// ```
    /// use kickwire_proto::{decode, Message};
    /// let mut out = Message::default();
    /// let mut scratch = [0u8; 512];
    /// let mut messages = decode(br#"{"event":"pusher:pong","data":"{}"}"#, &mut scratch);
    /// while let Some(result) = messages.next_into(&mut out) {
    ///     result?;
    ///     assert!(matches!(out, Message::Control { .. }));
    /// }
    /// # Ok::<(), kickwire_proto::DecodeError>(())
    /// ```
    pub fn next_into(&mut self, out: &mut Message) -> Option<Result<(), DecodeError>> {
        let (envelope, unescaped) = match self.envelopes.next_with(Some(self.scratch))? {
            Ok(e) => e,
            Err(e) => return Some(Err(e)),
        };
        Some(match envelope {
            Envelope::Pusher {
                event,
                channel,
                data,
            } => {
                let name: Text<EVENT_NAME> = text(event);
                if name.starts_with("pusher:") || name.starts_with("pusher_internal:") {
                    *out = Message::Control {
                        transport: Transport::Pusher,
                        name,
                    };
                    Ok(())
                } else {
                    let payload = Payload { data, unescaped };
                    kick(
                        Transport::Pusher,
                        &name,
                        channel,
                        payload,
                        self.scratch,
                        out,
                    )
                }
            }
            Envelope::Centrifugo(m) => centrifugo(m, self.scratch, out),
        })
    }
}

impl Default for Message {
    /// A placeholder to decode into with [`Messages::next_into`].
    fn default() -> Self {
        Self::Control {
            transport: Transport::Pusher,
            name: Text::new(),
        }
    }
}

impl Iterator for Messages<'_, '_> {
    type Item = Result<Message, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut out = Message::default();
        Some(self.next_into(&mut out)?.map(|()| out))
    }
}

fn control(transport: Transport, name: &str, out: &mut Message) -> Result<(), DecodeError> {
    *out = Message::Control {
        transport,
        name: Text::from_str_truncating(name),
    };
    Ok(())
}

fn centrifugo(m: Centrifugo<'_>, scratch: &mut [u8], out: &mut Message) -> Result<(), DecodeError> {
    let t = Transport::Centrifugo;
    match m {
        Centrifugo::Publication {
            channel,
            event: Some(event),
            data,
            ..
        } => {
            let name: Text<EVENT_NAME> = text(event);
            let payload = Payload {
                data,
                unescaped: None,
            };
            kick(t, &name, Some(channel), payload, scratch, out)
        }
        Centrifugo::Publication { event: None, .. } => control(t, "publication", out),
        Centrifugo::Ping => control(t, "ping", out),
        Centrifugo::Unsubscribe { .. } => control(t, "unsubscribe", out),
        Centrifugo::Disconnect { .. } => control(t, "disconnect", out),
        Centrifugo::OtherPush { .. } => control(t, "push", out),
        Centrifugo::Reply { .. } => control(t, "reply", out),
    }
}

/// An event's `data`, and whether the envelope parser already decoded it into the scratch buffer.
struct Payload<'a> {
    data: Data<'a>,
    unescaped: Option<Result<usize, json::UnescapeError>>,
}

fn kick(
    transport: Transport,
    name: &str,
    channel: Option<EscapedStr<'_>>,
    data: Payload<'_>,
    scratch: &mut [u8],
    out: &mut Message,
) -> Result<(), DecodeError> {
    let kind = EventKind::from_name(name);
    let payload: &[u8] = match data.data {
        // Unknown events are passed through by name: no need to decode what nobody reads.
        _ if kind == EventKind::Unknown => b"null",
        Data::String(raw) => {
            let decoded = match data.unescaped {
                Some(done) => done,
                None => json::unescape_into(raw.raw(), scratch),
            };
            let n = decoded.map_err(|e| match e {
                json::UnescapeError::BufferTooSmall { required } => {
                    DecodeError::PayloadTooLarge { required }
                }
                json::UnescapeError::Syntax(error) => DecodeError::Syntax {
                    layer: crate::error::Layer::Envelope,
                    error,
                    offset: 0,
                },
            })?;
            scratch.get(..n).unwrap_or(&[])
        }
        Data::Json(raw) => raw,
        Data::Absent => b"null",
    };
    let channel = channel.map(text).unwrap_or_default();
    fill_kick(transport, kind, name, channel, payload, out)
}

/// Decodes a Kick payload (already unescaped) into `out`, reusing its storage. Callers pass
/// `null` for an unknown event: its payload is never unescaped nor read.
pub(crate) fn fill_kick(
    transport: Transport,
    kind: EventKind,
    name: &str,
    channel: Text<CHANNEL>,
    payload: &[u8],
    out: &mut Message,
) -> Result<(), DecodeError> {
    if !matches!(out, Message::Kick { .. }) {
        *out = Message::Kick {
            transport,
            channel: Text::new(),
            event: Event::Unknown(crate::kick::Unknown::default()),
        };
    }
    let Message::Kick {
        transport: t,
        channel: c,
        event,
    } = out
    else {
        return Ok(());
    };
    *t = transport;
    *c = channel;
    event.decode_into(kind, name, payload)
}
