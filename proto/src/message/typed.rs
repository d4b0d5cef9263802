//! From one received WebSocket text message to typed events, in one call: the envelope, the
//! second JSON decoding of `data`, and the Kick payload.

use super::cursor::{Cursor, Found, Named, channel_text};
use super::redact::Secrets;
use crate::envelope::centrifugo::Message as Centrifugo;
use crate::envelope::{Envelope, Read, Transport};
use crate::error::DecodeError;
use crate::json::reader::{EscapedStr, Reader, text};
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
/// A Pusher frame's payload is read where it lies in `message`, in the walk that finds its end
/// (one pass, no copy). One that holds a secret the event could keep (a signed URL), or that
/// the one-pass reader leaves (whitespace written as an escape, a quote hidden behind
/// `\u0022`, ...), is unescaped into `scratch` first, as is a Centrifugo publication's that
/// must be redacted: as long as the payload's raw bytes suffices, so [`limits::MAX_PAYLOAD`]
/// bytes always do (any buffer at least as long as the message does). Kick's secrets are taken
/// out of each payload before it is decoded ([`redact`](super::redact)), as on the JSON path, so
/// an event holds nothing the JSON path would have cut (a channel's `playback_url` is never
/// kept, so a payload holding only that is read in place); [`Messages::keep_secrets`] keeps
/// them.
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
        message,
        cursor: Cursor::default(),
        scratch,
        secrets: Secrets::Redact,
    }
}

/// Iterator returned by [`decode`]: one item per envelope; an error item never ends it.
#[derive(Debug)]
pub struct Messages<'a, 's> {
    message: &'a [u8],
    cursor: Cursor,
    scratch: &'s mut [u8],
    secrets: Secrets,
}

