//! What a transport adds to the connection's shared core: its handshake, its frames, its
//! close codes and its tokens. Pusher ([`pusher::State`](super::pusher::State)) and Centrifugo
//! ([`centrifugo::State`](super::centrifugo::State)) each implement [`Protocol`]; the core
//! ([`Core`]) owns the socket, the channels, the timers and the queues, and calls in here
//! where the two differ.
//!
//! A third transport would be a file with its state and an implementation of [`Protocol`], a
//! variant of [`Proto`](super::Proto) and its arm in `Proto`'s dispatch at the end of this
//! file.

use super::encode::{EncodeError, Pending};
use super::{Core, Instant, Proto, Reason, pusher};
use crate::envelope::centrifugo::Message;

/// What follows a closed socket, from the transport's table of close codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClosePlan {
    /// Reconnect (when [`Config::reconnect`](super::Config::reconnect) allows).
    pub(super) retry: bool,
    /// Reconnect without the exponential back-off (the first time after a good connection).
    pub(super) at_once: bool,
    /// What [`Event::Reconnecting`](super::Event::Reconnecting) will say.
    pub(super) reason: Reason,
}

impl ClosePlan {
    /// Reconnect after the back-off.
    pub(super) const fn retry(reason: Reason) -> Self {
        Self {
            retry: true,
            at_once: false,
            reason,
        }
    }

    /// Reconnect at once.
    pub(super) const fn at_once(reason: Reason) -> Self {
        Self {
            retry: true,
            at_once: true,
            reason,
        }
    }

    /// Do not reconnect.
    pub(super) const fn stop(reason: Reason) -> Self {
        Self {
            retry: false,
            at_once: false,
            reason,
        }
    }
}

/// A transport message handed to [`Protocol::control`]: Pusher's own events (`pusher:*`,
/// `pusher_internal:*`, or anything before the handshake) or a Centrifugo message that is not
/// a publication.
pub(super) enum ControlMessage<'a> {
    /// A Pusher event and its `data`, unescaped.
    Pusher {
        name: &'a str,
        channel: Option<&'a str>,
        payload: &'a [u8],
    },
    /// A Centrifugo reply, ping or push.
    Centrifugo(&'a Message<'a>),
}

/// The transport's part of every verb of the connection.
pub(super) trait Protocol {
    /// The socket is open: send what opens the session (Centrifugo's `connect`; a Pusher
    /// server speaks first).
    fn opened<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    );

    /// A transport message arrived on an open socket. One in the other transport's shape is
    /// not for this connection and is ignored.
    fn control<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        message: ControlMessage<'_>,
    );

    /// Nothing arrived for the activity time: ping the server, or give up on a server whose
    /// own ping is late.
    fn silent<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    );

    /// What to do after the socket closed with `code`. May change the connection on the way
    /// (Pusher's 4000 switches to `wss://`; Centrifugo's 3005 forgets the token).
    fn close_plan<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        code: Option<u16>,
    ) -> ClosePlan;

    // Tokens: a transport without them (Pusher, for public channels) keeps these defaults.

    /// Whether a token must be fetched before a socket is opened.
    fn needs_token(&self) -> bool {
        false
    }

    /// The driver gave a token (its length already checked against the connection's token
    /// capacity).
    fn set_token<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        _m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        _now: Instant,
        _token: &str,
    ) {
    }

    /// The token asked for will not come (the driver said so, or its deadline passed).
    fn token_unavailable<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        _m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        _now: Instant,
    ) {
    }

    /// The current token is about to expire: ask for a fresh one.
    fn refresh_due<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        _m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        _now: Instant,
    ) {
    }

    /// Writes the text frame `p` into `buf`; `channel` is the channel a subscribe or an
    /// unsubscribe names.
    fn encode<'b>(
        &self,
        p: &Pending,
        channel: &str,
        buf: &'b mut [u8],
    ) -> Result<&'b str, EncodeError>;
}

/// Each verb goes to the connection's transport. A connection with no room for a token
/// (`TOKEN` 0) speaks Pusher only ([`Connection::with_capacities`](super::Connection::with_capacities)
/// refuses Centrifugo for it), and its arms say so with `TOKEN > 0`: a condition the compiler
/// decides, so that such a connection's code has none of Centrifugo's (the Pusher-only browser
/// module and the board, both built for size).
impl<const TOKEN: usize> Protocol for Proto<TOKEN> {
    #[inline]
    fn opened<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.opened(m),
            _ => pusher::State.opened(m),
        }
    }

    #[inline]
    fn control<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        message: ControlMessage<'_>,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.control(m, now, message),
            _ => pusher::State.control(m, now, message),
        }
    }

    #[inline]
    fn silent<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.silent(m, now),
            _ => pusher::State.silent(m, now),
        }
    }

    #[inline]
    fn close_plan<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        code: Option<u16>,
    ) -> ClosePlan {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.close_plan(m, code),
            _ => pusher::State.close_plan(m, code),
        }
    }

    #[inline]
    fn needs_token(&self) -> bool {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.needs_token(),
            _ => pusher::State.needs_token(),
        }
    }

    #[inline]
    fn set_token<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        token: &str,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.set_token(m, now, token),
            _ => pusher::State.set_token(m, now, token),
        }
    }

    #[inline]
    fn token_unavailable<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.token_unavailable(m, now),
            _ => pusher::State.token_unavailable(m, now),
        }
    }

    #[inline]
    fn refresh_due<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.refresh_due(m, now),
            _ => pusher::State.refresh_due(m, now),
        }
    }

    #[inline]
    fn encode<'b>(
        &self,
        p: &Pending,
        channel: &str,
        buf: &'b mut [u8],
    ) -> Result<&'b str, EncodeError> {
        match self {
            Self::Centrifugo(c) if TOKEN > 0 => c.encode(p, channel, buf),
            _ => pusher::State.encode(p, channel, buf),
        }
    }
}
