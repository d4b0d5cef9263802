//! Drives a Pusher or Centrifugo `Connection` with arbitrary inputs in any order, as a driver
//! that follows the driving rule would: opens, closes with any code, messages of any bytes
//! (and real-looking ones), time that stands still, creeps or jumps by hours, commands,
//! tokens given or failed, under several configurations, with the default capacities or a
//! Pusher-only board's (queues just as long as Pusher needs: nothing may be lost either way).
//!
//! Beyond never panicking, after every step:
//! - the outputs end (`poll_transmit`, `poll_event` return `None` within bounds) and nothing
//!   was dropped from either queue (the driver drained after every input);
//! - **liveness**: a connection told to connect that is neither disconnected nor failed always
//!   has a timer, so a driver sleeping on `poll_timeout` is woken (it never waits for ever);
//! - no storm: calling `handle_timeout` at the instant `poll_timeout` gives moves the timer
//!   past that instant within a few calls;
//! - an open is always of a `ws://` or `wss://` URL.
#![no_main]

use core::time::Duration;

use kickwire_proto::conn::{Config, Connection, Instant, State, Transmit};
use kickwire_proto::{Transport, limits};
use libfuzzer_sys::fuzz_target;

/// Messages that move the state machines forward, so the fuzzer reaches the deep states fast.
const SEEDS: &[&[u8]] = &[
    br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":1}"}"#,
    br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#,
    br#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"a"}"#,
    br#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.1.v2"}"#,
    br#"{"event":"pusher:ping"}"#,
    br#"{"event":"pusher:pong"}"#,
    br#"{"event":"pusher:error","data":{"code":4100,"message":"over capacity"}}"#,
    br#"{"event":"pusher:error","data":{"code":4001,"message":"refused"}}"#,
    br#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"content\":\"hi\"}","channel":"a"}"#,
    br#"{"id":1,"connect":{"client":"c","expires":true,"ttl":1,"ping":1}}"#,
    br#"{"id":1,"connect":{"client":"c"}}"#,
    br#"{"id":1,"connect":{"client":"c","ping":0,"expires":true,"ttl":3}}"#,
    br#"{"id":2,"subscribe":{}}"#,
    br#"{"id":3,"subscribe":{}}"#,
    br#"{"id":2,"refresh":{"expires":true,"ttl":2}}"#,
    br#"{"id":3,"refresh":{"expires":true,"ttl":2}}"#,
    br#"{"id":2}"#,
    br#"{"id":4,"ping":{}}"#,
    b"{}",
    br#"{"push":{"channel":"a","unsubscribe":{"code":2500}}}"#,
    br#"{"push":{"channel":"a","unsub":{"code":3000}}}"#,
    br#"{"push":{"disconnect":{"code":3001,"reason":"x"}}}"#,
    br#"{"push":{"disconnect":{"code":3005,"reason":"expired"}}}"#,
    br#"{"id":1,"error":{"code":109,"message":"token expired"}}"#,
    br#"{"id":2,"error":{"code":100,"message":"internal","temporary":true}}"#,
    br#"{"id":2,"error":{"code":101,"message":"unauthorized"}}"#,
    br#"{"id":3,"error":{"code":111,"message":"too many"}}"#,
];

/// A timeout for the configuration: zero, a millisecond, a second, a minute or the default.
fn duration(selector: u8, default: Duration) -> Duration {
    match selector % 5 {
        0 => Duration::ZERO,
        1 => Duration::from_millis(1),
        2 => Duration::from_secs(1),
        3 => Duration::from_secs(60),
        _ => default,
    }
}

/// The configuration the first bytes choose.
fn config(bytes: [u8; 3]) -> Config {
    let d = Config::default();
    Config {
        rng_seed: u64::from(bytes[0]) << 8 | u64::from(bytes[1]),
        reconnect: bytes[0] & 2 == 0,
        activity_timeout: duration(bytes[1], d.activity_timeout),
        pong_timeout: duration(bytes[1] >> 3, d.pong_timeout),
        connect_timeout: duration(bytes[2], d.connect_timeout),
        unavailable_timeout: duration(bytes[2] >> 3, d.unavailable_timeout),
        max_server_ping_delay: duration(bytes[2] >> 5, d.max_server_ping_delay),
        token_timeout: duration(bytes[0] >> 2, d.token_timeout),
        subscribe_timeout: duration(bytes[0] >> 5, d.subscribe_timeout),
        stable_after: duration(bytes[1] >> 6, d.stable_after),
    }
}

/// Takes one byte of the input (0 when it has run out).
fn byte(rest: &mut &[u8]) -> u8 {
    let Some((&b, tail)) = rest.split_first() else {
        return 0;
    };
    *rest = tail;
    b
}

/// A Pusher-only board's connection (`kickwire_board::memory::Connection`).
type Board = Connection<
    6,
    { limits::events_for(Transport::Pusher, 6) },
    { limits::transmits_for(Transport::Pusher, 6) },
    0,
>;

