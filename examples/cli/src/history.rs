//! `watch --history`: the chatroom's recent chat (Kick's history endpoint, read by
//! `kickwire_proto::http::parse_chat_history`), printed before the live events, each marked as
//! history. A failed or refused fetch is reported and the live watch goes on.
//!
//! With `--alerts` the history goes through the alert machine first, before any live event:
//! the live copy of a message already shown from the history (Kick sends the recent chat in
//! both) is merged by its id and not shown twice.

use std::io::{self, Write as _};

use kickwire_cli::alerts::Feed;
use kickwire_cli::describe;
use kickwire_proto::conn::Instant;
use kickwire_proto::http;
use kickwire_proto::kick::channels::Ids;
use kickwire_proto::kick::{ChatMessage, Event};
use serde_json::{Value, json};

use crate::{print, target};

/// The recent chat of the channel `ids` names, oldest first: the one call that gives the
/// history as typed messages (what an alert step would be fed so that a message is not shown
/// twice when its live copy arrives).
///
/// Kick does not promise an order, so the messages are sorted by `created_at` (stable: equal
/// times keep the reply's order; undated ones come first).
pub fn fetch(ids: Ids) -> Result<Vec<ChatMessage>, String> {
    let mut buf = [0u8; http::REQUEST_BUFFER];
    let req = http::chat_history_request(ids.channel_id, &mut buf).map_err(|e| e.to_string())?;
    let reply = target::send(&req).map_err(|e| format!("cannot reach Kick ({e})"))?;
    let cf = reply.header("cf-mitigated").is_some();
    let mut scratch = ChatMessage::default();
    let mut messages = Vec::new();
    let read = http::parse_chat_history(reply.status, cf, &reply.body, &mut scratch, |m| {
        messages.push(m.clone());
    })
    .map_err(|e| e.to_string())?;
    if read.skipped > 0 {
        print::err(&format!(
            "[kickwire] chat history: {} entries were not chat messages; skipped",
            read.skipped
        ));
    }
    messages.sort_by_key(|m| m.created_at.map_or(i64::MIN, |t| t.unix_millis()));
    Ok(messages)
}

/// Fetches and prints the history: readable lines marked `[history]`, or JSON objects with
/// `"history": true`; with `alerts`, the alerts the messages make, marked the same way, the
/// machine then remembering them for the live events. A failure is a line on stderr, or with
/// `--json` an `Error` object with `source: "history"`; either way the caller goes on to the
/// live events.
pub fn show(ids: Option<Ids>, json_out: bool, mut alerts: Option<&mut Feed>) -> io::Result<()> {
    let result = ids
        .ok_or_else(|| "no channel id (give a slug or --chatroom N --channel N)".to_string())
        .and_then(fetch);
    let messages = match result {
        Ok(m) => m,
        Err(msg) => return report_failure(json_out, &msg),
    };
    let channel = ids.map_or_else(String::new, |i| format!("chatrooms.{}.v2", i.chatroom_id));
    if !json_out {
        print::err(&format!(
            "[kickwire] chat history: {} messages",
            messages.len()
        ));
    }
    for m in messages {
        let event = Event::ChatMessage(m);
        if let Some(feed) = alerts.as_deref_mut() {
            // Before the watch's clock starts: its first instant, so that a live copy within
            // the machine's id window (10 min) is known as one.
            let mut out = io::stdout().lock();
            feed.event(Instant::from_millis(0), &event, true, &mut out)?;
            out.flush()?;
        } else if json_out {
            print::out_json(&json_line(&channel, &event))?;
        } else {
            print::out(&format!("[history] {}", describe::line(&channel, &event)))?;
        }
    }
    Ok(())
}

/// The JSON of one history message: the live event's object with `"history": true`.
fn json_line(channel: &str, event: &Event) -> Value {
    let mut v = describe::json_value(channel, event);
    if let Value::Object(o) = &mut v {
        o.insert("history".into(), Value::Bool(true));
    }
    v
}

fn report_failure(json_out: bool, msg: &str) -> io::Result<()> {
    if json_out {
        return print::out_json(&json!({"type": "Error", "source": "history", "message": msg}));
    }
    print::err(&format!(
        "[kickwire] chat history not shown: {msg}; the live events follow"
    ));
    Ok(())
}
