//! The connection state machines against scripted peers: pusher-js's conformance checklist
//! (`docs/pusher-conformance.md`; item numbers in the test names' comments) and the
//! Centrifugo client rules. Frames are the real ones from the vectors where there are some.

use super::*;
use crate::kick::Event as Kick;
use crate::message::Message;
use std::string::{String, ToString};
use std::vec::Vec as StdVec;

pub(super) const URL: &str =
    "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
pub(super) const HELLO: &str = r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"123456.7890\",\"activity_timeout\":120}"}"#;
const CHAT: &str = r##"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"b2af4980-9dfa-4822-960d-0e64704e2ced\",\"chatroom_id\":2507974,\"content\":\"more in premiere\",\"type\":\"message\",\"created_at\":\"2023-12-24T22:05:00+00:00\",\"sender\":{\"id\":1247649,\"username\":\"tayloredbydrew\",\"slug\":\"tayloredbydrew\",\"identity\":{\"color\":\"#FF9D00\",\"badges\":[]}}}","channel":"chatrooms.2507974.v2"}"##;

pub(super) fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

/// What one drain of the outputs gave.
#[derive(Debug, Default)]
pub(super) struct Out {
    pub(super) opens: StdVec<String>,
    pub(super) texts: StdVec<String>,
    pub(super) closes: StdVec<u16>,
    pub(super) events: StdVec<Event>,
    pub(super) kick: StdVec<Message>,
}

pub(super) fn drain(c: &mut Connection) -> Out {
    let mut out = Out::default();
    let mut buf = [0u8; 4096];
    while let Some(t) = c.poll_transmit(&mut buf).unwrap() {
        match t {
            Transmit::Open { url } => out.opens.push(url.to_string()),
            Transmit::Text(s) => out.texts.push(s.to_string()),
            Transmit::Close { code } => out.closes.push(code),
        }
    }
    while let Some(e) = c.poll_event() {
        out.events.push(e);
    }
    out
}

pub(super) fn recv(c: &mut Connection, now: Instant, msg: &str) -> Out {
    let mut bytes = msg.as_bytes().to_vec();
    let kick: StdVec<Message> = c.handle_message(now, &mut bytes).collect();
    let mut out = drain(c);
    out.kick = kick;
    out
}

pub(super) fn states(out: &Out) -> StdVec<State> {
    out.events
        .iter()
        .filter_map(|e| match e {
            Event::StateChanged { current, .. } => Some(*current),
            _ => None,
        })
        .collect()
}

pub(super) fn reconnect_delay(out: &Out) -> Option<Duration> {
    out.events.iter().find_map(|e| match e {
        Event::Reconnecting { after, .. } => Some(*after),
        _ => None,
    })
}

/// A Pusher connection subscribed to `channels`, connected at 100 ms.
pub(super) fn connected(channels: &[&str]) -> Connection {
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    for ch in channels {
        c.subscribe(ch).unwrap();
    }
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(50));
    recv(&mut c, at(100), HELLO);
    c
}

#[test]
fn connect_opens_the_url_once() {
    // 8: initialized, connect -> connecting; a second connect does nothing.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    assert_eq!(c.state(), State::Initialized);
    c.connect(at(0));
    c.connect(at(1));
    let out = drain(&mut c);
    assert_eq!(out.opens, [URL]);
    assert_eq!(states(&out), [State::Connecting]);
    assert_eq!(c.poll_timeout(), Some(at(10_000))); // 10: the unavailable timer
}

#[test]
fn handshake_connects_and_subscribes_everything() {
    // 4, 12, 28, 36
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.subscribe("chatrooms.14693568.v2").unwrap();
    c.subscribe("channel.14899489").unwrap();
    c.subscribe("chatrooms.14693568.v2").unwrap(); // 33: sub-sub = sub
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(30));
    assert!(
        drain(&mut c).texts.is_empty(),
        "a Pusher client sends nothing before the handshake"
    );
    let out = recv(&mut c, at(40), HELLO);
    assert_eq!(c.state(), State::Connected);
    assert_eq!(states(&out), [State::Connected]);
    assert!(out.events.iter().any(|e| matches!(e, Event::Connected { socket_id, transport: Transport::Pusher } if socket_id.as_str() == "123456.7890")));
    // The exact frames of Kick's web client (vectors/kick/protocol/client_to_server.jsonl).
    assert_eq!(
        out.texts,
        [
            r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.14693568.v2"}}"#,
            r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"channel.14899489"}}"#,
        ]
    );
    // 23: subscription_succeeded is a Subscribed event, never a Kick event.
    let out = recv(
        &mut c,
        at(60),
        r#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.14693568.v2"}"#,
    );
    assert!(out.kick.is_empty());
    assert!(
        matches!(&out.events[..], [Event::Subscribed { channel }] if channel.as_str() == "chatrooms.14693568.v2")
    );
    assert!(c.is_subscribed("chatrooms.14693568.v2"));
    assert!(!c.is_subscribed("channel.14899489"));
    // The next timer: channel.14899489's subscribe, unanswered, is sent again 10 s after it
    // went out (`Config::subscribe_timeout`); then the activity check, 120 s after the last
    // message.
    assert_eq!(c.poll_timeout(), Some(at(40 + 10_000)));
    recv(
        &mut c,
        at(70),
        r#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"channel.14899489"}"#,
    );
    assert_eq!(c.poll_timeout(), Some(at(70 + 120_000)));
}

#[test]
fn kick_events_come_out_of_handle_message() {
    // 1, 25, 39: escaped event names, JSON-in-string data.
    let mut c = connected(&["chatrooms.2507974.v2"]);
    let out = recv(&mut c, at(200), CHAT);
    assert_eq!(out.kick.len(), 1);
    let Message::Kick {
        channel,
        event: Kick::ChatMessage(m),
        transport,
    } = &out.kick[0]
    else {
        panic!("{:?}", out.kick)
    };
    assert_eq!(*transport, Transport::Pusher);
    assert_eq!(channel.as_str(), "chatrooms.2507974.v2");
    assert_eq!(m.content.as_str(), "more in premiere");
    assert_eq!(m.sender.username.as_str(), "tayloredbydrew");
    // An event nobody knows passes through by name.
    let out = recv(
        &mut c,
        at(210),
        r#"{"event":"toString","data":"{}","channel":"chatrooms.2507974.v2"}"#,
    );
    assert!(
        matches!(&out.kick[..], [Message::Kick { event: Kick::Unknown(u), .. }] if u.name.as_str() == "toString")
    );
}

