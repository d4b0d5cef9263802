//! The link's frame rules (RFC 6455 section 5) against hand-written server frames: lengths in
//! all three forms, frames in any number of reads or many in one, close frames, and the
//! frames a server must not send, which the link answers with a close of status 1002.
//! Regression tests for the bugs of embedded-websocket 0.9.5, the codec the link used to
//! run on, are named `regression_*`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_proto::conn::Event;
use link_common::*;

/// The close frame the link writes on a protocol error: FIN + close, masked with a zero key
/// ([`Zero`]), status 1002 = 0x03ea.
const CLOSE_1002: [u8; 8] = [0x88, 0x82, 0, 0, 0, 0, 0x03, 0xea];

/// A server frame with the 64-bit length form (legal for any length, if not minimal).
fn frame64(b0: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![b0, 127];
    f.extend_from_slice(&(payload.len() as u64).to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// The `Disconnected` event's code and reason.
fn disconnected(out: &[Out]) -> Option<(Option<u16>, String)> {
    events(out).into_iter().find_map(|e| match e {
        Event::Disconnected { code, reason, .. } => Some((code, reason.as_str().to_string())),
        _ => None,
    })
}

/// Feeds `bytes` to a connected link: they must be answered with close 1002, then the socket
/// closed, and the connection told `reason`.
fn assert_protocol_error(bytes: &[u8], reason: &str) {
    let mut h = Harness::standard();
    h.reach_connected();
    let out = h.feed(bytes);
    assert_eq!(
        out[..2],
        [Out::Write(CLOSE_1002.to_vec()), Out::Close],
        "{bytes:02x?}"
    );
    assert_eq!(disconnected(&out), Some((None, reason.to_string())));
    assert!(!h.link.is_open());
}

#[test]
fn a_masked_server_frame_is_a_protocol_error() {
    // RFC 6455 section 5.7's masked "Hello": right from a client, wrong from a server.
    let masked = [
        0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
    ];
    assert_protocol_error(&masked, "WebSocket protocol error: masked server frame");
}

#[test]
fn reserved_bits_and_reserved_opcodes_are_protocol_errors() {
    // RSV1 (0x40: permessage-deflate's bit, never agreed on), RSV2, RSV3.
    for b0 in [0xc1, 0xa1, 0x91] {
        assert_protocol_error(
            &frame(b0, b"{}"),
            "WebSocket protocol error: reserved bits set",
        );
    }
    // Data opcodes 3-7 and control opcodes 11-15.
    for b0 in [0x83, 0x87, 0x8b, 0x8f] {
        assert_protocol_error(&frame(b0, b""), "WebSocket protocol error: reserved opcode");
    }
}

#[test]
fn control_frames_over_125_bytes_or_fragmented_are_protocol_errors() {
    // A 126-byte ping: refused at its header, before its payload.
    assert_protocol_error(
        &[0x89, 126, 0, 126],
        "WebSocket protocol error: bad control frame",
    );
    // A ping without FIN.
    assert_protocol_error(
        &frame(0x09, b"hi"),
        "WebSocket protocol error: bad control frame",
    );
    // 125 bytes is still fine.
    let mut h = Harness::standard();
    h.reach_connected();
    let payload = [b'p'; 125];
    let out = h.feed(&frame(0x89, &payload));
    let mut pong = vec![0x8a, 0x80 | 125, 0, 0, 0, 0];
    pong.extend_from_slice(&payload);
    assert_eq!(writes(&out), vec![pong]);
}

#[test]
fn bad_close_frames_are_protocol_errors() {
    // A 1-byte payload: half a status code.
    assert_protocol_error(
        &frame(0x88, &[0x03]),
        "WebSocket protocol error: bad close frame",
    );
    // 1005 (no status) and 1006 (abnormal closure) are for reports, never on the wire; 999
    // is below every range.
    for code in [1005u16, 1006, 999] {
        assert_protocol_error(
            &frame(0x88, &code.to_be_bytes()),
            "WebSocket protocol error: bad close frame",
        );
    }
}

#[test]
fn a_64_bit_length_of_the_top_bit_is_a_protocol_error() {
    assert_protocol_error(
        &[0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 5],
        "WebSocket protocol error: frame length over 2^63",
    );
}

#[test]
fn the_three_length_forms() {
    let mut h = Harness::standard();
    h.reach_connected();
    // 150 bytes in the 16-bit form (as `frame` writes it), then in the 64-bit form.
    let mut bytes = frame(0x81, SUBSCRIPTION.as_bytes());
    assert_eq!(&bytes[..4], &[0x81, 126, 0, 150]);
    bytes.extend(frame64(0x81, SUBSCRIPTION.as_bytes()));
    // A 7-bit length: a 4-byte fragment, then the rest in the 64-bit form.
    let text = SUBSCRIPTION.as_bytes();
    bytes.extend(frame(0x01, &text[..4]));
    assert_eq!(&bytes[bytes.len() - 6..bytes.len() - 4], &[0x01, 4]);
    bytes.extend(frame64(0x80, &text[4..]));
    let out = h.feed(&bytes);
    assert_eq!(kicks(&out), vec![Kick::subscription(); 3]);
}

#[test]
fn a_message_over_64_kib_streams_past_a_small_buffer_and_is_dropped() {
    // 70 000 bytes (a 64-bit length) through a 256-byte rx into a 1 KiB message buffer: the
    // message is counted as dropped, the socket stays, and the next message arrives.
    let mut h = Harness::new(URL, 256, 1024, 512);
    h.reach_connected();
    let mut bytes = frame64(0x81, &vec![b' '; 70_000]);
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    let out = h.feed_in_reads(&bytes, 1000);
    assert_eq!(h.link.dropped_messages(), 1);
    assert!(h.link.is_open());
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
}

#[test]
fn many_frames_in_one_read() {
    let mut h = Harness::standard();
    h.reach_connected();
    let mut bytes = Vec::new();
    for i in 0..3u8 {
        bytes.extend(frame(0x89, &[b'0' + i]));
        bytes.extend(frame(0x8a, b"unasked pong"));
        bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    }
    let out = h.feed(&bytes);
    assert_eq!(
        writes(&out),
        vec![
            client_frame(0x8a, b"0"),
            client_frame(0x8a, b"1"),
            client_frame(0x8a, b"2")
        ]
    );
    assert_eq!(kicks(&out), vec![Kick::subscription(); 3]);
}

#[test]
fn regression_fragments_read_in_pieces_of_every_size() {
    // embedded-websocket read the next frame's header as payload after a non-final fragment
    // read in pieces, and failed a final continuation read in pieces.
    let text = SUBSCRIPTION.as_bytes();
    let mut bytes = frame(0x01, &text[..50]);
    bytes.extend(frame(0x00, &text[50..51])); // a 1-byte middle fragment
    bytes.extend(frame(0x89, b"mid"));
    bytes.extend(frame(0x00, &text[51..51])); // an empty one
    bytes.extend(frame(0x80, &text[51..]));
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    for size in 1..=bytes.len() {
        let mut h = Harness::standard();
        h.reach_connected();
        let out = h.feed_in_reads(&bytes, size);
        assert_eq!(
            kicks(&out),
            vec![Kick::subscription(); 2],
            "reads of {size}"
        );
        assert_eq!(
            writes(&out),
            vec![client_frame(0x8a, b"mid")],
            "reads of {size}"
        );
    }
}

#[test]
fn regression_a_close_frame_cut_short_keeps_its_code() {
    // embedded-websocket reported a close frame whose status code was cut between two reads
    // as 1011. Cut it at every byte.
    let mut payload = vec![0x10, 0x68]; // 4200
    payload.extend_from_slice(b"Server shutting down");
    let bytes = frame(0x88, &payload);
    for cut in 0..bytes.len() {
        let mut h = Harness::standard();
        h.reach_connected();
        let mut out = h.feed(&bytes[..cut]);
        assert!(out.is_empty(), "cut at {cut}: {out:?}");
        out.extend(h.feed(&bytes[cut..]));
        assert_eq!(
            out[0],
            Out::Write(client_frame(0x88, &[0x10, 0x68])),
            "cut at {cut}"
        );
        assert_eq!(out[1], Out::Close, "cut at {cut}");
        assert_eq!(
            disconnected(&out),
            Some((Some(4200), "Server shutting down".to_string())),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_close_without_a_status_is_answered_without_one() {
    let mut h = Harness::standard();
    h.reach_connected();
    let out = h.feed(&frame(0x88, b""));
    assert_eq!(out[..2], [Out::Write(client_frame(0x88, b"")), Out::Close]);
    assert_eq!(disconnected(&out), Some((None, String::new())));
}

#[test]
fn a_text_frame_inside_a_fragmented_message_ends_the_socket() {
    // As a continuation with no message before it (`link_stream`): a new message may not
    // begin before the last one's final fragment.
    let mut h = Harness::standard();
    h.reach_connected();
    let mut bytes = frame(0x01, b"{\"event\":");
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    let out = h.feed(&bytes);
    assert!(out.contains(&Out::Close), "{out:?}");
    assert!(kicks(&out).is_empty());
    assert_eq!(
        disconnected(&out).map(|d| d.1),
        Some("WebSocket protocol error: unexpected fragment".to_string())
    );
}
