//! The one-pass decoder against the two-pass one. The input is `event_decode`'s (two bytes
//! that pick an event name, then a payload), and bit 7 of the second byte, which no name
//! choice uses (every kind has at most two wire names), picks how the payload is written into
//! a Pusher frame's `data` string: only `"`, `\` and control characters escaped, or also `/`
//! and every non-ASCII character as PHP's `json_encode` writes them (`\/`, `\u00e9`, surrogate
//! pairs). `decode` reads that frame's payload where it lies (the one-pass path, falling back
//! to the two-pass one for what it does not follow); `Event::decode` on the payload itself is
//! the two-pass path. They must agree exactly: the same event, or the same error, with
//! secrets kept and with secrets redacted (the payload then redacted first).
#![no_main]

use kickwire_proto::conn::{Config, Connection, Instant};
use kickwire_proto::kick::{Event, EventKind, PREFIX};
use kickwire_proto::{Message, Transport, decode, redact};
use libfuzzer_sys::fuzz_target;

/// As `event_decode`'s: a kind of the event table (or past its end an unknown name) and one of
/// its spellings.
fn event_name(kind: u8, spelling: u8) -> String {
    const UNKNOWN_NAMES: [&str; 2] = ["pusher:ping", "SomethingNewEvent"];
    let known = EventKind::ALL.len();
    let i = usize::from(kind) % (known + UNKNOWN_NAMES.len());
    let Some(&kind) = EventKind::ALL.get(i) else {
        return UNKNOWN_NAMES[i - known].to_owned();
    };
    let names = kind.wire_names();
    let base = names[usize::from(spelling >> 2) % names.len()];
    let prefix = if spelling & 1 != 0 { PREFIX } else { "" };
    let suffix = if spelling & 2 != 0 { "Event" } else { "" };
    format!("{prefix}{base}{suffix}")
}

/// `bytes` as the contents of a JSON string; bytes that are not UTF-8 are written as they are
/// (the decoder takes them, as it takes Kick's).
fn encode(bytes: &[u8], php: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '/' if php => out.extend_from_slice(b"\\/"),
                c if (c as u32) < 0x20 => {
                    out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
                }
                c if php && !c.is_ascii() => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                    }
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out.extend_from_slice(chunk.invalid());
    }
    out
}

/// What `decode` gives for the one envelope of `frame`.
fn one_pass(frame: &[u8], keep_secrets: bool) -> Result<Event, kickwire_proto::DecodeError> {
    let mut scratch = vec![0u8; frame.len()];
    let messages = decode(frame, &mut scratch);
    let mut messages = if keep_secrets {
        messages.keep_secrets()
    } else {
        messages
    };
    let item = messages.next().expect("the frame is one envelope");
    assert!(messages.next().is_none(), "the frame is one envelope");
    match item? {
        Message::Kick { event, .. } => Ok(event),
        other => panic!("not a Kick event: {other:?}"),
    }
}

/// The events a Pusher connection, past its handshake, gives for `frame` through
/// `Received::next_into` (which reads a `data` string in one pass too, secrets kept).
fn through_connection(frame: &[u8]) -> Vec<Event> {
    let url = "ws://127.0.0.1:6001/app/key?protocol=7";
    let mut conn = Connection::new(Transport::Pusher, url, Config::default()).unwrap();
    conn.connect(Instant::from_millis(0));
    let mut buf = [0u8; 1024];
    while conn.poll_transmit(&mut buf).ok().flatten().is_some() {}
    conn.handle_open(Instant::from_millis(1));
    let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
    conn.handle_message(Instant::from_millis(2), &mut hello)
        .for_each(drop);
    let mut bytes = frame.to_vec();
    let mut received = conn.handle_message(Instant::from_millis(3), &mut bytes);
    let mut out = Message::default();
    let mut events = Vec::new();
    while received.next_into(&mut out).is_some() {
        match &out {
            Message::Kick { event, .. } => events.push(event.clone()),
            other => panic!("not a Kick event: {other:?}"),
        }
    }
    events
}

fuzz_target!(|data: &[u8]| {
    let [kind, spelling, payload @ ..] = data else {
        return;
    };
    let name = event_name(*kind, *spelling & 0x7f);
    if name.starts_with("pusher:") {
        // Pusher's own events are the connection's, not decoded as Kick's.
        return;
    }
    let mut frame = br#"{"event":""#.to_vec();
    frame.extend_from_slice(name.replace('\\', "\\\\").as_bytes());
    frame.extend_from_slice(br#"","data":""#);
    frame.extend_from_slice(&encode(payload, *spelling & 0x80 != 0));
    frame.extend_from_slice(br#"","channel":"chatrooms.1.v2"}"#);

    let kept = Event::decode(&name, payload);
    assert_eq!(one_pass(&frame, true), kept, "secrets kept");
    // A connection gives the event, or reports the payload and gives nothing.
    let expected: Vec<Event> = kept.into_iter().collect();
    assert_eq!(through_connection(&frame), expected, "through a connection");
    let mut redacted = payload.to_vec();
    let len = redact::redact(&mut redacted).len;
    assert_eq!(
        one_pass(&frame, false),
        Event::decode(&name, &redacted[..len]),
        "secrets redacted"
    );
});
