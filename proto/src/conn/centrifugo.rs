//! Centrifugo's JSON client protocol (what kick.com uses since about October 2026): connect
//! with a token, subscribe, answer `{}` pings, refresh the token before it expires, and the
//! disconnect-code classes.

use core::time::Duration;

use super::backoff::Backoff;
use super::encode::{EncodeError, Pending, Writer};
use super::time::timeout_after;
use super::transport::{ClosePlan, ControlMessage, Protocol};
use super::{Core, Event, Instant, Reason, Socket, State as ConnState, Sub};
use crate::envelope::Transport;
use crate::envelope::centrifugo::{Message, Reply, ReplyError};
use crate::text::Text;

/// Centrifugo error code: the token expired (connect or refresh): get a new one.
pub(crate) const TOKEN_EXPIRED: u32 = 109;

/// How a Centrifugo disconnect or close code is treated (centrifuge-js 5.8): 3500-3999 and
/// 4500-4999 are terminal, and so is 1009 (message too big: it would happen again); everything
/// else reconnects.
#[must_use]
pub(crate) const fn is_terminal(code: u32) -> bool {
    matches!(code, 1009 | 3500..=3999 | 4500..=4999)
}

/// A subscription refused with a temporary error is asked for again after this (plus jitter).
const RESUBSCRIBE_AFTER: Duration = Duration::from_secs(2);

/// A fresh token is asked for this long before the old one expires (a tenth of its life, at
/// most a minute), so the refresh round trip never races the expiry.
#[inline]
fn refresh_lead(ttl: Duration) -> Duration {
    ttl.checked_div(10)
        .unwrap_or_default()
        .min(Duration::from_secs(60))
}

/// A Centrifugo connection's own state: its token (of up to `TOKEN` bytes) and what its
/// commands wait for.
#[derive(Debug, Clone)]
pub(super) struct State<const TOKEN: usize> {
    token: Option<Text<TOKEN>>,
    /// Failed refreshes in a row: their retries back off on their own, apart from the
    /// reconnects.
    refresh_backoff: Backoff,
    /// The id of this socket's `connect` command.
    connect_id: u32,
    /// The id of the `refresh` command under way.
    refresh_id: Option<u32>,
    /// The server's ping interval, once connected (`None`: it sends none, so we ping).
    ping: Option<Duration>,
}

impl<const TOKEN: usize> State<TOKEN> {
    /// A connection with no token yet, its refresh jitter seeded from `seed`.
    pub(super) const fn new(seed: u64) -> Self {
        Self {
            token: None,
            refresh_backoff: Backoff::new(seed.rotate_left(17)),
            connect_id: 0,
            refresh_id: None,
            ping: None,
        }
    }

