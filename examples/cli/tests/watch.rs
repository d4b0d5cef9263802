//! `kickwire watch` and `record` end to end: the real binary against the real Pusher-protocol
//! server (sockudo on 127.0.0.1) and the Centrifugo test server.

mod common;

use std::time::Duration;

use common::Cli;
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::Value;

const CHAT: &str = r##"{"id":"b2af4980-9dfa-4822-960d-0e64704e2ced","chatroom_id":2507974,"content":"more in premiere","type":"message","created_at":"2023-12-24T22:05:00+00:00","sender":{"id":1247649,"username":"tayloredbydrew","slug":"tayloredbydrew","identity":{"color":"#FF9D00","badges":[]}}}"##;
const GIFT: &str = r#"{"chatroom_id":2507974,"gifted_usernames":["bigboss_23","nikko"],"gifter_username":"court"}"#;
const CHANNEL: &str = "chatrooms.2507974.v2";

fn is_type(v: &Value, t: &str) -> bool {
    v["type"] == t
}

#[test]
fn watch_prints_lifecycle_and_events_as_json() {
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let cli = Cli::start(&[
        "watch",
        "--url",
        &url,
        "--subscribe",
        CHANNEL,
        "--json",
        "--max-events",
        "2",
    ]);
    let (ok, lines) = cli.until(Duration::from_secs(15), |v| is_type(v, "Subscribed"));
    assert!(ok, "{lines:?}");
    assert!(is_type(&lines[0], "Connected"), "{lines:?}");
    assert_eq!(lines[0]["transport"], "pusher");
    assert_eq!(lines.last().unwrap()["channel"], CHANNEL);
    server
        .trigger(CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    server
        .trigger(CHANNEL, "App\\Events\\GiftedSubscriptionsEvent", GIFT)
        .unwrap();
    let (ok, events) = cli.until(Duration::from_secs(10), |v| {
        is_type(v, "GiftedSubscriptions")
    });
    assert!(ok, "{events:?}");
    // Checked by hand against the payloads above.
    assert_eq!(events[0]["type"], "ChatMessage");
    assert_eq!(events[0]["channel"], CHANNEL);
    assert_eq!(events[0]["content"], "more in premiere");
    assert_eq!(events[0]["sender"]["username"], "tayloredbydrew");
    assert_eq!(events[1]["gifter_username"], "court");
    assert_eq!(events[1]["gifted_count"], 2);
    // --max-events 2: a clean close and exit 0.
    let (ok, rest) = cli.until(Duration::from_secs(10), |v| is_type(v, "Disconnected"));
    assert!(ok, "{rest:?}");
    assert_eq!(rest.last().unwrap()["willRetry"], false);
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 Kick events"), "{stderr}");
}

#[test]
fn watch_shows_a_server_restart_and_carries_on() {
    let mut server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let cli = Cli::start(&[
        "watch",
        "--url",
        &url,
        "--subscribe",
        CHANNEL,
        "--json",
        "--max-events",
        "1",
    ]);
    assert!(
        cli.until(Duration::from_secs(15), |v| is_type(v, "Subscribed"))
            .0
    );
    server.stop();
    let (ok, lines) = cli.until(Duration::from_secs(10), |v| is_type(v, "Reconnecting"));
    assert!(ok, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|v| is_type(v, "Disconnected") && v["code"] == 4200 && v["willRetry"] == true),
        "{lines:?}"
    );
    server.start_again();
    let (ok, lines) = cli.until(Duration::from_secs(20), |v| is_type(v, "Subscribed"));
    assert!(ok, "{lines:?}");
    server
        .trigger(CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    assert!(
        cli.until(Duration::from_secs(10), |v| is_type(v, "ChatMessage"))
            .0
    );
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn ctrl_c_closes_cleanly() {
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let cli = Cli::start(&["watch", "--url", &url, "--subscribe", CHANNEL]);
    // Human mode: lifecycle on stderr, so wait for the subscription through the server.
    std::thread::sleep(Duration::from_millis(1500));
    cli.interrupt();
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("subscribed to chatrooms.2507974.v2"),
        "{stderr}"
    );
    assert!(stderr.contains("disconnected (code 1000"), "{stderr}");
}

#[test]
fn record_saves_a_capture_that_replay_reads_back() {
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let dir = std::env::temp_dir().join(format!("kickwire-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("capture.jsonl");
    let cli = Cli::start(&[
        "record",
        "--url",
        &url,
        "--subscribe",
        CHANNEL,
        file.to_str().unwrap(),
        "--max-events",
        "2",
    ]);
    // record prints nothing per event; give it time to subscribe, then send.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while std::fs::read_to_string(&file).map_or(true, |s| !s.contains("subscription_succeeded")) {
        assert!(
            std::time::Instant::now() < deadline,
            "no subscription recorded"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
        .trigger(CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    server
        .trigger(CHANNEL, "App\\Events\\GiftedSubscriptionsEvent", GIFT)
        .unwrap();
    let (code, stderr) = cli.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
    let capture = std::fs::read_to_string(&file).unwrap();
    assert!(
        capture
            .lines()
            .next()
            .unwrap()
            .contains("pusher:connection_established"),
        "{capture}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .args(["replay", "--json", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let events: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["content"], "more in premiere");
    assert_eq!(events[1]["gifted_count"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn watch_speaks_centrifugo_with_a_token() {
    let server = CentrifugoServer::start().unwrap();
    server.accept_token("tok-e2e", None);
    let cli = Cli::start(&[
        "watch",
        "--url",
        &server.url(),
        "--token",
        "tok-e2e",
        "--subscribe",
        CHANNEL,
        "--json",
        "--max-events",
        "1",
    ]);
    let (ok, lines) = cli.until(Duration::from_secs(15), |v| is_type(v, "Subscribed"));
    assert!(ok, "{lines:?}");
    assert_eq!(lines[0]["transport"], "centrifugo");
    let data =
        serde_json::json!({"event": "App\\Events\\ChatMessageEvent", "data": CHAT}).to_string();
    assert_eq!(server.publish(CHANNEL, &data), 1);
    let (ok, events) = cli.until(Duration::from_secs(10), |v| is_type(v, "ChatMessage"));
    assert!(ok, "{events:?}");
    assert_eq!(events.last().unwrap()["content"], "more in premiere");
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn watch_without_a_network_fails_fast_and_says_what_to_do() {
    // No resolver for kick.com here (or anywhere offline): the lookup fails within seconds.
    let started = std::time::Instant::now();
    let cli = Cli::start(&["watch", "some-streamer"]);
    let (code, stderr) = cli.wait(Duration::from_secs(30));
    if stderr.contains("chatroom") && code == Some(1) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        assert!(stderr.contains("--chatroom N --channel N"), "{stderr}");
    } else {
        panic!("unexpected: code {code:?}, stderr {stderr}");
    }
}
