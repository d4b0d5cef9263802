//! Where to connect: the URL and transport for a server of the user's own, or Kick's Pusher
//! app, from proto's URL rules.

use kickwire_proto::Transport;
use kickwire_proto::conn::{PusherUrl, pusher_app_url, url_transport};
use kickwire_proto::http::{KICK_PUSHER_CLUSTER, KICK_PUSHER_KEY};

use crate::json::Json;
use crate::shared::{self, input_str};
use crate::text;

/// The URL and transport for a server of the user's own: the input holds the URL
/// (`0..url_len`) then the Pusher key (`url_len..url_len + key_len`); `transport` is 0
/// (tell from the URL), 1 (Pusher) or 2 (Centrifugo). With no URL (`url_len` 0), the URL of
/// the key's app on Pusher's cluster named in the input after the key. An empty key or
/// cluster means Kick's.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_server_url(
    transport: u32,
    url_len: u32,
    key_len: u32,
    cluster_len: u32,
) -> u32 {
    let input = shared::input();
    let (u, rest) = input.split_at(url_len.min(shared::INPUT_CAP as u32) as usize);
    let url = input_str(u, url_len);
    let key = input_str(rest, key_len);
    let cluster = rest
        .get(key_len as usize..)
        .map_or("", |c| input_str(c, cluster_len));
    let key = if key.is_empty() { KICK_PUSHER_KEY } else { key };
    let cluster = if cluster.is_empty() {
        KICK_PUSHER_CLUSTER
    } else {
        cluster
    };
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    let mut buf = [0u8; kickwire_proto::limits::URL * 2];
    let t = match (url_len, transport) {
        (0, _) => Some(Transport::Pusher),
        (_, 1) => Some(Transport::Pusher),
        (_, 2) => Some(Transport::Centrifugo),
        _ => url_transport(url),
    };
    let written = match t {
        None => {
            j.raw("{\"error\":\"cannot tell the protocol of this URL: set transport to 'pusher' or 'centrifugo'\"}");
            return j.finish();
        }
        Some(Transport::Centrifugo) => Ok(url),
        Some(_) if url_len == 0 => PusherUrl::cluster(key, cluster).write(&mut buf),
        Some(_) => pusher_app_url(url, key, &mut buf),
    };
    match (written, t) {
        (Ok(u), Some(t)) => {
            j.raw("{\"url\":")
                .str(u)
                .raw(",\"transport\":")
                .str(text::transport(t))
                .raw("}");
        }
        (Err(e), _) => text::error_object(&mut j, &e),
        _ => {}
    }
    j.finish()
}
