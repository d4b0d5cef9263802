//! `--alerts` end to end: the real binary against sockudo (events published through its HTTP
//! API), on capture files (`replay --alerts`), and with the chat history from Kick's endpoint
//! faked on 127.0.0.1. The frames are real or composed from real ones
//! (`kickwire_tests::copies`); every expected line below is written by hand.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::Cli;
use common::fake_kick::{FakeKick, Reply};
use kickwire_tests::copies::{Published, gift_chunks, micke747_sub};
use kickwire_tests::frames::vector_line;
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::{Value, json};

const LIMIT: Duration = Duration::from_secs(15);

/// micke747's sub: one alert for five events (three channel-side copies, and the info line
/// that repeats the sub with its months).
fn sub_alert() -> Value {
    json!({"alert": "Subscription", "username": "micke747", "months": 38})
}

/// Kl_Vava's gift of 5 in three chunks: one alert, its count the total, every recipient.
fn gift_alert() -> Value {
    json!({
        "alert": "GiftedSubscriptions", "gifter": "Kl_Vava", "count": 5,
        "recipients": ["ebii03", "giftee01", "giftee02", "giftee03", "giftee04"],
        "chunks": 3, "complete": true,
    })
}

/// The sub's five events, then the gift's three chunks with the middle one again on a second
/// channel name (a copy): nine events.
fn copies() -> Vec<Published> {
    let [c0, c1, c2] = gift_chunks();
    let again = c1.on("chatrooms.23580962.v2");
    let mut all = micke747_sub().to_vec();
    all.extend([c0, c1, again, c2]);
    all
}

fn is_alert(v: &Value) -> bool {
    v.get("alert").is_some()
}

#[test]
fn watch_alerts_json_gives_one_alert_per_happening() {
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let frames = copies();
    let mut channels: Vec<&str> = frames.iter().map(|f| f.channel.as_str()).collect();
    channels.sort_unstable();
    channels.dedup();
    let mut args = vec!["watch", "--url", &url, "--json", "--alerts"];
    for c in &channels {
        args.extend(["--subscribe", c]);
    }
    // A clean stop once all nine events are in.
    args.extend(["--max-events", "9"]);
    let cli = Cli::start(&args);
    let subscribed = std::cell::Cell::new(0);
    let (ok, lines) = cli.until(LIMIT, |v| {
        if v["type"] == "Subscribed" {
            subscribed.set(subscribed.get() + 1);
        }
        subscribed.get() == channels.len()
    });
    assert!(ok, "{lines:?}");
    // Lifecycle objects print as without --alerts.
    assert_eq!(lines[0]["type"], "Connected", "{lines:?}");
    for f in &frames {
        server.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    let (ok, rest) = cli.until(LIMIT, |v| v["type"] == "Disconnected");
    assert!(ok, "{rest:?}");
    let alerts: Vec<&Value> = rest.iter().filter(|v| is_alert(v)).collect();
    assert_eq!(alerts, [&sub_alert(), &gift_alert()], "{rest:?}");
    let (code, stderr) = cli.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("9 Kick events, 2 alerts"), "{stderr}");
}

