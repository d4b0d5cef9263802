//! A test driver for `kickwire_proto::conn::Connection`: plain WebSocket over std TCP on
//! loopback, one bounded loop, everything the connection emits collected for assertions.
//!
//! This is the same loop every real driver runs (the CLI's `watch`, the wasm client, the
//! firmware): feed one input, drain `poll_transmit`, `poll_event`, read `poll_timeout`.

use std::collections::VecDeque;
use std::net::TcpStream;
use std::time::{Duration, Instant as StdInstant};

use kickwire_proto::Message;
use kickwire_proto::conn::{Connection, EncodeError, Event, Instant, Reason, Transmit};
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Message as WsMessage, WebSocket};

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

/// Drives one connection.
pub struct Driver {
    pub conn: Connection,
    ws: Option<WebSocket<TcpStream>>,
    start: StdInstant,
    /// Everything seen so far.
    pub seen: Vec<Seen>,
    /// When each item of `seen` was seen (time since the driver started), index for index.
    pub seen_at: Vec<Duration>,
    /// Extra headers for the handshake (`Origin`).
    pub origin: Option<String>,
    /// Given to the connection whenever it asks for a token.
    pub token: Option<String>,
    /// Tokens given, one per [`Event::TokenRequired`], before falling back to `token`: a
    /// script of tokens that does not depend on when the test looks.
    pub token_queue: VecDeque<String>,
    /// The next this many token requests fail (the driver calls `token_failed`, as a driver
    /// whose fetch failed does) before any token is given.
    pub failing_token_fetches: usize,
}

impl Driver {
    pub fn new(conn: Connection) -> Self {
        Self {
            conn,
            ws: None,
            start: StdInstant::now(),
            seen: Vec::new(),
            seen_at: Vec::new(),
            origin: None,
            token: None,
            token_queue: VecDeque::new(),
            failing_token_fetches: 0,
        }
    }

    /// Milliseconds since the driver started: the connection's clock.
    pub fn now(&self) -> Instant {
        Instant::from_millis(self.start.elapsed().as_millis() as u64)
    }

