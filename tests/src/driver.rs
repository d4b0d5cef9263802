//! A test driver for `kickwire_proto::conn::Connection`: the WebSocket link
//! (`kickwire_link`) over a plain std TCP socket on loopback, one bounded loop, everything the
//! connection emits collected for assertions.
//!
//! This is the loop every std front end runs (the CLI's `watch`, the simulator): poll the
//! link until it has nothing to do, carrying out each action on the socket, then wait for bytes
//! or the next timer.

use std::collections::VecDeque;
use std::time::{Duration, Instant as StdInstant};

use kickwire_link::blocking::{Clock, OsRng, Polled, Socket};
use kickwire_link::net::Connector;
use kickwire_link::{Buffers, Config as LinkConfig, Link, Receive};
use kickwire_proto::Message;
use kickwire_proto::conn::{Connection, Event, Instant, Reason, Received};

/// The link's buffers: reads of 16 KiB, messages up to 256 KiB (the fault tests send 100 KiB
/// ones; a larger message would be dropped and counted), frames out up to 16 KiB.
const RX: usize = 16 * 1024;
const MESSAGE: usize = 256 * 1024;
const TX: usize = 16 * 1024;
/// Bound on the actions carried out in one go.
const MAX_ACTIONS: usize = 10_000;
/// Bound on connecting and each write.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the connection did, in order.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // a test log: size does not matter, order does
pub enum Seen {
    /// A lifecycle event.
    Event(Event),
    /// A Kick event (boxed: several KB).
    Kick(Box<Message>),
    /// A text frame it sent.
    Sent(String),
    /// A socket it opened.
    Opened(String),
}

impl Seen {
    /// A `Connected` event.
    pub fn is_connected(&self) -> bool {
        matches!(self, Seen::Event(Event::Connected { .. }))
    }

    /// A `Subscribed` event.
    pub fn is_subscribed(&self) -> bool {
        matches!(self, Seen::Event(Event::Subscribed { .. }))
    }

    /// A `Disconnected` event.
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Seen::Event(Event::Disconnected { .. }))
    }
}

/// How many of `seen` are `which`.
pub fn count(seen: &[Seen], which: impl Fn(&Seen) -> bool) -> usize {
    seen.iter().filter(|s| which(s)).count()
}

/// The link's [`Receive`]: the frames sent and the Kick events of one poll, with when, until
/// the driver moves them to its log (they come before what that poll returns).
struct Pending {
    clock: Clock,
    seen: Vec<(Seen, Duration)>,
}

impl Pending {
    fn push(&mut self, s: Seen) {
        self.seen.push((s, self.clock.elapsed()));
    }
}

impl Receive for Pending {
    fn events(&mut self, received: Received<'_, '_>) {
        let kicks: Vec<Message> = received.collect();
        for m in kicks {
            self.push(Seen::Kick(Box::new(m)));
        }
    }

    fn sent(&mut self, text: &str) {
        self.push(Seen::Sent(text.to_owned()));
    }
}

/// Drives one connection.
pub struct Driver {
    link: Link<'static, OsRng>,
    socket: Socket,
    clock: Clock,
    pending: Pending,
    /// Everything seen so far.
    pub seen: Vec<Seen>,
    /// When each item of `seen` was seen (time since the driver started), index for index.
    pub seen_at: Vec<Duration>,
    /// The `Origin` header of the next handshakes (none by default).
    pub origin: Option<String>,
    /// The origin the link has now (leaked: the link keeps a `'static` one).
    origin_set: Option<&'static str>,
    /// Given to the connection whenever it asks for a token.
    pub token: Option<String>,
    /// Tokens given, one per [`Event::TokenRequired`], before falling back to `token`: a
    /// script of tokens that does not depend on when the test looks.
    pub token_queue: VecDeque<String>,
    /// The next this many token requests fail (the driver calls `token_failed`, as a driver
    /// whose fetch failed does) before any token is given.
    pub failing_token_fetches: usize,
}

/// A buffer for the link, for the rest of the test run (a test driver's memory, not a leak
/// that grows: one set per driver).
fn buffer(n: usize) -> &'static mut [u8] {
    Box::leak(vec![0u8; n].into_boxed_slice())
}

impl Driver {
    pub fn new(conn: Connection) -> Self {
        let buffers = Buffers {
            rx: buffer(RX),
            message: buffer(MESSAGE),
            tx: buffer(TX),
        };
        let config = LinkConfig {
            origin: None,
            ..LinkConfig::default()
        };
        let link = Link::new(conn, OsRng, buffers, config).expect("the buffers are large enough");
        let clock = Clock::start();
        Self {
            link,
            // The driver speaks plain ws:// only: a wss:// URL fails to open.
            socket: Socket::new(Connector::plain_only(CONNECT_TIMEOUT)),
            clock,
            pending: Pending {
                clock,
                seen: Vec::new(),
            },
            seen: Vec::new(),
            seen_at: Vec::new(),
            origin: None,
            origin_set: None,
            token: None,
            token_queue: VecDeque::new(),
            failing_token_fetches: 0,
        }
    }

    /// The connection.
    pub fn conn(&self) -> &Connection {
        self.link.connection()
    }

    /// Milliseconds since the driver started: the connection's clock.
    pub fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Starts connecting.
    pub fn connect(&mut self) {
        let now = self.now();
        self.link.connection_mut().connect(now);
    }

