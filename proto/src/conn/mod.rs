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
//! use kickwire_proto::{Message, kick::Event as Kick};
//!
//! let url = "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
//! let mut conn = Connection::pusher(url, Config::default()).unwrap();
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

use core::time::Duration;

use heapless::{Deque, Vec};

pub use crate::raw::RawEvent;
pub use config::{Config, Transmit, UsageError};
pub use encode::EncodeError;
pub use event::{Event, Reason, State};
pub use pusher::{CloseAction, PusherUrl, close_action, pusher_app_url, url_transport};
pub use received::Received;
pub use time::Instant;

use crate::envelope::Transport;
use crate::limits::{CHANNEL, CHANNELS, TOKEN, URL};
use crate::text::Text;
use backoff::Backoff;
use encode::{Pending, Writer};
use time::timeout_after;

/// Frames waiting for [`Connection::poll_transmit`]. What can be queued at once, whatever the
/// driver does: a close of the old socket and an open (frames for a socket are withdrawn when
/// it closes), a connect or a refresh, one subscribe and one unsubscribe per channel (a
/// channel's subscribe is queued once, at most), one ping and one pong (repeats are one frame):
/// `2 + 1 + 2 * CHANNELS + 2`, plus one to spare.
const TRANSMITS: usize = CHANNELS.saturating_mul(2).saturating_add(6);
/// Lifecycle events waiting for [`Connection::poll_event`]. One input, drained as the module
/// docs say, queues at most: a state change and `Connected` (a connect reply), one event per
/// channel (a newer one replaces the channel's older), one bad-message and one server-error
/// report (repeats are counted in them), and a drop (`Disconnected`, a state change,
/// `Reconnecting`, `TokenRequired`): `2 + CHANNELS + 2 + 4`, plus four to spare.
const EVENTS: usize = CHANNELS.saturating_add(12);

/// Where the one subscription of a channel stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    /// Not asked for on this socket yet.
    Idle,
    /// Asked for; Centrifugo commands carry this id.
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
    /// Pusher: send a ping then. Centrifugo: the server's ping is late then.
    activity: Option<Instant>,
    /// Pusher: the pong is late then.
    pong: Option<Instant>,
    /// Centrifugo: ask for a fresh token then.
    refresh: Option<Instant>,
    /// Centrifugo: ask again for subscriptions refused with a temporary error.
    resubscribe: Option<Instant>,
    /// Centrifugo: the token asked for must have come by then.
    token: Option<Instant>,
}

/// Per-transport state.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // the token is stored inline on purpose: no allocator
enum Proto {
    Pusher {
        /// The activity timeout in force (min of ours and the server's).
        activity: Duration,
    },
    Centrifugo {
        token: Option<Text<TOKEN>>,
        /// A token has been asked for ([`Event::TokenRequired`]) and not given yet: `Some(true)`
        /// while only a refresh of a live connection needs it.
        waiting_token: Option<bool>,
        /// Failed refreshes in a row: their retries back off on their own, apart from the
        /// reconnects.
        refresh_backoff: Backoff,
        next_id: u32,
        connect_id: u32,
        refresh_id: Option<u32>,
        /// The server's ping interval, once connected (`None`: it sends none, so we ping).
        ping: Option<Duration>,
        /// The id of our own ping, while its reply is awaited.
        ping_id: Option<u32>,
    },
}

/// One connection to a Pusher or Centrifugo server. See the [module docs](self) for the loop
/// that drives it.
#[derive(Debug, Clone)]
pub struct Connection {
    config: Config,
    url: Text<URL>,
    proto: Proto,
    state: State,
    socket: Socket,
    socket_id: Text<{ crate::limits::SOCKET_ID }>,
    channels: Vec<Channel, CHANNELS>,
    backoff: Backoff,
    timers: Timers,
    transmits: Deque<Pending, TRANSMITS>,
    events: Deque<Event, EVENTS>,
    /// Events that did not fit (the drain rule was broken): counted, never silent.
    events_dropped: u32,
    /// Frames that did not fit (the drain rule was broken): counted, never silent.
    transmits_dropped: u32,
    /// When the current socket's handshake completed: the back-off starts over only once a
    /// connection has stayed up [`Config::stable_after`].
    connected_at: Option<Instant>,
    /// The latest `now` any input brought: the time of commands that take none.
    clock: Instant,
}

