//! What the link writes: the HTTP upgrade request, and the connection's frames.

use core::fmt::Write as _;

use embedded_websocket::{
    WebSocketClient, WebSocketCloseStatusCode, WebSocketOptions, WebSocketSendMessageType,
};
use kickwire_proto::conn::{EncodeError, Instant, Transmit};
use rand_core::RngCore;

use super::{Link, Phase, Url};

/// What [`Link::next_transmit`] did.
pub(super) enum Next {
    /// The connection has nothing to send.
    Nothing,
    /// Give the caller [`Action::Connect`](super::Action::Connect) for `Link::url`.
    Connect,
    /// Something changed (bytes in `tx`, a close to ask for, a failed socket): look again.
    Again,
}

/// Bytes of the upgrade request embedded-websocket writes for `target`, `authority` and
/// `origin` (its `build_connect_handshake_request`, with no sub-protocols and no extra
/// headers). It panics when its output buffer is shorter, so the link checks this first.
fn request_len(target: &str, authority: &str, origin: &str) -> usize {
    [
        "GET ".len(),
        target.len(),
        " HTTP/1.1\r\nHost: ".len(),
        authority.len(),
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ".len(),
        24, // base64 of 16 random bytes
        "\r\nOrigin: ".len(),
        origin.len(),
        "\r\n".len(),
        "Sec-WebSocket-Version: 13\r\n\r\n".len(),
    ]
    .into_iter()
    .fold(0usize, usize::saturating_add)
}

/// embedded-websocket builds the request in a 1 KiB string and fails beyond it.
const REQUEST_MAX: usize = 1024;

impl<R: RngCore + Clone> Link<'_, R> {
    /// Takes the connection's next transmit: a socket to open, a frame to write (into `tx`,
    /// which is empty whenever this is called), or a close.
    pub(super) fn next_transmit(&mut self, now: Instant) -> Next {
        // The text goes into the second half of `tx`, its frame into the first.
        let half = self.tx.len() / 2;
        let (frame, text) = self.tx.split_at_mut(half);
        let t = match self.conn.poll_transmit(text) {
            Ok(Some(t)) => t,
            Ok(None) => return Next::Nothing,
            Err(EncodeError::BufferTooSmall { .. }) | Err(_) => {
                // The frame stays queued in the connection: take it out through the (larger)
                // message buffer so it cannot block every later frame, and give up on the
                // socket, since a frame of the protocol went missing.
                self.msg_len = 0;
                self.skip = false;
                let _ = self.conn.poll_transmit(self.msg);
                self.fail(now, "an outgoing message does not fit the tx buffer");
                return Next::Again;
            }
        };
        match t {
            Transmit::Open { url } => {
                // The connection never queues a URL longer than `URL` bytes.
                self.url.clear();
                let fits = self.url.push_str(url).is_ok();
                self.reset_socket();
                let parsed = match fits {
                    true => Url::parse(&self.url).map(|_| ()),
                    false => Err(super::UrlError::Unsupported),
                };
                if let Err(e) = parsed {
                    // Never `Phase::Idle` here, so `fail` would do nothing: report directly.
                    let mut why = heapless::String::<96>::new();
                    let _ = write!(why, "bad URL: {e}");
                    self.conn.handle_closed(now, None, &why);
                    return Next::Again;
                }
                self.phase = Phase::Connecting {
                    deadline: now.after(self.config.upgrade_timeout),
                };
                Next::Connect
            }
            Transmit::Text(t) => {
                if self.phase != Phase::Open {
                    return Next::Again; // left over from a socket already closed
                }
                let Some(ws) = self.ws.as_mut() else {
                    return Next::Again;
                };
                match ws.write(WebSocketSendMessageType::Text, true, t.as_bytes(), frame) {
                    Ok(n) => self.tx_len = n,
                    Err(_) => self.fail(now, "an outgoing message does not fit the tx buffer"),
                }
                Next::Again
            }
            Transmit::Close { code } => {
                if self.phase == Phase::Open
                    && let Some(ws) = self.ws.as_mut()
                {
                    let status = WebSocketCloseStatusCode::Custom(code);
                    self.tx_len = ws.close(status, None, self.tx).unwrap_or(0);
                }
                if self.phase != Phase::Idle {
                    self.close_pending = true;
                }
                self.reset_socket();
                Next::Again
            }
        }
    }

    /// Writes the upgrade request into `tx` and waits for the response.
    pub(super) fn start_upgrade(&mut self, now: Instant) {
        let deadline = match self.phase {
            Phase::Connecting { deadline } => deadline,
            _ => return,
        };
        let Ok(url) = Url::parse(&self.url) else {
            self.fail(now, "bad URL");
            return;
        };
        let origin = self.config.origin;
        let need = request_len(url.target, url.authority, origin);
        if need > self.tx.len() || need > REQUEST_MAX {
            self.fail(now, "the upgrade request does not fit the tx buffer");
            return;
        }
        let mut ws = WebSocketClient::new_client(self.rng.clone());
        let options = WebSocketOptions {
            path: url.target,
            host: url.authority,
            origin,
            sub_protocols: None,
            additional_headers: None,
        };
        match ws.client_connect(&options, self.tx) {
            Ok((n, key)) => {
                self.tx_len = n;
                self.ws = Some(ws);
                self.phase = Phase::Upgrading { key, deadline };
            }
            Err(_) => self.fail(now, "cannot write the upgrade request"),
        }
    }
}
