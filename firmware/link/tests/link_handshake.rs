//! The link's opening handshake against hand-written bytes: RFC 6455's own example key and
//! accept value, response heads in any number of reads with the first frames behind them, and
//! the responses that must not open a WebSocket.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use kickwire_proto::conn::{Event, State};
use link_common::*;

/// Randomness that gives the nonce of RFC 6455 section 1.3 ("the sample nonce", whose base64
/// is the example key `dGhlIHNhbXBsZSBub25jZQ==`), then the masking key of the section 5.7
/// examples, `37 fa 21 3d`, over and over.
#[derive(Clone)]
struct Rfc {
    drawn: usize,
}

const NONCE: &[u8; 16] = b"the sample nonce";
const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

impl rand_core::RngCore for Rfc {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_be_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_be_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for d in dest {
            *d = match self.drawn {
                i if i < NONCE.len() => NONCE[i],
                i => MASK[(i - NONCE.len()) % 4],
            };
            self.drawn += 1;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// The RFC's response to its example key (section 1.3, without the sub-protocol it chose).
const RFC_RESPONSE: &str = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

#[test]
fn the_rfc_example_key_opens_and_its_ping_gets_the_rfc_masked_pong() {
    let mut h = Harness::with_rng(Rfc { drawn: 0 }, URL, 1536, 4096, 1024);
    let out = h.reach_upgrading();
    let request = String::from_utf8(writes(&out)[0].clone()).unwrap();
    assert!(
        request.contains("\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"),
        "{request}"
    );
    assert!(
        request.contains("\r\nSec-WebSocket-Version: 13\r\n"),
        "{request}"
    );
    h.feed(RFC_RESPONSE.as_bytes());
    assert!(h.link.is_open());
    // Section 5.7: an unmasked ping with "Hello", and its pong masked with 37 fa 21 3d.
    let out = h.feed(&[0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    assert_eq!(
        writes(&out),
        vec![vec![
            0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58
        ]]
    );
}

#[test]
fn the_client_masks_each_frame_with_the_rngs_key() {
    let mut h = Harness::with_rng(Rfc { drawn: 0 }, URL, 1536, 4096, 1024);
    h.reach_upgrading();
    let mut bytes = RFC_RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    let out = h.feed(&bytes);
    assert_eq!(h.link.connection().state(), State::Connected);
    // The subscribe frame (80 bytes of text: a 7-bit length): FIN + text, the mask bit with
    // the length, the key, then each byte XOR the key byte at its index mod 4 (RFC 6455
    // section 5.3).
    let text = SUBSCRIBE.as_bytes();
    assert_eq!(text.len(), 80);
    let mut want = vec![0x81, 0x80 | 80, 0x37, 0xfa, 0x21, 0x3d];
    want.extend(text.iter().enumerate().map(|(i, b)| b ^ MASK[i % 4]));
    assert_eq!(writes(&out), vec![want]);
}

/// A response, the connection's handshake and a Kick event, as a server may send them in one
/// burst.
fn burst() -> Vec<u8> {
    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    bytes.extend(frame(0x81, SUBSCRIPTION.as_bytes()));
    bytes
}

#[test]
fn regression_frames_in_the_same_read_as_the_end_of_the_head() {
    // embedded-websocket's Framer lost a frame that arrived in the same read as the 101. Cut
    // the burst in two at every byte: the head may end in either read, frames behind it.
    let bytes = burst();
    for cut in 0..bytes.len() {
        let mut h = Harness::standard();
        h.reach_upgrading();
        let mut out = h.feed(&bytes[..cut]);
        out.extend(h.feed(&bytes[cut..]));
        assert_eq!(kicks(&out), vec![Kick::subscription()], "cut at {cut}");
        assert_eq!(
            writes(&out),
            vec![client_frame(0x81, SUBSCRIBE.as_bytes())],
            "cut at {cut}"
        );
    }
}

/// Feeds `head` to a link waiting for its 101; the reason the connection is given.
fn refused(head: &str) -> String {
    let mut h = Harness::standard();
    h.reach_upgrading();
    let out = h.feed(head.as_bytes());
    assert_eq!(out.first(), Some(&Out::Close), "{out:?}");
    assert!(!h.link.is_open());
    events(&out)
        .into_iter()
        .find_map(|e| match e {
            Event::Disconnected { reason, .. } => Some(reason.as_str().to_string()),
            _ => None,
        })
        .unwrap()
}

#[test]
fn responses_that_do_not_open_a_websocket() {
    assert_eq!(
        refused(&RESPONSE.replace("Upgrade: websocket\r\n", "")),
        "upgrade response without Upgrade: websocket"
    );
    assert_eq!(
        refused(&RESPONSE.replace("Connection: Upgrade", "Connection: close")),
        "upgrade response without Connection: upgrade"
    );
    assert_eq!(
        refused(&RESPONSE.replace("Sec-WebSocket-Accept: ICX+Yqv66kxgM0FcWaLWlFLwTAI=\r\n", "")),
        "upgrade response with a wrong Sec-WebSocket-Accept"
    );
    // The RFC example's accept value is right for its key, not for this one.
    assert_eq!(
        refused(&RESPONSE.replace(
            "ICX+Yqv66kxgM0FcWaLWlFLwTAI=",
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        )),
        "upgrade response with a wrong Sec-WebSocket-Accept"
    );
    assert_eq!(
        refused(&RESPONSE.replace(
            "\r\n\r\n",
            "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
        )),
        "upgrade response with an extension or sub-protocol not asked for"
    );
    assert_eq!(
        refused("HTTP/1.1 426 Upgrade Required\r\n"),
        "upgrade refused: HTTP 426"
    );
    assert_eq!(
        refused("SSH-2.0-OpenSSH_9.6\r\n"),
        "malformed upgrade response"
    );
}

#[test]
fn header_names_in_any_case_and_lf_line_ends() {
    let mut h = Harness::standard();
    h.reach_upgrading();
    let head = "HTTP/1.1 101 Switching Protocols\nupgrade: WebSocket\nconnection: keep-alive, upgrade\nsec-websocket-accept: ICX+Yqv66kxgM0FcWaLWlFLwTAI=\n\n";
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    h.feed(&bytes);
    assert_eq!(h.link.connection().state(), State::Connected);
}

#[test]
fn a_subprotocol_we_did_not_ask_for_is_refused() {
    // The link asks for no sub-protocol, so a 101 that names one fails the connection (RFC 6455
    // section 4.1). A name over 24 bytes used to panic inside embedded-websocket 0.9.5 (it
    // copied the value into a `heapless::String<24>` with `unwrap`): found by the `board_link`
    // fuzz target. Short or long, in any case, with bare LF line ends.
    for header in [
        "Sec-WebSocket-Protocol: chat\r\n",
        "sec-websocket-protocol: a-subprotocol-name-longer-than-24-bytes\r\n",
        "SEC-WEBSOCKET-PROTOCOL:x\n",
    ] {
        assert_eq!(
            refused(&RESPONSE.replacen("\r\n\r\n", &format!("\r\n{header}\r\n"), 1)),
            "upgrade response with an extension or sub-protocol not asked for",
            "{header:?}"
        );
    }
    // The same bytes in a frame after the response are payload, not a header.
    let mut h = Harness::standard();
    h.reach_upgrading();
    let mut bytes = RESPONSE.as_bytes().to_vec();
    bytes.extend(frame(0x81, ESTABLISHED.as_bytes()));
    bytes.extend(frame(0x81, b"\nSec-WebSocket-Protocol: chat\r\n\r\n"));
    h.feed(&bytes);
    assert!(h.link.is_open());
}
