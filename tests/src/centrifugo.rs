//! A Centrifugo-protocol test server: the JSON client protocol (protocol v2) over WebSocket on
//! loopback, with controls a test needs (tokens, pings, publications, unsubscribe and
//! disconnect pushes, stop and restart) and a log of everything the client sent.
//!
//! Behaviour follows Centrifugo 6 and its library `centrifugal/centrifuge` (`client.go`,
//! `handler_websocket.go`, `disconnect.go`, `unsubscribe.go`) and Centrifugo's own connect and
//! refresh handlers (`internal/client/handler.go`); `tests/tests/centrifugo_server.rs` proves it
//! against the official JavaScript client (`centrifuge` on npm). In short:
//!
//! * Commands arrive as JSON objects, several per WebSocket message separated by `\n`; replies
//!   and pushes go out the same way (`\n` between them, none at the end).
//! * `connect` with an accepted token gets `{"id":n,"connect":{"client","version","expires",
//!   "ttl","ping","pong"}}`; an expired token gets error 109 `token expired` (the connection then
//!   takes no further command); an unknown token closes with 3500 `invalid token`; no token
//!   closes with 3501 `bad request`.
//! * The server pings with `{}` every `ping` seconds and, when the connect reply said
//!   `"pong":true`, closes with 3012 `no pong` if no `{}` arrived within the pong timeout. A `{}`
//!   that answers no ping closes with 3501 `bad request`, as does any command before `connect`.
//! * `refresh` with an accepted token gets `{"id":n,"refresh":{"expires":true,"ttl":n}}`; an
//!   expired one closes with 3005 `connection expired`; an unknown one with 3500.
//! * Over WebSocket a disconnect is a Close frame carrying the code and a plain-text reason:
//!   Centrifugo sends no `push.disconnect` there (that push is for unidirectional transports).
//!   [`CentrifugoServer::disconnect_with_push`] sends one anyway, for clients that must cope.
//!
//! Everything runs on std threads with bounded waits: reads time out every few milliseconds,
//! joins give up after a deadline, and dropping the server stops it.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::protocol::frame::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{WebSocket, WebSocketConfig};
use tungstenite::{Error as WsError, Message};

/// The WebSocket endpoint path of Centrifugo (and of Kick's realtime servers).
pub const WEBSOCKET_PATH: &str = "/connection/websocket";

/// How long a connection thread blocks in one read before it looks at its queue and timers:
/// the latency of every control call.
const POLL: Duration = Duration::from_millis(10);
/// How long the server waits for the client's Close reply after sending its own Close frame.
/// Centrifugo waits 5 s (`closeFrameWait`); tests want it shorter, and a client that answers
/// at all answers within milliseconds on loopback.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Bound on joining a thread at stop: every loop checks its stop flag once per [`POLL`].
const JOIN_WAIT: Duration = Duration::from_secs(5);
/// Centrifugo's default read limit for one WebSocket message (`MessageSizeLimit`, 64 KiB).
const MESSAGE_SIZE_LIMIT: usize = 65536;

/// What the server makes of a token in `connect` or `refresh`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRule {
    /// Accepted. `Some(ttl)`: the connection expires after `ttl` seconds (`"expires":true,
    /// "ttl":ttl` in the reply) unless refreshed; `None`: it never expires.
    Valid(Option<u32>),
    /// A token whose `exp` has passed: error 109 on connect, close 3005 on refresh.
    Expired,
}

/// A Close frame the server itself sent (clients' own closes are not recorded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerClose {
    /// The connection number (see [`ClientFrame::conn`]).
    pub conn: u64,
    /// The close code, 3000-4999 for Centrifugo's own disconnects.
    pub code: u16,
    /// The plain-text reason.
    pub reason: String,
}

/// One WebSocket text message a client sent, exactly as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFrame {
    /// The connection number: 1 for the first accepted WebSocket, counting across restarts.
    pub conn: u64,
    /// The message text: one or more JSON commands separated by `\n`.
    pub text: String,
}

impl ClientFrame {
    /// The commands of this message, one per non-empty line, as JSON (a line that is not JSON
    /// becomes a JSON string holding the line).
    pub fn commands(&self) -> Vec<Value> {
        self.text
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|_| Value::String(l.to_owned())))
            .collect()
    }
}

