//! Kick's HTTP helpers, sans-IO: a builder writes a [`Request`] (method, URL, headers, body) into
//! a buffer you give it; you send it with whatever HTTP client you have, then hand the reply's
//! status, one header fact and body bytes to the matching parser. Nothing here does I/O, keeps a
//! clock, retries, allocates or panics.
//!
//! Three exchanges, in the order a client needs them (`DESIGN.md` section 2):
//!
//! 1. **Channel info** by slug, `GET https://kick.com/api/v2/channels/{slug}`: the chatroom id,
//!    channel id and (while live) livestream id ([`ChannelLookup`], [`channel_info_request`],
//!    [`parse_channel_info`]). kick.com sits behind Cloudflare, which often refuses non-browser
//!    clients ([`ReplyError::Cloudflare`]): let your users give the two ids directly as well
//!    ([`crate::kick::channels::Ids`]).
//! 2. **Transport negotiation**, `POST https://web.kick.com/api/v1/realtime/channels/{channel_id}/chat/connection`:
//!    which server carries this chat, Centrifugo or Pusher ([`chat_connection_request`],
//!    [`parse_connection`], [`Endpoint`]).
//! 3. **Guest token** for Centrifugo, `POST https://web.kick.com/api/v1/realtime/auth/connection`
//!    ([`token_request`], [`parse_token`], [`GuestToken`]). Use the same [`ClientId`] as in 2.
//!
//! Then open the WebSocket ([`Endpoint::websocket_url`]) with `Origin: https://kick.com`
//! ([`KICK_ORIGIN`]) and subscribe to [`crate::kick::channels::Ids::channels`].
//!
//! ```
//! use kickwire_proto::http::{self, ClientId, Endpoint};
//! use kickwire_proto::Transport;
//!
//! let mut buf = [0u8; http::REQUEST_BUFFER];
//! let client = ClientId::from_random([7; 16]); // from your RNG
//! let req = http::chat_connection_request(668, &client, &[Transport::Centrifugo], &mut buf)?;
//! assert_eq!(req.url, "https://web.kick.com/api/v1/realtime/channels/668/chat/connection");
//! // ... send `req`, get the reply ...
//! let reply = br#"{"data":{"connections":[{"credentials":{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}"#;
//! let endpoint = http::parse_connection(200, false, reply)?;
//! let mut url = [0u8; 256];
//! assert_eq!(
//!     endpoint.websocket_url(&mut url)?,
//!     "wss://realtime.us-west-2.platform.kick.com/connection/websocket"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Headers.** Builders give the headers a plain HTTP client should send: `accept` and, for
//! bodies, `content-type`; an honest `user-agent` ([`USER_AGENT`], no browser disguise); and for
//! the `web.kick.com` realtime endpoints `origin: https://kick.com` and `referer:
//! https://kick.com/`, which Kick checks. A browser does not let a page set `origin` or `referer`
//! (and may ignore `user-agent`): drop them there; in a browser these calls only work from a page
//! on kick.com (kicksdk 0.2.0 `src/realtime/mod.rs`), elsewhere relay them through a server.
//!
//! **Where the shapes come from.** No Kick documentation covers these endpoints; each parser's
//! docs name the public client code its request and reply shapes were taken from, and accept
//! every variant those sources disagree on.

mod channel;
mod realtime;

pub use channel::{ChannelInfo, ChannelLookup, Lookup, channel_info_request, parse_channel_info};
pub use realtime::{
    AUTH_CONNECTION_URL, Endpoint, GuestToken, chat_connection_request, connection_request,
    parse_connection, parse_token, token_request,
};

use crate::error::SyntaxError;
use crate::json::field::Field;
use crate::json::reader::Reader;
use crate::limits::ID;
use crate::text::Text;

/// A buffer this big always holds any request built here (URL and body together); the largest,
/// a negotiation with both providers and a 48-byte client id, takes under 300 bytes.
pub const REQUEST_BUFFER: usize = 512;

/// The `user-agent` the builders send: this crate's name and version, no browser disguise.
pub const USER_AGENT: &str = concat!("kickwire/", env!("CARGO_PKG_VERSION"));

/// Kick's Pusher app key (what its web client has used for years).
pub const KICK_PUSHER_KEY: &str = "32cbd69e4b950bf97679";
/// The Pusher cluster of Kick's app.
pub const KICK_PUSHER_CLUSTER: &str = "us2";

/// The `origin` Kick's realtime endpoints and its Centrifugo server accept (they refuse others).
/// Send it on the WebSocket handshake too.
pub const KICK_ORIGIN: &str = "https://kick.com";

