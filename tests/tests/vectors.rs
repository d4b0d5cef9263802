//! Golden-vector test: every frame under `tests/vectors/` decodes to what its `.expected.jsonl`
//! says.
//!
//! Each `X.expected.jsonl` holds one JSON object per line of `X.jsonl` (one WebSocket text frame
//! per line), written by reading the frame, not by running the decoder:
//!
//! - an event: `{"type", "channel", ...fields}`, a *subset* of what
//!   [`kickwire_tests::event_json`] (the `kickwire replay --json` object) must produce: every key
//!   listed must be present with an equal value; objects compare recursively as subsets, arrays
//!   element by element with the same length, numbers and strings exactly;
//! - `"absent": ["a.b", ...]`: dotted paths that must NOT exist in the output (secrets such as a
//!   channel's signed `playback_url`);
//! - `{"control": true}`: a transport message (Pusher `pusher:*`, Centrifugo replies and pings).
//!
//! Every frame must decode to exactly one message, without error. All mismatches are reported
//! (file:line and JSON path) before the test fails. A Kick event of Pusher's must also come out
//! of a Pusher connection (`Received::next_into`, the CLI's and the board's path, which reads
//! the `data` string in one pass as `decode` does) the same, and match the same lines.

use kickwire_proto::conn::{Config, Connection, Instant};
use kickwire_proto::{Message, Transport, decode, limits::MAX_PAYLOAD};
use kickwire_tests::golden::{check_subset, jsonl_lines, path_exists, rel, show, walk};
use kickwire_tests::{event_json, vectors_dir};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const EXPECTED_SUFFIX: &str = ".expected.jsonl";

/// The JSON form of one decoded message: the CLI's object for an event, `{"control": true}` (plus
/// the name, for messages) for a transport message.
fn message_json(message: &Message) -> Value {
    match message {
        Message::Kick { channel, event, .. } => event_json(channel.as_str(), event),
        Message::Control { name, transport } => {
            json!({"control": true, "name": name.as_str(), "transport": format!("{transport:?}")})
        }
    }
}

/// What a Pusher connection, past its handshake, gives for `frame` through
/// `Received::next_into`, one `Message` reused for every event.
fn through_connection(frame: &str) -> Vec<Message> {
    let url = "ws://127.0.0.1:6001/app/key?protocol=7";
    let mut conn = Connection::new(Transport::Pusher, url, Config::default()).unwrap();
    conn.connect(Instant::from_millis(0));
    let mut buf = [0u8; 1024];
    while conn.poll_transmit(&mut buf).ok().flatten().is_some() {}
    conn.handle_open(Instant::from_millis(1));
    let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
    conn.handle_message(Instant::from_millis(2), &mut hello)
        .for_each(drop);
    let mut bytes = frame.as_bytes().to_vec();
    let mut received = conn.handle_message(Instant::from_millis(3), &mut bytes);
    let mut out = Message::default();
    let mut all = Vec::new();
    while received.next_into(&mut out).is_some() {
        all.push(out.clone());
    }
    all
}

/// Decodes one frame line and compares it with its expected object. Returns the differences
/// (the caller prefixes each with `file:line`).
fn check_frame(frame: &str, expected_line: &str, scratch: &mut [u8]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut expected: Map<String, Value> = match serde_json::from_str(expected_line) {
        Ok(Value::Object(m)) => m,
        Ok(other) => return vec![format!("expected line is not an object: {}", show(&other))],
        Err(e) => return vec![format!("expected line is not JSON: {e}")],
    };
    let absent = match expected.remove("absent") {
        None => Vec::new(),
        Some(Value::Array(paths)) => paths
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| p.to_string())
            })
            .collect(),
        Some(other) => return vec![format!("\"absent\" is not an array: {}", show(&other))],
    };
    if frame.is_empty() {
        return vec!["empty frame line".into()];
    }
    let results: Vec<_> = decode(frame.as_bytes(), scratch).collect();
    if results.len() != 1 {
        errors.push(format!(
            "decoded to {} messages, expected exactly 1: {results:?}",
            results.len()
        ));
        return errors;
    }
    let message = match results.into_iter().next() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return vec![format!("decode error: {e} ({e:?})")],
        None => return vec!["no message".into()],
    };
    let actual = message_json(&message);
    let expected = Value::Object(expected);
    check_subset("$", &expected, Some(&actual), &mut errors);
    for p in &absent {
        if path_exists(&actual, p) {
            errors.push(format!("$.{p}: must be absent, but the output has it"));
        }
    }
    if let Message::Kick {
        transport: Transport::Pusher,
        ..
    } = message
    {
        let connection = through_connection(frame);
        let [got] = connection.as_slice() else {
            errors.push(format!(
                "a connection gave {} events, expected exactly 1: {connection:?}",
                connection.len()
            ));
            return errors;
        };
        let got = message_json(got);
        check_subset("connection $", &expected, Some(&got), &mut errors);
        for p in &absent {
            if path_exists(&got, p) {
                errors.push(format!("connection $.{p}: must be absent, but it has it"));
            }
        }
        if got != actual {
            errors.push(format!(
                "a connection's event differs from decode's: {} vs {}",
                show(&got),
                show(&actual)
            ));
        }
    }
    errors
}

