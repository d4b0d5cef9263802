//! A scripted Pusher-protocol server for fault tests: plain WebSocket on loopback, one thread
//! per connection running a test's script, and a timestamped log of everything that happened
//! on the wire (upgrades, frames both ways, closes both ways).
//!
//! It does what a real server (sockudo) will not do on demand: refuse a handshake, close with
//! any code, stay silent, never answer a ping, send garbage. Every wait is bounded: reads time
//! out every few milliseconds, a script cannot keep a connection past [`SCRIPT_LIMIT`], and
//! dropping the server stops every thread (joined with a deadline).
//!
//! ```no_run
//! use kickwire_tests::scripted::ScriptedServer;
//! // Handshake, then close 4100 (over capacity).
//! let server = ScriptedServer::start(|peer| {
//!     peer.established(120);
//!     peer.close(4100, "Over capacity");
//! })
//! .unwrap();
//! let url = server.url(); // ws://127.0.0.1:<port>/app/<key>?protocol=7&...
//! ```

use std::io::ErrorKind;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Error as WsError, Message, WebSocket};

/// Kick's Pusher app key, used in [`ScriptedServer::url`].
pub const APP_KEY: &str = "32cbd69e4b950bf97679";
/// How long one blocking read lasts before the thread looks at its deadline and stop flag.
const POLL: Duration = Duration::from_millis(5);
/// No connection is kept longer than this, whatever its script does.
pub const SCRIPT_LIMIT: Duration = Duration::from_secs(30);
/// How long [`Peer::close`] waits for the client's Close reply.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Bound on joining the threads when the server is dropped.
const JOIN_WAIT: Duration = Duration::from_secs(5);

/// One thing that happened, on connection `conn` (1 for the first upgrade).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The WebSocket upgrade completed.
    Accepted { conn: usize },
    /// The client sent a text message.
    Received { conn: usize, text: String },
    /// The client sent a binary message.
    ReceivedBinary { conn: usize, len: usize },
    /// The server sent a text message.
    Sent { conn: usize, text: String },
    /// The server sent a Close frame.
    ServerClose { conn: usize, code: u16 },
    /// The server dropped the TCP connection without a Close frame.
    ServerDrop { conn: usize },
    /// The client closed first: with a Close frame (its code, if any) or by dropping the TCP
    /// connection (`frame: false`).
    ClientClose {
        conn: usize,
        frame: bool,
        code: Option<u16>,
    },
}

impl Record {
    /// The connection it happened on.
    pub fn conn(&self) -> usize {
        match self {
            Record::Accepted { conn }
            | Record::Received { conn, .. }
            | Record::ReceivedBinary { conn, .. }
            | Record::Sent { conn, .. }
            | Record::ServerClose { conn, .. }
            | Record::ServerDrop { conn }
            | Record::ClientClose { conn, .. } => *conn,
        }
    }
}

/// A [`Record`] and when it happened.
#[derive(Debug, Clone)]
pub struct Entry {
    pub at: Instant,
    pub record: Record,
}

struct Shared {
    running: AtomicBool,
    next_conn: AtomicUsize,
    log: Mutex<Vec<Entry>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Vec<Entry>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, record: Record) {
        self.log().push(Entry {
            at: Instant::now(),
            record,
        });
    }
}

type Script = dyn Fn(&mut Peer) + Send + Sync + 'static;

