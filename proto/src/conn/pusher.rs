//! Pusher Channels protocol v7: the close-code table, the frames, and the connection's
//! reactions to `pusher:*` and `pusher_internal:*` messages.

use core::time::Duration;

use super::encode::{EncodeError, Pending, Writer};
use super::time::timeout_after;
use super::transport::{ClosePlan, ControlMessage, Protocol};
use super::{Core, Event, Instant, Reason, Socket, State as ConnState, Sub};
use crate::envelope::Transport;
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

/// A Pusher connection's own state: none. What it negotiates, the activity timeout, is the
/// core's ([`Core::activity`](super::Core::activity)), and its frames carry no ids.
#[derive(Debug, Clone)]
pub(super) struct State;

impl Protocol for State {
    /// Nothing: a Pusher server speaks first.
    fn opened<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        _m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
    ) {
    }

    fn control<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
        message: ControlMessage<'_>,
    ) {
        let ControlMessage::Pusher {
            name,
            channel,
            payload,
        } = message
        else {
            return; // a Centrifugo message: not for a Pusher connection
        };
        // During the handshake only its reply counts: `pusher:connection_established`, or an
        // error that acts like a close with its code; anything else is a bad handshake.
        let handshaking = m.socket == Socket::Handshaking;
        if !handshaking && m.socket != Socket::Ready {
            return;
        }
        match name {
            "pusher:error" => {
                // Once connected, not fatal by itself (4009 for one channel, 4301,
                // `code: null`): a close follows when it is. (One arm for both states: its
                // event written once, 0.1 KB less in the browser's module.)
                let c = control(payload);
                m.push_event(Event::ServerError {
                    code: c.code.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: c.message.clone(),
                    repeats: 0,
                });
                if handshaking {
                    // A first-frame error acts like a close with its code.
                    let code = c.code.and_then(|c| u16::try_from(c).ok());
                    m.close_socket(1000);
                    let plan = self.close_plan(m, code);
                    m.closed(now, code, &c.message, plan);
                }
            }
            "pusher:connection_established" if handshaking => {
                let c = control(payload);
                let Some(server) = c.activity_timeout else {
                    // pusher-js: "No activity timeout specified in handshake".
                    m.drop_socket(now, Reason::BadHandshake);
                    return;
                };
                // At least MIN_ACTIVITY: `"activity_timeout":0` would otherwise have us ping
                // after every message, thousands of times a second.
                m.activity = m
                    .config
                    .activity_timeout
                    .min(Duration::from_secs(server))
                    .max(MIN_ACTIVITY);
                m.on_connected(now, Transport::Pusher, c.socket_id.as_str());
            }
            _ if handshaking => m.drop_socket(now, Reason::BadHandshake),
            "pusher:ping" => m.queue(Pending::Pong),
            "pusher_internal:subscription_succeeded" => {
                let Some(ch) = channel else { return };
                if let Some(c) = m.channels.iter_mut().find(|c| c.name.as_str() == ch) {
                    c.sub = Sub::Subscribed;
                    c.deadline = None;
                    m.push_event(Event::Subscribed {
                        channel: Text::from_str_truncating(ch),
                    });
                }
            }
            // pong: activity, already counted. Presence, counts, cache misses, signin: not for
            // a reader of public channels.
            _ => {}
        }
    }

    /// pusher-js: ping after silence, then give the pong `pong_timeout`.
    fn silent<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        now: Instant,
    ) {
        m.queue(Pending::Ping(0));
        m.timers.pong = Some(timeout_after(now, m.config.pong_timeout));
    }

    /// pusher-js's `getCloseAction`; 4000 switches to TLS.
    fn close_plan<const CHANNELS: usize, const EVENTS: usize, const TRANSMITS: usize>(
        &mut self,
        m: &mut Core<CHANNELS, EVENTS, TRANSMITS>,
        code: Option<u16>,
    ) -> ClosePlan {
        let why = Reason::Closed(code);
        match code.map_or(CloseAction::None, close_action) {
            CloseAction::TlsOnly => {
                if m.url.starts_with("wss://") {
                    // Already TLS: nothing else to try.
                    m.set_state(ConnState::Failed);
                    return ClosePlan::stop(why);
                }
                let rest = m.url.get("ws://".len()..).unwrap_or("");
                let mut url: Text<{ crate::limits::URL }> = Text::from_str_truncating("wss://");
                url.push_str(rest);
                if url.is_truncated() {
                    m.set_state(ConnState::Failed);
                    return ClosePlan::stop(why);
                }
                m.url = url;
                ClosePlan::at_once(why)
            }
            CloseAction::Refused => ClosePlan::stop(why),
            CloseAction::Backoff | CloseAction::None => ClosePlan::retry(why),
            CloseAction::Retry => ClosePlan::at_once(code.map_or(why, Reason::ServerRequest)),
        }
    }

    fn encode<'b>(
        &self,
        p: &Pending,
        channel: &str,
        buf: &'b mut [u8],
    ) -> Result<&'b str, EncodeError> {
        let mut w = Writer::new(buf);
        match p {
            Pending::Subscribe(..) => {
                w.str(r#"{"event":"pusher:subscribe","data":{"auth":"","channel":""#);
                w.json_str(channel);
                w.str(r#""}}"#);
            }
            Pending::Unsubscribe => {
                w.str(r#"{"event":"pusher:unsubscribe","data":{"channel":""#);
                w.json_str(channel);
                w.str(r#""}}"#);
            }
            Pending::Ping(_) => w.str(r#"{"event":"pusher:ping","data":{}}"#),
            Pending::Pong => w.str(r#"{"event":"pusher:pong","data":{}}"#),
            // Centrifugo's commands, and what is not a text frame: never queued here.
            Pending::Connect(_) | Pending::Refresh(_) | Pending::Open | Pending::Close(_) => {}
        }
        w.finish()
    }
}
