//! A connection never wedges and never loses its own state: token fetches that fail,
//! bursts that used to overflow the queues, subscribes and pings nobody answers, servers that
//! drop every connection. Each test is a case that went wrong before (issue 11).

use super::tests::{CURL, HELLO, URL, at, cent_connected, connected, drain, recv, states};
use super::*;
use std::format;
use std::string::String;
use std::vec::Vec as StdVec;

fn tokens_asked(out: &super::tests::Out) -> StdVec<bool> {
    out.events
        .iter()
        .filter_map(|e| match e {
            Event::TokenRequired { refresh } => Some(*refresh),
            _ => None,
        })
        .collect()
}

fn reconnecting(out: &super::tests::Out) -> Option<(u64, Reason)> {
    out.events.iter().find_map(|e| match e {
        Event::Reconnecting { after, reason } => Some((after.as_millis() as u64, *reason)),
        _ => None,
    })
}

/// Runs the timers (as a driver sleeping on `poll_timeout` would) for `ms`, collecting
/// everything; panics if the connection has no timer before then (it would sleep for ever).
fn run_for(c: &mut Connection, now: &mut u64, ms: u64) -> super::tests::Out {
    let until = *now + ms;
    let mut all = super::tests::Out::default();
    for _ in 0..1_000 {
        let Some(t) = c.poll_timeout() else {
            panic!("no timer at {now} ms in state {:?}", c.state());
        };
        if t.as_millis() > until {
            break;
        }
        *now = t.as_millis().max(*now);
        c.handle_timeout(at(*now));
        let out = drain(c);
        all.opens.extend(out.opens);
        all.texts.extend(out.texts);
        all.closes.extend(out.closes);
        all.events.extend(out.events);
    }
    all
}

// ----- tokens -----

#[test]
fn a_failed_first_token_fetch_is_asked_again_after_a_growing_back_off() {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.subscribe("chatrooms.1.v2").unwrap();
    c.connect(at(0));
    assert_eq!(tokens_asked(&drain(&mut c)), [false]);
    let mut now = 100;
    for base in [1_000, 2_000, 4_000] {
        c.token_failed(at(now));
        let out = drain(&mut c);
        let (after, reason) = reconnecting(&out).expect("a retry is planned");
        assert_eq!(reason, Reason::TokenUnavailable);
        assert!((base..base + 1_000).contains(&after), "{after} for {base}");
        let out = run_for(&mut c, &mut now, after);
        assert_eq!(tokens_asked(&out), [false], "asked again at {now}");
        assert!(out.opens.is_empty(), "no socket without a token");
    }
    // The driver reports nothing at all this time: the token timeout stands in for it.
    let out = run_for(&mut c, &mut now, 30_000);
    assert!(matches!(
        reconnecting(&out),
        Some((_, Reason::TokenUnavailable))
    ));
    let out = run_for(&mut c, &mut now, 10_000);
    assert_eq!(tokens_asked(&out), [false]);
    // And a token, when it comes, connects.
    c.set_token(at(now), "tok").unwrap();
    assert_eq!(drain(&mut c).opens, [CURL]);
}

#[test]
fn a_failed_refresh_then_a_3005_close_still_reconnects() {
    // The case that wedged: the refresh fetch fails silently (no set_token), the server ends
    // the connection with 3005 when the token expires; the connection used to wait for the
    // token it had already asked for, with no timer, for ever.
    let mut c = cent_connected(&["chatrooms.1.v2"]);
    drain(&mut c);
    let mut now = 20 + 2_640_000;
    recv(&mut c, at(now), "{}"); // the server's pings keep coming
    c.handle_timeout(at(now));
    assert_eq!(tokens_asked(&drain(&mut c)), [true]);
    now += 60_000;
    c.handle_closed(at(now), Some(3005), "connection expired");
    let out = drain(&mut c);
    assert!(matches!(
        reconnecting(&out),
        Some((_, Reason::TokenExpired))
    ));
    // At once (the reconnect's jitter), a token is asked for again to connect with.
    let out = run_for(&mut c, &mut now, 1_000);
    assert_eq!(tokens_asked(&out), [false]);
    c.set_token(at(now), "tok-3").unwrap();
    assert_eq!(drain(&mut c).opens, [CURL]);
}

