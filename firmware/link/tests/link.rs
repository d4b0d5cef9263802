//! The WebSocket link against hand-made byte sequences: the upgrade (and a first frame in the
//! same read as the 101), fragmented messages, ping and pong, close frames both ways, and the
//! failures that end a socket.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_proto::conn::{Event, Reason, State};
use link_common::*;

#[test]
fn connect_asks_for_tcp_then_writes_the_upgrade_request() {
    let mut h = Harness::standard();
    let now = h.now();
    h.link.connection_mut().connect(now);
    let out = h.drain();
    assert_eq!(
        out[0],
        Out::Connect {
            host: "127.0.0.1".into(),
            port: 6001,
            tls: false,
            target: "/app/key?protocol=7".into()
        }
    );
    assert!(writes(&out).is_empty());
    h.link.handle_connected(h.now());
    let out = h.drain();
    assert_eq!(writes(&out), vec![REQUEST.as_bytes().to_vec()]);
    assert!(!h.link.is_open());
}

#[test]
fn the_101_and_the_first_frames_in_one_read() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    // The response, the handshake and a Kick event, all in one read: the codec's blocking
    // Framer would lose what follows the response.
    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    let out = h.feed(&bytes);
    assert!(h.link.is_open());
    assert_eq!(h.link.connection().state(), State::Connected);
    let connected = events(&out)
        .into_iter()
        .any(|e| matches!(e, Event::Connected { socket_id, .. } if socket_id.as_str() == "1.2"));
    assert!(connected, "{out:?}");
    // The subscription goes out, masked (with a zero key).
    assert_eq!(writes(&out), vec![client_frame(0x81, SUBSCRIBE.as_bytes())]);
    // And the Kick event came through.
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
}

#[test]
fn a_fragmented_message_with_a_ping_in_between() {
    let mut h = Harness::standard();
    h.reach_connected();
    let text = SUBSCRIPTION.as_bytes();
    let mut bytes = frame(0x01, &text[..40]); // text, not final
    bytes.extend(frame(0x89, b"hi")); // a control frame may come between fragments
    bytes.extend(frame(0x00, &text[40..100])); // continuation
    bytes.extend(frame(0x80, &text[100..])); // continuation, final
    let out = h.feed(&bytes);
    assert_eq!(writes(&out), vec![client_frame(0x8A, b"hi")]);
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
    // The pong went out before the message was complete.
    let pong = out.iter().position(|o| matches!(o, Out::Write(_))).unwrap();
    let kick = out.iter().position(|o| matches!(o, Out::Kick(_))).unwrap();
    assert!(pong < kick);
}

#[test]
fn a_bad_event_is_reported_and_the_next_one_in_the_message_still_comes() {
    let mut h = Harness::standard();
    h.reach_connected();
    // Two envelopes in one message (one a line): the first's `data` has an escape JSON does
    // not have (`\q`), the second is the subscription.
    let text = format!(
        "{}\n{SUBSCRIPTION}",
        r#"{"event":"App\\Events\\ChatMessageEvent","data":"\q","channel":"chatrooms.2507974.v2"}"#
    );
    let out = h.feed(&frame(0x81, text.as_bytes()));
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
    let bad = events(&out)
        .iter()
        .filter(|e| matches!(e, Event::BadMessage { .. }))
        .count();
    assert_eq!(bad, 1, "{out:?}");
    assert!(h.link.is_open());
}

#[test]
fn pings_are_answered_with_their_payload() {
    let mut h = Harness::standard();
    h.reach_connected();
    let out = h.feed(&frame(0x89, b"ping"));
    assert_eq!(
        writes(&out),
        vec![vec![0x8A, 0x84, 0, 0, 0, 0, b'p', b'i', b'n', b'g']]
    );
    let out = h.feed(&frame(0x89, b""));
    assert_eq!(writes(&out), vec![vec![0x8A, 0x80, 0, 0, 0, 0]]);
    // A pong from the server needs nothing.
    assert!(h.feed(&frame(0x8A, b"x")).is_empty());
}

#[test]
fn everything_one_byte_at_a_time() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    let text = SUBSCRIPTION.as_bytes();
    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    bytes.extend(frame(0x01, &text[..70]));
    bytes.extend(frame(0x89, b"hi"));
    bytes.extend(frame(0x80, &text[70..]));
    let mut out = Vec::new();
    for b in &bytes {
        out.extend(h.feed(std::slice::from_ref(b)));
    }
    assert_eq!(
        writes(&out),
        vec![
            client_frame(0x81, SUBSCRIBE.as_bytes()),
            client_frame(0x8A, b"hi")
        ]
    );
    assert_eq!(kicks(&out), vec![Kick::subscription()]);
}

#[test]
fn a_server_close_is_echoed_closed_and_reported() {
    let mut h = Harness::standard();
    h.reach_connected();
    // 4200 (0x1068): Pusher's "reconnect at once", with a reason.
    let mut payload = vec![0x10, 0x68];
    payload.extend_from_slice(b"Server shutting down");
    let out = h.feed(&frame(0x88, &payload));
    // The reply echoes the code, then the socket is to be closed.
    assert_eq!(out[0], Out::Write(client_frame(0x88, &[0x10, 0x68])));
    assert_eq!(out[1], Out::Close);
    let disconnected = events(&out).into_iter().find_map(|e| match e {
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => Some((code, reason.as_str().to_string(), will_retry)),
        _ => None,
    });
    assert_eq!(
        disconnected,
        Some((Some(4200), "Server shutting down".to_string(), true))
    );
    assert!(!h.link.is_open());
    // The connection asks for a new socket when its retry timer fires.
    let at = h.link.poll_timeout().expect("a retry timer");
    h.now = at.as_millis();
    h.link.handle_timeout(h.now());
    let out = h.drain();
    assert!(matches!(out[0], Out::Connect { port: 6001, .. }), "{out:?}");
}