    #[inline]
    fn send_refresh<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    ) {
        let id = m.next_command_id();
        self.refresh_id = Some(id);
        m.queue(Pending::Refresh(id));
    }

    /// Our own ping, to a server that announced none: any message back is its answer.
    #[inline]
    fn send_ping<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        let id = m.next_command_id();
        m.queue(Pending::Ping(id));
        m.timers.pong = Some(timeout_after(now, m.config.pong_timeout));
    }

    #[inline]
    fn reply<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        id: u64,
        reply: &Reply<'_>,
        error: Option<&ReplyError<'_>>,
    ) {
        let id = u32::try_from(id).unwrap_or(0);
        if let Some(e) = error {
            self.error_reply(m, now, id, e);
            return;
        }
        match reply {
            Reply::Connect {
                client,
                expires,
                ttl,
                ping,
            } if id == self.connect_id && m.socket == Socket::Handshaking => {
                self.ping = ping.filter(|&s| s > 0).map(Duration::from_secs);
                m.activity = match self.ping {
                    // The server pings: its ping is late after the interval and the grace.
                    Some(ping) => ping.saturating_add(m.config.max_server_ping_delay),
                    // It does not: we ping after this much silence.
                    None => m.config.activity_timeout.max(super::pusher::MIN_ACTIVITY),
                };
                let client: Text<{ crate::limits::SOCKET_ID }> =
                    client.map(crate::json::text).unwrap_or_default();
                m.on_connected(now, Transport::Centrifugo, client.as_str());
                schedule_refresh(m, now, *expires, *ttl);
            }
            Reply::Refresh { expires, ttl } if Some(id) == self.refresh_id => {
                self.refresh_id = None;
                self.refresh_backoff.reset();
                schedule_refresh(m, now, *expires, *ttl);
            }
            Reply::Subscribe => {
                if let Some(c) = m.channels.iter_mut().find(|c| c.sub == Sub::Pending(id)) {
                    c.sub = Sub::Subscribed;
                    c.deadline = None;
                    let channel = c.name.clone();
                    m.push_event(Event::Subscribed { channel });
                }
            }
            _ => {}
        }
    }

    #[inline]
    fn error_reply<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        id: u32,
        e: &ReplyError<'_>,
    ) {
        let message: Text<{ crate::limits::REASON }> =
            e.message.map(crate::json::text).unwrap_or_default();
        if id == self.connect_id || Some(id) == self.refresh_id || e.code == TOKEN_EXPIRED {
            m.push_event(Event::ServerError {
                code: Some(e.code),
                message,
                repeats: 0,
            });
            if e.code == TOKEN_EXPIRED {
                self.token = None;
                m.drop_socket(now, Reason::TokenExpired);
            } else if Some(id) == self.refresh_id {
                // centrifuge-js gives up on a refresh refused for good and disconnects;
                // here the token may still be good for a while, so a fresh one is asked
                // for again after a back-off, and the server ends the connection when
                // the old one expires (3005: a reconnect with a new token).
                self.refresh_id = None;
                let after = self.refresh_backoff.next_delay(false);
                m.timers.refresh = Some(now.after(after));
            } else if id == self.connect_id {
                // centrifuge-js: a connect error below 100 or marked temporary is worth
                // another try; any other (bad token, permission) will not get better.
                if e.code < 100 || e.temporary {
                    m.drop_socket(now, Reason::BadHandshake);
                } else {
                    m.close_socket(1000);
                    m.closed(now, None, "", ClosePlan::stop(Reason::BadHandshake));
                }
            }
            return;
        }
        if let Some(c) = m.channels.iter_mut().find(|c| c.sub == Sub::Pending(id)) {
            let channel = c.name.clone();
            if e.code < 100 || e.temporary {
                // centrifuge-js retries these (100 internal, 111 too many requests) after
                // a pause; giving up would lose the channel until the next reconnect.
                c.sub = Sub::Idle;
                c.deadline = None;
                let after = m.backoff.jittered(RESUBSCRIBE_AFTER);
                let at = now.after(after);
                let t = &mut m.timers.resubscribe;
                *t = Some(t.map_or(at, |t| t.min(at)));
                m.push_event(Event::ServerError {
                    code: Some(e.code),
                    message,
                    repeats: 0,
                });
            } else {
                c.sub = Sub::Refused;
                c.deadline = None;
                m.push_event(Event::SubscriptionError {
                    channel,
                    code: Some(e.code),
                    message,
                });
            }
        }
    }

    /// The server ended one subscription.
    #[inline]
    fn unsubscribed<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        channel: &Text<{ crate::limits::CHANNEL }>,
        code: u32,
        reason: Option<crate::json::EscapedStr<'_>>,
    ) {
        let Some(idx) = m.channels.iter().position(|c| c.name == *channel) else {
            return;
        };
        if m.socket != Socket::Ready {
            return; // before the connect reply nothing is subscribed yet
        }
        if (2500..=2999).contains(&code) {
            // "Insufficient state" and friends: subscribe again.
            m.send_subscribe(now, idx);
        } else {
            if let Some(c) = m.channels.get_mut(idx) {
                c.sub = Sub::Refused;
                c.deadline = None;
            }
            m.push_event(Event::SubscriptionError {
                channel: channel.clone(),
                code: Some(code),
                message: reason.map(crate::json::text).unwrap_or_default(),
            });
        }
    }
}

/// Asks for a fresh token a little before the current one expires (if it does).
#[inline]
fn schedule_refresh<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
    m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    now: Instant,
    expires: bool,
    ttl: Option<u64>,
) {
    m.timers.refresh = match (expires, ttl) {
        (true, Some(ttl)) => {
            let ttl = Duration::from_secs(ttl);
            Some(now.after(ttl.saturating_sub(refresh_lead(ttl))))
        }
        _ => None,
    };
}

