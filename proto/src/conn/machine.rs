//! The machinery shared by both transports, on the connection's [`Core`]: queues, state
//! changes, timers, the socket's life and the reconnect plan. Transport specifics are in
//! `pusher.rs` and `centrifugo.rs`.

use super::encode::{EncodeError, Pending, Writer};
use super::time::timeout_after;
use super::transport::{ClosePlan, Protocol};
use super::{Core, Event, Instant, Reason, Socket, State, Sub, Timers, Transmit};
use crate::envelope::Transport;
use crate::limits::CHANNEL;
use crate::text::Text;

impl<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>
    Core<CHANNELS, EVENTS, TRANSMITS>
{
    /// Notes the time an input brought (never going back).
    pub(super) fn tick(&mut self, now: Instant) {
        self.clock = self.clock.max(now);
    }

    /// The id of the next command that expects a reply.
    pub(super) fn next_command_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = id.wrapping_add(1).max(1);
        id
    }

    /// Queues a frame. Repeats are one frame: a ping or pong already waiting answers for
    /// this one too, and a channel's subscribe is queued once (a newer command id replaces the
    /// waiting one's). With that, the queue holds all a connection can want at once
    /// ([`limits::transmits_for`](crate::limits::transmits_for)); only a driver that never
    /// drains can fill it, and then the oldest frame goes, counted.
    pub(super) fn queue(&mut self, p: Pending) {
        for waiting in self.transmits.iter_mut() {
            match (&mut *waiting, &p) {
                (Pending::Pong, Pending::Pong) => return,
                (Pending::Ping(a), Pending::Ping(b)) if a == b => return,
                (Pending::Subscribe(a, id), Pending::Subscribe(b, new)) if a == b => {
                    *id = *new;
                    return;
                }
                _ => {}
            }
        }
        if self.transmits.is_full() {
            self.drop_oldest_transmit();
        }
        let _ = self.transmits.push_back(p);
    }

    /// Queues the unsubscribe of `name`; its name waits in `unsubscribes`, which holds one
    /// per channel: more can only wait when the driver never drains, and then this one goes,
    /// counted.
    pub(super) fn queue_unsubscribe(&mut self, name: Text<CHANNEL>) {
        if self.unsubscribes.push_back(name).is_err() {
            self.transmits_dropped = self.transmits_dropped.saturating_add(1);
            return;
        }
        self.queue(Pending::Unsubscribe);
    }

    /// Drops the oldest frame (and its name, for an unsubscribe), counted.
    #[inline]
    fn drop_oldest_transmit(&mut self) {
        if let Some(Pending::Unsubscribe) = self.transmits.pop_front() {
            self.unsubscribes.pop_front();
        }
        self.transmits_dropped = self.transmits_dropped.saturating_add(1);
    }

    /// Keeps the queued frames for which `keep` is true, in order (and the names of the
    /// unsubscribes kept).
    #[inline]
    pub(super) fn retain_transmits(&mut self, keep: impl Fn(&Pending) -> bool) {
        for _ in 0..self.transmits.len() {
            let Some(p) = self.transmits.pop_front() else {
                break;
            };
            let name = match p {
                Pending::Unsubscribe => self.unsubscribes.pop_front(),
                _ => None,
            };
            if keep(&p) {
                // Room for both: each was just taken out.
                let _ = self.transmits.push_back(p);
                if let Some(name) = name {
                    let _ = self.unsubscribes.push_back(name);
                }
            }
        }
    }

    /// The next frame, written into `buf` (see [`Connection::poll_transmit`]).
    ///
    /// [`Connection::poll_transmit`]: super::Connection::poll_transmit
    pub(super) fn poll_transmit<'b>(
        &mut self,
        proto: &impl Protocol,
        buf: &'b mut [u8],
    ) -> Result<Option<Transmit<'b>>, EncodeError> {
        let Some(next) = self.transmits.front() else {
            return Ok(None);
        };
        let out = match next {
            Pending::Open => {
                let mut w = Writer::new(buf);
                w.str(&self.url);
                Transmit::Open { url: w.finish()? }
            }
            Pending::Close(code) => Transmit::Close { code: *code },
            other => {
                let channel = match other {
                    Pending::Subscribe(i, _) => {
                        self.channels.get(*i).map_or("", |c| c.name.as_str())
                    }
                    Pending::Unsubscribe => self.unsubscribes.front().map_or("", |n| n.as_str()),
                    _ => "",
                };
                Transmit::Text(proto.encode(other, channel, buf)?)
            }
        };
        if let Some(Pending::Unsubscribe) = self.transmits.pop_front() {
            self.unsubscribes.pop_front();
        }
        Ok(Some(out))
    }

    /// Queues a lifecycle event. Reports (bad messages, server errors) that come while one of
    /// their kind waits are counted in its `repeats`; a channel's newer event takes the place
    /// of its older one. So one input never queues more than
    /// [`limits::events_for`](crate::limits::events_for) (see there); only a driver that never
    /// drains can fill it, and then the oldest event goes, counted.
    pub(super) fn push_event(&mut self, e: Event) {
        // The new event's channel read once, not again for each event waiting.
        let channel = e.channel();
        for waiting in self.events.iter_mut() {
            match (&mut *waiting, &e) {
                (Event::BadMessage { repeats, .. }, Event::BadMessage { .. })
                | (Event::ServerError { repeats, .. }, Event::ServerError { .. }) => {
                    *repeats = repeats.saturating_add(1);
                    return;
                }
                (w, _) if channel.is_some() && w.channel() == channel => {
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

    /// Something arrived: the activity timer starts over (once connected; the handshake timer
    /// watches the socket until then).
    pub(super) fn on_activity(&mut self, now: Instant) {
        if self.socket == Socket::Ready {
            self.timers.activity = Some(now.after(self.activity));
            self.timers.pong = None;
        }
    }

    /// Whether the state allows an attempt to connect.
    pub(super) const fn may_attempt(&self) -> bool {
        !matches!(
            self.state,
            State::Disconnected | State::Failed | State::Initialized
        )
    }

    /// Opens a socket now, unless one is open or opening.
    pub(super) fn open_socket(&mut self, now: Instant) {
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
    pub(super) fn on_connected(&mut self, now: Instant, transport: Transport, socket_id: &str) {
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
            transport,
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
        let id = self.next_command_id();
        if let Some(c) = self.channels.get_mut(idx) {
            c.sub = Sub::Pending(id);
            c.deadline = deadline;
        }
        self.queue(Pending::Subscribe(idx, id));
    }

    /// A subscribe the server has not answered in time is sent again, and the driver told.
    #[inline]
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

    /// Subscribes again the channels that wait for it (refused with a temporary error).
    #[inline]
    pub(super) fn resubscribe(&mut self, now: Instant) {
        if self.socket == Socket::Ready {
            for i in 0..self.channels.len() {
                if self.channels.get(i).is_some_and(|c| c.sub == Sub::Idle) {
                    self.send_subscribe(now, i);
                }
            }
        }
    }

    pub(super) fn clear_socket_timers(&mut self) {
        let t = &mut self.timers;
        t.handshake = None;
        t.activity = None;
        t.pong = None;
        t.refresh = None;
        t.resubscribe = None;
        for c in self.channels.iter_mut() {
            c.sub = Sub::Idle;
            c.deadline = None;
        }
    }

    /// Asks the driver for a token, once until it gives one, says its fetch failed, or
    /// [`Config::token_timeout`](super::Config::token_timeout) passes (the token timer runs
    /// while a token is awaited).
    pub(super) fn want_token(&mut self, now: Instant, refresh: bool) {
        if self.timers.token.is_some() {
            // The fetch under way serves this too; if it was for a refresh, its token now
            // opens the next socket (`set_token`).
            return;
        }
        self.timers.token = Some(timeout_after(now, self.config.token_timeout));
        self.push_event(Event::TokenRequired { refresh });
    }

    /// Closes the socket ourselves (a dead or refused connection) and plans what comes next.
    pub(super) fn drop_socket(&mut self, now: Instant, why: Reason) {
        if self.socket == Socket::Closed {
            return;
        }
        self.close_socket(1000);
        let plan = if matches!(why, Reason::PingTimeout) {
            ClosePlan::at_once(why)
        } else {
            ClosePlan::retry(why)
        };
        self.closed(now, None, "", plan);
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
    }

    /// The socket is gone (closed by the server, or by us): tells the driver, then retries
    /// after the back-off or stops, as `plan` says.
    pub(super) fn closed(
        &mut self,
        now: Instant,
        code: Option<u16>,
        reason: &str,
        plan: ClosePlan,
    ) {
        self.push_event(Event::Disconnected {
            code,
            reason: Text::from_str_truncating(reason),
            will_retry: plan.retry && self.config.reconnect,
        });
        self.after_close(now, plan);
    }

    /// After a socket is gone: retry (after the back-off) or stop.
    #[inline]
    fn after_close(&mut self, now: Instant, plan: ClosePlan) {
        // pusher-js counts a transport that closes soon after opening as a dead one; here a
        // connection that did not last `stable_after` keeps its failures counted, so the
        // delays keep growing.
        let stable_after = self.config.stable_after;
        if self
            .connected_at
            .take()
            .is_some_and(|t| t.after(stable_after) <= now)
        {
            self.backoff.reset();
        }
        if !plan.retry || !self.config.reconnect {
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
        let after = self.backoff.next_delay(plan.at_once);
        self.timers.retry = Some(now.after(after));
        self.push_event(Event::Reconnecting {
            after,
            reason: plan.reason,
        });
    }
}
