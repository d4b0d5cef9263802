//! How `watch` reports the connection's lifecycle: one status line (stderr), or one JSON
//! object (stdout, with `--json`: proto's own, see `kickwire_proto::conn::Event`). The objects
//! are listed in the README.

use kickwire_proto::Transport;
use kickwire_proto::conn::Event;
use serde_json::{Value, json};

/// The JSON object of a lifecycle event, as proto writes it (`serde`, the browser's keys);
/// `None` for those not printed in JSON mode: state changes (Connected and Disconnected say
/// it) and token requests (the CLI answers them itself).
pub fn json(e: &Event) -> Option<Value> {
    if matches!(e, Event::StateChanged { .. } | Event::TokenRequired { .. }) {
        return None;
    }
    serde_json::to_value(e).ok()
}

/// The JSON object of a failed token fetch (the driver's own event, not the connection's).
pub fn token_error_json(message: &str) -> Value {
    json!({"type": "Error", "source": "token", "message": message})
}

/// The status line of a lifecycle event.
pub fn line(e: &Event) -> String {
    match e {
        Event::StateChanged { current, .. } => format!("state: {}", current.as_str()),
        Event::Connected { socket_id, .. } => format!("connected (socket {})", socket_id.as_str()),
        Event::Subscribed { channel } => format!("subscribed to {}", channel.as_str()),
        Event::SubscriptionTimedOut { channel } => format!(
            "no reply to the subscription to {}; asked again",
            channel.as_str()
        ),
        Event::SubscriptionError {
            channel,
            code,
            message,
        } => format!(
            "subscription to {} refused{}: {}",
            channel.as_str(),
            code_part(code.map(u64::from)),
            message.as_str()
        ),
        Event::Reconnecting { after, reason } => {
            format!("reconnecting in {:.1} s ({reason})", after.as_secs_f64())
        }
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => format!(
            "disconnected (code {}){}{}",
            code.map_or("none".to_string(), |c| c.to_string()),
            if reason.is_empty() {
                String::new()
            } else {
                format!(": {}", reason.as_str())
            },
            if *will_retry { "" } else { ", not retrying" }
        ),
        Event::ServerError {
            code,
            message,
            repeats,
        } => format!(
            "server error{}: {}{}",
            code_part(code.map(u64::from)),
            message.as_str(),
            more(*repeats)
        ),
        Event::BadMessage { error, repeats } => {
            format!("bad message skipped: {error}{}", more(*repeats))
        }
        other => format!("{other:?}"),
    }
}

/// The status line of a failed token fetch.
pub fn token_error_line(refresh: bool, message: &str) -> String {
    if refresh {
        format!("cannot refresh the connection token: {message}")
    } else {
        format!("cannot get a connection token: {message}")
    }
}

/// `pusher` or `centrifugo`.
pub fn transport_name(t: Transport) -> &'static str {
    match t {
        Transport::Pusher => "pusher",
        Transport::Centrifugo => "centrifugo",
    }
}

fn code_part(code: Option<u64>) -> String {
    code.map_or(String::new(), |c| format!(" {c}"))
}

/// ` (and N more)` for coalesced repeats.
fn more(repeats: u32) -> String {
    if repeats == 0 {
        String::new()
    } else {
        format!(" (and {repeats} more)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;
    use kickwire_proto::Text;
    use kickwire_proto::conn::Reason;

    // Expected texts written by hand from the README's lifecycle list.

    #[test]
    fn new_events_as_json() {
        let timed_out = Event::SubscriptionTimedOut {
            channel: Text::from_str_truncating("chatrooms.1.v2"),
        };
        assert_eq!(
            json(&timed_out).unwrap().to_string(),
            r#"{"type":"SubscriptionTimedOut","channel":"chatrooms.1.v2"}"#
        );
        let server = Event::ServerError {
            code: Some(4301),
            message: Text::from_str_truncating("rate limit"),
            repeats: 39,
        };
        assert_eq!(
            json(&server).unwrap().to_string(),
            r#"{"type":"Error","source":"server","code":4301,"message":"rate limit","repeats":39}"#
        );
        let token = Event::Reconnecting {
            after: Duration::from_millis(1234),
            reason: Reason::TokenUnavailable,
        };
        assert_eq!(
            json(&token).unwrap().to_string(),
            r#"{"type":"Reconnecting","afterMs":1234,"reason":"no connection token"}"#
        );
        assert_eq!(
            token_error_json("offline").to_string(),
            r#"{"type":"Error","source":"token","message":"offline"}"#
        );
        // Not printed: the CLI answers token requests, and Connected/Disconnected say the
        // state.
        assert_eq!(json(&Event::TokenRequired { refresh: false }), None);
        let state = Event::StateChanged {
            previous: kickwire_proto::conn::State::Connecting,
            current: kickwire_proto::conn::State::Connected,
        };
        assert_eq!(json(&state), None);
    }

    #[test]
    fn new_events_as_lines() {
        let timed_out = Event::SubscriptionTimedOut {
            channel: Text::from_str_truncating("chatrooms.1.v2"),
        };
        assert_eq!(
            line(&timed_out),
            "no reply to the subscription to chatrooms.1.v2; asked again"
        );
        let server = Event::ServerError {
            code: None,
            message: Text::from_str_truncating("Invalid signature"),
            repeats: 2,
        };
        assert_eq!(
            line(&server),
            "server error: Invalid signature (and 2 more)"
        );
        let token = Event::Reconnecting {
            after: Duration::from_millis(2300),
            reason: Reason::TokenUnavailable,
        };
        assert_eq!(line(&token), "reconnecting in 2.3 s (no connection token)");
    }
}
