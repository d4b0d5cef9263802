//! A connection's configuration, the driver's instructions ([`Transmit`]) and misuse errors.

use core::time::Duration;

/// Timeouts and options; the defaults are pusher-js's and Centrifugo's. Timeouts shorter than
/// 1 s are taken as 1 s (a zero one would time out again at the instant it retried).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// Seed of the reconnect jitter (use something that differs between devices, such as a
    /// MAC address or the start time).
    pub rng_seed: u64,
    /// Reconnect after a drop (default true). When false, a drop ends in
    /// [`State::Disconnected`](super::State::Disconnected).
    pub reconnect: bool,
    /// Pusher: ping after this long without receiving anything (default 120 s; the server's
    /// `activity_timeout` wins when it is shorter; never less than 1 s, whatever either says).
    pub activity_timeout: Duration,
    /// Pusher: reconnect when no pong arrives this long after a ping (default 30 s).
    pub pong_timeout: Duration,
    /// Give up on a socket that has not completed the handshake after this long (default 15 s).
    pub connect_timeout: Duration,
    /// Report [`State::Unavailable`](super::State::Unavailable) after failing to connect for this long (default 10 s).
    pub unavailable_timeout: Duration,
    /// Centrifugo: how late a server ping may be before the connection counts as dead, on top
    /// of the announced interval (default 10 s, as centrifuge-js). A server that announces no
    /// pings is pinged by the client instead, after `activity_timeout` of silence, and must
    /// answer within `pong_timeout`.
    pub max_server_ping_delay: Duration,
    /// Centrifugo: how long to wait for the token asked for with
    /// [`Event::TokenRequired`](super::Event::TokenRequired) before taking the fetch as failed
    /// (default 30 s). A driver that knows its fetch failed says so at once with
    /// [`Connection::token_failed`](super::Connection::token_failed).
    pub token_timeout: Duration,
    /// How long a subscribe may go unanswered before it is sent again, with
    /// [`Event::SubscriptionTimedOut`](super::Event::SubscriptionTimedOut) (default 10 s).
    pub subscribe_timeout: Duration,
    /// How long a connection must stay up before the reconnect back-off starts again from
    /// 1 s (default 30 s). A server that accepts and then drops every connection is retried
    /// at the growing delays, not every second.
    pub stable_after: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            rng_seed: 0x6b69_636b_7769_7265, // "kickwire"
            reconnect: true,
            activity_timeout: Duration::from_secs(120),
            pong_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(15),
            unavailable_timeout: Duration::from_secs(10),
            max_server_ping_delay: Duration::from_secs(10),
            token_timeout: Duration::from_secs(30),
            subscribe_timeout: Duration::from_secs(10),
            stable_after: Duration::from_secs(30),
        }
    }
}

/// Why a command could not be carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum UsageError {
    /// The URL is longer than [`limits::URL`](crate::limits::URL) bytes.
    UrlTooLong,
    /// The URL is not `ws://` or `wss://`.
    NotAWebSocketUrl,
    /// A channel name is empty or longer than [`limits::CHANNEL`](crate::limits::CHANNEL).
    BadChannelName,
    /// The connection holds as many channels as it has room for (its `CHANNELS`:
    /// [`limits::CHANNELS`](crate::limits::CHANNELS) by default).
    TooManyChannels,
    /// The token is longer than the connection keeps (its `TOKEN`:
    /// [`limits::TOKEN`](crate::limits::TOKEN) bytes by default).
    TokenTooLong,
    /// The connection's queues are shorter than its transport needs for its channels
    /// ([`limits::events_for`](crate::limits::events_for),
    /// [`limits::transmits_for`](crate::limits::transmits_for)).
    QueuesTooSmall,
    /// Centrifugo asked of a connection with no room for a token (its `TOKEN` is 0): it speaks
    /// Pusher only, since Centrifugo cannot connect without a token.
    NoRoomForToken,
}

impl crate::describe::Describe for UsageError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        out(crate::describe::Piece::Text(match self {
            Self::UrlTooLong => "URL too long",
            Self::NotAWebSocketUrl => "not a ws:// or wss:// URL",
            Self::BadChannelName => "channel name empty or too long",
            Self::TooManyChannels => "too many channels",
            Self::TokenTooLong => "token too long",
            Self::QueuesTooSmall => "queues too small for the transport",
            Self::NoRoomForToken => "no room for the token Centrifugo needs",
        }));
    }
}

crate::describe::display_by_describe!(UsageError);

impl core::error::Error for UsageError {}

/// What the driver must do with its socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transmit<'b> {
    /// Open a WebSocket to `url` (any previous socket has been closed first).
    Open {
        /// `ws://` or `wss://`.
        url: &'b str,
    },
    /// Send this text message.
    Text(&'b str),
    /// Close the socket with this code. Do not report this close back with
    /// [`Connection::handle_closed`](super::Connection::handle_closed): the connection already knows.
    Close {
        /// The close code (1000: we are done with this socket).
        code: u16,
    },
}