#[test]
fn a_failed_refresh_is_asked_again_while_the_connection_stays_up() {
    let mut c = cent_connected(&[]);
    drain(&mut c);
    let mut now = 20 + 2_640_000;
    recv(&mut c, at(now), "{}"); // the server's pings keep coming
    c.handle_timeout(at(now));
    assert_eq!(tokens_asked(&drain(&mut c)), [true]);
    c.token_failed(at(now));
    let out = drain(&mut c);
    assert!(out.closes.is_empty() && reconnecting(&out).is_none());
    assert_eq!(c.state(), State::Connected);
    // Keep the server's pings coming so only the refresh timer matters.
    let t = c.poll_timeout().unwrap().as_millis();
    assert!((now + 1_000..now + 2_000).contains(&t), "{t}");
    now = t;
    recv(&mut c, at(now), "{}");
    c.handle_timeout(at(now));
    assert_eq!(tokens_asked(&drain(&mut c)), [true]);
    c.set_token(at(now), "tok-2").unwrap();
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"refresh":{"token":"tok-2"},"id":2}"#]
    );
}

#[test]
fn a_refresh_error_other_than_109_is_retried_with_a_new_token() {
    let mut c = cent_connected(&[]);
    drain(&mut c);
    let mut now = 20 + 2_640_000;
    recv(&mut c, at(now), "{}"); // the server's pings keep coming
    c.handle_timeout(at(now));
    drain(&mut c);
    c.set_token(at(now), "tok-2").unwrap();
    drain(&mut c);
    let out = recv(
        &mut c,
        at(now + 50),
        r#"{"id":2,"error":{"code":100,"message":"internal server error"}}"#,
    );
    assert!(matches!(
        &out.events[..],
        [Event::ServerError {
            code: Some(100),
            ..
        }]
    ));
    assert_eq!(c.state(), State::Connected);
    let t = c.poll_timeout().unwrap().as_millis();
    assert!((now + 1_050..now + 2_050).contains(&t), "{t}");
    now = t;
    recv(&mut c, at(now), "{}");
    c.handle_timeout(at(now));
    assert_eq!(tokens_asked(&drain(&mut c)), [true]);
    c.set_token(at(now), "tok-3").unwrap();
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"refresh":{"token":"tok-3"},"id":3}"#]
    );
}

#[test]
fn disconnect_while_a_token_is_awaited_asks_again_after_connect() {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.connect(at(0));
    assert_eq!(tokens_asked(&drain(&mut c)), [false]);
    c.disconnect(at(10));
    drain(&mut c);
    c.connect(at(20));
    assert_eq!(tokens_asked(&drain(&mut c)), [false]);
    assert_eq!(c.poll_timeout(), Some(at(20 + 10_000)), "unavailable timer");
}

// ----- queues -----

