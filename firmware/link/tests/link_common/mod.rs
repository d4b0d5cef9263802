//! Shared by the link tests: a link on a scripted clock, its outputs as owned values, and
//! WebSocket frames built by hand (RFC 6455 section 5.2).
#![allow(dead_code, unreachable_pub)]

use kickwire_link::{Action, Buffers, Config, Link};
use kickwire_proto::Transport;
use kickwire_proto::conn::{self, Connection, Event, Instant};
use kickwire_proto::kick::EventKind;

/// All-zero randomness: the handshake key is base64 of 16 zero bytes and every masking key is
/// 0, so the client's frames carry their payload in clear.
#[derive(Clone)]
pub struct Zero;

impl rand_core::RngCore for Zero {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.fill(0);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        dest.fill(0);
        Ok(())
    }
}

pub const URL: &str = "ws://127.0.0.1:6001/app/key?protocol=7";
pub const CHANNEL: &str = "chatrooms.2507974.v2";

/// What the request must be, byte for byte: the header order the link has always sent, the
/// key of 16 zero bytes, the default origin.
pub const REQUEST: &str = "GET /app/key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1:6001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nOrigin: https://kick.com\r\nSec-WebSocket-Version: 13\r\n\r\n";
/// The 101 response. The accept value is base64(SHA-1(key + RFC 6455 GUID)), computed with
/// Python's hashlib for the all-zero key (the same recipe gives RFC 6455's own example value).
pub const RESPONSE: &str = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ICX+Yqv66kxgM0FcWaLWlFLwTAI=\r\n\r\n";
pub const ESTABLISHED: &str = r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#;
pub const SUBSCRIBE: &str =
    r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#;
/// A real Kick frame (the proto crate docs' example), 150 bytes.
pub const SUBSCRIPTION: &str = r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":2507974,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.2507974.v2"}"#;
/// The `data` string of [`SUBSCRIPTION`] unescaped by hand (each `\"` a `"`): the payload
/// the closure must get.
pub const SUBSCRIPTION_PAYLOAD: &str =
    r#"{"chatroom_id":2507974,"username":"micke747","months":38}"#;

/// A Kick event given to `poll`'s closure, copied out of the message buffer it borrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kick {
    pub kind: EventKind,
    pub channel: String,
    /// The payload's JSON text (kept as text: a failed assertion then shows it readably).
    pub payload: String,
}

impl Kick {
    /// What the closure must get for [`SUBSCRIPTION`].
    pub fn subscription() -> Self {
        Self {
            kind: EventKind::Subscription,
            channel: CHANNEL.into(),
            payload: SUBSCRIPTION_PAYLOAD.into(),
        }
    }
}

/// An unmasked server frame: `b0` is FIN + opcode (0x81 a whole text frame, 0x01 a first
/// fragment, 0x00 a middle one, 0x80 the last, 0x89 ping, 0x88 close).
pub fn frame(b0: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![b0];
    match payload.len() {
        n if n < 126 => f.push(n as u8),
        n => {
            f.push(126);
            f.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    f.extend_from_slice(payload);
    f
}

/// A client frame as the link writes it with [`Zero`]: mask bit set, mask key 0.
pub fn client_frame(b0: u8, payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126);
    let mut f = vec![b0, 0x80 | payload.len() as u8, 0, 0, 0, 0];
    f.extend_from_slice(payload);
    f
}

/// An owned [`Action`], or a Kick event given to `poll`'s closure.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Connect {
        host: String,
        port: u16,
        tls: bool,
        target: String,
    },
    Write(Vec<u8>),
    Close,
    Event(Event),
    Kick(Kick),
}

/// A link on a scripted clock; its randomness is [`Zero`] unless a test brings its own.
pub struct Harness<R: rand_core::RngCore + Clone = Zero> {
    pub link: Link<'static, R>,
    pub now: u64,
}

fn leak(n: usize) -> &'static mut [u8] {
    Box::leak(vec![0u8; n].into_boxed_slice())
}

impl Harness {
    pub fn new(url: &str, rx: usize, message: usize, tx: usize) -> Self {
        Self::with_rng(Zero, url, rx, message, tx)
    }

