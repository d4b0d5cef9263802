//! The endpoint's one thread: a `mio` poll over the listener, every connection and a waker for
//! publishes. Non-blocking sockets, edge-triggered readiness; every timer is checked on a
//! periodic sweep (a few times per shortest timeout), so no thread or timer per client.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

use super::client::{Bytes, Client, Phase};
use super::config::Config;
use super::frame::{self, Decoded};
use super::http::{self, Parsed, Response};
use super::pusher::{self, ClientMessage};
use super::stats::{Counters, bump, drop_by};

pub(super) const LISTENER: Token = Token(0);
pub(super) const WAKER: Token = Token(1);
/// Publishes taken per turn of the loop before it looks at sockets again.
const COMMANDS_PER_TURN: usize = 4096;
/// How long `shutdown` waits for clients to take their 1001 close.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What the [`Endpoint`](super::Endpoint) handle asks of the loop.
pub(super) enum Command {
    /// Fan `frame` out to the subscribers of `channel`.
    Publish { channel: Box<str>, frame: Bytes },
    /// Close every client with 1001 and end the thread.
    Shutdown,
}

/// State shared between the handle and the loop.
#[derive(Debug, Default)]
pub(super) struct Shared {
    pub(super) counters: Counters,
    /// Set by a publisher that woke the loop; cleared by the loop before it drains commands,
    /// so a burst of publishes costs one wake-up.
    pub(super) wake_pending: AtomicBool,
}

pub(super) struct EventLoop {
    poll: Poll,
    listener: Option<TcpListener>,
    commands: Receiver<Command>,
    shared: Arc<Shared>,
    config: Config,
    clients: HashMap<usize, Client>,
    channels: HashMap<Arc<str>, HashSet<usize>>,
    dirty: Vec<usize>,
    next_id: usize,
    socket_prefix: u32,
    scratch: Vec<u8>,
    shutdown_deadline: Option<Instant>,
}

/// Connections over `max_clients` that are refused with a lingering close (see
/// `accept_all`) at one time; past them a refusal is written and the socket dropped at once.
const LINGERING_REFUSALS: usize = 64;

impl EventLoop {
    pub(super) fn new(
        poll: Poll,
        listener: TcpListener,
        commands: Receiver<Command>,
        shared: Arc<Shared>,
        config: Config,
        socket_prefix: u32,
    ) -> Self {
        Self {
            poll,
            listener: Some(listener),
            commands,
            shared,
            config,
            clients: HashMap::new(),
            channels: HashMap::new(),
            dirty: Vec::new(),
            next_id: 2,
            socket_prefix,
            scratch: vec![0; 64 * 1024],
            shutdown_deadline: None,
        }
    }

