//! Kick's realtime endpoints on `web.kick.com`: the transport negotiation and the guest token.
//!
//! **Negotiation.** `POST https://web.kick.com/api/v1/realtime/channels/{channel_id}/chat/connection`
//! (or, not tied to one chat, `POST https://web.kick.com/api/v1/realtime/connection`) with
//!
//! ```json
//! {"client":{"id":"<client id>","type":"web"},"capabilities":{"accepted_providers":[{"provider":"pusher"},{"provider":"centrifugo"}]}}
//! ```
//!
//! answers
//!
//! ```json
//! {"data":{"connections":[{"credentials":{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}
//! ```
//!
//! or, for Pusher, `{"credentials":{"app_key":"…","cluster":"us2"},"provider":"pusher"}`, best
//! first. Sources: SevenTV/chatterino7 `src/providers/kick/KickLiveUpdates.cpp` (request body,
//! both providers; reads `url`, `app_key`, `cluster`), EEVA-inc/Moltorino7 (a chatterino7 fork)
//! `src/providers/kick/ws/KickWebSocketCommon.cpp` (`parseConnection`: first usable entry, `wss`
//! only, key and cluster of `[A-Za-z0-9_-]`), kicksdk 0.2.0 `src/realtime/mod.rs`
//! (`chat_connection_request`, `parse_connection` and its test reply), jamezrin/lurkloot
//! `packages/core/src/platforms/kick/realtime.ts` (`kickRealtimeNegotiation`,
//! `parseKickRealtimeEndpoint`: a Pusher entry without `cluster` means `us2`),
//! Obiwayne/GiftDeck `Services/Kick/KickApi.cs` (`GetPusherAppAsync`, Pusher only), and
//! tibor1234567895/Xtra-Kick `KICK_API_REFERENCE.md` §3 (the reply with `mode`). The channel id
//! is the *channel* id, not the chatroom id (Xtra-Kick).
//!
//! **Guest token.** `POST https://web.kick.com/api/v1/realtime/auth/connection` with
//! `{"client_id":"<client id>"}` answers `{"data":{"token":"<JWT>"},"message":"success"}`
//! (chatterino7 `src/providers/kick/ws/KickCentrifugoManager.cpp` `doRefresh`, kicksdk
//! `token_request`/`parse_token`, Xtra-Kick §3; lurkloot `mintToken` also accepts a top-level
//! `token`). No source shows an expiry in this reply: Kick gives the lifetime in Centrifugo's
//! connect reply (`ttl`, 2700 s). [`GuestToken`] still reads `ttl`/`expires_in`/`expires_at`
//! if Kick adds them, and the JWT's own `exp`/`iat` claims.

use super::{
    ClientId, Method, POST_KICK_JSON, ReplyError, Request, RequestError, build, check_status,
    read_body,
};
use crate::envelope::Transport;
use crate::error::SyntaxError;
use crate::json::field::{Field, Members, object_fields};
use crate::json::reader::{Kind, Reader};
use crate::limits::{ID, NAME, SHORT, TOKEN, URL};
use crate::text::Text;
use crate::time::Timestamp;

/// Where the guest token comes from.
pub const AUTH_CONNECTION_URL: &str = "https://web.kick.com/api/v1/realtime/auth/connection";
const REALTIME_URL: &str = "https://web.kick.com/api/v1/realtime/";

/// The query Pusher's JS client sends; Kick's Pusher URL in `DESIGN.md` section 2 and
/// Moltorino7 `pusherUrl`.
const PUSHER_QUERY: &str = "?protocol=7&client=js&version=8.4.0&flash=false";
/// The cluster of a Pusher offer that names none: Kick's (lurkloot `parseKickRealtimeEndpoint`).
const DEFAULT_CLUSTER: &str = super::KICK_PUSHER_CLUSTER;

/// Where to open the WebSocket, as the negotiation offered it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Endpoint {
    /// A Centrifugo server (`credentials.url`), e.g.
    /// `wss://realtime.us-west-2.platform.kick.com/connection/websocket`. Always `wss://`.
    Centrifugo {
        /// The WebSocket URL.
        url: Text<URL>,
    },
    /// A Pusher app (`credentials.app_key`, or `key`; `credentials.cluster`, `us2` when absent;
    /// `credentials.host` if Kick ever names one).
    Pusher {
        /// The app key.
        app_key: Text<ID>,
        /// The cluster (`us2`).
        cluster: Text<SHORT>,
        /// A WebSocket host to use instead of `ws-{cluster}.pusher.com`.
        host: Option<Text<NAME>>,
    },
}

impl Endpoint {
    /// Which protocol to speak on it.
    #[must_use]
    pub const fn transport(&self) -> Transport {
        match self {
            Self::Centrifugo { .. } => Transport::Centrifugo,
            Self::Pusher { .. } => Transport::Pusher,
        }
    }

