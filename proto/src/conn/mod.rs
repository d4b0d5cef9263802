//! Sans-IO connection state machines for both transports Kick uses: Pusher Channels v7 and
//! Centrifugo's JSON protocol.
//!
//! A [`Connection`] owns no socket, clock or allocator. The driver (a browser, a board, a CLI)
//! owns the WebSocket and feeds in what happened; the connection answers with frames to send, a
//! time to be woken at, lifecycle [`Event`]s and Kick events.
//!
//! # The driving loop
//! Inputs (each takes `now`): [`handle_open`](Connection::handle_open) (the socket is up),
//! [`handle_message`](Connection::handle_message) (one whole WebSocket text message),
//! [`handle_closed`](Connection::handle_closed) (the socket closed, or could not be opened),
//! [`handle_timeout`](Connection::handle_timeout). Commands: [`connect`](Connection::connect),
//! [`subscribe`](Connection::subscribe), [`unsubscribe`](Connection::unsubscribe),
//! [`disconnect`](Connection::disconnect), [`set_token`](Connection::set_token) (or
//! [`token_failed`](Connection::token_failed) when the fetch asked for by
//! [`Event::TokenRequired`] failed: the connection asks again after a back-off; never stop on
//! it).
//!
//! **After every input or command, drain [`poll_transmit`](Connection::poll_transmit) until
//! `None`, then [`poll_event`](Connection::poll_event) until `None`, then read
//! [`poll_timeout`](Connection::poll_timeout) and sleep until that instant or the next input.**
//! The queues have fixed sizes that this rule keeps from overflowing: repeats are merged
//! (one pong for many pings, one [`Event::BadMessage`] counting its `repeats`), so no input
//! can push out the connection's own frames and events.
//!
//! A connection that was told to connect is never silent for good: until it is disconnected
//! or refused, it always has a timer (a handshake, a ping, a retry, a token it waits for), so a
//! driver that sleeps on `poll_timeout` is always woken. The `connection` fuzz target checks
//! this after every step.
//!
//! ```
//! use kickwire_proto::conn::{Config, Connection, Event, Instant, Transmit};
//! use kickwire_proto::{Message, Transport, kick::Event as Kick};
//!
//! let url = "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
//! let mut conn = Connection::new(Transport::Pusher, url, Config::default()).unwrap();
//! conn.subscribe("chatrooms.2507974.v2").unwrap();
//! conn.connect(Instant::from_millis(0));
//! let mut buf = [0u8; 512];
//! // The driver opens the socket it is told to open...
//! assert!(matches!(conn.poll_transmit(&mut buf), Ok(Some(Transmit::Open { .. }))));
//! conn.handle_open(Instant::from_millis(40));
//! // ...and hands in each message it receives (decoded in place, hence `&mut`).
//! let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
//! conn.handle_message(Instant::from_millis(50), &mut hello).for_each(drop);
//! // The subscription goes out...
//! let Ok(Some(Transmit::Text(sub))) = conn.poll_transmit(&mut buf) else { panic!() };
//! assert_eq!(sub, r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#);
//! // ...and Kick events come out of `handle_message`.
//! let mut frame = br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":2507974,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.2507974.v2"}"#.to_vec();
//! for message in conn.handle_message(Instant::from_millis(60), &mut frame) {
//!     if let Message::Kick { event: Kick::Subscription(sub), .. } = message {
//!         assert_eq!(sub.months, Some(38));
//!     }
//! }
//! while let Some(event) = conn.poll_event() {
//!     println!("{event:?}"); // StateChanged, Connected { socket_id: "1.2", .. }, ...
//! }
//! // Wake up at the next timer: here the subscribe's deadline (it is sent again if the
//! // server has not confirmed it 10 s after it went out)...
//! assert_eq!(conn.poll_timeout(), Some(Instant::from_millis(50 + 10_000)));
//! let mut ok = br#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.2507974.v2"}"#.to_vec();
//! conn.handle_message(Instant::from_millis(70), &mut ok).for_each(drop);
//! // ...and once confirmed, the ping after 120 s of silence.
//! assert_eq!(conn.poll_timeout(), Some(Instant::from_millis(70 + 120_000)));
//! ```

