//! A scripted Pusher v7 session on the target: handshake, the subscribe frame, a Kick event,
//! the ping after the activity timeout and its pong, a server ping, a 4200 close and the
//! back-off reconnects, a missing pong, and the final disconnect.
//!
//! The clock starts 10 s before 2^32 ms (a board up for 49.7 days): every deadline from the
//! handshake on lies beyond what a `u32` of milliseconds holds, so any 32-bit truncation of
//! time shows up as a wrong `poll_timeout`.
//!
//! Expected values come from the Pusher protocol (pusher-js semantics, as documented on
//! `kickwire_proto::conn`): frame texts as the protocol spells them, back-off 1, 2, 4 s plus
//! under 1 s of jitter, 4200 "reconnect now", a 30 s pong timeout.

use kickwire_proto::conn::{Config, Connection, Event, Instant, Reason, State};
use kickwire_proto::kick::Event as Kick;
use kickwire_proto::{Message, Text, Transport};

use crate::check::Checks;
use crate::drive::{Tx, events, feed, open, text, transmits};
use crate::{check, check_eq};

const URL: &str =
    "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
const CHANNEL: &str = "chatrooms.2507974.v2";
const SUBSCRIBE: &str =
    r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#;
/// 2^32 ms minus 10 s.
const T0: u64 = (1u64 << 32) - 10_000;

fn at(ms: u64) -> Option<Instant> {
    Some(Instant::from_millis(ms))
}

fn state(previous: State, current: State) -> Event {
    Event::StateChanged { previous, current }
}

/// Checks that `e` is a `Reconnecting` for `reason` with a delay in `range` (ms); returns it.
fn reconnecting(
    c: &mut Checks,
    e: Option<&Event>,
    reason: Reason,
    range: core::ops::Range<u64>,
) -> u64 {
    match e {
        Some(Event::Reconnecting { after, reason: r }) => {
            let ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX);
            check_eq!(c, *r, reason);
            check!(
                c,
                range.contains(&ms),
                "reconnect delay {ms} ms not in {range:?}"
            );
            ms
        }
        other => {
            check!(c, false, "want Reconnecting({reason:?}), got {other:?}");
            0
        }
    }
}

