//! A request to Kick's public API: a [`Request`] plus its `Authorization: Bearer` value, both
//! written into the caller's buffer, and why one could not be built.

use crate::describe::Describe;
use crate::http::request::{Method, Out, build};
use crate::http::{Request, RequestError};

/// Headers of a `GET` (or `DELETE`) to `api.kick.com` that wants JSON.
pub(super) const API_GET: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("user-agent", crate::http::USER_AGENT),
];

/// Headers of a JSON `POST` to `api.kick.com`.
pub(super) const API_POST: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("content-type", "application/json"),
    ("user-agent", crate::http::USER_AGENT),
];

/// A request to `api.kick.com`: send [`request`](Self::request) with one more header,
/// `authorization` set to [`authorization`](Self::authorization).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ApiRequest<'a> {
    /// Method, URL, the fixed headers and the body.
    pub request: Request<'a>,
    /// The value of the `authorization` header: `Bearer <token>`. A secret: never log it.
    pub authorization: &'a str,
}

impl core::fmt::Debug for ApiRequest<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.request.method)
            .field("url", &self.request.url)
            .field("authorization", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Why a request to Kick's official API could not be built. Nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum OfficialRequestError {
    /// The buffer is too small; `required` bytes would do
    /// ([`API_REQUEST_BUFFER`](super::API_REQUEST_BUFFER) always does).
    BufferTooSmall {
        /// Bytes needed.
        required: usize,
    },
    /// A chat message longer than Kick's limit of
    /// [`CHAT_MAX_CHARS`](super::CHAT_MAX_CHARS) characters (characters, not bytes).
    MessageTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// An empty (or blank) chat message.
    EmptyMessage,
    /// A `user` message needs the broadcaster's user id (Kick's `broadcaster_user_id`).
    NoBroadcaster,
    /// A token that is empty or holds characters an HTTP header cannot carry.
    InvalidToken,
    /// An empty value where one is needed (a slug, a subscription id, an event list).
    Empty {
        /// What was empty.
        what: &'static str,
    },
}

impl From<RequestError> for OfficialRequestError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::BufferTooSmall { required } => Self::BufferTooSmall { required },
            RequestError::InvalidSlug => Self::Empty { what: "slug" },
            RequestError::NoProviders => Self::Empty { what: "providers" },
        }
    }
}

impl Describe for OfficialRequestError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::BufferTooSmall { required } => RequestError::BufferTooSmall {
                required: *required,
            }
            .describe(out),
            Self::MessageTooLong { chars } => {
                out(Text("the message has "));
                out(Number(*chars as u64));
                out(Text(" characters; Kick takes at most "));
                out(Number(super::CHAT_MAX_CHARS as u64));
                out(Text(" (nothing was sent)"));
            }
            Self::EmptyMessage => out(Text("the message is empty (nothing was sent)")),
            Self::NoBroadcaster => out(Text(
                "a message as the user needs the broadcaster's user id (--channel or --broadcaster)",
            )),
            Self::InvalidToken => out(Text(
                "the stored token is empty or not printable ASCII: log in again",
            )),
            Self::Empty { what } => {
                out(Text("empty "));
                out(Text(what));
            }
        }
    }
}

crate::describe::display_by_describe!(OfficialRequestError);

impl core::error::Error for OfficialRequestError {}

/// Whether `token` can go in a header: visible ASCII, not empty.
fn header_safe(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic())
}

/// Builds an API request in `buf`: `Bearer <token>` first, then the URL and the body.
pub(super) fn build_api<'b>(
    buf: &'b mut [u8],
    token: &str,
    method: Method,
    headers: &'static [(&'static str, &'static str)],
    url: impl FnOnce(&mut Out<'_>),
    body: impl FnOnce(&mut Out<'_>),
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    if !header_safe(token) {
        return Err(OfficialRequestError::InvalidToken);
    }
    const BEARER: &str = "Bearer ";
    let auth_len = BEARER.len().saturating_add(token.len());
    let split = auth_len.min(buf.len());
    let (head, tail) = buf.split_at_mut(split);
    let mut out = Out::new(head);
    out.str(BEARER);
    out.str(token);
    let authorization = match out.into_str() {
        Ok(a) => a,
        Err(_) => {
            // Count what the rest would need too, so that one retry is enough.
            let mut scratch = [0u8; 0];
            let rest = match build(&mut scratch, method, headers, url, body) {
                Err(RequestError::BufferTooSmall { required }) => required,
                _ => 0,
            };
            return Err(OfficialRequestError::BufferTooSmall {
                required: auth_len.saturating_add(rest),
            });
        }
    };
    let request = build(tail, method, headers, url, body).map_err(|e| match e {
        RequestError::BufferTooSmall { required } => OfficialRequestError::BufferTooSmall {
            required: required.saturating_add(auth_len),
        },
        other => other.into(),
    })?;
    Ok(ApiRequest {
        request,
        authorization,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_then_url_and_body() {
        let need = "Bearer tok".len() + "https://x".len() + "{}".len();
        for size in 0..=need + 2 {
            let mut buf = std::vec![0u8; size];
            let r = build_api(
                &mut buf,
                "tok",
                Method::Post,
                API_POST,
                |o| o.str("https://x"),
                |o| o.str("{}"),
            );
            if size >= need {
                let r = r.unwrap();
                assert_eq!(
                    (r.authorization, r.request.url, r.request.body),
                    ("Bearer tok", "https://x", &b"{}"[..])
                );
            } else {
                assert_eq!(
                    r,
                    Err(OfficialRequestError::BufferTooSmall { required: need }),
                    "size {size}"
                );
            }
        }
        let mut buf = [0u8; 64];
        for bad in ["", "a b", "a\r\nx: y", "é"] {
            assert_eq!(
                build_api(&mut buf, bad, Method::Get, API_GET, |_| {}, |_| {}),
                Err(OfficialRequestError::InvalidToken)
            );
        }
        let mut buf = [0u8; 64];
        let r = build_api(
            &mut buf,
            "SECRET",
            Method::Get,
            API_GET,
            |o| o.str("u"),
            |_| {},
        )
        .unwrap();
        assert!(!std::format!("{r:?}").contains("SECRET"));
    }
}
