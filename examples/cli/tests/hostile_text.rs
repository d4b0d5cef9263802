//! Text from Kick never drives the terminal: `replay` and `watch`, readable and `--json`, on
//! frames whose chat message, username, channel, title, event name, server error and close
//! reason carry terminal commands: a clipboard write (OSC 52), a screen clear, a window title
//! (OSC 0) and an 8-bit CSI (U+009B).
//!
//! Readable output shows each control character as `\u{1b}`; JSON output stays valid JSON of
//! the same text with every control character (C1 included) written as a `\u` escape.

mod common;

use std::time::Duration;

use common::{Cli, chat_frame as chat, controls, pusher_frame as frame, watch_args};
use kickwire_tests::scripted::{Peer, ScriptedServer};
use serde_json::{Value, json};

const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}"; // clipboard := "rm -rf ~"
const CLEAR: &str = "\u{1b}[2J";
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CSI8: &str = "\u{9b}31m";
const CHANNEL: &str = "chatrooms.1.v2";

/// The chat message: every attack at once.
fn content() -> String {
    format!("hi {OSC52}{CLEAR}{TITLE}{CSI8}red")
}
/// [`content`], escaped: written out by hand.
const CONTENT_SHOWN: &str =
    r"hi \u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31mred";
fn username() -> String {
    format!("eve{CLEAR}")
}
const USERNAME_SHOWN: &str = r"eve\u{1b}[2J";

/// The readable line of the hostile chat message ends with its sender and text, escaped.
fn assert_chat_shown(line: &str) {
    let shown = format!("{USERNAME_SHOWN}: {CONTENT_SHOWN}");
    assert!(line.ends_with(&shown), "{line}");
}

fn assert_inert(what: &str, text: &str) {
    assert_eq!(
        controls(text),
        [],
        "raw control characters in {what}:\n{text}"
    );
}

fn replay(args: &[&str], capture: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!(
        "kickwire-hostile-{}-{}",
        std::process::id(),
        args.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile.jsonl");
    std::fs::write(&file, capture).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .args(args)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{out:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Four frames: the chat, a chat on a hostile channel name, a live title, an unknown event
/// name.
fn hostile_capture() -> String {
    let live = json!({"livestream": {"id": 1, "channel_id": 1, "session_title": format!("{TITLE}live"),
                      "source": null, "created_at": "2026-01-01T00:00:00.000000Z"}});
    [
        chat(&content(), &username(), CHANNEL),
        chat("ok", "bob", &format!("{CHANNEL}{TITLE}")),
        frame("App\\Events\\StreamerIsLive", &live, "channel.1"),
        frame(
            &format!("App\\Events\\Evil{CLEAR}Event"),
            &json!({}),
            CHANNEL,
        ),
    ]
    .join("\n")
}

#[test]
fn replay_shows_control_characters_escaped() {
    let (stdout, stderr) = replay(&["replay"], &hostile_capture());
    assert_inert("stdout", &stdout);
    assert_inert("stderr", &stderr);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_chat_shown(lines[0]);
    assert!(
        lines[1].starts_with(r"[chatrooms.1.v2\u{1b}]0;pwned\u{7}] ChatMessage"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with(r"live: \u{1b}]0;pwned\u{7}live"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with(r"App\Events\Evil\u{1b}[2JEvent"),
        "{}",
        lines[3]
    );
}

#[test]
fn replay_json_escapes_every_control_character_and_keeps_the_text() {
    let (stdout, stderr) = replay(&["replay", "--json"], &hostile_capture());
    assert_inert("stdout", &stdout);
    assert_inert("stderr", &stderr);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    // C1 and C0 alike as \u escapes (serde_json writes the C0 ones lowercase).
    assert!(lines[0].contains(r"\u009b31mred"), "{}", lines[0]);
    assert!(lines[0].contains(r"\u001b]52;c;"), "{}", lines[0]);
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["content"], content());
    assert_eq!(events[0]["sender"]["username"], username());
    assert_eq!(events[1]["channel"], format!("{CHANNEL}{TITLE}"));
    assert_eq!(
        events[2]["livestream"]["session_title"],
        format!("{TITLE}live")
    );
}

/// Connection 1: the chat, a burst of three server errors in one message, a message of two bad
/// lines, then a close (4200: reconnect) with a hostile reason. Connection 2: one more chat.
fn script(peer: &mut Peer) {
    peer.established(120);
    if let Some(subscribe) = peer.recv(Duration::from_secs(5)) {
        peer.answer_subscribe(&subscribe);
    }
    if peer.conn() > 1 {
        peer.send(&chat("back", "bob", CHANNEL));
        return;
    }
    peer.send(&chat(&content(), &username(), CHANNEL));
    let errors: Vec<String> = (0..3)
        .map(|i| {
            json!({"event": "pusher:error", "data": {"code": 4301, "message": format!("slow down {CLEAR}{i}")}})
                .to_string()
        })
        .collect();
    peer.send(&errors.join("\n"));
    peer.send("not json\nnor this");
    peer.close(4200, &format!("bye {TITLE}"));
}

fn watch(json: bool) -> (Vec<String>, String) {
    let server = ScriptedServer::start(script).unwrap();
    let url = server.url();
    let args = watch_args(&url, CHANNEL, "2", if json { &["--json"] } else { &[] });
    let cli = Cli::start(&args);
    let mut stdout = Vec::new();
    while let Some(line) = cli.line(Duration::from_secs(20)) {
        stdout.push(line);
    }
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stdout:?}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn watch_shows_hostile_events_errors_and_close_reasons_escaped() {
    let (stdout, stderr) = watch(false);
    assert_inert("stdout", &stdout.join("\n"));
    assert_inert("stderr", &stderr);
    assert_eq!(stdout.len(), 2, "{stdout:?}");
    assert_chat_shown(&stdout[0]);
    // The burst is one line with its count; so are the bad lines.
    assert!(
        stderr.contains(r"[kickwire] server error 4301: slow down \u{1b}[2J0 (and 2 more)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[kickwire] bad message skipped: ") && stderr.contains(" (and 1 more)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(r"[kickwire] disconnected (code 4200): bye \u{1b}]0;pwned\u{7}"),
        "{stderr}"
    );
}

#[test]
fn watch_json_escapes_hostile_events_errors_and_close_reasons() {
    let (stdout, stderr) = watch(true);
    assert_inert("stdout", &stdout.join("\n"));
    assert_inert("stderr", &stderr);
    let objects: Vec<Value> = stdout
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let find = |want: &dyn Fn(&Value) -> bool| {
        objects
            .iter()
            .find(|v| want(v))
            .unwrap_or_else(|| panic!("{objects:#?}"))
            .clone()
    };
    let chat = find(&|v| v["type"] == "ChatMessage");
    assert_eq!(chat["content"], content());
    assert_eq!(chat["sender"]["username"], username());
    let server = find(&|v| v["type"] == "Error" && v["source"] == "server");
    assert_eq!(
        server,
        json!({"type": "Error", "source": "server", "code": 4301,
               "message": format!("slow down {CLEAR}0"), "repeats": 2})
    );
    let bad = find(&|v| v["type"] == "Error" && v["source"] == "message");
    assert_eq!(bad["repeats"], 1, "{bad}");
    let closed = find(&|v| v["type"] == "Disconnected" && v["code"] == 4200);
    assert_eq!(closed["reason"], format!("bye {TITLE}"));
    assert_eq!(closed["willRetry"], true);
}