#[test]
fn a_bad_message_is_an_error_event_and_the_connection_goes_on() {
    // 2, 40
    let mut c = connected(&[]);
    let out = recv(
        &mut c,
        at(200),
        r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"content\":"#,
    );
    assert!(out.kick.is_empty());
    assert!(matches!(&out.events[..], [Event::BadMessage { .. }]));
    let out = recv(&mut c, at(210), "\u{1}garbage");
    assert!(matches!(&out.events[..], [Event::BadMessage { .. }]));
    assert_eq!(c.state(), State::Connected);
    assert_eq!(recv(&mut c, at(220), CHAT).kick.len(), 1);
}

#[test]
fn handshake_without_activity_timeout_or_of_another_kind_reconnects() {
    // 4
    for first in [
        r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\"}"}"#,
        CHAT,
        r#"{"event":"pusher:pong","data":"{}"}"#,
    ] {
        let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
        c.connect(at(0));
        drain(&mut c);
        c.handle_open(at(10));
        let out = recv(&mut c, at(20), first);
        assert!(out.kick.is_empty(), "{first}");
        assert_eq!(out.closes, [1000], "{first}");
        let after = reconnect_delay(&out).expect("reconnects");
        assert!(after >= Duration::from_secs(1) && after < Duration::from_secs(2));
        assert!(out.events.iter().any(|e| matches!(
            e,
            Event::Reconnecting {
                reason: Reason::BadHandshake,
                ..
            }
        )));
        assert_eq!(c.state(), State::Connecting);
    }
}

#[test]
fn close_codes_act_as_pusher_js() {
    // 5: boundaries of every range.
    use CloseAction::*;
    for (code, want) in [
        (4000, TlsOnly),
        (4001, Refused),
        (4099, Refused),
        (4100, Backoff),
        (4199, Backoff),
        (4200, Retry),
        (4299, Retry),
        (4300, Refused),
        (4399, Refused),
        (1000, None),
        (1001, None),
        (1005, None),
        (1006, None),
        (3999, None),
        (1002, Backoff),
        (1003, Backoff),
        (1004, Backoff),
    ] {
        assert_eq!(close_action(code), want, "{code}");
    }
}

#[test]
fn a_refused_close_disconnects_for_good() {
    // 11, 19: 4009 (sockudo's "terminated by the app") -> disconnected, no retry.
    let mut c = connected(&["a"]);
    c.handle_closed(at(500), Some(4009), "You got disconnected by the app.");
    let out = drain(&mut c);
    assert!(
        matches!(&out.events[0], Event::Disconnected { code: Some(4009), will_retry: false, reason } if reason.as_str() == "You got disconnected by the app.")
    );
    assert_eq!(c.state(), State::Disconnected);
    assert_eq!(c.poll_timeout(), None);
    assert!(out.opens.is_empty());
}

#[test]
fn first_frame_errors_map_through_the_close_table() {
    // 4, 11: a first-frame pusher:error acts as a close with its code.
    for (code, retry, min_ms) in [(4001u16, false, 0u64), (4100, true, 1_000), (4200, true, 0)] {
        let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
        c.connect(at(0));
        drain(&mut c);
        c.handle_open(at(10));
        let frame =
            std::format!(r#"{{"event":"pusher:error","data":{{"code":{code},"message":"no"}}}}"#);
        let out = recv(&mut c, at(20), &frame);
        assert_eq!(out.closes, [1000]);
        assert!(out.events.iter().any(
            |e| matches!(e, Event::ServerError { code: Some(c), .. } if *c == u32::from(code))
        ));
        match reconnect_delay(&out) {
            Some(d) => {
                assert!(retry, "{code}");
                assert!(
                    d >= Duration::from_millis(min_ms) && d < Duration::from_millis(min_ms + 1_000),
                    "{code}: {d:?}"
                );
            }
            Option::None => {
                assert!(!retry, "{code}");
                assert_eq!(c.state(), State::Disconnected);
            }
        }
    }
}

#[test]
fn tls_only_switches_to_wss_at_once() {
    // 11: 4000
    let mut c = connected(&[]);
    c.handle_closed(at(500), Some(4000), "");
    let out = drain(&mut c);
    assert!(reconnect_delay(&out).unwrap() < Duration::from_secs(1));
    assert!(c.url().starts_with("wss://127.0.0.1:6001/app/"));
    c.handle_timeout(c.poll_timeout().unwrap());
    assert_eq!(drain(&mut c).opens, [c.url().to_string()]);
}

#[test]
fn server_pings_are_answered_and_errors_are_not_fatal() {
    // 6, 18, 38, 41, 43: sockudo's ping has no data.
    let mut c = connected(&[]);
    let out = recv(&mut c, at(200), r#"{"event":"pusher:ping"}"#);
    assert_eq!(out.texts, [r#"{"event":"pusher:pong","data":{}}"#]);
    let out = recv(&mut c, at(210), r#"{"event":"pusher:ping","data":"{}"}"#);
    assert_eq!(out.texts.len(), 1);
    let out = recv(
        &mut c,
        at(220),
        r#"{"event":"pusher:error","data":{"code":null,"message":"Invalid signature"}}"#,
    );
    assert!(
        matches!(&out.events[..], [Event::ServerError { code: Option::None, message, repeats: 0 }] if message.as_str() == "Invalid signature")
    );
    let out = recv(
        &mut c,
        at(230),
        r#"{"event":"pusher:error","data":{"code":4301,"message":"Client event error"}}"#,
    );
    assert!(matches!(
        &out.events[..],
        [Event::ServerError {
            code: Some(4301),
            ..
        }]
    ));
    assert!(out.closes.is_empty());
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn silence_gives_a_ping_and_no_pong_a_reconnect() {
    // 16, 17: the server's activity_timeout (12 s) is below ours (120 s): ping at exactly 12 s
    // after the last message; no pong by +30 s: close and reconnect at once.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(0));
    recv(
        &mut c,
        at(0),
        r#"{"event":"pusher:connection_established","data":"{\"activity_timeout\":12,\"socket_id\":\"1.1\"}"}"#,
    );
    assert_eq!(c.poll_timeout(), Some(at(12_000)));
    c.handle_timeout(at(11_999));
    assert!(drain(&mut c).texts.is_empty());
    c.handle_timeout(at(12_000));
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"event":"pusher:ping","data":{}}"#]
    );
    assert_eq!(c.poll_timeout(), Some(at(42_000)));
    // Any message is activity: the pong timer goes, the ping timer restarts.
    recv(&mut c, at(13_000), r#"{"event":"pusher:pong"}"#);
    assert_eq!(c.poll_timeout(), Some(at(25_000)));
    c.handle_timeout(at(25_000));
    assert_eq!(drain(&mut c).texts.len(), 1);
    c.handle_timeout(at(55_000));
    let out = drain(&mut c);
    assert_eq!(out.closes, [1000]);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::PingTimeout,
            ..
        }
    )));
    assert!(reconnect_delay(&out).unwrap() < Duration::from_secs(1));
    // 14: the ping timer is gone with the socket.
    assert!(c.poll_timeout().unwrap() < at(56_000));
}

#[test]
fn our_activity_timeout_wins_when_shorter() {
    // 17
    let config = Config {
        activity_timeout: Duration::from_secs(5),
        ..Config::default()
    };
    let mut c = Connection::new(Transport::Pusher, URL, config).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(0));
    recv(&mut c, at(0), HELLO);
    assert_eq!(c.poll_timeout(), Some(at(5_000)));
}

