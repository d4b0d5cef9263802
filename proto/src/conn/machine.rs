//! The machinery shared by both transports: queues, state changes, timers, the socket's life
//! and the reconnect plan. Transport specifics are in `pusher.rs` and `centrifugo.rs`.

use super::encode::{EncodeError, Pending, Writer};
use super::time::timeout_after;
use super::{Connection, Event, Instant, Proto, Reason, Socket, State, Sub, Timers};
use crate::text::Text;

impl Connection {
    pub(super) fn encode<'b>(
        &self,
        p: &Pending,
        buf: &'b mut [u8],
    ) -> Result<&'b str, EncodeError> {
        let mut w = Writer::new(buf);
        let channel = |i: usize| self.channels.get(i).map_or("", |c| c.name.as_str());
        match p {
            Pending::PusherSubscribe(i) => {
                w.str(r#"{"event":"pusher:subscribe","data":{"auth":"","channel":""#);
                w.json_str(channel(*i));
                w.str(r#""}}"#);
            }
            Pending::Unsubscribe(name) => match self.proto {
                Proto::Pusher { .. } => {
                    w.str(r#"{"event":"pusher:unsubscribe","data":{"channel":""#);
                    w.json_str(name);
                    w.str(r#""}}"#);
                }
                Proto::Centrifugo { .. } => {
                    // Centrifugo's unsubscribe needs an id; its reply is ignored.
                    w.str(r#"{"unsubscribe":{"channel":""#);
                    w.json_str(name);
                    w.str(r#""},"id":0}"#);
                }
            },
            Pending::PusherPing => w.str(r#"{"event":"pusher:ping","data":{}}"#),
            Pending::PusherPong => w.str(r#"{"event":"pusher:pong","data":{}}"#),
            Pending::CentConnect(id) | Pending::CentRefresh(id) => {
                let token = match &self.proto {
                    Proto::Centrifugo { token: Some(t), .. } => t.as_str(),
                    _ => "",
                };
                let verb = if matches!(p, Pending::CentConnect(_)) {
                    r#"{"connect":{"token":""#
                } else {
                    r#"{"refresh":{"token":""#
                };
                w.str(verb);
                w.json_str(token);
                if matches!(p, Pending::CentConnect(_)) {
                    w.str(r#"","name":"js"},"id":"#);
                } else {
                    w.str(r#""},"id":"#);
                }
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::CentSubscribe(i, id) => {
                w.str(r#"{"subscribe":{"channel":""#);
                w.json_str(channel(*i));
                w.str(r#""},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::CentPong => w.str("{}"),
            Pending::CentPing(id) => {
                w.str(r#"{"ping":{},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::Open | Pending::Close(_) => {}
        }
        w.finish()
    }

    /// Queues a frame. Repeats are one frame: a ping or pong already waiting answers for
    /// this one too, and a channel's subscribe is queued once (a newer command id replaces the
    /// waiting one's). With that, the queue holds all a connection can want at once
    /// ([`TRANSMITS`](super::TRANSMITS)); only a driver that never drains can fill it, and then
    /// the oldest frame goes, counted.
    pub(super) fn queue(&mut self, p: Pending) {
        for waiting in self.transmits.iter_mut() {
            match (&mut *waiting, &p) {
                (Pending::PusherPing, Pending::PusherPing)
                | (Pending::PusherPong, Pending::PusherPong)
                | (Pending::CentPong, Pending::CentPong) => return,
                (Pending::PusherSubscribe(a), Pending::PusherSubscribe(b)) if a == b => return,
                (Pending::CentSubscribe(a, id), Pending::CentSubscribe(b, new)) if a == b => {
                    *id = *new;
                    return;
                }
                _ => {}
            }
        }
        if self.transmits.is_full() {
            self.transmits.pop_front();
            self.transmits_dropped = self.transmits_dropped.saturating_add(1);
        }
        let _ = self.transmits.push_back(p);
    }

    /// Queues a lifecycle event. Reports (bad messages, server errors) that come while one of
    /// their kind waits are counted in its `repeats`; a channel's newer event takes the place
    /// of its older one. So one input never queues more than [`EVENTS`](super::EVENTS) (see
    /// there); only a driver that never drains can fill it, and then the oldest event goes,
    /// counted.
    pub(super) fn push_event(&mut self, e: Event) {
        for waiting in self.events.iter_mut() {
            match (&mut *waiting, &e) {
                (Event::BadMessage { repeats, .. }, Event::BadMessage { .. })
                | (Event::ServerError { repeats, .. }, Event::ServerError { .. }) => {
                    *repeats = repeats.saturating_add(1);
                    return;
                }
                (w, _) if w.channel().is_some() && w.channel() == e.channel() => {
                    *waiting = e;
                    return;
                }
                _ => {}
            }
        }
        if self.events.is_full() {
            self.events.pop_front();
            self.events_dropped = self.events_dropped.saturating_add(1);
        }
        let _ = self.events.push_back(e);
    }

    pub(super) fn set_state(&mut self, current: State) {
        if self.state != current {
            let previous = core::mem::replace(&mut self.state, current);
            self.push_event(Event::StateChanged { previous, current });
        }
    }

    pub(super) fn on_activity(&mut self, now: Instant) {
        match self.proto {
            Proto::Pusher { activity } => {
                if self.socket == Socket::Ready {
                    self.timers.activity = Some(now.after(activity));
                    self.timers.pong = None;
                }
            }
            Proto::Centrifugo { ping, .. } => {
                if self.socket != Socket::Ready {
                    return; // the handshake timer watches the socket until then
                }
                self.timers.activity = Some(
                    now.after(match ping {
                        // The server pings: its ping is late after the interval and the grace.
                        Some(ping) => ping.saturating_add(self.config.max_server_ping_delay),
                        // It does not: we ping after this much silence.
                        None => self
                            .config
                            .activity_timeout
                            .max(super::pusher::MIN_ACTIVITY),
                    }),
                );
                self.timers.pong = None;
                if let Proto::Centrifugo { ping_id, .. } = &mut self.proto {
                    *ping_id = None;
                }
            }
        }
    }

    /// Opens a socket now, or (Centrifugo without a token) asks for a token first.
    pub(super) fn start_attempt(&mut self, now: Instant) {
        if matches!(
            self.state,
            State::Disconnected | State::Failed | State::Initialized
        ) {
            return;
        }
        if let Proto::Centrifugo { token: None, .. } = self.proto {
            self.centrifugo_want_token(now, false);
            return;
        }
        if self.socket != Socket::Closed {
            return;
        }
        self.socket = Socket::Opening;
        self.queue(Pending::Open);
        // A driver that never reports the socket open or failed must not leave the
        // connection waiting for ever: the handshake deadline covers the opening too.
        self.timers.handshake = Some(timeout_after(now, self.config.connect_timeout));
    }

    /// Handshake done: the connection is up.
    pub(super) fn on_connected(&mut self, now: Instant, socket_id: &str) {
        self.socket = Socket::Ready;
        self.timers.handshake = None;
        self.timers.unavailable = None;
        // The back-off is not reset here but once the connection has lasted (`after_close`):
        // a server that completes the handshake and then drops every connection must not
        // be retried every second for ever.
        self.connected_at = Some(now);
        self.socket_id = Text::from_str_truncating(socket_id);
        self.set_state(State::Connected);
        self.push_event(Event::Connected {
            transport: self.transport(),
            socket_id: self.socket_id.clone(),
        });
        self.on_activity(now);
        for i in 0..self.channels.len() {
            if let Some(c) = self.channels.get_mut(i) {
                c.sub = Sub::Idle;
            }
            self.send_subscribe(now, i);
        }
    }

    pub(super) fn send_subscribe(&mut self, now: Instant, idx: usize) {
        let deadline = Some(timeout_after(now, self.config.subscribe_timeout));
        match &mut self.proto {
            Proto::Pusher { .. } => {
                if let Some(c) = self.channels.get_mut(idx) {
                    c.sub = Sub::Pending(0);
                    c.deadline = deadline;
                }
                self.queue(Pending::PusherSubscribe(idx));
            }
            Proto::Centrifugo { next_id, .. } => {
                let id = *next_id;
                *next_id = next_id.wrapping_add(1).max(1);
                if let Some(c) = self.channels.get_mut(idx) {
                    c.sub = Sub::Pending(id);
                    c.deadline = deadline;
                }
                self.queue(Pending::CentSubscribe(idx, id));
            }
        }
    }

    /// A subscribe the server has not answered in time is sent again, and the driver told.
    pub(super) fn check_subscribe_deadlines(&mut self, now: Instant) {
        for i in 0..self.channels.len() {
            let Some(c) = self.channels.get(i) else {
                continue;
            };
            if c.deadline.is_none_or(|d| d > now) {
                continue;
            }
            let channel = c.name.clone();
            if self.socket == Socket::Ready && matches!(c.sub, Sub::Pending(_)) {
                self.push_event(Event::SubscriptionTimedOut { channel });
                self.send_subscribe(now, i);
            } else if let Some(c) = self.channels.get_mut(i) {
                c.deadline = None;
            }
        }
    }

    pub(super) fn clear_socket_timers(&mut self) {
        self.timers.handshake = None;
        self.timers.activity = None;
        self.timers.pong = None;
        self.timers.refresh = None;
        self.timers.resubscribe = None;
        for c in self.channels.iter_mut() {
            c.sub = Sub::Idle;
            c.deadline = None;
        }
        if let Proto::Centrifugo {
            ping_id,
            refresh_id,
            ..
        } = &mut self.proto
        {
            *ping_id = None;
            *refresh_id = None;
        }
    }

    /// Closes the socket ourselves (a dead or refused connection) and plans what comes next.
    pub(super) fn drop_socket(&mut self, now: Instant, why: Reason) {
        if self.socket == Socket::Closed {
            return;
        }
        self.close_socket(1000);
        self.push_event(Event::Disconnected {
            code: None,
            reason: Text::new(),
            will_retry: self.config.reconnect,
        });
        let at_once = matches!(why, Reason::PingTimeout);
        self.after_close(now, true, at_once, why);
    }

    pub(super) fn close_socket(&mut self, code: u16) {
        if self.socket != Socket::Closed {
            // An open not yet taken by the driver is simply withdrawn; other frames not yet
            // taken were for this socket: the next one starts afresh.
            let open_taken = !self.transmits.iter().any(|p| *p == Pending::Open);
            self.retain_transmits(|p| matches!(p, Pending::Close(_)));
            if self.socket != Socket::Opening || open_taken {
                self.queue(Pending::Close(code));
            }
        }
        self.socket = Socket::Closed;
        self.clear_socket_timers();
    }

    /// No timer runs any more, and no token is awaited (its deadline was one of them): after
    /// the next `connect`, a token is asked for afresh.
    pub(super) fn stop_timers(&mut self) {
        self.timers = Timers::default();
        if let Proto::Centrifugo { waiting_token, .. } = &mut self.proto {
            *waiting_token = None;
        }
    }

    /// After a socket is gone: retry (after the back-off) or stop.
    pub(super) fn after_close(&mut self, now: Instant, retry: bool, at_once: bool, why: Reason) {
        // pusher-js counts a transport that closes soon after opening as a dead one; here a
        // connection that did not last `stable_after` keeps its failures counted, so the
        // delays keep growing.
        if self
            .connected_at
            .take()
            .is_some_and(|t| t.after(self.config.stable_after) <= now)
        {
            self.backoff.reset();
        }
        if !retry || !self.config.reconnect {
            self.stop_timers();
            if !matches!(self.state, State::Failed) {
                self.set_state(State::Disconnected);
            }
            return;
        }
        if self.state == State::Connected {
            self.set_state(State::Connecting);
            self.timers.unavailable = Some(now.after(self.config.unavailable_timeout));
        }
        let after = self.backoff.next_delay(at_once);
        self.timers.retry = Some(now.after(after));
        self.push_event(Event::Reconnecting { after, reason: why });
    }
}
