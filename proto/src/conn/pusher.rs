//! Pusher Channels protocol v7: URLs, the close-code table, and the connection's reactions to
//! `pusher:*` and `pusher_internal:*` messages.

use core::time::Duration;

use super::encode::Pending;
use super::{Connection, Proto, Reason, Socket, State, Sub};
use crate::json::field::Field;
use crate::json::reader::Reader;
use crate::text::Text;

/// What pusher-js does when a socket closes with a code (or a first-frame `pusher:error`
/// carries one): its `getCloseAction` table, checklist item 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CloseAction {
    /// 4000: the app only accepts TLS: switch to `wss://` and retry at once.
    TlsOnly,
    /// 4001-4099 and 4300-4999: refused; do not reconnect.
    Refused,
    /// 4100-4199, 1002-1004: reconnect after a back-off.
    Backoff,
    /// 4200-4299: reconnect at once.
    Retry,
    /// Anything else (1000, 1001, 1005, 1006, 3999, none): no action of its own; the generic
    /// "socket closed" path reconnects after a back-off.
    None,
}

/// The action for a close code, exactly as pusher-js's `getCloseAction`.
///
/// ```
/// use kickwire_proto::conn::{close_action, CloseAction};
/// assert_eq!(close_action(4001), CloseAction::Refused);
/// assert_eq!(close_action(4100), CloseAction::Backoff);
/// assert_eq!(close_action(4201), CloseAction::Retry);
/// assert_eq!(close_action(1006), CloseAction::None);
/// ```
#[must_use]
pub const fn close_action(code: u16) -> CloseAction {
    match code {
        4000 => CloseAction::TlsOnly,
        4001..=4099 => CloseAction::Refused,
        4100..=4199 => CloseAction::Backoff,
        4200..=4299 => CloseAction::Retry,
        4300..=4999 => CloseAction::Refused,
        1002..=1004 => CloseAction::Backoff,
        _ => CloseAction::None,
    }
}

/// The shortest activity timeout in force, whatever the server announces or the
/// configuration says: the unit of `activity_timeout` is the second, and below one a silent
/// server would be pinged continuously.
pub(crate) const MIN_ACTIVITY: Duration = Duration::from_secs(1);

/// The members of a Pusher control payload that the connection reads.
#[derive(Default)]
struct Control {
    socket_id: Text<{ crate::limits::SOCKET_ID }>,
    activity_timeout: Option<u64>,
    code: Option<u64>,
    message: Text<{ crate::limits::REASON }>,
}

crate::json::field::object_fields!(Control {
    b"socket_id" => socket_id,
    b"activity_timeout" => activity_timeout,
    b"code" => code,
    b"message" => message,
});

fn control(payload: &[u8]) -> Control {
    let mut c = Control::default();
    let mut r = Reader::new(payload);
    // A malformed payload leaves what was read so far; the caller judges what is missing
    // (and anything but an object leaves it empty).
    let _ = c.read(&mut r);
    c
}

impl Connection {
    /// Reacts to one `pusher:*` / `pusher_internal:*` message; `payload` is its `data`,
    /// unescaped.
    pub(crate) fn pusher_control(
        &mut self,
        now: super::Instant,
        name: &str,
        channel: Option<&str>,
        payload: &[u8],
    ) {
        if self.socket == Socket::Handshaking {
            self.pusher_handshake(now, name, payload);
            return;
        }
        if self.socket != Socket::Ready {
            return;
        }
        match name {
            "pusher:ping" => self.queue(Pending::PusherPong),
            "pusher:error" => {
                // Not fatal by itself (4009 for one channel, 4301, `code: null`): a close
                // follows when it is.
                let c = control(payload);
                self.push_event(super::Event::ServerError {
                    code: c.code.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: c.message,
                    repeats: 0,
                });
            }
            "pusher_internal:subscription_succeeded" => {
                let Some(ch) = channel else { return };
                if let Some(c) = self.channels.iter_mut().find(|c| c.name.as_str() == ch) {
                    c.sub = Sub::Subscribed;
                    c.deadline = None;
                    self.push_event(super::Event::Subscribed {
                        channel: Text::from_str_truncating(ch),
                    });
                }
            }
            // pong: activity, already counted. Presence, counts, cache misses, signin: not for
            // a reader of public channels.
            _ => {}
        }
    }

    fn pusher_handshake(&mut self, now: super::Instant, name: &str, payload: &[u8]) {
        match name {
            "pusher:connection_established" => {
                let c = control(payload);
                let Some(server) = c.activity_timeout else {
                    // pusher-js: "No activity timeout specified in handshake".
                    self.drop_socket(now, Reason::BadHandshake);
                    return;
                };
                if let Proto::Pusher { activity } = &mut self.proto {
                    // At least MIN_ACTIVITY: `"activity_timeout":0` would otherwise have us
                    // ping after every message, thousands of times a second.
                    *activity = self
                        .config
                        .activity_timeout
                        .min(Duration::from_secs(server))
                        .max(MIN_ACTIVITY);
                }
                self.on_connected(now, c.socket_id.as_str());
            }
            "pusher:error" => {
                let c = control(payload);
                let code = c.code.and_then(|c| u16::try_from(c).ok());
                self.push_event(super::Event::ServerError {
                    code: c.code.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: c.message.clone(),
                    repeats: 0,
                });
                // A first-frame error acts like a close with its code.
                self.close_socket(1000);
                self.push_event(super::Event::Disconnected {
                    code,
                    reason: c.message,
                    will_retry: false,
                });
                let (retry, at_once, why) = self.pusher_close_plan(code);
                if let Some(super::Event::Disconnected { will_retry, .. }) = self.events.back_mut()
                {
                    *will_retry = retry && self.config.reconnect;
                }
                self.after_close(now, retry, at_once, why);
            }
            _ => self.drop_socket(now, Reason::BadHandshake),
        }
    }

    /// `(reconnect?, at once?, why)` for a close with `code`; switches to TLS on 4000.
    pub(crate) fn pusher_close_plan(&mut self, code: Option<u16>) -> (bool, bool, Reason) {
        let why = Reason::Closed(code);
        match code.map_or(CloseAction::None, close_action) {
            CloseAction::TlsOnly => {
                if self.url.starts_with("wss://") {
                    // Already TLS: nothing else to try.
                    self.set_state(State::Failed);
                    (false, false, why)
                } else {
                    let rest = self.url.get("ws://".len()..).unwrap_or("");
                    let mut url: Text<{ crate::limits::URL }> = Text::from_str_truncating("wss://");
                    url.push_str(rest);
                    if url.is_truncated() {
                        self.set_state(State::Failed);
                        return (false, false, why);
                    }
                    self.url = url;
                    (true, true, why)
                }
            }
            CloseAction::Refused => (false, false, why),
            CloseAction::Backoff => (true, false, why),
            CloseAction::Retry => (true, true, code.map_or(why, Reason::ServerRequest)),
            CloseAction::None => (true, false, why),
        }
    }
}
