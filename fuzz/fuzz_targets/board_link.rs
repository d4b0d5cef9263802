//! The board's WebSocket link (`kickwire_board::link::Link`) driven by a script: connects,
//! upgrade responses good and bad, server bytes (frames built here, or any bytes at all)
//! arriving in pieces of any size through either read path, closes, failed connects, time
//! passing, commands to the connection; the link's RNG is seeded from the input.
//!
//! Checked after every input, while draining `poll` as the link's docs say:
//! - nothing panics, `poll` returns `None` within a bound, and `read_buf` is never left empty;
//! - every `Write` fits `tx`: first the upgrade request (a `GET` with a key), then only whole
//!   masked final client frames (text of UTF-8, close, pong); every `Connect` names the URL
//!   (`wss://` only after a Pusher server's bytes, as its close code 4000 asks, then for good);
//! - a good 101 opens the WebSocket once all of it has arrived; a 101 without the right
//!   `Sec-WebSocket-Accept`, or naming an extension or a sub-protocol, or another status,
//!   never does, and ends the socket; so does an upgrade still unfinished at its 10 s deadline;
//! - what the link hands out matches what the server sent (`fuzz_support::server`, which reads
//!   the same bytes with its own frame parser): every Kick event comes from a whole text
//!   message, in order; once a Pusher connection is `Connected`, every event of every later
//!   message comes; every ping is answered with its payload; binary and oversized messages are
//!   dropped and counted exactly; a close frame or a protocol violation ends the socket, and
//!   nothing after it is handed out.
//!
//! Input: byte 0 configures (bit 0 Centrifugo instead of Pusher; bits 1-2 the `rx` size,
//! bits 3-4 the `message` size, bit 5 the `tx` size, from the tables below), bytes 1-8 seed
//! the RNG, then ops, one byte each (`op & 15`, argument `op >> 4`) with operands after it:
//!
//! | op | does | operands |
//! |---|---|---|
//! | 0 | `connect` | |
//! | 1 | `handle_connected` | |
//! | 2 | `handle_connect_failed` | |
//! | 3 | queue a 101 response: arg 0 good, 1 good without accept, 2 wrong accept, 3 another status, 4 good plus a header | 3: status byte; 4: name byte, length byte, value |
//! | 4 | queue a frame | flags (bit 7 FIN, bit 6 masked, bits 4-5 length form, bits 0-3 opcode), payload byte (below 128: a canned message, else a u16 LE length and the bytes) |
//! | 5 | queue raw bytes | u16 LE length, the bytes |
//! | 6 | deliver everything queued, in pieces of `n` bytes (0: as much as fits) | `n` |
//! | 7 | deliver at most `n` queued bytes through `read_buf` + `handle_read` | `n` |
//! | 8 | `handle_closed` | |
//! | 9 | time passes: `t` × 100 ms, or (0) to the next timeout, then `handle_timeout` | `t` |
//! | 10 | a command to the connection, picked by arg | |
//! | 11-15 | deliver everything queued, in pieces of arg + 1 bytes | |
//!
//! `fuzz/seed.sh` writes scripts in this form; keep the two in step.
#![no_main]

use fuzz_support::server::{Kick, Stream};
use fuzz_support::ws::{self, CLOSE, LengthForm, PONG, TEXT};
use kickwire_board::link::{Action, Buffers, Config, Link};
use kickwire_proto::Transport;
use kickwire_proto::conn::{self, Connection, Event, Instant};
use libfuzzer_sys::fuzz_target;

const PUSHER_URL: &str = "ws://127.0.0.1:6001/app/key?protocol=7";
const CENTRIFUGO_URL: &str = "ws://127.0.0.1:8000/connection/websocket";
const CHANNEL: &str = "chatrooms.2507974.v2";
const RX: [usize; 4] = [256, 512, 1536, 4096];
const MESSAGE: [usize; 4] = [256, 1024, 4096, 16384];
const TX: [usize; 2] = [512, 1024];
/// The link's default upgrade timeout.
const UPGRADE_MS: u64 = 10_000;
/// Ops read from one input.
const MAX_OPS: usize = 400;

