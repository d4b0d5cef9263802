//! The alert board's logic through `kickwire relay`: the simulator (`examples/alert-sim`, the
//! firmware's board logic and WebSocket link on std, run in-process) points at the relay's
//! endpoint instead of a Pusher server, and Kick's five real events of one sub, published
//! upstream (sockudo), light the strip once, exactly as they do straight from the server
//! (`tests/tests/alert_sim.rs`, "a_subs_five_events_are_one_pulse").

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::relay::{self, Relay};
use kickwire_alert_sim::{Parsed, parse, run_until};
use kickwire_tests::copies::{SUB_CHANNEL, SUB_CHATROOM, micke747_sub};
use kickwire_tests::poll_until;
use kickwire_tests::sockudo::{APP_KEY, Options, Sockudo};
use serde_json::Value;

const POLL: Duration = Duration::from_millis(25);

/// The simulator's recorded lines of one `type` (`frame` or `event`).
fn records(path: &PathBuf, kind: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == kind)
        .collect()
}

#[test]
fn the_board_shows_a_sub_once_through_the_relay() {
    let upstream = Sockudo::start(Options::default());
    let (room, chan) = (SUB_CHATROOM.to_string(), SUB_CHANNEL.to_string());
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let relay = Relay::start(&relay::args(&url, &[(&room, &chan)]), 1);
    let addr = relay.endpoint();
    let relay = relay.cli;

    let dir = std::env::temp_dir().join(format!("kickwire-relay-board-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let frames = dir.join("frames.jsonl");
    let sim_url =
        format!("ws://{addr}/app/{APP_KEY}?protocol=7&client=js&version=8.4.0&flash=false");
    let args = [
        "--chatroom",
        &room,
        "--channel",
        &chan,
        "--url",
        &sim_url,
        "--leds",
        "30",
        "--fps",
        "50",
        "--quiet",
        "--frames",
        frames.to_str().unwrap(),
        "--duration",
        "120",
    ];
    let Ok(Parsed::Run(options)) = parse(args.iter().map(|s| s.to_string())) else {
        panic!("bad arguments");
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let sim = std::thread::spawn(move || run_until(&options, &flag));

    // Connected to the relay with the chat's six channels.
    assert!(
        poll_until(Duration::from_secs(15), POLL, || {
            records(&frames, "frame")
                .iter()
                .any(|f| f["state"] == "connected" && f["subscribed"] == 6)
        }),
        "not subscribed through the relay: {:?}",
        records(&frames, "event")
    );
    for f in micke747_sub() {
        upstream.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    // One alert, and a second one would have shown within the second that follows it.
    let alerts = || -> Vec<String> {
        records(&frames, "event")
            .iter()
            .filter_map(|e| e["text"].as_str())
            .filter(|t| t.starts_with("alert: "))
            .map(str::to_string)
            .collect()
    };
    assert!(poll_until(Duration::from_secs(10), POLL, || !alerts().is_empty()));
    let t = records(&frames, "frame")
        .last()
        .and_then(|f| f["t_ms"].as_u64())
        .unwrap();
    assert!(poll_until(Duration::from_secs(10), POLL, || {
        records(&frames, "frame")
            .last()
            .and_then(|f| f["t_ms"].as_u64())
            .unwrap()
            > t + 1_000
    }));
    assert_eq!(alerts(), ["alert: Subscription { months: 38 }"]);

    stop.store(true, Ordering::Relaxed);
    assert!(poll_until(Duration::from_secs(10), POLL, || sim.is_finished()));
    let summary = sim.join().unwrap().unwrap();
    // As straight from the server: the five events each arrived once, three only ever copies
    // and one a duplicate of the months.
    assert_eq!((summary.alerts, summary.copies), (1, 4), "{summary:?}");
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
    let _ = std::fs::remove_dir_all(&dir);
}