    /// Runs the loop until `done` says so or `limit` passes; returns whether `done` did.
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&[Seen]) -> bool) -> bool {
        let deadline = StdInstant::now() + limit;
        while StdInstant::now() < deadline {
            self.pump();
            if done(&self.seen) {
                return true;
            }
            self.wait_once(deadline);
        }
        self.pump();
        done(&self.seen)
    }

    /// Runs the loop for `limit` whatever happens.
    pub fn run_for(&mut self, limit: Duration) {
        self.run_until(limit, |_| false);
    }

    /// Sockets opened so far: when (time since the driver started) and to which URL.
    pub fn opens(&self) -> Vec<(Duration, &str)> {
        self.seen
            .iter()
            .zip(&self.seen_at)
            .filter_map(|(s, at)| match s {
                Seen::Opened(url) => Some((*at, url.as_str())),
                _ => None,
            })
            .collect()
    }

    /// When (time since the driver started) the first item matching `which` was seen.
    pub fn first_seen(&self, which: impl Fn(&Seen) -> bool) -> Option<Duration> {
        self.seen
            .iter()
            .zip(&self.seen_at)
            .find(|(s, _)| which(s))
            .map(|(_, at)| *at)
    }

    /// Polls the link until it has nothing to do, each action carried out on the socket; a
    /// token asked for is given (or refused) at once.
    fn pump(&mut self) {
        self.apply_origin();
        for _ in 0..MAX_ACTIONS {
            let now = self.now();
            let polled = self.socket.poll(&mut self.link, now, &mut self.pending);
            for (s, at) in self.pending.seen.drain(..) {
                self.seen.push(s);
                self.seen_at.push(at);
            }
            match polled {
                None => break,
                // An attempt, whether or not it connected: the URL the connection asked for.
                Some(Polled::Opened | Polled::ConnectFailed(_)) => {
                    let url = self.link.url().to_owned();
                    self.record(Seen::Opened(url));
                }
                Some(Polled::Event(e)) => self.event(e),
                Some(_) => {}
            }
        }
    }

    fn record(&mut self, s: Seen) {
        self.seen.push(s);
        self.seen_at.push(self.clock.elapsed());
    }

    /// A lifecycle event, recorded; a token request answered from the script.
    fn event(&mut self, e: Event) {
        if matches!(e, Event::TokenRequired { .. }) && self.failing_token_fetches > 0 {
            self.failing_token_fetches -= 1;
            let now = self.now();
            self.link.connection_mut().token_failed(now);
        } else if matches!(e, Event::TokenRequired { .. })
            && let Some(t) = self.token_queue.pop_front().or_else(|| self.token.clone())
        {
            let now = self.now();
            let conn = self.link.connection_mut();
            conn.set_token(now, &t).expect("token fits");
        }
        self.record(Seen::Event(e));
    }

    /// `origin` as the link's, from the next handshake on.
    fn apply_origin(&mut self) {
        if self.origin.as_deref() != self.origin_set {
            let leaked: Option<&'static str> =
                self.origin.clone().map(|o| &*Box::leak(o.into_boxed_str()));
            self.origin_set = leaked;
            self.link.config_mut().origin = leaked;
        }
    }

    /// Waits for bytes or the next timer (at most until `deadline`, at most 100 ms).
    fn wait_once(&mut self, deadline: StdInstant) {
        let now = self.now();
        let until_timer = self
            .link
            .poll_timeout()
            .map_or(Duration::from_millis(100), |t| {
                Duration::from_millis(t.as_millis().saturating_sub(now.as_millis()))
            });
        let wait = until_timer
            .min(Duration::from_millis(100))
            .min(deadline.saturating_duration_since(StdInstant::now()));
        let clock = self.clock;
        self.socket.wait(&mut self.link, wait, || clock.now());
    }

    /// Writes `text` on the socket behind the connection's back (from the next step of the
    /// loop): for provoking a server into an error the connection itself would never cause (a
    /// client event on a public channel). Returns whether a WebSocket was open.
    pub fn send_raw(&mut self, text: &str) -> bool {
        self.link.send_text(text)
    }

    /// Kick events seen so far.
    pub fn kick_events(&self) -> Vec<&Message> {
        self.seen
            .iter()
            .filter_map(|s| {
                if let Seen::Kick(m) = s {
                    Some(&**m)
                } else {
                    None
                }
            })
            .collect()
    }

    /// Lifecycle events seen so far.
    pub fn events(&self) -> Vec<&Event> {
        self.seen
            .iter()
            .filter_map(|s| {
                if let Seen::Event(e) = s {
                    Some(e)
                } else {
                    None
                }
            })
            .collect()
    }

    /// `(after, reason)` of every `Reconnecting`, in order.
    pub fn reconnects(&self) -> Vec<(Duration, Reason)> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Reconnecting { after, reason } => Some((*after, *reason)),
                _ => None,
            })
            .collect()
    }

    /// `(code, reason, will_retry)` of every `Disconnected`, in order.
    pub fn disconnects(&self) -> Vec<(Option<u16>, String, bool)> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Disconnected {
                    code,
                    reason,
                    will_retry,
                } => Some((*code, reason.as_str().to_owned(), *will_retry)),
                _ => None,
            })
            .collect()
    }

    /// Frames sent so far.
    pub fn sent(&self) -> Vec<&str> {
        self.seen
            .iter()
            .filter_map(|s| {
                if let Seen::Sent(t) = s {
                    Some(t.as_str())
                } else {
                    None
                }
            })
            .collect()
    }
}