    /// The usual sizes of a board.
    pub fn standard() -> Self {
        Self::new(URL, 1536, 16 * 1024, 1024)
    }

    /// All the way to a connected, subscribed Pusher connection.
    pub fn reach_connected(&mut self) -> Vec<Out> {
        let mut out = self.reach_upgrading();
        self.now += 5;
        let mut bytes = RESPONSE.as_bytes().to_vec();
        bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
        out.extend(self.feed(&bytes));
        assert!(
            self.link.connection().state() == conn::State::Connected,
            "{out:?}"
        );
        out
    }
}

impl<R: rand_core::RngCore + Clone> Harness<R> {
    pub fn with_rng(rng: R, url: &str, rx: usize, message: usize, tx: usize) -> Self {
        Self::with_config(rng, url, [rx, message, tx], Config::default())
    }

    /// Buffers of `[rx, message, tx]` bytes and link options of the test's own.
    pub fn with_config(rng: R, url: &str, sizes: [usize; 3], config: Config<'static>) -> Self {
        let mut conn = Connection::new(Transport::Pusher, url, conn::Config::default()).unwrap();
        conn.subscribe(CHANNEL).unwrap();
        let [rx, message, tx] = sizes;
        let buffers = Buffers {
            rx: leak(rx),
            message: leak(message),
            tx: leak(tx),
        };
        let link = Link::new(conn, rng, buffers, config).unwrap();
        Self { link, now: 0 }
    }

    pub fn now(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Everything `poll` has to say now (bounded: a link that never stops is a failure).
    pub fn drain(&mut self) -> Vec<Out> {
        let mut out = Vec::new();
        for _ in 0..1000 {
            let now = self.now();
            let mut kicks = Vec::new();
            let action = self
                .link
                .poll(now, |raw| {
                    kicks.push(Out::Kick(Kick {
                        kind: raw.kind,
                        channel: raw.channel.as_str().into(),
                        payload: String::from_utf8(raw.payload.to_vec()).unwrap(),
                    }))
                })
                .map(|a| match a {
                    Action::Connect(u) => Out::Connect {
                        host: u.host.into(),
                        port: u.port,
                        tls: u.tls,
                        target: u.target.into(),
                    },
                    Action::Write(b) => Out::Write(b.to_vec()),
                    Action::Close => Out::Close,
                    Action::Event(e) => Out::Event(e),
                });
            out.extend(kicks);
            match action {
                Some(a) => out.push(a),
                None => return out,
            }
        }
        panic!("poll never returned None: {out:?}");
    }

    /// Feeds `bytes` in one go (as one read), then drains.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Out> {
        let mut rest = bytes;
        let mut out = Vec::new();
        for _ in 0..1000 {
            let n = self.link.handle_bytes(rest);
            rest = &rest[n..];
            out.extend(self.drain());
            if rest.is_empty() {
                return out;
            }
        }
        panic!("the link stopped taking bytes");
    }

    /// Feeds `bytes` in reads of `size` bytes (the last one shorter), draining after each.
    pub fn feed_in_reads(&mut self, bytes: &[u8], size: usize) -> Vec<Out> {
        bytes
            .chunks(size)
            .flat_map(|read| self.feed(read))
            .collect()
    }

    /// Connect, TCP up, the request written: the link waits for the 101.
    pub fn reach_upgrading(&mut self) -> Vec<Out> {
        let now = self.now();
        self.link.connection_mut().connect(now);
        let mut out = self.drain();
        self.now += 5;
        self.link.handle_connected(self.now());
        out.extend(self.drain());
        out
    }
}

pub fn writes(out: &[Out]) -> Vec<Vec<u8>> {
    out.iter()
        .filter_map(|o| match o {
            Out::Write(b) => Some(b.clone()),
            _ => None,
        })
        .collect()
}

pub fn kicks(out: &[Out]) -> Vec<Kick> {
    out.iter()
        .filter_map(|o| match o {
            Out::Kick(k) => Some(k.clone()),
            _ => None,
        })
        .collect()
}

pub fn events(out: &[Out]) -> Vec<Event> {
    out.iter()
        .filter_map(|o| match o {
            Out::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}
