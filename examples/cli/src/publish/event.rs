//! One event to publish, the checks it must pass before it is queued, and the body of a
//! `batch_events` request.

use serde_json::{Map, Value};

use super::DropReason;

/// Pusher's limit on a channel name: the stricter of Pusher's (164) and sockudo's (200), so an
/// event that passes goes through either.
pub const MAX_CHANNEL_NAME: usize = 164;
/// Pusher's limit on an event name.
pub const MAX_EVENT_NAME: usize = 200;

/// One event: the channel it goes to, its name and its data, sent as a JSON string so that
/// subscribers receive `data` exactly as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The channel (for example `chatrooms.12345.v2`).
    pub channel: String,
    /// The event name (for example `App\Events\ChatMessageEvent`).
    pub name: String,
    /// The event data, usually JSON text.
    pub data: String,
}

impl Event {
    /// Whether the engine would accept this event on its own: a channel name of Pusher's
    /// characters (`A-Z a-z 0-9 _ - = @ , . ;`) and length, an event name of at most
    /// [`MAX_EVENT_NAME`] bytes, and data of at most `max_data` bytes. Checked before the
    /// event is queued, because one refused event would make the engine refuse its whole batch
    /// of up to ten, and retrying it could never succeed.
    ///
    /// # Errors
    /// [`DropReason::InvalidName`] or [`DropReason::TooLarge`].
    pub fn check(&self, max_data: usize) -> Result<(), DropReason> {
        let channel_ok = !self.channel.is_empty()
            && self.channel.len() <= MAX_CHANNEL_NAME
            && self
                .channel
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-=@,.;".contains(&b));
        if !channel_ok || self.name.is_empty() || self.name.len() > MAX_EVENT_NAME {
            return Err(DropReason::InvalidName);
        }
        if self.data.len() > max_data {
            return Err(DropReason::TooLarge);
        }
        Ok(())
    }
}

/// The body of `POST /apps/{id}/batch_events`: `{"batch":[{"channel":..,"name":..,"data":..},
/// ...]}`, in the order given.
///
/// ```
/// use kickwire_cli::publish::{Event, batch_body};
/// let e = Event { channel: "c".into(), name: "n".into(), data: r#"{"a":1}"#.into() };
/// assert_eq!(batch_body(&[e]), r#"{"batch":[{"channel":"c","name":"n","data":"{\"a\":1}"}]}"#);
/// ```
#[must_use]
pub fn batch_body(events: &[Event]) -> String {
    let batch: Vec<Value> = events
        .iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert("channel".into(), Value::String(e.channel.clone()));
            m.insert("name".into(), Value::String(e.name.clone()));
            m.insert("data".into(), Value::String(e.data.clone()));
            Value::Object(m)
        })
        .collect();
    let mut body = Map::new();
    body.insert("batch".into(), Value::Array(batch));
    Value::Object(body).to_string()
}
