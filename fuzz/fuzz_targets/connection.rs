//! Drives a Pusher or Centrifugo `Connection` with arbitrary inputs in any order: opens, closes
//! with any code, messages of any bytes (and real-looking ones), timeouts, commands, tokens.
//! The connection must never panic, and must keep obeying its own outputs' contracts.
#![no_main]

use kickwire_proto::conn::{Config, Connection, Instant, Transmit};
use libfuzzer_sys::fuzz_target;

/// Messages that move the state machines forward, so the fuzzer reaches the deep states fast.
const SEEDS: &[&[u8]] = &[
    br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":1}"}"#,
    br#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"a"}"#,
    br#"{"event":"pusher:ping"}"#,
    br#"{"event":"pusher:error","data":{"code":4100,"message":"over capacity"}}"#,
    br#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"content\":\"hi\"}","channel":"a"}"#,
    br#"{"id":1,"connect":{"client":"c","expires":true,"ttl":1,"ping":1}}"#,
    br#"{"id":2,"subscribe":{}}"#,
    b"{}",
    br#"{"push":{"channel":"a","unsubscribe":{"code":2500}}}"#,
    br#"{"push":{"disconnect":{"code":3001,"reason":"x"}}}"#,
    br#"{"id":1,"error":{"code":109,"message":"token expired"}}"#,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, mut rest)) = data.split_first() else { return };
    let url = if first & 1 == 0 {
        "ws://127.0.0.1:6001/app/k?protocol=7"
    } else {
        "ws://127.0.0.1:8000/connection/websocket"
    };
    let config = Config { rng_seed: u64::from(first), ..Config::default() };
    let Ok(mut conn) = (if first & 1 == 0 { Connection::pusher(url, config) } else { Connection::centrifugo(url, config) }) else {
        return;
    };
    let mut now = 0u64;
    let mut buf = [0u8; 4096];
    let mut tiny = [0u8; 8];
    let mut steps = 0;
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        steps += 1;
        if steps > 256 {
            break;
        }
        let t = Instant::from_millis(now);
        match op % 10 {
            0 => conn.connect(t),
            1 => conn.handle_open(t),
            2 => {
                let (code, tail) = match rest {
                    [a, b, tail @ ..] => (Some(u16::from_le_bytes([*a, *b])), tail),
                    _ => (None, rest),
                };
                rest = tail;
                conn.handle_closed(t, code, "fuzz");
            }
            3 => {
                let (len, tail) = rest.split_first().map_or((0, rest), |(l, t)| (usize::from(*l), t));
                let take = len.min(tail.len());
                let mut msg = tail[..take].to_vec();
                rest = &tail[take..];
                // Typed events or raw ones (the browser build's path), by the length's low bit.
                let mut received = conn.handle_message(t, &mut msg);
                if len & 1 == 0 {
                    for m in received.by_ref() {
                        let _ = m;
                    }
                } else {
                    while let Some(e) = received.next_raw() {
                        let _ = e.payload.len();
                    }
                }
            }
            4 => {
                let i = rest.first().map_or(0, |b| usize::from(*b));
                let mut msg = SEEDS[i % SEEDS.len()].to_vec();
                rest = rest.get(1..).unwrap_or(&[]);
                // Sometimes iterate, sometimes drop unread: both must handle transport messages.
                if i & 0x80 == 0 {
                    conn.handle_message(t, &mut msg).for_each(drop);
                } else {
                    drop(conn.handle_message(t, &mut msg));
                }
            }
            5 => {
                // Time passes: up to 25.5 s, or straight to the next timer.
                let step = rest.first().map_or(0, |b| u64::from(*b) * 100);
                rest = rest.get(1..).unwrap_or(&[]);
                now = match conn.poll_timeout() {
                    Some(due) if step == 0 => due.as_millis().max(now),
                    _ => now.saturating_add(step),
                };
                conn.handle_timeout(Instant::from_millis(now));
            }
            6 => {
                let name = ["a", "b", "chatrooms.1.v2", ""][usize::from(op >> 4) % 4];
                let _ = conn.subscribe(name);
            }
            7 => conn.unsubscribe(["a", "b", "chatrooms.1.v2", "zz"][usize::from(op >> 4) % 4]),
            8 => conn.disconnect(t),
            _ => {
                let _ = conn.set_token(t, "token");
            }
        }
        // Drain as the driving rule says, sometimes through a buffer that is too small.
        if op & 0x40 != 0 {
            let _ = conn.poll_transmit(&mut tiny);
        }
        let mut transmits = 0;
        while let Ok(Some(tx)) = conn.poll_transmit(&mut buf) {
            transmits += 1;
            assert!(transmits <= 64, "poll_transmit never ends");
            if let Transmit::Open { url: u } = tx {
                assert!(u.starts_with("ws://") || u.starts_with("wss://"));
            }
        }
        let mut events = 0;
        while conn.poll_event().is_some() {
            events += 1;
            assert!(events <= 64, "poll_event never ends");
        }
    }
});