#[test]
fn vectors_match_expected() {
    let root = vectors_dir();
    let files = walk(&root);
    let expected_files: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(EXPECTED_SUFFIX))
        .collect();
    assert!(
        !expected_files.is_empty(),
        "no *{EXPECTED_SUFFIX} under {}",
        root.display()
    );

    // Every frame file outside protocol/ must have its expected file: none may go unchecked.
    let mut unpaired = Vec::new();
    for p in &files {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let in_protocol = p
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "protocol");
        if name.ends_with(".jsonl") && !name.ends_with(EXPECTED_SUFFIX) && !in_protocol {
            let twin = p.with_file_name(name.replace(".jsonl", EXPECTED_SUFFIX));
            if !twin.exists() {
                unpaired.push(rel(p));
            }
        }
    }
    assert!(
        unpaired.is_empty(),
        "frame files without an expected file: {unpaired:?}"
    );

    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let mut report = String::new();
    let mut mismatched_frames = 0usize;
    let mut checked = 0usize;
    let mut frame_lines_total = 0usize;

    for exp_path in expected_files {
        let exp_name = exp_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let frame_path = exp_path.with_file_name(exp_name.replace(EXPECTED_SUFFIX, ".jsonl"));
        assert!(
            frame_path.exists(),
            "{}: no frame file {}",
            rel(exp_path),
            rel(&frame_path)
        );
        let frames = jsonl_lines(&frame_path);
        let expected = jsonl_lines(exp_path);
        frame_lines_total += frames.len();
        if frames.len() != expected.len() {
            let _ = writeln!(
                report,
                "{}: {} frame lines but {} expected lines in {}",
                rel(&frame_path),
                frames.len(),
                expected.len(),
                rel(exp_path)
            );
            mismatched_frames += 1;
        }
        for (i, (frame, exp)) in frames.iter().zip(&expected).enumerate() {
            checked += 1;
            let errors = check_frame(frame, exp, &mut scratch);
            if !errors.is_empty() {
                mismatched_frames += 1;
            }
            for e in errors {
                let _ = writeln!(report, "{}:{}: {e}", rel(&frame_path), i + 1);
            }
        }
    }

    println!("vectors: checked {checked} frames ({frame_lines_total} frame lines in paired files)");
    assert!(
        report.is_empty(),
        "{mismatched_frames} frame(s) differ from their expected output:\n{report}"
    );
    assert_eq!(
        checked, frame_lines_total,
        "every frame line must be checked"
    );
    assert!(checked > 0, "no frames checked");
}

#[test]
fn pusher_protocol_frames_are_control_messages() {
    let path = vectors_dir().join("kick/protocol/server_to_client.jsonl");
    let lines = jsonl_lines(&path);
    assert_eq!(
        lines.len(),
        7,
        "{}: line count changed; review this test",
        rel(&path)
    );
    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let mut report = String::new();
    for (i, line) in lines.iter().enumerate() {
        let at = format!("{}:{}", rel(&path), i + 1);
        // The name as the frame spells it, read independently of the decoder.
        let frame: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{at}: not JSON: {e}"));
        let want = frame["event"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: no event name"));
        let results: Vec<_> = decode(line.as_bytes(), &mut scratch).collect();
        match results.as_slice() {
            [
                Ok(Message::Control {
                    transport: Transport::Pusher,
                    name,
                }),
            ] if name.as_str() == want => {}
            other => {
                let _ = writeln!(
                    report,
                    "{at}: expected Control(Pusher, {want:?}), got {other:?}"
                );
            }
        }
    }
    println!("protocol: checked {} server frames", lines.len());
    assert!(report.is_empty(), "protocol frames mis-decoded:\n{report}");
}