    /// The URL to open: the Centrifugo URL as offered, or Pusher's
    /// `wss://ws-{cluster}.pusher.com/app/{app_key}?protocol=7&client=js&version=8.4.0&flash=false`
    /// (`wss://{host}/app/…` when a host was offered).
    ///
    /// ```
    /// # use kickwire_proto::http;
    /// let reply = br#"{"data":{"connections":[{"provider":"pusher","credentials":{"app_key":"32cbd69e4b950bf97679","cluster":"us2"}}]}}"#;
    /// let endpoint = http::parse_connection(200, false, reply)?;
    /// let mut buf = [0u8; 128];
    /// assert_eq!(
    ///     endpoint.websocket_url(&mut buf)?,
    ///     "wss://ws-us2.pusher.com/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`RequestError::BufferTooSmall`] when `buf` is ([`URL`] bytes always do).
    pub fn websocket_url<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, RequestError> {
        let mut out = super::Out::new(buf);
        match self {
            Self::Centrifugo { url } => out.str(url),
            Self::Pusher {
                app_key,
                cluster,
                host,
            } => {
                out.str("wss://");
                match host {
                    Some(host) => out.str(host),
                    None => {
                        out.str("ws-");
                        out.str(cluster);
                        out.str(".pusher.com");
                    }
                }
                out.str("/app/");
                out.str(app_key);
                out.str(PUSHER_QUERY);
            }
        }
        super::finish(out)
    }
}

/// Builds the negotiation for one chat:
/// `POST https://web.kick.com/api/v1/realtime/channels/{channel_id}/chat/connection`.
///
/// `accept` lists the providers you can speak, in your order of preference (Kick's web client
/// sends `pusher`, `centrifugo`); Kick answers with what it offers ([`parse_connection`]).
///
/// ```
/// use kickwire_proto::http::{self, ClientId};
/// use kickwire_proto::Transport;
/// let mut buf = [0u8; http::REQUEST_BUFFER];
/// let client = ClientId::new("c1").unwrap();
/// let req = http::chat_connection_request(2_515_504, &client, &[Transport::Pusher, Transport::Centrifugo], &mut buf)?;
/// assert_eq!(req.url, "https://web.kick.com/api/v1/realtime/channels/2515504/chat/connection");
/// assert_eq!(
///     req.body,
///     br#"{"client":{"id":"c1","type":"web"},"capabilities":{"accepted_providers":[{"provider":"pusher"},{"provider":"centrifugo"}]}}"#
/// );
/// assert!(req.headers.contains(&("origin", "https://kick.com")));
/// # Ok::<(), http::RequestError>(())
/// ```
///
/// # Errors
/// [`RequestError::NoProviders`] for an empty `accept`; [`RequestError::BufferTooSmall`] when
/// `buf` is ([`REQUEST_BUFFER`](super::REQUEST_BUFFER) always does).
pub fn chat_connection_request<'b>(
    channel_id: u64,
    client: &ClientId,
    accept: &[Transport],
    buf: &'b mut [u8],
) -> Result<Request<'b>, RequestError> {
    negotiation(Some(channel_id), client, accept, buf)
}

/// Builds the negotiation not tied to one chat: `POST https://web.kick.com/api/v1/realtime/connection`
/// (what kick.com's page asks first; lurkloot and kicksdk use it). Same body and reply as
/// [`chat_connection_request`], whose per-channel answer is the one to prefer for a chat (each
/// chat is served from one region).
///
/// # Errors
/// As [`chat_connection_request`].
pub fn connection_request<'b>(
    client: &ClientId,
    accept: &[Transport],
    buf: &'b mut [u8],
) -> Result<Request<'b>, RequestError> {
    negotiation(None, client, accept, buf)
}

