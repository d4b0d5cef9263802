//! Lifecycle events as JSON (feature `serde`): one object per event, its name in `type` and
//! its fields in camelCase, the names the browser package gives them (`socketId`, `afterMs`,
//! `willRetry`), so the CLI's `--json` and the browser's events read alike. Server errors and
//! bad messages are both `Error`, told apart by `source`; a reason or a decode error is its
//! status-line phrase, a state its pusher-js name, a delay whole milliseconds.
//!
//! ```
//! # use kickwire_proto::conn::Event;
//! let e = Event::Disconnected {
//!     code: Some(4200),
//!     reason: kickwire_proto::Text::from_str_truncating("Server shutting down"),
//!     will_retry: true,
//! };
//! assert_eq!(
//!     serde_json::to_string(&e).unwrap(),
//!     r#"{"type":"Disconnected","code":4200,"reason":"Server shutting down","willRetry":true}"#
//! );
//! ```

use core::fmt::Display;

use serde::{Serialize, Serializer};

use super::event::{Event, Reason};
use crate::envelope::Transport;
use crate::error::DecodeError;

/// The JSON shape of an [`Event`], borrowing from it.
#[derive(Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
enum Json<'a> {
    StateChanged {
        previous: &'static str,
        current: &'static str,
    },
    Connected {
        transport: &'static str,
        socket_id: &'a str,
    },
    Subscribed {
        channel: &'a str,
    },
    SubscriptionTimedOut {
        channel: &'a str,
    },
    SubscriptionError {
        channel: &'a str,
        code: Option<u32>,
        message: &'a str,
    },
    Reconnecting {
        after_ms: u64,
        reason: Phrase<'a, Reason>,
    },
    Disconnected {
        code: Option<u16>,
        reason: &'a str,
        will_retry: bool,
    },
    #[serde(rename = "Error")]
    ServerError {
        source: &'static str,
        code: Option<u32>,
        message: &'a str,
        repeats: u32,
    },
    #[serde(rename = "Error")]
    BadMessage {
        source: &'static str,
        message: Phrase<'a, DecodeError>,
        repeats: u32,
    },
    TokenRequired {
        refresh: bool,
    },
}

/// A value written as its `Display` text.
struct Phrase<'a, T>(&'a T);

impl<T: Display> Serialize for Phrase<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Json::from(self).serialize(s)
    }
}

impl<'a> From<&'a Event> for Json<'a> {
    fn from(e: &'a Event) -> Self {
        match e {
            Event::StateChanged { previous, current } => Self::StateChanged {
                previous: previous.as_str(),
                current: current.as_str(),
            },
            Event::Connected {
                transport,
                socket_id,
            } => Self::Connected {
                transport: transport_name(*transport),
                socket_id: socket_id.as_str(),
            },
            Event::Subscribed { channel } => Self::Subscribed {
                channel: channel.as_str(),
            },
            Event::SubscriptionTimedOut { channel } => Self::SubscriptionTimedOut {
                channel: channel.as_str(),
            },
            Event::SubscriptionError {
                channel,
                code,
                message,
            } => Self::SubscriptionError {
                channel: channel.as_str(),
                code: *code,
                message: message.as_str(),
            },
            Event::Reconnecting { after, reason } => Self::Reconnecting {
                after_ms: super::time::millis(*after),
                reason: Phrase(reason),
            },
            Event::Disconnected {
                code,
                reason,
                will_retry,
            } => Self::Disconnected {
                code: *code,
                reason: reason.as_str(),
                will_retry: *will_retry,
            },
            Event::ServerError {
                code,
                message,
                repeats,
            } => Self::ServerError {
                source: "server",
                code: *code,
                message: message.as_str(),
                repeats: *repeats,
            },
            Event::BadMessage { error, repeats } => Self::BadMessage {
                source: "message",
                message: Phrase(error),
                repeats: *repeats,
            },
            Event::TokenRequired { refresh } => Self::TokenRequired { refresh: *refresh },
        }
    }
}

/// `pusher` or `centrifugo`.
const fn transport_name(t: Transport) -> &'static str {
    match t {
        Transport::Pusher => "pusher",
        Transport::Centrifugo => "centrifugo",
    }
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use super::*;
    use crate::conn::State;
    use crate::text::Text;

    fn json(e: &Event) -> std::string::String {
        serde_json::to_string(e).unwrap_or_default()
    }

    // The expected texts are written by hand from the browser package's event names
    // (wasm/types/events.d.ts) and the phrases of `Reason` and `DecodeError`.

    #[test]
    fn connection_events() {
        let e = Event::StateChanged {
            previous: State::Connecting,
            current: State::Connected,
        };
        assert_eq!(
            json(&e),
            r#"{"type":"StateChanged","previous":"connecting","current":"connected"}"#
        );
        let e = Event::Connected {
            transport: Transport::Centrifugo,
            socket_id: Text::from_str_truncating("9653343560.2258681798"),
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Connected","transport":"centrifugo","socketId":"9653343560.2258681798"}"#
        );
        let e = Event::Reconnecting {
            after: Duration::from_millis(1351),
            reason: Reason::ServerRequest(4200),
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Reconnecting","afterMs":1351,"reason":"server asked to reconnect (4200)"}"#
        );
        let e = Event::Disconnected {
            code: None,
            reason: Text::new(),
            will_retry: false,
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Disconnected","code":null,"reason":"","willRetry":false}"#
        );
        let e = Event::TokenRequired { refresh: true };
        assert_eq!(json(&e), r#"{"type":"TokenRequired","refresh":true}"#);
    }

    #[test]
    fn channel_events() {
        let channel = Text::from_str_truncating("chatrooms.1.v2");
        let e = Event::Subscribed {
            channel: channel.clone(),
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Subscribed","channel":"chatrooms.1.v2"}"#
        );
        let e = Event::SubscriptionTimedOut {
            channel: channel.clone(),
        };
        assert_eq!(
            json(&e),
            r#"{"type":"SubscriptionTimedOut","channel":"chatrooms.1.v2"}"#
        );
        let e = Event::SubscriptionError {
            channel,
            code: Some(4009),
            message: Text::from_str_truncating("\"no\"\n"),
        };
        assert_eq!(
            json(&e),
            r#"{"type":"SubscriptionError","channel":"chatrooms.1.v2","code":4009,"message":"\"no\"\n"}"#
        );
    }

    #[test]
    fn errors_by_source() {
        let e = Event::ServerError {
            code: Some(4301),
            message: Text::from_str_truncating("rate limit"),
            repeats: 39,
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Error","source":"server","code":4301,"message":"rate limit","repeats":39}"#
        );
        let e = Event::BadMessage {
            error: DecodeError::NotAnEvent,
            repeats: 0,
        };
        assert_eq!(
            json(&e),
            r#"{"type":"Error","source":"message","message":"not a Pusher or Centrifugo event message","repeats":0}"#
        );
    }
}
