//! The relay's Pusher endpoint with the clients users point at it, unchanged: kickwire's own
//! `watch --url ws://ADDR` and pusher-js (the reference client, run by node from
//! `tests/pusher-js`). All on 127.0.0.1, every wait bounded.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Cli;
use kickwire_cli::endpoint::{Config, Endpoint};
use serde_json::Value;

fn start() -> Endpoint {
    Endpoint::bind("127.0.0.1:0".parse().unwrap(), Config::default()).unwrap()
}

/// The first frame of a real Kick vector file: its channel, event name and `data` text.
fn vector(name: &str) -> (String, String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/kick")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let frame: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let s = |k: &str| frame[k].as_str().unwrap().to_owned();
    (s("channel"), s("event"), s("data"))
}

#[test]
fn kickwire_watch_receives_a_real_chat_message_through_the_endpoint() {
    let endpoint = start();
    // `ws://HOST:PORT` alone: watch adds Pusher's /app/KEY path and query itself.
    let url = format!("ws://{}", endpoint.local_addr());
    let (channel, event, data) = vector("ChatMessageEvent.jsonl");
    let cli = Cli::start(&[
        "watch",
        "--url",
        &url,
        "--subscribe",
        &channel,
        "--json",
        "--max-events",
        "1",
    ]);
    let (ok, lines) = cli.until(Duration::from_secs(15), |v| v["type"] == "Subscribed");
    assert!(ok, "{lines:?}");
    assert_eq!(lines[0]["type"], "Connected", "{lines:?}");
    assert_eq!(lines[0]["transport"], "pusher");

    endpoint.publish(&channel, &event, &data);
    let (ok, events) = cli.until(Duration::from_secs(10), |v| v["type"] == "ChatMessage");
    assert!(ok, "{events:?}");
    // Checked by hand against tests/vectors/kick/ChatMessageEvent.jsonl's first frame.
    let chat = events.last().unwrap();
    assert_eq!(chat["channel"], "chatrooms.2507974.v2");
    assert_eq!(chat["id"], "b2af4980-9dfa-4822-960d-0e64704e2ced");
    assert_eq!(chat["content"], "more in premiere");
    assert_eq!(chat["sender"]["username"], "tayloredbydrew");
    assert_eq!(chat["sender"]["identity"]["color"], "#FF9D00");
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
}

fn pusher_js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/pusher-js")
}

#[test]
fn pusher_js_receives_every_event_once_in_order() {
    let dir = pusher_js_dir();
    // scripts/test.sh installs it; a missing install is a failure, not a silent pass.
    assert!(
        dir.join("node_modules/pusher-js").is_dir(),
        "tests/pusher-js/node_modules is missing; install it with \
         (cd tests/pusher-js && npm ci --no-audit --no-fund --ignore-scripts)"
    );
    let endpoint = start();
    let channel = "chatrooms.7.v2";
    let mut node = Command::new("node")
        .arg("client.js")
        .arg(endpoint.local_addr().port().to_string())
        .arg(channel)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node is needed for the pusher-js test");
    let stdout = node.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let next = || -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("pusher-js went quiet");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    };
    let mut seen = Vec::new();
    loop {
        let record = next();
        seen.push(record.clone());
        assert_ne!(record["type"], "error", "{seen:?}");
        if record["type"] == "subscribed" {
            break;
        }
    }
    assert!(seen.iter().any(|r| r["type"] == "connected"), "{seen:?}");

    const N: usize = 50;
    for n in 0..N {
        let data = format!(r#"{{"n":{n},"text":"quote \" backslash \\ é"}}"#);
        endpoint.publish(channel, r"App\Events\ChatMessageEvent", &data);
        endpoint.publish("chatrooms.8.v2", "not-subscribed", "{}");
    }
    for n in 0..N {
        let record = next();
        assert_eq!(record["type"], "event", "{record}");
        assert_eq!(record["event"], r"App\Events\ChatMessageEvent");
        // pusher-js parsed the data string back into the object published.
        assert_eq!(record["data"]["n"], n, "{record}");
        assert_eq!(record["data"]["text"], "quote \" backslash \\ é");
    }
    // Nothing more: a marker published last is the very next line (no duplicates, nothing
    // from the other channel).
    endpoint.publish(channel, "marker", r#"{"end":true}"#);
    let record = next();
    assert_eq!(
        (record["event"].as_str(), record["data"]["end"].as_bool()),
        (Some("marker"), Some(true)),
        "{record}"
    );

    // connection_established, subscription_succeeded, the events, the marker: nothing else.
    let expected = 2 + N as u64 + 1;
    let until = Instant::now() + Duration::from_secs(5);
    while endpoint.stats().frames_out < expected && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        endpoint.stats().frames_out,
        expected,
        "{:?}",
        endpoint.stats()
    );

    drop(node.stdin.take()); // client.js disconnects and exits when its stdin closes
    let exit_deadline = Instant::now() + Duration::from_secs(10);
    while node.try_wait().unwrap().is_none() {
        if Instant::now() > exit_deadline {
            let _ = node.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = node.wait();
}
