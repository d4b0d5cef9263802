//! `--alerts`: one line per happening instead of one per event. Kick's events go through
//! `kickwire_proto::alerts` (Kick's copies of one sub, host, gift or chat line merged, a gift's
//! chunks joined), and each alert is printed as the events are: a readable line, or with
//! `--json` the alert's own JSON object (`{"alert":"Kind",...}`, proto's serde shape).
//!
//! ```
//! use kickwire_cli::alerts::line;
//! use kickwire_proto::alerts::{Alert, Subscription};
//! use kickwire_proto::Text;
//! let sub = Alert::Subscription(Subscription {
//!     username: Text::from_str_truncating("micke747"),
//!     months: Some(38),
//! });
//! assert_eq!(line(&sub), "Subscription         micke747 subscribed (38 months)");
//! ```

use std::io::{self, Write};

use kickwire_proto::alerts::{Alert, Alerts};
use kickwire_proto::conn::Instant;
use kickwire_proto::kick::Event;
use serde_json::Value;

use crate::describe::{content, names_kept};
use crate::terminal;

/// The JSON form: proto's object for the alert, with `"history": true` added when it came
/// from the chat history rather than the live stream.
pub fn json_value(alert: &Alert, history: bool) -> Value {
    let mut v = serde_json::to_value(alert).unwrap_or_else(|e| {
        // Cannot happen for proto's alert types (plain structs, string keys); say so rather
        // than print nothing.
        serde_json::json!({"alert": alert.kind_name(), "serialization_error": e.to_string()})
    });
    if history && let Value::Object(o) = &mut v {
        o.insert("history".into(), Value::Bool(true));
    }
    v
}

/// `: text`, or nothing when `text` is empty.
fn suffix(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// The readable form: `Kind  summary`, the kind padded as an event line's type is.
pub fn line(alert: &Alert) -> String {
    let summary = match alert {
        Alert::Chat(c) => format!(
            "{}: {}{}",
            c.username,
            content(&c.content),
            if c.first_words { " (first words)" } else { "" }
        ),
        Alert::Subscription(s) => match s.months {
            Some(m) => format!("{} subscribed ({m} months)", s.username),
            None => format!("{} subscribed", s.username),
        },
        Alert::GiftedSubscriptions(g) => format!(
            "{} gifted {} sub(s) to {}{}",
            g.gifter,
            g.count,
            names_kept(&g.recipients),
            match (g.chunks, g.complete) {
                (_, false) => format!(" ({} chunk(s), not all came)", g.chunks),
                (1, true) => String::new(),
                (n, true) => format!(" ({n} chunks)"),
            }
        ),
        Alert::KicksGift(k) => format!(
            "{} sent {} ({} Kicks){}",
            k.sender,
            k.gift,
            k.amount,
            suffix(&k.message)
        ),
        Alert::Host(h) => format!(
            "{} hosts with {} viewers{}",
            h.host,
            h.viewers.unwrap_or(0),
            suffix(h.message.as_ref().map_or("", |m| m.as_str()))
        ),
        Alert::Reward(r) => format!("{} redeemed {}{}", r.username, r.title, suffix(&r.input)),
        Alert::Ban(b) if b.permanent => format!("{} banned by {}", b.username, b.by),
        Alert::Ban(b) => format!(
            "{} timed out for {} min by {}",
            b.username,
            b.duration.unwrap_or(0),
            b.by
        ),
        Alert::Unban(u) => format!("{} unbanned by {}", u.username, u.by),
        Alert::MessageDeleted(d) => format!("message {} deleted", d.id),
        Alert::ChatClear => "chat cleared".to_string(),
        Alert::Pinned(p) => format!("pinned {}: {}", p.username, content(&p.content)),
        Alert::Unpinned => "pin removed".to_string(),
        Alert::Poll(p) => {
            let options: Vec<String> = p
                .options
                .iter()
                .map(|o| format!("{} {}", o.label, o.votes))
                .collect();
            format!("{} [{}]", p.title, options.join(" | "))
        }
        Alert::Prediction(p) => format!("{} ({})", p.title, p.state),
        Alert::Goal(g) => format!(
            "{} goal {:?}: {} of {}",
            g.goal_type,
            g.stage,
            g.current.unwrap_or(0),
            g.target.unwrap_or(0)
        ),
        Alert::Live(l) => format!("live: {}", l.title),
        Alert::End => "stream ended".to_string(),
        Alert::Follow(f) => format!("{} followed", f.username),
    };
    format!("{:<20} {summary}", alert.kind_name())
}

/// The alert machine of a `--alerts` run and where its alerts are printed.
pub struct Feed {
    /// Boxed: the machine with proto's default capacities is about 30 KB.
    machine: Box<Alerts>,
    json: bool,
    /// Alerts printed so far.
    pub told: u64,
}

impl Feed {
    /// A machine that has seen nothing; alerts printed as JSON objects when `json`.
    pub fn new(json: bool) -> Self {
        Self {
            machine: Box::default(),
            json,
            told: 0,
        }
    }

    /// Feeds a Kick event received at `now` and prints the alerts it makes to `out`;
    /// `history` marks them as from the chat history.
    pub fn event(
        &mut self,
        now: Instant,
        event: &Event,
        history: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        self.machine.handle_event(now, event);
        self.print(history, out)
    }

    /// When [`timeout`](Self::timeout) has something to do: the end of a gift's wait for its
    /// missing chunks.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.machine.poll_timeout()
    }

    /// Prints the gifts whose wait ended by `now`, with the chunks that came.
    pub fn timeout(&mut self, now: Instant, out: &mut impl Write) -> io::Result<()> {
        self.machine.handle_timeout(now);
        self.print(false, out)
    }

    /// The end of the run (or of the file): prints every gift still waiting, with what came.
    pub fn finish(&mut self, now: Instant, out: &mut impl Write) -> io::Result<()> {
        self.machine.finish(now);
        self.print(false, out)
    }

    fn print(&mut self, history: bool, out: &mut impl Write) -> io::Result<()> {
        while let Some(alert) = self.machine.poll_alert() {
            self.told += 1;
            if self.json {
                terminal::write_json(out, &json_value(&alert, history))?;
            } else if history {
                terminal::write_line(out, &format!("[history] {}", line(&alert)))?;
            } else {
                terminal::write_line(out, &line(&alert))?;
            }
        }
        Ok(())
    }
}
