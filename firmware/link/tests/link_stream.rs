//! The link with small buffers and awkward input: a real Kick frame streamed through an rx
//! buffer smaller than it, a message too big for the message buffer (dropped, or refused with
//! close 1009), binary messages and fragments out of order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_link::{Config, TooBig};
use kickwire_proto::Text;
use kickwire_proto::conn::Event;
use kickwire_proto::kick::EventKind;
use link_common::*;

/// The first line of the ChatMessageEvent vector (395 bytes).
fn chat_vector() -> Vec<u8> {
    let all = include_str!("../../../tests/vectors/kick/ChatMessageEvent.jsonl");
    all.lines().next().unwrap().as_bytes().to_vec()
}

/// That line's `data` string unescaped by hand (each `\"` a `"`; it has no other escape).
const CHAT_PAYLOAD: &str = r##"{"id":"b2af4980-9dfa-4822-960d-0e64704e2ced","chatroom_id":2507974,"content":"more in premiere","type":"message","created_at":"2023-12-24T22:05:00+00:00","sender":{"id":1247649,"username":"tayloredbydrew","slug":"tayloredbydrew","identity":{"color":"#FF9D00","badges":[]}}}"##;

fn assert_chat(out: &[Out]) {
    let chat = Kick {
        kind: EventKind::ChatMessage,
        channel: CHANNEL.into(),
        payload: CHAT_PAYLOAD.into(),
    };
    assert_eq!(kicks(out), vec![chat]);
}

#[test]
fn a_frame_longer_than_rx_streams_through_in_pieces() {
    // rx 256 < the 395-byte frame (with its 4-byte header): the payload passes through rx
    // into the message buffer in reads of 100 bytes.
    let mut h = Harness::new(URL, 256, 1024, 512);
    h.reach_connected();
    let text = chat_vector();
    assert!(text.len() > 256);
    let bytes = frame(0x81, &text);
    let out = h.feed_in_reads(&bytes, 100);
    assert_chat(&out);
}

#[test]
fn a_fragmented_message_in_pieces_through_a_small_rx() {
    let mut h = Harness::new(URL, 256, 1024, 512);
    h.reach_connected();
    let text = chat_vector();
    let mut bytes = frame(0x01, &text[..200]);
    bytes.extend(frame(0x00, &text[200..300]));
    bytes.extend(frame(0x89, b"between"));
    bytes.extend(frame(0x80, &text[300..]));
    let out = h.feed_in_reads(&bytes, 7);
    assert_eq!(writes(&out), vec![client_frame(0x8A, b"between")]);
    assert_chat(&out);
}

#[test]
fn a_message_too_big_is_dropped_and_the_next_one_arrives() {
    // A 256-byte message buffer cannot hold the 395-byte chat message.
    let mut h = Harness::new(URL, 1024, 256, 512);
    h.reach_connected();
    let mut bytes = frame(0x81, &chat_vector());
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    let out = h.feed(&bytes);
    assert_eq!(h.link.dropped_messages(), 1);
    assert!(h.link.is_open());
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
}

/// A link that refuses messages over its `message`-byte buffer (`TooBig::Close`).
fn refusing(message: usize) -> Harness {
    let config = Config {
        too_big: TooBig::Close,
        ..Config::default()
    };
    let mut h = Harness::with_config(Zero, URL, [1024, message, 512], config);
    h.reach_connected();
    h
}

/// The close frame 1009 with RFC 6455's name for it, as the link writes it with [`Zero`].
fn close_1009() -> Vec<u8> {
    client_frame(0x88, b"\x03\xf1message too big")
}

/// The refusal, in order: the close frame, the close, then the connection's `Disconnected`
/// with code 1009 and the size against the limit.
fn assert_refused(out: &[Out], size: usize, limit: usize) {
    let write = out.iter().position(|o| *o == Out::Write(close_1009()));
    let close = out.iter().position(|o| *o == Out::Close);
    let reason = format!("message too big: {size} bytes, limit {limit}");
    let disconnected = out.iter().position(|o| {
        *o == Out::Event(Event::Disconnected {
            code: Some(1009),
            reason: Text::from_str_truncating(&reason),
            will_retry: true,
        })
    });
    assert!(
        matches!((write, close, disconnected), (Some(w), Some(c), Some(d)) if w < c && c < d),
        "{out:?}"
    );
}

