//! Kick's transport negotiation on `web.kick.com`: which server carries a chat, Centrifugo or
//! Pusher.
//!
//! `POST https://web.kick.com/api/v1/realtime/channels/{channel_id}/chat/connection`
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

use super::reply::{check_status, read_body};
use super::request::{Method, Out, POST_KICK_JSON, Request, build, finish};
use super::{ClientId, ReplyError, RequestError};
use crate::envelope::Transport;
use crate::error::SyntaxError;
use crate::json::field::{Field, object_fields};
use crate::json::reader::{Kind, Reader};
use crate::limits::{ID, NAME, SHORT, URL};
use crate::text::Text;

/// The realtime API, under which the negotiation's two endpoints are.
const REALTIME_URL: &str = "https://web.kick.com/api/v1/realtime/";

/// The query Pusher's JS client sends (pusher-js 8.4.0's URL, as Kick's web page connects;
/// Moltorino7 `pusherUrl`).
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
        let mut out = Out::new(buf);
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
        finish(out)
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
struct WireCredentials {
    url: Text<URL>,
    app_key: Text<ID>,
    cluster: Text<SHORT>,
    host: Text<NAME>,
}
object_fields!(WireCredentials {
    b"url" => url,
    b"app_key" | b"key" => app_key,
    b"cluster" => cluster,
    b"host" => host,
});

#[derive(Default)]
struct WireConnection {
    provider: Text<SHORT>,
    credentials: WireCredentials,
}
object_fields!(WireConnection { b"provider" => provider, b"credentials" => credentials });

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

impl WireConnection {
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
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Array {
            return r.skip_value();
        }
        r.array(|r| {
            let mut raw = WireConnection::default();
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
struct WireNegotiationData {
    connections: Offers,
}
object_fields!(WireNegotiationData { b"connections" => connections });

#[derive(Default)]
struct WireNegotiation {
    data: WireNegotiationData,
    /// Not seen; read in case `data` is ever dropped.
    connections: Offers,
}
object_fields!(WireNegotiation { b"data" => data, b"connections" => connections });

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
    let mut raw = WireNegotiation::default();
    read_body(&mut raw, body)?;
    let WireNegotiation { data, connections } = raw;
    let too_long = data.connections.too_long || connections.too_long;
    match data.connections.first.or(connections.first) {
        Some(endpoint) => Ok(endpoint),
        None if too_long => Err(ReplyError::TooLong {
            field: "data.connections.credentials",
        }),
        None => Err(ReplyError::NoUsableProvider),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::REQUEST_BUFFER;

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
}
