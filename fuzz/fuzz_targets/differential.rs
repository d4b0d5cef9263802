//! Differential test against serde_json on what both should agree on.
//!
//! When serde_json accepts the input as a JSON object whose `"event"` and `"data"` are strings
//! (a Pusher frame), our envelope parser must accept it too, `unescape_into` of the raw `data`
//! must give exactly serde_json's string, and `event`/`channel` must compare equal through
//! `EscapedStr::eq_str`. When serde_json also accepts that `data` string as a JSON object, our
//! payload decoder must accept it and read the same top-level strings.
//!
//! Inputs where we are deliberately more lenient or different are skipped, not failed:
//! - serde_json rejects it (lone surrogates, raw control chars in strings, invalid UTF-8,
//!   out-of-range numbers, trailing bytes): nothing to compare;
//! - an object key written with escapes (`"d\u0061ta"`): we match keys on their raw bytes, as
//!   Kick never escapes keys (detected by deserializing keys as borrowed `&str`, which serde_json
//!   refuses for escaped strings);
//! - nesting deeper than 100: the two depth limits (ours 128 per skipped value, serde_json's 128
//!   recursion) are not counted alike;
//! - duplicate members inside nested objects (we merge them, serde_json keeps the last): only
//!   top-level strings are compared, where both keep the last.
#![no_main]

use std::collections::BTreeMap;

use kickwire_proto::envelope::{Data, Envelope, envelopes};
use kickwire_proto::json::unescape_into;
use kickwire_proto::kick::Event;
use kickwire_proto::limits;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// A JSON object with unescaped top-level keys, or `None`.
fn object(text: &[u8]) -> Option<BTreeMap<&str, Value>> {
    let map: BTreeMap<&str, Value> = serde_json::from_slice(text).ok()?;
    if map.values().map(depth).max().unwrap_or(0) > 100 {
        return None;
    }
    Some(map)
}

/// Compares a top-level string member of the payload with what we decoded into a `Text<N>`.
fn same_text(json: &BTreeMap<&str, Value>, key: &str, ours: &str, truncated: bool, cap: usize) {
    if let Some(Value::String(s)) = json.get(key) {
        if s.len() <= cap {
            assert_eq!(ours, s, "payload member {key:?}");
            assert!(
                !truncated,
                "payload member {key:?} fits but was flagged truncated"
            );
        } else {
            assert!(
                truncated,
                "payload member {key:?} over capacity but not flagged"
            );
            assert!(s.starts_with(ours), "payload member {key:?}: not a prefix");
            assert!(cap - ours.len() < 4, "payload member {key:?} cut too short");
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let Some(frame) = object(input) else { return };
    let (Some(Value::String(event)), Some(Value::String(data))) =
        (frame.get("event"), frame.get("data"))
    else {
        return;
    };

    let first = envelopes(input).next();
    let Some(Ok(Envelope::Pusher {
        event: raw_event,
        channel: raw_channel,
        data: raw_data,
    })) = first
    else {
        panic!("serde_json accepts this Pusher frame, our envelope parser gave {first:?}");
    };
    assert!(
        raw_event.eq_str(event),
        "event name differs from serde_json's {event:?}"
    );
    match (frame.get("channel"), raw_channel) {
        (Some(Value::String(c)), Some(raw)) => assert!(raw.eq_str(c), "channel differs from {c:?}"),
        (Some(Value::String(c)), None) => panic!("channel {c:?} not found"),
        (_, Some(raw)) => panic!(
            "channel {raw:?} where serde_json has {:?}",
            frame.get("channel")
        ),
        (_, None) => {}
    }
    let Data::String(raw) = raw_data else {
        panic!("data is a string for serde_json, {raw_data:?} for us");
    };
    let mut buf = vec![0u8; raw.raw().len()];
    let n = unescape_into(raw.raw(), &mut buf).expect("serde_json decoded this string");
    assert_eq!(
        &buf[..n],
        data.as_bytes(),
        "unescaped data differs from serde_json's"
    );

    // The payload, as a chat message: the top-level strings must come out the same.
    let payload = data.as_bytes();
    if serde_json::from_slice::<Value>(payload).is_ok_and(|v| depth(&v) <= 100) {
        // Any well-formed JSON is accepted where the payload is not read.
        Event::decode("App\\Events\\PinnedMessageDeletedEvent", payload)
            .expect("well-formed JSON payload refused");
    }
    let Some(inner) = object(payload) else { return };
    let decoded = Event::decode("App\\Events\\ChatMessageEvent", payload);
    let Ok(Event::ChatMessage(m)) = decoded else {
        panic!("serde_json accepts this payload object, we gave {decoded:?}");
    };
    same_text(
        &inner,
        "content",
        &m.content,
        m.content.is_truncated(),
        limits::MESSAGE,
    );
    same_text(&inner, "id", &m.id, m.id.is_truncated(), limits::ID);
    same_text(
        &inner,
        "type",
        &m.kind,
        m.kind.is_truncated(),
        limits::SHORT,
    );
    if let Some(Value::Number(id)) = inner.get("chatroom_id") {
        if let Some(id) = id.as_u64() {
            assert_eq!(m.chatroom_id, id);
        }
    }
});
