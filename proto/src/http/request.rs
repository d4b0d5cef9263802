//! Writing a request: the method, the URL and the body into a caller's buffer, with the headers
//! each kind of request sends. Nothing is sent from here.

use super::{KICK_ORIGIN, RequestError, USER_AGENT};

/// Headers of a `GET` that wants JSON.
pub(super) const GET_JSON: &[(&str, &str)] =
    &[("accept", "application/json"), ("user-agent", USER_AGENT)];

/// Headers of a `GET` to `web.kick.com/api/v1/…` (the chat history): as the realtime `POST`s,
/// with the origin and referer of Kick's own page.
pub(super) const GET_KICK_JSON: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("origin", KICK_ORIGIN),
    ("referer", "https://kick.com/"),
    ("user-agent", USER_AGENT),
];

/// Headers of a JSON `POST` to `web.kick.com/api/v1/realtime/…`: Kick checks the origin
/// (kicksdk 0.2.0 `src/realtime/mod.rs`, `kick_origin`; Xtra-Kick `KICK_API_REFERENCE.md` §3 adds
/// the referer).
pub(super) const POST_KICK_JSON: &[(&str, &str)] = &[
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
    /// `POST`, with a JSON body (a form for Kick's OAuth server).
    Post,
    /// `DELETE`, no body (Kick's official API: removing an event subscription).
    Delete,
}

impl Method {
    /// `"GET"`, `"POST"` or `"DELETE"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
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
    /// Header names (lower case) and values; see the [module docs](super) for which ones a
    /// browser host must leave out.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body: JSON for a `POST`, empty for a `GET`.
    pub body: &'a [u8],
}

// Requests are written with the crate's one writer; what does not fit is a `RequestError`
// saying how much room the request needs.
pub(super) use crate::write::Writer as Out;

/// The text `out` wrote, or how much room it needed.
pub(super) fn finish(out: Out<'_>) -> Result<&str, RequestError> {
    out.into_str()
        .map_err(|required| RequestError::BufferTooSmall { required })
}

/// Builds a request in `buf`: the URL first, the body right after it.
pub(super) fn build<'b>(
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
        let mut buf = [0u8; 0];
        let mut out = Out::new(&mut buf);
        out.str("");
        assert_eq!(finish(out), Ok(""));
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
}
