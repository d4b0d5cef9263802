//! The browser's lifecycle events against proto's JSON of them (`serde`, what the CLI prints):
//! the same names, keys and values, so that the two front ends read alike. Two writers, one
//! shape: the browser's (`["Name",{fields}]`, with no serde in the module it ships, and its
//! texts as numbers that kickwire.js turns into its `TEXTS`) must say what proto's says
//! (`{"type":"Name",fields}`).

use core::time::Duration;

use kickwire_proto::Transport;
use kickwire_proto::conn::{Event, Reason, State};
use kickwire_proto::{DecodeError, Text};
use serde_json::Value;

use super::write_event;
use crate::json::Json;
use crate::text::Said;
use crate::text::tests::say;

/// What `_pump` of kickwire.js does to an event's fields: those sent as numbers (arrays,
/// `[text, number, inner]`) become their texts.
fn as_javascript_reads_it(mut event: Value) -> Value {
    let fields = event[1].as_object_mut().unwrap();
    for v in fields.values_mut() {
        if let Some(a) = v.as_array() {
            let at = |i: usize| a.get(i).and_then(Value::as_u64);
            let said = Said {
                text: at(0).unwrap().try_into().unwrap(),
                number: at(1),
                inner: at(2).map(|i| i.try_into().unwrap()),
            };
            *v = Value::String(say(said));
        }
    }
    event
}

/// One of each event the browser sees, with text that needs escaping where there is text.
fn events() -> Vec<Event> {
    vec![
        Event::StateChanged {
            previous: State::Connecting,
            current: State::Unavailable,
        },
        Event::Connected {
            transport: Transport::Pusher,
            socket_id: Text::from_str_truncating("1.2"),
        },
        Event::Subscribed {
            channel: Text::from_str_truncating("chatrooms.1.v2"),
        },
        Event::SubscriptionTimedOut {
            channel: Text::from_str_truncating("chatrooms.1.v2"),
        },
        Event::SubscriptionError {
            channel: Text::from_str_truncating("chatrooms.1.v2"),
            code: None,
            message: Text::from_str_truncating("\"quoted\"\tand\\"),
        },
        Event::Reconnecting {
            after: Duration::from_millis(2300),
            reason: Reason::Closed(Some(4200)),
        },
        Event::Disconnected {
            code: Some(1009),
            reason: Text::from_str_truncating("message too big"),
            will_retry: true,
        },
        Event::ServerError {
            code: Some(4301),
            message: Text::from_str_truncating("rate limit\u{1}"),
            repeats: 2,
        },
        Event::BadMessage {
            error: DecodeError::PayloadTooLarge { required: 20000 },
            repeats: 0,
        },
        Event::BadMessage {
            error: DecodeError::Syntax {
                layer: kickwire_proto::Layer::Envelope,
                error: kickwire_proto::SyntaxError::UnexpectedByte,
                offset: 0,
            },
            repeats: 3,
        },
        Event::Reconnecting {
            after: Duration::from_millis(1000),
            reason: Reason::PingTimeout,
        },
        Event::TokenRequired { refresh: true },
    ]
}

#[test]
fn the_browser_and_proto_write_each_event_alike() {
    for e in events() {
        let mut buf = [0u8; 512];
        let mut j = Json::new(&mut buf);
        assert!(write_event(&mut j, &e), "{e:?}");
        let n = j.finish() as usize;
        let browser = as_javascript_reads_it(serde_json::from_slice(&buf[..n]).unwrap());
        let mut proto = serde_json::to_value(&e).unwrap();
        let name = proto.as_object_mut().unwrap().remove("type").unwrap();
        assert_eq!(browser, Value::Array(vec![name, proto]), "{e:?}");
    }
}
