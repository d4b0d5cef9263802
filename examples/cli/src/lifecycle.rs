//! How `watch` reports the connection's lifecycle: one status line (stderr), or one JSON
//! object (stdout, with `--json`). The objects are listed in the README.

use kickwire_proto::Transport;
use kickwire_proto::conn::Event;
use serde_json::{Value, json};

/// The JSON object of a lifecycle event (`None`: not printed in JSON mode).
pub fn json(e: &Event) -> Option<Value> {
    Some(match e {
        Event::Connected {
            transport,
            socket_id,
        } => json!({
            "type": "Connected",
            "transport": transport_name(*transport),
            "socket_id": socket_id.as_str(),
        }),
        Event::Subscribed { channel } => json!({"type": "Subscribed", "channel": channel.as_str()}),
        Event::SubscriptionTimedOut { channel } => {
            json!({"type": "SubscriptionTimedOut", "channel": channel.as_str()})
        }
        Event::SubscriptionError {
            channel,
            code,
            message,
        } => json!({
            "type": "SubscriptionError", "channel": channel.as_str(), "code": code, "message": message.as_str(),
        }),
        Event::Reconnecting { after, reason } => json!({
            "type": "Reconnecting",
            "after_ms": u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
            "reason": reason.to_string(),
        }),
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => json!({
            "type": "Disconnected", "code": code, "reason": reason.as_str(), "will_retry": will_retry,
        }),
        Event::ServerError {
            code,
            message,
            repeats,
        } => json!({
            "type": "Error", "source": "server", "code": code, "message": message.as_str(), "repeats": repeats,
        }),
        Event::BadMessage { error, repeats } => json!({
            "type": "Error", "source": "message", "message": error.to_string(), "repeats": repeats,
        }),
        _ => return None,
    })
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
            r#"{"type":"Reconnecting","after_ms":1234,"reason":"no connection token"}"#
        );
        assert_eq!(
            token_error_json("offline").to_string(),
            r#"{"type":"Error","source":"token","message":"offline"}"#
        );
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