fn negotiation<'b>(
    channel_id: Option<u64>,
    client: &ClientId,
    accept: &[Transport],
    buf: &'b mut [u8],
) -> Result<Request<'b>, RequestError> {
    if accept.is_empty() {
        return Err(RequestError::NoProviders);
    }
    build(
        buf,
        Method::Post,
        POST_KICK_JSON,
        |o| {
            o.str(REALTIME_URL);
            match channel_id {
                Some(id) => {
                    o.str("channels/");
                    o.u64(id);
                    o.str("/chat/connection");
                }
                None => o.str("connection"),
            }
        },
        |o| {
            // `ClientId` holds nothing a JSON string must escape.
            o.str(r#"{"client":{"id":""#);
            o.str(client.as_str());
            o.str(r#"","type":"web"},"capabilities":{"accepted_providers":["#);
            for (i, t) in accept.iter().enumerate() {
                if i > 0 {
                    o.str(",");
                }
                o.str(match t {
                    Transport::Pusher => r#"{"provider":"pusher"}"#,
                    Transport::Centrifugo => r#"{"provider":"centrifugo"}"#,
                });
            }
            o.str("]}}");
        },
    )
}

/// One `connections` entry, as sent.
#[derive(Default)]
struct RawCredentials {
    url: Text<URL>,
    app_key: Text<ID>,
    cluster: Text<SHORT>,
    host: Text<NAME>,
}
object_fields!(RawCredentials {
    b"url" => url,
    b"app_key" | b"key" => app_key,
    b"cluster" => cluster,
    b"host" => host,
});

#[derive(Default)]
struct RawConnection {
    provider: Text<SHORT>,
    credentials: RawCredentials,
}
object_fields!(RawConnection { b"provider" => provider, b"credentials" => credentials });

/// Pusher keys, clusters: what Moltorino7's `validPusherCredential` allows.
fn credential_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

/// A host name, optionally with a port.
fn host_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
}

/// A `wss://` URL of printable ASCII (no spaces or quotes: it goes into a request line).
fn wss_ok(s: &str) -> bool {
    s.strip_prefix("wss://").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\\' | b'<' | b'>'))
    })
}

/// Why an entry was not used.
enum Unusable {
    /// A credential longer than its capacity.
    TooLong,
    /// Unknown provider, or credentials missing or malformed.
    Other,
}

impl RawConnection {
    fn endpoint(self) -> Result<Endpoint, Unusable> {
        let c = self.credentials;
        if self.provider.eq_ignore_ascii_case("centrifugo") {
            if c.url.is_truncated() {
                return Err(Unusable::TooLong);
            }
            return wss_ok(&c.url)
                .then_some(Endpoint::Centrifugo { url: c.url })
                .ok_or(Unusable::Other);
        }
        if self.provider.eq_ignore_ascii_case("pusher") {
            if c.app_key.is_truncated() || c.cluster.is_truncated() || c.host.is_truncated() {
                return Err(Unusable::TooLong);
            }
            let cluster = if c.cluster.is_empty() {
                Text::from_str_truncating(DEFAULT_CLUSTER)
            } else {
                c.cluster
            };
            let host = (!c.host.is_empty()).then_some(c.host);
            let ok = credential_ok(&c.app_key)
                && credential_ok(&cluster)
                && host.as_deref().is_none_or(host_ok);
            return ok
                .then_some(Endpoint::Pusher {
                    app_key: c.app_key,
                    cluster,
                    host,
                })
                .ok_or(Unusable::Other);
        }
        Err(Unusable::Other)
    }
}

/// The `connections` array, read one entry at a time: keeps the first usable one.
#[derive(Default)]
struct Offers {
    first: Option<Endpoint>,
    too_long: bool,
}

impl Field for Offers {
    fn read(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Array {
            return r.skip_value();
        }
        r.array(|r| {
            let mut raw = RawConnection::default();
            raw.read(r)?;
            if self.first.is_none() {
                match raw.endpoint() {
                    Ok(e) => self.first = Some(e),
                    Err(Unusable::TooLong) => self.too_long = true,
                    Err(Unusable::Other) => {}
                }
            }
            Ok(())
        })
    }
}

#[derive(Default)]
struct RawNegotiationData {
    connections: Offers,
}
object_fields!(RawNegotiationData { b"connections" => connections });

#[derive(Default)]
struct RawNegotiation {
    data: RawNegotiationData,
    /// Not seen; read in case `data` is ever dropped.
    connections: Offers,
}
object_fields!(RawNegotiation { b"data" => data, b"connections" => connections });

/// Reads the negotiation's reply ([`chat_connection_request`] or [`connection_request`]): the
/// first offer this crate can use, in Kick's order (best first). Entries with an unknown
/// provider, a Centrifugo URL that is not `wss://`, or a Pusher key or cluster with odd
/// characters are passed over (as chatterino7 and lurkloot do).
///
/// `cf_mitigated`: whether the reply carried a `cf-mitigated` header.
///
/// ```
/// use kickwire_proto::{http, Transport};
/// let reply = br#"{"data":{"connections":[{"credentials":{"url":"wss://realtime.us-east-1.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}"#;
/// let endpoint = http::parse_connection(200, false, reply)?;
/// assert_eq!(endpoint.transport(), Transport::Centrifugo);
/// # Ok::<(), http::ReplyError>(())
/// ```
///
/// # Errors
/// [`ReplyError::Cloudflare`], [`ReplyError::NotFound`] (no such channel id),
/// [`ReplyError::Status`], [`ReplyError::Malformed`]; [`ReplyError::TooLong`] when the only
/// usable offer had a URL or key longer than its capacity; [`ReplyError::NoUsableProvider`] when
/// nothing was offered that this crate can use.
pub fn parse_connection(
    status: u16,
    cf_mitigated: bool,
    body: &[u8],
) -> Result<Endpoint, ReplyError> {
    check_status(status, cf_mitigated, body)?;
    let mut raw = RawNegotiation::default();
    read_body(&mut raw, body)?;
    let RawNegotiation { data, connections } = raw;
    let too_long = data.connections.too_long || connections.too_long;
    match data.connections.first.or(connections.first) {
        Some(endpoint) => Ok(endpoint),
        None if too_long => Err(ReplyError::TooLong {
            field: "data.connections.credentials",
        }),
        None => Err(ReplyError::NoUsableProvider),
    }
}

