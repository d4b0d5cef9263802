//! What a std front end asks of the link beyond a board's needs: its own `Receive` (each
//! message's text as sent, the typed Kick events, the frames the connection sends), a text
//! message of its own, no `Origin` header, and the URL of the socket asked for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_link::{Action, Receive};
use kickwire_proto::Message;
use kickwire_proto::conn::Received;
use kickwire_proto::kick::Event as Kick;
use link_common::*;

/// Everything a [`Receive`] is given, in order.
#[derive(Default)]
struct Log {
    /// Each message's text, as it arrived.
    messages: Vec<String>,
    typed: Vec<Message>,
    sent: Vec<String>,
}

impl Receive for Log {
    fn message(&mut self, text: &[u8]) {
        self.messages
            .push(String::from_utf8(text.to_vec()).unwrap());
    }
    fn events(&mut self, received: Received<'_, '_>) {
        self.typed.extend(received);
    }
    fn sent(&mut self, text: &str) {
        self.sent.push(text.to_owned());
    }
}

/// `poll_with` until `None`; the bytes written.
fn drain_with(h: &mut Harness, log: &mut Log) -> Vec<Vec<u8>> {
    let mut written = Vec::new();
    for _ in 0..1000 {
        let now = h.now();
        match h.link.poll_with(now, log) {
            Some(Action::Write(b)) => written.push(b.to_vec()),
            Some(_) => {}
            None => return written,
        }
    }
    panic!("poll_with never returned None");
}

#[test]
fn a_receive_sees_each_text_as_sent_its_typed_events_and_the_frames_sent() {
    let mut h = Harness::standard();
    let mut log = Log::default();
    let now = h.now();
    h.link.connection_mut().connect(now);
    drain_with(&mut h, &mut log);
    h.link.handle_connected(now);
    assert_eq!(
        drain_with(&mut h, &mut log),
        vec![REQUEST.as_bytes().to_vec()]
    );

    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    h.link.handle_bytes(&bytes);
    let written = drain_with(&mut h, &mut log);

    // The texts before the connection decoded them in place (the escapes still there).
    assert_eq!(log.messages, [ESTABLISHED, SUBSCRIPTION]);
    // The subscribe the handshake released: reported, and written as a masked text frame.
    assert_eq!(log.sent, [SUBSCRIBE]);
    assert_eq!(written, vec![client_frame(0x81, SUBSCRIBE.as_bytes())]);
    // The Kick event, typed.
    let [Message::Kick { channel, event, .. }] = log.typed.as_slice() else {
        panic!("{:?}", log.typed);
    };
    assert_eq!(channel.as_str(), CHANNEL);
    let Kick::Subscription(sub) = event else {
        panic!("{event:?}");
    };
    assert_eq!(
        (sub.chatroom_id, sub.username.as_str(), sub.months),
        (2507974, "micke747", Some(38))
    );
}

#[test]
fn a_text_of_the_callers_own_goes_out_only_on_an_open_socket() {
    let mut h = Harness::standard();
    assert!(!h.link.send_text("hello"), "no socket yet");
    h.reach_connected();
    assert!(h.link.send_text("hello"));
    assert_eq!(writes(&h.drain()), vec![client_frame(0x81, b"hello")]);
    // Larger than the 1 KiB tx buffer: refused, nothing queued.
    assert!(!h.link.send_text(&"x".repeat(2000)));
    assert!(writes(&h.drain()).is_empty());
    let now = h.now();
    h.link.handle_closed(now, "gone");
    assert!(!h.link.send_text("hello"), "the socket is gone");
}

#[test]
fn no_origin_means_no_origin_header() {
    let mut h = Harness::standard();
    h.link.config_mut().origin = None;
    assert_eq!(h.link.url(), "", "no socket asked for yet");
    let out = h.reach_upgrading();
    assert_eq!(h.link.url(), URL);
    let without = REQUEST.replace("Origin: https://kick.com\r\n", "");
    assert_ne!(without, REQUEST);
    assert_eq!(writes(&out), vec![without.into_bytes()]);
}