impl<const TOKEN: usize> Protocol for State<TOKEN> {
    /// Sends `connect` with the token. A `refresh` of the last socket is not waited for any
    /// more.
    fn opened<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    ) {
        self.refresh_id = None;
        self.connect_id = m.next_command_id();
        m.queue(Pending::Connect(self.connect_id));
    }

    fn control<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        message: ControlMessage<'_>,
    ) {
        let ControlMessage::Centrifugo(message) = message else {
            return; // a Pusher event: not for a Centrifugo connection
        };
        match message {
            Message::Ping => {
                if m.socket == Socket::Ready {
                    m.queue(Pending::Pong);
                }
            }
            Message::Reply { id, reply, error } => {
                self.reply(m, now, *id, reply, error.as_ref());
            }
            Message::Unsubscribe {
                channel,
                code,
                reason,
            } => {
                let name: Text<{ crate::limits::CHANNEL }> = crate::json::text(*channel);
                Self::unsubscribed(m, now, &name, *code, *reason);
            }
            Message::Disconnect { code, reason } => {
                // The server closes right after; act now with its code.
                let code = u16::try_from(*code).ok();
                let reason: Text<{ crate::limits::REASON }> =
                    reason.map(crate::json::text).unwrap_or_default();
                if m.socket != Socket::Closed {
                    m.close_socket(1000);
                    let plan = self.close_plan(m, code);
                    m.closed(now, code, &reason, plan);
                }
            }
            Message::Publication { .. } | Message::OtherPush { .. } => {}
        }
    }

    fn silent<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        match self.ping {
            // The server's ping is late.
            Some(_) => m.drop_socket(now, Reason::PingTimeout),
            // A server that sends no pings: ask it something, as a Pusher client would.
            None => Self::send_ping(m, now),
        }
    }

    /// centrifuge-js's classes of codes; 3005 and 3014 forget the token.
    fn close_plan<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        _m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        code: Option<u16>,
    ) -> ClosePlan {
        match code {
            Some(c) if is_terminal(u32::from(c)) => ClosePlan::stop(Reason::Closed(code)),
            // 3005 "connection expired" (also what a refresh with an expired token gets) and
            // 3014 "state invalidated": connect again, with a new token.
            Some(3005 | 3014) => {
                self.token = None;
                ClosePlan::at_once(Reason::TokenExpired)
            }
            _ => ClosePlan::retry(Reason::Closed(code)),
        }
    }

    fn needs_token(&self) -> bool {
        self.token.is_none()
    }

    fn set_token<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        token: &str,
    ) {
        self.token = Some(Text::from_str_truncating(token));
        let was_waiting = m.timers.token.take().is_some();
        match m.socket {
            Socket::Ready => self.send_refresh(m),
            Socket::Closed if was_waiting && m.timers.retry.is_none() => {
                if matches!(m.state, ConnState::Connecting | ConnState::Unavailable) {
                    m.open_socket(now);
                }
            }
            _ => {}
        }
    }

    /// Asks again after a back-off: as a refresh while the connection is up, else as a failed
    /// attempt to connect.
    fn token_unavailable<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        if m.socket == Socket::Ready {
            // The current token may still be good for a while: keep the connection and try
            // again; if it expires first, the server's 3005 starts a reconnect.
            let after = self.refresh_backoff.next_delay(false);
            m.timers.refresh = Some(now.after(after));
        } else if m.socket == Socket::Closed
            && matches!(m.state, ConnState::Connecting | ConnState::Unavailable)
            && m.timers.retry.is_none()
        {
            let after = m.backoff.next_delay(false);
            m.timers.retry = Some(now.after(after));
            m.push_event(Event::Reconnecting {
                after,
                reason: Reason::TokenUnavailable,
            });
        }
    }

    fn refresh_due<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        m.want_token(now, true);
    }

    fn encode<'b>(
        &self,
        p: &Pending,
        channel: &str,
        buf: &'b mut [u8],
    ) -> Result<&'b str, EncodeError> {
        let mut w = Writer::new(buf);
        let token = self.token.as_ref().map_or("", |t| t.as_str());
        match p {
            Pending::Connect(id) => {
                w.str(r#"{"connect":{"token":""#);
                w.json_str(token);
                w.str(r#"","name":"js"},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::Refresh(id) => {
                w.str(r#"{"refresh":{"token":""#);
                w.json_str(token);
                w.str(r#""},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::Subscribe(_, id) => {
                w.str(r#"{"subscribe":{"channel":""#);
                w.json_str(channel);
                w.str(r#""},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            // The unsubscribe needs an id; its reply is ignored.
            Pending::Unsubscribe => {
                w.str(r#"{"unsubscribe":{"channel":""#);
                w.json_str(channel);
                w.str(r#""},"id":0}"#);
            }
            Pending::Ping(id) => {
                w.str(r#"{"ping":{},"id":"#);
                w.u64(u64::from(*id));
                w.str("}");
            }
            Pending::Pong => w.str("{}"),
            // Not text frames.
            Pending::Open | Pending::Close(_) => {}
        }
        w.finish()
    }
}