#[test]
fn an_activity_timeout_of_zero_does_not_make_a_ping_storm() {
    // Found by tests/tests/pusher_faults.rs: with `"activity_timeout":0` every received
    // message (each pong included) set the ping timer to `now`, so a server answering pings
    // got ~8500 of them a second. The timeout in force is at least 1 s, from either side.
    let zero = r#"{"event":"pusher:connection_established","data":"{\"activity_timeout\":0,\"socket_id\":\"1.1\"}"}"#;
    for (config, hello) in [
        (Config::default(), zero),
        (
            Config {
                activity_timeout: Duration::ZERO,
                ..Config::default()
            },
            HELLO,
        ),
    ] {
        let mut c = Connection::new(Transport::Pusher, URL, config).unwrap();
        c.connect(at(0));
        drain(&mut c);
        c.handle_open(at(0));
        recv(&mut c, at(10), hello);
        assert_eq!(c.state(), State::Connected);
        assert_eq!(c.poll_timeout(), Some(at(1_010)), "{hello}");
        c.handle_timeout(at(1_010));
        assert_eq!(drain(&mut c).texts.len(), 1, "one ping");
        // The pong is activity: the next ping is a second later, not at once.
        recv(&mut c, at(1_020), r#"{"event":"pusher:pong"}"#);
        assert_eq!(c.poll_timeout(), Some(at(2_020)));
        c.handle_timeout(at(1_020));
        assert!(drain(&mut c).texts.is_empty());
    }
}

#[test]
fn drops_reconnect_with_exponential_backoff_and_resubscribe() {
    // 14, 28, 42 and the back-off: 1, 2, 4, 8, 16, 16 s (+ < 1 s jitter) while failing; reset
    // by a good connection.
    let mut c = connected(&["chatrooms.1.v2"]);
    c.handle_closed(at(1_000), Option::None, "");
    let out = drain(&mut c);
    assert!(matches!(
        &out.events[0],
        Event::Disconnected {
            code: Option::None,
            will_retry: true,
            ..
        }
    ));
    assert_eq!(states(&out), [State::Connecting]);
    let mut now = 1_000;
    for base in [1_000u64, 2_000, 4_000, 8_000, 16_000, 16_000] {
        let after = match base {
            1_000 => reconnect_delay(&out).unwrap(),
            _ => {
                // The attempt fails: the socket cannot be opened.
                c.handle_closed(at(now), Option::None, "connection refused");
                let out = drain(&mut c);
                assert!(out.events.iter().any(|e| matches!(
                    e,
                    Event::Reconnecting {
                        reason: Reason::OpenFailed,
                        ..
                    }
                )));
                reconnect_delay(&out).unwrap()
            }
        };
        let ms = after.as_millis() as u64;
        assert!((base..base + 1_000).contains(&ms), "{ms} for {base}");
        now += ms;
        assert_eq!(c.poll_timeout().map(|t| t <= at(now)), Some(true));
        c.handle_timeout(at(now));
        assert_eq!(drain(&mut c).opens.len(), 1, "one open per attempt");
    }
    // 10: Unavailable after 10 s of failing.
    assert_eq!(c.state(), State::Unavailable);
    c.handle_open(at(now + 10));
    let out = recv(&mut c, at(now + 20), HELLO);
    assert_eq!(c.state(), State::Connected);
    assert_eq!(
        out.texts,
        [r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.1.v2"}}"#]
    );
    // A connection that dropped after 10 ms proves nothing: the delays keep growing.
    c.handle_closed(at(now + 30), Some(1006), "");
    let d = reconnect_delay(&drain(&mut c)).unwrap().as_millis() as u64;
    assert!((16_000..17_000).contains(&d), "{d}");
    now += 30 + d;
    c.handle_timeout(at(now));
    drain(&mut c);
    c.handle_open(at(now + 10));
    recv(&mut c, at(now + 20), HELLO);
    // One that stayed up `stable_after` (30 s) resets it: the next drop waits about 1 s.
    c.handle_closed(at(now + 20 + 30_000), Some(1006), "");
    let d = reconnect_delay(&drain(&mut c)).unwrap().as_millis();
    assert!((1_000..2_000).contains(&d), "{d}");
}

#[test]
fn server_restart_4200_reconnects_at_once() {
    // 42
    let mut c = connected(&["a"]);
    c.handle_closed(at(5_000), Some(4200), "Server shutting down");
    let out = drain(&mut c);
    assert!(matches!(
        &out.events[0],
        Event::Disconnected {
            code: Some(4200),
            will_retry: true,
            ..
        }
    ));
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::ServerRequest(4200),
            ..
        }
    )));
    assert!(reconnect_delay(&out).unwrap() < Duration::from_secs(1));
}

#[test]
fn disconnect_closes_and_silences_everything() {
    // 9, 13
    let mut c = connected(&["a"]);
    c.disconnect(at(300));
    let out = drain(&mut c);
    assert_eq!(out.closes, [1000]);
    assert_eq!(c.state(), State::Disconnected);
    assert_eq!(c.poll_timeout(), Option::None);
    let out = recv(&mut c, at(400), CHAT);
    assert!(out.kick.is_empty() && out.events.is_empty());
    // A close reported afterwards changes nothing.
    c.handle_closed(at(500), Some(1000), "");
    assert!(drain(&mut c).events.is_empty());
    // Disconnect before the socket was taken withdraws the open.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    c.disconnect(at(1));
    let out = drain(&mut c);
    assert!(out.opens.is_empty() && out.closes.is_empty());
}

#[test]
fn handshake_timeout_retries() {
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(100));
    c.handle_timeout(at(10_000));
    assert_eq!(states(&drain(&mut c)), [State::Unavailable]);
    c.handle_timeout(at(15_100));
    let out = drain(&mut c);
    assert_eq!(out.closes, [1000]);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::HandshakeTimeout,
            ..
        }
    )));
}

