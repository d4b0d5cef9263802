//! Kick's OAuth 2.1 server, `id.kick.com` (KickDevDocs `getting-started/
//! generating-tokens-oauth2-flow.md`): the authorize URL, the token endpoint's three grants,
//! revocation, and the token reply.

use super::error::{check, read};
use super::form::pairs;
use super::{ApiError, ApiReply, OAUTH_BASE, OfficialRequestError};
use crate::http::ReplyError;
use crate::http::Request;
use crate::http::USER_AGENT;
use crate::http::base64url::base64url_encode;
use crate::http::request::{Method, Out, build};
use crate::json::field::object_fields;
use crate::limits::{SCOPES, SHORT, TOKEN};
use crate::text::Text;

/// Headers of a form `POST` to `id.kick.com` (the docs: `Content-Type:
/// application/x-www-form-urlencoded`).
const FORM_POST: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("content-type", "application/x-www-form-urlencoded"),
    ("user-agent", USER_AGENT),
];

/// The length of a PKCE S256 challenge: 32 bytes of SHA-256 in base64url, unpadded.
pub const CODE_CHALLENGE_LEN: usize = 43;

/// The PKCE S256 code challenge (RFC 7636 section 4.2) from the SHA-256 digest of the code
/// verifier: the digest in base64url without padding. Hash with your own SHA-256.
///
/// ```
/// use kickwire_proto::http::official::{CODE_CHALLENGE_LEN, code_challenge};
/// // RFC 7636 appendix B: SHA-256 of "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".
/// let digest = [
///     19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173,
///     109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195,
/// ];
/// let mut buf = [0u8; CODE_CHALLENGE_LEN];
/// assert_eq!(code_challenge(&digest, &mut buf), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// ```
#[must_use]
pub fn code_challenge<'b>(sha256: &[u8; 32], buf: &'b mut [u8; CODE_CHALLENGE_LEN]) -> &'b str {
    let mut out = Out::new(buf);
    base64url_encode(sha256, &mut out);
    // 32 bytes are exactly 43 characters: it always fits.
    out.into_str().unwrap_or_default()
}

/// An app's credentials. `Debug` hides the secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Client<'a> {
    /// The client id.
    pub id: &'a str,
    /// The client secret.
    pub secret: &'a str,
}

impl core::fmt::Debug for Client<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// What the authorize URL carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorize<'a> {
    /// The app's client id.
    pub client_id: &'a str,
    /// Where Kick sends the browser back: exactly as registered with the app.
    pub redirect_uri: &'a str,
    /// The scopes asked for (sent space-separated).
    pub scopes: &'a [&'a str],
    /// A random value, checked when the browser comes back.
    pub state: &'a str,
    /// [`code_challenge`] of the code verifier.
    pub code_challenge: &'a str,
}

/// The URL to open in a browser: `https://id.kick.com/oauth/authorize?response_type=code&…`
/// with every value percent-encoded.
///
/// ```
/// use kickwire_proto::http::official::{Authorize, authorize_url};
/// let mut buf = [0u8; 512];
/// let url = authorize_url(&Authorize {
///     client_id: "01ABC",
///     redirect_uri: "http://127.0.0.1:8910/callback",
///     scopes: &["user:read", "chat:write"],
///     state: "s1",
///     code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
/// }, &mut buf)?;
/// assert_eq!(url, "https://id.kick.com/oauth/authorize?response_type=code&client_id=01ABC\
///     &redirect_uri=http%3A%2F%2F127.0.0.1%3A8910%2Fcallback&scope=user%3Aread%20chat%3Awrite\
///     &state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
/// # Ok::<(), kickwire_proto::http::official::OfficialRequestError>(())
/// ```
///
/// # Errors
/// [`OfficialRequestError::BufferTooSmall`]; [`OfficialRequestError::Empty`] without a client
/// id, state or challenge.
pub fn authorize_url<'b>(
    a: &Authorize<'_>,
    buf: &'b mut [u8],
) -> Result<&'b str, OfficialRequestError> {
    for (what, v) in [
        ("client id", a.client_id),
        ("state", a.state),
        ("code challenge", a.code_challenge),
    ] {
        if v.is_empty() {
            return Err(OfficialRequestError::Empty { what });
        }
    }
    let mut out = Out::new(buf);
    out.str(OAUTH_BASE);
    out.str("/oauth/authorize?");
    pairs(
        &[
            ("response_type", "code"),
            ("client_id", a.client_id),
            ("redirect_uri", a.redirect_uri),
        ],
        &mut out,
    );
    out.str("&scope=");
    for (i, scope) in a.scopes.iter().enumerate() {
        if i > 0 {
            out.str("%20");
        }
        super::form::percent_encode(scope, &mut out);
    }
    out.str("&");
    pairs(
        &[
            ("state", a.state),
            ("code_challenge", a.code_challenge),
            ("code_challenge_method", "S256"),
        ],
        &mut out,
    );
    out.into_str()
        .map_err(|required| OfficialRequestError::BufferTooSmall { required })
}

