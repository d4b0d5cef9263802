//! Kick's secrets taken out of a received message before JavaScript sees any of it: the
//! signed `playback_url` of channel objects and presigned picture URLs (proto's
//! [`redact`](kickwire_proto::redact::redact)). One pass over the whole message, before it is
//! decoded, serves both what listeners get: the payloads decoded from it and its text as
//! `rawData`.

use crate::shared;

/// Redacts the message in the input (`0..len`) in place; answers its new length (never more
/// than `len`). Decode `0..` that length afterwards, as JavaScript does unless it was asked to
/// keep the secrets.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_redact(len: u32) -> u32 {
    let mut input = shared::input();
    input.get_mut(..len as usize).map_or(0, |message| {
        kickwire_proto::redact::redact(message).len as u32
    })
}