mod backoff;
mod centrifugo;
mod config;
mod encode;
mod event;
#[cfg(feature = "serde")]
mod event_json;
mod machine;
mod pusher;
mod received;
mod time;
mod transport;
mod url;

use core::time::Duration;

use heapless::{Deque, Vec};

pub use crate::message::JsonEvent;
pub use config::{Config, Transmit, UsageError};
pub use encode::EncodeError;
pub use event::{Event, Reason, State};
pub use pusher::{CloseAction, close_action};
pub use received::Received;
pub use time::Instant;
pub use url::{PusherUrl, pusher_app_url, url_transport};

use crate::envelope::Transport;
use crate::limits::{CHANNEL, SOCKET_ID, URL};
use crate::text::Text;
use backoff::Backoff;
use encode::Pending;
use time::timeout_after;
use transport::Protocol;

// `#[inline]` on a private function here marks one with a single caller or two: the browser
// build (`opt-level = "z"`) is smaller with them inlined, as `wasm/build.sh`'s SIZE line shows.

/// Where the one subscription of a channel stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    /// Not asked for on this socket yet.
    Idle,
    /// Asked for with the command of this id (Centrifugo's reply names it).
    Pending(u32),
    /// Confirmed by the server.
    Subscribed,
    /// The server ended it for good: not asked for again until the next connection.
    Refused,
}

#[derive(Debug, Clone)]
struct Channel {
    name: Text<CHANNEL>,
    sub: Sub,
    /// While `sub` is `Pending`: when the subscribe counts as unanswered.
    deadline: Option<Instant>,
}

/// The socket as the connection sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Socket {
    /// None (or closing): waiting to open one.
    Closed,
    /// Told the driver to open one.
    Opening,
    /// Open, handshake not done.
    Handshaking,
    /// Open and connected.
    Ready,
}

/// The timers; each is a deadline or `None`.
#[derive(Debug, Clone, Default)]
struct Timers {
    /// Open the next socket.
    retry: Option<Instant>,
    /// The handshake must be done by then.
    handshake: Option<Instant>,
    /// Report `Unavailable` then.
    unavailable: Option<Instant>,
    /// Nothing received since [`Core::activity`]: Pusher sends a ping then; Centrifugo's
    /// server ping is late then (or, from a server that sends none, we ping).
    activity: Option<Instant>,
    /// Our ping's answer is late then.
    pong: Option<Instant>,
    /// Centrifugo: ask for a fresh token then.
    refresh: Option<Instant>,
    /// Centrifugo: ask again for subscriptions refused with a temporary error.
    resubscribe: Option<Instant>,
    /// Centrifugo: a token has been asked for ([`Event::TokenRequired`]), and must have come
    /// by then.
    token: Option<Instant>,
}

/// What the connection keeps whatever its transport: what both transports drive.
#[derive(Debug, Clone)]
struct Core<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize> {
    config: Config,
    url: Text<URL>,
    state: State,
    socket: Socket,
    socket_id: Text<SOCKET_ID>,
    backoff: Backoff,
    timers: Timers,
    /// How long the connection may hear nothing before the transport acts (the activity
    /// timer): set by each handshake.
    activity: Duration,
    /// The id of the next command that expects a reply (Centrifugo's replies name the
    /// command; Pusher's frames carry no id and ignore it).
    next_id: u32,
    /// Events that did not fit (the drain rule was broken): counted, never silent.
    events_dropped: u32,
    /// Frames that did not fit (the drain rule was broken): counted, never silent.
    transmits_dropped: u32,
    /// When the current socket's handshake completed: the back-off starts over only once a
    /// connection has stayed up [`Config::stable_after`].
    connected_at: Option<Instant>,
    /// The latest `now` any input brought: the time of commands that take none.
    clock: Instant,
    channels: Vec<Channel, CHANNELS>,
    transmits: Deque<Pending, TRANSMITS>,
    /// The names of the [`Pending::Unsubscribe`]s in `transmits`, in the same order.
    unsubscribes: Deque<Text<CHANNEL>, CHANNELS>,
    events: Deque<Event, EVENTS>,
}

