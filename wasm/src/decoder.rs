//! `KickDecoder`'s core: the Kick events of one message with no connection, as records (see
//! [`crate::records`]) whose payloads are unescaped in place in the input.
//!
//! The module every page loads reads Pusher frames only (proto's `pusher_json_events`: none of
//! the code that reads Centrifugo's messages is in it, as none is for its connections); the
//! lookups module, built with the `centrifugo` feature, reads both transports
//! (`json_events`). JavaScript hands a message to the first, and to the second when the first
//! answers that the message holds a Centrifugo message and the page loaded it
//! (`KickDecoder.create({ centrifugo: true })`).

use kickwire_proto::{DecodeError, JsonEvents, json_events, pusher_json_events};

use crate::records::Records;
use crate::shared;

/// What [`kw_decode`] answers for a message that holds a Centrifugo message, in a module that
/// reads Pusher frames only: 0, which no records' length is (they start with a 4-byte count).
pub const CENTRIFUGO: u32 = 0;

/// Decodes the message in the input (`0..len`) and writes its Kick events' records to the
/// output; transport messages (pings, handshakes, replies) and malformed envelopes are
/// skipped. Payloads keep Kick's secrets: JavaScript takes them out as it parses each payload
/// (`hide` in js/kickwire.js), so that no module every page loads carries a redaction of its
/// own. Answers the records' length, or, in a module built without the `centrifugo` feature
/// (the one every page loads), [`CENTRIFUGO`] when the message holds a Centrifugo message:
/// [`decode`].
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_decode(len: u32) -> u32 {
    decode::<{ cfg!(feature = "centrifugo") }>(len)
}

/// [`kw_decode`] reading both transports (`CENTRIFUGO`: the lookups module's), or Pusher
/// frames only: then a Centrifugo message anywhere in the message makes it answer
/// [`CENTRIFUGO`], whatever came before it, and the module has none of the code that reads
/// Centrifugo's messages (the tests, which build every feature, call both).
pub fn decode<const CENTRIFUGO: bool>(len: u32) -> u32 {
    let mut input = shared::input();
    let mut output = shared::output();
    let message = input.get_mut(..len as usize).unwrap_or(&mut []);
    // A condition the compiler decides: each module keeps one walk.
    if CENTRIFUGO {
        records(json_events(message), &mut output[..])
    } else {
        records(pusher_json_events(message), &mut output[..])
    }
}

/// Writes the records of `events` into `out`: their length, or [`CENTRIFUGO`] at the first
/// Centrifugo message that a Pusher-only walk finds.
fn records<const C: bool>(events: JsonEvents<'_, C>, out: &mut [u8]) -> u32 {
    // Kept: JavaScript redacts the parsed payloads, and the module every page loads has none
    // of proto's redaction (the type says so: see `JsonEvents`).
    let mut events = events.keep_secrets();
    let mut records = Records::new(out);
    while let Some(item) = events.next() {
        match item {
            Ok(e) => records.push(e.kind, e.transport, &e.channel, &e.name, e.payload),
            Err(DecodeError::Centrifugo) => return CENTRIFUGO,
            Err(_) => {}
        }
    }
    records.finish()
}
