//! The firmware's buffer sizes (`kickwire_board::memory`) against what must fit in them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

// The link's own test harness (the link is the kickwire-link crate now).
#[path = "../../link/tests/link_common/mod.rs"]
mod link_common;

use kickwire_board::memory::{LINK_MESSAGE, LINK_RX, LINK_TX};
use kickwire_proto::conn::{PusherUrl, State};
use kickwire_proto::http::{KICK_PUSHER_CLUSTER, KICK_PUSHER_KEY};
use link_common::{Harness, writes};

/// Kick's own Pusher endpoint as proto writes it (the firmware's default server), copied by
/// hand from proto's `PusherUrl` docs.
const KICK: &str = "wss://ws-us2.pusher.com:443/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";

#[test]
fn kick_upgrade_request_fits_the_tx_buffer() {
    let mut built = [0u8; 256];
    let url = PusherUrl::cluster(KICK_PUSHER_KEY, KICK_PUSHER_CLUSTER);
    assert_eq!(url.write(&mut built).unwrap(), KICK);

    let mut h = Harness::new(KICK, LINK_RX, LINK_MESSAGE, LINK_TX);
    let out = h.reach_upgrading();
    // Exactly one write, the whole request, and no failed open.
    let w = writes(&out);
    assert_eq!(w.len(), 1, "{out:?}");
    let request = String::from_utf8(w[0].clone()).unwrap();
    assert!(
        request.starts_with("GET /app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\n"), "{request}");
    assert!(request.len() <= LINK_TX, "{} bytes", request.len());
    // Still waiting for the 101: a request that did not fit would have failed the open.
    assert_eq!(h.link.connection().state(), State::Connecting, "{out:?}");
}
