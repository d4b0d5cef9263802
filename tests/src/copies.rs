//! Kick's copies of one happening, as real frames to publish through a server (sockudo's HTTP
//! API) or to write into a capture: the five events of one sub, and a gift in three chunks
//! composed from a real whole gift (Kick's captures hold only whole gifts; see
//! `tests/vectors/kick/SOURCES.md`). The end-to-end tests of the CLI's `--alerts` and of the
//! alert simulator feed these and expect one alert each.

use serde_json::Value;

use crate::frames::vector_line;

/// One Pusher frame: what a server publishes (`channel`, `event`, `data`) and the frame's own
/// text (a capture line).
#[derive(Debug, Clone)]
pub struct Published {
    pub channel: String,
    pub event: String,
    pub data: String,
    pub frame: String,
}

impl Published {
    /// The parts of a Pusher frame's text.
    pub fn of_frame(frame: &str) -> Self {
        let v: Value = serde_json::from_str(frame).expect("a Pusher frame");
        let part = |k: &str| v[k].as_str().expect(k).to_string();
        Self {
            channel: part("channel"),
            event: part("event"),
            data: part("data"),
            frame: frame.to_string(),
        }
    }

    /// The same frame on another channel name (Kick sends some events on two).
    pub fn on(&self, channel: &str) -> Self {
        Self::of_frame(&self.frame.replace(&self.channel, channel))
    }
}

fn vector(name: &str, line: usize) -> Published {
    Published::of_frame(&vector_line(name, line).expect("vector line"))
}

/// micke747's 38th month on channel 4599 (chatroom 4598), 2026-09-27: the sub, its three
/// channel-side notices and its chat info line. One `Subscription` with 38 months; three of
/// the five are only ever copies, and the second of the two that carry the months is a
/// duplicate.
pub fn micke747_sub() -> [Published; 5] {
    [
        vector("SubscriptionEvent.jsonl", 3),
        vector("ChannelSubscriptionEvent.jsonl", 4),
        vector("NewSubscriberUpdatedEvent.jsonl", 1),
        vector("NewActivityFeedEvent.jsonl", 1),
        vector("ChatMessageSentEvent.jsonl", 2),
    ]
}

/// The chatroom and channel ids of [`micke747_sub`].
pub const SUB_CHATROOM: u64 = 4598;
pub const SUB_CHANNEL: u64 = 4599;

/// The chatroom of [`gift_chunks`] (published on `chatroom_23580962`).
pub const GIFT_CHATROOM: u64 = 23_580_962;

/// Kl_Vava's gift of 5 in three chunks (2 + 2 + 1 recipients), composed from the real
/// `GiftedSubscriptionsEvent.jsonl`:3 (a whole gift to ebii03, correlation id
/// 700002820790407): recipients, `gifted_total` and `chunk_details` replaced, the rest as
/// captured. One `GiftedSubscriptions` with `count` 5 once the last chunk is in.
pub fn gift_chunks() -> [Published; 3] {
    let real = vector_line("GiftedSubscriptionsEvent.jsonl", 3).expect("vector line");
    let chunk = |names: &[&str], index: u32| {
        let names: Vec<String> = names.iter().map(|n| format!(r#"\"{n}\""#)).collect();
        let frame = real
            .replace(r#"[\"ebii03\"]"#, &format!("[{}]", names.join(",")))
            .replace(r#"\"gifted_total\":1"#, r#"\"gifted_total\":5"#)
            .replace(
                r#"\"chunk_details\":null"#,
                &format!(r#"\"chunk_details\":{{\"chunk_index\":{index},\"total_chunks\":3}}"#),
            );
        assert_ne!(frame, real, "the vector changed: nothing was replaced");
        Published::of_frame(&frame)
    };
    [
        chunk(&["ebii03", "giftee01"], 0),
        chunk(&["giftee02", "giftee03"], 1),
        chunk(&["giftee04"], 2),
    ]
}
