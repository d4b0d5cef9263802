//! The chatroom's recent chat for the connection option `history: true`: proto builds the
//! request (`chat_history_request`) and reads the reply (`parse_chat_history`), JavaScript only
//! carries them, as for the other lookups ([`crate::http`]).
//!
//! Each message is handed to JavaScript as the JSON of a live `ChatMessage` event's payload
//! (`chatroom_id` where the history says `chat_id`), written from the typed message: so the
//! history has the live event's shape, and nothing the typed reader does not keep (pictures,
//! which can be presigned URLs) reaches the page.

use kickwire_proto::Timestamp;
use kickwire_proto::http::{self, History};
use kickwire_proto::kick::{Badge, ChatMessage, ChatMetadata, EventKind};

use crate::http::{reply, write_request};
use crate::json::Json;
use crate::shared;
use crate::text;

/// Room kept free in the output for the next message: one whose content (2,000 bytes) is all
/// escaped as `\u00XX` is about 12 KB, its names and badges well under 4 KB more.
const ROOM: usize = 16 * 1024;

/// The history request for channel `channel_id` (the channel's id, not the chatroom's):
/// `{"request":{…}}` in the output.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_history_request(channel_id: f64) -> u32 {
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    let mut buf = [0u8; http::REQUEST_BUFFER];
    write_request(
        &mut j,
        http::chat_history_request(channel_id as u64, &mut buf),
    );
    j.finish()
}

/// Reads the history reply (body in the input, `0..len`), skipping its first `skip` messages:
/// `{"kind":N,"messages":[…]}`, `N` being `ChatMessage`'s number in `KINDS` (js/kickwire.js),
/// with `"next":M` when the output filled up before the end (call again with `skip` = `M`), or with
/// `"error":"…"` when Kick refused or the reply is not a history. Messages come in the reply's order; JavaScript sorts them.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_history(status: u32, cf_mitigated: u32, len: u32, skip: u32) -> u32 {
    reply(status, len, |status, body, j| {
        let kind = EventKind::ALL
            .iter()
            .position(|k| *k == EventKind::ChatMessage)
            .unwrap_or(0);
        j.raw("{\"kind\":").num(kind as u64).raw(",\"messages\":[");
        let mut seen = 0u32;
        let mut next = None;
        let mut scratch = ChatMessage::default();
        let read = http::parse_chat_history(status, cf_mitigated != 0, body, &mut scratch, |m| {
            seen = seen.saturating_add(1);
            if seen <= skip || next.is_some() {
                return;
            }
            if j.len() + ROOM > shared::OUTPUT_CAP {
                next = Some(seen - 1);
                return;
            }
            if seen > skip + 1 {
                j.raw(",");
            }
            message(j, m);
        });
        j.raw("]");
        match read {
            // After the messages read before the fault, which are not used: JavaScript looks
            // at `error` first.
            Err(e) => {
                j.raw(",\"error\":");
                text::describe(j, &e);
            }
            Ok(History { .. }) => {
                if let Some(n) = next {
                    j.raw(",\"next\":").num(u64::from(n));
                }
            }
        }
        j.raw("}");
    })
}

/// One message as a live `ChatMessage` event's payload.
fn message(j: &mut Json<'_>, m: &ChatMessage) {
    j.raw("{\"id\":").str(&m.id);
    j.raw(",\"chatroom_id\":").num(m.chatroom_id);
    j.raw(",\"content\":").str(&m.content);
    j.raw(",\"type\":").str(&m.kind);
    j.raw(",\"created_at\":");
    time(j, m.created_at);
    let s = &m.sender;
    j.raw(",\"sender\":{\"id\":").num(s.id);
    j.raw(",\"username\":").str(&s.username);
    j.raw(",\"slug\":").str(&s.slug);
    j.raw(",\"identity\":{\"color\":").str(&s.identity.color);
    j.raw(",\"badges\":[");
    for (i, b) in s.identity.badges.iter().enumerate() {
        if i > 0 {
            j.raw(",");
        }
        badge(j, b);
    }
    j.raw("]}},\"metadata\":");
    match &m.metadata {
        Some(meta) => metadata(j, meta),
        None => {
            j.raw("null");
        }
    }
    j.raw("}");
}