/// Drains the outputs as the driving rule says, sometimes through a buffer that is too small.
fn drain<const C: usize, const E: usize, const T: usize, const K: usize>(
    conn: &mut Connection<C, E, T, K>,
    tiny_first: bool,
) {
    let mut buf = [0u8; 4096];
    if tiny_first {
        let mut tiny = [0u8; 8];
        let _ = conn.poll_transmit(&mut tiny);
    }
    let mut transmits = 0;
    while let Ok(Some(tx)) = conn.poll_transmit(&mut buf) {
        transmits += 1;
        assert!(transmits <= 64, "poll_transmit never ends");
        if let Transmit::Open { url } = tx {
            assert!(url.starts_with("ws://") || url.starts_with("wss://"));
        }
    }
    let mut events = 0;
    while conn.poll_event().is_some() {
        events += 1;
        assert!(events <= 64, "poll_event never ends");
    }
    assert_eq!(conn.transmits_dropped(), 0, "a frame was dropped");
    assert_eq!(conn.events_dropped(), 0, "an event was dropped");
}

/// Calls `handle_timeout` while the next timer is due at `now`: it must move past `now`.
fn run_due_timers<const C: usize, const E: usize, const T: usize, const K: usize>(
    conn: &mut Connection<C, E, T, K>,
    now: u64,
) {
    for _ in 0..16 {
        match conn.poll_timeout() {
            Some(t) if t.as_millis() <= now => {
                conn.handle_timeout(Instant::from_millis(now));
                drain(conn, false);
            }
            _ => return,
        }
    }
    panic!("timer storm: still due at {now} ms after 16 calls");
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let head = [byte(&mut rest), byte(&mut rest), byte(&mut rest)];
    let pusher = head[0] & 1 == 0;
    let url = if pusher {
        "ws://127.0.0.1:6001/app/k?protocol=7"
    } else {
        "ws://127.0.0.1:8000/connection/websocket"
    };
    let transport = if pusher {
        Transport::Pusher
    } else {
        Transport::Centrifugo
    };
    if pusher && head[1] & 1 == 1 {
        if let Ok(conn) = Board::with_capacities(transport, url, config(head)) {
            run(conn, head, rest);
        }
    } else if let Ok(conn) = Connection::new(transport, url, config(head)) {
        run(conn, head, rest);
    }
});

/// Runs the script in `rest` on `conn`, checking after every step.
fn run<const C: usize, const E: usize, const T: usize, const K: usize>(
    mut conn: Connection<C, E, T, K>,
    head: [u8; 3],
    mut rest: &[u8],
) {
    // The clock starts anywhere, even near the end of time.
    let mut now: u64 = match head[2] & 3 {
        0 => 0,
        1 => 1 << 32,
        2 => 1 << 62,
        _ => 1_000,
    };
    // Whether the driver asked the connection to connect (and not to disconnect since).
    let mut told_to_connect = false;
    let mut steps = 0;
    while !rest.is_empty() {
        steps += 1;
        if steps > 256 {
            break;
        }
        // The low four bits choose the input; the high ones are flags: 0x10 leaves a message
        // unread, 0x20-0x60 put up to four in one WebSocket message, 0x80 tries a tiny buffer.
        let op = byte(&mut rest);
        let t = Instant::from_millis(now);
        match op & 0x0f {
            0 => {
                conn.connect(t);
                told_to_connect = true;
            }
            1 => conn.handle_open(t),
            2 => {
                let code = match byte(&mut rest) {
                    0 => None,
                    hi => Some(u16::from_le_bytes([byte(&mut rest), hi])),
                };
                conn.handle_closed(t, code, "fuzz");
            }
            3 => {
                let len = usize::from(byte(&mut rest));
                let take = len.min(rest.len());
                let mut msg = rest[..take].to_vec();
                rest = &rest[take..];
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
            4 | 5 => {
                // One or several real-looking messages in one WebSocket message.
                let mut msg = Vec::new();
                for _ in 0..=((op >> 5) & 3) {
                    if !msg.is_empty() {
                        msg.push(b'\n');
                    }
                    msg.extend_from_slice(SEEDS[usize::from(byte(&mut rest)) % SEEDS.len()]);
                }
                // Sometimes iterate, sometimes drop unread: both must handle transport messages.
                if op & 0x10 == 0 {
                    conn.handle_message(t, &mut msg).for_each(drop);
                } else {
                    drop(conn.handle_message(t, &mut msg));
                }
            }
            6 | 12..=15 => {
                // Time: stands still, creeps, jumps by hours, or goes to the next timer.
                let b = byte(&mut rest);
                now = match b % 4 {
                    0 => now,
                    1 => now.saturating_add(u64::from(b) * 10),
                    2 => now.saturating_add(u64::from(b) * 3_600_000),
                    _ => conn
                        .poll_timeout()
                        .map_or(now, |due| due.as_millis().max(now)),
                };
                conn.handle_timeout(Instant::from_millis(now));
            }
            7 => {
                let name = ["a", "b", "chatrooms.1.v2", ""][usize::from(byte(&mut rest)) % 4];
                let _ = conn.subscribe(name);
            }
            8 => {
                let name = ["a", "b", "chatrooms.1.v2", "zz"][usize::from(byte(&mut rest)) % 4];
                conn.unsubscribe(name);
            }
            9 => {
                conn.disconnect(t);
                told_to_connect = false;
            }
            10 => {
                let _ = conn.set_token(t, "token");
            }
            _ => conn.token_failed(t),
        }
        drain(&mut conn, op & 0x80 != 0);
        run_due_timers(&mut conn, now);
        let live = !matches!(
            conn.state(),
            State::Disconnected | State::Failed | State::Initialized
        );
        if told_to_connect && live {
            assert!(
                conn.poll_timeout().is_some(),
                "silent for ever in {:?} at {now} ms",
                conn.state()
            );
        }
    }
}
