//! # kickwire-link
//!
//! The WebSocket link: a sans-IO layer between a byte stream (TCP, or TLS over TCP) and a
//! [`kickwire_proto::conn::Connection`]. The alert board's firmware drives it from an embassy
//! task; the terminal simulator (`examples/alert-sim`) from a blocking std loop.
//!
//! The link owns no socket and no clock, like the connection it drives. It speaks the
//! WebSocket protocol (RFC 6455, client side) with a codec of its own, on buffers the caller
//! lends it, and tells the caller what to do with the socket through [`Action`]s. It works the
//! same from a blocking `std` loop and from an async embassy task.
//!
//! What it does:
//! - splits the URL of proto's `Transmit::Open` into host, port and request target ([`Url`]),
//!   and says when it needs TLS (`wss://`), which the caller may refuse with
//!   [`handle_connect_failed`](Link::handle_connect_failed);
//! - writes the HTTP upgrade request (`Sec-WebSocket-Key` from the caller's RNG, version 13)
//!   and checks the response: status 101, `Upgrade: websocket`, `Connection: upgrade`, the
//!   exact `Sec-WebSocket-Accept` (base64 of the SHA-1 of the key and RFC 6455's GUID), and no
//!   extension or sub-protocol, since it asks for none. The head may come in any number of
//!   reads; frames that follow it in the same read are kept;
//! - reads the server's frames in any number of reads, or many in one read (7-, 16- and
//!   64-bit lengths; a data frame's payload streams through `rx`, so it may be larger than
//!   `rx`), and reassembles fragmented messages into the caller's message buffer, dropping
//!   (and counting) a message that does not fit, or a binary one, instead of failing the
//!   connection (or, with [`TooBig::Close`], closing with status 1009 at the first frame
//!   header that makes a message too big);
//! - answers pings with their payload, replies to the server's close frame with its status
//!   code and reports the code and reason to the connection, and writes the close frame the
//!   connection asks for. Control frames are read only once whole, so a close frame split
//!   between reads keeps its code;
//! - masks every frame it writes with a fresh key from the RNG;
//! - answers a frame a server must not send (masked, reserved bits or opcodes, a control frame
//!   over 125 bytes or fragmented, a 64-bit length with its top bit set, a close frame with a
//!   1-byte payload or a status code no endpoint may send) with a close frame of status 1002,
//!   closes the socket and tells the connection why. A data frame out of order (a continuation
//!   with no message, or a new message before the last one's final fragment) ends the socket
//!   without a close frame;
//! - gives the proto connection whole text messages, and the caller the Kick events in them
//!   as [`JsonEvent`]s: the kind, the channel and the payload's JSON text, unescaped in place in
//!   the message buffer ([`Received::next_raw`](kickwire_proto::conn::Received::next_raw)).
//!   The link keeps no typed [`kickwire_proto::Message`] (over 6 KB on RV32): a caller that
//!   wants the typed event decodes the payload itself, or takes the events from the
//!   connection's [`Received`](kickwire_proto::conn::Received) with [`poll_with`](Link::poll_with)
//!   and a [`Receive`] of its own (which also sees each message's text before it is decoded).
//!
//! # The driving loop
//! Inputs: [`handle_connected`](Link::handle_connected) (the TCP connection asked for by
//! [`Action::Connect`] is up), [`handle_connect_failed`](Link::handle_connect_failed),
//! [`read_buf`](Link::read_buf) + [`handle_read`](Link::handle_read) (bytes arrived; or
//! [`handle_bytes`](Link::handle_bytes) to copy them in), [`handle_closed`](Link::handle_closed)
//! (the stream ended or failed), [`handle_timeout`](Link::handle_timeout). Commands go to the
//! connection itself ([`connection_mut`](Link::connection_mut): `subscribe`, `connect`,
//! `disconnect`).
//!
//! **After every input or command, call [`poll`](Link::poll) until it returns `None`, doing
//! each [`Action`] in order, then sleep until [`poll_timeout`](Link::poll_timeout) or the next
//! input.** `poll` is where received bytes are processed, one WebSocket message at a time, and
//! it drains the connection (its transmits, then its lifecycle events) after each one, which is
//! proto's driving rule. Kick events go to the closure given to `poll`, each borrowing the
//! message buffer until the closure returns (copy out what is kept). A Kick event that cannot
//! be used (a broken escape in its payload) becomes an [`Event::BadMessage`] for
//! [`Action::Event`] and the events after it still come.
//!
//! ```no_run
//! # use kickwire_link::{Action, Buffers, Config, Link};
//! # use kickwire_proto::{Transport, conn::{Connection, Instant}};
//! # fn now() -> Instant { Instant::from_millis(0) }
//! # #[derive(Clone)] struct Rng; impl rand_core::RngCore for Rng {
//! #   fn next_u32(&mut self) -> u32 { 4 } fn next_u64(&mut self) -> u64 { 4 }
//! #   fn fill_bytes(&mut self, d: &mut [u8]) { d.fill(4) }
//! #   fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), rand_core::Error> { d.fill(4); Ok(()) } }
//! use std::io::{Read, Write};
//! let conn = Connection::new(Transport::Pusher, "ws://127.0.0.1:6001/app/key?protocol=7", Default::default()).unwrap();
//! let (mut rx, mut msg, mut tx) = ([0; 1536], [0; 16384], [0; 1024]);
//! let buffers = Buffers { rx: &mut rx, message: &mut msg, tx: &mut tx };
//! let mut link = Link::new(conn, Rng, buffers, Config::default()).unwrap();
//! link.connection_mut().subscribe("chatrooms.2507974.v2").unwrap();
//! link.connection_mut().connect(now());
//! let mut socket: Option<std::net::TcpStream> = None;
//! loop {
//!     while let Some(action) = link.poll(now(), |kick| {
//!         let payload = core::str::from_utf8(kick.payload).unwrap_or("?");
//!         println!("{:?} on {}: {payload}", kick.kind, kick.channel)
//!     }) {
//!         match action {
//!             Action::Connect(url) => match std::net::TcpStream::connect((url.host, url.port)) {
//!                 Ok(s) => { socket = Some(s); link.handle_connected(now()) }
//!                 Err(_) => link.handle_connect_failed(now(), "cannot connect"),
//!             },
//!             Action::Write(bytes) => { socket.as_mut().unwrap().write_all(bytes).unwrap(); }
//!             Action::Close => socket = None,
//!             Action::Event(event) => println!("{event:?}"),
//!         }
//!     }
//!     // Read with a timeout up to `link.poll_timeout()`, then:
//!     let n = socket.as_mut().unwrap().read(link.read_buf()).unwrap();
//!     if n == 0 { socket = None; link.handle_closed(now(), "closed by the server") }
//!     else { link.handle_read(n) }
//!     link.handle_timeout(now());
//! }
//! ```
//!
//! # Buffers
//! - `rx`: bytes read and not yet processed. It must hold the whole HTTP response head and one
//!   control frame (127 bytes); data frames pass through it in pieces. 1.5 KiB is plenty.
//! - `message`: one whole WebSocket message (fragments are joined here). Kick's frames are
//!   0.4-3 KB; [`kickwire_proto::limits::MAX_PAYLOAD`] (16 KiB) holds anything proto accepts.
//! - `tx`: one outgoing frame and, in its second half, the text the connection writes it from;
//!   also the HTTP upgrade request (about 300 bytes for a Pusher URL). 1 KiB suffices for Pusher;
//!   Centrifugo's connect command carries a token: twice the token length plus 256.

