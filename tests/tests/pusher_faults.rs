//! kickwire's Pusher connection (`kickwire_proto::conn`) against a scripted Pusher-protocol
//! server (`kickwire_tests::scripted`) that does what a real server will not do on demand:
//! refuse the handshake, close with any code, never answer a ping, hang after the upgrade, send
//! garbage. Close codes and their required reactions are those of
//! `docs/pusher-conformance.md` (pusher-js's `getCloseAction`, checklist items 2, 4, 5, 11, 16,
//! 19, 38, 40, 42, 44).
//!
//! Timings are measured on the server side, from its own log (when it closed, when the next
//! upgrade came), never taken from the connection under test. The connection's clock is the
//! driver's, in whole milliseconds: a timer of `d` ms can fire up to 1 ms before `d` real
//! milliseconds have passed, hence lower bounds such as 999 ms for a 1 s delay.

use std::time::{Duration, Instant};

use kickwire_proto::conn::{Config, Connection, Event, Reason, State};
use kickwire_proto::kick::Event as Kick;
use kickwire_proto::{DecodeError, Layer, SyntaxError};
use kickwire_proto::{Message, Transport};
use kickwire_tests::driver::{Driver, Seen, count};
use kickwire_tests::scripted::{Record, ScriptedServer};

const CHANNEL: &str = "chatrooms.2507974.v2";
const WAIT: Duration = Duration::from_secs(10);

