//! Frames built by hand for the edge-case tests (`tests/tests/{capacity,escaping,broken_input,
//! messages,loose_typing}.rs`), and the one item they decode to through the public API.

use crate::escape::{Escaper, raw_escape};
use kickwire_proto::kick::{ChatMessage, Event};
use kickwire_proto::{DecodeError, Message, decode, limits};
use std::path::{Path, PathBuf};

/// Kick's name for a chat message.
pub const CHAT: &str = "App\\Events\\ChatMessageEvent";
/// The channel every built frame is on.
pub const CHANNEL: &str = "chatrooms.5976096.v2";

/// A Pusher frame for `event` whose payload is the JSON text `inner`, double encoded: `inner`
/// escaped into the `data` string with `esc`.
pub fn pusher_frame(event: &str, inner: &str, esc: Escaper) -> String {
    format!(
        r#"{{"event":"{}","data":"{}","channel":"{CHANNEL}"}}"#,
        esc(event),
        esc(inner)
    )
}

/// The payload of a chat message whose `content` member is `content_json` (already escaped).
/// Same shape as the synthetic vectors.
pub fn chat_payload(content_json: &str) -> String {
    format!(
        r##"{{"id":"00000000-0000-4000-8000-000000000003","chatroom_id":5976096,"content":"{content_json}","type":"message","created_at":"2026-09-27T16:11:55+00:00","sender":{{"id":21608136,"username":"abbasnjah","slug":"abbasnjah","identity":{{"color":"#FFD899","badges":[]}}}},"metadata":{{"message_ref":"1790525515401"}}}}"##
    )
}

/// A chat-message frame with `content`, escaped with `esc` at both levels.
pub fn chat_frame(content: &str, esc: Escaper) -> String {
    pusher_frame(CHAT, &chat_payload(&esc(content)), esc)
}

/// 2026-09-27T16:11:55Z in unix milliseconds:
/// days 1970-01-01 → 2026-01-01: 56 years × 365 + 14 leap days (1972..=2024) = 20 454;
/// 2026-01-01 → 09-27: 31+28+31+30+31+30+31+31 = 243, + 26 = 269; total 20 723 days;
/// 20 723 × 86 400 = 1 790 467 200 s, + 16:11:55 (57 600 + 660 + 55 = 58 315 s)
/// = 1 790 525 515 s (the vectors' message_ref, 1790525515401, is 401 ms later).
pub const CREATED_MS: i64 = 1_790_525_515_000;

/// Everything of [`chat_payload`] but the content came through.
pub fn assert_rest_intact(m: &ChatMessage) {
    assert_eq!(m.id.as_str(), "00000000-0000-4000-8000-000000000003");
    assert_eq!(m.chatroom_id, 5_976_096);
    assert_eq!(m.kind.as_str(), "message");
    assert_eq!(m.created_at.map(|t| t.unix_millis()), Some(CREATED_MS));
    assert_eq!(m.sender.id, 21_608_136);
    assert_eq!(m.sender.username.as_str(), "abbasnjah");
    assert_eq!(m.sender.identity.color.as_str(), "#FFD899");
    let meta = m.metadata.as_ref().expect("metadata");
    assert_eq!(
        meta.message_ref.as_ref().map(|r| r.as_str()),
        Some("1790525515401")
    );
}

/// Every item `decode` gives for one WebSocket message, with scratch enough for any payload.
pub fn decode_all(message: &[u8]) -> Vec<Result<Message, DecodeError>> {
    let mut scratch = vec![0u8; limits::MAX_PAYLOAD.max(message.len())];
    decode(message, &mut scratch).collect()
}

/// The one Kick event a message holds.
pub fn only_event(message: &[u8]) -> Event {
    let mut items = decode_all(message);
    assert_eq!(items.len(), 1, "expected one item, got {items:?}");
    match items.remove(0) {
        Ok(Message::Kick { event, .. }) => event,
        other => panic!("expected a Kick event, got {other:?}"),
    }
}

/// The one chat message a message holds.
pub fn chat(message: &[u8]) -> ChatMessage {
    match only_event(message) {
        Event::ChatMessage(m) => m,
        other => panic!("expected a ChatMessage, got {other:?}"),
    }
}

/// The one error a message gives.
pub fn only_error(message: &[u8]) -> DecodeError {
    let mut items = decode_all(message);
    assert_eq!(items.len(), 1, "expected one item, got {items:?}");
    match items.remove(0) {
        Err(e) => e,
        Ok(m) => panic!("expected an error, got {m:?}"),
    }
}

/// `n` Unicode scalar values taken from `pattern`, repeated.
pub fn scalars(pattern: &str, n: usize) -> String {
    pattern.chars().cycle().take(n).collect()
}

/// A vector file, from `tests/vectors/` (anywhere below it).
pub fn vector_file(name: &str) -> Option<PathBuf> {
    fn find(dir: &Path, name: &str) -> Option<PathBuf> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in &entries {
            if p.is_file() && p.file_name().is_some_and(|f| f == name) {
                return Some(p.clone());
            }
        }
        entries
            .iter()
            .filter(|p| p.is_dir())
            .find_map(|p| find(p, name))
    }
    find(&crate::vectors_dir(), name)
}

/// Line `line` (1-based) of the vector file `name` ([`vector_file`]).
pub fn vector_line(name: &str, line: usize) -> Option<String> {
    let path = vector_file(name)?;
    let text = std::fs::read_to_string(&path).ok()?;
    text.lines().nth(line - 1).map(str::to_owned)
}

/// A Centrifugo publication of `event` on [`CHANNEL`] at `offset`, its payload `payload`
/// escaped into the `data` string.
pub fn publication(event: &str, payload: &str, offset: u64) -> String {
    format!(
        r#"{{"push":{{"channel":"{CHANNEL}","pub":{{"data":{{"event":"{}","data":"{}"}},"offset":{offset}}}}}}}"#,
        raw_escape(event),
        raw_escape(payload)
    )
}