#![no_std]

// Unit tests build on the host and may allocate; the `std` feature's modules are for hosts.
#[cfg(any(test, feature = "std"))]
extern crate std;

// The codec: the upgrade request and key (`handshake`, with `base64`), the 101 check
// (`response`), the frame format both ways (`frame`); `rx` and `tx` drive them.
mod base64;
#[cfg(feature = "std")]
pub mod blocking;
mod frame;
mod handshake;
#[cfg(feature = "std")]
pub mod http;
#[cfg(feature = "std")]
pub mod net;
mod receive;
mod response;
mod rx;
mod tx;
mod url;

use core::time::Duration;

use kickwire_proto::JsonEvent;
use kickwire_proto::conn::{Connection, Event, Instant};
use kickwire_proto::limits::URL;
use rand_core::RngCore;

pub use receive::Receive;
pub use url::{Url, UrlError};

/// The smallest `rx` buffer [`Link::new`] accepts: a 101 response head and a control frame fit.
pub const MIN_RX: usize = 256;
/// The smallest `tx` buffer [`Link::new`] accepts: an upgrade request for a short URL, and a
/// Pusher subscribe frame with its text.
pub const MIN_TX: usize = 512;
/// The smallest `message` buffer [`Link::new`] accepts.
pub const MIN_MESSAGE: usize = 256;