/// The server; see the module docs.
pub struct ScriptedServer {
    port: u16,
    shared: Arc<Shared>,
    listener: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    /// Listens on a free loopback port and runs `script` for every accepted WebSocket, each on
    /// its own thread. When the script returns with the socket still open, the server keeps
    /// reading (and logging) until the client closes, the server is dropped, or
    /// [`SCRIPT_LIMIT`] has passed since the upgrade.
    pub fn start(script: impl Fn(&mut Peer) + Send + Sync + 'static) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            running: AtomicBool::new(true),
            next_conn: AtomicUsize::new(1),
            log: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
        });
        let script: Arc<Script> = Arc::new(script);
        let sh = Arc::clone(&shared);
        let listener = thread::Builder::new()
            .name("scripted-listener".into())
            .spawn(move || accept_loop(&sh, &listener, &script))?;
        Ok(Self {
            port,
            shared,
            listener: Some(listener),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `ws://127.0.0.1:<port>/app/<Kick's key>?protocol=7&client=js&version=8.4.0&flash=false`.
    pub fn url(&self) -> String {
        format!(
            "ws://127.0.0.1:{}/app/{APP_KEY}?protocol=7&client=js&version=8.4.0&flash=false",
            self.port
        )
    }

    /// Everything so far, in order.
    pub fn log(&self) -> Vec<Entry> {
        self.shared.log().clone()
    }

    /// How many WebSocket upgrades completed.
    pub fn connections(&self) -> usize {
        self.accepted_at().len()
    }

    /// When each upgrade completed, in order.
    pub fn accepted_at(&self) -> Vec<Instant> {
        self.times(|r| matches!(r, Record::Accepted { .. }))
    }

    /// When each record matching `which` happened, in order.
    pub fn times(&self, which: impl Fn(&Record) -> bool) -> Vec<Instant> {
        self.shared
            .log()
            .iter()
            .filter(|e| which(&e.record))
            .map(|e| e.at)
            .collect()
    }

    /// When the first record matching `which` happened.
    pub fn first(&self, which: impl Fn(&Record) -> bool) -> Option<Instant> {
        self.times(which).into_iter().next()
    }

    /// The text messages the client sent on connection `conn`, in order.
    pub fn received(&self, conn: usize) -> Vec<String> {
        self.shared
            .log()
            .iter()
            .filter_map(|e| match &e.record {
                Record::Received { conn: c, text } if *c == conn => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    /// Calls `done` every few milliseconds until it returns true (then true) or `timeout`
    /// passes (then false).
    pub fn wait_until(&self, timeout: Duration, mut done: impl FnMut(&Self) -> bool) -> bool {
        crate::poll_until(timeout, POLL, || done(self))
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.shared.running.store(false, Ordering::SeqCst);
        let deadline = Instant::now() + JOIN_WAIT;
        let threads: Vec<JoinHandle<()>> = self
            .shared
            .threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect();
        for handle in self.listener.take().into_iter().chain(threads) {
            while !handle.is_finished() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(2));
            }
            if handle.is_finished() {
                let _ = handle.join();
            }
        }
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener, script: &Arc<Script>) {
    while shared.running.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) if peer.ip().is_loopback() => {
                let (sh, sc) = (Arc::clone(shared), Arc::clone(script));
                let spawned = thread::Builder::new()
                    .name("scripted-conn".into())
                    .spawn(move || serve(&sh, stream, &*sc));
                if let Ok(handle) = spawned {
                    let mut threads = shared.threads.lock().unwrap_or_else(|e| e.into_inner());
                    threads.retain(|h| !h.is_finished());
                    threads.push(handle);
                }
            }
            Ok(_) => {}
            Err(_) => thread::sleep(POLL),
        }
    }
}

fn serve(shared: &Arc<Shared>, stream: TcpStream, script: &Script) {
    // Accepted sockets may inherit the listener's non-blocking mode on some platforms.
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_nodelay(true);
    let Ok(ws) = tungstenite::accept(stream) else {
        return;
    };
    let _ = ws.get_ref().set_read_timeout(Some(POLL));
    let conn = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    shared.push(Record::Accepted { conn });
    let mut peer = Peer {
        conn,
        ws,
        shared: Arc::clone(shared),
        closed: false,
        limit: Instant::now() + SCRIPT_LIMIT,
    };
    script(&mut peer);
    peer.hold(SCRIPT_LIMIT);
}

/// One accepted WebSocket, as a script sees it.
pub struct Peer {
    conn: usize,
    ws: WebSocket<TcpStream>,
    shared: Arc<Shared>,
    closed: bool,
    /// Nothing on this connection waits past this.
    limit: Instant,
}

impl Peer {
    /// The connection number: 1 for the first upgrade of this server.
    pub fn conn(&self) -> usize {
        self.conn
    }

    /// Whether the socket is gone (either side closed it).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Sends a text message; false when the socket is gone.
    pub fn send(&mut self, text: &str) -> bool {
        if self.closed {
            return false;
        }
        if self.ws.send(Message::text(text)).is_err() {
            self.closed = true;
            return false;
        }
        self.shared.push(Record::Sent {
            conn: self.conn,
            text: text.to_owned(),
        });
        true
    }

    /// Sends a binary message; false when the socket is gone.
    pub fn send_binary(&mut self, bytes: Vec<u8>) -> bool {
        if self.closed {
            return false;
        }
        if self.ws.send(Message::binary(bytes)).is_err() {
            self.closed = true;
            return false;
        }
        true
    }

    /// Sends `pusher:connection_established` with socket id `<conn>.<conn>` and the given
    /// `activity_timeout` (seconds), as sockudo words it.
    pub fn established(&mut self, activity_timeout: u64) -> bool {
        let n = self.conn;
        self.send(&format!(
            r#"{{"event":"pusher:connection_established","data":"{{\"socket_id\":\"{n}.{n}\",\"activity_timeout\":{activity_timeout}}}"}}"#
        ))
    }