/// Headers of a `GET` that wants JSON.
const GET_JSON: &[(&str, &str)] = &[("accept", "application/json"), ("user-agent", USER_AGENT)];

/// Headers of a JSON `POST` to `web.kick.com/api/v1/realtime/…`: Kick checks the origin
/// (kicksdk 0.2.0 `src/realtime/mod.rs`, `kick_origin`; Xtra-Kick `KICK_API_REFERENCE.md` §3 adds
/// the referer).
const POST_KICK_JSON: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("content-type", "application/json"),
    ("origin", KICK_ORIGIN),
    ("referer", "https://kick.com/"),
    ("user-agent", USER_AGENT),
];

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Method {
    /// `GET`, no body.
    Get,
    /// `POST`, with a JSON body.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A request to send, borrowed from the buffer it was built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// The full URL (ASCII; path segments already safe, nothing to escape).
    pub url: &'a str,
    /// Header names (lower case) and values; see the [module docs](self) for which ones a
    /// browser host must leave out.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body: JSON for a `POST`, empty for a `GET`.
    pub body: &'a [u8],
}

/// Why a request could not be built. Nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum RequestError {
    /// The buffer is too small; `required` bytes would do ([`REQUEST_BUFFER`] always does).
    BufferTooSmall {
        /// Bytes needed.
        required: usize,
    },
    /// Not a Kick slug: after trimming, an optional `@` and an optional `kick.com/` prefix, a
    /// slug is 1 to [`USERNAME`](crate::limits::USERNAME) ASCII letters, digits, `_` or `-`.
    InvalidSlug,
    /// No provider to accept: the negotiation needs at least one.
    NoProviders,
}

impl crate::describe::Describe for RequestError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::BufferTooSmall { required } => {
                out(Text("request buffer too small: "));
                out(Number(*required as u64));
                out(Text(" bytes needed"));
            }
            Self::InvalidSlug => out(Text("not a Kick channel slug")),
            Self::NoProviders => out(Text("no realtime provider to accept")),
        }
    }
}

crate::describe::display_by_describe!(RequestError);

impl core::error::Error for RequestError {}

/// What a reply meant, when it was not the answer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum ReplyError {
    /// Cloudflare (in front of kick.com) refused the request: a challenge page (`cf-mitigated`
    /// header, or a "Just a moment..." page), a block page, or Kick's "blocked by security
    /// policy". Not a fault of the request: Kick turns non-browser clients away at times. Try
    /// later, from elsewhere, or ask the user for the ids directly.
    Cloudflare {
        /// The HTTP status (usually 403; also 503 or 429; 200 for a page that slipped through).
        status: u16,
    },
    /// 404: no such channel (a renamed channel's old slug 404s too).
    NotFound,
    /// Any other status outside 2xx.
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The body is not well-formed JSON.
    Malformed {
        /// The syntax problem.
        error: SyntaxError,
        /// Byte offset in the body where it was noticed.
        offset: usize,
    },
    /// The JSON lacks something the answer cannot do without.
    Missing {
        /// Which member, as a JSON path (`chatroom.id`).
        field: &'static str,
    },
    /// A value is longer than its capacity and is refused rather than cut (a cut URL or token
    /// would be wrong, not shorter).
    TooLong {
        /// Which member.
        field: &'static str,
    },
    /// The negotiation offered no provider this crate can use (none, unknown ones, or ones
    /// without usable credentials).
    NoUsableProvider,
}

impl crate::describe::Describe for ReplyError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::Cloudflare { status } => {
                out(Text("Cloudflare refused the request (HTTP "));
                out(Number(u64::from(*status)));
                out(Text(
                    "): Kick turns non-browser clients away at times; give the ids directly",
                ));
            }
            Self::NotFound => out(Text("not found (HTTP 404)")),
            Self::Status { status } => {
                out(Text("Kick answered HTTP "));
                out(Number(u64::from(*status)));
            }
            Self::Malformed { error, offset } => {
                out(Text("reply is not valid JSON: "));
                out(Text(error.as_str()));
                out(Text(" at byte "));
                out(Number(*offset as u64));
            }
            Self::Missing { field } => {
                out(Text("reply has no `"));
                out(Text(field));
                out(Text("`"));
            }
            Self::TooLong { field } => {
                out(Text("reply's `"));
                out(Text(field));
                out(Text("` is longer than its capacity"));
            }
            Self::NoUsableProvider => out(Text("Kick offered no usable realtime provider")),
        }
    }
}