/// Settings read when a connection starts (changing them affects later connections only).
#[derive(Clone, Debug)]
struct Config {
    ping_secs: u32,
    pong_timeout: Duration,
    version: String,
    expired_close_delay: Duration,
    stale_close_delay: Duration,
    allowed_origin: Option<String>,
}

enum Outbound {
    Text(String),
    Close(u16, String),
    /// Drop the TCP connection without a Close frame, as a crashed server would.
    Abort,
}

struct ConnEntry {
    tx: Sender<Outbound>,
    authenticated: bool,
    channels: BTreeSet<String>,
}

struct State {
    config: Config,
    tokens: HashMap<String, TokenRule>,
    subscribe_errors: HashMap<String, (u32, String)>,
    conns: BTreeMap<u64, ConnEntry>,
    next_conn: u64,
    refreshes: u64,
    log: Vec<ClientFrame>,
    closes: Vec<ServerClose>,
    threads: Vec<JoinHandle<()>>,
}

struct Shared {
    state: Mutex<State>,
    /// Cleared by `stop`: the listener and every connection thread end within one [`POLL`].
    running: AtomicBool,
    next_client: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking connection thread must not take every later assertion down with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A Centrifugo JSON-protocol server on `127.0.0.1` for tests; see the module docs for what it
/// does. Dropping it stops every thread.
pub struct CentrifugoServer {
    shared: Arc<Shared>,
    port: u16,
    listener: Mutex<Option<JoinHandle<()>>>,
}

impl CentrifugoServer {
    /// Starts a server on a free loopback port with Centrifugo's defaults: ping every 25 s,
    /// pong timeout 10 s, expired connections closed 25 s after their ttl, unauthenticated
    /// ones after 15 s; no token accepted yet.
    pub fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                config: Config {
                    ping_secs: 25,
                    pong_timeout: Duration::from_secs(10),
                    version: "0.0.0 kickwire-test".to_owned(),
                    expired_close_delay: Duration::from_secs(25),
                    stale_close_delay: Duration::from_secs(15),
                    allowed_origin: None,
                },
                tokens: HashMap::new(),
                subscribe_errors: HashMap::new(),
                conns: BTreeMap::new(),
                next_conn: 1,
                refreshes: 0,
                log: Vec::new(),
                closes: Vec::new(),
                threads: Vec::new(),
            }),
            running: AtomicBool::new(true),
            next_client: AtomicU64::new(1),
        });
        let server = CentrifugoServer {
            shared,
            port,
            listener: Mutex::new(None),
        };
        server.spawn_listener(listener)?;
        Ok(server)
    }

    /// `ws://127.0.0.1:<port>/connection/websocket`.
    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}{}", self.port, WEBSOCKET_PATH)
    }

    /// The loopback address the server listens on (the same after [`restart`](Self::restart)).
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Accepts `token` from now on: `ttl` seconds until the connection expires, or never.
    pub fn accept_token(&self, token: &str, ttl: Option<u32>) {
        self.shared
            .lock()
            .tokens
            .insert(token.to_owned(), TokenRule::Valid(ttl));
    }

    /// Treats `token` as expired from now on (error 109 on connect, close 3005 on refresh).
    pub fn expire_token(&self, token: &str) {
        self.shared
            .lock()
            .tokens
            .insert(token.to_owned(), TokenRule::Expired);
    }

    /// Forgets `token`: it is invalid from now on (close 3500).
    pub fn revoke_token(&self, token: &str) {
        self.shared.lock().tokens.remove(token);
    }

    /// Sets the ping interval (whole seconds, as the connect reply carries it; 0 disables
    /// pings) and the pong timeout (`None`: no pong expected, and the connect reply carries no
    /// `"pong":true`). Centrifugo requires the pong timeout to be shorter than the interval.
    pub fn set_ping(&self, interval_secs: u32, pong_timeout: Option<Duration>) {
        let mut state = self.shared.lock();
        state.config.ping_secs = interval_secs;
        state.config.pong_timeout = pong_timeout.unwrap_or(Duration::ZERO);
    }

    /// Sets the `version` string of connect replies (Kick's said `6.9.2 PRO`).
    pub fn set_version(&self, version: &str) {
        self.shared.lock().config.version = version.to_owned();
    }

    /// How long after its ttl an unrefreshed connection is closed with 3005 (Centrifugo's
    /// `ClientExpiredCloseDelay`, 25 s by default).
    pub fn set_expired_close_delay(&self, delay: Duration) {
        self.shared.lock().config.expired_close_delay = delay;
    }

    /// How long a connection may stay without a successful `connect` before it is closed with
    /// 3502 `stale` (Centrifugo's `ClientStaleCloseDelay`, 15 s by default).
    pub fn set_stale_close_delay(&self, delay: Duration) {
        self.shared.lock().config.stale_close_delay = delay;
    }

    /// Refuses WebSocket handshakes (HTTP 403) whose `Origin` header is present and differs
    /// from `origin`, as Kick's servers do for anything but `https://kick.com`. `None` accepts
    /// every origin.
    pub fn set_allowed_origin(&self, origin: Option<&str>) {
        self.shared.lock().config.allowed_origin = origin.map(str::to_owned);
    }

    /// Makes `subscribe` to `channel` fail with this error reply from now on (e.g. 103
    /// `permission denied`, final; or 100 `internal server error`, sent as `"temporary":true`
    /// like 111, which clients retry).
    pub fn fail_subscribe(&self, channel: &str, code: u32, message: &str) {
        self.shared
            .lock()
            .subscribe_errors
            .insert(channel.to_owned(), (code, message.to_owned()));
    }

    /// Lets `subscribe` to `channel` succeed again after [`fail_subscribe`](Self::fail_subscribe).
    pub fn allow_subscribe(&self, channel: &str) {
        self.shared.lock().subscribe_errors.remove(channel);
    }

    /// Sends `{"push":{"channel":channel,"pub":{"data":data_json}}}` to every connection
    /// subscribed to `channel`; returns how many got it. `data_json` must be JSON: it is placed
    /// verbatim.
    pub fn publish(&self, channel: &str, data_json: &str) -> usize {
        self.publish_batch(&[(channel, data_json)])
    }

    /// Sends the publications in one WebSocket message per connection, `\n` between them, as
    /// Centrifugo's writer batches what is queued; each connection gets those of its channels,
    /// in order. Returns how many connections got a message.
    pub fn publish_batch(&self, publications: &[(&str, &str)]) -> usize {
        let pushes: Vec<(String, String)> = publications
            .iter()
            .map(|(channel, data)| (channel.to_string(), publication_push(channel, data)))
            .collect();
        let state = self.shared.lock();
        let mut reached = 0;
        for entry in state.conns.values() {
            let mine: Vec<&str> = pushes
                .iter()
                .filter(|(channel, _)| entry.channels.contains(channel))
                .map(|(_, push)| push.as_str())
                .collect();
            if !mine.is_empty() && entry.tx.send(Outbound::Text(mine.join("\n"))).is_ok() {
                reached += 1;
            }
        }
        reached
    }

    /// Sends `text` as one WebSocket message to every connection, whatever it holds (e.g. a
    /// vector line, or several joined by `\n`). Returns how many connections got it.
    pub fn send_raw(&self, text: &str) -> usize {
        self.broadcast(|_| Some(Outbound::Text(text.to_owned())))
    }

    /// Unsubscribes every subscriber of `channel` server-side with
    /// `{"push":{"channel":channel,"unsubscribe":{"code":code,"reason":reason}}}`. Codes
    /// 2000-2499 are final (2000 `server unsubscribe`); 2500-2999 ask the client to subscribe
    /// again (2500 `insufficient state`). Returns how many connections got it.
    pub fn unsubscribe(&self, channel: &str, code: u32, reason: &str) -> usize {
        let push =
            json!({"push": {"channel": channel, "unsubscribe": {"code": code, "reason": reason}}})
                .to_string();
        let mut state = self.shared.lock();
        let mut reached = 0;
        for entry in state.conns.values_mut() {
            if entry.channels.remove(channel) && entry.tx.send(Outbound::Text(push.clone())).is_ok()
            {
                reached += 1;
            }
        }
        reached
    }

    /// Disconnects every connection the way Centrifugo does over WebSocket: a Close frame
    /// with `code` and the plain-text `reason`, then waits briefly for the client's Close.
    /// Returns how many connections were told.
    pub fn disconnect(&self, code: u16, reason: &str) -> usize {
        self.broadcast(|_| Some(Outbound::Close(code, reason.to_owned())))
    }

    /// Like [`disconnect`](Self::disconnect), with `{"push":{"disconnect":{"code","reason"}}}`
    /// sent before the Close frame (the unidirectional-transport form, which the reconstructed
    /// Kick vector shows).
    pub fn disconnect_with_push(&self, code: u16, reason: &str) -> usize {
        let push = json!({"push": {"disconnect": {"code": code, "reason": reason}}}).to_string();
        let state = self.shared.lock();
        let mut reached = 0;
        for entry in state.conns.values() {
            if entry.tx.send(Outbound::Text(push.clone())).is_ok()
                && entry
                    .tx
                    .send(Outbound::Close(code, reason.to_owned()))
                    .is_ok()
            {
                reached += 1;
            }
        }
        reached
    }

    /// Stops listening and drops every connection without a Close frame, as a killed server
    /// would. Waits (bounded) for the threads; [`restart`](Self::restart) listens again.
    pub fn stop(&self) {
        self.shared.running.store(false, Ordering::SeqCst);
        let threads: Vec<JoinHandle<()>> = {
            let mut state = self.shared.lock();
            for entry in state.conns.values() {
                let _ = entry.tx.send(Outbound::Abort);
            }
            state.threads.drain(..).collect()
        };
        let listener = self
            .listener
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let deadline = Instant::now() + JOIN_WAIT;
        for handle in listener.into_iter().chain(threads) {
            join_bounded(handle, deadline);
        }
    }

    /// Listens again on the same port after [`stop`](Self::stop); tokens, settings, counters
    /// and the log are kept.
    pub fn restart(&self) -> std::io::Result<()> {
        self.stop();
        // std sets SO_REUSEADDR on Unix, so sockets of the old connections in TIME_WAIT don't
        // block the bind; a client dialing at this very moment may still take a moment.
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind(self.addr()) {
                Ok(l) => break l,
                Err(e) if Instant::now() < deadline && e.kind() == ErrorKind::AddrInUse => {
                    thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(e),
            }
        };
        self.shared.running.store(true, Ordering::SeqCst);
        self.spawn_listener(listener)
    }

    /// How many `refresh` commands clients sent (answered or not).
    pub fn refresh_count(&self) -> u64 {
        self.shared.lock().refreshes
    }

    /// How many WebSocket connections were accepted since start (across restarts).
    pub fn connections(&self) -> u64 {
        self.shared.lock().next_conn - 1
    }

    /// How many WebSocket connections are open now.
    pub fn open_connections(&self) -> usize {
        self.shared.lock().conns.len()
    }

    /// How many open, connected connections are subscribed to `channel`.
    pub fn subscribers(&self, channel: &str) -> usize {
        let state = self.shared.lock();
        state
            .conns
            .values()
            .filter(|e| e.authenticated && e.channels.contains(channel))
            .count()
    }

    /// Every WebSocket message clients sent, in arrival order.
    pub fn received(&self) -> Vec<ClientFrame> {
        self.shared.lock().log.clone()
    }

    /// Every command clients sent, with its connection number, in arrival order.
    pub fn commands(&self) -> Vec<(u64, Value)> {
        self.received()
            .iter()
            .flat_map(|f| f.commands().into_iter().map(move |c| (f.conn, c)))
            .collect()
    }

    /// Every Close the server sent, in order.
    pub fn server_closes(&self) -> Vec<ServerClose> {
        self.shared.lock().closes.clone()
    }

    /// Calls `done` every few milliseconds until it returns true (then true) or `timeout`
    /// passes (then false).
    pub fn wait_until(&self, timeout: Duration, mut done: impl FnMut(&Self) -> bool) -> bool {
        crate::poll_until(timeout, POLL, || done(self))
    }

    fn broadcast(&self, mut make: impl FnMut(u64) -> Option<Outbound>) -> usize {
        let state = self.shared.lock();
        let mut reached = 0;
        for (id, entry) in &state.conns {
            if let Some(msg) = make(*id)
                && entry.tx.send(msg).is_ok()
            {
                reached += 1;
            }
        }
        reached
    }

    fn spawn_listener(&self, listener: TcpListener) -> std::io::Result<()> {
        // Non-blocking accept polled once per POLL, so the thread sees `running` go false.
        listener.set_nonblocking(true)?;
        let shared = Arc::clone(&self.shared);
        let handle = thread::Builder::new()
            .name("centrifugo-listener".into())
            .spawn(move || accept_loop(&shared, &listener))?;
        *self.listener.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
        Ok(())
    }
}