/// A capture file of `frames` (one message a line, as `record` writes them), in a directory
/// removed by the caller.
fn capture(name: &str, frames: &[Published]) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("kickwire-alerts-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("capture.jsonl");
    let text: String = frames.iter().map(|f| format!("{}\n", f.frame)).collect();
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

fn replay(args: &[&str]) -> (Vec<String>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .arg("replay")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    (stdout.lines().map(str::to_string).collect(), stderr)
}

#[test]
fn replay_alerts_gives_the_same_alerts() {
    let (dir, file) = capture("replay", &copies());
    let path = file.to_str().unwrap();
    let (lines, stderr) = replay(&["--alerts", "--json", path]);
    let got: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, [sub_alert(), gift_alert()]);
    assert!(
        stderr.contains("9 events, 0 protocol messages, 0 errors, 2 alerts"),
        "{stderr}"
    );
    // The readable form: one line per alert, the kind padded to 20 as an event's type is.
    let (lines, _) = replay(&["--alerts", path]);
    assert_eq!(
        lines,
        [
            "Subscription         micke747 subscribed (38 months)",
            "GiftedSubscriptions  Kl_Vava gifted 5 sub(s) to ebii03, giftee01, giftee02, giftee03, giftee04 (3 chunks)",
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_alerts_tells_a_gift_missing_a_chunk_at_the_end_of_the_file() {
    // The middle chunk never came: at the end of the file, the gift with the 3 of 5 that did.
    let [c0, _, c2] = gift_chunks();
    let (dir, file) = capture("missing", &[c0, c2]);
    let (lines, _) = replay(&["--alerts", "--json", file.to_str().unwrap()]);
    let got: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let want = json!({
        "alert": "GiftedSubscriptions", "gifter": "Kl_Vava", "count": 3,
        "recipients": ["ebii03", "giftee01", "giftee04"], "chunks": 2, "complete": false,
    });
    assert_eq!(got, [want]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The reconstructed history reply (three real chat payloads of chatroom 16756136; see
/// `tests/vectors/kick/SOURCES.md`), served for channel id 17000001.
const HISTORY: &str =
    include_str!("../../../tests/vectors/kick/reconstructed/chat_history_reply.json");
const HISTORY_PATH: &str = "/api/v1/chat/17000001/history";
const LIVE_CHANNEL: &str = "chatrooms.16756136.v2";

#[test]
fn history_and_its_live_copy_give_one_chat_alert() {
    let http = FakeKick::start(&[(HISTORY_PATH, Reply::json(200, HISTORY))]);
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let base = http.base();
    let args = [
        "watch",
        "--url",
        &url,
        "--chatroom",
        "16756136",
        "--channel",
        "17000001",
        "--history",
        "--alerts",
        "--json",
        "--max-events",
        "2",
    ];
    let cli = Cli::start_env(&args, &[("KICKWIRE_HTTP_BASE", &base)]);
    let (ok, lines) = cli.until(LIMIT, |v| v["channel"] == LIVE_CHANNEL);
    assert!(ok, "{lines:?}");
    // Hand-checked against the reply: oldest first, each a chatter's first words.
    let history = |id: &str, username: &str, content: &str| {
        json!({"alert": "Chat", "id": id, "username": username, "content": content,
               "firstWords": true, "history": true})
    };
    let want = [
        history(
            "6aabe870-4aaa-4127-89fa-23e05ba6bdb4",
            "CrispyLegs",
            "[emote:4147814:OuttaPocket]",
        ),
        history(
            "81bfcdba-ee9c-4702-bb97-01e0b68a593d",
            "TinfoilAlog",
            "[emote:37226:KEKW]",
        ),
        history(
            "79241483-5fea-4b84-abd8-6fc01fb98fe2",
            "tuqos",
            "back to the plantation",
        ),
    ];
    assert_eq!(&lines[..3], want, "{lines:?}");
    // The rest: lifecycle objects until the first subscription.
    assert!(
        lines[3..].iter().all(|v| v.get("type").is_some()),
        "{lines:?}"
    );
    // CrispyLegs's message live (the real frame the history entry was made from), then a new
    // one by ohmydawg: only the new one is an alert.
    for n in [5, 8] {
        let frame = Published::of_frame(&vector_line("ChatMessageEvent.jsonl", n).unwrap());
        assert_eq!(frame.channel, LIVE_CHANNEL);
        server
            .trigger(&frame.channel, &frame.event, &frame.data)
            .unwrap();
    }
    let (ok, rest) = cli.until(LIMIT, |v| v["type"] == "Disconnected");
    assert!(ok, "{rest:?}");
    let alerts: Vec<&Value> = rest.iter().filter(|v| is_alert(v)).collect();
    let live = json!({"alert": "Chat", "id": "b95e4574-7d2f-4905-a222-ef61083b0f2c",
                      "username": "ohmydawg", "content": "it would of been nice lol",
                      "firstWords": true});
    assert_eq!(alerts, [&live], "{rest:?}");
    let (code, stderr) = cli.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 Kick events, 4 alerts"), "{stderr}");
}

#[test]
fn an_alert_line_escapes_control_characters() {
    // A chat line whose text would set the terminal's title: printed inert, as event lines are.
    let frame = kickwire_tests::frames::chat_frame(
        "hi\u{1b}]0;owned\u{7}",
        kickwire_tests::escape::raw_escape,
    );
    let (dir, file) = capture("escape", &[Published::of_frame(&frame)]);
    let (lines, _) = replay(&["--alerts", file.to_str().unwrap()]);
    assert_eq!(
        lines,
        [r"Chat                 abbasnjah: hi\u{1b}]0;owned\u{7} (first words)"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn watch_alerts_tells_a_gift_missing_a_chunk_when_its_wait_ends() {
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let [c0, _, c2] = gift_chunks();
    let cli = Cli::start(&[
        "watch",
        "--url",
        &url,
        "--json",
        "--alerts",
        "--subscribe",
        &c0.channel,
    ]);
    let (ok, lines) = cli.until(LIMIT, |v| v["type"] == "Subscribed");
    assert!(ok, "{lines:?}");
    for f in [&c0, &c2] {
        server.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    // No stop, no more events: only the loop's timer can tell it, 2 s after the last chunk.
    let (ok, rest) = cli.until(LIMIT, is_alert);
    assert!(ok, "{rest:?}");
    let want = json!({
        "alert": "GiftedSubscriptions", "gifter": "Kl_Vava", "count": 3,
        "recipients": ["ebii03", "giftee01", "giftee04"], "chunks": 2, "complete": false,
    });
    assert_eq!(rest.last(), Some(&want));
    cli.interrupt();
    let (code, stderr) = cli.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 Kick events, 1 alerts"), "{stderr}");
}