/// A form `POST` to `https://id.kick.com/oauth/token`: the grant's fields, then the client's
/// id and secret (every grant sends them: Kick has no public-client flow).
fn token_form<'b>(
    grant: &[(&str, &str)],
    client: &Client<'_>,
    buf: &'b mut [u8],
) -> Result<Request<'b>, OfficialRequestError> {
    build(
        buf,
        Method::Post,
        FORM_POST,
        |o| {
            o.str(OAUTH_BASE);
            o.str("/oauth/token");
        },
        |o| {
            pairs(grant, o);
            o.str("&");
            pairs(
                &[("client_id", client.id), ("client_secret", client.secret)],
                o,
            );
        },
    )
    .map_err(Into::into)
}

/// The token request for the code the browser brought back: `POST https://id.kick.com/oauth/token`
/// with `grant_type=authorization_code`, `code`, `redirect_uri` (the same as in the authorize
/// URL), `code_verifier`, `client_id` and `client_secret`. Its body holds the client secret.
///
/// # Errors
/// [`OfficialRequestError::BufferTooSmall`].
pub fn token_by_code_request<'b>(
    client: &Client<'_>,
    code: &str,
    redirect_uri: &str,
    code_verifier: &str,
    buf: &'b mut [u8],
) -> Result<Request<'b>, OfficialRequestError> {
    token_form(
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
        ],
        client,
        buf,
    )
}

/// The refresh request: `POST https://id.kick.com/oauth/token` with
/// `grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret`. Kick answers
/// with a new access token and a new refresh token.
///
/// # Errors
/// [`OfficialRequestError::BufferTooSmall`].
pub fn refresh_request<'b>(
    client: &Client<'_>,
    refresh_token: &str,
    buf: &'b mut [u8],
) -> Result<Request<'b>, OfficialRequestError> {
    token_form(
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
        client,
        buf,
    )
}

/// The app token request (client credentials): `POST https://id.kick.com/oauth/token` with
/// `grant_type=client_credentials`, `client_id`, `client_secret`.
///
/// # Errors
/// [`OfficialRequestError::BufferTooSmall`].
pub fn client_credentials_request<'b>(
    client: &Client<'_>,
    buf: &'b mut [u8],
) -> Result<Request<'b>, OfficialRequestError> {
    token_form(&[("grant_type", "client_credentials")], client, buf)
}

/// Which kind of token is revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenHint {
    /// An access token.
    Access,
    /// A refresh token.
    Refresh,
}

/// The revoke request: `POST https://id.kick.com/oauth/revoke?token=…&token_hint_type=…`. Kick's
/// docs put both in the query and name the hint `token_hint_type` (RFC 7009 says
/// `token_type_hint`, in a form body): this follows Kick's docs, with an empty form body.
///
/// # Errors
/// [`OfficialRequestError::BufferTooSmall`]; [`OfficialRequestError::Empty`] for an empty token.
pub fn revoke_request<'b>(
    token: &str,
    hint: TokenHint,
    buf: &'b mut [u8],
) -> Result<Request<'b>, OfficialRequestError> {
    if token.is_empty() {
        return Err(OfficialRequestError::Empty { what: "token" });
    }
    let hint = match hint {
        TokenHint::Access => "access_token",
        TokenHint::Refresh => "refresh_token",
    };
    build(
        buf,
        Method::Post,
        FORM_POST,
        |o| {
            o.str(OAUTH_BASE);
            o.str("/oauth/revoke?");
            pairs(&[("token", token), ("token_hint_type", hint)], o);
        },
        |_| {},
    )
    .map_err(Into::into)
}