crate::describe::display_by_describe!(ReplyError);

impl core::error::Error for ReplyError {}

/// The id a client makes up for itself and sends in the negotiation and the token request
/// (Kick's web client sends a UUID; any short token works). Use the same one for both, and a new
/// one after Kick ends a connection for good.
///
/// ```
/// use kickwire_proto::http::ClientId;
/// let id = ClientId::from_random([0xab; 16]);
/// assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
/// assert!(ClientId::new("giftdeck-0123456789ab").is_some());
/// assert!(ClientId::new("no \"quotes\"").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClientId(Text<ID>);

impl ClientId {
    /// A random (version 4) UUID made from 16 random bytes: bring them from your RNG (this
    /// crate has none).
    #[must_use]
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        if let Some(b) = bytes.get_mut(6) {
            *b = (*b & 0x0f) | 0x40; // version 4
        }
        if let Some(b) = bytes.get_mut(8) {
            *b = (*b & 0x3f) | 0x80; // RFC 4122 variant
        }
        let mut t = Text::new();
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                t.push_char('-');
            }
            for nibble in [b >> 4, b & 0x0f] {
                let c = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                t.push_char(char::from(c));
            }
        }
        Self(t)
    }

    /// Your own id: 1 to 48 ASCII letters, digits, `-`, `_`, `.` or `:` (nothing a JSON string
    /// would need to escape). `None` for anything else.
    #[must_use]
    pub fn new(id: &str) -> Option<Self> {
        let ok = !id.is_empty()
            && id.len() <= ID
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        ok.then(|| Self(Text::from_str_truncating(id)))
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Whether a reply is Cloudflare (or Kick's WAF behind it) refusing the request rather than
/// Kick answering it.
///
/// `cf_mitigated`: whether the reply has a `cf-mitigated` header (Cloudflare sets it, to
/// `challenge`, on every challenge page: developers.cloudflare.com, "Detect a Challenge Page
/// response"; seen with 403, 503 and 429). Without it, an HTML body is judged by the markers
/// Cloudflare's challenge and block pages carry (`<title>Just a moment...</title>`,
/// `/cdn-cgi/challenge-platform/`, `_cf_chl_opt`, "Attention Required! | Cloudflare", "Sorry, you
/// have been blocked"), and a JSON 403 by Kick's "blocked by security policy" message
/// (jamezrin/lurkloot `packages/core/src/core/tabs.ts`, `safeKickFailure`). A JSON body is never
/// searched for page markers: a channel's bio may say "Just a moment".
#[must_use]
pub fn is_cloudflare_refusal(status: u16, cf_mitigated: bool, body: &[u8]) -> bool {
    if cf_mitigated {
        return true;
    }
    let body = strip_bom(body);
    match body.trim_ascii_start().first() {
        Some(b'{' | b'[') => {
            // Kick's WAF: `{"error":"Request blocked by security policy."}` and the like.
            status == 403
                && [&b"security policy"[..], b"request blocked"]
                    .iter()
                    .any(|m| contains_ignore_case(body.get(..4096).unwrap_or(body), m))
        }
        _ => [
            &b"Just a moment"[..],
            b"challenge-platform",
            b"_cf_chl_opt",
            b"Attention Required! | Cloudflare",
            b"Sorry, you have been blocked",
        ]
        .iter()
        // A plain window scan: these pages are small and rare, and memchr's searcher costs
        // 5 KB of code in the browser build.
        .any(|m| body.windows(m.len()).any(|w| w == *m)),
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The status checks every parser makes first: a Cloudflare refusal, 404, any other non-2xx.
fn check_status(status: u16, cf_mitigated: bool, body: &[u8]) -> Result<(), ReplyError> {
    if is_cloudflare_refusal(status, cf_mitigated, body) {
        return Err(ReplyError::Cloudflare { status });
    }
    match status {
        200..=299 => Ok(()),
        404 => Err(ReplyError::NotFound),
        _ => Err(ReplyError::Status { status }),
    }
}

/// Reads a whole JSON body into `v` (a non-object leaves `v` at its default; the caller then
/// reports what is missing).
fn read_body<T: Field>(v: &mut T, body: &[u8]) -> Result<(), ReplyError> {
    let mut r = Reader::new(strip_bom(body));
    v.read(&mut r)
        .and_then(|()| r.finish())
        .map_err(|error| ReplyError::Malformed {
            error,
            offset: r.offset(),
        })
}

/// Requests are written with the crate's one writer; what does not fit is a
/// [`RequestError`] saying how much room the request needs.
use crate::write::Writer as Out;

/// The text `out` wrote, or how much room it needed.
fn finish(out: Out<'_>) -> Result<&str, RequestError> {
    out.into_str()
        .map_err(|required| RequestError::BufferTooSmall { required })
}

/// Builds a request in `buf`: the URL first, the body right after it.
fn build<'b>(
    buf: &'b mut [u8],
    method: Method,
    headers: &'static [(&'static str, &'static str)],
    url: impl FnOnce(&mut Out<'_>),
    body: impl FnOnce(&mut Out<'_>),
) -> Result<Request<'b>, RequestError> {
    let mut out = Out::new(&mut *buf);
    url(&mut out);
    let (url_fits, url_required) = (!out.overflowed(), out.len());
    let split = url_required.min(buf.len());
    let (head, tail) = buf.split_at_mut(split);
    let mut out = Out::new(tail);
    body(&mut out);
    if !url_fits || out.overflowed() {
        return Err(RequestError::BufferTooSmall {
            required: url_required.saturating_add(out.len()),
        });
    }
    let body = finish(out)?;
    let url = core::str::from_utf8(head).map_err(|_| RequestError::BufferTooSmall {
        required: url_required,
    })?;
    Ok(Request {
        method,
        url,
        headers,
        body: body.as_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids() {
        let id = ClientId::from_random([0; 16]);
        assert_eq!(id.as_str(), "00000000-0000-4000-8000-000000000000");
        let id = ClientId::from_random([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(ClientId::new("").is_none());
        assert!(ClientId::new(&"a".repeat(49)).is_none());
        assert!(ClientId::new(&"a".repeat(48)).is_some());
        assert!(ClientId::new("a\\b").is_none());
        assert!(ClientId::new("é").is_none());
    }

    #[test]
    fn out_counts_past_the_end() {
        let mut buf = [0u8; 4];
        let mut out = Out::new(&mut buf);
        out.str("ab");
        out.str("cde");
        out.u64(12);
        assert_eq!(
            finish(out),
            Err(RequestError::BufferTooSmall { required: 7 })
        );
    }

    #[test]
    fn build_reports_url_and_body_together() {
        for size in 0..12 {
            let mut buf = std::vec![0u8; size];
            let r = build(
                &mut buf,
                Method::Post,
                GET_JSON,
                |o| o.str("https://x"),
                |o| o.str("{}"),
            );
            if size >= 11 {
                let r = r.unwrap();
                assert_eq!((r.url, r.body), ("https://x", &b"{}"[..]));
            } else {
                assert_eq!(r, Err(RequestError::BufferTooSmall { required: 11 }));
            }
        }
    }

    #[test]
    fn cloudflare_pages() {
        // Cloudflare's challenge page, cut short: the header per developers.cloudflare.com
        // ("Detect a Challenge Page response"), the body markers as listed by docs.rs
        // parse-book-source `fetch::is_challenge` (`_cf_chl_opt`, `/cdn-cgi/challenge-platform/`,
        // `<title>Just a moment`).
        let challenge = br#"<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="refresh" content="390"></head><body><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "kick.com"};var a = document.createElement('script');a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f1d2c3b4a5e6f70';}());</script></body></html>"#;
        assert!(is_cloudflare_refusal(403, false, challenge));
        assert!(is_cloudflare_refusal(200, false, challenge)); // slipped through as a 200
        assert!(is_cloudflare_refusal(403, true, b""));
        assert!(is_cloudflare_refusal(429, true, b"{}"));
        let block = b"<!DOCTYPE html><title>Attention Required! | Cloudflare</title><h1>Sorry, you have been blocked</h1>";
        assert!(is_cloudflare_refusal(403, false, block));
        assert!(is_cloudflare_refusal(
            403,
            false,
            br#"{"error":"Request blocked by security policy."}"#
        ));
        // Kick's own answers are not refusals, whatever a bio says.
        assert!(!is_cloudflare_refusal(
            200,
            false,
            br#"{"id":1,"user":{"bio":"Just a moment... challenge-platform"}}"#
        ));
        assert!(!is_cloudflare_refusal(
            404,
            false,
            br#"{"message":"Not found"}"#
        ));
        assert!(!is_cloudflare_refusal(
            403,
            false,
            br#"{"message":"Forbidden"}"#
        ));
        assert!(!is_cloudflare_refusal(
            500,
            false,
            b"<html>Server Error</html>"
        ));
        assert!(!is_cloudflare_refusal(200, false, b""));
    }
}