#[test]
fn unsubscribe_tells_the_server_only_what_it_saw() {
    // 27, 33
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.subscribe("a").unwrap();
    c.unsubscribe("a"); // sub-unsub before connecting: nothing at all
    c.subscribe("b").unwrap();
    c.subscribe("c").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(1));
    let mut hello = HELLO.as_bytes().to_vec();
    drop(c.handle_message(at(2), &mut hello));
    // Subscribes for b and c are queued; unsubscribing b before they go out drops b's and
    // keeps c's (whose slot moved).
    c.unsubscribe("b");
    let out = drain(&mut c);
    assert_eq!(
        out.texts,
        [r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"c"}}"#]
    );
    c.unsubscribe("c");
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"event":"pusher:unsubscribe","data":{"channel":"c"}}"#]
    );
    c.unsubscribe("c"); // idempotent
    assert!(drain(&mut c).texts.is_empty());
}

#[test]
fn waiting_unsubscribes_keep_their_names_in_order() {
    // Queued frames are a few bytes each: an unsubscribe's name waits apart, in step.
    let mut c = connected(&["a", "b", "c"]);
    c.unsubscribe("b");
    c.subscribe("d").unwrap();
    c.unsubscribe("a");
    c.unsubscribe("d"); // its subscribe has not gone out: withdrawn, nothing to tell
    let mut tiny = [0u8; 8];
    assert!(c.poll_transmit(&mut tiny).is_err(), "too small: kept");
    assert_eq!(
        drain(&mut c).texts,
        [
            r#"{"event":"pusher:unsubscribe","data":{"channel":"b"}}"#,
            r#"{"event":"pusher:unsubscribe","data":{"channel":"a"}}"#,
        ]
    );
    // A close withdraws them with the rest.
    c.unsubscribe("c");
    c.disconnect(at(300));
    assert!(drain(&mut c).texts.is_empty());
}

#[test]
fn transport_messages_are_handled_even_if_nobody_iterates() {
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(1));
    let mut hello = HELLO.as_bytes().to_vec();
    drop(c.handle_message(at(2), &mut hello));
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn a_small_transmit_buffer_keeps_the_frame() {
    let mut c = connected(&[]);
    c.subscribe("chatrooms.2507974.v2").unwrap();
    let mut small = [0u8; 16];
    // The frame is 80 bytes (counted by hand from the string below).
    assert_eq!(
        c.poll_transmit(&mut small),
        Err(EncodeError::BufferTooSmall { required: 80 })
    );
    let mut buf = [0u8; 80];
    assert_eq!(
        c.poll_transmit(&mut buf),
        Ok(Some(Transmit::Text(
            r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#
        )))
    );
}

#[test]
fn bad_configuration_is_refused() {
    assert_eq!(
        Connection::new(Transport::Pusher, "http://x", Config::default()).unwrap_err(),
        UsageError::NotAWebSocketUrl
    );
    let long = std::format!("ws://{}", "x".repeat(300));
    assert_eq!(
        Connection::new(Transport::Pusher, &long, Config::default()).unwrap_err(),
        UsageError::UrlTooLong
    );
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    assert_eq!(c.subscribe(""), Err(UsageError::BadChannelName));
    for i in 0..crate::limits::CHANNELS {
        c.subscribe(&std::format!("c{i}")).unwrap();
    }
    assert_eq!(c.subscribe("one-more"), Err(UsageError::TooManyChannels));
}

// ----- Centrifugo -----

pub(super) const CURL: &str = "ws://127.0.0.1:8000/connection/websocket";

pub(super) fn cent_connected(channels: &[&str]) -> Connection {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    for ch in channels {
        c.subscribe(ch).unwrap();
    }
    c.set_token(at(0), "tok-1").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    recv(
        &mut c,
        at(20),
        r#"{"id":1,"connect":{"client":"c-1","version":"6.9.2 PRO","expires":true,"ttl":2700,"ping":25}}"#,
    );
    c
}

#[test]
fn centrifugo_asks_for_a_token_then_connects_and_subscribes() {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.subscribe("chatrooms.5976096.v2").unwrap();
    c.connect(at(0));
    let out = drain(&mut c);
    assert!(out.opens.is_empty());
    assert!(
        out.events
            .contains(&Event::TokenRequired { refresh: false })
    );
    c.set_token(at(5), "tok\"1").unwrap();
    assert_eq!(drain(&mut c).opens, [CURL]);
    c.handle_open(at(10));
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"connect":{"token":"tok\"1","name":"js"},"id":1}"#]
    );
    // The reply from the vectors (reconstructed/centrifugo_json_protocol.jsonl).
    let out = recv(
        &mut c,
        at(20),
        r#"{"id":1,"connect":{"client":"<client uuid>","version":"6.9.2 PRO","expires":true,"ttl":2700,"ping":25}}"#,
    );
    assert_eq!(c.state(), State::Connected);
    assert!(out.events.iter().any(|e| matches!(e, Event::Connected { transport: Transport::Centrifugo, socket_id } if socket_id.as_str() == "<client uuid>")));
    assert_eq!(
        out.texts,
        [r#"{"subscribe":{"channel":"chatrooms.5976096.v2"},"id":2}"#]
    );
    let out = recv(&mut c, at(30), r#"{"id":2,"subscribe":{}}"#);
    assert!(
        matches!(&out.events[..], [Event::Subscribed { channel }] if channel.as_str() == "chatrooms.5976096.v2")
    );
    // Next timer: the server ping is late 25 + 10 s after the last message.
    assert_eq!(c.poll_timeout(), Some(at(30 + 35_000)));
}

#[test]
fn centrifugo_pings_publications_and_several_messages_per_frame() {
    let mut c = cent_connected(&["chatrooms.5976096.v2"]);
    let frame = std::format!(
        "{}\n{{}}\n{}",
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":5976096,\"username\":\"a\",\"months\":2}"}}}}"#,
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":5976096,\"username\":\"b\",\"months\":3}"}}}}"#
    );
    let out = recv(&mut c, at(1_000), &frame);
    let months: StdVec<_> = out
        .kick
        .iter()
        .map(|m| match m {
            Message::Kick {
                event: Kick::Subscription(s),
                transport: Transport::Centrifugo,
                ..
            } => (s.username.to_string(), s.months),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        months,
        [("a".to_string(), Some(2)), ("b".to_string(), Some(3))]
    );
    assert_eq!(out.texts, ["{}"], "the ping between them is answered");
}

#[test]
fn centrifugo_late_ping_reconnects() {
    let mut c = cent_connected(&[]);
    c.handle_timeout(at(20 + 35_000));
    let out = drain(&mut c);
    assert_eq!(out.closes, [1000]);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::PingTimeout,
            ..
        }
    )));
}