/// Reads the revoke reply: any 2xx (the docs show `200 OK` with a plain-text body).
///
/// # Errors
/// The reply's [`ApiError`].
pub fn parse_revoke(reply: &ApiReply<'_>) -> Result<(), ApiError> {
    check(reply)
}

/// A token from `id.kick.com/oauth/token`. `Debug` hides both tokens; it is not serialized.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct OAuthToken {
    /// The access token, for `Authorization: Bearer`. Never cut: a longer one than
    /// [`TOKEN`] is refused.
    pub access_token: Text<TOKEN>,
    /// `Bearer`, as Kick says it.
    pub token_type: Text<SHORT>,
    /// The refresh token (empty for an app token). Never cut.
    pub refresh_token: Text<TOKEN>,
    /// Seconds until the access token expires, if the reply says (a number or a numeric
    /// string).
    pub expires_in: Option<u32>,
    /// The scopes granted, space-separated.
    pub scope: Text<SCOPES>,
}

impl core::fmt::Debug for OAuthToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OAuthToken")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type.as_str())
            .field("refresh_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope.as_str())
            .finish()
    }
}

object_fields!(OAuthToken {
    b"access_token" => access_token,
    b"token_type" => token_type,
    b"refresh_token" => refresh_token,
    b"expires_in" => expires_in,
    b"scope" => scope,
});