impl Messages<'_, '_> {
    /// Decodes payloads as received, Kick's secrets and all (see [`redact`](super::redact):
    /// by default they are taken out first, so that typed events hold what the JSON path
    /// gives).
    ///
    /// ```
    /// use kickwire_proto::{decode, Message, kick::Event};
    /// // A chat message whose text is a presigned URL (signature shortened).
    /// let frame = br#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"1\",\"content\":\"https:\\/\\/a.s3.amazonaws.com\\/p.webp?X-Amz-Signature=4dbf\"}","channel":"chatrooms.1.v2"}"#;
    /// let mut scratch = [0u8; 512];
    /// let content = |m: Message| match m {
    ///     Message::Kick { event: Event::ChatMessage(c), .. } => c.content.to_string(),
    ///     _ => unreachable!(),
    /// };
    /// let redacted = decode(frame, &mut scratch).next().unwrap()?;
    /// assert_eq!(content(redacted), "https://a.s3.amazonaws.com/p.webp");
    /// let kept = decode(frame, &mut scratch).keep_secrets().next().unwrap()?;
    /// assert_eq!(content(kept), "https://a.s3.amazonaws.com/p.webp?X-Amz-Signature=4dbf");
    /// # Ok::<(), kickwire_proto::DecodeError>(())
    /// ```
    #[must_use]
    pub fn keep_secrets(mut self) -> Self {
        self.secrets = Secrets::Keep;
        self
    }

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
        // A Kick event's `data` string is read where it lies, in the walk that finds its end
        // (`read_in_place`); `kick` unescapes it into `scratch` only when that reading does
        // not stand.
        let next = {
            let (out, secrets) = (&mut *out, self.secrets);
            let mut hook = |event: EscapedStr<'_>, r: &mut Reader<'_, true>| {
                read_in_place(event, r, secrets, out)
            };
            self.cursor
                .next_envelope::<true>(self.message, Some(&mut hook))?
        };
        // A Pusher frame the hook read (most of a chat connection's): only its channel is left
        // to write, straight from the envelope, as `kick` would write it; not sorted into a
        // `Found` first, whose name and channel texts were copied three times on the way.
        if let Ok((Read::Envelope(Envelope::Pusher { channel, .. }), Some(checked))) = next
            && let Message::Kick {
                transport: t,
                channel: c,
                ..
            } = out
        {
            *t = Transport::Pusher;
            *c = channel.map_or_else(Text::new, |channel| channel_text(channel, Some(checked)));
            return Some(Ok(()));
        }
        Some(match Found::sort(next, self.message.as_ptr() as usize) {
            Found::Bad(e) => Err(e),
            Found::Kick(event) => kick(event, self.message, self.scratch, self.secrets, out),
            Found::Pusher(event) => control(Transport::Pusher, event.name, out),
            Found::Centrifugo(m) => {
                let name = Text::from_str_truncating(centrifugo_name(&m));
                control(Transport::Centrifugo, name, out)
            }
            // Only a Pusher-only walk finds these; this one reads Centrifugo's messages.
            Found::Unread => Err(DecodeError::Centrifugo),
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
        // The last call of a walk answers `None` without building a message: built, it would
        // be copied out whole (6.5 KB) whatever the answer.
        if self.cursor.at_end(self.message) {
            return None;
        }
        let mut out = Message::default();
        // A `match` rather than `?` and `map`, which copied the message out twice.
        match self.next_into(&mut out) {
            Some(Ok(())) => Some(Ok(out)),
            Some(Err(e)) => Some(Err(e)),
            None => None,
        }
    }
}

fn control(
    transport: Transport,
    name: Text<EVENT_NAME>,
    out: &mut Message,
) -> Result<(), DecodeError> {
    *out = Message::Control { transport, name };
    Ok(())
}

/// What [`Message::Control`] calls a Centrifugo message.
fn centrifugo_name(m: &Centrifugo<'_>) -> &'static str {
    match m {
        Centrifugo::Publication { .. } => "publication",
        Centrifugo::Ping => "ping",
        Centrifugo::Unsubscribe { .. } => "unsubscribe",
        Centrifugo::Disconnect { .. } => "disconnect",
        Centrifugo::OtherPush { .. } => "push",
        Centrifugo::Reply { .. } => "reply",
    }
}

/// The cursor's [`DataHook`](crate::envelope::DataHook) (with the secrets check of
/// [`Messages::next_into`]): reads a Pusher frame's `data` string into `out` where it lies, in
/// one pass ([`Reader::escaped`]), when the frame's name is a Kick event's. The channel is
/// filled in by [`kick`] once the walk has found it.
fn read_in_place(
    event: EscapedStr<'_>,
    r: &mut Reader<'_, true>,
    secrets: Secrets,
    out: &mut Message,
) -> bool {
    // Pusher's own events (`pusher:ping`, `pusher_internal:…`), most of a quiet connection's
    // frames, are turned away before their name is decoded and looked up.
    if event.raw().starts_with(b"pusher") {
        return false;
    }
    let kind = kind_of(event);
    // The secrets look before reading, not after: a payload with a secret to take out of what
    // the event keeps is unescaped and redacted first, so reading it in place would be work
    // thrown away. The string's end is not known yet, so the look covers the rest of the
    // message (it looks through any depth of escapes: see `redact`).
    kind != EventKind::Unknown
        && !secrets.may_change_typed_escaped(r.rest())
        // A known kind's event does not keep its name (only `Unknown` does).
        && read_kick(Transport::Pusher, kind, "", Text::new(), r, out).is_ok()
}

/// The kind of the event named by the JSON string `event`. Kick's names arrive as
/// `App\\Events\\ChatMessageEvent`, whose only escapes are the prefix's: the rest is looked up
/// as it lies, rather than the whole name decoded first (the decoding cost a small frame a
/// tenth of its instructions). `EventKind::from_name` takes a name with or without the prefix.
pub(super) fn kind_of(event: EscapedStr<'_>) -> EventKind {
    // Not in the browser's module, which decodes a handful of events a second.
    #[cfg(not(target_arch = "wasm32"))]
    if !event.is_double()
        && let Some(base) = event.raw().strip_prefix(br"App\\Events\\")
        // The word scanner, not `contains`: core's `memchr` costs about a hundred
        // instructions on a name this short.
        && crate::json::scan::find1(base, b'\\').is_none()
    {
        return EventKind::from_name_bytes(base);
    }
    EventKind::from_name(&text::<EVENT_NAME>(event))
}

/// Reads a known Kick event's `data` string `raw` (escapes in place, the bytes between its
/// quotes) into `out` in one pass ([`Reader::escaped`]): whether the reading stands, the whole
/// string read and nothing in it refused. When it does not, `out` is to be filled the two-pass
/// way, which gives the result, or the error, the payload deserves. Nothing is redacted: for
/// callers that keep secrets (a connection leaves that to its driver).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read_in_one_pass(
    transport: Transport,
    kind: EventKind,
    channel: Text<CHANNEL>,
    raw: &[u8],
    out: &mut Message,
) -> bool {
    let mut r = Reader::escaped(raw);
    // A known kind's event does not keep its name (only `Unknown` does).
    read_kick(transport, kind, "", channel, &mut r, out).is_ok() && r.offset() == raw.len()
}

/// Decodes a Kick event's payload into `out`: it stands as the cursor's hook read it in one
/// pass ([`read_in_place`]) unless it holds a secret to take out; otherwise (or when the hook
/// left it: anything the one-pass reader does not follow) it is unescaped into `scratch`,
/// redacted, and read: the two-pass path, whose result or error stands.
fn kick(
    event: Named,
    message: &[u8],
    scratch: &mut [u8],
    secrets: Secrets,
    out: &mut Message,
) -> Result<(), DecodeError> {
    let channel = event.channel.unwrap_or_default();
    let transport = event.transport;
    // The hook read it only if it could hold no secret (see `next_into`), and only a known
    // event, whose name and kind it wrote (`Named::name` is left empty then).
    if event.data.read()
        && let Message::Kick {
            transport: t,
            channel: c,
            ..
        } = out
    {
        (*t, *c) = (transport, channel);
        return Ok(());
    }
    let (kind, name) = (EventKind::from_name(&event.name), &event.name);
    if kind == EventKind::Unknown {
        // Unknown events are passed through by name: no need to decode what nobody reads.
        return fill_kick(transport, kind, name, channel, b"null", out);
    }
    let payload = event.data.decoded(message, scratch, secrets)?;
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
    read_kick(
        transport,
        kind,
        name,
        channel,
        &mut Reader::new(payload),
        out,
    )
}

/// [`fill_kick`] with the payload read by `r`.
pub(crate) fn read_kick<const E: bool>(
    transport: Transport,
    kind: EventKind,
    name: &str,
    channel: Text<CHANNEL>,
    r: &mut Reader<'_, E>,
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
    event.read_into(kind, name, r)
}
