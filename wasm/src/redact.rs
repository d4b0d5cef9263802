//! Kick's secrets taken out of a whole text: the signed `playback_url` of channel objects and
//! presigned picture URLs (proto's [`redact`](kickwire_proto::redact::redact)). Built into the
//! lookups module, which redacts a message's `rawData` text, and the alerts module, which
//! redacts each payload it is handed; not into the module every page loads, where JavaScript
//! takes the same secrets out of each payload as it parses it (`hide` in js/kickwire.js), for
//! less than a fifth of the bytes.

use crate::shared;

/// Redacts the message in the input (`0..len`) in place; answers its new length (never more
/// than `len`).
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_redact(len: u32) -> u32 {
    let mut input = shared::input();
    input.get_mut(..len as usize).map_or(0, |message| {
        kickwire_proto::redact::redact(message).len as u32
    })
}
