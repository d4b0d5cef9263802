//! Which Kick events the relay has already forwarded: a bounded, time-limited set of
//! fingerprints, so that a frame that arrives twice (on two upstream transports, again after an
//! upstream reconnect, or from two of Kick's channels carrying one event) goes out once.
//!
//! A fingerprint is a keyed hash of the channel, the event's name and its payload read as JSON
//! with object keys sorted: Kick's serializers differ in escapes (`\/`, `\u00e9` or raw UTF-8)
//! and whitespace between transports, so the text alone would miss copies. The key is random per
//! process ([`RandomState`]): chat text is chosen by strangers, and a known key would let one
//! craft a message whose fingerprint hides another's.
//!
//! A copy is only a copy within the window (two minutes by default): the same payload much later
//! is a new happening (a second identical "stream ended", say), and the set stays bounded in
//! time as well as in size (the oldest fingerprint goes first when it is full).
//!
//! ```
//! use kickwire_cli::relay::copies::Copies;
//! use std::time::Duration;
//!
//! let mut copies = Copies::new(1024, Duration::from_secs(120));
//! let pusher = copies.fingerprint("chatrooms.1.v2", "App\\Events\\ChatMessageEvent", br#"{"id":"a","content":"caf\u00e9"}"#);
//! let centrifugo = copies.fingerprint("chatrooms.1.v2", "App\\Events\\ChatMessageEvent", "{\"content\": \"café\", \"id\": \"a\"}".as_bytes());
//! assert!(copies.first_time(0, pusher));
//! assert!(!copies.first_time(500, centrifugo)); // the same event, written by another serializer
//! assert!(copies.first_time(121_000, pusher)); // the window is over: a new happening
//! ```

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::time::Duration;

use serde_json::Value;

/// The fingerprints of the events forwarded recently.
#[derive(Debug)]
pub struct Copies {
    keys: RandomState,
    /// Fingerprints in the order they were first seen, with when (ms).
    order: VecDeque<(u64, u64)>,
    set: HashSet<u64>,
    capacity: usize,
    window_ms: u64,
}

impl Copies {
    /// At most `capacity` fingerprints (at least one), each kept for `window`.
    #[must_use]
    pub fn new(capacity: usize, window: Duration) -> Self {
        let capacity = capacity.max(1);
        Self {
            keys: RandomState::new(),
            order: VecDeque::with_capacity(capacity.min(1 << 16)),
            set: HashSet::with_capacity(capacity.min(1 << 16)),
            capacity,
            window_ms: u64::try_from(window.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// The fingerprint of one event: its channel, its name and its payload (JSON text; a
    /// payload that is not JSON is taken byte for byte).
    #[must_use]
    pub fn fingerprint(&self, channel: &str, event: &str, payload: &[u8]) -> u64 {
        let mut h = self.keys.build_hasher();
        channel.hash(&mut h);
        event.hash(&mut h);
        match serde_json::from_slice::<Value>(payload) {
            Ok(v) => {
                0u8.hash(&mut h);
                hash_value(&v, &mut h);
            }
            Err(_) => {
                1u8.hash(&mut h);
                payload.hash(&mut h);
            }
        }
        h.finish()
    }

    /// Whether `fingerprint` is new at `now_ms` (then it is remembered for the window), or a
    /// copy of an event seen within it.
    pub fn first_time(&mut self, now_ms: u64, fingerprint: u64) -> bool {
        self.expire(now_ms);
        if self.set.contains(&fingerprint) {
            return false;
        }
        while self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        self.order.push_back((fingerprint, now_ms));
        self.set.insert(fingerprint);
        true
    }

    /// Fingerprints remembered now.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Forgets the fingerprints whose window is over at `now_ms`.
    fn expire(&mut self, now_ms: u64) {
        while let Some(&(_, at)) = self.order.front() {
            if now_ms.saturating_sub(at) < self.window_ms {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((fp, _)) = self.order.pop_front() {
            self.set.remove(&fp);
        }
    }
}

/// Hashes a JSON value with object keys in sorted order (and a tag per type, so that `"1"`
/// and `1` differ).
fn hash_value(v: &Value, h: &mut impl Hasher) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => (2u8, n.to_string()).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(items) => {
            (4u8, items.len()).hash(h);
            for item in items {
                hash_value(item, h);
            }
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(h);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                k.hash(h);
                if let Some(item) = map.get(k) {
                    hash_value(item, h);
                }
            }
        }
    }
}