impl Drop for CentrifugoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Joins `handle` if it finishes before `deadline`; otherwise leaves it detached (it ends on
/// its own once its blocking call returns) rather than hang the test.
fn join_bounded(handle: JoinHandle<()>, deadline: Instant) {
    while !handle.is_finished() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
    if handle.is_finished() {
        let _ = handle.join();
    } else {
        eprintln!("centrifugo test server: a thread did not stop in time; detached");
    }
}

fn publication_push(channel: &str, data_json: &str) -> String {
    // Parsed only to catch a test passing something that is not JSON: the bytes go out as given.
    assert!(
        serde_json::from_str::<Value>(data_json).is_ok(),
        "publication data must be JSON: {data_json}"
    );
    format!(
        r#"{{"push":{{"channel":{},"pub":{{"data":{}}}}}}}"#,
        Value::String(channel.to_owned()),
        data_json
    )
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    while shared.running.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                if !peer.ip().is_loopback() {
                    continue;
                }
                let shared2 = Arc::clone(shared);
                let spawned = thread::Builder::new()
                    .name("centrifugo-conn".into())
                    .spawn(move || serve(&shared2, stream));
                if let Ok(handle) = spawned {
                    let mut state = shared.lock();
                    // Finished threads are reaped here so the list stays short.
                    state.threads.retain(|h| !h.is_finished());
                    state.threads.push(handle);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(POLL),
            Err(_) => thread::sleep(POLL),
        }
    }
}

