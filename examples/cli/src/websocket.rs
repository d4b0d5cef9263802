//! The WebSocket of `watch` and `record` (tungstenite over [`net::Stream`]): opening it with a
//! size limit, and closing it.

use std::io::{ErrorKind, Read as _};
use std::net::Shutdown;
use std::time::{Duration, Instant};

use tungstenite::error::CapacityError;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tungstenite::{HandshakeError, WebSocket};

use crate::net::{self, Stream};

/// The largest WebSocket message (and frame) accepted: 1 MiB. Kick's largest real frames are a
/// few KB; tungstenite's own defaults (64 MiB messages, 16 MiB frames) would let one message
/// from a broken or hostile server cost that much memory, twice over once copied.
pub const MAX_MESSAGE: usize = 1 << 20;

/// How long a close waits for the server's own Close (reading and dropping whatever comes
/// first) before the socket goes.
const CLOSE_LINGER: Duration = Duration::from_secs(2);

/// Opens the WebSocket at `url` (with `Origin` when given), limited to [`MAX_MESSAGE`].
pub fn open(url: &str, origin: Option<&str>) -> Result<WebSocket<Stream>, String> {
    use tungstenite::client::IntoClientRequest;
    let parsed = net::Url::parse(url)?;
    let stream = net::connect(&parsed).map_err(|e| e.to_string())?;
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    if let Some(v) = origin.and_then(|o| o.parse().ok()) {
        request.headers_mut().insert("Origin", v);
    }
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    match tungstenite::client::client_with_config(request, stream, Some(config)) {
        Ok((ws, _)) => Ok(ws),
        Err(HandshakeError::Failure(e)) => {
            Err(format!("WebSocket handshake with {}: {e}", parsed.host))
        }
        Err(HandshakeError::Interrupted(_)) => Err(format!(
            "WebSocket handshake with {} timed out",
            parsed.host
        )),
    }
}

/// Sends a Close frame with `code` and lets the socket go at once.
pub fn close(mut ws: WebSocket<Stream>, code: u16) {
    let _ = ws.close(Some(CloseFrame {
        code: CloseCode::from(code),
        reason: "".into(),
    }));
    let _ = ws.flush();
    let _ = ws.get_ref().tcp().shutdown(Shutdown::Both);
}

/// Refuses a message over the limit: closes with 1009 (message too big). Returns the reason
/// to report.
///
/// tungstenite stops at the frame's header, so the rest of the message is still on its way and
/// the socket cannot be read as WebSocket again. Dropping it with unread data would reset the
/// connection, and the server, still writing, might never read the Close. So the socket
/// lingers: the rest is read and dropped (a fixed buffer: no more memory) until the server
/// closes it or [`CLOSE_LINGER`] has passed.
pub fn refuse_too_big(mut ws: WebSocket<Stream>, error: &CapacityError) -> String {
    let reason = match error {
        CapacityError::MessageTooLong { size, max_size } => {
            format!("message too big: {size} bytes, limit {max_size}")
        }
        other => other.to_string(),
    };
    let _ = ws.close(Some(CloseFrame {
        code: CloseCode::Size,
        reason: "message too big".into(),
    }));
    let _ = ws.flush();
    let stream = ws.get_mut();
    let _ = stream.tcp().shutdown(Shutdown::Write);
    let deadline = Instant::now() + CLOSE_LINGER;
    let mut sink = [0u8; 16 * 1024];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let _ = stream
            .tcp()
            .set_read_timeout(Some(left.max(Duration::from_millis(1))));
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = stream.tcp().shutdown(Shutdown::Both);
    reason
}