/// Per-transport state; Centrifugo's keeps a token of up to `TOKEN` bytes.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // the token is stored inline on purpose: no allocator
enum Proto<const TOKEN: usize> {
    Pusher(pusher::State),
    Centrifugo(centrifugo::State<TOKEN>),
}

/// One connection to a Pusher or Centrifugo server. See the [module docs](self) for the loop
/// that drives it.
///
/// Its capacities are type parameters, explained in [`limits`](crate::limits): `CHANNELS`
/// channels kept subscribed, `EVENTS` lifecycle events and `TRANSMITS` frames waiting for the
/// driver, and a Centrifugo token of up to `TOKEN` bytes, all kept inline. `Connection` alone
/// has the defaults; a device that needs less names its own, such as a Pusher-only board:
///
/// ```
/// use kickwire_proto::conn::{Config, Connection, UsageError};
/// use kickwire_proto::{Transport, limits};
/// const CHANNELS: usize = 6;
/// type Board = Connection<
///     CHANNELS,
///     { limits::events_for(Transport::Pusher, CHANNELS) },
///     { limits::transmits_for(Transport::Pusher, CHANNELS) },
///     0, // no Centrifugo token
/// >;
/// let url = "ws://127.0.0.1:6001/app/key?protocol=7";
/// assert!(Board::with_capacities(Transport::Pusher, url, Config::default()).is_ok());
/// // Its queues are too short for Centrifugo's needs:
/// let url = "ws://127.0.0.1:8000/connection/websocket";
/// let refused = Board::with_capacities(Transport::Centrifugo, url, Config::default());
/// assert_eq!(refused.unwrap_err(), UsageError::QueuesTooSmall);
/// assert!(core::mem::size_of::<Board>() < core::mem::size_of::<Connection>() / 2);
/// ```
#[derive(Debug, Clone)]
pub struct Connection<
    const CHANNELS: usize = { crate::limits::CHANNELS },
    const EVENTS: usize = { crate::limits::EVENTS },
    const TRANSMITS: usize = { crate::limits::TRANSMITS },
    const TOKEN: usize = { crate::limits::TOKEN },
> {
    core: Core<CHANNELS, EVENTS, TRANSMITS>,
    proto: Proto<TOKEN>,
}

impl Connection {
    /// A connection to `url` over `transport`:
    /// - Pusher v7: the app URL (build one with [`PusherUrl`], or [`pusher_app_url`] from a
    ///   bare server address);
    /// - Centrifugo: `wss://…/connection/websocket`. It asks for a token with
    ///   [`Event::TokenRequired`] unless one is given first with [`set_token`](Self::set_token).
    ///
    /// ```
    /// use kickwire_proto::Transport;
    /// use kickwire_proto::conn::{Config, Connection, UsageError, url_transport};
    /// let url = "wss://realtime.us-west-2.platform.kick.com/connection/websocket";
    /// let transport = url_transport(url).unwrap();
    /// let conn = Connection::new(transport, url, Config::default()).unwrap();
    /// assert_eq!(conn.transport(), Transport::Centrifugo);
    /// assert_eq!(
    ///     Connection::new(Transport::Pusher, "https://kick.com", Config::default()).unwrap_err(),
    ///     UsageError::NotAWebSocketUrl
    /// );
    /// ```
    ///
    /// # Errors
    /// [`UsageError::UrlTooLong`], [`UsageError::NotAWebSocketUrl`].
    pub fn new(transport: Transport, url: &str, config: Config) -> Result<Self, UsageError> {
        Self::with_capacities(transport, url, config)
    }
}

