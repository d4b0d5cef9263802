//! Centrifugo's JSON client protocol (what kick.com uses since about October 2026): connect
//! with a token, subscribe, answer `{}` pings, refresh the token before it expires, and the
//! disconnect-code classes.

use core::time::Duration;

use super::encode::Pending;
use super::time::timeout_after;
use super::{Connection, Event, Instant, Proto, Reason, Socket, Sub};
use crate::envelope::centrifugo::{Message, Reply};
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
fn refresh_lead(ttl: Duration) -> Duration {
    ttl.checked_div(10)
        .unwrap_or_default()
        .min(Duration::from_secs(60))
}

impl Connection {
    fn next_command_id(&mut self) -> u32 {
        let Proto::Centrifugo { next_id, .. } = &mut self.proto else {
            return 0;
        };
        let id = *next_id;
        *next_id = next_id.wrapping_add(1).max(1);
        id
    }

    pub(crate) fn centrifugo_send_connect(&mut self) {
        let id = self.next_command_id();
        if let Proto::Centrifugo { connect_id, .. } = &mut self.proto {
            *connect_id = id;
        }
        self.queue(Pending::CentConnect(id));
    }

    pub(crate) fn centrifugo_send_refresh(&mut self) {
        let id = self.next_command_id();
        if let Proto::Centrifugo { refresh_id, .. } = &mut self.proto {
            *refresh_id = Some(id);
        }
        self.queue(Pending::CentRefresh(id));
    }

    /// Asks the driver for a token, once until it gives one, says its fetch failed, or
    /// [`Config::token_timeout`](super::Config::token_timeout) passes.
    pub(crate) fn centrifugo_want_token(&mut self, now: Instant, refresh: bool) {
        let Proto::Centrifugo { waiting_token, .. } = &mut self.proto else {
            return;
        };
        if let Some(only_refresh) = waiting_token {
            // The fetch under way serves this too; if it was for a refresh, its token now
            // opens the next socket (`set_token`).
            *only_refresh &= refresh;
            return;
        }
        *waiting_token = Some(refresh);
        self.timers.token = Some(timeout_after(now, self.config.token_timeout));
        self.push_event(Event::TokenRequired { refresh });
    }

    /// The token asked for will not come (the driver said so, or it took too long): ask
    /// again after a back-off, as a refresh while the connection is up, else as a failed
    /// attempt to connect.
    pub(crate) fn centrifugo_token_unavailable(&mut self, now: Instant) {
        let Proto::Centrifugo {
            waiting_token,
            refresh_backoff,
            ..
        } = &mut self.proto
        else {
            return;
        };
        if waiting_token.take().is_none() {
            return;
        }
        if self.socket == Socket::Ready {
            // The current token may still be good for a while: keep the connection and try
            // again; if it expires first, the server's 3005 starts a reconnect.
            let after = refresh_backoff.next_delay(false);
            self.timers.refresh = Some(now.after(after));
        } else if self.socket == Socket::Closed
            && matches!(
                self.state,
                super::State::Connecting | super::State::Unavailable
            )
            && self.timers.retry.is_none()
        {
            let after = self.backoff.next_delay(false);
            self.timers.retry = Some(now.after(after));
            self.push_event(Event::Reconnecting {
                after,
                reason: Reason::TokenUnavailable,
            });
        }
    }

    /// Our own ping, to a server that announced none: any message back is its answer.
    pub(crate) fn centrifugo_send_ping(&mut self, now: Instant) {
        let id = self.next_command_id();
        if let Proto::Centrifugo { ping_id, .. } = &mut self.proto {
            *ping_id = Some(id);
        }
        self.queue(Pending::CentPing(id));
        self.timers.pong = Some(timeout_after(now, self.config.pong_timeout));
    }

    fn forget_token(&mut self) {
        if let Proto::Centrifugo { token, .. } = &mut self.proto {
            *token = None;
        }
    }

    /// `(reconnect?, at once?, why)` for a close with `code`.
    pub(crate) fn centrifugo_close_plan(&mut self, code: Option<u16>) -> (bool, bool, Reason) {
        match code {
            Some(c) if is_terminal(u32::from(c)) => (false, false, Reason::Closed(code)),
            // 3005 "connection expired" (also what a refresh with an expired token gets) and
            // 3014 "state invalidated": connect again, with a new token.
            Some(3005 | 3014) => {
                self.forget_token();
                (true, true, Reason::TokenExpired)
            }
            _ => (true, false, Reason::Closed(code)),
        }
    }

    /// Reacts to one Centrifugo message that is not a publication.
    pub(crate) fn centrifugo_control(&mut self, now: Instant, m: &Message<'_>) {
        match m {
            Message::Ping => {
                if self.socket == Socket::Ready {
                    self.queue(Pending::CentPong);
                }
            }
            Message::Reply { id, reply, error } => self.centrifugo_reply(now, *id, reply, error),
            Message::Unsubscribe {
                channel,
                code,
                reason,
            } => {
                let name: Text<{ crate::limits::CHANNEL }> = crate::json::text(*channel);
                let Some(idx) = self.channels.iter().position(|c| c.name == name) else {
                    return;
                };
                if self.socket != Socket::Ready {
                    return; // before the connect reply nothing is subscribed yet
                }
                if (2500..=2999).contains(code) {
                    // "Insufficient state" and friends: subscribe again.
                    self.send_subscribe(now, idx);
                } else {
                    if let Some(c) = self.channels.get_mut(idx) {
                        c.sub = Sub::Refused;
                        c.deadline = None;
                    }
                    self.push_event(Event::SubscriptionError {
                        channel: name,
                        code: Some(*code),
                        message: reason.map(crate::json::text).unwrap_or_default(),
                    });
                }
            }
            Message::Disconnect { code, reason } => {
                // The server closes right after; act now with its code.
                let code16 = u16::try_from(*code).ok();
                let reason: Text<{ crate::limits::REASON }> =
                    reason.map(crate::json::text).unwrap_or_default();
                if self.socket != Socket::Closed {
                    self.close_socket(1000);
                    let (retry, at_once, why) = self.centrifugo_close_plan(code16);
                    self.push_event(Event::Disconnected {
                        code: code16,
                        reason,
                        will_retry: retry && self.config.reconnect,
                    });
                    self.after_close(now, retry, at_once, why);
                }
            }
            Message::Publication { .. } | Message::OtherPush { .. } => {}
        }
    }