#[test]
fn a_connect_reply_and_twenty_bad_lines_keep_connected() {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.set_token(at(0), "tok").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    let mut frame =
        String::from(r#"{"id":1,"connect":{"client":"c-1","expires":true,"ttl":2700,"ping":25}}"#);
    for i in 0..20 {
        frame.push_str(&format!("\nnot json {i}"));
    }
    let out = recv(&mut c, at(20), &frame);
    assert_eq!(states(&out), [State::Connected]);
    assert!(
        out.events
            .iter()
            .any(|e| matches!(e, Event::Connected { .. }))
    );
    let bad: StdVec<u32> = out
        .events
        .iter()
        .filter_map(|e| match e {
            Event::BadMessage { repeats, .. } => Some(*repeats),
            _ => None,
        })
        .collect();
    assert_eq!(
        bad,
        [19],
        "one event for twenty bad lines, the rest counted"
    );
    assert_eq!(c.events_dropped(), 0);
}

#[test]
fn a_connect_reply_and_thirty_pings_keep_every_subscribe() {
    let channels = [
        "chatrooms.1.v2",
        "chatrooms.1",
        "chatroom_1",
        "channel.2",
        "channel_2",
        "predictions-channel-2",
    ];
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    for ch in channels {
        c.subscribe(ch).unwrap();
    }
    c.set_token(at(0), "tok").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    let mut frame = String::from(r#"{"id":1,"connect":{"client":"c-1","ping":25}}"#);
    for _ in 0..30 {
        frame.push_str("\n{}");
    }
    let out = recv(&mut c, at(20), &frame);
    let subscribed: StdVec<String> = out
        .texts
        .iter()
        .filter(|t| t.starts_with(r#"{"subscribe""#))
        .cloned()
        .collect();
    let want: StdVec<String> = channels
        .iter()
        .enumerate()
        .map(|(i, ch)| format!(r#"{{"subscribe":{{"channel":"{ch}"}},"id":{}}}"#, i + 2))
        .collect();
    assert_eq!(subscribed, want);
    assert_eq!(
        out.texts.iter().filter(|t| *t == "{}").count(),
        1,
        "thirty pings, one pong"
    );
    assert_eq!(c.transmits_dropped(), 0);
}

#[test]
fn pusher_pings_in_a_burst_get_one_pong_and_errors_one_counted_event() {
    let mut c = connected(&["chatrooms.1.v2"]);
    drain(&mut c);
    let mut frame = String::new();
    for i in 0..40 {
        frame.push_str(r#"{"event":"pusher:ping","data":{}}"#);
        frame.push('\n');
        frame.push_str(&format!(
            r#"{{"event":"pusher:error","data":{{"code":4301,"message":"rate limit {i}"}}}}"#
        ));
        frame.push('\n');
    }
    frame.push_str(
        r#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.1.v2"}"#,
    );
    let out = recv(&mut c, at(200), &frame);
    assert_eq!(out.texts, [r#"{"event":"pusher:pong","data":{}}"#]);
    assert!(matches!(
        &out.events[..],
        [Event::ServerError { code: Some(4301), message, repeats: 39 }, Event::Subscribed { .. }]
            if message.as_str() == "rate limit 0"
    ));
}

// ----- subscribes and pings nobody answers -----

#[test]
fn an_unanswered_pusher_subscribe_is_sent_again_with_an_event() {
    let mut c = connected(&["chatrooms.1.v2"]);
    drain(&mut c);
    let mut now = 100;
    let out = run_for(&mut c, &mut now, 10_000);
    assert_eq!(now, 100 + 10_000);
    assert!(
        matches!(&out.events[..], [Event::SubscriptionTimedOut { channel }] if channel.as_str() == "chatrooms.1.v2")
    );
    assert_eq!(
        out.texts,
        [r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.1.v2"}}"#]
    );
    let out = recv(
        &mut c,
        at(now + 5),
        r#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.1.v2"}"#,
    );
    assert!(matches!(&out.events[..], [Event::Subscribed { .. }]));
    // Answered: no more retries, only the activity check is left.
    assert_eq!(c.poll_timeout(), Some(at(now + 5 + 120_000)));
}

#[test]
fn an_unanswered_centrifugo_subscribe_is_sent_again_with_a_new_id() {
    let mut c = cent_connected(&["chatrooms.1.v2"]);
    let out = drain(&mut c);
    assert!(
        out.texts.is_empty(),
        "cent_connected drained the first subscribe"
    );
    // The server's pings keep coming.
    recv(&mut c, at(9_000), "{}");
    let mut now = 9_000;
    let out = run_for(&mut c, &mut now, 1_020);
    assert!(matches!(
        &out.events[..],
        [Event::SubscriptionTimedOut { .. }]
    ));
    assert_eq!(
        out.texts,
        [r#"{"subscribe":{"channel":"chatrooms.1.v2"},"id":3}"#]
    );
    // A late reply to the first (id 2) is not taken for the second.
    let out = recv(&mut c, at(now + 5), r#"{"id":2,"subscribe":{}}"#);
    assert!(out.events.is_empty());
    let out = recv(&mut c, at(now + 6), r#"{"id":3,"subscribe":{}}"#);
    assert!(matches!(&out.events[..], [Event::Subscribed { .. }]));
    assert!(c.is_subscribed("chatrooms.1.v2"));
}

fn cent_connected_without_pings(reply: &str) -> Connection {
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.set_token(at(0), "tok").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    drain(&mut c);
    let out = recv(&mut c, at(20), reply);
    assert_eq!(states(&out), [State::Connected]);
    c
}

#[test]
fn a_centrifugo_server_without_pings_is_pinged_and_a_dead_one_dropped() {
    for reply in [
        r#"{"id":1,"connect":{"client":"c-1"}}"#,
        r#"{"id":1,"connect":{"client":"c-1","ping":0}}"#,
    ] {
        let mut c = cent_connected_without_pings(reply);
        // 120 s of silence (Config::activity_timeout): our ping.
        assert_eq!(c.poll_timeout(), Some(at(20 + 120_000)), "{reply}");
        c.handle_timeout(at(20 + 120_000));
        assert_eq!(drain(&mut c).texts, [r#"{"ping":{},"id":2}"#]);
        // Its answer keeps the connection; the next ping after another silence.
        let out = recv(&mut c, at(20 + 120_100), r#"{"id":2}"#);
        assert!(out.events.is_empty(), "{:?}", out.events);
        assert_eq!(c.poll_timeout(), Some(at(20 + 240_100)));
        c.handle_timeout(at(20 + 240_100));
        assert_eq!(drain(&mut c).texts, [r#"{"ping":{},"id":3}"#]);
        // No answer within 30 s (Config::pong_timeout): a dead socket, closed and retried.
        assert_eq!(c.poll_timeout(), Some(at(20 + 270_100)));
        c.handle_timeout(at(20 + 270_100));
        let out = drain(&mut c);
        assert_eq!(out.closes, [1000]);
        assert!(matches!(reconnecting(&out), Some((_, Reason::PingTimeout))));
    }
}

// ----- sockets nobody reports, servers that drop everything -----

#[test]
fn an_open_the_driver_never_reports_times_out() {
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    assert_eq!(drain(&mut c).opens.len(), 1);
    // Neither handle_open nor handle_closed ever comes.
    let mut now = 0;
    let out = run_for(&mut c, &mut now, 15_000);
    assert_eq!(out.closes, [1000], "the socket being opened is abandoned");
    assert!(matches!(
        reconnecting(&out),
        Some((_, Reason::HandshakeTimeout))
    ));
    let out = run_for(&mut c, &mut now, 2_000);
    assert_eq!(out.opens.len(), 1, "and another is opened");
}

#[test]
fn a_server_that_drops_every_connection_gets_the_growing_back_off() {
    // Pusher: the handshake succeeds, then the socket closes 100 ms later, every time; the
    // server even asks for an immediate reconnect (4200). Before, each good handshake reset
    // the back-off: a reconnect every 0-2 s for ever.
    let mut c = Connection::new(Transport::Pusher, URL, Config::default()).unwrap();
    c.connect(at(0));
    let mut now = 0;
    let mut delays = StdVec::new();
    for _ in 0..6 {
        assert_eq!(drain(&mut c).opens.len(), 1);
        c.handle_open(at(now + 10));
        recv(&mut c, at(now + 20), HELLO);
        now += 120;
        c.handle_closed(at(now), Some(4200), "please reconnect");
        let (after, _) = reconnecting(&drain(&mut c)).unwrap();
        delays.push(after / 1_000);
        now += after;
        c.handle_timeout(at(now));
    }
    assert_eq!(delays, [0, 2, 4, 8, 16, 16]);
}

#[test]
fn an_unsubscribe_push_before_the_connect_reply_changes_nothing() {
    // Found by the connection fuzz target: the push made the connection subscribe before it
    // was connected, and that subscribe's deadline was only checked on a ready socket, so
    // once due it stayed due: a driver calling handle_timeout at poll_timeout spun for ever.
    let mut c = Connection::new(Transport::Centrifugo, CURL, Config::default()).unwrap();
    c.subscribe("a").unwrap();
    c.set_token(at(0), "tok").unwrap();
    c.connect(at(0));
    drain(&mut c);
    c.handle_open(at(10));
    assert_eq!(
        drain(&mut c).texts,
        [r#"{"connect":{"token":"tok","name":"js"},"id":1}"#]
    );
    let out = recv(
        &mut c,
        at(20),
        r#"{"push":{"channel":"a","unsubscribe":{"code":2500}}}"#,
    );
    assert!(out.texts.is_empty(), "{:?}", out.texts);
    let mut now = 20;
    let out = run_for(&mut c, &mut now, 12_000);
    assert!(out.texts.is_empty(), "{:?}", out.texts);
    assert!(c.poll_timeout().unwrap() > at(now));
}

#[test]
fn a_channels_newer_event_takes_the_place_of_its_older_one() {
    // One message: a subscribe reply, then the server ends that subscription for good. The
    // driver learns where the channel stands (refused), once, and the other channel's event
    // keeps its place.
    let mut c = cent_connected(&["a", "b"]);
    drain(&mut c);
    let out = recv(
        &mut c,
        at(30),
        concat!(
            r#"{"id":2,"subscribe":{}}"#,
            "\n",
            r#"{"id":3,"subscribe":{}}"#,
            "\n",
            r#"{"push":{"channel":"a","unsubscribe":{"code":3000,"reason":"gone"}}}"#,
        ),
    );
    assert!(
        matches!(
            &out.events[..],
            [Event::SubscriptionError { channel: a, code: Some(3000), .. }, Event::Subscribed { channel: b }]
                if a.as_str() == "a" && b.as_str() == "b"
        ),
        "{:?}",
        out.events
    );
}