impl Connection {
    /// A Pusher v7 connection to `url` (build one with [`PusherUrl`]).
    ///
    /// # Errors
    /// [`UsageError::UrlTooLong`], [`UsageError::NotAWebSocketUrl`].
    pub fn pusher(url: &str, config: Config) -> Result<Self, UsageError> {
        let activity = config.activity_timeout;
        Self::new(url, config, Proto::Pusher { activity })
    }

    /// A Centrifugo connection to `url` (`wss://…/connection/websocket`). It asks for a token
    /// with [`Event::TokenRequired`] unless one is given first with
    /// [`set_token`](Self::set_token).
    ///
    /// # Errors
    /// [`UsageError::UrlTooLong`], [`UsageError::NotAWebSocketUrl`].
    pub fn centrifugo(url: &str, config: Config) -> Result<Self, UsageError> {
        let seed = config.rng_seed;
        Self::new(
            url,
            config,
            Proto::Centrifugo {
                token: None,
                waiting_token: None,
                refresh_backoff: Backoff::new(seed.rotate_left(17)),
                next_id: 1,
                connect_id: 0,
                refresh_id: None,
                ping: None,
                ping_id: None,
            },
        )
    }

    fn new(url: &str, config: Config, proto: Proto) -> Result<Self, UsageError> {
        if !(url.starts_with("ws://") || url.starts_with("wss://")) {
            return Err(UsageError::NotAWebSocketUrl);
        }
        let text = Text::from_str_truncating(url);
        if text.is_truncated() {
            return Err(UsageError::UrlTooLong);
        }
        Ok(Self {
            backoff: Backoff::new(config.rng_seed),
            config,
            url: text,
            proto,
            state: State::Initialized,
            socket: Socket::Closed,
            socket_id: Text::new(),
            channels: Vec::new(),
            timers: Timers::default(),
            transmits: Deque::new(),
            events: Deque::new(),
            events_dropped: 0,
            transmits_dropped: 0,
            connected_at: None,
            clock: Instant::from_millis(0),
        })
    }

    /// Which protocol this connection speaks.
    #[must_use]
    pub const fn transport(&self) -> Transport {
        match self.proto {
            Proto::Pusher { .. } => Transport::Pusher,
            Proto::Centrifugo { .. } => Transport::Centrifugo,
        }
    }

    /// The current state.
    #[must_use]
    pub const fn state(&self) -> State {
        self.state
    }

    /// The URL sockets are opened to (it changes from `ws://` to `wss://` when a Pusher server
    /// requires TLS).
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Lifecycle events lost because the drain rule was broken (see the module docs). Bursts
    /// of bad messages or server errors are not losses: they are counted in the event's
    /// `repeats`.
    #[must_use]
    pub const fn events_dropped(&self) -> u32 {
        self.events_dropped
    }

    /// Frames lost because the drain rule was broken (see the module docs); zero otherwise.
    #[must_use]
    pub const fn transmits_dropped(&self) -> u32 {
        self.transmits_dropped
    }

    /// Whether `channel` is subscribed right now.
    #[must_use]
    pub fn is_subscribed(&self, channel: &str) -> bool {
        self.channels
            .iter()
            .any(|c| c.name.as_str() == channel && c.sub == Sub::Subscribed)
    }

    // ----- commands -----

    /// Starts connecting (a no-op unless the state is `Initialized` or `Disconnected`).
    pub fn connect(&mut self, now: Instant) {
        self.tick(now);
        if !matches!(self.state, State::Initialized | State::Disconnected) {
            return;
        }
        self.backoff.reset();
        self.set_state(State::Connecting);
        self.timers.unavailable = Some(now.after(self.config.unavailable_timeout));
        self.start_attempt(now);
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
        if self.channels.iter().any(|c| c.name.as_str() == channel) {
            return Ok(());
        }
        self.channels
            .push(Channel {
                name,
                sub: Sub::Idle,
                deadline: None,
            })
            .map_err(|_| UsageError::TooManyChannels)?;
        if self.socket == Socket::Ready {
            let idx = self.channels.len().saturating_sub(1);
            self.send_subscribe(self.clock, idx);
        }
        Ok(())
    }