/// The buffers the link works in, lent by the caller (statics on a board, arrays or vectors on a
/// host); see the [module docs](self) for their sizes.
#[derive(Debug)]
pub struct Buffers<'b> {
    /// Received bytes not processed yet.
    pub rx: &'b mut [u8],
    /// The message being reassembled.
    pub message: &'b mut [u8],
    /// The next bytes to write.
    pub tx: &'b mut [u8],
}

/// A buffer given to [`Link::new`] is smaller than the link needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SizeError {
    /// `rx` is shorter than [`MIN_RX`].
    Rx,
    /// `tx` is shorter than [`MIN_TX`].
    Tx,
    /// `message` is shorter than [`MIN_MESSAGE`].
    Message,
}

impl core::fmt::Display for SizeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Rx => "the rx buffer is too small",
            Self::Tx => "the tx buffer is too small",
            Self::Message => "the message buffer is too small",
        })
    }
}

impl core::error::Error for SizeError {}

/// Options of the link itself (the connection has its own).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config<'c> {
    /// The `Origin` header of the upgrade request (default `https://kick.com`: Kick's servers
    /// refuse some other origins; a self-hosted server accepts any). `None` sends none.
    pub origin: Option<&'c str>,
    /// How long the TCP connect and the HTTP upgrade together may take before the attempt is
    /// given up (default 10 s). The connection's own handshake timer starts after it.
    pub upgrade_timeout: Duration,
    /// What becomes of a message larger than the message buffer (default: dropped).
    pub too_big: TooBig,
}

impl Default for Config<'_> {
    fn default() -> Self {
        Self {
            origin: Some(kickwire_proto::http::KICK_ORIGIN),
            upgrade_timeout: Duration::from_secs(10),
            too_big: TooBig::Drop,
        }
    }
}

/// What the link does with a message larger than its message buffer ([`Config::too_big`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum TooBig {
    /// Drop it and keep the socket: its bytes pass through `rx` and are counted in
    /// [`Link::dropped_messages`]. A board's choice: its buffer holds every Kick frame, and
    /// one odd message is not worth a reconnect.
    Drop,
    /// Close the socket with status 1009 ("message too big", RFC 6455 section 7.4.1) as soon
    /// as a frame header says the message will not fit, and tell the connection (code 1009:
    /// it reconnects). The rest of the message is still on its way: see
    /// [`Link::closes_mid_message`].
    Close,
}

/// What the caller must do next, from [`Link::poll`].
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // returned by value, once: no allocator to box it
pub enum Action<'a> {
    /// Open a TCP connection to `url.host:url.port` (over TLS when `url.tls`), then call
    /// [`Link::handle_connected`], or [`Link::handle_connect_failed`] (also to refuse TLS).
    /// Any previous socket has been closed first.
    Connect(Url<'a>),
    /// Write all of these bytes to the socket, before calling `poll` again.
    Write(&'a [u8]),
    /// Close the socket (everything asked to be written before has been). Do not report this
    /// close back with [`Link::handle_closed`].
    Close,
    /// A lifecycle event of the connection (state changes, connected, subscribed, ...).
    Event(Event),
}

/// Where the socket stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// No socket.
    Idle,
    /// [`Action::Connect`] given, waiting for the TCP connection until the deadline.
    Connecting { deadline: Instant },
    /// The upgrade request is written; waiting for the 101 response until the deadline.
    Upgrading {
        /// The `Sec-WebSocket-Accept` value the response must have.
        accept: handshake::Accept,
        deadline: Instant,
    },
    /// The WebSocket is open: frames flow.
    Open,
}

