//! Kick's guest token for Centrifugo, from `web.kick.com`.
//!
//! `POST https://web.kick.com/api/v1/realtime/auth/connection` with
//! `{"client_id":"<client id>"}` answers `{"data":{"token":"<JWT>"},"message":"success"}`
//! (chatterino7 `src/providers/kick/ws/KickCentrifugoManager.cpp` `doRefresh`, kicksdk 0.2.0
//! `src/realtime/mod.rs` `token_request`/`parse_token`, tibor1234567895/Xtra-Kick
//! `KICK_API_REFERENCE.md` §3; jamezrin/lurkloot `mintToken` also accepts a top-level
//! `token`). No source shows an expiry in this reply: Kick gives the lifetime in Centrifugo's
//! connect reply (`ttl`, 2700 s). [`GuestToken`] still reads `ttl`/`expires_in`/`expires_at`
//! if Kick adds them, and the JWT's own `exp`/`iat` claims.

use super::jwt::jwt_claims;
use super::reply::{check_status, read_body};
use super::request::{Method, POST_KICK_JSON, Request, build};
use super::{ClientId, ReplyError, RequestError};
use crate::Timestamp;
use crate::error::SyntaxError;
use crate::json::field::{Field, Members, object_fields};
use crate::json::reader::{Kind, Reader};
use crate::limits::TOKEN;
use crate::text::Text;

/// Where the guest token comes from.
pub const AUTH_CONNECTION_URL: &str = "https://web.kick.com/api/v1/realtime/auth/connection";
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
    fn read_token<const E: bool>(
        &mut self,
        r: &mut Reader<'_, E>,
        in_data: bool,
    ) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::String || (self.token_in_data && !in_data) {
            return r.skip_value();
        }
        self.token.read(r)?;
        self.token_in_data = in_data;
        Ok(())
    }
}

impl Field for TokenReply {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::REQUEST_BUFFER;

    fn client() -> ClientId {
        ClientId::from_random([0x11; 16])
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
}
