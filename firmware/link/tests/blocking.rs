//! The `std` feature's blocking socket against a real TCP peer on 127.0.0.1 (a thread that
//! plays the server byte for byte): it opens the socket the link asks for, writes what the link
//! writes, feeds it what arrives, and after a refusal mid-message (close 1009) keeps reading
//! until the server, still sending, has read the close frame. Every socket has a timeout and
//! every loop a bound.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod link_common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant as Clock};

use kickwire_link::blocking::{Polled, Socket};
use kickwire_link::net::Connector;
use kickwire_link::{Config, TooBig};
use kickwire_proto::JsonEvent;
use kickwire_proto::conn::{Event, Instant};
use kickwire_proto::kick::EventKind;
use link_common::*;

const TIMEOUT: Duration = Duration::from_secs(10);
/// The message the server sends last: far more than the client's 1 KiB buffer, and more than
/// the kernel's socket buffers hold, so the server is still writing when the client refuses.
const BIG: usize = 4 << 20;

/// Reads until `end` has arrived (bounded by the socket's timeout and the size).
fn read_until(s: &mut TcpStream, end: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(end) && got.len() < 4096 {
        assert_eq!(s.read(&mut byte).unwrap(), 1, "{got:?}");
        got.push(byte[0]);
    }
    got
}

/// The server: the 101 and the handshake, the subscription event after the client's subscribe,
/// then a [`BIG`] message; returns everything the client sent after that, to its end.
fn serve(listener: TcpListener) -> Vec<u8> {
    let (mut s, _) = listener.accept().unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    read_until(&mut s, b"\r\n\r\n");
    let mut hello = RESPONSE.as_bytes().to_vec();
    hello.extend(frame(0x81, ESTABLISHED.as_bytes()));
    s.write_all(&hello).unwrap();
    let subscribe = client_frame(0x81, SUBSCRIBE.as_bytes());
    let mut got = vec![0u8; subscribe.len()];
    s.read_exact(&mut got).unwrap();
    assert_eq!(got, subscribe);
    s.write_all(&frame(0x81, SUBSCRIPTION.as_bytes())).unwrap();
    // A 64-bit length: 127, then the length in 8 bytes.
    let mut big = vec![0x81, 127];
    big.extend((BIG as u64).to_be_bytes());
    big.resize(big.len() + BIG, b' ');
    s.write_all(&big).unwrap();
    let mut after = Vec::new();
    s.read_to_end(&mut after).unwrap();
    after
}

#[test]
fn a_socket_carries_out_the_link_and_lets_a_refused_server_read_its_close() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "ws://127.0.0.1:{}/app/key?protocol=7",
        listener.local_addr().unwrap().port()
    );
    let server = thread::spawn(move || serve(listener));

    let config = Config {
        too_big: TooBig::Close,
        ..Config::default()
    };
    let mut h = Harness::with_config(Zero, &url, [1024, 1024, 512], config);
    let start = Clock::now();
    let now = || Instant::from_millis(start.elapsed().as_millis() as u64);
    h.link.connection_mut().connect(now());
    let mut socket = Socket::new(Connector::plain_only(TIMEOUT));
    let (mut kicks, mut events, mut opened) = (Vec::new(), Vec::new(), 0);
    let mut on_kick = |k: &JsonEvent<'_>| kicks.push(k.kind);
    while start.elapsed() < TIMEOUT
        && !events
            .iter()
            .any(|e| matches!(e, Event::Disconnected { .. }))
    {
        while let Some(polled) = socket.poll(&mut h.link, now(), &mut on_kick) {
            match polled {
                Polled::Opened => opened += 1,
                Polled::Event(e) => events.push(e),
                other => assert!(matches!(other, Polled::Done), "{other:?}"),
            }
        }
        socket.wait(&mut h.link, Duration::from_millis(50), now);
    }
    assert_eq!(kicks, [EventKind::Subscription]);
    assert_eq!(opened, 1);
    assert!(
        events.iter().any(|e| matches!(e, Event::Connected { .. })),
        "{events:?}"
    );
    let reason = format!("message too big: {BIG} bytes, limit 1024");
    assert!(
        events.iter().any(|e| matches!(e,
            Event::Disconnected { code: Some(1009), reason: r, will_retry: true } if r.as_str() == reason)),
        "{events:?}"
    );
    assert!(socket.stream().is_none(), "the socket is closed");
    // The server wrote all of its message (the client read and dropped it), then read the
    // client's close frame and the end of its stream.
    assert_eq!(
        server.join().unwrap(),
        client_frame(0x88, b"\x03\xf1message too big")
    );
}
