//! `kickwire info`: a channel's room right now (title, live or not, viewers, category,
//! followers, chat settings), from the channel reply `watch` looks slugs up with, read by
//! `kickwire_proto::http::parse_room_info`.

use std::process::ExitCode;

use kickwire_proto::http::{self, RoomInfo};
use serde_json::{Value, json};

use crate::{print, target};

/// The parsed options of `info`.
#[derive(Debug, Default)]
pub struct Options {
    pub slug: Option<String>,
    pub channel: Option<u64>,
    pub json: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Self::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--json" => o.json = true,
                "--channel" => {
                    let v = it.next().ok_or("--channel needs a value")?;
                    o.channel = Some(
                        v.parse()
                            .map_err(|_| format!("--channel wants a number, not '{v}'"))?,
                    );
                }
                s if s.starts_with('-') => return Err(format!("unknown option '{s}'")),
                s if o.slug.is_none() => o.slug = Some(s.to_string()),
                s => return Err(format!("unexpected argument '{s}'")),
            }
        }
        if o.slug.is_none() && o.channel.is_none() {
            return Err("info needs a channel slug (or --channel N)".into());
        }
        Ok(o)
    }
}

/// What `info --channel N` without a slug can say: Kick's channel reply is looked up by slug,
/// and no endpoint by id was found documented in public client code.
const NO_SLUG: &str = "the room info (title, live or not, viewers, category, followers, chat \
settings) comes from Kick's channel reply, GET https://kick.com/api/v2/channels/{slug}, which \
is looked up by slug, not by id: none of it can be shown from --channel alone. Give the \
channel's slug (the name in its kick.com address)";

pub fn run(o: &Options) -> ExitCode {
    let Some(slug) = &o.slug else {
        let id = o.channel.unwrap_or_default();
        print::err(&format!("kickwire: channel {id}: {NO_SLUG}"));
        return ExitCode::FAILURE;
    };
    // The lookup `watch` makes, with its wording and exit code for every failure.
    let room = target::channel_reply(slug).and_then(|(_, reply)| {
        let cf = reply.header("cf-mitigated").is_some();
        http::parse_room_info(reply.status, cf, &reply.body)
            .map_err(|e| format!("looking up '{slug}' failed: {e}"))
    });
    let room = match room {
        Ok(r) => r,
        Err(msg) => {
            print::err(&format!("kickwire: {msg}"));
            return ExitCode::FAILURE;
        }
    };
    if let Some(channel) = o.channel.filter(|c| *c != room.channel_id) {
        print::err(&format!(
            "[kickwire] note: '{slug}' is channel {}, not {channel}",
            room.channel_id
        ));
    }
    let written = if o.json {
        print::out_json(&json_value(&room))
    } else {
        text(&room).lines().try_for_each(print::out)
    };
    if written.is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The JSON form: `{"type":"RoomInfo", ...}` with proto's camelCase keys, plus the totals and
/// cut flags a fixed capacity hides.
pub fn json_value(room: &RoomInfo) -> Value {
    let mut v =
        serde_json::to_value(room).unwrap_or_else(|e| json!({"serializationError": e.to_string()}));
    if let Value::Object(o) = &mut v {
        let mut out = serde_json::Map::new();
        out.insert("type".into(), Value::from("RoomInfo"));
        out.append(o);
        out.insert(
            "categoriesTotal".into(),
            Value::from(room.categories.total()),
        );
        out.insert(
            "titleTruncated".into(),
            Value::from(room.title.is_truncated()),
        );
        return Value::Object(out);
    }
    v
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// The readable form, one fact a line.
pub fn text(room: &RoomInfo) -> String {
    let mut s = format!(
        "{} ({}): {}\n",
        room.slug,
        room.username,
        if room.is_live { "live" } else { "offline" }
    );
    let mut line = |k: &str, v: String| s.push_str(&format!("  {k:<15} {v}\n"));
    if room.is_live {
        let cut = if room.title.is_truncated() {
            " [cut]"
        } else {
            ""
        };
        line("title", format!("{}{cut}", room.title));
        line(
            "viewers",
            room.viewers.map_or("unknown".into(), |v| v.to_string()),
        );
        let names: Vec<&str> = room.categories.iter().map(|c| c.name.as_str()).collect();
        let more = (room.categories.total() as usize).saturating_sub(names.len());
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        line("category", format!("{}{more}", names.join(", ")));
        if let Some(t) = room.started_at {
            line("started", utc(t.unix_millis()));
        }
    }
    line(
        "followers",
        room.followers.map_or("unknown".into(), |f| f.to_string()),
    );
    let slow = match (room.slow_mode, room.slow_mode_interval) {
        (true, Some(secs)) => format!("on, {secs} s between messages"),
        (on, _) => on_off(on).to_string(),
    };
    let followers = match (room.followers_only, room.followers_min_minutes) {
        (true, Some(min)) if min > 0 => format!("on, after {min} min of following"),
        (on, _) => on_off(on).to_string(),
    };
    if !room.chat_mode.is_empty() {
        line("chat", room.chat_mode.to_string());
    }
    line("slow mode", slow);
    line("followers-only", followers);
    line("subs-only", on_off(room.subscribers_only).to_string());
    line("emotes-only", on_off(room.emotes_only).to_string());
    let stream = room
        .livestream_id
        .map_or(String::new(), |l| format!(", livestream {l}"));
    line(
        "ids",
        format!(
            "channel {}, chatroom {}{stream}",
            room.channel_id, room.chatroom_id
        ),
    );
    s
}

/// `YYYY-MM-DD hh:mm:ss UTC` for milliseconds since the Unix epoch (proto's `to_civil`).
fn utc(ms: i64) -> String {
    let (year, month, day, in_day) = kickwire_proto::Timestamp::from_unix_millis(ms).to_civil();
    let day_secs = in_day / 1000;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates() {
        // Checked by hand: the epoch, a leap day, and the LIVE vector's start (2025-07-17 01:53:20).
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_752_717_200_000), "2025-07-17 01:53:20 UTC");
    }
}
