//! What a reply from Kick's official API meant when it was not the answer asked for, and the
//! status check every parser makes first.
//!
//! Kick's REST errors carry a `message` (`{"data":{},"message":"Channel not found"}`); its
//! OAuth server answers `{"error":"Invalid request"}`, and in OAuth's own shape (RFC 6749
//! section 5.2) `error` with `error_description`. Both are read from any error reply.

use super::ApiReply;
use crate::describe::Describe;
use crate::http::ReplyError;
use crate::json::field::object_fields;
use crate::limits::{API_MESSAGE, REASON};
use crate::text::Text;

/// Kick's scopes (KickDevDocs `scopes/scopes.md`): a 403 whose message names one of these
/// names it in [`ApiError::Forbidden`].
const SCOPES: &[&str] = &[
    "moderation:chat_message:manage",
    "channel:rewards:write",
    "channel:rewards:read",
    "streamkey:read",
    "events:subscribe",
    "moderation:ban",
    "channel:write",
    "channel:read",
    "chat:write",
    "kicks:read",
    "user:read",
];

/// Why a call to Kick's official API failed.
///
/// `Display` says what to do: refresh, add a scope, check the broadcaster, wait.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiError {
    /// 401: the token expired or was revoked. Refresh it ([`refresh_request`](super::refresh_request))
    /// and try once more; if that fails too, log in again.
    Unauthorized {
        /// Kick's `message` (or OAuth's `error`), possibly cut.
        message: Text<API_MESSAGE>,
    },
    /// 403: the token lacks a scope (or the app is not allowed to do this).
    Forbidden {
        /// The scope Kick named in its message, if it named one of its scopes.
        scope: Option<&'static str>,
        /// Kick's `message`, possibly cut.
        message: Text<API_MESSAGE>,
    },
    /// 404: Kick's "Channel not found" (or another not-found). When sending chat, Kick
    /// answers this for a wrong broadcaster id, and also to apps that are new (KickDevDocs
    /// issue 143).
    NotFound {
        /// Kick's `message`, possibly cut.
        message: Text<API_MESSAGE>,
    },
    /// 429: rate limited. Kick does not publish its limits (KickDevDocs issue 311).
    RateLimited {
        /// `Retry-After` in seconds, when the reply had one in seconds (an HTTP date is not
        /// read).
        retry_after_secs: Option<u32>,
    },
    /// An OAuth error reply from `id.kick.com` (`error`, `error_description`).
    OAuth {
        /// The HTTP status.
        status: u16,
        /// `error`, then `: error_description` when there is one; possibly cut.
        message: Text<API_MESSAGE>,
    },
    /// Any other status outside 2xx.
    Status {
        /// The HTTP status.
        status: u16,
        /// Kick's `message` (empty when the body had none), possibly cut.
        message: Text<API_MESSAGE>,
    },
    /// A 2xx whose body is not the answer asked for, as proto's other parsers say it:
    /// [`ReplyError::Malformed`] (not JSON), [`ReplyError::Missing`] (a member the answer cannot
    /// do without), [`ReplyError::TooLong`] (a token over its capacity, refused rather than cut).
    Body(ReplyError),
}

impl ApiError {
    /// Whether refreshing the token and trying once more may help (a 401).
    #[must_use]
    pub const fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }
}

impl Describe for ApiError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        let quoted = |out: &mut dyn FnMut(crate::describe::Piece<'_>), m: &str| {
            if !m.is_empty() {
                out(Text(" (Kick says: \""));
                out(Text(m));
                out(Text("\")"));
            }
        };
        match self {
            Self::Unauthorized { message } => {
                out(Text("HTTP 401: the token expired or was revoked"));
                quoted(out, message.as_str());
                out(Text("; refresh it, or log in again"));
            }
            Self::Forbidden { scope, message } => {
                out(Text("HTTP 403: the token lacks a scope"));
                if let Some(scope) = scope {
                    out(Text(" ("));
                    out(Text(scope));
                    out(Text(")"));
                }
                quoted(out, message.as_str());
                out(Text("; log in again with the scope added"));
            }
            Self::NotFound { message } => {
                out(Text("HTTP 404"));
                quoted(out, message.as_str());
                out(Text(
                    ": the broadcaster id may be wrong; Kick also answers \"Channel not found\" to apps that are new",
                ));
            }
            Self::RateLimited { retry_after_secs } => {
                out(Text("HTTP 429: rate limited by Kick"));
                match retry_after_secs {
                    Some(s) => {
                        out(Text("; retry after "));
                        out(Number(u64::from(*s)));
                        out(Text(" s"));
                    }
                    None => out(Text("; wait a little and retry")),
                }
            }
            Self::OAuth { status, message } => {
                out(Text("Kick's OAuth server answered HTTP "));
                out(Number(u64::from(*status)));
                out(Text(": "));
                out(Text(message.as_str()));
            }
            Self::Status { status, message } => {
                out(Text("Kick answered HTTP "));
                out(Number(u64::from(*status)));
                quoted(out, message.as_str());
            }
            Self::Body(e) => e.describe(out),
        }
    }
}

crate::describe::display_by_describe!(ApiError);

impl core::error::Error for ApiError {}