#[test]
fn a_message_too_big_is_refused_with_1009_at_its_header() {
    let mut h = refusing(394);
    let bytes = frame(0x81, &chat_vector());
    // The header and a few bytes of the 395-byte payload: refused before the rest arrives.
    let out = h.feed(&bytes[..20]);
    assert_refused(&out, 395, 394);
    assert!(kicks(&out).is_empty());
    assert!(!h.link.is_open());
    assert!(h.link.closes_mid_message());
    assert_eq!(h.link.dropped_messages(), 0, "refused, not dropped");
}

#[test]
fn a_message_that_just_fits_is_not_refused() {
    let mut h = refusing(395);
    let out = h.feed(&frame(0x81, &chat_vector()));
    assert_chat(&out);
    assert!(h.link.is_open());
    assert!(!h.link.closes_mid_message());
}

#[test]
fn a_fragmented_message_is_refused_at_the_fragment_that_overflows() {
    let mut h = refusing(256);
    let text = chat_vector();
    // 200 bytes fit; the next fragment's header says 100 more: 300 in all.
    let mut bytes = frame(0x01, &text[..200]);
    bytes.extend(frame(0x00, &text[200..300]));
    let out = h.feed(&bytes);
    assert_refused(&out, 300, 256);
}

#[test]
fn the_next_socket_is_not_closed_mid_message() {
    let mut h = refusing(256);
    h.feed(&frame(0x81, &chat_vector()));
    assert!(h.link.closes_mid_message());
    // The connection reconnects after its back-off (at most a few seconds): the new socket
    // starts clean.
    let mut reconnected = false;
    for _ in 0..100 {
        h.now += 100;
        let now = h.now();
        h.link.handle_timeout(now);
        if h.drain().iter().any(|o| matches!(o, Out::Connect { .. })) {
            reconnected = true;
            break;
        }
    }
    assert!(reconnected);
    assert!(!h.link.closes_mid_message());
}

#[test]
fn binary_messages_are_dropped() {
    let mut h = Harness::standard();
    h.reach_connected();
    let mut bytes = frame(0x02, b"\x00\x01");
    bytes.extend(frame(0x80, b"\x02"));
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    let out = h.feed(&bytes);
    assert_eq!(h.link.dropped_messages(), 1);
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
}

#[test]
fn a_continuation_with_no_message_ends_the_socket() {
    let mut h = Harness::standard();
    h.reach_connected();
    let out = h.feed(&frame(0x80, b"stray"));
    assert_eq!(out[0], Out::Close);
    assert!(events(&out).iter().any(|e| matches!(e,
        Event::Disconnected { reason, .. } if reason.as_str() == "WebSocket protocol error: unexpected fragment")));
}

#[test]
fn an_upgrade_response_that_cannot_fit_rx_ends_the_socket() {
    let mut h = Harness::new(URL, 256, 1024, 512);
    h.reach_upgrading();
    let mut head = String::from("HTTP/1.1 101 Switching Protocols\r\n");
    for i in 0..10 {
        head.push_str(&format!("X-Padding-{i}: {}\r\n", "x".repeat(30)));
    }
    let out = h.feed(head.as_bytes());
    assert!(out.contains(&Out::Close), "{out:?}");
    assert!(events(&out).iter().any(|e| matches!(e,
        Event::Disconnected { reason, .. } if reason.as_str() == "the upgrade response does not fit the rx buffer")));
}

#[test]
fn memory_of_a_link() {
    // What a board spends on the link besides its three buffers: the connection, the codec,
    // the URL and a control frame. No decoded Kick event: the closure gets JSON events in the
    // message buffer, so the link is the connection plus well under a typed `Message` (the
    // slot it used to keep; printed for the report).
    type L = kickwire_link::Link<'static, Zero>;
    let link = std::mem::size_of::<L>();
    let conn = std::mem::size_of::<kickwire_proto::conn::Connection>();
    let message = std::mem::size_of::<kickwire_proto::Message>();
    eprintln!("link {link} B (connection {conn} B; a typed Kick event would be {message} B)");
    assert!(link < conn + message, "{link}");
    assert!(link < 24 * 1024, "{link}");
}