/// Builds the guest-token request: `POST https://web.kick.com/api/v1/realtime/auth/connection`
/// with `{"client_id":"…"}`. Use the same client id as in the negotiation, and again for each
/// refresh of the same connection.
///
/// ```
/// use kickwire_proto::http::{self, ClientId};
/// let mut buf = [0u8; http::REQUEST_BUFFER];
/// let client = ClientId::new("c1").unwrap();
/// let req = http::token_request(&client, &mut buf)?;
/// assert_eq!(req.url, http::AUTH_CONNECTION_URL);
/// assert_eq!(req.body, br#"{"client_id":"c1"}"#);
/// # Ok::<(), http::RequestError>(())
/// ```
///
/// # Errors
/// [`RequestError::BufferTooSmall`] when `buf` is ([`REQUEST_BUFFER`](super::REQUEST_BUFFER)
/// always does).
pub fn token_request<'b>(
    client: &ClientId,
    buf: &'b mut [u8],
) -> Result<Request<'b>, RequestError> {
    build(
        buf,
        Method::Post,
        POST_KICK_JSON,
        |o| o.str(AUTH_CONNECTION_URL),
        |o| {
            o.str(r#"{"client_id":""#);
            o.str(client.as_str());
            o.str(r#""}"#);
        },
    )
}

/// A guest connection token for Centrifugo's `connect` (and `refresh`) command.
///
/// It is a credential, if a short-lived one: `Debug` and `defmt` show everything but the
/// token, and it is not serialized.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct GuestToken {
    /// The token (a JWT). Never cut: one longer than [`TOKEN`] is refused.
    pub token: Text<TOKEN>,
    /// Its lifetime in seconds: the reply's `ttl` or `expires_in` if it has one (no source shows
    /// one), else the JWT's `exp - iat`. Centrifugo's connect reply states it too (`ttl`, 2700 s
    /// for Kick) and is the one to trust.
    pub ttl_secs: Option<u32>,
    /// When it expires: the reply's `expires_at` if it has one, else the JWT's `exp` claim.
    pub expires_at: Option<Timestamp>,
}

impl GuestToken {
    /// The token.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.token.as_str()
    }
}

impl core::fmt::Debug for GuestToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GuestToken")
            .field("token", &"[redacted]")
            .field("ttl_secs", &self.ttl_secs)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for GuestToken {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "GuestToken {{ token: [redacted], ttl_secs: {=?}, expires_at: {=?} }}",
            self.ttl_secs,
            self.expires_at
        );
    }
}

/// Expiry members a token reply might carry (none seen so far).
#[derive(Default)]
struct Expiry {
    ttl: Option<u32>,
    expires_at: Option<Timestamp>,
}
object_fields!(Expiry { b"ttl" | b"expires_in" => ttl, b"expires_at" => expires_at });

/// `{"data":{"token":…},"message":…}`, or `token` at the top level (lurkloot). One token
/// buffer for both places (it is 2 KiB): a string in `data.token` wins, even an empty one (the
/// result must not depend on the order of the members), and `null` or a non-string never
/// overwrites a token already read.
#[derive(Default)]
struct TokenReply {
    token: Text<TOKEN>,
    token_in_data: bool,
    data: Expiry,
    top: Expiry,
}

impl TokenReply {
    fn read_token(&mut self, r: &mut Reader<'_>, in_data: bool) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::String || (self.token_in_data && !in_data) {
            return r.skip_value();
        }
        self.token.read(r)?;
        self.token_in_data = in_data;
        Ok(())
    }
}

impl Field for TokenReply {
    fn read(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Object {
            return r.skip_value();
        }
        r.object(|r, key| match key {
            b"data" => {
                if r.peek_kind()? != Kind::Object {
                    return r.skip_value();
                }
                r.object(|r, key| match key {
                    b"token" => self.read_token(r, true),
                    _ => self.data.read_member(r, key),
                })
            }
            b"token" => self.read_token(r, false),
            _ => self.top.read_member(r, key),
        })
    }
}

