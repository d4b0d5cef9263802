//! The machinery shared by both transports: queues, state changes, timers, the socket's life
//! and the reconnect plan. Transport specifics are in `pusher.rs` and `centrifugo.rs`.

use super::encode::{EncodeError, Pending, Writer};
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
            Pending::Open | Pending::Close(_) => {}
        }
        w.finish()
    }

    pub(super) fn queue(&mut self, p: Pending) {
        // The drain rule keeps this from filling up; if it is broken, the oldest frame is the
        // one to lose (a stale ping), never the newest state.
        if self.transmits.is_full() {
            self.transmits.pop_front();
        }
        let _ = self.transmits.push_back(p);
    }

    pub(super) fn push_event(&mut self, e: Event) {
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
                if let Some(ping) = ping {
                    self.timers.activity =
                        Some(now.after(ping.saturating_add(self.config.max_server_ping_delay)));
                }
            }
        }
    }

    /// Opens a socket now, or (Centrifugo without a token) asks for a token first.
    pub(super) fn start_attempt(&mut self, _now: Instant) {
        if matches!(
            self.state,
            State::Disconnected | State::Failed | State::Initialized
        ) {
            return;
        }
        if let Proto::Centrifugo { token: None, .. } = self.proto {
            self.centrifugo_want_token(false);
            return;
        }
        if self.socket != Socket::Closed {
            return;
        }
        self.socket = Socket::Opening;
        self.queue(Pending::Open);
    }

    /// Handshake done: the connection is up.
    pub(super) fn on_connected(&mut self, now: Instant, socket_id: &str) {
        self.socket = Socket::Ready;
        self.timers.handshake = None;
        self.timers.unavailable = None;
        self.backoff.reset();
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
            self.send_subscribe(i);
        }
    }

    pub(super) fn send_subscribe(&mut self, idx: usize) {
        match &mut self.proto {
            Proto::Pusher { .. } => {
                if let Some(c) = self.channels.get_mut(idx) {
                    c.sub = Sub::Pending(0);
                }
                self.queue(Pending::PusherSubscribe(idx));
            }
            Proto::Centrifugo { next_id, .. } => {
                let id = *next_id;
                *next_id = next_id.wrapping_add(1).max(1);
                if let Some(c) = self.channels.get_mut(idx) {
                    c.sub = Sub::Pending(id);
                }
                self.queue(Pending::CentSubscribe(idx, id));
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
            // An open not yet taken by the driver is simply withdrawn.
            if self.socket == Socket::Opening && self.transmits.iter().any(|p| *p == Pending::Open)
            {
                self.retain_transmits(|p| *p != Pending::Open);
            } else {
                self.queue(Pending::Close(code));
            }
        }
        self.socket = Socket::Closed;
        self.clear_socket_timers();
    }

    /// After a socket is gone: retry (after the back-off) or stop.
    pub(super) fn after_close(&mut self, now: Instant, retry: bool, at_once: bool, why: Reason) {
        if !retry || !self.config.reconnect {
            self.timers = Timers::default();
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
