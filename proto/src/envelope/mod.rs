//! Transport envelopes: what a Pusher frame or a Centrifugo message carries, borrowed from the
//! received text, before any Kick payload is decoded.
//!
//! One WebSocket message may hold several envelopes: Centrifugo puts several JSON messages in one
//! frame separated by `\n`. [`envelopes`] yields each in turn (the message's
//! [cursor](crate::message) walks it); after a malformed one it resumes at the next line, so one
//! bad message never hides the ones after it.

pub mod centrifugo;

pub use crate::message::cursor::{Envelopes, envelopes};

use crate::error::SyntaxError;
use crate::json::EscapedStr;
use crate::json::reader::{Kind, Reader};

/// Which protocol an envelope came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Transport {
    /// Pusher Channels protocol v7.
    Pusher,
    /// Centrifugo JSON protocol.
    Centrifugo,
}

impl Transport {
    /// The transport's name in lower case, as Kick's realtime negotiation writes it:
    /// `pusher`, `centrifugo`.
    ///
    /// ```
    /// assert_eq!(kickwire_proto::Transport::Centrifugo.as_str(), "centrifugo");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pusher => "pusher",
            Self::Centrifugo => "centrifugo",
        }
    }
}

/// An event's `data` as it appears in the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data<'a> {
    /// A JSON string holding JSON (Kick's usual double encoding): decode it, then parse it.
    String(EscapedStr<'a>),
    /// JSON written inline (an object in `pusher:error`, a Centrifugo publication's object).
    Json(&'a [u8]),
    /// No `data` member, or `null`.
    Absent,
}

/// One message of either transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope<'a> {
    /// A Pusher frame: `{"event", "data", "channel"}` in any order.
    Pusher {
        /// The event name, still escaped (Kick's contain escaped backslashes: `App\\Events\\…`).
        event: EscapedStr<'a>,
        /// The channel, absent on connection-level events.
        channel: Option<EscapedStr<'a>>,
        /// The payload.
        data: Data<'a>,
    },
    /// A Centrifugo message.
    Centrifugo(centrifugo::Message<'a>),
}

/// The members of a top-level message that matter to either protocol.
#[derive(Default)]
struct Members<'a> {
    count: usize,
    event: Option<EscapedStr<'a>>,
    channel: Option<EscapedStr<'a>>,
    data: Option<Data<'a>>,
    id: Option<u64>,
    push: Option<&'a [u8]>,
    error: Option<&'a [u8]>,
    reply: Option<(&'a [u8], &'a [u8])>,
    /// A Pusher-only parse met a member of Centrifugo's ([`is_centrifugo_member`]).
    centrifugo: bool,
}

fn data_value<'a>(r: &mut Reader<'a>) -> Result<Data<'a>, SyntaxError> {
    Ok(match r.peek_kind()? {
        Kind::String => Data::String(r.string()?),
        Kind::Null => {
            r.literal()?;
            Data::Absent
        }
        _ => Data::Json(r.raw_value()?),
    })
}

fn opt_string<'a>(r: &mut Reader<'a>) -> Result<Option<EscapedStr<'a>>, SyntaxError> {
    if r.peek_kind()? == Kind::String {
        r.string().map(Some)
    } else {
        r.skip_value().map(|()| None)
    }
}

fn opt_u64(r: &mut Reader<'_>) -> Result<Option<u64>, SyntaxError> {
    let mut v: Option<u64> = None;
    crate::json::field::Field::read(&mut v, r)?;
    Ok(v)
}

/// One parsed message: `None` when it is valid JSON of neither protocol; with it, whether a
/// [`DataHook`] read its string `data`: if so, the text its reader checked as UTF-8 (see
/// [`Reader::read_escaped_string`]), which holds any member written after `data`.
pub(crate) type Parsed<'a> = (Option<Read<'a>>, Option<&'a str>);

/// A message of either protocol, or (read Pusher-only) a Centrifugo message left unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read<'a> {
    /// A message read whole.
    Envelope(Envelope<'a>),
    /// A Centrifugo message (`{}`, or an object with no `event` and a `push` or an `id`: see
    /// [`is_centrifugo_member`]) that a Pusher-only parse ([`parse`] with `CENTRIFUGO` false)
    /// did not read further.
    Centrifugo,
}

/// Reads a Pusher frame's string `data` where it lies, given the frame's event name (when it
/// came before `data`, as Kick writes its frames) and a one-pass reader of the JSON the string
/// holds ([`Reader::escaped`]): whether it read it all, up to the string's closing quote. The
/// typed decoder's, so that the payload is read in the same walk that finds where it ends.
pub(crate) type DataHook<'h> = &'h mut dyn FnMut(EscapedStr<'_>, &mut Reader<'_, true>) -> bool;

