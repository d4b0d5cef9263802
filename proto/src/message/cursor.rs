//! The one walker over a received WebSocket text message: where each envelope starts, what it is
//! (a Kick event, Pusher's own event, Centrifugo's own message, or a malformed one) and where its
//! `data` lies. Typed decoding ([`decode`](super::decode)), JSON events
//! ([`json_events`](super::json_events())) and the public [`envelopes`] iterator walk a message
//! with it, and so do the connection's transport step and its [`Received`](crate::conn::Received).
//!
//! One message may hold several envelopes: Centrifugo puts several JSON messages in one frame,
//! one a line. After a malformed one the walk resumes at the next line, so one bad message never
//! hides the ones after it.
//!
//! A [`Cursor`] is only a position: each call is given the message again. A caller that may
//! rewrite the message can then unescape a payload in place between two calls (the borrow that
//! found the envelope has ended: [`Payload::in_place`]); one that only reads it has a string
//! payload read by its [`DataHook`] in the same walk that finds the string's end (the typed
//! decoder's one-pass path), or unescaped into a scratch buffer ([`Payload::decoded`]). Either
//! way the payload of a Kick event goes through the one [`redact`](super::redact) step, as the
//! caller's [`Secrets`] say.
//!
//! ## Walking a message with a connection
//!
//! [`Cursor::walk`] sorts each envelope into a [`Found`]: a Kick event (for the caller), one of
//! Pusher's own events (`pusher:…`, `pusher_internal:…`: its payload, unescaped in place, goes
//! to the Pusher state machine), a Centrifugo message of the protocol (to the Centrifugo state
//! machine, borrowed), or a malformed one (an error to report). A connection's loop:
//!
//! ```text
//! loop {
//!     match cursor.walk::<true>(message, None)? {
//!         Found::Bad(error) => report(error),
//!         Found::Centrifugo(m) => centrifugo_control(&m),
//!         // During Pusher's handshake every frame is the state machine's.
//!         Found::Kick(e) if !(handshaking && e.transport == Transport::Pusher) => return Some(e),
//!         Found::Kick(e) | Found::Pusher(e) => match e.data.in_place(message, Secrets::Keep) {
//!             Ok(at) => pusher_control(&e.name, e.channel.as_deref(), slice(message, at)),
//!             Err(error) => report(error),
//!         },
//!     }
//! }
//! ```
//!
//! The caller then decodes the Kick event it got: [`JsonEvent::of`](super::JsonEvent) after
//! [`Payload::in_place`], or [`fill_kick`](super::fill_kick) on that payload (`null` for an
//! `Unknown` kind, whose payload is never read).

use super::redact::Secrets;
use crate::envelope::centrifugo::Message as Centrifugo;
use crate::envelope::{self, Data, DataHook, Envelope, Read, Transport};
use crate::error::{DecodeError, Layer};
use crate::json::{EscapedStr, UnescapeError, text, unescape_into};
use crate::kick::EventKind;
use crate::limits::{CHANNEL, EVENT_NAME};
use crate::text::Text;

/// Where the next envelope of one message starts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cursor {
    pos: usize,
}

/// What [`Cursor::next_envelope`] gives for one envelope: the envelope (or, in a Pusher-only
/// walk, the mark of a Centrifugo message), and whether the [`DataHook`] read its string `data`
/// (with the text its reader checked: see [`envelope::Parsed`]).
pub(crate) type Unescaped<'a> = (Read<'a>, Option<&'a str>);

impl Cursor {
    /// Bytes of the message walked so far.
    pub(crate) const fn offset(&self) -> usize {
        self.pos
    }

    /// Whether nothing but whitespace is left of `message`: where
    /// [`next_envelope`](Self::next_envelope) gives `None`.
    pub(crate) fn at_end(&self, message: &[u8]) -> bool {
        message
            .get(self.pos..)
            .is_none_or(|rest| rest.iter().all(u8::is_ascii_whitespace))
    }

