//! An [`Alert`] as JSON, the shape proto gives it with `serde` (`alerts/json.rs`: its kind in
//! `"alert"`, its fields flat beside it, camelCase, absent values `null`), written by hand:
//! `serde` and `core::fmt` would cost the module kilobytes. `same_json.rs` holds the two
//! writers to one shape.

use kickwire_proto::alerts::{Alert, GoalStage};
use kickwire_proto::kick::{Outcome, PollOption};
use kickwire_proto::{List, Text};

use crate::json::Json;

/// Writes `alert` as one JSON object.
pub(super) fn alert(j: &mut Json<'_>, alert: &Alert) {
    j.raw("{\"alert\":").str(alert.kind_name());
    match alert {
        Alert::Chat(c) => {
            text(j, "id", &c.id);
            text(j, "username", &c.username);
            text(j, "content", &c.content);
            flag(j, "firstWords", c.first_words);
        }
        Alert::Subscription(s) => {
            text(j, "username", &s.username);
            num(j, "months", s.months.map(u64::from));
        }
        Alert::GiftedSubscriptions(g) => {
            text(j, "gifter", &g.gifter);
            num(j, "count", Some(u64::from(g.count)));
            texts(j, "recipients", &g.recipients);
            num(j, "chunks", Some(u64::from(g.chunks)));
            flag(j, "complete", g.complete);
        }
        Alert::KicksGift(k) => {
            text(j, "sender", &k.sender);
            text(j, "gift", &k.gift);
            num(j, "amount", Some(k.amount));
            text(j, "message", &k.message);
        }
        Alert::Host(h) => {
            text(j, "host", &h.host);
            num(j, "viewers", h.viewers);
            opt_text(j, "message", h.message.as_ref());
        }
        Alert::Reward(r) => {
            text(j, "username", &r.username);
            text(j, "title", &r.title);
            text(j, "input", &r.input);
        }
        Alert::Ban(b) => {
            text(j, "username", &b.username);
            text(j, "by", &b.by);
            flag(j, "permanent", b.permanent);
            num(j, "duration", b.duration);
        }
        Alert::Unban(u) => {
            text(j, "username", &u.username);
            text(j, "by", &u.by);
        }
        Alert::MessageDeleted(m) => text(j, "id", &m.id),
        Alert::Pinned(p) => {
            text(j, "username", &p.username);
            text(j, "content", &p.content);
            num(j, "duration", p.duration);
        }
        Alert::Poll(p) => {
            text(j, "title", &p.title);
            list(j, "options", &p.options, poll_option);
            num(j, "remaining", p.remaining);
        }
        Alert::Prediction(p) => {
            text(j, "title", &p.title);
            text(j, "state", &p.state);
            list(j, "outcomes", &p.outcomes, outcome);
            opt_text(j, "winningOutcomeId", p.winning_outcome_id.as_ref());
        }
        Alert::Goal(g) => {
            key(j, "stage").str(stage(g.stage));
            text(j, "goalType", &g.goal_type);
            num(j, "current", g.current);
            num(j, "target", g.target);
            num(j, "followers", g.followers);
        }
        Alert::Live(l) => text(j, "title", &l.title),
        Alert::Follow(f) => text(j, "username", &f.username),
        Alert::ChatClear | Alert::Unpinned | Alert::End => {}
    }
    j.raw("}");
}

/// `,"name":`, before a value (every alert has its kind first).
fn key<'j, 'b>(j: &'j mut Json<'b>, name: &str) -> &'j mut Json<'b> {
    j.raw(",\"").raw(name).raw("\":")
}

fn text<const N: usize>(j: &mut Json<'_>, name: &str, t: &Text<N>) {
    key(j, name).str(t.as_str());
}

fn opt_text<const N: usize>(j: &mut Json<'_>, name: &str, t: Option<&Text<N>>) {
    match t {
        Some(t) => text(j, name, t),
        None => {
            key(j, name).raw("null");
        }
    }
}

fn num(j: &mut Json<'_>, name: &str, n: Option<u64>) {
    key(j, name).opt(n);
}

fn flag(j: &mut Json<'_>, name: &str, b: bool) {
    key(j, name).raw(if b { "true" } else { "false" });
}

/// A list as an array of what it kept (its exact count, where it has one, is a field of its
/// own).
fn list<T, const N: usize>(
    j: &mut Json<'_>,
    name: &str,
    items: &List<T, N>,
    each: fn(&mut Json<'_>, &T),
) {
    key(j, name).raw("[");
    for (n, item) in items.as_slice().iter().enumerate() {
        if n > 0 {
            j.raw(",");
        }
        each(j, item);
    }
    j.raw("]");
}

fn texts<const T: usize, const N: usize>(j: &mut Json<'_>, name: &str, items: &List<Text<T>, N>) {
    list(j, name, items, |j, t| {
        j.str(t.as_str());
    });
}

/// A poll option as the poll event writes it (`{"id","label","votes"}`).
fn poll_option(j: &mut Json<'_>, o: &PollOption) {
    j.raw("{\"id\":")
        .num(o.id)
        .raw(",\"label\":")
        .str(o.label.as_str())
        .raw(",\"votes\":")
        .num(o.votes)
        .raw("}");
}

/// A prediction's outcome as the prediction event writes it (snake_case).
fn outcome(j: &mut Json<'_>, o: &Outcome) {
    j.raw("{\"id\":")
        .str(o.id.as_str())
        .raw(",\"title\":")
        .str(o.title.as_str())
        .raw(",\"vote_count\":")
        .opt(o.vote_count)
        .raw(",\"total_vote_amount\":")
        .opt(o.total_vote_amount)
        .raw("}");
}

const fn stage(s: GoalStage) -> &'static str {
    match s {
        GoalStage::Created => "Created",
        GoalStage::Progress => "Progress",
        GoalStage::Achieved => "Achieved",
        GoalStage::Canceled => "Canceled",
    }
}
