//! The reconstructed Kick Centrifugo vector
//! (`vectors/kick/reconstructed/centrifugo_json_protocol.jsonl`) and Centrifugo publications
//! built from real Pusher frames, for the Centrifugo tests.

use serde_json::{Value, json};

use crate::vectors_dir;

/// The channel of the vector's publication (`chatrooms.<id>.v2`).
pub const VECTOR_CHANNEL: &str = "chatrooms.5976096.v2";

/// Line `n` (1-based) of the vector.
pub fn vector_line(n: usize) -> String {
    let path = vectors_dir().join("kick/reconstructed/centrifugo_json_protocol.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .nth(n - 1)
        .unwrap_or_else(|| panic!("{} has no line {n}", path.display()))
        .to_owned()
}

/// `push.pub.data` of the vector's publication (line 5): `{"event":..., "data":"<JSON string>"}`.
pub fn vector_publication_data() -> Value {
    let push: Value = serde_json::from_str(&vector_line(5)).unwrap();
    assert_eq!(push["push"]["channel"], VECTOR_CHANNEL);
    push["push"]["pub"]["data"].clone()
}

/// `{"event","data"}` of the first `count` real Pusher frames of `ChatMessageEvent.jsonl`: the
/// same event name and data string Kick's Centrifugo wraps in `push.pub.data`.
pub fn chat_message_data(count: usize) -> Vec<Value> {
    let path = vectors_dir().join("kick/ChatMessageEvent.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take(count)
        .map(|l| {
            let frame: Value = serde_json::from_str(l).unwrap();
            json!({"event": frame["event"], "data": frame["data"]})
        })
        .collect()
}