    /// Sends a `pusher:error` frame with this code and message.
    pub fn error(&mut self, code: u16, message: &str) -> bool {
        let frame = serde_json::json!({
            "event": "pusher:error",
            "data": {"code": code, "message": message},
        });
        self.send(&frame.to_string())
    }

    /// Sends a Close frame and waits (bounded) for the client's Close reply or the end of the
    /// socket.
    pub fn close(&mut self, code: u16, reason: &str) {
        if self.closed {
            return;
        }
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        };
        let sent = self.ws.close(Some(frame)).is_ok();
        if sent {
            self.shared.push(Record::ServerClose {
                conn: self.conn,
                code,
            });
        }
        self.closed = true;
        if !sent {
            return;
        }
        let deadline = (Instant::now() + CLOSE_WAIT).min(self.limit);
        while Instant::now() < deadline && self.shared.running.load(Ordering::SeqCst) {
            match self.ws.read() {
                Ok(_) => {}
                Err(WsError::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => return,
            }
        }
    }

    /// Drops the TCP connection without a Close frame, as a crashed server does (or sockudo
    /// given an unknown app key): the client sees an abnormal close (1006).
    pub fn drop_connection(&mut self) {
        if self.closed {
            return;
        }
        let _ = self.ws.get_mut().shutdown(std::net::Shutdown::Both);
        self.closed = true;
        self.shared.push(Record::ServerDrop { conn: self.conn });
    }

    /// The next text message from the client within `timeout` (everything read is logged).
    /// `None`: the time passed, the socket is gone, or the server is being dropped.
    pub fn recv(&mut self, timeout: Duration) -> Option<String> {
        let deadline = (Instant::now() + timeout).min(self.limit);
        while !self.closed
            && Instant::now() < deadline
            && self.shared.running.load(Ordering::SeqCst)
        {
            if let Some(text) = self.read_one() {
                return Some(text);
            }
        }
        None
    }

    /// Reads (and logs) whatever comes, answering nothing, until the client closes, `timeout`
    /// passes or the server is being dropped.
    pub fn hold(&mut self, timeout: Duration) {
        let deadline = (Instant::now() + timeout).min(self.limit);
        while !self.closed
            && Instant::now() < deadline
            && self.shared.running.load(Ordering::SeqCst)
        {
            self.read_one();
        }
    }

    /// Like [`hold`](Self::hold), answering each `pusher:subscribe` with
    /// `pusher_internal:subscription_succeeded` (as sockudo does for a public channel). Pings
    /// are not answered.
    pub fn serve_subscriptions(&mut self, timeout: Duration) {
        let deadline = (Instant::now() + timeout).min(self.limit);
        while let Some(text) = self.recv(deadline.saturating_duration_since(Instant::now())) {
            self.answer_subscribe(&text);
        }
    }

    /// Answers `text` with `subscription_succeeded` if it is a `pusher:subscribe`; returns
    /// whether it was.
    pub fn answer_subscribe(&mut self, text: &str) -> bool {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return false;
        };
        if v["event"] != "pusher:subscribe" {
            return false;
        }
        let Some(channel) = v["data"]["channel"].as_str() else {
            return false;
        };
        let reply = serde_json::json!({
            "event": "pusher_internal:subscription_succeeded",
            "data": "{}",
            "channel": channel,
        });
        self.send(&reply.to_string())
    }

    /// One read: a text message (logged and returned), or anything else (logged), or nothing
    /// within [`POLL`].
    fn read_one(&mut self) -> Option<String> {
        match self.ws.read() {
            Ok(Message::Text(t)) => {
                let text = t.to_string();
                self.shared.push(Record::Received {
                    conn: self.conn,
                    text: text.clone(),
                });
                Some(text)
            }
            Ok(Message::Binary(b)) => {
                self.shared.push(Record::ReceivedBinary {
                    conn: self.conn,
                    len: b.len(),
                });
                None
            }
            Ok(Message::Close(frame)) => {
                self.shared.push(Record::ClientClose {
                    conn: self.conn,
                    frame: true,
                    code: frame.map(|f| u16::from(f.code)),
                });
                // tungstenite queued the reply; send it and let the socket go.
                let _ = self.ws.flush();
                self.closed = true;
                None
            }
            Ok(_) => None,
            Err(WsError::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                let _ = self.ws.flush();
                None
            }
            Err(_) => {
                self.shared.push(Record::ClientClose {
                    conn: self.conn,
                    frame: false,
                    code: None,
                });
                self.closed = true;
                None
            }
        }
    }
}
