//! Helpers shared by kickwire's cross-crate tests: where the vectors are, the JSON form of an
//! event exactly as the CLI prints it, the JSON escapings Kick's frames come in ([`escape`]),
//! frames built by hand ([`frames`]) and Kick's copies of one happening ([`copies`]).

pub mod browser;
pub mod centrifugo;
pub mod centrifugo_vector;
pub mod copies;
pub mod escape;
pub mod frames;
pub mod process;
pub mod scripted;
pub mod sockudo;

pub mod driver;
pub mod golden;

use kickwire_proto::kick::Event;
use serde_json::Value;
use std::path::PathBuf;

/// Calls `done` every `poll` until it returns true (then true) or `timeout` passes (then
/// false).
pub fn poll_until(
    timeout: std::time::Duration,
    poll: std::time::Duration,
    mut done: impl FnMut() -> bool,
) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if done() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(poll);
    }
}

/// `tests/vectors/` of this repository.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// `{"type", "channel", ...fields}`: the very object `kickwire replay --json` prints.
pub fn event_json(channel: &str, event: &Event) -> Value {
    kickwire_cli::describe::json_value(channel, event)
}