#[test]
fn centrifugo_refreshes_the_token_before_it_expires() {
    let mut c = cent_connected(&[]);
    // ttl 2700 s: refresh 60 s early.
    let due = at(20 + 2_640_000);
    recv(&mut c, at(2_000_000), "{}"); // keep the ping timer quiet
    recv(&mut c, at(2_030_000), "{}");
    for t in (2_060_000..2_640_020).step_by(30_000) {
        recv(&mut c, at(t), "{}");
    }
    c.handle_timeout(due);
    let out = drain(&mut c);
    assert!(out.events.contains(&Event::TokenRequired { refresh: true }));
    c.set_token(due, "tok-2").unwrap();
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"refresh":{"token":"tok-2"},"id":2}"#]
    );
    recv(
        &mut c,
        due,
        r#"{"id":2,"refresh":{"expires":true,"ttl":600}}"#,
    );
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn centrifugo_unsub_and_disconnect_codes() {
    let mut c = cent_connected(&["chatrooms.5976096.v2"]);
    drain(&mut c);
    // The vectors' unsub 2500: subscribe again.
    let out = recv(
        &mut c,
        at(100),
        r#"{"push":{"channel":"chatrooms.5976096.v2","unsub":{"code":2500,"reason":"insufficient state"}}}"#,
    );
    assert_eq!(
        out.texts,
        [r#"{"subscribe":{"channel":"chatrooms.5976096.v2"},"id":3}"#]
    );
    // Another code: the subscription ends.
    let out = recv(
        &mut c,
        at(110),
        r#"{"push":{"channel":"chatrooms.5976096.v2","unsub":{"code":2000,"reason":"server unsubscribe"}}}"#,
    );
    assert!(matches!(
        &out.events[..],
        [Event::SubscriptionError {
            code: Some(2000),
            ..
        }]
    ));
    // The vectors' disconnect 3501: terminal.
    let out = recv(
        &mut c,
        at(120),
        r#"{"push":{"disconnect":{"code":3501,"reason":"bad request"}}}"#,
    );
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Disconnected {
            code: Some(3501),
            will_retry: false,
            ..
        }
    )));
    assert_eq!(c.state(), State::Disconnected);
    // 3000-3499: reconnect.
    let mut c = cent_connected(&[]);
    c.handle_closed(at(200), Some(3001), "shutdown");
    assert!(reconnect_delay(&drain(&mut c)).is_some());
    // 4500-4999: terminal.
    let mut c = cent_connected(&[]);
    c.handle_closed(at(200), Some(4501), "");
    drain(&mut c);
    assert_eq!(c.state(), State::Disconnected);
}

#[test]
fn centrifugo_token_expired_asks_for_a_new_token_and_reconnects() {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.set_token(at(0), "old").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    let out = recv(
        &mut c,
        at(20),
        r#"{"id":1,"error":{"code":109,"message":"token expired"}}"#,
    );
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::ServerError {
            code: Some(109),
            ..
        }
    )));
    assert_eq!(out.closes, [1000]);
    let after = reconnect_delay(&out).unwrap();
    c.handle_timeout(at(20) + after);
    let out = drain(&mut c);
    assert!(out.opens.is_empty(), "no socket without a token");
    assert!(
        out.events
            .contains(&Event::TokenRequired { refresh: false })
    );
    c.set_token(at(3_000), "new").unwrap();
    assert_eq!(drain(&mut c).opens, [CURL]);
    c.handle_open(at(3_010));
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"connect":{"token":"new","name":"js"},"id":2}"#]
    );
}

#[test]
fn centrifugo_connect_errors_retry_only_when_worth_it() {
    // centrifuge-js 5.8: connect errors below 100 or `temporary` retry; others are final.
    for (reply, retry) in [
        (
            r#"{"id":1,"error":{"code":100,"message":"internal server error","temporary":true}}"#,
            true,
        ),
        (
            r#"{"id":1,"error":{"code":103,"message":"permission denied"}}"#,
            false,
        ),
    ] {
        let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
        c.set_token(at(0), "t").unwrap();
        c.connect(at(0));
        drain(&mut c);
        c.handle_open(at(10));
        drain(&mut c);
        let out = recv(&mut c, at(20), reply);
        assert_eq!(out.closes, [1000], "{reply}");
        assert_eq!(reconnect_delay(&out).is_some(), retry, "{reply}");
        assert_eq!(c.state() == State::Disconnected, !retry, "{reply}");
    }
}

#[test]
fn centrifugo_close_codes_from_the_js_client() {
    // 3014 "state invalidated": reconnect with a new token; 1009 "message too big": final.
    let mut c = cent_connected(&[]);
    c.handle_closed(at(100), Some(3014), "");
    let out = drain(&mut c);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Reconnecting {
            reason: Reason::TokenExpired,
            ..
        }
    )));
    c.handle_timeout(c.poll_timeout().unwrap());
    assert!(
        drain(&mut c)
            .events
            .contains(&Event::TokenRequired { refresh: false })
    );
    let mut c = cent_connected(&[]);
    c.handle_closed(at(100), Some(1009), "");
    drain(&mut c);
    assert_eq!(c.state(), State::Disconnected);
}

#[test]
fn centrifugo_unsubscribe_push_in_both_spellings() {
    // Centrifugo writes `unsubscribe`; notes on Kick's traffic write `unsub`.
    for key in ["unsubscribe", "unsub"] {
        let mut c = cent_connected(&["chatrooms.1.v2"]);
        drain(&mut c);
        let frame = std::format!(
            r#"{{"push":{{"channel":"chatrooms.1.v2","{key}":{{"code":2500,"reason":"insufficient state"}}}}}}"#
        );
        let out = recv(&mut c, at(100), &frame);
        assert_eq!(
            out.texts,
            [r#"{"subscribe":{"channel":"chatrooms.1.v2"},"id":3}"#],
            "{key}"
        );
    }
}

#[test]
fn centrifugo_temporary_subscribe_errors_are_retried() {
    // centrifuge-js: code 111 "too many requests" (temporary) is retried; 103 is final.
    let mut c = cent_connected(&["a", "b"]);
    drain(&mut c);
    let out = recv(
        &mut c,
        at(100),
        r#"{"id":2,"error":{"code":111,"message":"too many requests","temporary":true}}"#,
    );
    assert!(matches!(
        &out.events[..],
        [Event::ServerError {
            code: Some(111),
            ..
        }]
    ));
    let out = recv(
        &mut c,
        at(110),
        r#"{"id":3,"error":{"code":103,"message":"permission denied"}}"#,
    );
    assert!(matches!(
        &out.events[..],
        [Event::SubscriptionError {
            code: Some(103),
            ..
        }]
    ));
    // The retry is due 2-3 s after the error; only channel a is asked for again.
    let due = c.poll_timeout().unwrap();
    assert!(due >= at(2_100) && due < at(3_100), "{due:?}");
    c.handle_timeout(due);
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"subscribe":{"channel":"a"},"id":4}"#]
    );
    let out = recv(&mut c, due, r#"{"id":4,"subscribe":{}}"#);
    assert!(matches!(&out.events[..], [Event::Subscribed { channel }] if channel.as_str() == "a"));
}

