//! Writing a request: the method, the URL and the body into a caller's buffer, with the headers
//! each kind of request sends. Nothing is sent from here.

use super::{KICK_ORIGIN, RequestError, USER_AGENT};

/// Headers of a `GET` that wants JSON.
pub(super) const GET_JSON: &[(&str, &str)] =
    &[("accept", "application/json"), ("user-agent", USER_AGENT)];

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
    /// Header names (lower case) and values; see the [module docs](super) for which ones a
    /// browser host must leave out.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body: JSON for a `POST`, empty for a `GET`.
    pub body: &'a [u8],
}

/// Writes ASCII pieces into a caller's buffer, counting what would be needed when it is full.
pub(super) struct Out<'b> {
    buf: &'b mut [u8],
    /// Bytes written (all of them while nothing overflowed).
    len: usize,
    /// Bytes the whole text needs.
    required: usize,
}

impl<'b> Out<'b> {
    pub(super) fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            required: 0,
        }
    }

    pub(super) fn push(&mut self, s: &str) {
        let start = self.required;
        self.required = self.required.saturating_add(s.len());
        if start != self.len {
            return; // already overflowed: only count
        }
        if let Some(dst) = self.buf.get_mut(start..self.required) {
            dst.copy_from_slice(s.as_bytes());
            self.len = self.required;
        }
    }

    pub(super) fn push_u64(&mut self, n: u64) {
        let mut digits = [0u8; crate::decimal::U64_DIGITS];
        self.push(crate::decimal::u64_str(n, &mut digits));
    }

    fn overflowed(&self) -> bool {
        self.len != self.required
    }

    /// The text written, or how much room it needed.
    pub(super) fn finish(self) -> Result<&'b str, RequestError> {
        let too_small = RequestError::BufferTooSmall {
            required: self.required,
        };
        if self.overflowed() {
            return Err(too_small);
        }
        let written = self.buf.get(..self.len).ok_or(too_small)?;
        // Only whole `&str`s were copied in, so this is UTF-8.
        core::str::from_utf8(written).map_err(|_| too_small)
    }
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
    let (url_len, url_required) = (out.len, out.required);
    let split = url_len.min(buf.len());
    let (head, tail) = buf.split_at_mut(split);
    let mut out = Out::new(tail);
    body(&mut out);
    if url_len != url_required || out.overflowed() {
        return Err(RequestError::BufferTooSmall {
            required: url_required.saturating_add(out.required),
        });
    }
    let body = out.finish()?;
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
        out.push("ab");
        out.push("cde");
        out.push_u64(12);
        assert_eq!(
            out.finish(),
            Err(RequestError::BufferTooSmall { required: 7 })
        );
        let mut buf = [0u8; 0];
        let mut out = Out::new(&mut buf);
        out.push("");
        assert_eq!(out.finish(), Ok(""));
    }

    #[test]
    fn build_reports_url_and_body_together() {
        for size in 0..12 {
            let mut buf = std::vec![0u8; size];
            let r = build(
                &mut buf,
                Method::Post,
                GET_JSON,
                |o| o.push("https://x"),
                |o| o.push("{}"),
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
