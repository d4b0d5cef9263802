//! What an [`Endpoint`](super::Endpoint) allows each client, and how long it waits.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::http::{Request, Response};

/// The hook that answers plain (non-upgrade) HTTP requests on the endpoint's address, e.g.
/// `GET /healthz` and `GET /metrics`. It runs on the endpoint's event-loop thread, so it must
/// answer quickly (read counters, format text), never wait on I/O.
pub type HttpHandler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// The endpoint's limits and timers. [`Config::default`] gives values fit for one streamer's
/// machine with up to thousands of overlays; tests shrink the queue and the timers.
///
/// ```
/// use std::time::Duration;
/// use kickwire_cli::endpoint::Config;
///
/// let config = Config { activity_timeout: Duration::from_secs(30), ..Config::default() };
/// assert_eq!(config.queue_frames, 1024);
/// ```
#[derive(Clone)]
pub struct Config {
    /// Frames waiting for one client, at most; one more and the client is closed with 4100.
    pub queue_frames: usize,
    /// Bytes waiting for one client, at most (the frames' wire size); over it, closed with 4100.
    pub queue_bytes: usize,
    /// Silence from a client after which the endpoint sends `pusher:ping`. Announced to the
    /// client in whole seconds (at least 1) in `pusher:connection_established`, as Pusher does.
    pub activity_timeout: Duration,
    /// How long after its `pusher:ping` the endpoint waits for anything from the client before
    /// it closes the connection with 4201.
    pub pong_timeout: Duration,
    /// The largest message (after reassembling fragments) a client may send; bigger: close 1009.
    pub max_message: usize,
    /// WebSocket clients at most; a connection over it is answered with HTTP 503.
    pub max_clients: usize,
    /// Channels one client may be subscribed to at once; a subscribe over it is refused with
    /// `pusher:error` (the connection stays).
    pub max_channels_per_client: usize,
    /// How long a connection may take to send its HTTP request head (and body).
    pub handshake_timeout: Duration,
    /// How long a closing connection is kept to deliver its close frame before it is dropped.
    pub close_grace: Duration,
    /// Answers plain HTTP requests; without it they get 404.
    pub http_handler: Option<HttpHandler>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            queue_frames: 1024,
            queue_bytes: 4 * 1024 * 1024,
            // Pusher's and sockudo's values (pusher-js pings after 120 s too).
            activity_timeout: Duration::from_secs(120),
            pong_timeout: Duration::from_secs(30),
            max_message: 64 * 1024,
            max_clients: 10_000,
            // Kick uses six channels per streamer; 256 leaves room for a multi-streamer board.
            max_channels_per_client: 256,
            handshake_timeout: Duration::from_secs(10),
            close_grace: Duration::from_secs(5),
            http_handler: None,
        }
    }
}

impl Config {
    /// The `activity_timeout` announced to clients, in whole seconds (rounded up, at least 1).
    pub fn announced_activity_timeout(&self) -> u64 {
        let secs = self.activity_timeout.as_secs();
        let rounded = if self.activity_timeout.subsec_nanos() > 0 {
            secs.saturating_add(1)
        } else {
            secs
        };
        rounded.max(1)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("queue_frames", &self.queue_frames)
            .field("queue_bytes", &self.queue_bytes)
            .field("activity_timeout", &self.activity_timeout)
            .field("pong_timeout", &self.pong_timeout)
            .field("max_message", &self.max_message)
            .field("max_clients", &self.max_clients)
            .field("max_channels_per_client", &self.max_channels_per_client)
            .field("handshake_timeout", &self.handshake_timeout)
            .field("close_grace", &self.close_grace)
            .field("http_handler", &self.http_handler.as_ref().map(|_| "Fn"))
            .finish()
    }
}