/// Messages that move the connection along, for op 4.
const CANNED: &[&[u8]] = &[
    br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"123456.7890\",\"activity_timeout\":120}"}"#,
    br#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.2507974.v2"}"#,
    br#"{"event":"pusher:ping","data":"{}"}"#,
    br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":2507974,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.2507974.v2"}"#,
    br#"{"event":"pusher:error","data":{"code":4200,"message":"Please reconnect immediately"}}"#,
    br#"{"id":1,"connect":{"client":"c","version":"6.9.2 PRO","expires":true,"ttl":2700,"ping":25}}"#,
    br#"{"push":{"channel":"chatrooms.2507974.v2","pub":{"data":{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"m\",\"content\":\"hi [emote:37226:KEKW]\",\"type\":\"message\"}"}}}}"#,
    b"{}",
    b"\x03\xe8bye",
    b"",
];

/// Headers op 3 may add to a good response.
const HEADERS: &[&str] = &[
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
    "Sec-WebSocket-Accept",
    "Content-Length",
    "Server",
];

/// Statuses op 3 may answer with instead of 101.
const STATUSES: [u16; 8] = [200, 301, 400, 403, 404, 426, 500, 503];

/// A seeded xorshift64* (the link clones it per socket, so keys repeat: harmless here).
#[derive(Clone)]
struct Rng(u64);

impl rand_core::RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let n = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&n[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// The rest of the input, read front to back; zeros and empty slices once it runs out.
struct Script<'a>(&'a [u8]);

impl<'a> Script<'a> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }
    fn sized(&mut self) -> &'a [u8] {
        let n = u16::from_le_bytes([self.byte(), self.byte()]);
        self.bytes(usize::from(n))
    }
}

/// Where the current socket stands, as far as the harness can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// No socket.
    Idle,
    /// `Connect` given; no request written yet.
    Connecting,
    /// The request is written with this key.
    Upgrading { key: String },
    /// A known good 101 has all arrived: frames follow.
    Frames,
    /// A known bad 101 has all arrived: the link must end the socket.
    Refused,
    /// Bytes the harness cannot judge arrived before or as the response: nothing is checked
    /// on this socket.
    Unknown,
}

/// One socket, from its `Connect` on.
struct Socket {
    phase: Phase,
    /// Bytes were queued on this socket (so a response queued now is not known to be first).
    queued: bool,
    /// A response queued first: bytes of it not delivered yet, and whether it is good.
    head: Option<(usize, bool)>,
    stream: Stream,
    /// `dropped_messages` when the socket began.
    dropped_base: u32,
    /// A Pusher `Connected` event came on this socket.
    connected: bool,
    /// When `Connect` was given.
    started: u64,
    /// The upgrade request was written (the first write on every socket).
    requested: bool,
}

impl Socket {
    fn new(phase: Phase, now: u64, message_cap: usize, dropped_base: u32) -> Self {
        Self {
            phase,
            queued: false,
            head: None,
            stream: Stream::new(message_cap),
            dropped_base,
            connected: false,
            started: now,
            requested: false,
        }
    }
}

struct Harness<'b> {
    link: Link<'b, Rng>,
    pusher: bool,
    now: u64,
    /// Bytes queued for the current socket, not yet given to the link.
    pending: Vec<u8>,
    sock: Socket,
    /// Bumped at every end of a socket.
    generation: u64,
    sizes: (usize, usize, usize),
    /// The last `Connect` asked for TLS.
    tls: bool,
    /// The link took server bytes since the last `Connect`.
    heard_since_connect: bool,
}