/// Line 1 of `vectors/kick/ChatMessageEvent.jsonl`, a real frame on `chatrooms.2507974.v2`.
fn chat_frame() -> String {
    let path = kickwire_tests::vectors_dir().join("kick/ChatMessageEvent.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let line = text.lines().next().unwrap().to_owned();
    assert!(
        line.contains(r#""channel":"chatrooms.2507974.v2""#),
        "{line}"
    );
    line
}

/// A driver of a Pusher connection to `url`, subscribed to `channels`, connecting.
fn driver(url: &str, config: Config, channels: &[&str]) -> Driver {
    let mut conn = Connection::new(Transport::Pusher, url, config).unwrap();
    for c in channels {
        conn.subscribe(c).unwrap();
    }
    let mut d = Driver::new(conn);
    d.connect();
    d
}

/// The `Disconnected` events seen, as `(code, will_retry)`.
fn disconnects(d: &Driver) -> Vec<(Option<u16>, bool)> {
    d.disconnects()
        .into_iter()
        .map(|(code, _, will_retry)| (code, will_retry))
        .collect()
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// `b - a` in milliseconds (0 if `b` is earlier).
fn gap(a: Instant, b: Instant) -> u128 {
    ms(b.saturating_duration_since(a))
}

fn is_server_close(conn: usize) -> impl Fn(&Record) -> bool {
    move |r| matches!(r, Record::ServerClose { conn: c, .. } if *c == conn)
}

fn is_client_close(conn: usize) -> impl Fn(&Record) -> bool {
    move |r| matches!(r, Record::ClientClose { conn: c, .. } if *c == conn)
}

// ---------------------------------------------------------------------------------------------
// A refused handshake: no retry

#[test]
fn handshake_refused_with_error_4001_then_close_4001_is_final() {
    // What Pusher sends for an unknown app key: a first-frame pusher:error, then the close.
    let server = ScriptedServer::start(|peer| {
        peer.error(4001, "App key 32cbd69e4b950bf97679 not in this cluster. Did you forget to specify the cluster?");
        peer.close(4001, "App key not in this cluster");
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    assert!(
        d.run_until(WAIT, |seen| seen.iter().any(Seen::is_disconnected)),
        "{:?}",
        d.seen
    );
    // A retry after a first failure would come within 2 s (1 s back-off + under 1 s of
    // jitter); give it more than that.
    d.run_for(Duration::from_millis(2500));

    assert_eq!(d.conn().state(), State::Disconnected);
    assert_eq!(disconnects(&d), [(Some(4001), false)]);
    assert!(d.reconnects().is_empty(), "{:?}", d.seen);
    assert!(d.events().iter().any(|e| matches!(e,
        Event::ServerError { code: Some(4001), message, .. } if message.starts_with("App key 32cbd69e4b950bf97679 not in this cluster"))));
    assert_eq!(d.conn().poll_timeout(), None, "no timer left running");
    assert_eq!(d.opens().len(), 1);
    assert_eq!(server.connections(), 1, "no further connection attempt");
    // A Pusher client sends nothing before the handshake, so nothing at all here.
    assert!(server.received(1).is_empty(), "{:?}", server.received(1));
}

#[test]
fn handshake_closed_with_4003_without_a_frame_is_final_too() {
    // The close alone (4003 app disabled, in 4001-4099) refuses just the same.
    let server = ScriptedServer::start(|peer| peer.close(4003, "App is disabled")).unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    assert!(d.run_until(WAIT, |seen| seen.iter().any(Seen::is_disconnected)));
    d.run_for(Duration::from_millis(2500));
    assert_eq!(d.conn().state(), State::Disconnected);
    assert_eq!(disconnects(&d), [(Some(4003), false)]);
    assert!(d.reconnects().is_empty(), "{:?}", d.seen);
    assert_eq!(server.connections(), 1);
}

// ---------------------------------------------------------------------------------------------
// 4100: back off at least a second

#[test]
fn close_4100_reconnects_after_at_least_a_second_and_resubscribes() {
    let server = ScriptedServer::start(|peer| {
        peer.established(120);
        if peer.conn() == 1 {
            if let Some(sub) = peer.recv(WAIT) {
                peer.answer_subscribe(&sub);
            }
            peer.close(4100, "Over capacity");
        } else {
            peer.serve_subscriptions(WAIT);
        }
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    assert!(
        d.run_until(WAIT, |seen| count(seen, Seen::is_subscribed) == 2),
        "{:?}",
        d.seen
    );

    let closed = server
        .first(is_server_close(1))
        .expect("server closed conn 1");
    let accepted = server.accepted_at();
    assert_eq!(accepted.len(), 2);
    let waited = gap(closed, accepted[1]);
    eprintln!("4100: reconnected {waited} ms after the close");
    // The client handled the close after the server sent it and dialed after its back-off:
    // at least 1 s (less the driver's 1 ms clock grain); at most 1 s + 1 s of jitter, plus
    // slack for a loaded machine.
    assert!(
        (999..2600).contains(&waited),
        "reconnected {waited} ms after close 4100"
    );

    assert_eq!(disconnects(&d), [(Some(4100), true)]);
    let r = d.reconnects();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].1, Reason::Closed(Some(4100)));
    assert_eq!(d.conn().state(), State::Connected);
    assert!(d.conn().is_subscribed(CHANNEL));
    // The second connection subscribed again, with the exact frame of the first.
    let sub = r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#;
    assert_eq!(server.received(1), [sub]);
    assert_eq!(server.received(2), [sub]);
}

// ---------------------------------------------------------------------------------------------
// A server that never answers pings

#[test]
fn a_server_that_never_answers_pings_is_left_after_the_pong_timeout() {
    let server = ScriptedServer::start(|peer| {
        if peer.conn() == 1 {
            peer.established(1); // activity_timeout 1 s: the client pings after 1 s of silence
            peer.hold(WAIT); // and never answers
        } else {
            peer.established(120);
        }
    })
    .unwrap();
    let config = Config {
        pong_timeout: Duration::from_secs(2),
        ..Config::default()
    };
    let mut d = driver(&server.url(), config, &[]);
    assert!(
        d.run_until(WAIT, |seen| count(seen, Seen::is_connected) == 2),
        "{:?}",
        d.seen
    );

    // Exactly one frame on the silent connection: the ping, pusher-js's exact form.
    assert_eq!(server.received(1), [r#"{"event":"pusher:ping","data":{}}"#]);
    let hello = server
        .first(|r| matches!(r, Record::Sent { conn: 1, .. }))
        .unwrap();
    let ping = server
        .first(|r| matches!(r, Record::Received { conn: 1, .. }))
        .unwrap();
    let left = server.first(is_client_close(1)).unwrap();
    let accepted = server.accepted_at();
    assert_eq!(accepted.len(), 2);

    let to_ping = gap(hello, ping);
    assert!(
        (999..1600).contains(&to_ping),
        "ping {to_ping} ms after the handshake"
    );
    // The pong timer starts when the ping is sent; the server logs the ping a little after.
    let to_close = gap(ping, left);
    assert!(
        (1950..2600).contains(&to_close),
        "closed {to_close} ms after the ping"
    );
    // Then a reconnect at once (jitter only, under 1 s).
    let to_reconnect = gap(left, accepted[1]);
    eprintln!(
        "no pong: ping after {to_ping} ms, left {to_close} ms later, back after {to_reconnect} ms"
    );
    assert!(
        to_reconnect < 1600,
        "reconnected {to_reconnect} ms after leaving"
    );
    // The client closed the dead socket itself, with a Close frame.
    assert!(server.log().iter().any(|e| e.record
        == Record::ClientClose {
            conn: 1,
            frame: true,
            code: Some(1000)
        }));

    let r = d.reconnects();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].1, Reason::PingTimeout);
    assert_eq!(d.conn().state(), State::Connected);
}

// ---------------------------------------------------------------------------------------------
// A socket that hangs after the upgrade

#[test]
fn a_socket_that_never_sends_connection_established_times_out_and_reconnects() {
    let server = ScriptedServer::start(|peer| {
        if peer.conn() == 1 {
            peer.hold(WAIT); // upgraded, then silence
        } else {
            peer.established(120);
            peer.serve_subscriptions(WAIT);
        }
    })
    .unwrap();
    let config = Config {
        connect_timeout: Duration::from_secs(1),
        ..Config::default()
    };
    let mut d = driver(&server.url(), config, &[CHANNEL]);
    assert!(
        d.run_until(WAIT, |seen| seen.iter().any(Seen::is_subscribed)),
        "{:?}",
        d.seen
    );

    let accepted = server.accepted_at();
    assert_eq!(accepted.len(), 2);
    let left = server.first(is_client_close(1)).unwrap();
    let gave_up = gap(accepted[0], left);
    assert!(
        (999..1600).contains(&gave_up),
        "gave up {gave_up} ms after the upgrade"
    );
    // Connect timeout (1 s) plus the back-off (1 s + under 1 s of jitter).
    let next = gap(accepted[0], accepted[1]);
    eprintln!("hang: gave up after {gave_up} ms, next upgrade {next} ms after the first");
    assert!(
        (1999..3600).contains(&next),
        "next upgrade {next} ms after the first"
    );
    assert!(
        server.received(1).is_empty(),
        "nothing sent before the handshake"
    );

    let r = d.reconnects();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].1, Reason::HandshakeTimeout);
    assert!(r[0].0 >= Duration::from_secs(1), "{r:?}");
    assert_eq!(d.conn().state(), State::Connected);
}

// ---------------------------------------------------------------------------------------------
// Garbage mid-stream

/// The frames of the garbage test, in the order sent.
struct Garbage {
    not_json: String,
    big_junk: String,
    big_chat: String,
    truncated: String,
    bad_escape: String,
    deep_envelope: String,
    deep_payload: String,
    broken_payload: String,
}

fn garbage() -> Garbage {
    let chat = chat_frame();
    let big_content = "a".repeat(100 * 1024);
    Garbage {
        not_json: "this is not JSON".to_owned(),
        // 100 KB that is not JSON at all.
        big_junk: "garbage ".repeat(100 * 1024 / 8),
        // 100 KB: the real frame with a 100 KiB message text.
        big_chat: chat.replace("more in premiere", &big_content),
        // The real frame cut in the middle of its data string.
        truncated: chat[..chat.len() / 2].to_owned(),
        // `\x` is no JSON escape.
        bad_escape: r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"content\":\"\x41\"}","channel":"chatrooms.2507974.v2"}"#.to_owned(),
        // 100 KB of nesting, in the envelope and inside a chat message's data: a decoder that
        // recursed per level would overflow its stack here.
        deep_envelope: "[".repeat(100 * 1024),
        deep_payload: format!(
            r#"{{"event":"App\\Events\\ChatMessageEvent","data":"{{\"content\":\"x\",\"sender\":{}","channel":"chatrooms.2507974.v2"}}"#,
            "[".repeat(100 * 1024)
        ),
        // A good envelope whose data string holds cut JSON.
        broken_payload: r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":","channel":"chatrooms.2507974.v2"}"#.to_owned(),
    }
}

#[test]
fn garbage_and_oversized_frames_are_reported_and_the_connection_goes_on() {
    let server = ScriptedServer::start(|peer| {
        peer.established(120);
        let Some(sub) = peer.recv(WAIT) else { return };
        peer.answer_subscribe(&sub);
        let g = garbage();
        peer.send(&g.not_json);
        peer.send(&g.big_junk);
        peer.send(&g.big_chat);
        peer.send(&g.truncated);
        peer.send(&g.bad_escape);
        peer.send(&g.deep_envelope);
        peer.send(&g.deep_payload);
        peer.send(&g.broken_payload);
        peer.send_binary(chat_frame().into_bytes());
        peer.send(r#"{"event":"pusher:error","data":{"code":null,"message":"Invalid signature"}}"#);
        peer.send(&chat_frame());
        peer.hold(WAIT);
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    let kicks = |seen: &[Seen]| count(seen, |s| matches!(s, Seen::Kick(_)));
    assert!(d.run_until(WAIT, |seen| kicks(seen) == 2), "{:?}", d.seen);
    // A little longer: nothing more must come of it (no late disconnect).
    d.run_for(Duration::from_millis(500));

    let bad: Vec<DecodeError> = d
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::BadMessage { error, .. } => Some(*error),
            _ => None,
        })
        .collect();
    let syntax = |e: &DecodeError| match e {
        DecodeError::Syntax {
            layer,
            error,
            offset,
        } => Some((*layer, *error, *offset)),
        _ => None,
    };
    // Seven unusable text frames, seven reports, in order; the binary frame is not text and
    // the driver drops it (a Pusher server never sends binary).
    assert_eq!(bad.len(), 7, "{bad:#?}");
    let got: Vec<(Layer, SyntaxError)> = bad
        .iter()
        .map(|b| syntax(b).map(|(l, e, _)| (l, e)).expect("a syntax error"))
        .collect();
    assert_eq!(
        got,
        [
            // `t` of "this" cannot start a JSON value.
            (Layer::Envelope, SyntaxError::UnexpectedByte),
            // Nor `g` of "garbage", 100 KB of it or not.
            (Layer::Envelope, SyntaxError::UnexpectedByte),
            // The cut frame ends inside its data string.
            (Layer::Envelope, SyntaxError::UnexpectedEnd),
            // `\x` in the data string.
            (Layer::Envelope, SyntaxError::BadEscape),
            // 100 KB of `[`: refused past limits::MAX_JSON_DEPTH (128), no stack overflow.
            (Layer::Envelope, SyntaxError::TooDeep),
            // The same inside a chat message's data.
            (Layer::Payload, SyntaxError::TooDeep),
            // A good envelope, its data string `{"id":` cut short.
            (Layer::Payload, SyntaxError::UnexpectedEnd),
        ]
    );
    // Where the offsets are plain to see: the first byte, and the end of `{"id":`.
    assert_eq!(syntax(&bad[0]).unwrap().2, 0);
    assert_eq!(syntax(&bad[1]).unwrap().2, 0);
    assert_eq!(syntax(&bad[6]).unwrap().2, r#"{"id":"#.len());

    // The 100 KB real frame is not garbage: it is delivered with its text cut at the
    // documented capacity (limits::MESSAGE, 2000 bytes) and flagged as cut.
    let kick = d.kick_events();
    let Message::Kick {
        event: Kick::ChatMessage(big),
        ..
    } = kick[0]
    else {
        panic!("{:?}", kick[0])
    };
    assert!(big.content.is_truncated());
    assert_eq!(big.content.as_str(), "a".repeat(2000));
    assert_eq!(big.sender.username.as_str(), "tayloredbydrew");

    // The real frame after all that, checked field by field against the vector line.
    let Message::Kick {
        transport,
        channel,
        event: Kick::ChatMessage(m),
    } = kick[1]
    else {
        panic!("{:?}", kick[1])
    };
    assert_eq!(*transport, Transport::Pusher);
    assert_eq!(channel.as_str(), "chatrooms.2507974.v2");
    assert_eq!(m.id.as_str(), "b2af4980-9dfa-4822-960d-0e64704e2ced");
    assert_eq!(m.chatroom_id, 2_507_974);
    assert_eq!(m.content.as_str(), "more in premiere");
    assert!(!m.content.is_truncated());
    assert_eq!(m.kind.as_str(), "message");
    // 2023-12-24T22:05:00+00:00 is 1703455500 s after the epoch (`date -u -d ... +%s`).
    assert_eq!(
        m.created_at.map(|t| t.unix_millis()),
        Some(1_703_455_500_000)
    );
    assert_eq!(m.sender.id, 1_247_649);
    assert_eq!(m.sender.username.as_str(), "tayloredbydrew");
    assert_eq!(m.sender.slug.as_str(), "tayloredbydrew");
    assert_eq!(m.sender.identity.color.as_str(), "#FF9D00");
    assert!(m.sender.identity.badges.as_slice().is_empty());
    assert!(m.metadata.is_none());

    // `code: null` is a server error without a code, not a failure.
    assert!(
        d.events().iter().any(|e| matches!(e,
        Event::ServerError { code: None, message, .. } if message.as_str() == "Invalid signature"))
    );
    // Still the one connection, never dropped.
    assert_eq!(d.conn().state(), State::Connected);
    assert!(disconnects(&d).is_empty(), "{:?}", d.seen);
    assert!(d.reconnects().is_empty());
    assert_eq!(server.connections(), 1);
    assert!(server.first(is_client_close(1)).is_none());
}

#[test]
fn pusher_error_4301_mid_stream_is_a_server_error_not_a_disconnect() {
    let server = ScriptedServer::start(|peer| {
        peer.established(120);
        let Some(sub) = peer.recv(WAIT) else { return };
        peer.answer_subscribe(&sub);
        // In 4300-4399, which as a close code would be final: as a frame it is only news.
        peer.error(4301, "Client event rejected due to rate limit");
        peer.send(&chat_frame());
        peer.hold(WAIT);
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    assert!(
        d.run_until(WAIT, |seen| seen.iter().any(|s| matches!(s, Seen::Kick(_)))),
        "{:?}",
        d.seen
    );
    d.run_for(Duration::from_millis(1500));
    assert!(d.events().iter().any(|e| matches!(e,
        Event::ServerError { code: Some(4301), message, .. } if message.as_str() == "Client event rejected due to rate limit")));
    let Message::Kick {
        event: Kick::ChatMessage(m),
        ..
    } = d.kick_events()[0]
    else {
        panic!()
    };
    assert_eq!(m.content.as_str(), "more in premiere");
    assert_eq!(d.conn().state(), State::Connected);
    assert!(d.conn().is_subscribed(CHANNEL));
    assert!(disconnects(&d).is_empty(), "{:?}", d.seen);
    assert_eq!(server.connections(), 1);
    assert!(server.first(is_client_close(1)).is_none());
}

// ---------------------------------------------------------------------------------------------
// 4000: TLS only

#[test]
fn tls_only_4000_switches_to_wss_without_a_reconnect_storm() {
    let server = ScriptedServer::start(|peer| {
        peer.error(
            4000,
            "Application only accepts SSL connections, reconnect using wss://",
        );
        peer.close(4000, "Application only accepts SSL connections");
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    // The test driver speaks plain ws:// only, so every wss:// attempt fails to open; the
    // point is what the connection asks for, and how often.
    d.run_for(Duration::from_secs(5));

    let wss = format!(
        "wss://127.0.0.1:{}/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false",
        server.port()
    );
    assert_eq!(d.conn().url(), wss);
    let opens = d.opens();
    // ws at 0; wss at once (under 1 s of jitter); it fails to open, so wss again after
    // 2 s + jitter (the second failure in a row), then after 4 s + jitter: past 5 s.
    assert_eq!(opens.len(), 3, "{opens:?}");
    assert_eq!(opens[0].1, server.url());
    assert_eq!(opens[1].1, wss);
    assert_eq!(opens[2].1, wss);
    let first_wss = ms(opens[1].0 - opens[0].0);
    assert!(first_wss < 1500, "wss tried {first_wss} ms after ws");
    let second_wss = ms(opens[2].0 - opens[1].0);
    eprintln!("4000: wss after {first_wss} ms, again after {second_wss} ms");
    assert!(
        (1999..3600).contains(&second_wss),
        "wss retried {second_wss} ms after the failed one"
    );
    // Still trying (the TLS switch is not a refusal), and the plain server saw one connection.
    assert_eq!(d.conn().state(), State::Connecting);
    assert_eq!(server.connections(), 1);
    let r = d.reconnects();
    assert_eq!(r[0].1, Reason::Closed(Some(4000)));
    assert!(
        r[1..].iter().all(|(_, why)| *why == Reason::OpenFailed),
        "{r:?}"
    );
    assert_eq!(disconnects(&d)[0], (Some(4000), true));
}

// ---------------------------------------------------------------------------------------------
// Checklist 44: accepted, then dropped without a frame

#[test]
fn a_server_that_drops_every_socket_before_the_handshake_is_retried_with_growing_back_off() {
    // sockudo with an unknown key: HTTP 101, then the TCP connection ends (1006 for the client).
    let server = ScriptedServer::start(|peer| peer.drop_connection()).unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    d.run_for(Duration::from_secs(6));
    let accepted = server.accepted_at();
    // Attempts 1 s + jitter, then 2 s + jitter apart (no handshake ever succeeds, so the
    // back-off doubles); the next would be 4 s + jitter later, past 6 s.
    assert_eq!(accepted.len(), 3, "{accepted:?}");
    let gaps: Vec<u128> = accepted.windows(2).map(|w| gap(w[0], w[1])).collect();
    eprintln!("drop: gaps {gaps:?} ms");
    assert!((999..2600).contains(&gaps[0]), "{gaps:?}");
    assert!((1999..3600).contains(&gaps[1]), "{gaps:?}");
    assert!(
        disconnects(&d).iter().all(|&x| x == (None, true)),
        "{:?}",
        d.seen
    );
    let r = d.reconnects();
    assert!(
        r.iter().all(|(_, why)| *why == Reason::Closed(None)),
        "{r:?}"
    );
    assert_eq!(d.conn().state(), State::Connecting);
}

// ---------------------------------------------------------------------------------------------
// 4200 after every handshake

#[test]
fn close_4200_after_every_handshake_backs_off_instead_of_reconnecting_every_second() {
    // The server completes every handshake and at once asks for a reconnect (4200). A good
    // handshake used to reset the back-off, so this went on at 0-1 s intervals for ever; the
    // back-off now starts over only after a connection has lasted `stable_after` (30 s), so
    // the first reconnect is at once and the next ones wait 2 s, 4 s, ... (+ < 1 s jitter).
    let server = ScriptedServer::start(|peer| {
        peer.established(120);
        peer.close(4200, "Server restarting");
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[CHANNEL]);
    d.run_for(Duration::from_secs(9));
    let accepted = server.accepted_at();
    let gaps: Vec<u128> = accepted.windows(2).map(|w| gap(w[0], w[1])).collect();
    eprintln!(
        "4200: {} connections in 9 s, gaps {gaps:?} ms",
        accepted.len()
    );
    // Connections at about 0, 0.5, 3 and 7.5 s; the next would be past 9 s.
    assert_eq!(accepted.len(), 4, "{gaps:?}");
    assert!(gaps[0] < 1_600, "{gaps:?}");
    assert!((1_999..3_600).contains(&gaps[1]), "{gaps:?}");
    assert!((3_999..5_600).contains(&gaps[2]), "{gaps:?}");
    // Every close was answered by the same reaction, with the growing delays.
    let r = d.reconnects();
    assert!(
        r.iter().all(|(_, why)| *why == Reason::ServerRequest(4200)),
        "{r:?}"
    );
    let secs: Vec<u64> = r.iter().map(|(after, _)| after.as_secs()).collect();
    assert_eq!(secs, [0, 2, 4, 8], "{r:?}");
    assert!(disconnects(&d).iter().all(|&x| x == (Some(4200), true)));
}

// ---------------------------------------------------------------------------------------------
// A server announcing `activity_timeout: 0`

#[test]
fn activity_timeout_0_does_not_make_a_ping_storm() {
    // Found here: the client used to ping after every message it received, each pong
    // included (about 8500 pings a second on loopback). The timeout in force is now at least
    // 1 s.
    let server = ScriptedServer::start(|peer| {
        peer.established(0);
        while let Some(text) = peer.recv(WAIT) {
            if text.contains("pusher:ping") {
                peer.send(r#"{"event":"pusher:pong","data":{}}"#);
            }
        }
    })
    .unwrap();
    let mut d = driver(&server.url(), Config::default(), &[]);
    d.run_for(Duration::from_millis(3500));
    let pings = server.times(|r| matches!(r, Record::Received { conn: 1, .. }));
    assert!(
        server
            .received(1)
            .iter()
            .all(|t| t == r#"{"event":"pusher:ping","data":{}}"#),
        "only pings"
    );
    // One a second after each pong: three in 3.5 s.
    assert!(
        (2..=4).contains(&pings.len()),
        "{} pings in 3.5 s",
        pings.len()
    );
    let gaps: Vec<u128> = pings.windows(2).map(|w| gap(w[0], w[1])).collect();
    assert!(gaps.iter().all(|&g| g >= 999), "ping gaps {gaps:?} ms");
    assert_eq!(d.conn().state(), State::Connected);
    assert_eq!(server.connections(), 1);
}