#[test]
fn a_pusher_4000_close_moves_the_link_to_tls_for_good() {
    // Pusher's 4000 means "this app only accepts TLS": the next socket is `wss://`, to the
    // same host, port and path (the URL names its port, so it stays 6001).
    let mut h = Harness::standard();
    h.reach_connected();
    let out = h.feed(&frame(0x88, &[0x0f, 0xa0]));
    assert_eq!(out[0], Out::Write(client_frame(0x88, &[0x0f, 0xa0])));
    assert_eq!(out[1], Out::Close);
    let mut connects = Vec::new();
    for _ in 0..3 {
        if !connects.is_empty() {
            break;
        }
        let at = h.link.poll_timeout().expect("a timer for the new socket");
        h.now = at.as_millis();
        h.link.handle_timeout(h.now());
        connects.extend(
            h.drain()
                .into_iter()
                .filter(|o| matches!(o, Out::Connect { .. })),
        );
    }
    let tls_connect = Out::Connect {
        host: "127.0.0.1".into(),
        port: 6001,
        tls: true,
        target: "/app/key?protocol=7".into(),
    };
    assert_eq!(connects, vec![tls_connect.clone()]);
    // A socket that cannot be opened is retried over TLS again, never back over plain TCP.
    h.link.handle_connect_failed(h.now(), "no route");
    let at = h.link.poll_timeout().expect("a retry timer");
    h.now = at.as_millis();
    h.link.handle_timeout(h.now());
    let out = h.drain();
    assert!(out.contains(&tls_connect), "{out:?}");
}

#[test]
fn our_close_writes_a_close_frame_then_closes() {
    let mut h = Harness::standard();
    h.reach_connected();
    let now = h.now();
    h.link.connection_mut().disconnect(now);
    let out = h.drain();
    // 1000 = 0x03E8.
    assert_eq!(out[0], Out::Write(client_frame(0x88, &[0x03, 0xE8])));
    assert_eq!(out[1], Out::Close);
    assert_eq!(h.link.connection().state(), State::Disconnected);
    assert_eq!(h.link.poll_timeout(), None);
}

#[test]
fn an_upgrade_refused_is_a_failed_open() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    let out = h.feed(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(out[0], Out::Close);
    let evs = events(&out);
    assert!(evs.iter().any(|e| matches!(e,
        Event::Disconnected { reason, will_retry: true, .. } if reason.as_str() == "upgrade refused: HTTP 404")));
    assert!(evs.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::OpenFailed,
            ..
        }
    )));
}

#[test]
fn a_wrong_accept_value_is_refused() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    let bad = RESPONSE.replace(
        "ICX+Yqv66kxgM0FcWaLWlFLwTAI=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    let out = h.feed(bad.as_bytes());
    assert_eq!(out[0], Out::Close);
    assert!(!h.link.is_open());
}

#[test]
fn no_upgrade_in_time() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    // Connect was asked for at 0 ms: the 10 s upgrade timeout counts from there.
    assert_eq!(h.link.poll_timeout().map(|t| t.as_millis()), Some(10_000));
    h.now = 10_000;
    h.link.handle_timeout(h.now());
    let out = h.drain();
    assert_eq!(out[0], Out::Close);
    assert!(events(&out).iter().any(|e| matches!(e,
        Event::Disconnected { reason, .. } if reason.as_str() == "no WebSocket upgrade in time")));
}

#[test]
fn the_stream_ending_is_reported_once() {
    let mut h = Harness::standard();
    h.reach_connected();
    h.link.handle_closed(h.now(), "connection reset");
    let out = h.drain();
    assert!(!out.contains(&Out::Close), "the socket is already gone");
    assert!(events(&out).iter().any(|e| matches!(e,
        Event::Disconnected { code: None, reason, will_retry: true } if reason.as_str() == "connection reset")));
    // A second report of the same socket changes nothing.
    h.link.handle_closed(h.now(), "again");
    assert!(h.drain().is_empty());
}

#[test]
fn wss_is_reported_and_may_be_refused() {
    let url = "wss://ws-us2.pusher.com/app/32cbd69e4b950bf97679?protocol=7";
    let mut h = Harness::new(url, 1536, 4096, 1024);
    let now = h.now();
    h.link.connection_mut().connect(now);
    let out = h.drain();
    assert_eq!(
        out[0],
        Out::Connect {
            host: "ws-us2.pusher.com".into(),
            port: 443,
            tls: true,
            target: "/app/32cbd69e4b950bf97679?protocol=7".into()
        }
    );
    h.link
        .handle_connect_failed(h.now(), "TLS is not supported");
    let out = h.drain();
    assert!(events(&out).iter().any(|e| matches!(e,
        Event::Disconnected { reason, .. } if reason.as_str() == "TLS is not supported")));
}
