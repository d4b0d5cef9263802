//! The HTTP/1.1 part: reading a request head, the WebSocket upgrade answer (RFC 6455 section
//! 4.2.2), and plain requests with their bounded body handed to the [`HttpHandler`](super::HttpHandler).

/// Request heads longer than this are refused (431): a browser's head is well under 8 KiB.
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// Request bodies larger than this are refused (413).
pub const MAX_BODY: usize = 64 * 1024;

/// A plain (non-upgrade) HTTP request, as the [`HttpHandler`](super::HttpHandler) sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, ... as sent.
    pub method: String,
    /// The request target's path, without the query (`/metrics`).
    pub path: String,
    /// The query after `?`, without it (empty when there is none).
    pub query: String,
    /// The headers in their order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (at most [`MAX_BODY`] bytes; `Content-Length` only, no chunked bodies).
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name` (compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The answer to a plain HTTP request. The connection is closed after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code (200, 404, ...).
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with any content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
        }
    }

    /// A `text/plain; charset=utf-8` response.
    ///
    /// ```
    /// use kickwire_cli::endpoint::Response;
    /// let ok = Response::text(200, "ok\n");
    /// assert_eq!(ok.body, b"ok\n");
    /// ```
    pub fn text(status: u16, body: &str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", body)
    }

    /// The bytes on the wire: status line, headers, `Connection: close`, body.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A parsed request head.
#[derive(Debug)]
pub(super) struct Head {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: String,
    pub(super) headers: Vec<(String, String)>,
    /// Bytes the head took, blank line included.
    pub(super) len: usize,
}

/// What the bytes read so far hold.
#[derive(Debug)]
pub(super) enum Parsed {
    /// Not a whole head yet.
    Partial,
    /// A whole head.
    Head(Head),
    /// Not HTTP, or too long: answer with this status and close.
    Refuse(u16),
}

/// Reads a request head from the start of `buf`.
pub(super) fn parse_head(buf: &[u8]) -> Parsed {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if buf.len() > MAX_HEAD {
            Parsed::Refuse(431)
        } else {
            Parsed::Partial
        };
    };
    if end > MAX_HEAD {
        return Parsed::Refuse(431);
    }
    let Some(text) = buf.get(..end).and_then(|h| std::str::from_utf8(h).ok()) else {
        return Parsed::Refuse(400);
    };
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) = (
        request_line.next(),
        request_line.next(),
        request_line.next(),
        request_line.next(),
    ) else {
        return Parsed::Refuse(400);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() {
        return Parsed::Refuse(400);
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Parsed::Refuse(400);
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Parsed::Head(Head {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        len: end.saturating_add(4),
    })
}

impl Head {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the request asks for a WebSocket (`Upgrade: websocket`).
    pub(super) fn is_upgrade(&self) -> bool {
        self.header("upgrade").is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("websocket"))
        })
    }

    /// The body length it announces: `Ok(0)` without a body, `Err(status)` to refuse it.
    pub(super) fn body_len(&self) -> Result<usize, u16> {
        if self.header("transfer-encoding").is_some() {
            return Err(411);
        }
        match self.header("content-length") {
            None => Ok(0),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > MAX_BODY => Err(413),
                Ok(n) => Ok(n),
                Err(_) => Err(400),
            },
        }
    }

    /// The answer to a WebSocket upgrade: the 101 head, or the status to refuse it with.
    /// Pusher's path is `/app/<key>`; any key is taken, the query is ignored.
    pub(super) fn upgrade_answer(&self) -> Result<String, u16> {
        let key_ok = self
            .path
            .strip_prefix("/app/")
            .is_some_and(|k| !k.is_empty() && !k.contains('/'));
        if !key_ok {
            return Err(404);
        }
        if self.method != "GET" {
            return Err(405);
        }
        if self.header("sec-websocket-version") != Some("13") {
            return Err(426);
        }
        let Some(key) = self.header("sec-websocket-key") else {
            return Err(400);
        };
        Ok(format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
            accept_key(key)
        ))
    }

    pub(super) fn into_request(self, body: Vec<u8>) -> Request {
        Request {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body,
        }
    }
}

/// `Sec-WebSocket-Accept`: base64 of the SHA-1 of the key and RFC 6455's GUID.
pub(super) fn accept_key(key: &str) -> String {
    const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(key.as_bytes());
    ctx.update(GUID.as_bytes());
    base64(ctx.finish().as_ref())
}

/// Standard base64 with padding (RFC 4648 section 4), for the 20-byte SHA-1 above.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_matches_rfc_6455_example() {
        // RFC 6455 section 1.3's worked example.
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn base64_pads_as_rfc_4648_says() {
        // RFC 4648 section 10's test vectors.
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn head_is_read_with_query_split_off() {
        let Parsed::Head(head) =
            parse_head(b"GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
        else {
            panic!("not a head")
        };
        assert_eq!(
            (
                head.method.as_str(),
                head.path.as_str(),
                head.query.as_str()
            ),
            ("GET", "/metrics", "x=1")
        );
        assert_eq!(head.len, 57);
        assert_eq!(head.body_len(), Ok(3));
        assert!(matches!(
            parse_head(b"GET / HTTP/1.1\r\nHost"),
            Parsed::Partial
        ));
        assert!(matches!(
            parse_head(b"nonsense\r\n\r\n"),
            Parsed::Refuse(400)
        ));
    }
}