/// Reads the guest-token reply ([`token_request`]).
///
/// `cf_mitigated`: whether the reply carried a `cf-mitigated` header.
///
/// ```
/// use kickwire_proto::http;
/// // A JWT whose claims are {"sub":"","exp":1790000000,"iat":1789997300}.
/// let reply = br#"{"data":{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIiLCJleHAiOjE3OTAwMDAwMDAsImlhdCI6MTc4OTk5NzMwMH0.c2ln"},"message":"success"}"#;
/// let token = http::parse_token(200, false, reply)?;
/// assert!(token.as_str().starts_with("eyJ"));
/// assert_eq!(token.ttl_secs, Some(2700));
/// assert_eq!(token.expires_at.map(|t| t.unix_millis()), Some(1_790_000_000_000));
/// assert!(!format!("{token:?}").contains("eyJ")); // Debug hides it
/// # Ok::<(), http::ReplyError>(())
/// ```
///
/// # Errors
/// [`ReplyError::Cloudflare`], [`ReplyError::NotFound`], [`ReplyError::Status`],
/// [`ReplyError::Malformed`]; [`ReplyError::Missing`] without a token (`data.token`, or a
/// top-level `token`; a string in `data.token` is the one read, and a blank one is none);
/// [`ReplyError::TooLong`] for a token longer than [`TOKEN`].
pub fn parse_token(status: u16, cf_mitigated: bool, body: &[u8]) -> Result<GuestToken, ReplyError> {
    check_status(status, cf_mitigated, body)?;
    let mut raw = TokenReply::default();
    read_body(&mut raw, body)?;
    let TokenReply {
        token, data, top, ..
    } = raw;
    if token.is_truncated() {
        return Err(ReplyError::TooLong { field: "token" });
    }
    if token.trim().is_empty() {
        return Err(ReplyError::Missing {
            field: "data.token",
        });
    }
    let claims = jwt_claims(&token).unwrap_or_default();
    let claims_ttl = claims
        .exp
        .zip(claims.iat)
        .and_then(|(exp, iat)| exp.unix_millis().checked_sub(iat.unix_millis()))
        .and_then(|ms| u32::try_from(ms / 1000).ok());
    Ok(GuestToken {
        ttl_secs: data.ttl.or(top.ttl).or(claims_ttl),
        expires_at: data.expires_at.or(top.expires_at).or(claims.exp),
        token,
    })
}

/// The JWT claims we look at.
#[derive(Default)]
struct Claims {
    exp: Option<Timestamp>,
    iat: Option<Timestamp>,
}
object_fields!(Claims { b"exp" => exp, b"iat" => iat });

/// Decoded JWT payloads up to this size are read; a guest token's claims are far smaller.
const JWT_PAYLOAD: usize = 768;

/// The `exp` and `iat` claims of a JWT (`header.payload.signature`, base64url), if it is one.
fn jwt_claims(token: &str) -> Option<Claims> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    let mut buf = [0u8; JWT_PAYLOAD];
    let n = base64url_decode(payload.as_bytes(), &mut buf)?;
    let mut claims = Claims::default();
    let mut r = Reader::new(buf.get(..n)?);
    claims.read(&mut r).ok()?;
    Some(claims)
}