fn badge(j: &mut Json<'_>, b: &Badge) {
    j.raw("{\"type\":")
        .str(&b.kind)
        .raw(",\"text\":")
        .str(&b.text);
    if let Some(n) = b.count {
        j.raw(",\"count\":").num(u64::from(n));
    }
    j.raw("}");
}

/// The members Kick sent (a plain message has only `message_ref`).
fn metadata(j: &mut Json<'_>, m: &ChatMetadata) {
    let mut sep = "{";
    if let Some(o) = &m.original_sender {
        j.raw(sep).raw("\"original_sender\":{\"id\":").num(o.id);
        j.raw(",\"username\":").str(&o.username).raw("}");
        sep = ",";
    }
    if let Some(o) = &m.original_message {
        j.raw(sep).raw("\"original_message\":{\"id\":").str(&o.id);
        j.raw(",\"content\":").str(&o.content).raw("}");
        sep = ",";
    }
    if let Some(c) = &m.celebration {
        j.raw(sep).raw("\"celebration\":{\"id\":").str(&c.id);
        j.raw(",\"type\":").str(&c.kind).raw(",\"total_months\":");
        j.opt(c.total_months.map(u64::from)).raw(",\"created_at\":");
        time(j, c.created_at);
        j.raw("}");
        sep = ",";
    }
    if let Some(r) = &m.message_ref {
        j.raw(sep).raw("\"message_ref\":").str(r);
        sep = ",";
    }
    j.raw(if sep == "{" { "{}" } else { "}" });
}