    /// Starts connecting.
    pub fn connect(&mut self) {
        let now = self.now();
        self.conn.connect(now);
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

    fn record(&mut self, s: Seen) {
        self.seen.push(s);
        self.seen_at.push(self.start.elapsed());
    }

    /// Drains the outputs. A token given on `TokenRequired` is a command, which may queue
    /// frames of its own: drained too, so the loop is kept even then (bounded: a token ends the
    /// wait for one).
    fn pump(&mut self) {
        for _ in 0..8 {
            if !self.pump_once() {
                break;
            }
        }
    }

    /// One drain of both queues; true when a token was given (so there may be more to drain).
    fn pump_once(&mut self) -> bool {
        let mut gave_token = false;
        let mut buf = vec![0u8; 4096];
        loop {
            let t = match self.conn.poll_transmit(&mut buf) {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(EncodeError::BufferTooSmall { required }) => {
                    buf.resize(required, 0);
                    continue;
                }
                Err(e) => panic!("{e}"),
            };
            match t {
                Transmit::Open { url } => {
                    let url = url.to_string();
                    self.record(Seen::Opened(url.clone()));
                    match self.open(&url) {
                        Ok(ws) => {
                            self.ws = Some(ws);
                            let now = self.now();
                            self.conn.handle_open(now);
                        }
                        Err(e) => {
                            let now = self.now();
                            self.conn.handle_closed(now, None, &e);
                        }
                    }
                }
                Transmit::Text(text) => {
                    self.record(Seen::Sent(text.to_string()));
                    let text = text.to_string();
                    if let Some(ws) = self.ws.as_mut()
                        && ws.send(WsMessage::text(text)).is_err()
                    {
                        self.ws = None;
                        let now = self.now();
                        self.conn.handle_closed(now, None, "send failed");
                    }
                }
                Transmit::Close { code } => {
                    if let Some(mut ws) = self.ws.take() {
                        let _ = ws.close(Some(CloseFrame {
                            code: CloseCode::from(code),
                            reason: "".into(),
                        }));
                        let _ = ws.flush();
                    }
                }
            }
        }
        while let Some(e) = self.conn.poll_event() {
            if matches!(e, Event::TokenRequired { .. }) && self.failing_token_fetches > 0 {
                self.failing_token_fetches -= 1;
                let now = self.now();
                self.conn.token_failed(now);
            } else if matches!(e, Event::TokenRequired { .. })
                && let Some(t) = self.token_queue.pop_front().or_else(|| self.token.clone())
            {
                let now = self.now();
                self.conn.set_token(now, &t).expect("token fits");
                gave_token = true;
            }
            self.record(Seen::Event(e));
        }
        gave_token
    }

    fn open(&self, url: &str) -> Result<WebSocket<TcpStream>, String> {
        use tungstenite::client::IntoClientRequest;
        let rest = url
            .strip_prefix("ws://")
            .ok_or("the test driver speaks plain ws:// only")?;
        let authority = rest.split('/').next().unwrap_or(rest);
        let tcp = TcpStream::connect(authority).map_err(|e| e.to_string())?;
        tcp.set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        let mut request = url.into_client_request().map_err(|e| e.to_string())?;
        if let Some(o) = self.origin.as_deref().and_then(|o| o.parse().ok()) {
            request.headers_mut().insert("Origin", o);
        }
        tungstenite::client(request, tcp)
            .map(|(ws, _)| ws)
            .map_err(|e| e.to_string())
    }

    /// Waits for one message or the next timer (at most until `deadline`, at most 100 ms).
    fn wait_once(&mut self, deadline: StdInstant) {
        let now = self.now();
        let until_timer = self
            .conn
            .poll_timeout()
            .map_or(Duration::from_millis(100), |t| {
                Duration::from_millis(t.as_millis().saturating_sub(now.as_millis()))
            });
        let wait = until_timer
            .min(Duration::from_millis(100))
            .min(deadline.saturating_duration_since(StdInstant::now()))
            .max(Duration::from_millis(1));
        match self.ws.as_mut() {
            None => std::thread::sleep(wait),
            Some(ws) => {
                let _ = ws.get_ref().set_read_timeout(Some(wait));
                match ws.read() {
                    Ok(WsMessage::Text(t)) => {
                        let mut bytes = t.as_bytes().to_vec();
                        let now = self.now();
                        let kick: Vec<Message> =
                            self.conn.handle_message(now, &mut bytes).collect();
                        for m in kick {
                            self.record(Seen::Kick(Box::new(m)));
                        }
                    }
                    Ok(WsMessage::Close(frame)) => {
                        // Send the Close reply tungstenite queued, then let the socket go.
                        let _ = ws.flush();
                        self.ws = None;
                        let (code, reason) = frame.map_or((None, String::new()), |f| {
                            (Some(u16::from(f.code)), f.reason.to_string())
                        });
                        let now = self.now();
                        self.conn.handle_closed(now, code, &reason);
                    }
                    Ok(_) => {}
                    Err(tungstenite::Error::Io(e))
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        let _ = ws.flush();
                    }
                    Err(e) => {
                        self.ws = None;
                        let now = self.now();
                        self.conn.handle_closed(now, None, &e.to_string());
                    }
                }
            }
        }
        let now = self.now();
        if self.conn.poll_timeout().is_some_and(|t| t <= now) {
            self.conn.handle_timeout(now);
        }
    }

    /// Writes `text` on the socket behind the connection's back: for provoking a server into
    /// an error the connection itself would never cause (a client event on a public channel).
    /// Returns whether a socket was open.
    pub fn send_raw(&mut self, text: &str) -> bool {
        match self.ws.as_mut() {
            Some(ws) => ws.send(WsMessage::text(text.to_string())).is_ok(),
            None => false,
        }
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