/// The WebSocket link: see the [module docs](self).
///
/// `R` is the random number generator for the handshake key and the masking keys: a hardware
/// or OS generator (`esp_hal`'s `Rng`, `rand_core::OsRng`). The link draws from it directly;
/// the `Clone` bound is the one its first codec needed, kept so that the API stays the same.
/// The last four parameters are the capacities of the [`Connection`] it drives (the same
/// defaults; the firmware's are in `kickwire_board::memory`).
pub struct Link<
    'b,
    R: RngCore + Clone,
    const CHANNELS: usize = { kickwire_proto::limits::CHANNELS },
    const EVENTS: usize = { kickwire_proto::limits::EVENTS },
    const TRANSMITS: usize = { kickwire_proto::limits::TRANSMITS },
    const TOKEN: usize = { kickwire_proto::limits::TOKEN },
> {
    conn: Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN>,
    rng: R,
    config: Config<'b>,
    phase: Phase,
    /// The URL of the current socket, kept for the upgrade request.
    url: heapless::String<URL>,
    rx: &'b mut [u8],
    /// Unprocessed bytes are `rx[rx_start..rx_end]`.
    rx_start: usize,
    rx_end: usize,
    msg: &'b mut [u8],
    /// Bytes of the message being reassembled.
    msg_len: usize,
    /// The message being received is dropped (too big, or binary).
    skip: bool,
    /// A message has begun and its final frame has not been read.
    in_message: bool,
    /// The data frame being read is its message's last (FIN).
    frame_fin: bool,
    /// Payload bytes of the data frame being read that have not arrived yet (0: the next
    /// bytes start a frame).
    frame_left: u64,
    tx: &'b mut [u8],
    /// `tx[..tx_len]` is to be written.
    tx_len: usize,
    /// `tx` was handed out by the last `poll`: it is free again at the next.
    tx_handed: bool,
    /// Ask the caller to close the socket (after any bytes in `tx`).
    close_pending: bool,
    /// The last `poll` stopped at its step bound with bytes left: wake up at once.
    more: bool,
    /// A control frame's payload.
    control: [u8; frame::CONTROL_MAX],
    dropped: u32,
    /// The socket being closed was refused mid-message ([`TooBig::Close`]).
    mid_message: bool,
}

impl<
    R: RngCore + Clone,
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
    const TOKEN: usize,
> core::fmt::Debug for Link<'_, R, CHANNELS, EVENTS, TRANSMITS, TOKEN>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Link")
            .field("phase", &self.phase)
            .field("url", &self.url.as_str())
            .field("rx", &(self.rx_start, self.rx_end))
            .field("msg_len", &self.msg_len)
            .field("tx_len", &self.tx_len)
            .field("dropped", &self.dropped)
            .finish_non_exhaustive()
    }
}

impl<
    'b,
    R: RngCore + Clone,
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
    const TOKEN: usize,