    /// Stops keeping `channel` subscribed, telling the server when connected. Unknown
    /// channels are ignored.
    pub fn unsubscribe(&mut self, channel: &str) {
        let Some(idx) = self
            .channels
            .iter()
            .position(|c| c.name.as_str() == channel)
        else {
            return;
        };
        let removed = self.channels.swap_remove(idx);
        // Queued subscribes name slots: drop the removed channel's, and follow the channel
        // that `swap_remove` moved from the end into `idx`.
        let is_sub_of = |p: &Pending, slot: usize| matches!(p, Pending::PusherSubscribe(i) | Pending::CentSubscribe(i, _) if *i == slot);
        let was_queued = self.transmits.iter().any(|p| is_sub_of(p, idx));
        self.retain_transmits(|p| !is_sub_of(p, idx));
        let moved_from = self.channels.len();
        for p in self.transmits.iter_mut() {
            if let Pending::PusherSubscribe(i) | Pending::CentSubscribe(i, _) = p
                && *i == moved_from
            {
                *i = idx;
            }
        }
        // Tell the server only about a subscribe it has seen.
        let sent = removed.sub != Sub::Idle && !was_queued;
        if self.socket == Socket::Ready && sent {
            self.queue(Pending::Unsubscribe(removed.name));
        }
    }

    /// Notes the time an input brought (never going back).
    fn tick(&mut self, now: Instant) {
        self.clock = self.clock.max(now);
    }

    /// Keeps the queued frames for which `keep` is true, in order.
    fn retain_transmits(&mut self, keep: impl Fn(&Pending) -> bool) {
        let mut kept = Deque::new();
        while let Some(p) = self.transmits.pop_front() {
            if keep(&p) {
                let _ = kept.push_back(p);
            }
        }
        self.transmits = kept;
    }

    /// Closes the connection for good (until [`connect`](Self::connect) is called again).
    pub fn disconnect(&mut self, _now: Instant) {
        if matches!(self.state, State::Disconnected | State::Initialized) {
            return;
        }
        self.close_socket(1000);
        self.stop_timers();
        self.push_event(Event::Disconnected {
            code: Some(1000),
            reason: Text::from_str_truncating("disconnect requested"),
            will_retry: false,
        });
        self.set_state(State::Disconnected);
    }

    // ----- inputs -----

    /// The socket asked for by [`Transmit::Open`] is open.
    pub fn handle_open(&mut self, now: Instant) {
        self.tick(now);
        if self.socket != Socket::Opening {
            return;
        }
        self.socket = Socket::Handshaking;
        self.timers.handshake = Some(timeout_after(now, self.config.connect_timeout));
        if let Proto::Centrifugo { .. } = self.proto {
            self.centrifugo_send_connect();
        }
    }

    /// One whole WebSocket text message arrived. It is decoded in place (hence `&mut`: keep a
    /// copy first if you record raw messages). Iterate the result for the Kick events it holds;
    /// transport messages (handshake, pings, replies) are handled whether or not you do.
    pub fn handle_message<'c, 'm>(
        &'c mut self,
        now: Instant,
        message: &'m mut [u8],
    ) -> Received<'c, 'm> {
        self.tick(now);
        if matches!(self.socket, Socket::Handshaking | Socket::Ready) {
            self.on_activity(now);
        }
        Received::new(self, now, message)
    }

    /// The socket closed (`code` from the close frame, `None` when there was none or the
    /// socket could not be opened at all).
    pub fn handle_closed(&mut self, now: Instant, code: Option<u16>, reason: &str) {
        self.tick(now);
        if self.socket == Socket::Closed {
            return; // we closed it ourselves, or it was never open
        }
        let opened = self.socket != Socket::Opening;
        self.socket = Socket::Closed;
        self.clear_socket_timers();
        let (retry, at_once, why) = match self.proto {
            Proto::Pusher { .. } => self.pusher_close_plan(code),
            Proto::Centrifugo { .. } => self.centrifugo_close_plan(code),
        };
        let why = if opened { why } else { Reason::OpenFailed };
        self.push_event(Event::Disconnected {
            code,
            reason: Text::from_str_truncating(reason),
            will_retry: retry && self.config.reconnect,
        });
        self.after_close(now, retry, at_once, why);
    }

