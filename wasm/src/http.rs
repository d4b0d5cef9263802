//! Kick's HTTP lookups for JavaScript's `fetch`: proto builds each request and reads each
//! reply, JavaScript only carries them. Every call answers the length of a JSON object in the
//! output: `{"request":{method,url,headers,body}}` to send, a result, or `{"error":"..."}`.
//! `cf_mitigated` (not 0: the reply carried Cloudflare's `cf-mitigated` header) is a number, as
//! every flag JavaScript hands in.

use kickwire_proto::Transport;
use kickwire_proto::http::{self, ChannelLookup, ClientId, Lookup, Request, RequestError};

use crate::json::Json;
use crate::shared::{self, input_str};
use crate::slots::{self, Slot};
use crate::text;

/// Headers a page may not set (the browser sends its own).
const FORBIDDEN: [&str; 3] = ["origin", "referer", "user-agent"];

/// Writes `{"request":{…}}`, or the error that kept it from being built.
pub(crate) fn write_request(j: &mut Json<'_>, r: Result<Request<'_>, RequestError>) {
    let r = match r {
        Ok(r) => r,
        Err(e) => return text::error_object(j, &e),
    };
    j.raw("{\"request\":{\"method\":")
        .str(r.method.as_str())
        .raw(",\"url\":")
        .str(r.url)
        .raw(",\"headers\":{");
    let mut first = true;
    for (k, v) in r.headers.iter().filter(|(k, _)| !FORBIDDEN.contains(k)) {
        if !first {
            j.raw(",");
        }
        first = false;
        j.str(k).raw(":").str(v);
    }
    j.raw("}");
    if let Ok(body) = core::str::from_utf8(r.body)
        && !body.is_empty()
    {
        j.raw(",\"body\":").str(body);
    }
    j.raw("}}");
}

/// Starts looking up the slug in the input (`0..len`) for slot `i`: answers its request.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_lookup(i: u32, len: u32) -> u32 {
    let made = {
        let input = shared::input();
        ChannelLookup::new(input_str(&input[..], len))
    };
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    match made {
        Err(e) => text::error_object(&mut j, &e),
        Ok(l) => {
            let mut buf = [0u8; http::REQUEST_BUFFER];
            write_request(&mut j, l.request(&mut buf));
            slots::put(i, Slot::Lookup(l));
        }
    }
    j.finish()
}

/// Reads the reply (body in the input) to slot `i`'s lookup: `{"ids":[chatroom,channel]}`,
/// the next request to send, or an error.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_lookup_reply(i: u32, status: u32, cf_mitigated: u32, len: u32) -> u32 {
    reply(status, len, |status, body, j| {
        slots::with(i, |s| {
            let Slot::Lookup(l) = s else {
                j.raw("{\"error\":\"no lookup in progress\"}");
                return;
            };
            match l.on_reply(status, cf_mitigated != 0, body) {
                Ok(Lookup::Found(info)) => {
                    let ids = info.ids();
                    j.raw("{\"ids\":[")
                        .num(ids.chatroom_id)
                        .raw(",")
                        .num(ids.channel_id)
                        .raw("]}");
                }
                Ok(_) => {
                    let mut buf = [0u8; http::REQUEST_BUFFER];
                    write_request(j, l.request(&mut buf));
                }
                Err(e) => text::error_object(j, &e),
            }
        });
    })
}

/// The request `build` makes for the client whose id is in the input (`0..client_len`),
/// written to the output.
fn client_request(
    client_len: u32,
    build: impl for<'b> FnOnce(&ClientId, &'b mut [u8]) -> Result<Request<'b>, RequestError>,
) -> u32 {
    let input = shared::input();
    let client = ClientId::new(input_str(&input[..], client_len));
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    let mut buf = [0u8; http::REQUEST_BUFFER];
    match client {
        Some(c) => write_request(&mut j, build(&c, &mut buf)),
        None => {
            j.raw("{\"error\":\"bad client id\"}");
        }
    }
    j.finish()
}

/// Reads a reply (body in the input, `0..len`) with `read`, which writes the answer.
pub(crate) fn reply(status: u32, len: u32, read: impl FnOnce(u16, &[u8], &mut Json<'_>)) -> u32 {
    let input = shared::input();
    let body = input.get(..len as usize).unwrap_or_default();
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    read(u16::try_from(status).unwrap_or(0), body, &mut j);
    j.finish()
}

/// The transport negotiation for channel `channel_id` by the client whose id is in the input:
/// `accept` is 1 (Pusher), 2 (Centrifugo) or 3 (both, Pusher first).
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_negotiate(channel_id: f64, accept: u32, client_len: u32) -> u32 {
    let both = [Transport::Pusher, Transport::Centrifugo];
    let list: &[Transport] = match accept {
        1 => &both[..1],
        2 => &both[1..],
        _ => &both,
    };
    client_request(client_len, |c, buf| {
        http::chat_connection_request(channel_id as u64, c, list, buf)
    })
}

/// Reads the negotiation's reply (body in the input): `{"url":…,"transport":…}` or an error.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_negotiated(status: u32, cf_mitigated: u32, len: u32) -> u32 {
    reply(status, len, |status, body, j| match http::parse_connection(
        status,
        cf_mitigated != 0,
        body,
    ) {
        Ok(endpoint) => {
            let mut buf = [0u8; kickwire_proto::limits::URL * 2];
            match endpoint.websocket_url(&mut buf) {
                Ok(url) => {
                    j.raw("{\"url\":")
                        .str(url)
                        .raw(",\"transport\":")
                        .str(text::transport(endpoint.transport()))
                        .raw("}");
                }
                Err(e) => text::error_object(j, &e),
            }
        }
        Err(e) => text::error_object(j, &e),
    })
}

/// The guest token request for the client whose id is in the input.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_token_request(client_len: u32) -> u32 {
    client_request(client_len, http::token_request)
}

/// Reads the guest token reply (body in the input): `{"token":…}` or an error.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_token(status: u32, cf_mitigated: u32, len: u32) -> u32 {
    reply(status, len, |status, body, j| {
        match http::parse_token(status, cf_mitigated != 0, body) {
            Ok(t) => {
                j.raw("{\"token\":").str(t.as_str()).raw("}");
            }
            Err(e) => text::error_object(j, &e),
        }
    })
}