/// Reads a token reply (`{"access_token":…,"token_type":…,"refresh_token":…,"expires_in":…,
/// "scope":…}`), for each of the three grants.
///
/// ```
/// use kickwire_proto::http::official::{ApiReply, parse_oauth_token};
/// let body = br#"{"access_token":"AT","token_type":"Bearer","refresh_token":"RT","expires_in":7200,"scope":"user:read chat:write"}"#;
/// let t = parse_oauth_token(&ApiReply::new(200, body))?;
/// assert_eq!((t.access_token.as_str(), t.refresh_token.as_str(), t.expires_in), ("AT", "RT", Some(7200)));
/// assert!(!format!("{t:?}").contains("AT"));
/// # Ok::<(), kickwire_proto::http::official::ApiError>(())
/// ```
///
/// # Errors
/// The reply's [`ApiError`] (OAuth's `error` for a 400); [`ApiError::Body`] (not JSON);
/// [`ApiError::Body`] without `access_token`; [`ApiError::Body`] for a token longer than
/// [`TOKEN`].
pub fn parse_oauth_token(reply: &ApiReply<'_>) -> Result<OAuthToken, ApiError> {
    check(reply)?;
    let mut t = OAuthToken::default();
    read(&mut t, reply.body)?;
    if t.access_token.is_truncated() {
        return Err(ApiError::Body(ReplyError::TooLong {
            field: "access_token",
        }));
    }
    if t.refresh_token.is_truncated() {
        return Err(ApiError::Body(ReplyError::TooLong {
            field: "refresh_token",
        }));
    }
    if t.access_token.trim().is_empty() {
        return Err(ApiError::Body(ReplyError::Missing {
            field: "access_token",
        }));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::official::API_REQUEST_BUFFER;
    use crate::limits::API_MESSAGE;

    const CLIENT: Client<'static> = Client {
        id: "01JCLIENT",
        secret: "s3cr3t/+=",
    };

    #[test]
    fn token_requests() {
        let mut buf = [0u8; API_REQUEST_BUFFER];
        let r = token_by_code_request(
            &CLIENT,
            "CODE1",
            "http://127.0.0.1:8910/callback",
            "verifier-._~",
            &mut buf,
        )
        .unwrap();
        assert_eq!(
            (r.method, r.url),
            (Method::Post, "https://id.kick.com/oauth/token")
        );
        assert!(
            r.headers
                .contains(&("content-type", "application/x-www-form-urlencoded"))
        );
        // Written by hand: each value percent-encoded; the grant's fields, then the client's.
        assert_eq!(
            core::str::from_utf8(r.body).unwrap(),
            "grant_type=authorization_code&code=CODE1&redirect_uri=http%3A%2F%2F127.0.0.1%3A8910%2Fcallback&code_verifier=verifier-._~&client_id=01JCLIENT&client_secret=s3cr3t%2F%2B%3D"
        );
        let r = refresh_request(&CLIENT, "R T", &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(r.body).unwrap(),
            "grant_type=refresh_token&refresh_token=R%20T&client_id=01JCLIENT&client_secret=s3cr3t%2F%2B%3D"
        );
        let r = client_credentials_request(&CLIENT, &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(r.body).unwrap(),
            "grant_type=client_credentials&client_id=01JCLIENT&client_secret=s3cr3t%2F%2B%3D"
        );
        let r = revoke_request("A+B", TokenHint::Refresh, &mut buf).unwrap();
        assert_eq!(
            r.url,
            "https://id.kick.com/oauth/revoke?token=A%2BB&token_hint_type=refresh_token"
        );
        assert_eq!(r.body, b"");
        assert_eq!(
            revoke_request("", TokenHint::Access, &mut buf),
            Err(OfficialRequestError::Empty { what: "token" })
        );
        assert!(!std::format!("{CLIENT:?}").contains("s3cr3t"));
    }

    #[test]
    fn authorize_needs_state_and_challenge() {
        let mut buf = [0u8; 512];
        let a = Authorize {
            client_id: "c",
            redirect_uri: "http://127.0.0.1:1/callback",
            scopes: &[],
            state: "",
            code_challenge: "x",
        };
        assert_eq!(
            authorize_url(&a, &mut buf),
            Err(OfficialRequestError::Empty { what: "state" })
        );
        let a = Authorize { state: "s", ..a };
        let mut small = [0u8; 10];
        assert!(matches!(
            authorize_url(&a, &mut small),
            Err(OfficialRequestError::BufferTooSmall { .. })
        ));
    }

    #[test]
    fn token_replies() {
        // The docs' shape, with `expires_in` as the string the docs' example shows.
        let t = parse_oauth_token(&ApiReply::new(
            200,
            br#"{"access_token":"NZA","token_type":"Bearer","refresh_token":"MDE","expires_in":"3600","scope":"chat:write"}"#,
        ))
        .unwrap();
        assert_eq!(
            (
                t.access_token.as_str(),
                t.token_type.as_str(),
                t.refresh_token.as_str(),
                t.expires_in,
                t.scope.as_str()
            ),
            ("NZA", "Bearer", "MDE", Some(3600), "chat:write")
        );
        // An app token (client credentials): no refresh token.
        let t = parse_oauth_token(&ApiReply::new(
            200,
            br#"{"access_token":"APP","token_type":"Bearer","expires_in":5184000}"#,
        ))
        .unwrap();
        assert_eq!(
            (t.refresh_token.as_str(), t.expires_in),
            ("", Some(5_184_000))
        );
        assert_eq!(
            parse_oauth_token(&ApiReply::new(200, br#"{"token_type":"Bearer"}"#)),
            Err(ApiError::Body(ReplyError::Missing {
                field: "access_token"
            }))
        );
        let long = std::format!(r#"{{"access_token":"{}"}}"#, "a".repeat(TOKEN + 1));
        assert_eq!(
            parse_oauth_token(&ApiReply::new(200, long.as_bytes())),
            Err(ApiError::Body(ReplyError::TooLong {
                field: "access_token"
            }))
        );
        assert_eq!(
            parse_oauth_token(&ApiReply::new(400, br#"{"error":"Invalid request"}"#)),
            Err(ApiError::OAuth {
                status: 400,
                message: Text::<API_MESSAGE>::from_str_truncating("Invalid request"),
            })
        );
        assert!(matches!(
            parse_oauth_token(&ApiReply::new(200, b"{\"access_token\":")),
            Err(ApiError::Body(ReplyError::Malformed { .. }))
        ));
        assert_eq!(parse_revoke(&ApiReply::new(200, b"OK")), Ok(()));
    }
}