/// Parses the one JSON text that `text` starts with: the message and the bytes it took, or the
/// error and its offset. With `hook`, a string `data` member is offered to it first. With
/// `CENTRIFUGO` false, a Centrifugo message is only told apart, as [`Read::Centrifugo`]: its
/// members are not read, and the code that would read them is left out of a build that has
/// no other use for it (the browser's Pusher-only module).
pub(crate) fn parse<'a, const CENTRIFUGO: bool>(
    text: &'a [u8],
    hook: Option<DataHook<'_>>,
) -> Result<(Parsed<'a>, usize), (SyntaxError, usize)> {
    let mut r = Reader::new(text);
    let parsed = parse_one::<CENTRIFUGO>(&mut r, hook)?;
    Ok((parsed, r.offset()))
}

/// The members of a Centrifugo reply that name its kind.
const REPLY_KEYS: [&[u8]; 10] = [
    b"connect",
    b"subscribe",
    b"refresh",
    b"unsubscribe",
    b"publish",
    b"presence",
    b"history",
    b"rpc",
    b"send",
    b"sub_refresh",
];

/// The members that tell a Centrifugo server's messages in a Pusher-only parse: `push`, and
/// the `id` every reply carries (of the command it answers). With the ping, `{}`, those are
/// the three kinds a Centrifugo server sends; an object with no `event` and none of them is of
/// neither protocol, as in a whole parse (which also takes a reply with no `id`).
fn is_centrifugo_member(key: &[u8]) -> bool {
    key == b"id".as_slice() || key == b"push".as_slice()
}

/// Parses one top-level message. With `hook`, a string `data` member is offered to it first;
/// `CENTRIFUGO`: as [`parse`].
fn parse_one<'a, const CENTRIFUGO: bool>(
    r: &mut Reader<'a>,
    hook: Option<DataHook<'_>>,
) -> Result<Parsed<'a>, (SyntaxError, usize)> {
    let at = |r: &Reader<'_>, e| (e, r.offset());
    if r.peek_kind().map_err(|e| at(r, e))? != Kind::Object {
        r.skip_value().map_err(|e| at(r, e))?;
        return Ok((None, None));
    }
    // A Pusher-only parse is never given a hook: its walks (`pusher_json_events`, a
    // connection that speaks Pusher only) pass none, and the typed decoder that reads payloads
    // on the way walks both protocols. Said here, its build (the browser's module every page
    // loads) has no hook call and none of the one-pass reading behind it.
    let mut hook = if CENTRIFUGO { hook } else { None };
    let mut m = Members::default();
    let mut read = None;
    r.object(|r, key| {
        m.count = m.count.saturating_add(1);
        // `==` on each key rather than a `match` on byte patterns: see `object_fields!`.
        if key == b"event".as_slice() {
            m.event = opt_string(r)?;
            // A second name after `data` was read under the first: that reading does not stand.
            read = None;
        } else if key == b"channel".as_slice() {
            m.channel = opt_string(r)?;
        } else if key == b"data".as_slice() {
            let taken = match (hook.as_deref_mut(), m.event) {
                (Some(hook), Some(event)) => r.read_escaped_string(|inner| hook(event, inner))?,
                _ => None,
            };
            m.data = Some(match taken {
                Some((raw, checked)) => {
                    read = Some(checked);
                    Data::String(raw)
                }
                None => {
                    read = None;
                    data_value(r)?
                }
            });
        } else if !CENTRIFUGO {
            // Pusher-only: a member of Centrifugo's tells a Centrifugo message; no value is read.
            m.centrifugo |= is_centrifugo_member(key);
            r.skip_value()?;
        } else if key == b"id".as_slice() {
            m.id = opt_u64(r)?;
        } else if key == b"push".as_slice() {
            m.push = Some(r.raw_value()?);
        } else if key == b"error".as_slice() {
            m.error = Some(r.raw_value()?);
        } else if REPLY_KEYS.contains(&key) {
            m.reply = Some((key, r.raw_value()?));
        } else {
            r.skip_value()?;
        }
        Ok(())
    })
    .map_err(|e| at(r, e))?;
    if let Some(event) = m.event {
        let data = m.data.unwrap_or(Data::Absent);
        let envelope = Envelope::Pusher {
            event,
            channel: m.channel,
            data,
        };
        return Ok((Some(Read::Envelope(envelope)), read));
    }
    // Centrifugo's `data` lives inside `push`, never at the top: nothing was read.
    if !CENTRIFUGO {
        return Ok((
            (m.count == 0 || m.centrifugo).then_some(Read::Centrifugo),
            None,
        ));
    }
    centrifugo::from_members(m.count, m.id, m.push, m.error, m.reply)
        .map(|o| (o.map(|m| Read::Envelope(Envelope::Centrifugo(m))), None))
}