/// Per-connection protocol state, kept by the connection thread.
struct Conn {
    id: u64,
    config: Config,
    opened: Instant,
    authenticated: bool,
    /// After a connect error reply: Centrifugo takes no further command (closes 3501).
    unusable: bool,
    next_ping: Option<Instant>,
    /// A ping went out and its `{}` has not come back yet.
    ping_outstanding: bool,
    pong_deadline: Option<Instant>,
    /// When the connection is closed with 3005 if no refresh moved it.
    expire_close_at: Option<Instant>,
}

/// What handling a client message decided.
enum Verdict {
    Continue,
    Close(u16, &'static str),
}

fn serve(shared: &Arc<Shared>, stream: TcpStream) {
    // The handshake gets a generous read timeout; after it, short ones drive the poll loop.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_nodelay(true);
    let config = shared.lock().config.clone();
    let origin_rule = config.allowed_origin.clone();
    // The Err type is tungstenite's `Callback` signature, an HTTP response: not ours to box.
    #[allow(clippy::result_large_err)]
    let check = move |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        if req.uri().path() != WEBSOCKET_PATH {
            return Err(error_response(404, "not found"));
        }
        if let (Some(allowed), Some(origin)) = (&origin_rule, req.headers().get("origin"))
            && origin.as_bytes() != allowed.as_bytes()
        {
            return Err(error_response(403, "request origin is not authorized"));
        }
        Ok(resp)
    };
    let ws_config = WebSocketConfig::default().max_message_size(Some(MESSAGE_SIZE_LIMIT));
    let Ok(mut ws) = tungstenite::accept_hdr_with_config(stream, check, Some(ws_config)) else {
        return;
    };
    let _ = ws.get_mut().set_read_timeout(Some(POLL));

