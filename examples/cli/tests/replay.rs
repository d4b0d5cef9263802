//! `kickwire replay` end to end: the real binary on the shipped demo capture and on bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kickwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .args(args)
        .output()
        .expect("run kickwire")
}

fn demo() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../captures/demo.jsonl");
    p.to_string_lossy().into_owned()
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn json_output_of_the_demo_capture() {
    let out = kickwire(&["replay", "--json", &demo()]);
    assert!(out.status.success(), "{out:?}");
    let events: Vec<serde_json::Value> = stdout_lines(&out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The demo capture's 22 lines, read by hand: 5 protocol frames and these 17 events.
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "StreamerIsLive",
            "ChatMessage",
            "ChatMessage",
            "ChatMessage",
            "Subscription",
            "GiftedSubscriptions",
            "ChatMessage",
            "KicksGifted",
            "PollUpdate",
            "ChatMessage",
            "UserBanned",
            "MessageDeleted",
            "PinnedMessageCreated",
            "StreamHost",
            "RewardRedeemed",
            "ChatMessage",
            "StreamEnd",
        ]
    );
    let gift = &events[5];
    assert_eq!(gift["channel"], "chatroom_23580962");
    assert_eq!(gift["gifter_username"], "Kl_Vava");
    assert_eq!(gift["gifted_usernames"], serde_json::json!(["ebii03"]));
    assert_eq!(gift["gifted_count"], 1);
    let reply = &events[3];
    assert_eq!(reply["sender"]["username"], "OhLookItsMax");
    assert_eq!(
        reply["metadata"]["original_sender"]["username"],
        "justdavid787"
    );
    assert_eq!(reply["created_at"], 1_752_896_865_000_i64); // 2025-07-19T03:47:45+00:00
    let kicks = &events[7];
    assert_eq!(kicks["gift"]["amount"], 1000);
    assert_eq!(kicks["gift"]["name"], "Pack It Up");
    let ban = &events[10];
    assert_eq!(ban["user"]["username"], "rittikj");
    assert_eq!(ban["banned_by"]["username"], "BotRix");
    assert_eq!(ban["duration"], 1);
    // The Centrifugo publication decodes like the Pusher frame it wraps.
    assert_eq!(events[15]["channel"], "chatrooms.5976096.v2");
    assert_eq!(events[15]["content"], "البكسل بس عندي يا شات");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("22 messages, 17 events, 5 protocol messages, 0 errors"),
        "{stderr}"
    );
}

#[test]
fn readable_output_names_who_did_what() {
    let out = kickwire(&["replay", &demo()]);
    assert!(out.status.success());
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 17);
    assert!(
        lines[5].contains("Kl_Vava gifted 1 sub(s) to ebii03"),
        "{}",
        lines[5]
    );
    assert!(
        lines[10].contains("rittikj timed out for 1 min by BotRix"),
        "{}",
        lines[10]
    );
    assert!(
        lines[1].contains("OhLookItsMax: :litneyspears4Max:on my way"),
        "{}",
        lines[1]
    );
}

#[test]
fn bad_lines_are_reported_and_skipped() {
    let dir = std::env::temp_dir().join(format!("kickwire-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.jsonl");
    let good = r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":1,\"username\":\"a\",\"months\":2}","channel":"chatrooms.1.v2"}"#;
    let truncated = &good[..60];
    std::fs::write(
        &file,
        format!("{good}\n{truncated}\n\nnot json at all\n{good}\n"),
    )
    .unwrap();
    let out = kickwire(&["replay", "--json", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(stdout_lines(&out).len(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("line 2: "), "{stderr}");
    assert!(stderr.contains("line 4: "), "{stderr}");
    assert!(
        stderr.contains("4 messages, 2 events, 0 protocol messages, 2 errors"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn missing_file_and_bad_usage_fail_clearly() {
    let out = kickwire(&["replay", "/nonexistent/capture.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/capture.jsonl")
    );
    let out = kickwire(&["replay"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing FILE"));
    let out = kickwire(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_lists_the_options() {
    let out = kickwire(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--json",
        "--max-events",
        "--print",
        "--keep-secrets",
        "--max-line BYTES",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}