    /// Time passed: call at (or after) the instant [`poll_timeout`](Self::poll_timeout) gave.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.tick(now);
        let due = |t: Option<Instant>| t.is_some_and(|t| t <= now);
        if due(self.timers.unavailable) {
            self.timers.unavailable = None;
            if self.state == State::Connecting {
                self.set_state(State::Unavailable);
            }
        }
        if due(self.timers.handshake) {
            self.timers.handshake = None;
            self.drop_socket(now, Reason::HandshakeTimeout);
        }
        if due(self.timers.pong) {
            self.timers.pong = None;
            self.drop_socket(now, Reason::PingTimeout);
        }
        if due(self.timers.activity) {
            self.timers.activity = None;
            match self.proto {
                Proto::Pusher { .. } => {
                    // pusher-js: ping after silence, then give the pong `pong_timeout`.
                    self.queue(Pending::PusherPing);
                    self.timers.pong = Some(timeout_after(now, self.config.pong_timeout));
                }
                // The server's ping is late.
                Proto::Centrifugo { ping: Some(_), .. } => {
                    self.drop_socket(now, Reason::PingTimeout);
                }
                // A server that sends no pings: ask it something, as a Pusher client would.
                Proto::Centrifugo { ping: None, .. } => self.centrifugo_send_ping(now),
            }
        }
        self.check_subscribe_deadlines(now);
        if due(self.timers.resubscribe) {
            self.timers.resubscribe = None;
            if self.socket == Socket::Ready {
                for i in 0..self.channels.len() {
                    if self.channels.get(i).is_some_and(|c| c.sub == Sub::Idle) {
                        self.send_subscribe(now, i);
                    }
                }
            }
        }
        if due(self.timers.refresh) {
            self.timers.refresh = None;
            self.centrifugo_want_token(now, true);
        }
        if due(self.timers.token) {
            self.timers.token = None;
            self.centrifugo_token_unavailable(now);
        }
        if due(self.timers.retry) {
            self.timers.retry = None;
            self.start_attempt(now);
        }
    }

    /// (Centrifugo) gives the token to connect with, or a fresh one to refresh a live
    /// connection with, after [`Event::TokenRequired`]. Ignored by Pusher connections.
    ///
    /// # Errors
    /// [`UsageError::TokenTooLong`].
    pub fn set_token(&mut self, now: Instant, token: &str) -> Result<(), UsageError> {
        self.tick(now);
        let text = Text::from_str_truncating(token);
        if text.is_truncated() {
            return Err(UsageError::TokenTooLong);
        }
        let Proto::Centrifugo {
            token: t,
            waiting_token,
            ..
        } = &mut self.proto
        else {
            return Ok(());
        };
        *t = Some(text);
        let was_waiting = waiting_token.take().is_some();
        self.timers.token = None;
        match self.socket {
            Socket::Ready => self.centrifugo_send_refresh(),
            Socket::Closed if was_waiting && self.timers.retry.is_none() => {
                if matches!(self.state, State::Connecting | State::Unavailable) {
                    self.start_attempt(now);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// (Centrifugo) the token fetch asked for by [`Event::TokenRequired`] failed. The
    /// connection asks again after a back-off: for a token to connect with, as a failed
    /// attempt ([`Event::Reconnecting`] with [`Reason::TokenUnavailable`]); for a refresh, on a
    /// back-off of its own while the connection stays up. Without this call the same happens
    /// [`Config::token_timeout`] after the request. Ignored when no token is awaited.
    pub fn token_failed(&mut self, now: Instant) {
        self.tick(now);
        if let Proto::Centrifugo {
            waiting_token: Some(_),
            ..
        } = self.proto
        {
            self.timers.token = None;
            self.centrifugo_token_unavailable(now);
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
        let Some(next) = self.transmits.front().cloned() else {
            return Ok(None);
        };
        let out = match next {
            Pending::Open => {
                let mut w = Writer::new(buf);
                w.str(&self.url);
                Transmit::Open { url: w.finish()? }
            }
            Pending::Close(code) => Transmit::Close { code },
            other => Transmit::Text(self.encode(&other, buf)?),
        };
        self.transmits.pop_front();
        Ok(Some(out))
    }

    /// The next lifecycle event (`None`: none for now).
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next (`None`: no timer).
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        let t = &self.timers;
        let subscribe = self.channels.iter().filter_map(|c| c.deadline).min();
        [
            t.retry,
            t.handshake,
            t.unavailable,
            t.activity,
            t.pong,
            t.refresh,
            t.resubscribe,
            t.token,
            subscribe,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Consecutive failed attempts since the last good connection.
    #[must_use]
    pub const fn failures(&self) -> u32 {
        self.backoff.failures()
    }
}

#[cfg(test)]
mod recovery_tests;
#[cfg(test)]
mod tests;