    let (tx, rx) = mpsc::channel();
    let id = {
        let mut state = shared.lock();
        let id = state.next_conn;
        state.next_conn += 1;
        state.conns.insert(
            id,
            ConnEntry {
                tx,
                authenticated: false,
                channels: BTreeSet::new(),
            },
        );
        id
    };
    let mut conn = Conn {
        id,
        config,
        opened: Instant::now(),
        authenticated: false,
        unusable: false,
        next_ping: None,
        ping_outstanding: false,
        pong_deadline: None,
        expire_close_at: None,
    };
    run(shared, &mut ws, &rx, &mut conn);
    shared.lock().conns.remove(&id);
}

fn error_response(status: u16, body: &str) -> ErrorResponse {
    let mut resp = ErrorResponse::new(Some(body.to_owned()));
    *resp.status_mut() = tungstenite::http::StatusCode::from_u16(status)
        .unwrap_or(tungstenite::http::StatusCode::BAD_REQUEST);
    resp
}

fn run(shared: &Shared, ws: &mut WebSocket<TcpStream>, rx: &Receiver<Outbound>, conn: &mut Conn) {
    loop {
        if !shared.running.load(Ordering::SeqCst) {
            return; // stop(): drop the socket, no Close frame
        }
        // Control calls first, so a test's publish goes out before the next read.
        while let Ok(out) = rx.try_recv() {
            match out {
                Outbound::Text(text) => {
                    if ws.send(Message::text(text)).is_err() {
                        return;
                    }
                }
                Outbound::Close(code, reason) => {
                    return close(shared, ws, conn.id, code, &reason);
                }
                Outbound::Abort => return,
            }
        }
        let now = Instant::now();
        if let Some(verdict) = timers(ws, conn, now) {
            match verdict {
                Verdict::Close(code, reason) => return close(shared, ws, conn.id, code, reason),
                Verdict::Continue => {}
            }
        }
        match ws.read() {
            Ok(Message::Text(text)) => {
                if let Verdict::Close(code, reason) = on_message(shared, ws, conn, text.as_str()) {
                    return close(shared, ws, conn.id, code, reason);
                }
            }
            Ok(Message::Binary(bytes)) => {
                // Centrifugo reads the payload whatever the frame type; JSON must be UTF-8.
                let verdict = match std::str::from_utf8(&bytes) {
                    Ok(text) => on_message(shared, ws, conn, text),
                    Err(_) => Verdict::Close(3501, "bad request"),
                };
                if let Verdict::Close(code, reason) = verdict {
                    return close(shared, ws, conn.id, code, reason);
                }
            }
            // tungstenite answers pings itself and replies to a Close; the next read or flush
            // then returns ConnectionClosed.
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)) => {}
            Ok(Message::Close(_)) => {
                let _ = ws.flush();
                return;
            }
            Err(WsError::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(WsError::Capacity(_)) => {
                // gorilla/websocket closes an over-limit message with 1009 as well.
                return close(shared, ws, conn.id, 1009, "message too big");
            }
            Err(_) => return,
        }
    }
}

