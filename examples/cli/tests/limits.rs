//! Bounded memory whatever the input: `replay` streams a capture line by line with a cap on a
//! line's length, and `watch` refuses WebSocket messages over 1 MiB (close code 1009) and goes
//! on.

mod common;

use std::io::Write;
use std::time::Duration;

use common::{Cli, chat_frame, watch_args};
use kickwire_tests::scripted::{Peer, Record, ScriptedServer};
use serde_json::{Value, json};

const CHANNEL: &str = "chatrooms.1.v2";

fn chat(content: &str) -> String {
    chat_frame(content, "bob", CHANNEL)
}

/// The long line: the start of a chat frame, then this many bytes of its `data` string and no
/// newline yet: 200 MiB.
const LONG_BODY: usize = 200 << 20;
const LONG_START: &str = r#"{"event":"App\\Events\\ChatMessageEvent","data":""#;
/// The bound on the replaying process's peak RSS. What it needs: the binary (a debug build:
/// about 4 MiB resident), one line (at most 1 MiB, `--max-line`'s default), the decoder's
/// scratch copy of it (1 MiB) and a 64 KiB read buffer. 32 MiB leaves room for the allocator
/// and is still a sixth of the one line fed to it (before streaming, RSS was twice the line:
/// the whole input, then a scratch copy of that size).
const PEAK_RSS_LIMIT_KIB: u64 = 32 << 10;

#[test]
fn replay_streams_stdin_in_bounded_memory_and_skips_an_overlong_line() {
    let (cli, mut stdin) = Cli::start_with_stdin(&["replay", "--json", "-"]);
    // Written from a thread: the pipe holds 64 KiB, and the child reads as it decodes.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        stdin.write_all(LONG_START.as_bytes()).unwrap();
        for _ in 0..LONG_BODY / chunk.len() {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\n").unwrap();
        stdin
            .write_all(chat("after the long line").as_bytes())
            .unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin // still open: the child is alive to be measured
    });
    // The line after the long one is decoded (and shown) before the input ends.
    let next = cli.line(Duration::from_secs(90));
    let peak_kib = cli.peak_rss_kib().expect("VmHWM of the child");
    eprintln!("replay of a 200 MiB line: peak RSS {peak_kib} KiB");
    drop(writer.join().unwrap()); // end of input
    let (code, stderr) = cli.wait(Duration::from_secs(30));
    assert!(
        peak_kib < PEAK_RSS_LIMIT_KIB,
        "peak RSS {peak_kib} KiB, limit {PEAK_RSS_LIMIT_KIB} KiB"
    );
    let next: Value =
        serde_json::from_str(&next.expect("no event before the input ended")).unwrap();
    assert_eq!(next["content"], "after the long line");
    assert_eq!(code, Some(0), "{stderr}");
    let long = LONG_START.len() + LONG_BODY;
    assert!(
        stderr.contains(&format!(
            "line 1: {long} bytes, longer than --max-line 1048576: skipped"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("replayed -: 1 messages, 1 events, 0 protocol messages, 1 errors"),
        "{stderr}"
    );
}

#[test]
fn replay_max_line_sets_the_cap() {
    let dir = std::env::temp_dir().join(format!("kickwire-maxline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("capture.jsonl");
    let (short, long) = (chat("short"), chat(&"long ".repeat(40)));
    std::fs::write(&file, format!("{short}\n{long}\n{short}\n")).unwrap();
    let cap = (short.len() + 1).to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .args(["replay", "--max-line", &cap])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "line 2: {} bytes, longer than --max-line {cap}: skipped",
            long.len()
        )),
        "{stderr}"
    );
}

/// A chat frame of exactly `len` bytes.
fn chat_of_len(len: usize) -> String {
    let base = chat("").len();
    let frame = chat(&"a".repeat(len - base));
    assert_eq!(frame.len(), len);
    frame
}

const BIG: usize = 2 << 20;

/// Connection 1: a 2 MiB message (then the server reads what the client says). Connection 2:
/// a normal chat message.
fn script(peer: &mut Peer) {
    peer.established(120);
    if let Some(subscribe) = peer.recv(Duration::from_secs(5)) {
        peer.answer_subscribe(&subscribe);
    }
    if peer.conn() == 1 {
        peer.send(&chat_of_len(BIG));
    } else {
        peer.send(&chat("after the big one"));
    }
}

#[test]
fn watch_closes_with_1009_on_a_message_over_1_mib_and_goes_on() {
    let server = ScriptedServer::start(script).unwrap();
    let url = server.url();
    let cli = Cli::start(&watch_args(&url, CHANNEL, "1", &["--json"]));
    let (ok, seen) = cli.until(Duration::from_secs(20), |v| v["type"] == "ChatMessage");
    assert!(ok, "{seen:#?}");
    assert_eq!(seen.last().unwrap()["content"], "after the big one");
    let (code, stderr) = cli.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
    // The server saw the client close connection 1 with 1009 (message too big).
    let closes: Vec<Record> = server
        .log()
        .into_iter()
        .map(|e| e.record)
        .filter(|r| matches!(r, Record::ClientClose { conn: 1, .. }))
        .collect();
    assert_eq!(
        closes,
        [Record::ClientClose {
            conn: 1,
            frame: true,
            code: Some(1009)
        }]
    );
    // And the CLI said so, then reconnected.
    let closed = seen
        .iter()
        .find(|v| v["type"] == "Disconnected")
        .unwrap_or_else(|| panic!("{seen:#?}"));
    assert_eq!(
        *closed,
        json!({"type": "Disconnected", "code": 1009,
               "reason": "message too big: 2097152 bytes, limit 1048576", "willRetry": true})
    );
    assert!(
        seen.iter().any(|v| v["type"] == "Reconnecting"),
        "{seen:#?}"
    );
    assert_eq!(server.connections(), 2);
}
