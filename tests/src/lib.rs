//! Helpers shared by kickwire's cross-crate tests: where the vectors are, and the JSON form of
//! an event exactly as the CLI prints it.

use kickwire_proto::kick::Event;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// `tests/vectors/` of this repository.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// `{"type", "channel", ...fields}`: the same object `kickwire replay --json` prints.
pub fn event_json(channel: &str, event: &Event) -> Value {
    let mut obj = Map::new();
    obj.insert("type".into(), Value::from(event.type_name()));
    obj.insert("channel".into(), Value::from(channel));
    if let Ok(Value::Object(fields)) = serde_json::to_value(event) {
        for (k, v) in fields {
            if k != "type" {
                obj.insert(k, v);
            }
        }
    }
    Value::Object(obj)
}