    /// The next envelope of `message` (the same message at every call); with `hook`, a string
    /// `data` is offered to it in the same walk that finds its end. `CENTRIFUGO` false: a
    /// Pusher-only walk ([`envelope::parse`]).
    pub(crate) fn next_envelope<'m, const CENTRIFUGO: bool>(
        &mut self,
        message: &'m [u8],
        hook: Option<DataHook<'_>>,
    ) -> Option<Result<Unescaped<'m>, DecodeError>> {
        let rest = message.get(self.pos..)?;
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let text = rest.get(start..)?;
        let base = self.pos.saturating_add(start);
        let result = envelope::parse::<CENTRIFUGO>(text, hook);
        match result {
            Ok((_, used)) => self.pos = base.saturating_add(used),
            // Resume at the next line: Centrifugo puts one message per line, so a bad message
            // costs only its own line. (Resuming where the error was noticed could swallow the
            // next line: `{"a":` + `\n{}` reads the ping as the value of "a".)
            Err(_) => match next_line(text) {
                Some(nl) => self.pos = base.saturating_add(nl).saturating_add(1),
                None => self.pos = message.len(),
            },
        }
        Some(
            result
                .map_err(|(error, offset)| DecodeError::Syntax {
                    layer: Layer::Envelope,
                    error,
                    offset: base.saturating_add(offset),
                })
                .and_then(|((e, read), _)| e.map(|e| (e, read)).ok_or(DecodeError::NotAnEvent)),
        )
    }

    /// [`walk`](Self::walk) of both protocols: the tests' walk.
    #[cfg(test)]
    pub(crate) fn next<'m>(
        &mut self,
        message: &'m [u8],
        hook: Option<DataHook<'_>>,
    ) -> Option<Found<'m>> {
        self.walk::<true>(message, hook)
    }

    /// The next envelope of `message` (the same message at every call), sorted; `None` at the
    /// end. With `hook`, a Pusher frame's string `data` is offered to it on the way (see
    /// [`Payload::read`]; the typed decoder, whose hook writes what it read into its output,
    /// takes [`next_envelope`](Self::next_envelope) unsorted instead). With `CENTRIFUGO`
    /// false, a Pusher-only walk: a Centrifugo
    /// message is [`Found::Unread`], and none of the code that reads Centrifugo's messages is
    /// reached (a Pusher-only build leaves it out).
    pub(crate) fn walk<'m, const CENTRIFUGO: bool>(
        &mut self,
        message: &'m [u8],
        hook: Option<DataHook<'_>>,
    ) -> Option<Found<'m>> {
        let base = message.as_ptr() as usize;
        Some(Found::sort(
            self.next_envelope::<CENTRIFUGO>(message, hook)?,
            base,
        ))
    }
}

/// Where the line after the first newline of `text` starts (the newline's offset).
#[cfg(not(target_arch = "wasm32"))]
fn next_line(text: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', text)
}

/// See the other `next_line`: a byte loop in the browser's module, where `memchr`'s searcher
/// cost 0.1 KB for an error path (natively the loop, inlined, cost the board's JSON walk 0.5 %).
#[cfg(target_arch = "wasm32")]
fn next_line(text: &[u8]) -> Option<usize> {
    text.iter().position(|b| *b == b'\n')
}

/// Iterates over the envelopes in one WebSocket text message, as parsed
/// ([`crate::envelope`] says what each holds).
///
/// ```
/// use kickwire_proto::envelope::{envelopes, Envelope};
/// let msg = br#"{"event":"pusher:pong","data":"{}"}"#;
/// let Some(Ok(Envelope::Pusher { event, .. })) = envelopes(msg).next() else { panic!() };
/// assert!(event.eq_str("pusher:pong"));
/// ```
#[must_use]
pub fn envelopes(message: &[u8]) -> Envelopes<'_> {
    Envelopes {
        message,
        cursor: Cursor::default(),
    }
}

/// Iterator returned by [`envelopes`].
#[derive(Debug, Clone)]
pub struct Envelopes<'a> {
    message: &'a [u8],
    cursor: Cursor,
}

impl<'a> Iterator for Envelopes<'a> {
    type Item = Result<Envelope<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.cursor.next_envelope::<true>(self.message, None)?;
        // A whole walk reads every Centrifugo message: it has no `Read::Centrifugo`.
        Some(item.and_then(|(read, _)| match read {
            Read::Envelope(e) => Ok(e),
            Read::Centrifugo => Err(DecodeError::Centrifugo),
        }))
    }
}

