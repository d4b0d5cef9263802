//! The link in a blocking std program (feature `std`): a [`Socket`] carries out the link's
//! [`Action`]s on a [`Stream`] and feeds it what it reads, so that a front end's loop is the
//! driving rule and nothing else:
//!
//! ```no_run
//! use std::time::Duration;
//! use kickwire_link::blocking::{Clock, OsRng, Polled, Socket};
//! use kickwire_link::net::Connector;
//! use kickwire_link::{Buffers, Config, Link};
//! use kickwire_proto::{JsonEvent, Transport};
//! use kickwire_proto::conn::Connection;
//!
//! let clock = Clock::start();
//! let now = || clock.now();
//! let config = kickwire_proto::conn::Config { rng_seed: clock.seed(), ..Default::default() };
//! let conn = Connection::new(Transport::Pusher, "ws://127.0.0.1:6001/app/key?protocol=7", config)?;
//! let (mut rx, mut msg, mut tx) = (vec![0; 16384], vec![0; 1 << 20], vec![0; 8192]);
//! let buffers = Buffers { rx: &mut rx, message: &mut msg, tx: &mut tx };
//! let mut link = Link::new(conn, OsRng, buffers, Config::default())?;
//! link.connection_mut().subscribe("chatrooms.2507974.v2")?;
//! link.connection_mut().connect(now());
//! let mut socket = Socket::new(Connector::new(Duration::from_secs(8)));
//! // Kick events as the board takes them: raw, each borrowing the message buffer.
//! let mut on_kick = |kick: &JsonEvent<'_>| println!("{:?} on {}", kick.kind, kick.channel);
//! loop {
//!     // Poll until nothing is left, each action carried out on the socket.
//!     while let Some(polled) = socket.poll(&mut link, now(), &mut on_kick) {
//!         if let Polled::Event(e) = polled {
//!             println!("{e:?}");
//!         }
//!     }
//!     // Then wait for bytes or the next timer (at most 200 ms here).
//!     socket.wait(&mut link, Duration::from_millis(200), now);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::format;
use std::io::{ErrorKind, Read as _, Write as _};
use std::net::Shutdown;
use std::string::{String, ToString};
use std::time::Duration;

use kickwire_proto::conn::{Event, Instant};
use rand_core::RngCore;

pub use rand_core::OsRng;

use crate::net::{Connector, Stream};
use crate::{Action, Link, Receive, Url};

/// How long a socket refused mid-message ([`Link::closes_mid_message`]) is read and dropped
/// before it goes: time for the server to read the close frame and close its end.
pub const CLOSE_LINGER: Duration = Duration::from_secs(2);

/// The connection's clock in a std program: milliseconds since it started.
#[derive(Debug, Clone, Copy)]
pub struct Clock(std::time::Instant);

impl Clock {
    /// A clock at 0 now.
    #[must_use]
    pub fn start() -> Self {
        Self(std::time::Instant::now())
    }