/// `(kind, name, channel, payload)` of every raw event in `msg`, then the outputs.
fn recv_raw(
    c: &mut Connection,
    now: Instant,
    msg: &str,
) -> (StdVec<(EventKind, String, String, String)>, Out) {
    let mut bytes = msg.as_bytes().to_vec();
    let mut got = StdVec::new();
    {
        let mut r = c.handle_message(now, &mut bytes);
        while let Some(e) = r.next_raw() {
            got.push((
                e.kind,
                e.name.to_string(),
                e.channel.to_string(),
                String::from_utf8(e.payload.to_vec()).unwrap(),
            ));
        }
    }
    (got, drain(c))
}

use crate::kick::EventKind;

#[test]
fn raw_events_carry_the_unescaped_payload_and_unknown_names() {
    let mut c = connected(&["chatrooms.2507974.v2"]);
    let (got, out) = recv_raw(&mut c, at(1_000), CHAT);
    assert_eq!(got.len(), 1);
    let (kind, name, channel, payload) = &got[0];
    assert_eq!(*kind, EventKind::ChatMessage);
    assert_eq!(name, "App\\Events\\ChatMessageEvent");
    assert_eq!(channel, "chatrooms.2507974.v2");
    // Hand-unescaped from CHAT's data string.
    assert_eq!(
        payload,
        r##"{"id":"b2af4980-9dfa-4822-960d-0e64704e2ced","chatroom_id":2507974,"content":"more in premiere","type":"message","created_at":"2023-12-24T22:05:00+00:00","sender":{"id":1247649,"username":"tayloredbydrew","slug":"tayloredbydrew","identity":{"color":"#FF9D00","badges":[]}}}"##
    );
    assert!(out.events.is_empty(), "{:?}", out.events);
    // A name nobody knows is still delivered, and no data at all reads as `null`.
    let (got, _) = recv_raw(
        &mut c,
        at(1_100),
        r#"{"event":"App\\Events\\SomethingNewEvent","data":"{\"a\":\"\\u00e9\"}","channel":"c"}
"#,
    );
    assert_eq!(
        got,
        [(
            EventKind::Unknown,
            "App\\Events\\SomethingNewEvent".to_string(),
            "c".to_string(),
            r#"{"a":"\u00e9"}"#.to_string()
        )]
    );
    let (got, _) = recv_raw(
        &mut c,
        at(1_200),
        r#"{"event":"App\\Events\\ChatroomClearEvent","channel":"c"}"#,
    );
    assert_eq!(got[0].3, "null");
}

/// A broken payload (a bad escape) is reported once as `BadMessage` and the walk goes on: the
/// first Kick event (kept by the transport step) and one after it, on the next line.
#[test]
fn raw_events_with_broken_payloads_are_reported_and_the_next_still_comes() {
    let mut c = connected(&["c"]);
    let bad = r#"{"event":"App\\Events\\StreamHostEvent","data":"{\q}","channel":"c"}"#;
    let good = r#"{"event":"App\\Events\\StreamHostEvent","data":"{\"a\":1}","channel":"c"}"#;
    for (i, msg) in [
        std::format!("{bad}\n{good}"),
        std::format!("{good}\n{bad}"),
        std::format!("{bad}\n{bad}\n{good}"),
    ]
    .iter()
    .enumerate()
    {
        let (got, out) = recv_raw(&mut c, at(1_000 + 100 * i as u64), msg);
        assert_eq!(
            got,
            [(
                EventKind::StreamHost,
                "App\\Events\\StreamHostEvent".to_string(),
                "c".to_string(),
                r#"{"a":1}"#.to_string()
            )],
            "{msg}"
        );
        assert!(
            matches!(out.events[..], [Event::BadMessage { repeats, .. }] if repeats == u32::from(i == 2)),
            "{msg}: {:?}",
            out.events
        );
    }
}

#[test]
fn raw_events_from_centrifugo_keep_inline_json_and_pings_are_answered() {
    let mut c = cent_connected(&["chatrooms.5976096.v2"]);
    let frame = std::format!(
        "{}\n{{}}\n{}",
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"a\",\"months\":2}"}}}}"#,
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"KicksGifted","data":{"sender":{"username":"b"}}}}}}"#
    );
    let (got, out) = recv_raw(&mut c, at(1_000), &frame);
    let kinds: StdVec<_> = got.iter().map(|g| (g.0, g.3.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (EventKind::Subscription, r#"{"username":"a","months":2}"#),
            (EventKind::KicksGifted, r#"{"sender":{"username":"b"}}"#),
        ]
    );
    assert_eq!(out.texts, ["{}"], "the ping between them is answered");
}

#[test]
fn a_raw_event_with_broken_escapes_is_an_error_and_the_next_one_comes() {
    let mut c = connected(&["c"]);
    let msg = std::format!(
        "{}\n{}",
        r#"{"event":"App\\Events\\ChatroomClearEvent","data":"{\"id\":\q}","channel":"c"}"#,
        r#"{"event":"App\\Events\\ChatroomClearEvent","data":"{\"id\":\"2\"}","channel":"c"}"#
    );
    let (got, out) = recv_raw(&mut c, at(1_000), &msg);
    assert!(
        matches!(out.events.as_slice(), [Event::BadMessage { .. }]),
        "{:?}",
        out.events
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].3, r#"{"id":"2"}"#);
}

// ----- Received: the transport part is done when the message is handed in -----

// `Received` has no `Drop` any more (hence the allow); the forgets stay so that these fail
// if work moves back into one.
#[test]
#[allow(clippy::forget_non_drop)]
fn a_forgotten_received_still_answers_the_ping() {
    // `mem::forget` skips `Drop`: the pong must not wait for it.
    let mut c = connected(&[]);
    let mut ping = br#"{"event":"pusher:ping"}"#.to_vec();
    core::mem::forget(c.handle_message(at(200), &mut ping));
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"event":"pusher:pong","data":{}}"#]
    );

    // Centrifugo: the ping after a publication nobody reads, and a subscribe reply.
    let mut c = cent_connected(&["chatrooms.5976096.v2"]);
    let frame = std::format!(
        "{}\n{{}}\n{}",
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"a\",\"months\":2}"}}}}"#,
        r#"{"id":2,"subscribe":{}}"#
    );
    let mut frame = frame.into_bytes();
    core::mem::forget(c.handle_message(at(1_000), &mut frame));
    let out = drain(&mut c);
    assert_eq!(out.texts, ["{}"]);
    assert!(
        matches!(&out.events[..], [Event::Subscribed { channel }] if channel.as_str() == "chatrooms.5976096.v2")
    );
    assert!(c.is_subscribed("chatrooms.5976096.v2"));
}

