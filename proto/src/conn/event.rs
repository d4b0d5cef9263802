//! What a connection tells its driver: its state and lifecycle events.

use core::time::Duration;

use crate::envelope::Transport;
use crate::error::DecodeError;
use crate::limits::{CHANNEL, REASON, SOCKET_ID};
use crate::text::Text;

/// Where a connection stands; the names and meanings are pusher-js's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum State {
    /// Created, [`connect`](super::Connection::connect) not called yet.
    Initialized,
    /// Opening a socket or waiting for the handshake, or waiting to retry.
    Connecting,
    /// Handshake done: events flow.
    Connected,
    /// Still trying, but it has been failing for a while (10 s by default).
    Unavailable,
    /// Closed on purpose (by [`disconnect`](super::Connection::disconnect)) or refused by the
    /// server for good (Pusher 4000-4099, Centrifugo terminal codes): no retry.
    Disconnected,
    /// This configuration cannot work (a URL that does not fit, TLS required but impossible).
    Failed,
}

impl State {
    /// pusher-js's name for the state: `initialized`, `connecting`, `connected`,
    /// `unavailable`, `disconnected`, `failed`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Initialized => "initialized",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Unavailable => "unavailable",
            Self::Disconnected => "disconnected",
            Self::Failed => "failed",
        }
    }
}

/// Why the connection is about to reconnect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Reason {
    /// The socket closed (with the code, when there was one).
    Closed(Option<u16>),
    /// The driver could not open the socket (DNS, refused, TLS).
    OpenFailed,
    /// (Centrifugo) no token to connect with: the driver's fetch failed or took too long.
    TokenUnavailable,
    /// No handshake within the connect timeout.
    HandshakeTimeout,
    /// No pong (Pusher) or no server ping (Centrifugo) in time.
    PingTimeout,
    /// The server asked for it (Pusher 4200-4299 / 4100-4199, a Centrifugo reconnect code).
    ServerRequest(u16),
    /// The token expired (Centrifugo error 109).
    TokenExpired,
    /// The server's first message was not a handshake.
    BadHandshake,
}

impl crate::describe::Describe for Reason {
    /// A short phrase for status lines: `closed with code 4200`, `no ping/pong in time`.
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        out(Text(match self {
            Self::Closed(Some(_)) => "closed with code ",
            Self::Closed(None) => "connection lost",
            Self::OpenFailed => "cannot connect",
            Self::TokenUnavailable => "no connection token",
            Self::HandshakeTimeout => "no handshake in time",
            Self::PingTimeout => "no ping/pong in time",
            Self::ServerRequest(_) => "server asked to reconnect (",
            Self::TokenExpired => "token expired",
            Self::BadHandshake => "bad handshake",
        }));
        match self {
            Self::Closed(Some(c)) => out(Number(u64::from(*c))),
            Self::ServerRequest(c) => {
                out(Number(u64::from(*c)));
                out(Text(")"));
            }
            _ => {}
        }
    }
}

crate::describe::display_by_describe!(Reason);

/// One lifecycle event. Kick events come out of [`Received`](super::Received) instead.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Event {
    /// The state changed.
    StateChanged {
        /// Before.
        previous: State,
        /// Now.
        current: State,
    },
    /// The handshake succeeded.
    Connected {
        /// Which protocol.
        transport: Transport,
        /// Pusher's `socket_id`, or Centrifugo's client id.
        socket_id: Text<SOCKET_ID>,
    },
    /// The server confirmed a subscription.
    Subscribed {
        /// The channel.
        channel: Text<CHANNEL>,
    },
    /// The server did not answer a subscribe within
    /// [`Config::subscribe_timeout`](super::Config::subscribe_timeout); it has been sent again.
    SubscriptionTimedOut {
        /// The channel.
        channel: Text<CHANNEL>,
    },
    /// The server refused or ended a subscription (and it will not be retried on its own).
    SubscriptionError {
        /// The channel.
        channel: Text<CHANNEL>,
        /// The server's code, if it gave one.
        code: Option<u32>,
        /// The server's message.
        message: Text<REASON>,
    },
    /// The connection will try again after `after`.
    Reconnecting {
        /// The delay (back-off plus jitter).
        after: Duration,
        /// Why.
        reason: Reason,
    },
    /// The socket closed.
    Disconnected {
        /// The close code, if any.
        code: Option<u16>,
        /// The close reason or the server's error message.
        reason: Text<REASON>,
        /// Whether the connection will reconnect on its own.
        will_retry: bool,
    },
    /// The server reported an error that does not end the connection (`pusher:error`, a
    /// Centrifugo error reply).
    ServerError {
        /// Its code (`pusher:error` may have none).
        code: Option<u32>,
        /// Its message.
        message: Text<REASON>,
        /// Further server errors that came before this one was polled, counted here rather
        /// than queued (a burst of them never pushes out the connection's own events).
        repeats: u32,
    },
    /// A received message could not be used; the connection goes on.
    BadMessage {
        /// What was wrong with the first one.
        error: DecodeError,
        /// Further bad messages that came before this event was polled, counted here rather
        /// than queued (one frame of many bad lines never pushes out `Connected`).
        repeats: u32,
    },
    /// (Centrifugo) the connection needs a token: call
    /// [`set_token`](super::Connection::set_token). `refresh` is true when the current
    /// connection stays up and only needs a fresh token before the old one expires.
    TokenRequired {
        /// A refresh of a live connection, rather than a token to connect with.
        refresh: bool,
    },
}

impl Event {
    /// The channel of a per-channel event: a newer one for the same channel supersedes it in
    /// the queue (the driver wants where the channel stands, not every step on the way).
    pub(crate) fn channel(&self) -> Option<&str> {
        match self {
            Self::Subscribed { channel }
            | Self::SubscriptionTimedOut { channel }
            | Self::SubscriptionError { channel, .. } => Some(channel.as_str()),
            _ => None,
        }
    }
}
