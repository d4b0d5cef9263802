//! What the firmware must survive, as the link sees it: DNS failing for a while (each failed
//! open is `handle_connect_failed`), and the network dropping under an open connection (a
//! Wi-Fi drop or a server restart is `handle_closed`). Each time the link asks for a new
//! socket only after the connection's back-off, forever, and subscribes again once connected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_proto::conn::State;
use link_common::*;

fn connects(out: &[Out]) -> usize {
    out.iter()
        .filter(|o| matches!(o, Out::Connect { .. }))
        .count()
}

/// Fires the link's timers in turn (the retry, or others such as the 10 s "unavailable"
/// one) until it asks for a socket; returns when that was. Bounded.
fn wait_for_connect(h: &mut Harness, why: &str) -> u64 {
    for _ in 0..5 {
        let wake = h.link.poll_timeout().expect("a timer").as_millis();
        assert!(wake > h.now, "a timer in the past after '{why}'");
        // Just before the timer: nothing.
        h.now = wake - 1;
        h.link.handle_timeout(h.now());
        assert_eq!(
            connects(&h.drain()),
            0,
            "retried before its timer after '{why}'"
        );
        h.now = wake;
        h.link.handle_timeout(h.now());
        if connects(&h.drain()) == 1 {
            return wake;
        }
    }
    panic!("no retry after '{why}' within 5 timers");
}

/// Fails the pending open and checks that the retry waits for a timer, and comes.
fn fail_open_and_wait(h: &mut Harness, why: &str) {
    let failed_at = h.now;
    h.link.handle_connect_failed(h.now(), why);
    let out = h.drain();
    assert_eq!(connects(&out), 0, "retried at once after '{why}': {out:?}");
    assert!(wait_for_connect(h, why) > failed_at);
}

#[test]
fn dns_failing_for_a_while_then_working() {
    let mut h = Harness::standard();
    let now = h.now();
    h.link.connection_mut().connect(now);
    assert_eq!(connects(&h.drain()), 1);
    // Ten failed lookups in a row (bounded: a real board would go on forever).
    for _ in 0..10 {
        fail_open_and_wait(&mut h, "DNS lookup failed");
        let state = h.link.connection().state();
        assert!(
            !matches!(state, State::Disconnected | State::Failed),
            "gave up: {state:?}"
        );
    }
    // Then the lookup works: upgrade, handshake, and the subscription goes out.
    h.link.handle_connected(h.now());
    let out = h.drain();
    assert_eq!(writes(&out).len(), 1, "the upgrade request: {out:?}");
    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    let out = h.feed(&bytes);
    assert_eq!(h.link.connection().state(), State::Connected);
    assert_eq!(writes(&out), vec![client_frame(0x81, SUBSCRIBE.as_bytes())]);
}

#[test]
fn the_network_dropping_under_a_live_connection() {
    let mut h = Harness::standard();
    h.reach_connected();
    for round in 0..3 {
        // The socket dies (Wi-Fi gone, or the server restarted).
        h.now += 1_000;
        h.link.handle_closed(h.now(), "network unreachable");
        let out = h.drain();
        assert_ne!(
            h.link.connection().state(),
            State::Connected,
            "round {round}"
        );
        assert_eq!(connects(&out), 0, "round {round}: retried at once: {out:?}");
        wait_for_connect(&mut h, "network unreachable");
        // The new socket comes up; the board is back, subscribed again.
        h.link.handle_connected(h.now());
        h.drain();
        let mut bytes = RESPONSE.as_bytes().to_vec();
        bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
        let out = h.feed(&bytes);
        assert_eq!(
            h.link.connection().state(),
            State::Connected,
            "round {round}"
        );
        assert_eq!(
            writes(&out),
            vec![client_frame(0x81, SUBSCRIBE.as_bytes())],
            "round {round}"
        );
        // And events flow again.
        let out = h.feed(&frame(0x81, SUBSCRIPTION.as_bytes()));
        assert_eq!(kicks(&out), vec![Kick::subscription()], "round {round}");
    }
}