    /// The time since the start, as the connection and the link take it.
    #[must_use]
    pub fn now(&self) -> Instant {
        Instant::from_millis(u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    /// The time since the start as std has it.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }

    /// A seed for the connection's back-off jitter (`Config::rng_seed`) that differs between
    /// runs: the process id and the nanoseconds since the start (not a secret).
    #[must_use]
    pub fn seed(&self) -> u64 {
        // The low 64 bits of the nanoseconds: the part that varies.
        let nanos = self.0.elapsed().as_nanos() as u64;
        u64::from(std::process::id()) ^ nanos
    }
}

/// The socket a link drives in a blocking program: at most one [`Stream`] at a time.
#[derive(Debug)]
pub struct Socket {
    connector: Connector,
    stream: Option<Stream>,
}

/// What [`Socket::poll`] did that its caller may want to know.
#[derive(Debug)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // as the link's own `Action`: one at a time, by value
pub enum Polled {
    /// An action was carried out (bytes written, a socket closed): nothing to report.
    Done,
    /// The socket to [`Link::url`] is open (TCP, and TLS when the URL asks); the upgrade
    /// follows.
    Opened,
    /// The socket to [`Link::url`] could not be opened, for this reason; the link has been
    /// told, and the connection retries after its back-off.
    ConnectFailed(String),
    /// A lifecycle event of the connection.
    Event(Event),
}

/// What an action came to, before the link hears of it (the action borrows the link).
#[allow(clippy::large_enum_variant)] // as `Polled`
enum Step {
    Polled(Polled),
    WriteFailed(String),
    Close,
}

impl Socket {
    /// No socket yet; `connector` opens them.
    #[must_use]
    pub const fn new(connector: Connector) -> Self {
        Self {
            connector,
            stream: None,
        }
    }

    /// The open stream, if any.
    #[must_use]
    pub const fn stream(&self) -> Option<&Stream> {
        self.stream.as_ref()
    }

    /// Polls the link once ([`Link::poll_with`], `receive` getting the messages) and carries
    /// out the action it gives; `None` when it has nothing to do until the next input or
    /// timer. Call it until `None` after every input or command, as the link's driving rule
    /// says.
    pub fn poll<R: RngCore + Clone>(
        &mut self,
        link: &mut Link<'_, R>,
        now: Instant,
        receive: &mut (impl Receive + ?Sized),
    ) -> Option<Polled> {
        let step = match link.poll_with(now, receive)? {
            Action::Connect(url) => Step::Polled(self.open(&url)),
            Action::Write(bytes) => self.write(bytes),
            Action::Close => Step::Close,
            Action::Event(e) => Step::Polled(Polled::Event(e)),
        };
        Some(match step {
            Step::Polled(Polled::Opened) => {
                link.handle_connected(now);
                Polled::Opened
            }
            Step::Polled(Polled::ConnectFailed(why)) => {
                link.handle_connect_failed(now, &why);
                Polled::ConnectFailed(why)
            }
            Step::Polled(polled) => polled,
            Step::WriteFailed(why) => {
                self.stream = None;
                link.handle_closed(now, &why);
                Polled::Done
            }
            Step::Close => {
                self.close(link.closes_mid_message());
                Polled::Done
            }
        })
    }

    /// Waits up to `wait` (at least 1 ms) for bytes and gives them to the link, or sleeps when
    /// there is no socket; then fires the link's timer if it is due. An end of stream or a
    /// read error is reported to the link (the connection plans the retry).
    pub fn wait<R: RngCore + Clone>(
        &mut self,
        link: &mut Link<'_, R>,
        wait: Duration,
        now: impl Fn() -> Instant,
    ) {
        let wait = wait.max(Duration::from_millis(1));
        match self.stream.as_mut() {
            None => std::thread::sleep(wait),
            Some(s) => {
                let _ = s.tcp().set_read_timeout(Some(wait));
                let buf = link.read_buf();
                if buf.is_empty() {
                    std::thread::sleep(wait); // not reached: `poll` never leaves `rx` full
                } else {
                    match s.read(buf) {
                        Ok(0) => self.lost(link, now(), "closed by the server"),
                        Ok(n) => link.handle_read(n),
                        Err(e) if is_timeout(e.kind()) => {}
                        Err(e) => self.lost(link, now(), &format!("read failed: {e}")),
                    }
                }
            }
        }
        let t = now();
        if link.poll_timeout().is_some_and(|due| due <= t) {
            link.handle_timeout(t);
        }
    }

    /// Connects to the URL of an [`Action::Connect`] (any previous stream was closed first).
    fn open(&mut self, url: &Url<'_>) -> Polled {
        self.stream = None;
        match self.connector.connect(url.host, url.port, url.tls) {
            Ok(s) => {
                self.stream = Some(s);
                Polled::Opened
            }
            Err(e) => Polled::ConnectFailed(e.to_string()),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Step {
        let Some(s) = self.stream.as_mut() else {
            return Step::Polled(Polled::Done);
        };
        match s.write_all(bytes).and_then(|()| s.flush()) {
            Ok(()) => Step::Polled(Polled::Done),
            Err(e) => Step::WriteFailed(format!("send failed: {e}")),
        }
    }

    /// The stream ended or broke: it goes, and the link is told.
    fn lost<R: RngCore + Clone>(&mut self, link: &mut Link<'_, R>, now: Instant, why: &str) {
        self.stream = None;
        link.handle_closed(now, why);
    }

    /// Lets the stream go; `linger`: after reading and dropping what comes for up to
    /// [`CLOSE_LINGER`]. Unread bytes left in a closed socket make the kernel reset the
    /// connection, and a server still writing may then never read the close frame.
    fn close(&mut self, linger: bool) {
        let Some(mut s) = self.stream.take() else {
            return;
        };
        if linger {
            let _ = s.tcp().shutdown(Shutdown::Write);
            drain(&mut s, CLOSE_LINGER);
        }
        let _ = s.tcp().shutdown(Shutdown::Both);
    }
}

/// Reads and drops (a fixed buffer: no more memory) until the peer closes, the read fails or
/// `limit` has passed.
fn drain(s: &mut Stream, limit: Duration) {
    let Some(deadline) = std::time::Instant::now().checked_add(limit) else {
        return;
    };
    let mut sink = [0u8; 16 * 1024];
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        let _ = s
            .tcp()
            .set_read_timeout(Some(left.max(Duration::from_millis(1))));
        match s.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

/// A read that found nothing in its time (the socket is fine).
fn is_timeout(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}
