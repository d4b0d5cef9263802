//! The relay's downstream endpoint: a Pusher Channels protocol v7 server that the clients
//! kickwire already has (`kickwire watch --url ws://ADDR`, the browser client, the overlay, the
//! board) and pusher-js itself use unchanged.
//!
//! ```no_run
//! use kickwire_cli::endpoint::{Config, Endpoint};
//!
//! let endpoint = Endpoint::bind("127.0.0.1:6001".parse()?, Config::default())?;
//! // Any thread: the frame `{"event":...,"channel":...,"data":"<escaped>"}` goes to every
//! // client subscribed to the channel.
//! endpoint.publish("chatrooms.1.v2", r"App\Events\ChatMessageEvent", r#"{"content":"hi"}"#);
//! println!("{:?}", endpoint.stats());
//! endpoint.shutdown();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it serves
//! - `ws://ADDR/app/<any key>` (query ignored; other paths 404): `pusher:connection_established`
//!   with a socket id and the activity timeout, `pusher:subscribe` to public channels
//!   (`pusher_internal:subscription_succeeded`, idempotent), `pusher:unsubscribe`,
//!   `pusher:ping` → `pusher:pong`. Refused with `pusher:error`, the connection kept:
//!   `private-`/`presence-` channels (4009, as sockudo answers a failed authentication; there
//!   is no auth here, the relay carries public data only), `client-*` events (4301), bad JSON,
//!   bad channel names and unknown events (code `null`).
//! - Liveness as Pusher's servers do it: after `activity_timeout` of silence from a client,
//!   `pusher:ping`; nothing back within `pong_timeout`: `pusher:error` 4201 and close 4201.
//!   WebSocket pings are answered; a binary frame closes with 1003.
//! - Plain HTTP requests on the same address go to [`Config::http_handler`] (404 without one).
//!
//! # Design, and why
//! One thread runs a `mio` event loop over non-blocking sockets: 1,000 clients cost 1,000
//! sockets and their buffers, not 1,000 threads. [`Endpoint::publish`] encodes the frame once
//! on the caller's thread, hands it to the loop over a channel and wakes the loop (once per
//! burst); the loop pushes the same shared bytes onto each subscriber's queue (O(subscribers))
//! and writes what each socket takes without blocking. Each client's queue is bounded (frames
//! and bytes): a client that cannot keep up is closed with 4100 ("over capacity", as Pusher
//! does) and counted, and no other client ever waits for it. Timers are one periodic sweep over
//! the clients, not a timer each. The WebSocket codec is a small server-side one of our own
//! (`frame.rs`): it lets queued frames be shared `Arc<[u8]>`s written with vectored writes.
//!
//! The hand-off channel is bounded (65,536 publishes): if the loop itself falls that far
//! behind, `publish` waits for it (never for a client).

mod client;
mod config;
mod event_loop;
mod frame;
mod http;
mod pusher;
mod stats;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use mio::{Poll, Waker};

pub use config::{Config, HttpHandler};
pub use http::{MAX_BODY, Request, Response};
pub use stats::Stats;

use event_loop::{Command, EventLoop, Shared};

/// Publishes waiting for the loop, at most.
const HANDOFF: usize = 65_536;

/// A running Pusher endpoint. Dropping it shuts it down (as [`shutdown`](Self::shutdown)).
pub struct Endpoint {
    addr: SocketAddr,
    commands: SyncSender<Command>,
    waker: Waker,
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Endpoint {
    /// Listens on `addr` (port 0 for any free port) and starts serving on a thread of its own.
    pub fn bind(addr: SocketAddr, config: Config) -> io::Result<Self> {
        let mut listener = mio::net::TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let poll = Poll::new()?;
        event_loop::register_listener(&poll, &mut listener)?;
        let waker = Waker::new(poll.registry(), event_loop::WAKER)?;
        let (commands, receiver) = sync_channel(HANDOFF);
        let shared = Arc::new(Shared::default());
        let event_loop = EventLoop::new(
            poll,
            listener,
            receiver,
            Arc::clone(&shared),
            config,
            socket_prefix(),
        );
        let thread = std::thread::Builder::new()
            .name("kickwire-endpoint".into())
            .spawn(move || event_loop.run())?;
        Ok(Self {
            addr,
            commands,
            waker,
            shared,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// The address it listens on (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sends `{"event":event,"channel":channel,"data":"<data as a JSON string>"}` to every
    /// client subscribed to `channel`. `data` is the text a Pusher client gets as the event's
    /// data (Kick's payload JSON, for instance); it is escaped into the frame here. From any
    /// thread; never waits for a client. After [`shutdown`](Self::shutdown) it does nothing.
    pub fn publish(&self, channel: &str, event: &str, data: &str) {
        let text = pusher::event(event, channel, data);
        let frame = Arc::from(frame::encode(frame::TEXT, text.as_bytes()));
        let command = Command::Publish {
            channel: channel.into(),
            frame,
        };
        if self.commands.send(command).is_ok()
            && !self.shared.wake_pending.swap(true, Ordering::SeqCst)
        {
            // A failed wake leaves the publish to the next sweep.
            let _ = self.waker.wake();
        }
    }

    /// The counters now.
    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// Stops accepting, closes every client with 1001 ("going away"), waits a short while
    /// (at most 2 s) for them to take it, and joins the thread. Calling it again does nothing.
    pub fn shutdown(&self) {
        let thread = match self.thread.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        let Some(thread) = thread else { return };
        if self.commands.send(Command::Shutdown).is_ok() {
            let _ = self.waker.wake();
        }
        let _ = thread.join();
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("addr", &self.addr)
            .field("stats", &self.stats())
            .finish()
    }
}

/// The first half of every socket id (`N.M`, M counting connections): random per endpoint, so
/// ids from two runs differ, as Pusher's do.
fn socket_prefix() -> u32 {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 4];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        return std::process::id();
    }
    u32::from_le_bytes(bytes) % 1_000_000_000
}