/// One envelope, sorted by what it is to a caller.
#[derive(Debug)]
pub(crate) enum Found<'m> {
    /// A Kick event: a Pusher frame not named `pusher:…`, or a Centrifugo publication of Kick's
    /// shape (`{"event", "data"}`).
    Kick(Named),
    /// One of Pusher's own events ([`is_pusher_control`]).
    Pusher(Named),
    /// Any other Centrifugo message (a ping, a reply, a push other than a Kick publication).
    Centrifugo(Centrifugo<'m>),
    /// A Centrifugo message of any kind, Kick publications included, not read: only a
    /// Pusher-only walk ([`Cursor::walk`] with `CENTRIFUGO` false) finds these.
    Unread,
    /// A malformed envelope; the cursor has gone past it.
    Bad(DecodeError),
}

/// An event envelope with its name and channel copied out and its `data` located: it no longer
/// borrows the message.
#[derive(Debug)]
pub(crate) struct Named {
    /// The transport it came in.
    pub(crate) transport: Transport,
    /// Its name as sent (`App\Events\ChatMessageEvent`, `pusher:ping`).
    pub(crate) name: Text<EVENT_NAME>,
    /// Its channel, when the frame named one (a Centrifugo publication always does).
    pub(crate) channel: Option<Text<CHANNEL>>,
    /// Its `data`.
    pub(crate) data: Payload,
}

impl Named {
    /// Which Kick event it is (`Unknown` for other names).
    pub(crate) fn kind(&self) -> EventKind {
        EventKind::from_name(&self.name)
    }
}

impl<'m> Found<'m> {
    /// Sorts what [`Cursor::next_envelope`] gave for one envelope of the message that starts
    /// at address `base`.
    pub(crate) fn sort(next: Result<Unescaped<'m>, DecodeError>, base: usize) -> Self {
        match next {
            Err(e) => Found::Bad(e),
            Ok((Read::Envelope(envelope), read)) => Found::of(envelope, base, read),
            Ok((Read::Centrifugo, _)) => Found::Unread,
        }
    }

    /// Sorts one envelope of the message that starts at address `base`; `read`: whether the
    /// cursor's hook read its `data`, and the text it checked (see [`envelope::Parsed`]).
    fn of(envelope: Envelope<'m>, base: usize, read: Option<&str>) -> Self {
        match envelope {
            Envelope::Pusher {
                event,
                channel,
                data,
            } => {
                let named = Named {
                    transport: Transport::Pusher,
                    // A payload the hook read is a Kick event whose name the hook decoded
                    // into its output already: not decoded a second time here.
                    name: if read.is_some() {
                        Text::new()
                    } else {
                        text(event)
                    },
                    channel: channel.map(|c| channel_text(c, read)),
                    data: Payload {
                        span: Span::of(data, base),
                        read: read.is_some(),
                    },
                };
                if read.is_none() && is_pusher_control(&named.name) {
                    Found::Pusher(named)
                } else {
                    Found::Kick(named)
                }
            }
            Envelope::Centrifugo(Centrifugo::Publication {
                channel,
                event: Some(event),
                data,
                ..
            }) => Found::Kick(Named {
                transport: Transport::Centrifugo,
                name: text(event),
                channel: Some(text(channel)),
                data: Payload {
                    span: Span::of(data, base),
                    read: false,
                },
            }),
            Envelope::Centrifugo(m) => Found::Centrifugo(m),
        }
    }
}

/// A Pusher frame's channel as text. Kick writes it after `data`, so when the one-pass reader
/// read the `data` it lies in the text that reader checked as UTF-8 (`checked`), and is taken
/// from there without a second check (a tenth of the envelope's cost on a chat frame); a
/// channel with escapes, or outside that text, is decoded.
pub(super) fn channel_text(channel: EscapedStr<'_>, checked: Option<&str>) -> Text<CHANNEL> {
    // The browser's module checks nothing ahead (`checked` is empty there).
    #[cfg(target_arch = "wasm32")]
    let _ = checked;
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(checked) = checked
        && !channel.has_escapes()
    {
        // Where the channel's bytes start in `checked`, by address: a channel written before
        // `data` gives a far offset (wrapped), which `get` refuses like any range not in it.
        let from = (channel.raw().as_ptr() as usize).wrapping_sub(checked.as_ptr() as usize);
        if let Some(s) = from
            .checked_add(channel.raw().len())
            .and_then(|to| checked.get(from..to))
        {
            return Text::from_str_truncating(s);
        }
    }
    text(channel)
}