/// Decodes base64url (or standard base64), padding optional, into `out`; `None` for a bad
/// character or too little room.
fn base64url_decode(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut n: usize = 0;
    for &c in input {
        let v = match c {
            b'A'..=b'Z' => c.wrapping_sub(b'A'),
            b'a'..=b'z' => c.wrapping_sub(b'a').wrapping_add(26),
            b'0'..=b'9' => c.wrapping_sub(b'0').wrapping_add(52),
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = acc.wrapping_shl(6) | u32::from(v);
        bits = bits.wrapping_add(6);
        if bits >= 8 {
            bits = bits.wrapping_sub(8);
            *out.get_mut(n)? = (acc.wrapping_shr(bits) & 0xff) as u8;
            n = n.checked_add(1)?;
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::REQUEST_BUFFER;

    fn client() -> ClientId {
        ClientId::from_random([0x11; 16])
    }

    #[test]
    fn negotiation_requests() {
        let mut buf = [0u8; REQUEST_BUFFER];
        let id = ClientId::new("c1").unwrap();
        let r = chat_connection_request(668, &id, &[Transport::Centrifugo], &mut buf).unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://web.kick.com/api/v1/realtime/channels/668/chat/connection"
        );
        // kicksdk's body for Centrifugo only, key for key.
        assert_eq!(
            r.body,
            br#"{"client":{"id":"c1","type":"web"},"capabilities":{"accepted_providers":[{"provider":"centrifugo"}]}}"#
        );
        for h in [
            ("origin", "https://kick.com"),
            ("referer", "https://kick.com/"),
            ("content-type", "application/json"),
            ("accept", "application/json"),
        ] {
            assert!(r.headers.contains(&h), "{h:?}");
        }
        let ua = r
            .headers
            .iter()
            .find(|(k, _)| *k == "user-agent")
            .unwrap()
            .1;
        assert!(ua.starts_with("kickwire/"), "{ua}");

        let r = connection_request(&id, &[Transport::Pusher], &mut buf).unwrap();
        assert_eq!(r.url, "https://web.kick.com/api/v1/realtime/connection");
        assert!(r.body.ends_with(br#"[{"provider":"pusher"}]}}"#));

        assert_eq!(
            chat_connection_request(1, &id, &[], &mut buf),
            Err(RequestError::NoProviders)
        );
        // The largest request fits the advertised buffer.
        let long = ClientId::new(&"a".repeat(48)).unwrap();
        let both = [Transport::Pusher, Transport::Centrifugo];
        let r = chat_connection_request(u64::MAX, &long, &both, &mut buf).unwrap();
        assert!(r.url.len() + r.body.len() < 300);
        let mut small = [0u8; 100];
        let Err(RequestError::BufferTooSmall { required }) =
            chat_connection_request(u64::MAX, &long, &both, &mut small)
        else {
            panic!("fits?")
        };
        assert_eq!(required, r.url.len() + r.body.len());
        // The body is JSON that says what we meant.
        let v: serde_json::Value = serde_json::from_slice(r.body).unwrap();
        assert_eq!(v["client"]["id"], "a".repeat(48));
        assert_eq!(
            v["capabilities"]["accepted_providers"][1]["provider"],
            "centrifugo"
        );
    }

    #[test]
    fn centrifugo_offer() {
        // Xtra-Kick KICK_API_REFERENCE.md §3 / kicksdk's test reply.
        let body = br#"{"data":{"connections":[{"credentials":{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}"#;
        let e = parse_connection(200, false, body).unwrap();
        assert_eq!(
            e,
            Endpoint::Centrifugo {
                url: Text::from_str_truncating(
                    "wss://realtime.us-west-2.platform.kick.com/connection/websocket"
                )
            }
        );
        let mut buf = [0u8; URL];
        assert_eq!(
            e.websocket_url(&mut buf).unwrap(),
            "wss://realtime.us-west-2.platform.kick.com/connection/websocket"
        );
        let mut small = [0u8; 10];
        assert_eq!(
            e.websocket_url(&mut small),
            Err(RequestError::BufferTooSmall { required: 63 })
        );
    }

    #[test]
    fn pusher_offers_and_order() {
        // kicksdk's test reply: Centrifugo, Pusher, an unknown provider; best first.
        let body = br#"{"data":{"connections":[{"credentials":{"app_key":"k","cluster":"us2"},"provider":"pusher"},
            {"credentials":{"url":"wss://a/connection/websocket"},"provider":"centrifugo"},{"provider":"ably"}],"mode":"websocket"},"message":"success"}"#;
        let e = parse_connection(200, false, body).unwrap();
        assert_eq!(e.transport(), Transport::Pusher);
        let mut buf = [0u8; URL];
        assert_eq!(
            e.websocket_url(&mut buf).unwrap(),
            "wss://ws-us2.pusher.com/app/k?protocol=7&client=js&version=8.4.0&flash=false"
        );
        // `key` for `app_key`, no cluster (lurkloot: us2), a host.
        let body = br#"{"data":{"connections":[{"provider":"pusher","credentials":{"key":"32cbd69e4b950bf97679","host":"ws.example.com:443"}}]}}"#;
        let e = parse_connection(200, false, body).unwrap();
        assert_eq!(
            e.websocket_url(&mut buf).unwrap(),
            "wss://ws.example.com:443/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
        );
        let Endpoint::Pusher { cluster, .. } = e else {
            panic!()
        };
        assert_eq!(cluster.as_str(), "us2");
    }

    #[test]
    fn unusable_offers_are_passed_over() {
        // Unknown provider, plain ws://, a key with a quote, no credentials: then a good one.
        let body = br#"{"data":{"connections":[{"provider":"ably","credentials":{"url":"wss://x"}},
            {"provider":"centrifugo","credentials":{"url":"ws://insecure/connection/websocket"}},
            {"provider":"centrifugo","credentials":{"url":"wss://a b"}},
            {"provider":"pusher","credentials":{"app_key":"k\"ey","cluster":"us2"}},
            {"provider":"pusher"},
            {"provider":"CENTRIFUGO","credentials":{"url":"wss://ok/connection/websocket","extra":[1,{"a":null}]}}],"mode":"websocket"}}"#;
        let e = parse_connection(200, false, body).unwrap();
        assert_eq!(e.transport(), Transport::Centrifugo);
        for (body, want) in [
            (
                &br#"{"data":{"connections":[]}}"#[..],
                ReplyError::NoUsableProvider,
            ),
            (
                br#"{"data":{"connections":[{"provider":"ably"}]}}"#,
                ReplyError::NoUsableProvider,
            ),
            (
                br#"{"data":null,"message":"success"}"#,
                ReplyError::NoUsableProvider,
            ),
            (br#"{}"#, ReplyError::NoUsableProvider),
            (br#"[]"#, ReplyError::NoUsableProvider),
        ] {
            assert_eq!(parse_connection(200, false, body), Err(want));
        }
        // A top-level `connections` (never seen, accepted).
        let body =
            br#"{"connections":[{"provider":"centrifugo","credentials":{"url":"wss://t/c"}}]}"#;
        assert!(parse_connection(200, false, body).is_ok());
    }

    #[test]
    fn overlong_url_is_refused_not_cut() {
        let url = std::format!("wss://{}/connection/websocket", "r".repeat(300));
        let body = std::format!(
            r#"{{"data":{{"connections":[{{"provider":"centrifugo","credentials":{{"url":"{url}"}}}}]}}}}"#
        );
        assert_eq!(
            parse_connection(200, false, body.as_bytes()),
            Err(ReplyError::TooLong {
                field: "data.connections.credentials"
            })
        );
        // But a later usable offer wins.
        let body = std::format!(
            r#"{{"data":{{"connections":[{{"provider":"centrifugo","credentials":{{"url":"{url}"}}}},{{"provider":"pusher","credentials":{{"app_key":"k"}}}}]}}}}"#
        );
        assert!(parse_connection(200, false, body.as_bytes()).is_ok());
    }

    #[test]
    fn negotiation_failures() {
        assert_eq!(
            parse_connection(403, true, b"<html>"),
            Err(ReplyError::Cloudflare { status: 403 })
        );
        assert_eq!(
            parse_connection(404, false, br#"{"message":"channel not found"}"#),
            Err(ReplyError::NotFound)
        );
        assert_eq!(
            parse_connection(422, false, br#"{"message":"invalid"}"#),
            Err(ReplyError::Status { status: 422 })
        );
        assert!(matches!(
            parse_connection(200, false, br#"{"data":{"connections":[{"provider":"#),
            Err(ReplyError::Malformed { .. })
        ));
    }

    #[test]
    fn token_request_body() {
        let mut buf = [0u8; REQUEST_BUFFER];
        let c = client();
        let r = token_request(&c, &mut buf).unwrap();
        assert_eq!(r.url, AUTH_CONNECTION_URL);
        assert_eq!(r.method, Method::Post);
        let v: serde_json::Value = serde_json::from_slice(r.body).unwrap();
        assert_eq!(v, serde_json::json!({ "client_id": c.as_str() }));
        assert!(r.headers.contains(&("origin", "https://kick.com")));
    }

    /// A JWT with these claims (unsigned: the signature is never checked here).
    fn jwt(claims: &str) -> std::string::String {
        fn b64(bytes: &[u8]) -> std::string::String {
            const A: &[u8; 64] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut s = std::string::String::new();
            for chunk in bytes.chunks(3) {
                let b = [
                    chunk[0],
                    *chunk.get(1).unwrap_or(&0),
                    *chunk.get(2).unwrap_or(&0),
                ];
                let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                for i in 0..=chunk.len() {
                    s.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
                }
            }
            s
        }
        std::format!(
            "{}.{}.c2lnbmF0dXJl",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64(claims.as_bytes())
        )
    }

    #[test]
    fn tokens() {
        // chatterino7 / kicksdk / Xtra-Kick: `{"data":{"token":…},"message":"success"}`.
        let t = jwt(r#"{"sub":"","exp":1790002700,"iat":1790000000,"info":{"x":[1,2,3]}}"#);
        let body = std::format!(r#"{{"data":{{"token":"{t}"}},"message":"success"}}"#);
        let g = parse_token(200, false, body.as_bytes()).unwrap();
        assert_eq!(g.as_str(), t);
        assert_eq!(g.ttl_secs, Some(2700));
        assert_eq!(
            g.expires_at,
            Some(Timestamp::from_unix_millis(1_790_002_700_000))
        );
        assert!(!std::format!("{g:?}").contains(&t));
        // lurkloot also accepts a top-level token; numbers as strings; reply fields win.
        let body = std::format!(
            r#"{{"token":"{t}","expires_in":"1800","expires_at":"2026-10-01T00:00:00Z"}}"#
        );
        let g = parse_token(200, false, body.as_bytes()).unwrap();
        assert_eq!(g.ttl_secs, Some(1800));
        assert_eq!(g.expires_at, Timestamp::parse_str("2026-10-01T00:00:00Z"));
        // Both places: `data.token` wins in either order; `null` does not erase a token.
        for body in [
            &br#"{"token":"top","data":{"token":"inner","ttl":5},"ttl":9}"#[..],
            br#"{"data":{"token":"inner","ttl":5},"token":"top","ttl":9}"#,
        ] {
            let g = parse_token(200, false, body).unwrap();
            assert_eq!((g.as_str(), g.ttl_secs), ("inner", Some(5)));
        }
        let g = parse_token(200, false, br#"{"token":"top","data":{"token":null}}"#).unwrap();
        assert_eq!(g.as_str(), "top");
        let g = parse_token(200, false, br#"{"data":{"token":"in"},"token":7}"#).unwrap();
        assert_eq!(g.as_str(), "in");
        // A string in `data.token` wins even when empty or blank, in either order: the same
        // object must not read differently by the order of its members. (An empty one after
        // the top-level token gave Missing, before it the top-level token; the `http_reply`
        // fuzz target checks the rule.)
        for body in [
            &br#"{"token":"top","data":{"token":""}}"#[..],
            br#"{"data":{"token":""},"token":"top"}"#,
            br#"{"token":"top","data":{"token":" "}}"#,
            br#"{"data":{"token":" "},"token":"top"}"#,
        ] {
            assert_eq!(
                parse_token(200, false, body),
                Err(ReplyError::Missing {
                    field: "data.token"
                }),
                "{}",
                std::string::String::from_utf8_lossy(body)
            );
        }
        // Not a JWT: kept as is, no expiry known.
        let g = parse_token(200, false, br#"{"data":{"token":"opaque"}}"#).unwrap();
        assert_eq!(
            (g.as_str(), g.ttl_secs, g.expires_at),
            ("opaque", None, None)
        );
        // A JWT whose payload is not JSON, or not base64: no expiry, no error.
        for odd in ["a.b.c", "a.!!!.c", "a..c", "a.e30.c"] {
            let body = std::format!(r#"{{"data":{{"token":"{odd}"}}}}"#);
            let g = parse_token(200, false, body.as_bytes()).unwrap();
            assert_eq!((g.ttl_secs, g.expires_at), (None, None), "{odd}");
        }
    }

    #[test]
    fn token_failures() {
        for body in [
            &br#"{"data":{},"message":"success"}"#[..],
            br#"{"data":{"token":""}}"#,
            br#"{"data":{"token":null}}"#,
            br#"{"data":null}"#,
            b"{}",
        ] {
            assert_eq!(
                parse_token(200, false, body),
                Err(ReplyError::Missing {
                    field: "data.token"
                })
            );
        }
        let long = "t".repeat(TOKEN + 1);
        let body = std::format!(r#"{{"data":{{"token":"{long}"}}}}"#);
        assert_eq!(
            parse_token(200, false, body.as_bytes()),
            Err(ReplyError::TooLong { field: "token" })
        );
        // Exactly at capacity is fine.
        let body = std::format!(r#"{{"data":{{"token":"{}"}}}}"#, "t".repeat(TOKEN));
        assert_eq!(
            parse_token(200, false, body.as_bytes())
                .unwrap()
                .as_str()
                .len(),
            TOKEN
        );
        assert_eq!(
            parse_token(503, true, b"<html>"),
            Err(ReplyError::Cloudflare { status: 503 })
        );
        assert_eq!(
            parse_token(401, false, br#"{"message":"Unauthenticated."}"#),
            Err(ReplyError::Status { status: 401 })
        );
    }

    #[test]
    fn base64_edges() {
        let mut out = [0u8; 8];
        assert_eq!(base64url_decode(b"", &mut out), Some(0));
        assert_eq!(base64url_decode(b"YQ", &mut out), Some(1));
        assert_eq!(&out[..1], b"a");
        assert_eq!(base64url_decode(b"YWJj", &mut out), Some(3));
        assert_eq!(&out[..3], b"abc");
        assert_eq!(base64url_decode(b"YWI=", &mut out), Some(2));
        assert_eq!(base64url_decode(b"YW*", &mut out), None);
        let mut tiny = [0u8; 1];
        assert_eq!(base64url_decode(b"YWJj", &mut tiny), None);
        // A payload beyond the scratch buffer is no expiry, not a panic.
        let big = "A".repeat(JWT_PAYLOAD * 2);
        assert!(jwt_claims(&std::format!("a.{big}.c")).is_none());
    }
}
