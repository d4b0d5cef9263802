//! `proto::redact` on every real frame of the vectors: the secrets Kick puts in its payloads
//! (a channel's signed `playback_url`, a presigned picture URL) are gone, and nothing else
//! changed.
//!
//! The expected text is not produced by the code under test: each frame is parsed with
//! serde_json, its payload (`data`, a JSON string holding JSON, or inline JSON) parsed again, and
//! the two kinds of secret are edited out of that tree by hand-written rules; the redacted frame,
//! parsed the same way, must equal it. The counts per file were counted in the vector files.

use kickwire_proto::redact::{REDACTED, redact};
use kickwire_tests::golden::{jsonl_lines, rel, walk};
use kickwire_tests::vectors_dir;
use serde_json::Value;

/// Secrets in each vector file, counted by hand (`grep -o live-video.net`, `X-Amz-Signature`).
const SECRETS_PER_FILE: &[(&str, usize)] = &[
    ("ChatMoveToSupportedChannelEvent.jsonl", 1),
    ("GiftsLeaderboardUpdated.jsonl", 1),
    ("LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl", 2),
    ("ChatMessageSentEvent.jsonl", 1),
];

/// Text that only a secret contains in the vectors.
const SECRET_MARKS: &[&str] = &[
    "live-video.net",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "AKIA",
];

/// The frame as a tree, with string payloads (`data` holding JSON) parsed too.
fn tree(frame: &str) -> Value {
    let mut v: Value = serde_json::from_str(frame).expect("vector frames are JSON");
    parse_payloads(&mut v);
    v
}

fn parse_payloads(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == "data"
                    && let Value::String(s) = child
                    && let Ok(inner @ (Value::Object(_) | Value::Array(_))) =
                        serde_json::from_str::<Value>(s)
                {
                    *child = inner;
                }
                parse_payloads(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(parse_payloads),
        _ => {}
    }
}

/// The rules, written on the tree: `playback_url` strings become "[redacted]"; a string that
/// is a whole URL with an `X-Amz-Signature` or `X-Amz-Credential` in its query loses the query.
fn edit_secrets(v: &mut Value) -> usize {
    let mut n = 0;
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(s) if k == "playback_url" => {
                        *s = REDACTED.to_string();
                        n += 1;
                    }
                    Value::String(s)
                        if s.starts_with("https://")
                            && (s.contains("X-Amz-Signature=")
                                || s.contains("X-Amz-Credential=")) =>
                    {
                        let cut = s.find('?').expect("a signed URL has a query");
                        s.truncate(cut);
                        n += 1;
                    }
                    _ => n += edit_secrets(child),
                }
            }
        }
        Value::Array(items) => n += items.iter_mut().map(edit_secrets).sum::<usize>(),
        _ => {}
    }
    n
}

#[test]
fn every_vector_loses_its_secrets_and_nothing_else() {
    let mut failures = Vec::new();
    let mut total = 0;
    let mut files = 0;
    for path in walk(&vectors_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".jsonl") || name.ends_with(".expected.jsonl") {
            continue;
        }
        files += 1;
        let mut in_file = 0;
        for (i, frame) in jsonl_lines(&path).iter().enumerate() {
            let at = format!("{}:{}", rel(&path), i + 1);
            let mut bytes = frame.as_bytes().to_vec();
            let r = redact(&mut bytes);
            bytes.truncate(r.len);
            let out = String::from_utf8(bytes).expect("redaction keeps UTF-8");
            in_file += r.count;
            for mark in SECRET_MARKS {
                if out.contains(mark) {
                    failures.push(format!("{at}: {mark} is still there"));
                }
            }
            if r.count == 0 {
                if out != *frame {
                    failures.push(format!("{at}: no secret, yet the text changed"));
                }
                continue;
            }
            let mut want = tree(frame);
            let edited = edit_secrets(&mut want);
            match serde_json::from_str::<Value>(&out) {
                Err(e) => failures.push(format!("{at}: redacted text is not JSON: {e}")),
                Ok(_) if tree(&out) != want => {
                    failures.push(format!("{at}: redacted frame differs beyond the secrets"))
                }
                Ok(_) if edited != r.count => failures.push(format!(
                    "{at}: {} redactions, the rules find {edited}",
                    r.count
                )),
                Ok(_) => {}
            }
        }
        let want = SECRETS_PER_FILE
            .iter()
            .find(|(f, _)| *f == name)
            .map_or(0, |(_, n)| *n);
        if in_file != want {
            failures.push(format!(
                "{}: {in_file} secrets redacted, {want} in the file",
                rel(&path)
            ));
        }
        total += in_file;
    }
    assert!(files >= 30, "only {files} vector files found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(total, 5);
}