impl Harness<'_> {
    fn now(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// The current socket is gone: what was queued for it goes too.
    fn socket_ended(&mut self, next: Phase) {
        self.generation += 1;
        self.pending.clear();
        let dropped = self.link.dropped_messages();
        self.sock = Socket::new(next, self.now, self.sizes.1, dropped);
    }

    /// Polls until `None`, checking every output.
    fn drain(&mut self) {
        let (rx, message, tx) = self.sizes;
        let bound = 4 * (rx + message) + 256;
        for _ in 0..bound {
            let now = self.now();
            let mut kicks = Vec::new();
            let action = self.link.poll(now, |raw| {
                kicks.push(Kick {
                    name: raw.name.as_str().to_owned(),
                    channel: raw.channel.as_str().to_owned(),
                    payload: raw.payload.to_vec(),
                    mandatory: false,
                })
            });
            let action = action.map(Owned::from);
            for k in &kicks {
                match self.sock.phase {
                    Phase::Frames => self.sock.stream.take_kick(k),
                    Phase::Unknown => {}
                    ref p => panic!("a Kick event while the socket is {p:?}: {k:?}"),
                }
            }
            let Some(action) = action else {
                // `poll` stopped at its step bound: it asks to be called again at once.
                if self.link.poll_timeout() == Some(Instant::from_millis(0)) {
                    continue;
                }
                assert!(!self.link.read_buf().is_empty(), "rx left full");
                return;
            };
            match action {
                Owned::Connect {
                    host,
                    port,
                    tls,
                    target,
                } => {
                    let want = if self.pusher {
                        (6001, "/app/key?protocol=7")
                    } else {
                        (8000, "/connection/websocket")
                    };
                    assert_eq!(
                        (host.as_str(), port, target.as_str()),
                        ("127.0.0.1", want.0, want.1)
                    );
                    // Pusher's close code 4000 ("TLS only") moves the connection to `wss://`
                    // for good: only a Pusher server can ask it, only with bytes it sent on
                    // the last socket, and there is no way back.
                    if tls != self.tls {
                        assert!(
                            tls && self.pusher && self.heard_since_connect,
                            "TLS {} -> {tls} (pusher {}, server bytes since the last connect {})",
                            self.tls,
                            self.pusher,
                            self.heard_since_connect
                        );
                        self.tls = true;
                    }
                    self.heard_since_connect = false;
                    self.socket_ended(Phase::Connecting);
                }
                Owned::Write(bytes) => {
                    assert!(
                        !bytes.is_empty() && bytes.len() <= tx,
                        "a write of {} bytes",
                        bytes.len()
                    );
                    self.written(&bytes);
                }
                Owned::Close => self.socket_ended(Phase::Idle),
                Owned::Event(Event::Connected { .. }) => self.sock.connected = self.pusher,
                Owned::Event(_) => {}
            }
        }
        panic!("poll never returned None");
    }

    fn written(&mut self, bytes: &[u8]) {
        if !self.sock.requested {
            assert!(self.sock.phase != Phase::Idle, "a write without a socket");
            self.sock.requested = true;
            let text = std::str::from_utf8(bytes).expect("the upgrade request is text");
            assert!(
                text.starts_with("GET /") && text.ends_with("\r\n\r\n"),
                "{text:?}"
            );
            let key = text
                .lines()
                .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
                .expect("the request has a key");
            if self.sock.phase == Phase::Connecting && !self.sock.queued {
                self.sock.phase = Phase::Upgrading {
                    key: key.to_owned(),
                };
            } else {
                self.sock.phase = Phase::Unknown;
            }
            return;
        }
        let (f, n) = ws::parse(bytes).unwrap_or_else(|| panic!("not a whole frame: {bytes:?}"));
        assert_eq!(
            n,
            bytes.len(),
            "more than one frame in a write: {f:?} then {:?}",
            String::from_utf8_lossy(&bytes[n..])
        );
        assert!(f.masked && f.fin && f.rsv == 0, "{f:?}");
        match f.opcode {
            TEXT => {
                std::str::from_utf8(&f.payload).expect("text frames carry UTF-8");
            }
            CLOSE => {}
            PONG => {
                if self.sock.phase == Phase::Frames {
                    self.sock.stream.take_pong(&f.payload);
                }
            }
            other => panic!("the link wrote opcode {other}"),
        }
        assert!(
            matches!(self.sock.phase, Phase::Frames | Phase::Unknown),
            "a frame written while the socket is {:?}",
            self.sock.phase
        );
    }

    /// Bytes the link took: the harness's reading of them.
    fn delivered(&mut self, mut bytes: &[u8]) {
        self.heard_since_connect |= !bytes.is_empty();
        if let Some((left, good)) = self.sock.head {
            let k = left.min(bytes.len());
            bytes = &bytes[k..];
            self.sock.head = (left > k).then_some((left - k, good));
            if left == k {
                self.sock.phase = if good { Phase::Frames } else { Phase::Refused };
            }
        }
        match self.sock.phase {
            Phase::Frames => {
                let ready = self.sock.connected;
                self.sock.stream.push(bytes, ready);
            }
            Phase::Connecting | Phase::Upgrading { .. } if !bytes.is_empty() => {
                self.sock.phase = Phase::Unknown;
            }
            _ => {}
        }
    }

    /// What must hold whenever the socket survived a drain.
    fn settled(&mut self, generation: u64) {
        if self.generation != generation {
            return;
        }
        match self.sock.phase {
            Phase::Frames => {
                assert!(
                    self.link.is_open(),
                    "a good 101 arrived but the WebSocket is not open"
                );
                assert!(
                    !self.sock.stream.ended,
                    "a close frame or a protocol error did not end the socket"
                );
                self.sock.stream.settled();
                assert_eq!(
                    self.link.dropped_messages() - self.sock.dropped_base,
                    self.sock.stream.dropped,
                    "dropped messages"
                );
            }
            Phase::Refused => panic!("a refused upgrade did not end the socket"),
            Phase::Idle | Phase::Connecting | Phase::Upgrading { .. } => {
                assert!(!self.link.is_open(), "open in phase {:?}", self.sock.phase);
            }
            Phase::Unknown => {}
        }
    }

    fn queue(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        self.sock.queued |= !bytes.is_empty();
    }

    /// Hands queued bytes to the link, in pieces of `piece`, at most `limit` in all.
    fn deliver(&mut self, piece: usize, limit: usize, read_buf: bool) {
        // Nothing can be read from a socket before it connects (the link would keep the bytes
        // for a response it has not asked for yet).
        if self.sock.phase != Phase::Idle && !self.sock.requested {
            return;
        }
        let mut left = limit;
        while !self.pending.is_empty() && left > 0 {
            let generation = self.generation;
            let n = piece.max(1).min(self.pending.len()).min(left);
            let took = if read_buf {
                let buf = self.link.read_buf();
                let m = n.min(buf.len());
                buf[..m].copy_from_slice(&self.pending[..m]);
                self.link.handle_read(m);
                m
            } else {
                self.link.handle_bytes(&self.pending[..n])
            };
            assert!(took > 0, "the link took none of {n} bytes");
            let bytes: Vec<u8> = self.pending.drain(..took).collect();
            left -= took;
            self.delivered(&bytes);
            self.drain();
            self.settled(generation);
        }
    }

    fn response(&mut self, variant: u8, s: &mut Script<'_>) {
        let key = match &self.sock.phase {
            Phase::Upgrading { key } => key.clone(),
            _ => "AAAAAAAAAAAAAAAAAAAAAA==".to_owned(),
        };
        let head = |accept: Option<String>, extra: &[u8]| {
            let mut h = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n".to_vec();
            if let Some(a) = accept {
                h.extend_from_slice(format!("Sec-WebSocket-Accept: {a}\r\n").as_bytes());
            }
            h.extend_from_slice(extra);
            h.extend_from_slice(b"\r\n");
            h
        };
        let (bytes, good) = match variant {
            // RFC 6455 section 4.1: without the accept value the client fails the connection.
            1 => (head(None, b""), Some(false)),
            2 => (
                head(Some(ws::accept("AAAAAAAAAAAAAAAAAAAAAQ==")), b""),
                Some(key == "AAAAAAAAAAAAAAAAAAAAAQ=="),
            ),
            3 => {
                let status = STATUSES[usize::from(s.byte()) % STATUSES.len()];
                (
                    format!("HTTP/1.1 {status} No\r\nContent-Length: 0\r\n\r\n").into_bytes(),
                    Some(false),
                )
            }
            4 => {
                let name = HEADERS[usize::from(s.byte()) % HEADERS.len()];
                let len = usize::from(s.byte());
                let mut extra = format!("{name}: ").into_bytes();
                extra.extend_from_slice(s.bytes(len));
                extra.extend_from_slice(b"\r\n");
                let accept = ws::accept(&key);
                // RFC 6455 section 4.1: the link asks for no extension and no sub-protocol,
                // so naming one fails the connection; a second accept header must be right
                // too. HTTP's optional whitespace (spaces, tabs) around a value is not part
                // of it. A value with a line break makes lines of its own: not judged here.
                let value = s_trim(&extra[name.len() + 2..extra.len() - 2]);
                let good = match name {
                    _ if value.iter().any(|&b| b == b'\r' || b == b'\n') => None,
                    "Sec-WebSocket-Protocol" | "Sec-WebSocket-Extensions" => Some(value.is_empty()),
                    "Sec-WebSocket-Accept" => Some(value == accept.as_bytes()),
                    _ => Some(true),
                };
                (head(Some(accept), &extra), good)
            }
            _ => (head(Some(ws::accept(&key)), b""), Some(true)),
        };
        let known = matches!(self.sock.phase, Phase::Upgrading { .. }) && !self.sock.queued;
        if let (true, Some(good)) = (known, good) {
            self.sock.head = Some((bytes.len(), good));
        } else if matches!(self.sock.phase, Phase::Upgrading { .. } | Phase::Connecting) {
            self.sock.phase = Phase::Unknown;
        }
        self.queue(&bytes);
    }

    fn frame(&mut self, s: &mut Script<'_>) {
        let flags = s.byte();
        let form = match (flags >> 4) & 3 {
            2 => LengthForm::Wide16,
            3 => LengthForm::Wide64,
            _ => LengthForm::Shortest,
        };
        let mask = (flags & 0x40 != 0).then(|| [s.byte(), s.byte(), s.byte(), s.byte()]);
        let which = s.byte();
        let payload = if which < 0x80 {
            CANNED[usize::from(which) % CANNED.len()]
        } else {
            s.sized()
        };
        let bytes = ws::frame(flags & 0x8f, payload, form, mask);
        self.queue(&bytes);
    }

    fn command(&mut self, which: u8) {
        let now = self.now();
        let c = self.link.connection_mut();
        match which % 6 {
            0 => c.connect(now),
            1 => c.disconnect(now),
            2 => drop(c.subscribe(CHANNEL)),
            3 => drop(c.subscribe("channel.2515504")),
            4 => c.unsubscribe(CHANNEL),
            _ => drop(c.set_token(now, "token")),
        }
    }
}