#[test]
#[allow(clippy::forget_non_drop)]
fn a_connect_reply_handed_in_unread_connects() {
    // The handshake is transport work too: done without iterating.
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.set_token(at(0), "tok-1").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    let mut reply =
        br#"{"id":1,"connect":{"client":"c-1","expires":true,"ttl":2700,"ping":25}}"#.to_vec();
    let received = c.handle_message(at(20), &mut reply);
    core::mem::forget(received);
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn kick_events_after_a_disconnect_in_the_same_message_are_not_delivered() {
    let mut c = cent_connected(&["chatrooms.5976096.v2"]);
    let publication = |name: &str| {
        std::format!(
            r#"{{"push":{{"channel":"chatrooms.5976096.v2","pub":{{"data":{{"event":"App\\Events\\SubscriptionEvent","data":"{{\"username\":\"{name}\",\"months\":2}}"}}}}}}}}"#
        )
    };
    let frame = std::format!(
        "{}\n{}\n{}",
        publication("before"),
        r#"{"push":{"disconnect":{"code":3001,"reason":"shutdown"}}}"#,
        publication("after")
    );
    let out = recv(&mut c, at(1_000), &frame);
    let names: StdVec<_> = out
        .kick
        .iter()
        .map(|m| match m {
            Message::Kick {
                event: Kick::Subscription(s),
                ..
            } => s.username.to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["before"]);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Disconnected {
            code: Some(3001),
            ..
        }
    )));
}

#[test]
fn a_kick_event_in_the_handshake_message_comes_after_it_not_instead_of_it() {
    // After `connection_established` in the same message, a Kick event is one.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    let out = recv(&mut c, at(20), &std::format!("{HELLO}\n{CHAT}"));
    assert_eq!(c.state(), State::Connected);
    assert_eq!(out.kick.len(), 1);
    // Before it, it is a bad handshake, and not a Kick event.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    let out = recv(&mut c, at(20), &std::format!("{CHAT}\n{HELLO}"));
    assert!(out.kick.is_empty());
    assert_eq!(reconnecting_reason(&out), Some(Reason::BadHandshake));
}

fn reconnecting_reason(out: &Out) -> Option<Reason> {
    out.events.iter().find_map(|e| match e {
        Event::Reconnecting { reason, .. } => Some(*reason),
        _ => None,
    })
}

// ----- capacities -----

/// A Pusher-only board's connection: Kick's six channels, no Centrifugo token, and queues
/// just as long as Pusher needs.
type Board = Connection<
    6,
    { crate::limits::events_for(Transport::Pusher, 6) },
    { crate::limits::transmits_for(Transport::Pusher, 6) },
    0,
>;

const SIX: [&str; 6] = ["c0", "c1", "c2", "c3", "c4", "c5"];

fn board_connected() -> Board {
    let mut c = Board::with_capacities(Transport::Pusher, URL, Config::default()).unwrap();
    for ch in SIX {
        c.subscribe(ch).unwrap();
    }
    c.connect(at(0));
    while c.poll_event().is_some() {}
    let mut buf = [0u8; 512];
    while c.poll_transmit(&mut buf).unwrap().is_some() {}
    c.handle_open(at(10));
    c
}

#[test]
fn a_pusher_board_connection_queues_all_one_input_can_bring() {
    // The busiest message Pusher allows: a bad line, the handshake, a server error and every
    // channel confirmed: `events_for(Pusher, 6)` = 10 events, none lost.
    let mut c = board_connected();
    let mut frame = std::format!("\u{1}garbage\n{HELLO}\n");
    frame.push_str(
        r#"{"event":"pusher:error","data":{"code":4301,"message":"Client event error"}}"#,
    );
    for ch in SIX {
        frame.push_str(&std::format!(
            "\n{{\"event\":\"pusher_internal:subscription_succeeded\",\"data\":\"{{}}\",\"channel\":\"{ch}\"}}"
        ));
    }
    let mut frame = frame.into_bytes();
    c.handle_message(at(20), &mut frame).for_each(drop);
    let mut buf = [0u8; 512];
    let mut texts = 0;
    while let Some(Transmit::Text(_)) = c.poll_transmit(&mut buf).unwrap() {
        texts += 1;
    }
    assert_eq!(texts, 6, "the six subscribes");
    let events: StdVec<Event> = core::iter::from_fn(|| c.poll_event()).collect();
    assert_eq!(events.len(), 10, "{events:?}");
    assert!(matches!(events[0], Event::BadMessage { .. }));
    assert!(matches!(events[2], Event::Connected { .. }));
    assert!(matches!(
        events[3],
        Event::ServerError {
            code: Some(4301),
            ..
        }
    ));
    let subscribed = events
        .iter()
        .filter(|e| matches!(e, Event::Subscribed { .. }))
        .count();
    assert_eq!(subscribed, 6);
    assert_eq!(c.events_dropped(), 0);
    assert_eq!(c.transmits_dropped(), 0);
    // Every subscribe unanswered at once (on a fresh connection): six events, none lost.
    let mut c = board_connected();
    recv_board(&mut c, at(20), HELLO);
    c.handle_timeout(at(20 + 10_000));
    let timed_out = core::iter::from_fn(|| c.poll_event())
        .filter(|e| matches!(e, Event::SubscriptionTimedOut { .. }))
        .count();
    assert_eq!(timed_out, 6);
    assert_eq!(c.events_dropped(), 0);
}

fn recv_board(c: &mut Board, now: Instant, msg: &str) {
    let mut bytes = msg.as_bytes().to_vec();
    c.handle_message(now, &mut bytes).for_each(drop);
    let mut buf = [0u8; 512];
    while c.poll_transmit(&mut buf).unwrap().is_some() {}
    while c.poll_event().is_some() {}
}