/// Pings, the pong check, expiry and staleness, as Centrifugo's per-client timer does them.
fn timers(ws: &mut WebSocket<TcpStream>, conn: &mut Conn, now: Instant) -> Option<Verdict> {
    if !conn.authenticated || conn.unusable {
        if now >= conn.opened + conn.config.stale_close_delay {
            return Some(Verdict::Close(3502, "stale"));
        }
        return None;
    }
    if let Some(at) = conn.expire_close_at
        && now >= at
    {
        return Some(Verdict::Close(3005, "connection expired"));
    }
    if let Some(deadline) = conn.pong_deadline
        && now >= deadline
    {
        conn.pong_deadline = None;
        if conn.ping_outstanding {
            return Some(Verdict::Close(3012, "no pong"));
        }
    }
    if let Some(at) = conn.next_ping
        && now >= at
    {
        // The server ping of protocol v2 is an empty reply, `{}`.
        if ws.send(Message::text("{}")).is_err() {
            return Some(Verdict::Close(3009, "write error"));
        }
        conn.ping_outstanding = true;
        if !conn.config.pong_timeout.is_zero() {
            conn.pong_deadline = Some(now + conn.config.pong_timeout);
        }
        conn.next_ping = Some(now + Duration::from_secs(conn.config.ping_secs.into()));
    }
    Some(Verdict::Continue)
}

