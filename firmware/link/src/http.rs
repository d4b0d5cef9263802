//! A minimal blocking HTTP/1.1 client over [`net`](crate::net) (feature `std`): one request
//! with `Connection: close`, the whole reply read, its body de-chunked. Enough for Kick's JSON
//! lookups (channel, transport, guest token) and a test server's API; nothing more.
//!
//! ```no_run
//! use std::time::Duration;
//! use kickwire_link::http;
//! use kickwire_link::net::Connector;
//!
//! let connector = Connector::new(Duration::from_secs(8));
//! let reply = http::request(&connector, "GET", "https://kick.com/api/v2/channels/x", &[], b"")?;
//! println!("{} {:?}", reply.status, reply.header("content-type"));
//! # Ok::<(), String>(())
//! ```

use std::format;
use std::io::{self, Read, Write};
use std::string::{String, ToString};
use std::vec::Vec;

use crate::net::Connector;
use crate::url::{Url, UrlError};

/// Bodies larger than this are refused (Kick's replies are a few KB).
pub const MAX_REPLY: usize = 4 << 20;

/// One HTTP response, read to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The header fields in order, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (any ASCII case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request to `url` (`http://` or `https://`) with `headers` and `body` (with its
/// `Content-Length` when there is one, or for a POST), and reads the whole reply.
///
/// # Errors
/// A message naming the host: a bad URL, connecting, sending or reading failed, the reply is
/// larger than [`MAX_REPLY`] or is not HTTP/1.x.
pub fn request(
    connector: &Connector,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Response, String> {
    let u = Url::parse_http(url).map_err(|e| match e {
        UrlError::Scheme => format!("'{url}' is not an http:// or https:// URL"),
        e => format!("{url}: {e}"),
    })?;
    let mut s = connector
        .connect(u.host, u.port, u.tls)
        .map_err(|e| e.to_string())?;
    let mut head = format!(
        "{method} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        u.target, u.authority
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    s.write_all(&bytes)
        .and_then(|()| s.flush())
        .map_err(|e| format!("sending to {}: {e}", u.host))?;
    let raw = read_to_end(&mut s).map_err(|e| format!("reading from {}: {e}", u.host))?;
    parse_response(&raw).ok_or_else(|| format!("{} sent a malformed HTTP reply", u.host))
}

/// Reads until the peer closes, at most [`MAX_REPLY`] bytes.
fn read_to_end(s: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => return Ok(raw),
            Ok(n) => raw.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            // A TLS peer that closes without close_notify: what arrived is the reply.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(raw),
            Err(e) => return Err(e),
        }
        if raw.len() > MAX_REPLY {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the reply is larger than {MAX_REPLY} bytes"),
            ));
        }
    }
}

/// Splits a whole HTTP/1.x reply into status, headers and body (de-chunked when it says
/// `Transfer-Encoding: chunked`); `None` when it is not one.
///
/// ```
/// use kickwire_link::http::parse_response;
/// let r = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").unwrap();
/// assert_eq!((r.status, r.body.as_slice()), (200, &b"{}"[..]));
/// ```
#[must_use]
pub fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = core::str::from_utf8(raw.get(..end)?).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = raw.get(end.checked_add(4)?..)?;
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Some(Response {
        status,
        headers,
        body,
    })
}

/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 section 7.1; extensions and
/// trailers ignored); `None` when it is cut short or malformed.
///
/// ```
/// use kickwire_link::http::dechunk;
/// assert_eq!(dechunk(b"4\r\nJust\r\n6;x=y\r\n a mom\r\n0\r\n\r\n").unwrap(), b"Just a mom");
/// assert_eq!(dechunk(b"4\r\nJu"), None);
/// ```
#[must_use]
pub fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    // Bounded by the input: every round consumes at least the size line.
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = core::str::from_utf8(rest.get(..eol)?).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        rest = rest.get(eol.checked_add(2)?..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size.checked_add(2)?..)?;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_chunked_replies() {
        let raw = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nCF-Mitigated: challenge\r\n\r\n4\r\nJust\r\n6\r\n a mom\r\n0\r\n\r\n";
        let r = parse_response(raw).unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.header("cf-mitigated"), Some("challenge"));
        assert_eq!(r.body, b"Just a mom");
    }

    #[test]
    fn http_urls_split_with_their_default_ports() {
        let u = Url::parse_http("https://kick.com/api/v2/channels/x?a=1").unwrap();
        assert_eq!(
            (u.tls, u.host, u.port, u.authority, u.target),
            (true, "kick.com", 443, "kick.com", "/api/v2/channels/x?a=1")
        );
        let u = Url::parse_http("http://127.0.0.1:6001").unwrap();
        assert_eq!(
            (u.tls, u.host, u.port, u.target),
            (false, "127.0.0.1", 6001, "/")
        );
        assert_eq!(Url::parse_http("ws://h/"), Err(UrlError::Scheme));
        assert_eq!(Url::parse_http("http://:80/"), Err(UrlError::NoHost));
    }

    #[test]
    fn refuses_what_is_not_a_reply() {
        assert_eq!(parse_response(b"HTTP/1.1 200 OK\r\nno end of head"), None);
        assert_eq!(parse_response(b"garbage\r\n\r\n"), None);
        let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nshort\r\n";
        assert_eq!(parse_response(cut), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }
}