#[test]
fn capacities_below_what_the_transport_needs_are_refused() {
    type Short = Connection<6, 9, 16, 0>;
    assert_eq!(
        Short::with_capacities(Transport::Pusher, URL, Config::default()).unwrap_err(),
        UsageError::QueuesTooSmall
    );
    type NoRoomForPings = Connection<6, 10, 15, 0>;
    assert_eq!(
        NoRoomForPings::with_capacities(Transport::Pusher, URL, Config::default()).unwrap_err(),
        UsageError::QueuesTooSmall
    );
    // The board's queues are Pusher's: Centrifugo needs more.
    assert_eq!(
        Board::with_capacities(Transport::Centrifugo, CURL, Config::default()).unwrap_err(),
        UsageError::QueuesTooSmall
    );
    // The defaults suit both.
    assert!(Connection::new(Transport::Centrifugo, CURL, Config::default()).is_ok());
}

#[test]
fn a_connection_without_room_for_a_token_speaks_pusher_only() {
    // Queues that would suit Centrifugo, but no room for the token it cannot connect without
    // (the browser's Pusher-only module): refused, and its code has no Centrifugo machine.
    type PusherOnly = Connection<
        { crate::limits::CHANNELS },
        { crate::limits::EVENTS },
        { crate::limits::TRANSMITS },
        0,
    >;
    assert_eq!(
        PusherOnly::with_capacities(Transport::Centrifugo, CURL, Config::default()).unwrap_err(),
        UsageError::NoRoomForToken
    );
    let c = PusherOnly::with_capacities(Transport::Pusher, URL, Config::default()).unwrap();
    assert_eq!(c.transport(), Transport::Pusher);
}

#[test]
fn a_connection_without_room_for_a_token_refuses_one() {
    let mut c = Board::with_capacities(Transport::Pusher, URL, Config::default()).unwrap();
    assert_eq!(c.set_token(at(0), "t"), Err(UsageError::TokenTooLong));
    assert_eq!(c.set_token(at(0), ""), Ok(()));
    // A seventh channel does not fit.
    for ch in SIX {
        c.subscribe(ch).unwrap();
    }
    assert_eq!(c.subscribe("c6"), Err(UsageError::TooManyChannels));
}

#[test]
fn a_pusher_only_connection_leaves_centrifugo_messages_unread() {
    // A Pusher-only connection (`TOKEN` 0) walks its messages Pusher-only: Centrifugo's ping,
    // a reply and a push are blanked unread, as a Pusher state machine ignores them read, and
    // the Kick frames around them come out. (A connection that can speak Centrifugo, here one
    // speaking Pusher, reads them: it hands a Kick publication on.)
    let push = r#"{"push":{"channel":"c1","pub":{"data":{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"a\",\"months\":2}"}}}}"#;
    let frame = r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"username\":\"b\",\"months\":3}","channel":"c0"}"#;
    let msg = std::format!("{{}}\n{{\"id\":1,\"connect\":{{}}}}\n{push}\n{frame}");
    let mut c = board_connected();
    recv_board(&mut c, at(20), HELLO);
    let mut bytes = msg.clone().into_bytes();
    let kick: StdVec<Message> = c.handle_message(at(30), &mut bytes).collect();
    let subs = |kick: &[Message]| -> StdVec<(String, String)> {
        kick.iter()
            .filter_map(|m| match m {
                Message::Kick {
                    channel,
                    event: Kick::Subscription(s),
                    ..
                } => Some((channel.to_string(), s.username.to_string())),
                _ => None,
            })
            .collect()
    };
    assert_eq!(subs(&kick), [("c0".into(), "b".into())]);
    let events: StdVec<Event> = core::iter::from_fn(|| c.poll_event()).collect();
    assert!(events.is_empty(), "{events:?}");
    let mut buf = [0u8; 512];
    assert!(
        c.poll_transmit(&mut buf).unwrap().is_none(),
        "no answer to the ping"
    );
    assert_eq!(c.state(), State::Connected);

    let mut c = connected(&["c0", "c1"]);
    let out = recv(&mut c, at(200), &msg);
    assert_eq!(
        subs(&out.kick),
        [("c1".into(), "a".into()), ("c0".into(), "b".into())]
    );
}

/// Everything a Pusher connection of any capacities does through a script of timers: each
/// deadline it gives, and what it sends and says when that deadline comes.
fn timer_script<const C: usize, const E: usize, const T: usize, const K: usize>(
    mut c: Connection<C, E, T, K>,
) -> StdVec<String> {
    let mut log = StdVec::new();
    let mut buf = [0u8; 4096];
    let mut drain = |c: &mut Connection<C, E, T, K>, log: &mut StdVec<String>| {
        while let Some(t) = c.poll_transmit(&mut buf).unwrap() {
            log.push(std::format!("{t:?}"));
        }
        while let Some(e) = c.poll_event() {
            log.push(std::format!("{e:?}"));
        }
        log.push(std::format!("next {:?}", c.poll_timeout()));
    };
    // No channel: the subscriptions' deadlines, every 10 s, would hide a later deadline
    // missed (`handle_timeout` looks at every timer, whatever deadline it is called for).
    c.connect(at(0));
    c.handle_open(at(10));
    let mut hello = HELLO.as_bytes().to_vec();
    c.handle_message(at(20), &mut hello).for_each(drop);
    drain(&mut c, &mut log);
    // Then every deadline as it comes: the activity's (a ping), the pong's (a reconnect), the
    // retry's (a socket that never opens), the handshake's, `Unavailable`'s, ...
    for _ in 0..40 {
        let Some(t) = c.poll_timeout() else { break };
        c.handle_timeout(t);
        drain(&mut c, &mut log);
    }
    log
}

#[test]
fn a_pusher_only_connection_keeps_the_timers_of_one_with_room_for_a_token() {
    // With no room for a token (`TOKEN` 0, the browser's module every page loads), Centrifugo's
    // timers are neither looked at nor counted: the Pusher machine runs exactly as with room
    // for one.
    type PusherOnly = Connection<
        { crate::limits::CHANNELS },
        { crate::limits::EVENTS },
        { crate::limits::TRANSMITS },
        0,
    >;
    let config = || Config {
        rng_seed: 7,
        ..Config::default()
    };
    let full = timer_script(Connection::new(Transport::Pusher, URL, config()).unwrap());
    let pusher_only =
        timer_script(PusherOnly::with_capacities(Transport::Pusher, URL, config()).unwrap());
    assert_eq!(full, pusher_only);
    // The script went through every Pusher timer: the activity's (a ping), the pong's (a
    // reconnect), the retry's, the handshake's and `Unavailable`'s.
    let all = full.join("\n");
    for seen in [
        "HandshakeTimeout",
        "Reconnecting",
        "pusher:ping",
        "PingTimeout",
        "current: Unavailable",
    ] {
        assert!(all.contains(seen), "{seen} missing from:\n{all}");
    }
}
