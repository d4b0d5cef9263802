//! The browser's lifecycle events against proto's JSON of them (`serde`, what the CLI prints):
//! the same names, keys and values, so that the two front ends read alike. Two writers, one
//! shape: the browser's (`[number,values…]`, with no serde in the module it ships, which
//! kickwire.js makes `["Name",{fields}]` with its `LIFE` and `TEXTS`) must say what proto's
//! says (`{"type":"Name",fields}`). And the numbers kickwire.js calls `kw_drive`, `kw_poll`
//! and `kw_buffer` with.

use core::time::Duration;

use kickwire_proto::Transport;
use kickwire_proto::conn::{Event, Reason, State};
use kickwire_proto::{DecodeError, Text};
use serde_json::Value;

use super::write_event;
use crate::json::Json;
use crate::text::Said;
use crate::text::tests::say;

/// The API's JavaScript, which holds the events' names and keys.
const KICKWIRE_JS: &str = include_str!("../../js/kickwire.js");

/// `LIFE` of kickwire.js: `const LIFE = "…".split("|");`, each entry's words.
fn life() -> Vec<Vec<&'static str>> {
    let start = "const LIFE = \"";
    let at = KICKWIRE_JS.find(start).expect("kickwire.js has LIFE");
    let rest = &KICKWIRE_JS[at + start.len()..];
    let (entries, after) = rest.split_once('"').expect("the table's string ends");
    assert!(after.starts_with(".split(\"|\");"), "LIFE: {after:.20}");
    entries.split('|').map(|e| e.split(' ').collect()).collect()
}

/// What `_pump` of kickwire.js makes of what `kw_poll` wrote (its `EVENT`), `[number, ...values]`: the
/// event's name and an object of its values under the keys of `LIFE[number]`, a value sent
/// as numbers (an array, `[text, number, inner]`) turned into its text (`said`).
fn as_javascript_reads_it(event: Value) -> Value {
    let mut values = event.as_array().unwrap().clone();
    let number = values.remove(0).as_u64().unwrap() as usize;
    let life = life();
    let (name, keys) = life[number].split_first().unwrap();
    let mut fields = serde_json::Map::new();
    for (i, key) in keys.iter().enumerate() {
        // A value missing is `undefined`, which no JSON has: the comparison then fails.
        let v = values
            .get(i)
            .cloned()
            .unwrap_or(Value::String("undefined".into()));
        let v = match v.as_array() {
            Some(a) => {
                let at = |i: usize| a.get(i).and_then(Value::as_u64);
                Value::String(say(Said {
                    text: at(0).unwrap().try_into().unwrap(),
                    number: at(1),
                    inner: at(2).map(|i| i.try_into().unwrap()),
                }))
            }
            None => v,
        };
        fields.insert((*key).to_string(), v);
    }
    assert_eq!(values.len(), keys.len(), "{name}: a value for each key");
    Value::Array(vec![
        Value::String((*name).to_string()),
        Value::Object(fields),
    ])
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

/// The calls of `export` in kickwire.js: its `n`th argument, `N /* NAME */`, as `(N, NAME)`.
fn numbered_calls(export: &str, n: usize) -> Vec<(&'static str, &'static str)> {
    KICKWIRE_JS
        .match_indices(&format!("{export}("))
        .map(|(at, _)| {
            let call = &KICKWIRE_JS[at..];
            let call = &call[..call.find(" */").expect("a number's name")];
            let (args, name) = call.rsplit_once(" /* ").expect("a number's name");
            let args = &args[export.len() + 1..];
            let args: Vec<&str> = args.split(", ").collect();
            assert_eq!(args.len(), n + 1, "the number is argument {n}: {call}");
            (args[n], name)
        })
        .collect()
}

/// kickwire.js calls `kw_drive`, `kw_poll` and `kw_buffer` with the numbers written out (`0 /* CONNECT
/// */`: esbuild keeps named constants as variables): each must be the constant it names, and
/// each constant is used.
#[test]
fn the_javascript_calls_with_the_right_numbers() {
    use super::{
        CLOSED, CONNECT, DISCONNECT, EVENT, OPENED, SET_TOKEN, STATE, SUBSCRIBE, TIMEOUT,
        TOKEN_FAILED, TRANSMIT,
    };
    use crate::shared::{INPUT_AT, INPUT_SIZE, OUTPUT_AT};
    let drives = [
        ("CLOSED", CLOSED),
        ("CONNECT", CONNECT),
        ("DISCONNECT", DISCONNECT),
        ("OPENED", OPENED),
        ("TIMEOUT", TIMEOUT),
        ("TOKEN_FAILED", TOKEN_FAILED),
        ("SUBSCRIBE", SUBSCRIBE),
        ("SET_TOKEN", SET_TOKEN),
    ];
    let polls = [("TRANSMIT", TRANSMIT), ("EVENT", EVENT), ("STATE", STATE)];
    let buffers = [
        ("INPUT_AT", INPUT_AT),
        ("OUTPUT_AT", OUTPUT_AT),
        ("INPUT_SIZE", INPUT_SIZE),
    ];
    for (export, n, consts, calls) in [
        // CLOSED twice (a socket that could not be made, one that closed), SET_TOKEN twice
        // (the token given, one fetched).
        ("kw_drive", 2, &drives[..], drives.len() + 2),
        ("kw_poll", 1, &polls[..], polls.len()),
        ("kw_buffer", 0, &buffers[..], buffers.len()),
    ] {
        let found = numbered_calls(export, n);
        assert_eq!(found.len(), calls, "{export}: {found:?}");
        for (name, value) in consts {
            assert!(
                found
                    .iter()
                    .any(|c| *c == (value.to_string().as_str(), *name)),
                "{export}: {name} is {value}: {found:?}"
            );
        }
        for (number, name) in &found {
            assert!(
                consts
                    .iter()
                    .any(|(n, v)| n == name && v.to_string() == *number),
                "{export}: {number} /* {name} */"
            );
        }
    }
}