/// The members an error reply may have.
#[derive(Default)]
struct ErrorBody {
    message: Text<REASON>,
    error: Text<REASON>,
    error_description: Text<REASON>,
}
object_fields!(ErrorBody {
    b"message" => message,
    b"error" => error,
    b"error_description" => error_description,
});

/// `Retry-After` in seconds (RFC 9110 section 10.2.3: delay-seconds; an HTTP date is not
/// read).
fn retry_after_secs(value: Option<&str>) -> Option<u32> {
    let v = value?.trim();
    if v.is_empty() || v.len() > 9 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// The first of Kick's scopes named in `message`.
fn scope_in(message: &str) -> Option<&'static str> {
    SCOPES.iter().copied().find(|s| message.contains(s))
}

/// The check every parser makes first: a 2xx passes, anything else is its [`ApiError`].
pub(super) fn check(reply: &ApiReply<'_>) -> Result<(), ApiError> {
    if (200..=299).contains(&reply.status) {
        return Ok(());
    }
    // A body that is not JSON (an HTML error page, "OK") leaves every member empty.
    let mut body = ErrorBody::default();
    let _ = super::super::reply::read_body(&mut body, reply.body);
    let ErrorBody {
        message,
        error,
        error_description,
    } = body;
    // Kick's REST errors say `message`; its OAuth server `error`.
    let scope = scope_in(message.as_str()).or_else(|| scope_in(error_description.as_str()));
    let oauth = !error.is_empty();
    let mut joined = Text::<API_MESSAGE>::new();
    if message.is_empty() {
        joined.push_str(error.as_str());
        if !error_description.is_empty() {
            joined.push_str(": ");
            joined.push_str(error_description.as_str());
        }
    } else {
        joined.push_str(message.as_str());
    }
    let message = joined;
    Err(match reply.status {
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { scope, message },
        404 => ApiError::NotFound { message },
        429 => ApiError::RateLimited {
            retry_after_secs: retry_after_secs(reply.retry_after),
        },
        status if oauth => ApiError::OAuth { status, message },
        status => ApiError::Status { status, message },
    })
}

/// Reads a whole JSON body into `v` ([`ReplyError::Malformed`] when it is not JSON).
pub(super) fn read<T: crate::json::field::Field>(v: &mut T, body: &[u8]) -> Result<(), ApiError> {
    super::super::reply::read_body(v, body).map_err(ApiError::Body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    fn err(status: u16, retry: Option<&str>, body: &str) -> ApiError {
        check(&ApiReply::new(status, body.as_bytes()).with_retry_after(retry)).unwrap_err()
    }

    #[test]
    fn documented_errors() {
        assert_eq!(check(&ApiReply::new(204, b"")), Ok(()));
        let e = err(401, None, r#"{"data":{},"message":"Unauthorized"}"#);
        assert!(e.is_unauthorized());
        assert_eq!(
            e.to_string(),
            "HTTP 401: the token expired or was revoked (Kick says: \"Unauthorized\"); refresh it, or log in again"
        );
        let e = err(
            403,
            None,
            r#"{"data":{},"message":"missing required scope: chat:write"}"#,
        );
        assert_eq!(
            e,
            ApiError::Forbidden {
                scope: Some("chat:write"),
                message: Text::from_str_truncating("missing required scope: chat:write")
            }
        );
        assert!(e.to_string().contains("(chat:write)"));
        // A scope that contains another's name is found whole.
        let e = err(
            403,
            None,
            r#"{"message":"requires moderation:chat_message:manage"}"#,
        );
        assert!(matches!(
            e,
            ApiError::Forbidden {
                scope: Some("moderation:chat_message:manage"),
                ..
            }
        ));
        let e = err(403, None, r#"{"message":"Forbidden"}"#);
        assert!(matches!(e, ApiError::Forbidden { scope: None, .. }));
        let e = err(404, None, r#"{"data":{},"message":"Channel not found"}"#);
        assert_eq!(
            e.to_string(),
            "HTTP 404 (Kick says: \"Channel not found\"): the broadcaster id may be wrong; Kick also answers \"Channel not found\" to apps that are new"
        );
        assert_eq!(
            err(429, Some(" 30 "), "{}"),
            ApiError::RateLimited {
                retry_after_secs: Some(30)
            }
        );
        assert_eq!(
            err(429, Some("Wed, 21 Oct 2026 07:28:00 GMT"), ""),
            ApiError::RateLimited {
                retry_after_secs: None
            }
        );
        assert_eq!(
            err(429, Some("30"), "").to_string(),
            "HTTP 429: rate limited by Kick; retry after 30 s"
        );
        // The OAuth server: Kick's documented `{"error":"Invalid request"}`, and RFC 6749's shape.
        assert_eq!(
            err(400, None, r#"{"error":"Invalid request"}"#).to_string(),
            "Kick's OAuth server answered HTTP 400: Invalid request"
        );
        assert_eq!(
            err(
                400,
                None,
                r#"{"error":"invalid_grant","error_description":"code expired"}"#
            )
            .to_string(),
            "Kick's OAuth server answered HTTP 400: invalid_grant: code expired"
        );
        assert_eq!(
            err(500, None, "<html>oops</html>"),
            ApiError::Status {
                status: 500,
                message: Text::new()
            }
        );
        assert_eq!(
            err(500, None, "<html>").to_string(),
            "Kick answered HTTP 500"
        );
    }
}
