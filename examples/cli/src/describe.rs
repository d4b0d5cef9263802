//! How events are printed: one readable line, or one JSON object.

use kickwire_proto::kick::{Event, Part};
use serde_json::{Map, Value};

use crate::terminal;

/// The JSON form, as text: `{"type", "channel", ...Kick's own fields}`, with no raw control
/// character in it ([`terminal::json_text`]).
pub fn json(channel: &str, event: &Event) -> String {
    terminal::json_text(&json_value(channel, event))
}

/// The JSON form: `{"type", "channel", ...Kick's own fields}`.
pub fn json_value(channel: &str, event: &Event) -> Value {
    let mut obj = Map::new();
    obj.insert("type".into(), Value::from(event.type_name()));
    obj.insert("channel".into(), Value::from(channel));
    match serde_json::to_value(event) {
        Ok(Value::Object(fields)) => {
            for (k, v) in fields {
                if k != "type" {
                    obj.insert(k, v);
                }
            }
        }
        // Cannot happen for our types (plain structs, string keys); say so rather than print
        // a silently empty event.
        other => {
            obj.insert(
                "serialization_error".into(),
                Value::from(format!("{other:?}")),
            );
        }
    }
    Value::Object(obj)
}

pub(crate) fn names<const N: usize>(list: &[kickwire_proto::Text<N>]) -> String {
    list.iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of a list that may have been cut, `, ...` at the end when it was.
pub(crate) fn names_kept<const N: usize, const M: usize>(
    list: &kickwire_proto::List<kickwire_proto::Text<N>, M>,
) -> String {
    let more = if list.is_truncated() { ", ..." } else { "" };
    format!("{}{more}", names(list))
}

/// Chat content with emotes shown as `:NAME:`.
pub(crate) fn content(text: &str) -> String {
    kickwire_proto::kick::Parts::new(text)
        .map(|p| match p {
            Part::Text(t) => t.to_string(),
            Part::Emote { name, .. } => format!(":{name}:"),
        })
        .collect()
}

/// The readable form: `[channel] Type  summary`.
pub fn line(channel: &str, event: &Event) -> String {
    let summary = match event {
        Event::ChatMessage(m) => {
            let reply = match m
                .metadata
                .as_ref()
                .and_then(|md| md.original_sender.as_ref())
            {
                Some(to) => format!(" (reply to {})", to.username),
                None => String::new(),
            };
            format!("{}{}: {}", m.sender.username, reply, content(&m.content))
        }
        Event::MessageDeleted(d) => format!("message {} deleted", d.message.id),
        Event::UserBanned(b) if b.is_permanent() => {
            format!("{} banned by {}", b.user.username, b.banned_by.username)
        }
        Event::UserBanned(b) => format!(
            "{} timed out for {} min by {}",
            b.user.username,
            b.duration.unwrap_or(0),
            b.banned_by.username
        ),
        Event::UserUnbanned(u) => {
            format!("{} unbanned by {}", u.user.username, u.unbanned_by.username)
        }
        Event::Subscription(s) => format!(
            "{} subscribed ({} months)",
            s.username,
            s.months.unwrap_or(1)
        ),
        Event::ChannelSubscription(s) => {
            format!("{} subscriber(s) {}", s.user_ids.total(), s.username)
        }
        Event::GiftedSubscriptions(g) => format!(
            "{} gifted {} sub(s) to {}",
            g.gifter_username,
            g.gifted_count,
            names_kept(&g.gifted_usernames)
        ),
        Event::LuckyUsersWhoGotGiftSubscriptions(l) => {
            format!(
                "{} gifted {} sub(s)",
                l.gifter_username,
                l.usernames.total()
            )
        }
        Event::KicksGifted(k) => format!(
            "{} sent {} ({} Kicks){}",
            k.sender.username,
            k.gift.name,
            k.gift.amount,
            if k.message.is_empty() {
                String::new()
            } else {
                format!(": {}", k.message)
            }
        ),
        Event::RewardRedeemed(r) => format!("{} redeemed {}", r.username, r.reward_title),
        Event::PollUpdate(p) => {
            let opts: Vec<String> = p
                .poll
                .options
                .iter()
                .map(|o| format!("{} {}", o.label, o.votes))
                .collect();
            format!("{} [{}]", p.poll.title, opts.join(" | "))
        }
        Event::StreamerIsLive(s) => format!("live: {}", s.livestream.session_title),
        Event::StreamEnd(s) => format!("livestream {} ended", s.livestream.id),
        Event::StreamHost(h) => format!(
            "{} hosts with {} viewers",
            h.host_username,
            h.number_viewers.unwrap_or(0)
        ),
        Event::StreamHosted(h) => format!(
            "{} hosts with {} viewers",
            h.user.username,
            h.message.number_of_viewers.unwrap_or(0)
        ),
        Event::ChatMoveToSupportedChannel(c) => format!("chat moves to {}", c.hosted.username),
        Event::PinnedMessageCreated(p) => {
            format!(
                "pinned {}: {}",
                p.message.sender.username,
                content(&p.message.content)
            )
        }
        Event::FollowersUpdated(f) => format!("{} followers", f.followers_count.unwrap_or(0)),
        Event::Unknown(u) => u.name.to_string(),
        _ => json(channel, event),
    };
    format!("[{channel}] {:<20} {summary}", event.type_name())
}
