//! `proto::redact` on every real frame of the vectors: the secrets Kick puts in its payloads
//! (a channel's signed `playback_url`, a presigned picture URL) are gone, and nothing else
//! changed. Then the two paths that decode a message, typed (`decode`) and JSON
//! (`json_events`), which both redact each payload: they see the same data, the same as a pass
//! over the whole frame first, and keep every secret when asked to.
//!
//! The expected text is not produced by the code under test: each frame is parsed with
//! serde_json, its payload (`data`, a JSON string holding JSON, or inline JSON) parsed again, and
//! the two kinds of secret are edited out of that tree by hand-written rules; the redacted frame,
//! parsed the same way, must equal it. The counts per file were counted in the vector files.

use kickwire_proto::kick::Event;
use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::redact::{REDACTED, redact};
use kickwire_proto::{JsonEvents, Message, decode, json_events};
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

/// The vector frames (`.jsonl`, not the expected outputs), each with where it is.
fn vector_frames() -> Vec<(String, String)> {
    let mut frames = Vec::new();
    for path in walk(&vectors_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".jsonl") && !name.ends_with(".expected.jsonl") {
            for (i, frame) in jsonl_lines(&path).into_iter().enumerate() {
                frames.push((format!("{}:{}", rel(&path), i + 1), frame));
            }
        }
    }
    frames
}

/// The payloads `json_events` gives for `frame` (as text), secrets kept or not.
fn json_payloads(frame: &[u8], keep: bool) -> Vec<String> {
    let mut bytes = frame.to_vec();
    let events = json_events(&mut bytes);
    // Two types (the policy is a parameter of `JsonEvents`'s): one walk each.
    if keep {
        payloads_of(events.keep_secrets())
    } else {
        payloads_of(events)
    }
}

fn payloads_of<const C: bool, const R: bool>(mut events: JsonEvents<'_, C, R>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(item) = events.next() {
        if let Ok(e) = item {
            out.push(String::from_utf8_lossy(e.payload).into_owned());
        }
    }
    out
}

/// The Kick events `decode` gives for `frame`, secrets kept or not.
fn typed(frame: &[u8], keep: bool) -> Vec<Message> {
    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let messages = decode(frame, &mut scratch);
    let messages = if keep {
        messages.keep_secrets()
    } else {
        messages
    };
    messages
        .filter_map(Result::ok)
        .filter(|m| matches!(m, Message::Kick { .. }))
        .collect()
}

/// `frame` redacted whole, as the browser does before it decodes (and for its `rawData`).
fn redacted_whole(frame: &str) -> Vec<u8> {
    let mut bytes = frame.as_bytes().to_vec();
    let r = redact(&mut bytes);
    bytes.truncate(r.len);
    bytes
}

#[test]
fn both_paths_take_the_secrets_out_of_every_vector_alike_unless_kept() {
    let mut failures = Vec::new();
    let mut kept_secrets = 0;
    let frames = vector_frames();
    assert!(frames.len() >= 100, "only {} vector frames", frames.len());
    for (at, frame) in &frames {
        let whole = redacted_whole(frame);
        // The JSON path: each payload redacted, the same as from the frame redacted whole.
        let payloads = json_payloads(frame.as_bytes(), false);
        if payloads != json_payloads(&whole, true) {
            failures.push(format!(
                "{at}: JSON payloads differ from the whole-frame pass"
            ));
        }
        // The typed path sees the same data: the same events as from the frame redacted whole,
        // and as decoding each redacted JSON payload by itself.
        let events = typed(frame.as_bytes(), false);
        if events != typed(&whole, true) {
            failures.push(format!(
                "{at}: typed events differ from the whole-frame pass"
            ));
        }
        for (m, payload) in events.iter().zip(&payloads) {
            let Message::Kick { event, .. } = m else {
                continue;
            };
            let name = event_name(frame);
            match Event::decode(&name, payload.as_bytes()) {
                Ok(e) if e == *event => {}
                other => failures.push(format!("{at}: typed {event:?}, from JSON {other:?}")),
            }
        }
        for mark in SECRET_MARKS {
            let json = serde_json::to_string(&events_only(&events)).unwrap();
            if payloads.iter().any(|p| p.contains(mark)) || json.contains(mark) {
                failures.push(format!("{at}: {mark} is still there"));
            }
        }
        // Kept: the payloads as received, every secret in them.
        for mut payload in json_payloads(frame.as_bytes(), true)
            .into_iter()
            .map(String::into_bytes)
        {
            kept_secrets += redact(&mut payload).count;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(kept_secrets, 5);
}

/// The event name of a one-envelope frame (Pusher's `event`, a Centrifugo publication's).
fn event_name(frame: &str) -> String {
    let v: Value = serde_json::from_str(frame).unwrap();
    let name = v
        .get("event")
        .or_else(|| v.pointer("/push/pub/data/event"))
        .and_then(Value::as_str);
    name.unwrap_or_default().to_string()
}

fn events_only(messages: &[Message]) -> Vec<&Event> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Kick { event, .. } => Some(event),
            Message::Control { .. } => None,
        })
        .collect()
}

/// ChatMessageEvent.jsonl:1 with its `content` replaced by `content`.
fn chat_saying(content: &str) -> String {
    let path = vectors_dir().join("kick/ChatMessageEvent.jsonl");
    let mut frame: Value = serde_json::from_str(&jsonl_lines(&path)[0]).unwrap();
    let mut data: Value = serde_json::from_str(frame["data"].as_str().unwrap()).unwrap();
    data["content"] = Value::String(content.to_string());
    frame["data"] = Value::String(data.to_string());
    frame.to_string()
}

#[test]
fn a_chat_message_that_is_a_presigned_url_loses_its_query_on_both_paths() {
    // The presigned picture URL of ChatMessageSentEvent.jsonl:1, sent as a chat message: a
    // whole string value that is a signed URL, in a field that typed events keep.
    let path = vectors_dir().join("kick/ChatMessageSentEvent.jsonl");
    let frame: Value = serde_json::from_str(&jsonl_lines(&path)[0]).unwrap();
    let data: Value = serde_json::from_str(frame["data"].as_str().unwrap()).unwrap();
    let url = data["user"]["profile_thumb"].as_str().unwrap();
    let (address, query) = url.split_once('?').unwrap();
    assert!(query.contains("X-Amz-Signature="), "{query}");
    let frame = chat_saying(url);

    let content = |keep| match typed(frame.as_bytes(), keep).as_slice() {
        [
            Message::Kick {
                event: Event::ChatMessage(m),
                ..
            },
        ] => m.content.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(content(false), address);
    assert_eq!(content(true), url);

    let content = |keep| {
        let payloads = json_payloads(frame.as_bytes(), keep);
        let v: Value = serde_json::from_str(&payloads[0]).unwrap();
        v["content"].as_str().unwrap().to_string()
    };
    assert_eq!(content(false), address);
    assert_eq!(content(true), url);
}