    /// Runs until shut down (or the handle is gone).
    pub(super) fn run(mut self) {
        let mut events = Events::with_capacity(1024);
        let tick = self.tick();
        let mut next_sweep = Instant::now() + tick;
        let mut backlog = false;
        loop {
            let timeout = if backlog {
                Duration::ZERO
            } else {
                next_sweep.saturating_duration_since(Instant::now())
            };
            if let Err(e) = self.poll.poll(&mut events, Some(timeout))
                && e.kind() != io::ErrorKind::Interrupted
            {
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_all(),
                    WAKER => self.shared.wake_pending.store(false, Ordering::SeqCst),
                    Token(id) => {
                        if event.is_readable() || event.is_read_closed() || event.is_error() {
                            self.on_readable(id);
                        }
                        if event.is_writable() {
                            self.mark_dirty(id);
                        }
                    }
                }
            }
            backlog = match self.drain_commands() {
                Ok(more) => more,
                Err(()) => {
                    self.begin_shutdown();
                    false
                }
            };
            self.flush_dirty();
            let now = Instant::now();
            if now >= next_sweep {
                self.sweep(now);
                self.flush_dirty();
                next_sweep = now + tick;
            }
            if let Some(deadline) = self.shutdown_deadline
                && (self.clients.is_empty() || Instant::now() >= deadline)
            {
                return;
            }
        }
    }

    /// How often timers are checked: an eighth of the shortest timeout, within 5 ms..500 ms.
    fn tick(&self) -> Duration {
        let c = &self.config;
        let shortest = c
            .activity_timeout
            .min(c.pong_timeout)
            .min(c.handshake_timeout)
            .min(c.close_grace);
        (shortest / 8).clamp(Duration::from_millis(5), Duration::from_millis(500))
    }

    fn accept_all(&mut self) {
        loop {
            let Some(listener) = &self.listener else {
                return;
            };
            let (mut stream, _) = match listener.accept() {
                Ok(s) => s,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // Out of descriptors and the like: try again on the next readiness.
                Err(_) => return,
            };
            let over = self.clients.len() >= self.config.max_clients;
            if over {
                bump(&self.shared.counters.refused_over_capacity, 1);
                if self.clients.len() >= self.config.max_clients.saturating_add(LINGERING_REFUSALS)
                {
                    // Far over: no lingering, best effort (a fresh socket's buffer takes this
                    // small answer whole, but a request already sent may turn it into a reset).
                    let _ = stream.write(&Response::text(503, "over capacity\n").to_bytes());
                    continue;
                }
            }
            // Events are small and latency matters more than packet count.
            let _ = stream.set_nodelay(true);
            let id = self.next_id;
            self.next_id += 1;
            if self
                .poll
                .registry()
                .register(
                    &mut stream,
                    Token(id),
                    Interest::READABLE | Interest::WRITABLE,
                )
                .is_err()
            {
                continue;
            }
            self.clients.insert(id, Client::new(stream, Instant::now()));
            if over {
                // Answered as a plain request is: the 503 written, the write side shut, and
                // what the peer sent read and dropped until it ends. Closing at once with its
                // request unread would reset the connection, and the peer could lose the answer.
                let deadline = Instant::now() + self.config.close_grace;
                if let Some(client) = self.clients.get_mut(&id) {
                    client.push_http(Arc::from(Response::text(503, "over capacity\n").to_bytes()));
                    client.phase = Phase::Closing { deadline };
                }
                self.mark_dirty(id);
            }
        }
    }

    /// Reads until the socket has nothing more, acting on each whole frame or request.
    fn on_readable(&mut self, id: usize) {
        loop {
            let Some(client) = self.clients.get_mut(&id) else {
                return;
            };
            match client.stream.read(&mut self.scratch) {
                Ok(0) => return self.on_peer_end(id),
                Ok(n) => {
                    if matches!(client.phase, Phase::Closing { .. }) {
                        continue; // what a closing peer still sends is not read
                    }
                    client.inbuf.extend_from_slice(&self.scratch[..n]);
                    self.process(id);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return self.remove(id),
            }
        }
    }

    /// The peer sent its end of the stream. A connection with an answer or a close frame still
    /// to write keeps going until it is written (a client may send its request and its end at
    /// once); any other is dropped.
    fn on_peer_end(&mut self, id: usize) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        client.peer_ended = true;
        if matches!(client.phase, Phase::Closing { .. }) && client.has_queued() {
            self.mark_dirty(id);
        } else {
            self.remove(id);
        }
    }

    fn process(&mut self, id: usize) {
        match self.clients.get(&id).map(|c| &c.phase) {
            Some(Phase::Http { .. }) => self.process_http(id),
            Some(Phase::Open) => self.process_frames(id),
            _ => {}
        }
    }

    fn process_http(&mut self, id: usize) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        let Phase::Http { head, .. } = &mut client.phase else {
            return;
        };
        if let Some((h, body_len)) = head {
            let end = h.len + *body_len;
            if client.inbuf.len() < end {
                return;
            }
            let body = client.inbuf[h.len..end].to_vec();
            let Some((h, _)) = head.take() else { return };
            let request = h.into_request(body);
            let response = match &self.config.http_handler {
                Some(handler) => handler(&request),
                None => Response::text(404, "not found\n"),
            };
            return self.respond(id, &response);
        }
        match http::parse_head(&client.inbuf) {
            Parsed::Partial => {}
            Parsed::Refuse(status) => self.respond(id, &Response::text(status, "bad request\n")),
            Parsed::Head(h) if h.is_upgrade() => match h.upgrade_answer() {
                Ok(answer) => {
                    client.inbuf.drain(..h.len);
                    client.push_http(Arc::from(answer.into_bytes()));
                    client.phase = Phase::Open;
                    client.last_heard = Instant::now();
                    let counters = &self.shared.counters;
                    bump(&counters.clients_now, 1);
                    bump(&counters.clients_total, 1);
                    let socket_id = format!("{}.{}", self.socket_prefix, id);
                    let hello = pusher::connection_established(
                        &socket_id,
                        self.config.announced_activity_timeout(),
                    );
                    self.send(id, &hello);
                    // Frames sent right behind the request are in the buffer already.
                    self.process_frames(id);
                }
                Err(status) => self.respond(
                    id,
                    &Response::text(status, "not a Pusher endpoint: ws://HOST:PORT/app/KEY\n"),
                ),
            },
            Parsed::Head(h) => match h.body_len() {
                Ok(n) => {
                    *head = Some((h, n));
                    self.process_http(id);
                }
                Err(status) => self.respond(id, &Response::text(status, "refused\n")),
            },
        }
    }

    /// Answers a plain HTTP request and closes.
    fn respond(&mut self, id: usize, response: &Response) {
        bump(&self.shared.counters.http_requests, 1);
        let grace = self.config.close_grace;
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        client.inbuf = Vec::new();
        client.push_http(Arc::from(response.to_bytes()));
        client.phase = Phase::Closing {
            deadline: Instant::now() + grace,
        };
        self.mark_dirty(id);
    }

    /// Acts on every whole frame in the client's buffer.
    fn process_frames(&mut self, id: usize) {
        let max = self.config.max_message;
        let mut pos = 0;
        loop {
            let Some(client) = self.clients.get_mut(&id) else {
                return;
            };
            if !matches!(client.phase, Phase::Open) {
                return;
            }
            let f = match frame::decode(&mut client.inbuf[pos..], max) {
                Decoded::Partial => break,
                Decoded::Fail(code) => return self.refuse_frame(id, code),
                Decoded::Frame(f) => f,
            };
            let payload = (pos + f.payload.start)..(pos + f.payload.end);
            pos += f.len;
            client.last_heard = Instant::now();
            client.ping_sent = None;
            match f.opcode {
                frame::PING => {
                    let pong = frame::encode(frame::PONG, &client.inbuf[payload]);
                    self.send_frame(id, Arc::from(pong));
                }
                frame::PONG => {}
                frame::CLOSE => {
                    let code = client
                        .inbuf
                        .get(payload.clone())
                        .and_then(|p| p.get(..2))
                        .map_or(1000, |c| u16::from_be_bytes([c[0], c[1]]));
                    // Echo the peer's code (RFC 6455 section 5.5.1); 1005/1006 never go on the wire.
                    let code = if matches!(code, 1005 | 1006 | 1015) {
                        1000
                    } else {
                        code
                    };
                    return self.close(id, code, "", false);
                }
                frame::BINARY => return self.refuse_frame(id, frame::UNSUPPORTED_DATA),
                frame::TEXT if client.message.is_some() => {
                    return self.refuse_frame(id, frame::PROTOCOL_ERROR);
                }
                frame::TEXT if f.fin => {
                    let text = client.inbuf[payload].to_vec();
                    self.on_text(id, text);
                }
                frame::TEXT => client.message = Some(client.inbuf[payload].to_vec()),
                _ => {
                    // A continuation.
                    let Some(message) = &mut client.message else {
                        return self.refuse_frame(id, frame::PROTOCOL_ERROR);
                    };
                    message.extend_from_slice(&client.inbuf[payload]);
                    if message.len() > max {
                        return self.refuse_frame(id, frame::TOO_BIG);
                    }
                    if f.fin
                        && let Some(text) = client.message.take()
                    {
                        self.on_text(id, text);
                    }
                }
            }
        }
        if let Some(client) = self.clients.get_mut(&id) {
            client.inbuf.drain(..pos);
            // A big message's buffer is given back once it is handled.
            if client.inbuf.is_empty() && client.inbuf.capacity() > 64 * 1024 {
                client.inbuf = Vec::new();
            }
        }
    }

    fn refuse_frame(&mut self, id: usize, code: u16) {
        bump(&self.shared.counters.bad_client_messages, 1);
        self.close(id, code, "", false);
    }

    /// Acts on one client text message.
    fn on_text(&mut self, id: usize, text: Vec<u8>) {
        let Ok(text) = String::from_utf8(text) else {
            return self.refuse_frame(id, frame::INVALID_DATA);
        };
        let reply = match pusher::parse(&text) {
            ClientMessage::Subscribe(channel) => self.subscribe(id, channel),
            ClientMessage::Unsubscribe(channel) => {
                self.unsubscribe(id, &channel);
                return;
            }
            ClientMessage::Ping => pusher::PONG.to_owned(),
            ClientMessage::Pong => return,
            ClientMessage::ClientEvent => {
                bump(&self.shared.counters.bad_client_messages, 1);
                pusher::error(
                    Some(pusher::CLIENT_EVENT_REFUSED),
                    "Client event error: client events are not accepted by this relay",
                )
            }
            ClientMessage::Unknown(event) => {
                bump(&self.shared.counters.bad_client_messages, 1);
                pusher::error(None, &format!("Unsupported event: {event}"))
            }
            ClientMessage::Malformed(why) => {
                bump(&self.shared.counters.bad_client_messages, 1);
                pusher::error(None, why)
            }
        };
        self.send(id, &reply);
    }

    /// Subscribes a client to a public channel; returns the frame to answer with.
    fn subscribe(&mut self, id: usize, channel: String) -> String {
        let counters = &self.shared.counters;
        if pusher::needs_auth(&channel) {
            bump(&counters.bad_client_messages, 1);
            return pusher::error(
                Some(pusher::UNAUTHORIZED),
                &format!(
                    "Authentication error: {channel} needs authentication, which this relay does not serve (public channels only)"
                ),
            );
        }
        if let Some(why) = pusher::bad_channel_name(&channel) {
            bump(&counters.bad_client_messages, 1);
            return pusher::error(None, why);
        }
        let Some(client) = self.clients.get_mut(&id) else {
            return String::new();
        };
        if !client.channels.contains(channel.as_str()) {
            if client.channels.len() >= self.config.max_channels_per_client {
                bump(&counters.bad_client_messages, 1);
                return pusher::error(
                    Some(pusher::OVER_CAPACITY),
                    "Too many channels on one connection",
                );
            }
            let key = match self.channels.get_key_value(channel.as_str()) {
                Some((key, _)) => Arc::clone(key),
                None => Arc::from(channel.as_str()),
            };
            client.channels.insert(Arc::clone(&key));
            self.channels.entry(key).or_default().insert(id);
            bump(&counters.subscriptions_now, 1);
        }
        // Subscribing again is answered again, as Pusher does: the client may have lost track.
        pusher::subscription_succeeded(&channel)
    }

    fn unsubscribe(&mut self, id: usize, channel: &str) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if client.channels.remove(channel) {
            Self::leave(&mut self.channels, channel, id);
            drop_by(&self.shared.counters.subscriptions_now, 1);
        }
    }

    fn leave(channels: &mut HashMap<Arc<str>, HashSet<usize>>, channel: &str, id: usize) {
        if let Some(subscribers) = channels.get_mut(channel) {
            subscribers.remove(&id);
            if subscribers.is_empty() {
                channels.remove(channel);
            }
        }
    }

    /// Queues a text frame for a client; a full queue closes it with 4100.
    fn send(&mut self, id: usize, text: &str) {
        self.send_frame(id, Arc::from(frame::encode(frame::TEXT, text.as_bytes())));
    }

    fn send_frame(&mut self, id: usize, frame: Bytes) {
        let (frames, bytes) = (self.config.queue_frames, self.config.queue_bytes);
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if client.push(frame, frames, bytes) {
            self.mark_dirty(id);
        } else {
            self.drop_slow(id);
        }
    }

    fn drop_slow(&mut self, id: usize) {
        bump(&self.shared.counters.slow_clients_dropped, 1);
        self.close(id, pusher::OVER_CAPACITY, "Over capacity", true);
    }

    /// Takes publishes (and the shutdown) from the handle. `Ok(true)`: more are waiting;
    /// `Err(())`: shut down (asked, or the handle is gone).
    fn drain_commands(&mut self) -> Result<bool, ()> {
        for _ in 0..COMMANDS_PER_TURN {
            match self.commands.try_recv() {
                Ok(Command::Publish { channel, frame }) => self.fan_out(&channel, &frame),
                Ok(Command::Shutdown) | Err(TryRecvError::Disconnected) => return Err(()),
                Err(TryRecvError::Empty) => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Queues one shared frame for every subscriber: O(subscribers), no socket touched here.
    fn fan_out(&mut self, channel: &str, frame: &Bytes) {
        let Some(subscribers) = self.channels.get(channel) else {
            return;
        };
        let (frames, bytes) = (self.config.queue_frames, self.config.queue_bytes);
        let mut slow = Vec::new();
        for &id in subscribers {
            let Some(client) = self.clients.get_mut(&id) else {
                continue;
            };
            if client.push(Arc::clone(frame), frames, bytes) {
                if !client.dirty {
                    client.dirty = true;
                    self.dirty.push(id);
                }
            } else {
                slow.push(id);
            }
        }
        for id in slow {
            self.drop_slow(id);
        }
    }

    fn mark_dirty(&mut self, id: usize) {
        if let Some(client) = self.clients.get_mut(&id)
            && !client.dirty
        {
            client.dirty = true;
            self.dirty.push(id);
        }
    }

    fn flush_dirty(&mut self) {
        for id in std::mem::take(&mut self.dirty) {
            let Some(client) = self.clients.get_mut(&id) else {
                continue;
            };
            client.dirty = false;
            match client.flush() {
                Ok(n) => {
                    bump(&self.shared.counters.frames_out, n);
                    if client.peer_ended && !client.has_queued() {
                        self.remove(id);
                    }
                }
                Err(_) => self.remove(id),
            }
        }
    }

    /// Starts closing a connection: its close frame queued behind what is queued (or alone,
    /// with `discard`), subscriptions gone at once so no more events are queued for it.
    fn close(&mut self, id: usize, code: u16, reason: &str, discard: bool) {
        let grace = self.config.close_grace;
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        match client.phase {
            Phase::Closing { .. } => return,
            Phase::Http { .. } => return self.remove(id),
            Phase::Open => {}
        }
        self.forget(id);
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if discard {
            client.discard_queue();
        }
        // Pusher's fatal errors come as `pusher:error` then a close with the same code.
        if code >= 4000 {
            let error = pusher::error(Some(code), reason);
            client.push_unbounded(Arc::from(frame::encode(frame::TEXT, error.as_bytes())));
        }
        client.push_unbounded(Arc::from(frame::close(code, reason)));
        client.phase = Phase::Closing {
            deadline: Instant::now() + grace,
        };
        client.message = None;
        client.inbuf = Vec::new();
        self.mark_dirty(id);
    }

    /// Takes an open client out of the counts and the channel map.
    fn forget(&mut self, id: usize) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if !matches!(client.phase, Phase::Open) {
            return;
        }
        let counters = &self.shared.counters;
        drop_by(&counters.clients_now, 1);
        drop_by(&counters.subscriptions_now, client.channels.len() as u64);
        for channel in client.channels.drain() {
            Self::leave(&mut self.channels, &channel, id);
        }
    }

    /// Drops a connection now.
    fn remove(&mut self, id: usize) {
        self.forget(id);
        if let Some(mut client) = self.clients.remove(&id) {
            let _ = self.poll.registry().deregister(&mut client.stream);
        }
    }

    /// Checks every connection's timers.
    fn sweep(&mut self, now: Instant) {
        let c = &self.config;
        let (mut ping, mut dead, mut gone) = (Vec::new(), Vec::new(), Vec::new());
        for (&id, client) in &self.clients {
            match client.phase {
                Phase::Http { since, .. } if now.duration_since(since) >= c.handshake_timeout => {
                    gone.push(id)
                }
                Phase::Open => match client.ping_sent {
                    Some(sent) if now.duration_since(sent) >= c.pong_timeout => dead.push(id),
                    None if now.duration_since(client.last_heard) >= c.activity_timeout => {
                        ping.push(id)
                    }
                    _ => {}
                },
                Phase::Closing { deadline } if now >= deadline => gone.push(id),
                _ => {}
            }
        }
        for id in ping {
            if let Some(client) = self.clients.get_mut(&id) {
                client.ping_sent = Some(now);
            }
            self.send(id, pusher::PING);
        }
        for id in dead {
            bump(&self.shared.counters.activity_timeouts, 1);
            self.close(
                id,
                pusher::PONG_NOT_RECEIVED,
                "Pong reply not received in time",
                false,
            );
        }
        for id in gone {
            self.remove(id);
        }
    }

    /// Stops accepting, sends every client 1001 and gives them a short while to take it.
    fn begin_shutdown(&mut self) {
        if self.shutdown_deadline.is_some() {
            return;
        }
        self.shutdown_deadline = Some(Instant::now() + SHUTDOWN_GRACE.min(self.config.close_grace));
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
        }
        let ids: Vec<usize> = self.clients.keys().copied().collect();
        for id in ids {
            self.close(id, 1001, "Server shutting down", false);
        }
    }
}

/// Registers a stream-like source (used by the handle for the listener).
pub(super) fn register_listener(poll: &Poll, listener: &mut TcpListener) -> io::Result<()> {
    poll.registry()
        .register(listener, LISTENER, Interest::READABLE)
}