impl<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize, const TOKEN: usize>
    Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN>
{
    /// [`new`](Connection::new) with the capacities of this type (see
    /// [`Connection`]'s docs): its queues must hold what `transport` can queue at once with
    /// `CHANNELS` channels ([`limits::events_for`](crate::limits::events_for),
    /// [`limits::transmits_for`](crate::limits::transmits_for)), or no lifecycle event would
    /// be safe from loss.
    ///
    /// # Errors
    /// [`UsageError::QueuesTooSmall`], [`UsageError::UrlTooLong`],
    /// [`UsageError::NotAWebSocketUrl`], and [`UsageError::NoRoomForToken`] for Centrifugo
    /// when `TOKEN` is 0 (such a connection speaks Pusher only, and its code has none of
    /// Centrifugo's).
    pub fn with_capacities(
        transport: Transport,
        url: &str,
        config: Config,
    ) -> Result<Self, UsageError> {
        if EVENTS < crate::limits::events_for(transport, CHANNELS)
            || TRANSMITS < crate::limits::transmits_for(transport, CHANNELS)
        {
            return Err(UsageError::QueuesTooSmall);
        }
        if !(url.starts_with("ws://") || url.starts_with("wss://")) {
            return Err(UsageError::NotAWebSocketUrl);
        }
        let text = Text::from_str_truncating(url);
        if text.is_truncated() {
            return Err(UsageError::UrlTooLong);
        }
        let proto = match transport {
            Transport::Pusher => Proto::Pusher(pusher::State),
            // Centrifugo cannot connect without a token (see `Proto`'s dispatch).
            Transport::Centrifugo if TOKEN == 0 => return Err(UsageError::NoRoomForToken),
            Transport::Centrifugo => Proto::Centrifugo(centrifugo::State::new(config.rng_seed)),
        };
        Ok(Self {
            core: Core {
                backoff: Backoff::new(config.rng_seed),
                activity: config.activity_timeout,
                config,
                url: text,
                state: State::Initialized,
                socket: Socket::Closed,
                socket_id: Text::new(),
                timers: Timers::default(),
                next_id: 1,
                events_dropped: 0,
                transmits_dropped: 0,
                connected_at: None,
                clock: Instant::from_millis(0),
                channels: Vec::new(),
                transmits: Deque::new(),
                unsubscribes: Deque::new(),
                events: Deque::new(),
            },
            proto,
        })
    }

    /// Which protocol this connection speaks.
    #[must_use]
    pub const fn transport(&self) -> Transport {
        match self.proto {
            Proto::Centrifugo(_) if TOKEN > 0 => Transport::Centrifugo,
            _ => Transport::Pusher,
        }
    }

    /// The current state.
    #[must_use]
    pub const fn state(&self) -> State {
        self.core.state
    }

    /// The URL sockets are opened to (it changes from `ws://` to `wss://` when a Pusher server
    /// requires TLS).
    #[must_use]
    pub fn url(&self) -> &str {
        &self.core.url
    }

    /// Lifecycle events lost because the drain rule was broken (see the module docs). Bursts
    /// of bad messages or server errors are not losses: they are counted in the event's
    /// `repeats`.
    #[must_use]
    pub const fn events_dropped(&self) -> u32 {
        self.core.events_dropped
    }

    /// Frames lost because the drain rule was broken (see the module docs); zero otherwise.
    #[must_use]
    pub const fn transmits_dropped(&self) -> u32 {
        self.core.transmits_dropped
    }

    /// Whether `channel` is subscribed right now.
    #[must_use]
    pub fn is_subscribed(&self, channel: &str) -> bool {
        self.core
            .channels
            .iter()
            .any(|c| c.name.as_str() == channel && c.sub == Sub::Subscribed)
    }

    /// Consecutive failed attempts since the last good connection.
    #[must_use]
    pub const fn failures(&self) -> u32 {
        self.core.backoff.failures()
    }

    // ----- commands -----

    /// Starts connecting (a no-op unless the state is `Initialized` or `Disconnected`).
    pub fn connect(&mut self, now: Instant) {
        let m = &mut self.core;
        m.tick(now);
        if !matches!(m.state, State::Initialized | State::Disconnected) {
            return;
        }
        m.backoff.reset();
        m.set_state(State::Connecting);
        m.timers.unavailable = Some(now.after(m.config.unavailable_timeout));
        self.start_attempt(now);
    }

    /// Opens a socket, or (Centrifugo without a token) asks for a token first.
    #[inline]
    fn start_attempt(&mut self, now: Instant) {
        let Self { core: m, proto } = self;
        if !m.may_attempt() {
            return;
        }
        if proto.needs_token() {
            m.want_token(now, false);
        } else {
            m.open_socket(now);
        }
    }

    /// Adds `channel` to the channels kept subscribed (now if connected, and after every
    /// reconnect). Subscribing twice is the same as once.
    ///
    /// # Errors
    /// [`UsageError::BadChannelName`], [`UsageError::TooManyChannels`].
    pub fn subscribe(&mut self, channel: &str) -> Result<(), UsageError> {
        let name = Text::from_str_truncating(channel);
        if channel.is_empty() || name.is_truncated() {
            return Err(UsageError::BadChannelName);
        }
        let m = &mut self.core;
        if m.channels.iter().any(|c| c.name.as_str() == channel) {
            return Ok(());
        }
        m.channels
            .push(Channel {
                name,
                sub: Sub::Idle,
                deadline: None,
            })
            .map_err(|_| UsageError::TooManyChannels)?;
        if m.socket == Socket::Ready {
            let idx = m.channels.len().saturating_sub(1);
            let now = m.clock;
            m.send_subscribe(now, idx);
        }
        Ok(())
    }

    /// Stops keeping `channel` subscribed, telling the server when connected. Unknown
    /// channels are ignored.
    pub fn unsubscribe(&mut self, channel: &str) {
        let m = &mut self.core;
        let Some(idx) = m.channels.iter().position(|c| c.name.as_str() == channel) else {
            return;
        };
        let removed = m.channels.swap_remove(idx);
        // Queued subscribes name slots: drop the removed channel's, and follow the channel
        // that `swap_remove` moved from the end into `idx`.
        let is_sub_of =
            |p: &Pending, slot: usize| matches!(p, Pending::Subscribe(i, _) if *i == slot);
        let was_queued = m.transmits.iter().any(|p| is_sub_of(p, idx));
        m.retain_transmits(|p| !is_sub_of(p, idx));
        let moved_from = m.channels.len();
        for p in m.transmits.iter_mut() {
            if let Pending::Subscribe(i, _) = p
                && *i == moved_from
            {
                *i = idx;
            }
        }
        // Tell the server only about a subscribe it has seen.
        let sent = removed.sub != Sub::Idle && !was_queued;
        if m.socket == Socket::Ready && sent {
            m.queue_unsubscribe(removed.name);
        }
    }

    /// Closes the connection for good (until [`connect`](Self::connect) is called again).
    pub fn disconnect(&mut self, _now: Instant) {
        let m = &mut self.core;
        if matches!(m.state, State::Disconnected | State::Initialized) {
            return;
        }
        m.close_socket(1000);
        m.stop_timers();
        m.push_event(Event::Disconnected {
            code: Some(1000),
            reason: Text::from_str_truncating("disconnect requested"),
            will_retry: false,
        });
        m.set_state(State::Disconnected);
    }

    // ----- inputs -----

    /// The socket asked for by [`Transmit::Open`] is open.
    pub fn handle_open(&mut self, now: Instant) {
        let Self { core: m, proto } = self;
        m.tick(now);
        if m.socket != Socket::Opening {
            return;
        }
        m.socket = Socket::Handshaking;
        m.timers.handshake = Some(timeout_after(now, m.config.connect_timeout));
        proto.opened(m);
    }

    /// One whole WebSocket text message arrived. Its transport messages (handshake, pings,
    /// replies) are handled now; iterate the result for the Kick events it holds, decoded as
    /// you read them. The message is decoded in place (hence `&mut`: keep a copy first if you
    /// record raw messages).
    pub fn handle_message<'c, 'm>(
        &'c mut self,
        now: Instant,
        message: &'m mut [u8],
    ) -> Received<'c, 'm> {
        let Self { core: m, proto } = self;
        m.tick(now);
        // Activity counts on a ready socket only, which `on_activity` checks itself.
        m.on_activity(now);
        // A connection with no room for a token speaks Pusher only: its walk reads no
        // Centrifugo message (a condition the compiler decides, as in `transport.rs`).
        let left = if TOKEN > 0 {
            received::handle_transport::<_, _, _, true>(m, proto, now, message)
        } else {
            received::handle_transport::<_, _, _, false>(m, proto, now, message)
        };
        Received::new(m, message, left)
    }

    /// The socket closed (`code` from the close frame, `None` when there was none or the
    /// socket could not be opened at all).
    pub fn handle_closed(&mut self, now: Instant, code: Option<u16>, reason: &str) {
        let Self { core: m, proto } = self;
        m.tick(now);
        if m.socket == Socket::Closed {
            return; // we closed it ourselves, or it was never open
        }
        let opened = m.socket != Socket::Opening;
        m.socket = Socket::Closed;
        m.clear_socket_timers();
        let mut plan = proto.close_plan(m, code);
        if !opened {
            plan.reason = Reason::OpenFailed;
        }
        m.closed(now, code, reason, plan);
    }

    /// Time passed: call at (or after) the instant [`poll_timeout`](Self::poll_timeout) gave.
    pub fn handle_timeout(&mut self, now: Instant) {
        let Self { core: m, proto } = self;
        m.tick(now);
        let due = |t: &mut Option<Instant>| t.take_if(|t| *t <= now).is_some();
        if due(&mut m.timers.unavailable) && m.state == State::Connecting {
            m.set_state(State::Unavailable);
        }
        if due(&mut m.timers.handshake) {
            m.drop_socket(now, Reason::HandshakeTimeout);
        }
        if due(&mut m.timers.pong) {
            m.drop_socket(now, Reason::PingTimeout);
        }
        if due(&mut m.timers.activity) {
            proto.silent(m, now);
        }
        m.check_subscribe_deadlines(now);
        // Centrifugo's timers: none is ever set in a connection with no room for a token,
        // which speaks Pusher only (the browser's module every page loads), whose build then
        // has none of what they call.
        if TOKEN > 0 {
            if due(&mut m.timers.resubscribe) {
                m.resubscribe(now);
            }
            if due(&mut m.timers.refresh) {
                proto.refresh_due(m, now);
            }
            if due(&mut m.timers.token) {
                proto.token_unavailable(m, now);
            }
        }
        if due(&mut m.timers.retry) {
            self.start_attempt(now);
        }
    }

    /// (Centrifugo) gives the token to connect with, or a fresh one to refresh a live
    /// connection with, after [`Event::TokenRequired`]. Ignored by Pusher connections.
    ///
    /// # Errors
    /// [`UsageError::TokenTooLong`].
    pub fn set_token(&mut self, now: Instant, token: &str) -> Result<(), UsageError> {
        let Self { core: m, proto } = self;
        m.tick(now);
        if token.len() > TOKEN {
            return Err(UsageError::TokenTooLong);
        }
        proto.set_token(m, now, token);
        Ok(())
    }

    /// (Centrifugo) the token fetch asked for by [`Event::TokenRequired`] failed. The
    /// connection asks again after a back-off: for a token to connect with, as a failed
    /// attempt ([`Event::Reconnecting`] with [`Reason::TokenUnavailable`]); for a refresh, on a
    /// back-off of its own while the connection stays up. Without this call the same happens
    /// [`Config::token_timeout`] after the request. Ignored when no token is awaited.
    pub fn token_failed(&mut self, now: Instant) {
        let Self { core: m, proto } = self;
        m.tick(now);
        if m.timers.token.take().is_some() {
            proto.token_unavailable(m, now);
        }
    }

    // ----- outputs -----

    /// The next thing to do with the socket, written into `buf` (`None`: nothing for now).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`]: the frame stays queued; call again with a bigger buffer.
    pub fn poll_transmit<'b>(
        &mut self,
        buf: &'b mut [u8],
    ) -> Result<Option<Transmit<'b>>, EncodeError> {
        let Self { core: m, proto } = self;
        m.poll_transmit(proto, buf)
    }

    /// The next lifecycle event (`None`: none for now).
    // Not inlined into the browser's `kw_poll`: 0.015 KB gzipped less of its core module.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.core.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next (`None`: no timer).
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        let t = &self.core.timers;
        let timers = earliest(
            earliest(t.retry, t.handshake),
            earliest(t.unavailable, t.activity),
        );
        let timers = earliest(timers, t.pong);
        // Centrifugo's: never set with no room for a token (see `handle_timeout`).
        let timers = if TOKEN > 0 {
            earliest(
                timers,
                earliest(t.refresh, earliest(t.resubscribe, t.token)),
            )
        } else {
            timers
        };
        self.core
            .channels
            .iter()
            .fold(timers, |next, c| earliest(next, c.deadline))
    }
}

/// The earlier of two deadlines, or the one there is.
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod recovery_tests;
#[cfg(test)]
mod tests;
