//! `watch` reports the connection's newer lifecycle events, readable and as JSON, and carries
//! on through them: failed token fetches (reported, retried after a growing back-off, never an
//! exit) and subscriptions the server does not answer.

mod common;

use std::cell::Cell;
use std::time::Duration;

use common::{Cli, chat_frame, watch_args};
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::scripted::{Peer, ScriptedServer};
use serde_json::{Value, json};

const CHANNEL: &str = "chatrooms.1.v2";

/// How many token failures the test waits for: back-offs of 1, 2 and 4 s (each plus up to 1 s
/// of jitter).
const FAILURES: usize = 3;

#[test]
fn a_failed_token_fetch_is_reported_and_retried_never_fatal() {
    // A Centrifugo server and no --token: the CLI fetches a Kick guest token, which fails
    // offline (no route to kick.com), again and again.
    let server = CentrifugoServer::start().unwrap();
    let url = server.url();
    let json_cli = Cli::start(&["watch", "--url", &url, "--subscribe", CHANNEL, "--json"]);
    let human = Cli::start(&["watch", "--url", &url, "--subscribe", CHANNEL]);

    let retries = Cell::new(0);
    let (ok, seen) = json_cli.until(Duration::from_secs(30), |v| {
        if v["type"] == "Reconnecting" {
            retries.set(retries.get() + 1);
        }
        retries.get() == FAILURES
    });
    assert!(ok, "{seen:#?}");
    // Each failure: an Error object from the token source, then a Reconnecting for want of a
    // token, later each time.
    let reports: Vec<&Value> = seen
        .iter()
        .filter(|v| v["type"] == "Error" || v["type"] == "Reconnecting")
        .collect();
    assert_eq!(reports.len(), 2 * FAILURES, "{seen:#?}");
    let mut delays = Vec::new();
    for pair in reports.chunks(2) {
        assert_eq!(pair[0]["source"], "token", "{pair:?}");
        assert!(pair[0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(pair[1]["reason"], "no connection token", "{pair:?}");
        delays.push(pair[1]["afterMs"].as_u64().unwrap());
    }
    // 1-2 s, 2-3 s, 4-5 s.
    assert!(
        delays[0] < 2000 && delays[0] < delays[1] && delays[1] < delays[2] && delays[2] >= 4000,
        "{delays:?}"
    );

    let (ok, lines) = human.err_until(Duration::from_secs(15), {
        let retries = Cell::new(0);
        move |l| {
            if l.contains("(no connection token)") {
                retries.set(retries.get() + 1);
            }
            retries.get() == FAILURES
        }
    });
    assert!(ok, "{lines:#?}");
    let failed = lines
        .iter()
        .filter(|l| l.starts_with("[kickwire] cannot get a connection token: "))
        .count();
    assert_eq!(failed, FAILURES, "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("[kickwire] reconnecting in ")),
        "{lines:#?}"
    );

    // Both still running; Ctrl-C ends them cleanly.
    for mut cli in [json_cli, human] {
        assert!(cli.child.try_wait().unwrap().is_none(), "exited");
        cli.interrupt();
        let (code, stderr) = cli.wait(Duration::from_secs(10));
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert_eq!(server.connections(), 0, "no connection without a token");
}

/// Ignores the first subscribe; answers the second (the client's resend) and sends a chat.
fn ignore_first_subscribe(peer: &mut Peer) {
    peer.established(120);
    let _ignored = peer.recv(Duration::from_secs(5));
    if let Some(again) = peer.recv(Duration::from_secs(20)) {
        peer.answer_subscribe(&again);
        peer.send(&chat_frame("finally", "bob", CHANNEL));
    }
}

#[test]
fn an_unanswered_subscribe_is_reported_and_sent_again() {
    let server = ScriptedServer::start(ignore_first_subscribe).unwrap();
    let url = server.url();
    let json_cli = Cli::start(&watch_args(&url, CHANNEL, "1", &["--json"]));
    let human = Cli::start(&watch_args(&url, CHANNEL, "1", &[]));

    // The subscribe timeout is 10 s.
    let (ok, seen) = json_cli.until(Duration::from_secs(25), |v| v["type"] == "ChatMessage");
    assert!(ok, "{seen:#?}");
    let types: Vec<&str> = seen.iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "Connected",
            "SubscriptionTimedOut",
            "Subscribed",
            "ChatMessage"
        ]
    );
    assert_eq!(
        seen[1],
        json!({"type": "SubscriptionTimedOut", "channel": CHANNEL})
    );

    let (ok, lines) = human.err_until(Duration::from_secs(25), |l| {
        l.starts_with("[kickwire] subscribed to ")
    });
    assert!(ok, "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l == "[kickwire] no reply to the subscription to chatrooms.1.v2; asked again"),
        "{lines:#?}"
    );
    for cli in [json_cli, human] {
        let (code, stderr) = cli.wait(Duration::from_secs(10));
        assert_eq!(code, Some(0), "{stderr}");
    }
    // Each connection got the subscribe twice.
    for conn in [1, 2] {
        let subscribes = server
            .received(conn)
            .iter()
            .filter(|t| t.contains("pusher:subscribe"))
            .count();
        assert_eq!(subscribes, 2, "connection {conn}");
    }
}