pub fn run() -> Checks {
    let mut c = Checks::new("pusher");
    let mut last = Message::default();
    let config = Config {
        rng_seed: 0x00C3_C3C3,
        ..Config::default()
    };
    let Ok(mut conn) = Connection::new(Transport::Pusher, URL, config) else {
        check!(c, false, "Connection::new refused the Pusher URL");
        return c;
    };
    check!(c, conn.subscribe(CHANNEL).is_ok(), "subscribe");

    // Connect: open a socket; `unavailable` fires 10 s later, exactly at 2^32 ms.
    conn.connect(Instant::from_millis(T0));
    check_eq!(c, transmits(&mut conn).as_slice(), [open(URL)]);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [state(State::Initialized, State::Connecting)]
    );
    check_eq!(c, conn.poll_timeout(), at(4_294_967_296));

    // Handshake: the subscribe goes out.
    conn.handle_open(Instant::from_millis(T0 + 40));
    check_eq!(c, transmits(&mut conn).as_slice(), []);
    let hello = r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"4294967296.4294967297\",\"activity_timeout\":120}"}"#;
    check_eq!(c, feed(&mut conn, T0 + 50, hello, &mut last), 0);
    check_eq!(c, transmits(&mut conn).as_slice(), [text(SUBSCRIBE)]);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [
            state(State::Connecting, State::Connected),
            Event::Connected {
                transport: Transport::Pusher,
                socket_id: Text::from_str_truncating("4294967296.4294967297"),
            },
        ]
    );
    check_eq!(c, conn.state(), State::Connected);
    // The subscribe must be answered within 10 s (Config::subscribe_timeout).
    check_eq!(c, conn.poll_timeout(), at(T0 + 50 + 10_000));

    let ok = r#"{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"chatrooms.2507974.v2"}"#;
    check_eq!(c, feed(&mut conn, T0 + 60, ok, &mut last), 0);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [Event::Subscribed {
            channel: Text::from_str_truncating(CHANNEL)
        }]
    );
    check!(c, conn.is_subscribed(CHANNEL), "is_subscribed");
    // Answered: the next timer is the activity check, 120 s after the last message.
    check_eq!(c, conn.poll_timeout(), at(T0 + 60 + 120_000));

    // A Kick event (a real frame): one gifted sub from `court`.
    let gift = r#"{"event":"App\\Events\\GiftedSubscriptionsEvent","data":"{\"chatroom_id\":2507974,\"gifted_usernames\":[\"bigboss_23\"],\"gifter_username\":\"court\"}","channel":"chatrooms.2507974.v2"}"#;
    check_eq!(c, feed(&mut conn, T0 + 70, gift, &mut last), 1);
    match &last {
        Message::Kick {
            channel,
            event: Kick::GiftedSubscriptions(g),
            ..
        } => {
            check_eq!(c, channel.as_str(), CHANNEL);
            check_eq!(c, g.gifter_username.as_str(), "court");
            check_eq!(c, g.gifted_count, 1);
            check_eq!(c, g.chatroom_id, 2_507_974);
        }
        other => check!(c, false, "want GiftedSubscriptions, got {other:?}"),
    }
    check_eq!(c, conn.poll_timeout(), at(T0 + 70 + 120_000));

    // 120 s of silence: a ping, then 30 s for the pong.
    let t = T0 + 70 + 120_000; // 4_295_077_366: past 2^32
    conn.handle_timeout(Instant::from_millis(t));
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(r#"{"event":"pusher:ping","data":{}}"#)]
    );
    check_eq!(c, conn.poll_timeout(), at(t + 30_000));
    let pong = r#"{"event":"pusher:pong","data":"{}"}"#;
    check_eq!(c, feed(&mut conn, t + 1_000, pong, &mut last), 0);
    check_eq!(c, conn.poll_timeout(), at(t + 1_000 + 120_000));

    // The server pings: we answer.
    let ping = r#"{"event":"pusher:ping","data":"{}"}"#;
    check_eq!(c, feed(&mut conn, t + 2_000, ping, &mut last), 0);
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(r#"{"event":"pusher:pong","data":{}}"#)]
    );

    // 4200 "reconnect now": no exponential part for the first failure, only the jitter.
    let t = t + 3_000;
    conn.handle_closed(Instant::from_millis(t), Some(4200), "");
    check_eq!(c, transmits(&mut conn).as_slice(), []);
    let ev = events(&mut conn);
    check_eq!(
        c,
        ev.get(..2).unwrap_or(&[]),
        [
            Event::Disconnected {
                code: Some(4200),
                reason: Text::new(),
                will_retry: true
            },
            state(State::Connected, State::Connecting),
        ]
    );
    check_eq!(c, ev.len(), 3);
    let after = reconnecting(&mut c, ev.get(2), Reason::ServerRequest(4200), 0..1_000);
    check_eq!(c, conn.poll_timeout(), at(t + after));

    // The retry opens a socket that closes (1006) before the handshake: 2 s + jitter.
    let t = t + after;
    conn.handle_timeout(Instant::from_millis(t));
    check_eq!(c, transmits(&mut conn).as_slice(), [open(URL)]);
    conn.handle_open(Instant::from_millis(t + 10));
    conn.handle_closed(Instant::from_millis(t + 20), Some(1006), "");
    let ev = events(&mut conn);
    check_eq!(
        c,
        ev.first(),
        Some(&Event::Disconnected {
            code: Some(1006),
            reason: Text::new(),
            will_retry: true
        })
    );
    check_eq!(c, ev.len(), 2);
    let after = reconnecting(&mut c, ev.get(1), Reason::Closed(Some(1006)), 2_000..3_000);
    check_eq!(c, conn.failures(), 2);

    // Third attempt succeeds: the channel is subscribed again. The failures are forgotten
    // only once the connection has lasted (Config::stable_after), not at the handshake.
    let t = t + 20 + after;
    conn.handle_timeout(Instant::from_millis(t));
    check_eq!(c, transmits(&mut conn).as_slice(), [open(URL)]);
    conn.handle_open(Instant::from_millis(t + 10));
    check_eq!(c, feed(&mut conn, t + 20, hello, &mut last), 0);
    check_eq!(c, transmits(&mut conn).as_slice(), [text(SUBSCRIBE)]);
    check_eq!(c, conn.state(), State::Connected);
    check_eq!(c, conn.failures(), 2);
    check_eq!(c, feed(&mut conn, t + 20, ok, &mut last), 0);
    check_eq!(c, conn.is_subscribed(CHANNEL), true);
    let _ = events(&mut conn);

    // No pong at all: ping at +120 s, give up at +150 s and reconnect at once (plus jitter):
    // the connection lasted, so the back-off starts over.
    let t = t + 20;
    conn.handle_timeout(Instant::from_millis(t + 120_000));
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(r#"{"event":"pusher:ping","data":{}}"#)]
    );
    conn.handle_timeout(Instant::from_millis(t + 150_000));
    check_eq!(c, transmits(&mut conn).as_slice(), [Tx::Close(1000)]);
    let ev = events(&mut conn);
    check_eq!(
        c,
        ev.get(..2).unwrap_or(&[]),
        [
            Event::Disconnected {
                code: None,
                reason: Text::new(),
                will_retry: true
            },
            state(State::Connected, State::Connecting),
        ]
    );
    reconnecting(&mut c, ev.get(2), Reason::PingTimeout, 0..1_000);

    // Done: no timer left.
    conn.disconnect(Instant::from_millis(t + 150_001));
    check_eq!(c, conn.state(), State::Disconnected);
    check_eq!(c, conn.poll_timeout(), None);
    check_eq!(c, conn.events_dropped(), 0);
    c
}