> Link<'b, R, CHANNELS, EVENTS, TRANSMITS, TOKEN>
{
    /// A link driving `conn`, in `buffers`.
    ///
    /// # Errors
    /// [`SizeError`]: a buffer is below its minimum.
    pub fn new(
        conn: Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN>,
        rng: R,
        buffers: Buffers<'b>,
        config: Config<'b>,
    ) -> Result<Self, SizeError> {
        let Buffers { rx, message, tx } = buffers;
        if rx.len() < MIN_RX {
            return Err(SizeError::Rx);
        }
        if tx.len() < MIN_TX {
            return Err(SizeError::Tx);
        }
        if message.len() < MIN_MESSAGE {
            return Err(SizeError::Message);
        }
        Ok(Self {
            conn,
            rng,
            config,
            phase: Phase::Idle,
            url: heapless::String::new(),
            rx,
            rx_start: 0,
            rx_end: 0,
            msg: message,
            msg_len: 0,
            skip: false,
            in_message: false,
            frame_fin: false,
            frame_left: 0,
            tx,
            tx_len: 0,
            tx_handed: false,
            close_pending: false,
            more: false,
            control: [0; frame::CONTROL_MAX],
            dropped: 0,
            mid_message: false,
        })
    }

    /// The connection.
    #[must_use]
    pub const fn connection(&self) -> &Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN> {
        &self.conn
    }

    /// The connection, for commands (`subscribe`, `connect`, `disconnect`, ...); call
    /// [`poll`](Self::poll) afterwards, as after any input.
    pub const fn connection_mut(&mut self) -> &mut Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN> {
        &mut self.conn
    }

    /// Received messages dropped because they did not fit the message buffer, or were binary.
    #[must_use]
    pub const fn dropped_messages(&self) -> u32 {
        self.dropped
    }

    /// Whether a WebSocket is open (upgrade done, no close seen).
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.phase == Phase::Open
    }

    /// The URL of the last socket asked for ([`Action::Connect`]); empty before the first.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The link's options, to change between sockets: a new `origin` or `upgrade_timeout`
    /// applies from the next [`Action::Connect`].
    pub const fn config_mut(&mut self) -> &mut Config<'b> {
        &mut self.config
    }

    /// Whether the socket that [`Action::Close`] asks to close still has bytes of a message
    /// on their way: the link refused a message mid-way ([`TooBig::Close`]). A caller that can
    /// should read and drop what comes for a moment (until the server closes, or a second or
    /// two) before it lets the socket go, so that the server reads the close frame rather than
    /// a reset. Cleared when the next socket is asked for.
    #[must_use]
    pub const fn closes_mid_message(&self) -> bool {
        self.mid_message
    }

    /// Queues a text message of the caller's own, behind the connection's back (the
    /// connection does not know of it: a client event it has no verb for, or a test provoking
    /// a server); it is written at the next [`poll`](Self::poll). `false`, and nothing queued,
    /// when no WebSocket is open, or the frame does not fit the `tx` buffer.
    pub fn send_text(&mut self, text: &str) -> bool {
        if self.phase != Phase::Open {
            return false;
        }
        // `tx` is free again once the caller is here: what the last `poll` handed out has
        // been written.
        if core::mem::take(&mut self.tx_handed) {
            self.tx_len = 0;
        }
        if self.tx_len > 0 {
            return false;
        }
        let mask = frame::mask_key(&mut self.rng);
        match frame::write(self.tx, frame::Opcode::Text, text.as_bytes(), mask) {
            Some(n) => {
                self.tx_len = n;
                true
            }
            None => false,
        }
    }

    // ----- inputs -----

    /// The TCP (or TLS) connection asked for by [`Action::Connect`] is up: the link writes the
    /// HTTP upgrade request (from the next [`poll`](Self::poll)).
    pub fn handle_connected(&mut self, now: Instant) {
        if !matches!(self.phase, Phase::Connecting { .. }) {
            return;
        }
        self.start_upgrade(now);
    }

    /// The connection asked for by [`Action::Connect`] could not be made (DNS, refused, TLS
    /// unavailable or refused by the caller): the connection retries after its back-off.
    pub fn handle_connect_failed(&mut self, now: Instant, reason: &str) {
        if matches!(self.phase, Phase::Connecting { .. }) {
            self.reset_socket();
            self.conn.handle_closed(now, None, reason);
        }
    }

    /// Where to read received bytes into (then call [`handle_read`](Self::handle_read)). Empty
    /// only when `rx` is full, which [`poll`](Self::poll) never leaves it.
    pub fn read_buf(&mut self) -> &mut [u8] {
        self.compact();
        self.rx.get_mut(self.rx_end..).unwrap_or_default()
    }

    /// `n` bytes were read into [`read_buf`](Self::read_buf). They are processed by the next
    /// [`poll`](Self::poll).
    pub fn handle_read(&mut self, n: usize) {
        if self.phase == Phase::Idle {
            return; // a socket already given up: nothing of it counts
        }
        self.rx_end = self.rx_end.saturating_add(n).min(self.rx.len());
    }

    /// Copies received bytes in (an alternative to [`read_buf`](Self::read_buf) +
    /// [`handle_read`](Self::handle_read)); returns how many were taken. Fewer than
    /// `bytes.len()` when `rx` is full: call [`poll`](Self::poll), then give the rest.
    pub fn handle_bytes(&mut self, bytes: &[u8]) -> usize {
        let buf = self.read_buf();
        let n = buf.len().min(bytes.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), bytes.get(..n)) {
            to.copy_from_slice(from);
        }
        self.handle_read(n);
        n
    }

    /// The byte stream ended or failed (EOF, reset, a read or write error): the connection
    /// reconnects after its back-off. Drop the socket; the link does not ask to close it.
    pub fn handle_closed(&mut self, now: Instant, reason: &str) {
        if self.phase == Phase::Idle {
            return;
        }
        self.reset_socket();
        self.conn.handle_closed(now, None, reason);
    }

    /// Time passed: call at (or after) the instant [`poll_timeout`](Self::poll_timeout) gave.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline().is_some_and(|d| d <= now) {
            self.fail(now, "no WebSocket upgrade in time");
        }
        self.conn.handle_timeout(now);
    }

    // ----- outputs -----

    /// The next thing to do; `None`: nothing until the next input or timeout. Kick events in
    /// the messages processed on the way are given to `on_kick`, in order.
    pub fn poll(
        &mut self,
        now: Instant,
        mut on_kick: impl FnMut(&JsonEvent<'_>),
    ) -> Option<Action<'_>> {
        self.poll_with(now, &mut on_kick)
    }

    /// [`poll`](Self::poll), with each message processed on the way (its text, then its Kick
    /// events as the connection's [`Received`](kickwire_proto::conn::Received)) and each text
    /// frame the connection sends given to `receive`.
    pub fn poll_with(
        &mut self,
        now: Instant,
        receive: &mut (impl Receive + ?Sized),
    ) -> Option<Action<'_>> {
        if core::mem::take(&mut self.tx_handed) {
            self.tx_len = 0;
        }
        self.more = false;
        // Each round returns or processes at least one received byte (a step that consumes
        // nothing returns `false`), so this bound is never the reason to stop in practice.
        let rounds = self.rx.len().saturating_add(8);
        for _ in 0..rounds {
            if self.tx_len > 0 {
                self.tx_handed = true;
                return self.tx.get(..self.tx_len).map(Action::Write);
            }
            if core::mem::take(&mut self.close_pending) {
                return Some(Action::Close);
            }
            match self.next_transmit(now, receive) {
                tx::Next::Connect => return Url::parse(&self.url).ok().map(Action::Connect),
                tx::Next::Again => continue,
                tx::Next::Nothing => {}
            }
            if let Some(e) = self.conn.poll_event() {
                return Some(Action::Event(e));
            }
            if !self.step(now, receive) {
                return None;
            }
        }
        self.more = true;
        None
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next (`None`: no timer). After
    /// every [`poll`](Self::poll) that returned `None`.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.more {
            return Some(Instant::from_millis(0));
        }
        match (self.conn.poll_timeout(), self.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    // ----- internals -----

    fn deadline(&self) -> Option<Instant> {
        match self.phase {
            Phase::Connecting { deadline } | Phase::Upgrading { deadline, .. } => Some(deadline),
            _ => None,
        }
    }

    /// Forgets the socket: its frame state, its unprocessed bytes and any partial message.
    fn reset_socket(&mut self) {
        self.phase = Phase::Idle;
        self.rx_start = 0;
        self.rx_end = 0;
        self.msg_len = 0;
        self.skip = false;
        self.in_message = false;
        self.frame_fin = false;
        self.frame_left = 0;
    }

    /// Gives up on the current socket for `reason`: the caller closes it and the connection
    /// plans the retry.
    fn fail(&mut self, now: Instant, reason: &str) {
        self.fail_with(now, None, reason);
    }

    /// [`fail`](Self::fail), with the close code the connection is told (the one the link
    /// sent, when it sent one the connection plans by).
    fn fail_with(&mut self, now: Instant, code: Option<u16>, reason: &str) {
        if self.phase == Phase::Idle {
            return;
        }
        self.reset_socket();
        self.close_pending = true;
        self.conn.handle_closed(now, code, reason);
    }

    /// Moves the unprocessed bytes to the front of `rx`.
    fn compact(&mut self) {
        if self.rx_start > 0 && self.rx_start <= self.rx_end && self.rx_end <= self.rx.len() {
            self.rx.copy_within(self.rx_start..self.rx_end, 0);
            self.rx_end = self.rx_end.saturating_sub(self.rx_start);
            self.rx_start = 0;
        }
    }
}