    fn centrifugo_reply(
        &mut self,
        now: Instant,
        id: u64,
        reply: &Reply<'_>,
        error: &Option<crate::envelope::centrifugo::ReplyError<'_>>,
    ) {
        let Proto::Centrifugo {
            connect_id,
            refresh_id,
            ..
        } = self.proto
        else {
            return;
        };
        let id = u32::try_from(id).unwrap_or(0);
        if let Some(e) = error {
            let message: Text<{ crate::limits::REASON }> =
                e.message.map(crate::json::text).unwrap_or_default();
            if id == connect_id || Some(id) == refresh_id || e.code == TOKEN_EXPIRED {
                self.push_event(Event::ServerError {
                    code: Some(e.code),
                    message,
                    repeats: 0,
                });
                if e.code == TOKEN_EXPIRED {
                    self.forget_token();
                    self.drop_socket(now, Reason::TokenExpired);
                } else if Some(id) == refresh_id {
                    // centrifuge-js gives up on a refresh refused for good and disconnects;
                    // here the token may still be good for a while, so a fresh one is asked
                    // for again after a back-off, and the server ends the connection when
                    // the old one expires (3005: a reconnect with a new token).
                    if let Proto::Centrifugo {
                        refresh_id,
                        refresh_backoff,
                        ..
                    } = &mut self.proto
                    {
                        *refresh_id = None;
                        let after = refresh_backoff.next_delay(false);
                        self.timers.refresh = Some(now.after(after));
                    }
                } else if id == connect_id {
                    // centrifuge-js: a connect error below 100 or marked temporary is worth
                    // another try; any other (bad token, permission) will not get better.
                    if e.code < 100 || e.temporary {
                        self.drop_socket(now, Reason::BadHandshake);
                    } else {
                        self.close_socket(1000);
                        self.push_event(Event::Disconnected {
                            code: None,
                            reason: Text::new(),
                            will_retry: false,
                        });
                        self.after_close(now, false, false, Reason::BadHandshake);
                    }
                }
                return;
            }
            if let Some(c) = self.channels.iter_mut().find(|c| c.sub == Sub::Pending(id)) {
                let channel = c.name.clone();
                if e.code < 100 || e.temporary {
                    // centrifuge-js retries these (100 internal, 111 too many requests) after
                    // a pause; giving up would lose the channel until the next reconnect.
                    c.sub = Sub::Idle;
                    c.deadline = None;
                    let after = self.backoff.jittered(RESUBSCRIBE_AFTER);
                    let at = now.after(after);
                    self.timers.resubscribe =
                        Some(self.timers.resubscribe.map_or(at, |t| t.min(at)));
                    self.push_event(Event::ServerError {
                        code: Some(e.code),
                        message,
                        repeats: 0,
                    });
                } else {
                    c.sub = Sub::Refused;
                    c.deadline = None;
                    self.push_event(Event::SubscriptionError {
                        channel,
                        code: Some(e.code),
                        message,
                    });
                }
            }
            return;
        }
        match reply {
            Reply::Connect {
                client,
                expires,
                ttl,
                ping,
            } if id == connect_id && self.socket == Socket::Handshaking => {
                if let Proto::Centrifugo { ping: p, .. } = &mut self.proto {
                    *p = ping.filter(|&s| s > 0).map(Duration::from_secs);
                }
                let client: Text<{ crate::limits::SOCKET_ID }> =
                    client.map(crate::json::text).unwrap_or_default();
                self.on_connected(now, client.as_str());
                self.schedule_refresh(now, *expires, *ttl);
            }
            Reply::Refresh { expires, ttl } if Some(id) == refresh_id => {
                if let Proto::Centrifugo {
                    refresh_id,
                    refresh_backoff,
                    ..
                } = &mut self.proto
                {
                    *refresh_id = None;
                    refresh_backoff.reset();
                }
                self.schedule_refresh(now, *expires, *ttl);
            }
            Reply::Subscribe => {
                if let Some(c) = self.channels.iter_mut().find(|c| c.sub == Sub::Pending(id)) {
                    c.sub = Sub::Subscribed;
                    c.deadline = None;
                    let channel = c.name.clone();
                    self.push_event(Event::Subscribed { channel });
                }
            }
            _ => {}
        }
    }

    fn schedule_refresh(&mut self, now: Instant, expires: bool, ttl: Option<u64>) {
        self.timers.refresh = match (expires, ttl) {
            (true, Some(ttl)) => {
                let ttl = Duration::from_secs(ttl);
                Some(now.after(ttl.saturating_sub(refresh_lead(ttl))))
            }
            _ => None,
        };
    }
}
