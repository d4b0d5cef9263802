//! One received WebSocket text message, from bytes to Kick events.
//!
//! A message holds one or more envelopes ([`crate::envelope`]: Pusher frames, Centrifugo
//! messages). One cursor (`message/cursor.rs`) walks them and sorts each into a Kick event, a
//! transport message or a malformed one; what becomes of a Kick event is the caller's choice:
//! - [`decode`]: typed events ([`Message`]), decoded into fixed-size structs;
//! - [`json_events()`]: each event's payload left as JSON text, unescaped in place, for hosts
//!   with a JSON parser of their own ([`pusher_json_events`]: the same for Pusher frames only,
//!   with none of the code that reads Centrifugo's messages);
//! - a connection ([`Received`](crate::conn::Received)) handles the transport messages itself and
//!   gives the Kick events either way.
//!
//! [`decode`] and [`json_events()`] put every Kick event's payload through one [`redact`] step
//! first, so the typed and the JSON path see the same data: no signed stream URL, no presigned
//! picture URL query, unless the caller keeps secrets (`keep_secrets`). A connection hands
//! payloads on as received (the browser redacts a whole message before it hands it in).

pub(crate) mod cursor;
mod json_events;
#[cfg(test)]
mod one_pass_tests;
pub mod redact;
mod typed;

#[allow(deprecated)]
pub use json_events::{
    JsonEvent, JsonEvents, RawEvent, RawEvents, json_events, pusher_json_events, raw_events,
};
pub(crate) use json_events::{Report, Walk, next_json};
pub(crate) use typed::fill_kick;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use typed::read_in_one_pass;
pub use typed::{Message, Messages, decode};