/// Pusher's own events (`pusher:ping`, `pusher_internal:subscription_succeeded`): the
/// transport's, never Kick's.
pub(crate) fn is_pusher_control(name: &str) -> bool {
    name.starts_with("pusher:") || name.starts_with("pusher_internal:")
}

/// An envelope's `data`: where it lies in the message and whether the cursor's hook read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Payload {
    span: Span,
    read: bool,
}

impl Payload {
    /// Whether the cursor's [`DataHook`] read the payload (a string) on the way.
    pub(crate) const fn read(&self) -> bool {
        self.read
    }

    /// The `data` string as it lies in `message`, escapes in place: what the one-pass reader
    /// reads (its tests read it again the two-pass way); `None` for inline JSON or no data.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn escaped(self, message: &[u8]) -> Option<&[u8]> {
        match self.span {
            Span::String(start, len) => message.get(start..start.checked_add(len)?),
            _ => None,
        }
    }

    /// Unescapes the payload in place in `message` (the one the cursor walks) if it is a string,
    /// then applies `secrets` to it: `Ok(Some((start, len)))` of the JSON text, `Ok(None)` for
    /// no data; see [`slice()`].
    ///
    /// # Errors
    /// A [`DecodeError::Syntax`] of the envelope layer, at the payload's offset, for broken
    /// escapes.
    pub(crate) fn in_place(
        self,
        message: &mut [u8],
        secrets: Secrets,
    ) -> Result<Option<(usize, usize)>, DecodeError> {
        let at = self.span.unescape(message)?;
        Ok(at.map(|(start, len)| {
            let text = message.get_mut(start..start.saturating_add(len));
            (start, text.map_or(len, |text| secrets.apply(text)))
        }))
    }

    /// The payload as JSON text, `secrets` applied: a string unescaped into `scratch`, inline JSON where it is in `message` (copied
    /// into `scratch` first when it may have to be redacted), `null` for no data.
    ///
    /// # Errors
    /// [`DecodeError::PayloadTooLarge`] when `scratch` is too small; a [`DecodeError::Syntax`]
    /// of the envelope layer (offset 0) for broken escapes.
    pub(crate) fn decoded<'b>(
        self,
        message: &'b [u8],
        scratch: &'b mut [u8],
        secrets: Secrets,
    ) -> Result<&'b [u8], DecodeError> {
        let n = match self.span {
            Span::Absent => return Ok(b"null"),
            Span::Json(start, len) => {
                let json = bytes(message, start, len);
                if !secrets.may_change(json) {
                    return Ok(json);
                }
                let copy = scratch
                    .get_mut(..len)
                    .ok_or(DecodeError::PayloadTooLarge { required: len })?;
                crate::bytes::copy(copy, json);
                len
            }
            Span::String(start, len) => unescape_into(bytes(message, start, len), scratch)
                .map_err(|e| match e {
                    UnescapeError::BufferTooSmall { required } => {
                        DecodeError::PayloadTooLarge { required }
                    }
                    UnescapeError::Syntax(error) => DecodeError::Syntax {
                        layer: Layer::Envelope,
                        error,
                        offset: 0,
                    },
                })?,
        };
        let text = scratch.get_mut(..n).unwrap_or(&mut []);
        let n = secrets.apply(text);
        Ok(scratch.get(..n).unwrap_or(&[]))
    }
}

/// `message[start..start + len]`, empty if out of bounds (a span always lies in its message).
fn bytes(message: &[u8], start: usize, len: usize) -> &[u8] {
    message.get(start..start.saturating_add(len)).unwrap_or(&[])
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

/// The bytes at `at` (`None`: the JSON `null`).
pub(crate) fn slice(message: &[u8], at: Option<(usize, usize)>) -> &[u8] {
    match at {
        None => b"null",
        Some((start, len)) => message
            .get(start..start.saturating_add(len))
            .unwrap_or(b"null"),
    }
}

#[cfg(test)]
mod tests;
