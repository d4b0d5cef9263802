//! `KickDecoder`'s core: the Kick events of one message with no connection, as records (see
//! [`crate::records`]) whose payloads are unescaped in place in the input.

use kickwire_proto::json_events;

use crate::records::Records;
use crate::shared;

/// Decodes the message in the input (`0..len`) and writes its Kick events' records to the
/// output; transport messages (pings, handshakes, replies) and malformed envelopes are
/// skipped. Kick's secrets are taken out of each payload unless `keep_secrets` is not 0
/// (proto's one redaction step: the page needs no pass of its own). Answers the records'
/// length.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_decode(len: u32, keep_secrets: u32) -> u32 {
    let mut input = shared::input();
    let mut output = shared::output();
    let mut records = Records::new(&mut output[..]);
    if let Some(message) = input.get_mut(..len as usize) {
        let mut events = json_events(message);
        if keep_secrets != 0 {
            events = events.keep_secrets();
        }
        while let Some(item) = events.next() {
            if let Ok(e) = item {
                records.push(e.kind, e.transport, &e.channel, &e.name, e.payload);
            }
        }
    }
    records.finish()
}