/// A time as Kick's live chat writes it (`2025-07-17T08:44:56+00:00`, milliseconds added when
/// there are any), or `null`.
fn time(j: &mut Json<'_>, t: Option<Timestamp>) {
    let Some(t) = t else {
        j.raw("null");
        return;
    };
    let (y, m, d, in_day) = t.to_civil();
    let (m, d, in_day) = (i64::from(m), i64::from(d), i64::from(in_day));
    let mut buf = [0u8; 29];
    let mut at = 0;
    let mut put = |n: i64, width: usize, after: u8| {
        let mut n = n.unsigned_abs();
        for k in (0..width).rev() {
            if let Some(b) = buf.get_mut(at + k) {
                *b = b'0' + (n % 10) as u8;
            }
            n /= 10;
        }
        if let Some(b) = buf.get_mut(at + width) {
            *b = after;
        }
        at += width + 1;
    };
    put(y, 4, b'-');
    put(m, 2, b'-');
    put(d, 2, b'T');
    put(in_day / 3_600_000, 2, b':');
    put(in_day / 60_000 % 60, 2, b':');
    let frac = in_day % 1000;
    put(in_day / 1000 % 60, 2, if frac == 0 { b'+' } else { b'.' });
    if frac != 0 {
        put(frac, 3, b'+');
    }
    put(0, 2, b':');
    put(0, 2, b'"');
    let iso = buf.get(..at.saturating_sub(1)).unwrap_or_default();
    j.raw("\"")
        .raw(core::str::from_utf8(iso).unwrap_or_default())
        .raw("\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(ms: i64) -> String {
        let mut buf = [0u8; 64];
        let mut j = Json::new(&mut buf);
        time(&mut j, Some(Timestamp::from_unix_millis(ms)));
        let n = j.finish() as usize;
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    /// The module's buffers are one per process: the tests that use them run one after the
    /// other, in this one test.
    #[test]
    fn replies_through_the_buffers() {
        a_history_reply_becomes_live_payloads();
        a_long_history_is_read_in_pages();
    }

    /// The reconstructed reply (`tests/vectors/kick/reconstructed/chat_history_reply.json`):
    /// its first message as a live event's payload, written here by hand from the file.
    fn a_history_reply_becomes_live_payloads() {
        let body = include_bytes!("../../tests/vectors/kick/reconstructed/chat_history_reply.json");
        shared::input()[..body.len()].copy_from_slice(body);
        let n = kw_history(200, 0, body.len() as u32, 0) as usize;
        let v: serde_json::Value = serde_json::from_slice(&shared::output()[..n]).unwrap();
        assert_eq!(v["kind"], 0, "ChatMessage is the first of EventKind::ALL");
        assert_eq!(v["messages"].as_array().unwrap().len(), 3);
        assert_eq!(
            v["messages"][0],
            serde_json::json!({
                "id": "6aabe870-4aaa-4127-89fa-23e05ba6bdb4",
                "chatroom_id": 16756136,
                "content": "[emote:4147814:OuttaPocket]",
                "type": "message",
                "created_at": "2026-01-15T13:53:31+00:00",
                "sender": {"id": 18668803, "username": "CrispyLegs", "slug": "crispylegs",
                    "identity": {"color": "#F2708A", "badges": [
                        {"type": "moderator", "text": "Moderator"},
                        {"type": "subscriber", "text": "Subscriber", "count": 6},
                        {"type": "sub_gifter", "text": "Sub Gifter", "count": 120}]}},
                "metadata": {"message_ref": "1768485210852"}
            })
        );
        assert_eq!(
            v["messages"][2]["id"],
            "79241483-5fea-4b84-abd8-6fc01fb98fe2"
        );
        assert!(v.get("next").is_none() && v.get("error").is_none());
        // Skipping the first two: the third alone.
        shared::input()[..body.len()].copy_from_slice(body);
        let n = kw_history(200, 0, body.len() as u32, 2) as usize;
        let v: serde_json::Value = serde_json::from_slice(&shared::output()[..n]).unwrap();
        assert_eq!(v["messages"].as_array().unwrap().len(), 1);
        assert_eq!(v["messages"][0]["content"], "back to the plantation");
        // Cloudflare's refusal: an error, no message.
        let page = b"<!DOCTYPE html><title>Just a moment...</title>";
        shared::input()[..page.len()].copy_from_slice(page);
        let n = kw_history(403, 1, page.len() as u32, 0) as usize;
        let v: serde_json::Value = serde_json::from_slice(&shared::output()[..n]).unwrap();
        assert_eq!(v["messages"], serde_json::json!([]));
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .starts_with("Cloudflare refused"),
            "{v}"
        );
    }

    /// A reply longer than the output takes at once: read in pages, every message once, in order.
    fn a_long_history_is_read_in_pages() {
        let messages: Vec<String> = (0..120)
            .map(|i| {
                format!(
                    r#"{{"id":"m{i}","chat_id":7,"content":"{}","type":"message","sender":{{"id":{i},"username":"u{i}"}}}}"#,
                    "x".repeat(300)
                )
            })
            .collect();
        let body = format!(r#"{{"data":{{"messages":[{}]}}}}"#, messages.join(","));
        let mut ids = Vec::new();
        let mut pages = 0;
        let mut skip = 0;
        loop {
            shared::input()[..body.len()].copy_from_slice(body.as_bytes());
            let n = kw_history(200, 0, body.len() as u32, skip) as usize;
            let v: serde_json::Value = serde_json::from_slice(&shared::output()[..n]).unwrap();
            pages += 1;
            for m in v["messages"].as_array().unwrap() {
                ids.push(m["id"].as_str().unwrap().to_owned());
            }
            match v.get("next") {
                Some(next) => skip = next.as_u64().unwrap() as u32,
                None => break,
            }
            assert!(pages < 10, "no end");
        }
        // About 450 bytes each, 16 KiB a page: more than one page.
        assert!(pages > 1, "one page");
        let want: Vec<String> = (0..120).map(|i| format!("m{i}")).collect();
        assert_eq!(ids, want);
    }

    #[test]
    fn times_are_written_as_kicks_live_chat_writes_them() {
        // 1768485211000 ms: 2026-01-15T13:53:31Z (the first message of the reconstructed
        // history reply; `date -u -d @1768485211`).
        assert_eq!(iso(1_768_485_211_000), "\"2026-01-15T13:53:31+00:00\"");
        assert_eq!(iso(1_768_485_211_042), "\"2026-01-15T13:53:31.042+00:00\"");
        assert_eq!(iso(0), "\"1970-01-01T00:00:00+00:00\"");
        // A leap day: 2024-02-29T23:59:59Z is 1709251199 s.
        assert_eq!(iso(1_709_251_199_000), "\"2024-02-29T23:59:59+00:00\"");
    }
}