/// An [`Action`] copied out of the link's buffers.
enum Owned {
    Connect {
        host: String,
        port: u16,
        tls: bool,
        target: String,
    },
    Write(Vec<u8>),
    Close,
    Event(Event),
}

impl From<Action<'_>> for Owned {
    fn from(a: Action<'_>) -> Self {
        match a {
            Action::Connect(u) => Self::Connect {
                host: u.host.into(),
                port: u.port,
                tls: u.tls,
                target: u.target.into(),
            },
            Action::Write(b) => Self::Write(b.to_vec()),
            Action::Close => Self::Close,
            Action::Event(e) => Self::Event(e),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut s = Script(data);
    let config = s.byte();
    let seed = u64::from_le_bytes(s.bytes(8).try_into().unwrap_or([7; 8])) | 1;
    let pusher = config & 1 == 0;
    let sizes = (
        RX[usize::from((config >> 1) & 3)],
        MESSAGE[usize::from((config >> 3) & 3)],
        TX[usize::from((config >> 5) & 1)],
    );
    let (mut rx, mut msg, mut tx) = (vec![0u8; sizes.0], vec![0u8; sizes.1], vec![0u8; sizes.2]);
    let conn_config = conn::Config {
        rng_seed: seed,
        ..conn::Config::default()
    };
    let (transport, url) = if pusher {
        (Transport::Pusher, PUSHER_URL)
    } else {
        (Transport::Centrifugo, CENTRIFUGO_URL)
    };
    let mut conn = Connection::new(transport, url, conn_config).expect("a valid URL");
    conn.subscribe(CHANNEL).expect("a valid channel");
    if !pusher {
        let _ = conn.set_token(Instant::from_millis(1000), "token");
    }
    let buffers = Buffers {
        rx: &mut rx,
        message: &mut msg,
        tx: &mut tx,
    };
    let link = Link::new(conn, Rng(seed), buffers, Config::default())
        .expect("buffers at their minimum or more");
    let mut h = Harness {
        link,
        pusher,
        // Timers are never at 0, so `poll_timeout() == 0` means "poll again now".
        now: 1000,
        pending: Vec::new(),
        sock: Socket::new(Phase::Idle, 1000, sizes.1, 0),
        generation: 0,
        tls: false,
        heard_since_connect: false,
        sizes,
    };

    for _ in 0..MAX_OPS {
        if s.0.is_empty() {
            break;
        }
        let op = s.byte();
        let arg = op >> 4;
        let generation = h.generation;
        let now = h.now();
        match op & 15 {
            0 => h.link.connection_mut().connect(now),
            1 => h.link.handle_connected(now),
            2 => {
                h.link.handle_connect_failed(now, "refused");
                if h.sock.phase == Phase::Connecting {
                    h.socket_ended(Phase::Idle);
                }
            }
            3 => h.response(arg, &mut s),
            4 => h.frame(&mut s),
            5 => {
                let bytes = s.sized();
                if !bytes.is_empty()
                    && matches!(h.sock.phase, Phase::Upgrading { .. } | Phase::Connecting)
                    && h.sock.head.is_none()
                {
                    h.sock.phase = Phase::Unknown;
                }
                h.queue(bytes);
            }
            6 => {
                let n = usize::from(s.byte());
                h.deliver(if n == 0 { usize::MAX } else { n }, usize::MAX, false);
            }
            7 => {
                let n = usize::from(s.byte()).max(1);
                h.deliver(n, n, true);
            }
            8 => {
                h.link.handle_closed(now, "closed by the server");
                if h.sock.phase != Phase::Idle {
                    h.socket_ended(Phase::Idle);
                }
            }
            9 => {
                let t = u64::from(s.byte());
                h.now = match h.link.poll_timeout() {
                    Some(due) if t == 0 => due.as_millis().max(h.now + 1),
                    _ => h.now + t.max(1) * 100,
                };
                h.link.handle_timeout(h.now());
            }
            10 => h.command(arg),
            _ => h.deliver(usize::from(arg) + 1, usize::MAX, false),
        }
        h.drain();
        // An upgrade unfinished at its deadline is given up.
        let waiting = matches!(
            h.sock.phase,
            Phase::Connecting | Phase::Upgrading { .. } | Phase::Refused
        );
        if op & 15 == 9
            && waiting
            && h.generation == generation
            && h.now >= h.sock.started + UPGRADE_MS
        {
            panic!(
                "the upgrade outlived its deadline ({} ms)",
                h.now - h.sock.started
            );
        }
        h.settled(generation);
    }
    let generation = h.generation;
    h.deliver(usize::MAX, usize::MAX, false);
    h.drain();
    h.settled(generation);
});

/// `bytes` without the spaces and tabs around it (HTTP's optional whitespace, RFC 9110
/// section 5.6.3).
fn s_trim(bytes: &[u8]) -> &[u8] {
    let ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes.iter().position(|b| !ows(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !ows(b)).map_or(start, |e| e + 1);
    &bytes[start..end]
}