fn close(shared: &Shared, ws: &mut WebSocket<TcpStream>, conn: u64, code: u16, reason: &str) {
    shared.lock().closes.push(ServerClose {
        conn,
        code,
        reason: reason.to_owned(),
    });
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    };
    if ws.close(Some(frame)).is_err() {
        return;
    }
    // Wait (bounded) for the client's Close, as Centrifugo does before dropping the socket.
    let deadline = Instant::now() + CLOSE_WAIT;
    while Instant::now() < deadline {
        match ws.read() {
            Ok(_) => {}
            Err(WsError::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}

/// Handles one client WebSocket message: logs it, runs its commands in order, and sends their
/// replies together in one message, `\n` between them.
fn on_message(
    shared: &Shared,
    ws: &mut WebSocket<TcpStream>,
    conn: &mut Conn,
    text: &str,
) -> Verdict {
    shared.lock().log.push(ClientFrame {
        conn: conn.id,
        text: text.to_owned(),
    });
    let mut replies = Vec::new();
    let mut verdict = Verdict::Continue;
    for line in text.split('\n') {
        if line.trim().is_empty() {
            continue;
        }
        if conn.unusable {
            verdict = Verdict::Close(3501, "bad request");
            break;
        }
        let Ok(Value::Object(cmd)) = serde_json::from_str::<Value>(line) else {
            verdict = Verdict::Close(3501, "bad request");
            break;
        };
        match command(shared, conn, &cmd) {
            Step::Reply(reply) => replies.push(reply),
            Step::Silent => {}
            Step::Stop(reply) => {
                // A connect error: the rest of this message is not processed.
                replies.push(reply);
                break;
            }
            Step::Close(code, reason) => {
                verdict = Verdict::Close(code, reason);
                break;
            }
        }
    }
    if !replies.is_empty() && ws.send(Message::text(replies.join("\n"))).is_err() {
        return Verdict::Close(3009, "write error");
    }
    verdict
}

enum Step {
    Reply(String),
    Silent,
    Stop(String),
    Close(u16, &'static str),
}

fn error_reply(id: u64, code: u32, message: &str) -> String {
    // Centrifugo marks these two temporary (clients retry them instead of giving up).
    if code == 100 || code == 111 {
        return json!({"id": id, "error": {"code": code, "message": message, "temporary": true}})
            .to_string();
    }
    json!({"id": id, "error": {"code": code, "message": message}}).to_string()
}

fn command(shared: &Shared, conn: &mut Conn, cmd: &serde_json::Map<String, Value>) -> Step {
    let id = cmd.get("id").and_then(Value::as_u64).unwrap_or(0);
    let is_connect = cmd.contains_key("connect");
    if !conn.authenticated && !is_connect {
        return Step::Close(3501, "bad request"); // "unexpected frame before connect"
    }
    // A pong is any command without an id and without `send`; it must answer a ping.
    if id == 0 && !cmd.contains_key("send") {
        if !conn.ping_outstanding {
            return Step::Close(3501, "bad request"); // "unnecessary pong"
        }
        conn.ping_outstanding = false;
        return Step::Silent;
    }
    if id == 0 {
        // `send` (asynchronous message): Centrifugo without a message handler.
        return Step::Close(3508, "not available");
    }
    if let Some(req) = cmd.get("connect") {
        return connect(shared, conn, id, req);
    }
    if let Some(req) = cmd.get("subscribe") {
        let channel = req.get("channel").and_then(Value::as_str).unwrap_or("");
        if channel.is_empty() {
            return Step::Close(3501, "bad request");
        }
        let mut state = shared.lock();
        if let Some((code, message)) = state.subscribe_errors.get(channel) {
            return Step::Reply(error_reply(id, *code, message));
        }
        let Some(entry) = state.conns.get_mut(&conn.id) else {
            return Step::Close(3000, "connection closed");
        };
        if !entry.channels.insert(channel.to_owned()) {
            return Step::Reply(error_reply(id, 105, "already subscribed"));
        }
        // Kick's reply is empty too: no recovery, positioning or channel-compaction id.
        return Step::Reply(json!({"id": id, "subscribe": {}}).to_string());
    }
    if let Some(req) = cmd.get("unsubscribe") {
        let channel = req.get("channel").and_then(Value::as_str).unwrap_or("");
        if let Some(entry) = shared.lock().conns.get_mut(&conn.id) {
            entry.channels.remove(channel);
        }
        return Step::Reply(json!({"id": id, "unsubscribe": {}}).to_string());
    }
    if let Some(req) = cmd.get("refresh") {
        return refresh(shared, conn, id, req);
    }
    if cmd.contains_key("ping") {
        return Step::Reply(json!({"id": id, "ping": {}}).to_string());
    }
    if cmd.contains_key("publish") {
        // Centrifugo's default: clients may not publish.
        return Step::Reply(error_reply(id, 103, "permission denied"));
    }
    if cmd.contains_key("history")
        || cmd.contains_key("presence")
        || cmd.contains_key("presence_stats")
    {
        return Step::Reply(error_reply(id, 108, "not available"));
    }
    if cmd.contains_key("rpc") {
        return Step::Reply(error_reply(id, 104, "method not found"));
    }
    Step::Close(3501, "bad request")
}

fn connect(shared: &Shared, conn: &mut Conn, id: u64, req: &Value) -> Step {
    if conn.authenticated {
        return Step::Close(3501, "bad request"); // "client already authenticated"
    }
    let token = req.get("token").and_then(Value::as_str).unwrap_or("");
    if token.is_empty() {
        return Step::Close(3501, "bad request"); // "client credentials not found"
    }
    let rule = shared.lock().tokens.get(token).cloned();
    let ttl = match rule {
        None => return Step::Close(3500, "invalid token"),
        Some(TokenRule::Expired) => {
            conn.unusable = true;
            return Step::Stop(error_reply(id, 109, "token expired"));
        }
        Some(TokenRule::Valid(ttl)) => ttl,
    };
    let now = Instant::now();
    conn.authenticated = true;
    if let Some(entry) = shared.lock().conns.get_mut(&conn.id) {
        entry.authenticated = true;
    }
    conn.expire_close_at =
        ttl.map(|t| now + Duration::from_secs(t.into()) + conn.config.expired_close_delay);
    let mut result = serde_json::Map::new();
    result.insert("client".into(), Value::String(client_uuid(shared)));
    result.insert("version".into(), Value::String(conn.config.version.clone()));
    if let Some(ttl) = ttl {
        result.insert("expires".into(), Value::Bool(true));
        result.insert("ttl".into(), ttl.into());
    }
    if conn.config.ping_secs > 0 {
        result.insert("ping".into(), conn.config.ping_secs.into());
        // Centrifugo spreads the first ping over [interval/2, interval); a fixed interval keeps
        // tests deterministic and is within what clients must accept.
        conn.next_ping = Some(now + Duration::from_secs(conn.config.ping_secs.into()));
        if !conn.config.pong_timeout.is_zero() {
            result.insert("pong".into(), Value::Bool(true));
        }
    }
    Step::Reply(json!({"id": id, "connect": result}).to_string())
}

fn refresh(shared: &Shared, conn: &mut Conn, id: u64, req: &Value) -> Step {
    let token = req.get("token").and_then(Value::as_str).unwrap_or("");
    let rule = {
        let mut state = shared.lock();
        state.refreshes += 1;
        state.tokens.get(token).cloned()
    };
    if token.is_empty() {
        return Step::Close(3501, "bad request"); // "client token required to refresh"
    }
    match rule {
        None => Step::Close(3500, "invalid token"),
        // Centrifugo's refresh handler turns an expired token into RefreshReply{Expired}, which
        // the library answers with DisconnectExpired, not with error 109.
        Some(TokenRule::Expired) => Step::Close(3005, "connection expired"),
        Some(TokenRule::Valid(ttl)) => {
            conn.expire_close_at = ttl.map(|t| {
                Instant::now() + Duration::from_secs(t.into()) + conn.config.expired_close_delay
            });
            let result = match ttl {
                Some(ttl) => json!({"expires": true, "ttl": ttl}),
                None => json!({}),
            };
            Step::Reply(json!({"id": id, "refresh": result}).to_string())
        }
    }
}

/// A random-looking version-4 UUID, as Centrifugo's client ids are; unique per server.
fn client_uuid(shared: &Shared) -> String {
    let n = shared.next_client.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    // splitmix64 of the time and a counter: no rand dependency needed for an opaque id.
    let mut x = nanos ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = || {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}
