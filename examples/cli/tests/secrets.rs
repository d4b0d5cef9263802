//! Kick's secrets (a channel's signed `playback_url`, a sender's presigned picture URL) never
//! leave the CLI unless asked for: not in `replay`/`watch` output, not in `record` captures
//! (redacted by default, kept verbatim with `--keep-secrets`).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::Cli;
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::golden::{EXPECTED_SUFFIX, walk};
use kickwire_tests::vectors_dir;
use serde_json::{Value, json};

/// Text that only a secret contains in the vectors (as in tests/tests/redaction.rs).
const SECRET_MARKS: &[&str] = &[
    "live-video.net",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "AKIA",
];

/// The vector files holding secrets (found with `grep -l` for the marks above).
const FILES_WITH_SECRETS: &[&str] = &[
    "ChatMessageSentEvent.jsonl",
    "ChatMoveToSupportedChannelEvent.jsonl",
    "GiftsLeaderboardUpdated.jsonl",
    "LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl",
];

fn secrets_in(text: &str) -> Vec<&'static str> {
    SECRET_MARKS
        .iter()
        .copied()
        .filter(|m| text.contains(m))
        .collect()
}

fn name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

#[test]
fn replay_of_every_vector_prints_no_secret() {
    let mut with_secrets = Vec::new();
    for path in walk(&vectors_dir()) {
        let file = name(&path);
        if !file.ends_with(".jsonl") || file.ends_with(EXPECTED_SUFFIX) {
            continue;
        }
        let input = std::fs::read_to_string(&path).unwrap();
        if !secrets_in(&input).is_empty() {
            with_secrets.push(file.to_owned());
        }
        for json in [true, false] {
            let mut args = vec!["replay"];
            if json {
                args.push("--json");
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
                .args(&args)
                .arg(&path)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}: {out:?}", path.display());
            let stdout = String::from_utf8(out.stdout).unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(
                secrets_in(&stdout).is_empty() && secrets_in(&stderr).is_empty(),
                "{} (json: {json}) printed a secret:\n{stdout}\n{stderr}",
                path.display()
            );
        }
    }
    // The test means something only if the secrets were there to leak.
    with_secrets.sort();
    assert_eq!(with_secrets, FILES_WITH_SECRETS);
}

const CHANNEL: &str = "chatrooms.2507974.v2";

/// Line `n` (1-based) of a vector file, a real Pusher frame, as Kick's Centrifugo would carry
/// it: `{"push":{"channel","pub":{"data":{"event","data"}}}}`.
fn vector_push(file: &str, n: usize) -> String {
    let text = std::fs::read_to_string(vectors_dir().join("kick").join(file)).unwrap();
    let frame: Value = serde_json::from_str(text.lines().nth(n - 1).unwrap()).unwrap();
    json!({"push": {"channel": CHANNEL, "pub": {"data": {"event": frame["event"], "data": frame["data"]}}}})
        .to_string()
}

fn record(server: &CentrifugoServer, file: &Path, keep_secrets: bool) -> Cli {
    let url = server.url();
    let mut args = vec![
        "record",
        "--url",
        &url,
        "--token",
        "tok",
        "--subscribe",
        CHANNEL,
        "--max-events",
        "2",
    ];
    if keep_secrets {
        args.push("--keep-secrets");
    }
    args.push(file.to_str().unwrap());
    Cli::start(&args)
}

fn replay_json(file: &Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kickwire"))
        .args(["replay", "--json"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn record_redacts_secrets_unless_asked_to_keep_them() {
    let server = CentrifugoServer::start().unwrap();
    server.accept_token("tok", None);
    let dir: PathBuf =
        std::env::temp_dir().join(format!("kickwire-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (redacted, verbatim) = (dir.join("redacted.jsonl"), dir.join("verbatim.jsonl"));
    let by_default = record(&server, &redacted, false);
    let keeping = record(&server, &verbatim, true);
    assert!(
        server.wait_until(Duration::from_secs(15), |s| s.subscribers(CHANNEL) == 2),
        "both recorders subscribed"
    );
    // A channel object with its signed playback_url; a sender with a presigned picture.
    let pushes = [
        vector_push("ChatMoveToSupportedChannelEvent.jsonl", 1),
        vector_push("ChatMessageSentEvent.jsonl", 1),
    ];
    assert_eq!(
        pushes
            .iter()
            .map(|p| secrets_in(p).len())
            .collect::<Vec<_>>(),
        [1, 3]
    );
    for push in &pushes {
        assert_eq!(server.send_raw(push), 2);
    }
    for cli in [by_default, keeping] {
        let (code, stderr) = cli.wait(Duration::from_secs(15));
        assert_eq!(code, Some(0), "{stderr}");
    }

    // --keep-secrets: the exact frames, byte for byte, after the connect and subscribe replies.
    let kept = std::fs::read_to_string(&verbatim).unwrap();
    let kept: Vec<&str> = kept.lines().collect();
    assert_eq!(kept.len(), 4, "{kept:#?}");
    assert_eq!(kept[2..], pushes);

    // By default: the same lines with the secrets gone, and only those.
    let cut = std::fs::read_to_string(&redacted).unwrap();
    assert_eq!(secrets_in(&cut), Vec::<&str>::new(), "{cut}");
    let cut: Vec<&str> = cut.lines().collect();
    assert_eq!(cut.len(), 4, "{cut:#?}");
    // (The connect replies differ only in the client id the server gave each connection.)
    assert_eq!(cut[1], kept[1]);
    // The playback_url became "[redacted]" (written inside the `data` string: escaped quotes).
    assert!(
        cut[2].contains(r#"\"playback_url\":\"[redacted]\""#),
        "{}",
        cut[2]
    );
    // The picture keeps its address, not its signed query (checked in the decoded payload).
    let payload = |line: &str| -> Value {
        let push: Value = serde_json::from_str(line).unwrap();
        serde_json::from_str(push["push"]["pub"]["data"]["data"].as_str().unwrap()).unwrap()
    };
    let cut_pic = payload(cut[3])["user"]["profile_thumb"].clone();
    let kept_pic = payload(kept[3])["user"]["profile_thumb"].clone();
    let kept_pic = kept_pic.as_str().unwrap();
    assert!(kept_pic.contains("?X-Amz-"), "{kept_pic}");
    assert_eq!(cut_pic, kept_pic.split('?').next().unwrap());

    // A redacted capture still replays, to the very events of the verbatim one.
    let events = replay_json(&redacted);
    assert_eq!(events.lines().count(), 2, "{events}");
    assert_eq!(events, replay_json(&verbatim));
    let _ = std::fs::remove_dir_all(&dir);
}
