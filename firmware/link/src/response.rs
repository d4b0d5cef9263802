//! The server's answer to the upgrade request (RFC 6455 section 4.1, "the client MUST
//! validate the server's response"): status 101, `Upgrade: websocket`, `Connection: upgrade`
//! and the expected `Sec-WebSocket-Accept`, and no extension or sub-protocol the link did not
//! ask for (it asks for none).
//!
//! The head is checked on whatever part of it has arrived, so it may come in any number of
//! reads; what follows it in the same read is the first frames, and stays where it is.
//! Header names are matched ignoring ASCII case, as are the `Upgrade` and `Connection` tokens;
//! the accept value is compared exactly (it is base64, where case matters). Lines may end in
//! CRLF or, as some servers send, a bare LF.

use super::handshake::Accept;

/// Why a response does not open the WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A status other than 101: the server answered, but not with a WebSocket.
    Status(u16),
    /// Not an HTTP/1.x response head.
    Malformed,
    /// No `Upgrade: websocket`.
    Upgrade,
    /// No `Connection` header with the `upgrade` token.
    Connection,
    /// The `Sec-WebSocket-Accept` value is missing or wrong.
    Accept,
    /// The server chose an extension or a sub-protocol, and the link asked for none.
    NotAskedFor,
}

impl Refusal {
    /// The reason given to the connection (a status has its own, with the number).
    pub(crate) const fn reason(self) -> &'static str {
        match self {
            Self::Status(_) => "upgrade refused",
            Self::Malformed => "malformed upgrade response",
            Self::Upgrade => "upgrade response without Upgrade: websocket",
            Self::Connection => "upgrade response without Connection: upgrade",
            Self::Accept => "upgrade response with a wrong Sec-WebSocket-Accept",
            Self::NotAskedFor => "upgrade response with an extension or sub-protocol not asked for",
        }
    }
}

/// Checks the response head at the start of `bytes` against the `accept` value of the key
/// that was sent. `Ok(Some(n))`: accepted, the head is `n` bytes long (frames follow it);
/// `Ok(None)`: the head has not all arrived (and what has is fine so far).
pub(crate) fn check(bytes: &[u8], accept: &Accept) -> Result<Option<usize>, Refusal> {
    let mut lines = Lines { bytes, at: 0 };
    let Some(status) = lines.next() else {
        return Ok(None);
    };
    match status_code(status) {
        Some(101) => {}
        Some(code) => return Err(Refusal::Status(code)),
        None => return Err(Refusal::Malformed),
    }
    let mut seen = Seen::default();
    loop {
        let Some(line) = lines.next() else {
            return Ok(None);
        };
        if line.is_empty() {
            return seen.verdict().map(|()| Some(lines.at));
        }
        seen.header(line, accept)?;
    }
}

/// The status code of an `HTTP/1.x NNN reason` line.
fn status_code(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/1.")?;
    let (_minor, rest) = rest.split_first()?;
    let rest = rest.strip_prefix(b" ")?;
    let digits = rest.get(..3)?;
    if !matches!(rest.get(3), None | Some(b' ')) {
        return None;
    }
    digits.iter().try_fold(0u16, |code, d| match d {
        b'0'..=b'9' => code
            .checked_mul(10)
            .and_then(|c| c.checked_add(u16::from(d.wrapping_sub(b'0')))),
        _ => None,
    })
}

/// What the header lines so far have shown.
#[derive(Default)]
struct Seen {
    upgrade: bool,
    connection: bool,
    accept: bool,
    wrong_accept: bool,
    not_asked_for: bool,
}

impl Seen {
    fn header(&mut self, line: &[u8], accept: &Accept) -> Result<(), Refusal> {
        // A continuation line (obsolete folding) or a line with no name is not a header.
        let colon = line.iter().position(|&b| b == b':');
        let (Some(colon), Some(first)) = (colon, line.first()) else {
            return Err(Refusal::Malformed);
        };
        if matches!(first, b' ' | b'\t' | b':') {
            return Err(Refusal::Malformed);
        }
        let (name, value) = line.split_at(colon);
        let value = trim(value.get(1..).unwrap_or_default());
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted.as_bytes());
        if is("upgrade") {
            self.upgrade |= has_token(value, "websocket");
        } else if is("connection") {
            self.connection |= has_token(value, "upgrade");
        } else if is("sec-websocket-accept") {
            // Two accept headers must both be right.
            match value == accept.as_slice() {
                true => self.accept = true,
                false => self.wrong_accept = true,
            }
        } else if is("sec-websocket-extensions") || is("sec-websocket-protocol") {
            self.not_asked_for |= !value.is_empty();
        }
        Ok(())
    }

    fn verdict(&self) -> Result<(), Refusal> {
        if !self.upgrade {
            Err(Refusal::Upgrade)
        } else if !self.connection {
            Err(Refusal::Connection)
        } else if !self.accept || self.wrong_accept {
            Err(Refusal::Accept)
        } else if self.not_asked_for {
            Err(Refusal::NotAskedFor)
        } else {
            Ok(())
        }
    }
}

/// Whether the comma-separated `value` has `token` (ignoring ASCII case).
fn has_token(value: &[u8], token: &str) -> bool {
    value
        .split(|&b| b == b',')
        .any(|t| trim(t).eq_ignore_ascii_case(token.as_bytes()))
}

/// `bytes` without the spaces and tabs around it (HTTP's optional whitespace).
fn trim(bytes: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| matches!(b, b' ' | b'\t');
    let start = bytes.iter().position(|b| !is_ows(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |e| e.saturating_add(1));
    bytes.get(start..end).unwrap_or_default()
}

/// The complete lines of a head, each without its CRLF or LF; a line cut off by the end of
/// the bytes read so far is not given.
struct Lines<'a> {
    bytes: &'a [u8],
    /// Where the next line starts (after the last one given).
    at: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.bytes.get(self.at..)?;
        let end = rest.iter().position(|&b| b == b'\n')?;
        let line = rest.get(..end)?;
        self.at = self.at.saturating_add(end).saturating_add(1);
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

#[cfg(test)]
mod tests;
