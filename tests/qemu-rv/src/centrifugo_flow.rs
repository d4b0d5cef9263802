//! A scripted Centrifugo session on the target (the frames of
//! `tests/vectors/kick/reconstructed/centrifugo_json_protocol.jsonl`): token request, connect
//! command, subscribe, a publication carrying a chat message, a ping and its `{}` pong, a
//! missing ping and the reconnect, and a terminal disconnect (3501).
//!
//! Expected values: Centrifugo's JSON protocol (commands, ids, `{}` pings) and centrifuge-js's
//! rules as documented on `kickwire_proto::conn` (dead after `ping + 10 s` of silence, codes
//! 3500-3999 terminal); the chat message's fields from the vector's expected file.

use kickwire_proto::conn::{Config, Connection, Event, Instant, Reason, State};
use kickwire_proto::kick::Event as Kick;
use kickwire_proto::{Message, Text, Transport};

use crate::check::Checks;
use crate::drive::{Tx, events, feed, open, text, transmits};
use crate::{check, check_eq};

const URL: &str = "ws://127.0.0.1:8000/connection/websocket";
const CHANNEL: &str = "chatrooms.5976096.v2";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIifQ.c2ln";
/// Past 2^32 ms, so every deadline needs the full 64 bits.
const T0: u64 = 5_000_000_000;

fn at(ms: u64) -> Option<Instant> {
    Some(Instant::from_millis(ms))
}

fn state(previous: State, current: State) -> Event {
    Event::StateChanged { previous, current }
}

pub fn run() -> Checks {
    let mut c = Checks::new("centrifugo");
    let mut last = Message::default();
    let Ok(mut conn) = Connection::new(Transport::Centrifugo, URL, Config::default()) else {
        check!(c, false, "Connection::new refused the Centrifugo URL");
        return c;
    };
    check!(c, conn.subscribe(CHANNEL).is_ok(), "subscribe");

    // No token yet: ask for one, open nothing.
    conn.connect(Instant::from_millis(T0));
    check_eq!(c, transmits(&mut conn).as_slice(), []);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [
            state(State::Initialized, State::Connecting),
            Event::TokenRequired { refresh: false }
        ]
    );
    check!(
        c,
        conn.set_token(Instant::from_millis(T0 + 5), TOKEN).is_ok(),
        "set_token"
    );
    check_eq!(c, transmits(&mut conn).as_slice(), [open(URL)]);

    // The connect command, its reply (ping every 25 s), the subscribe command and its reply.
    conn.handle_open(Instant::from_millis(T0 + 10));
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(
            r#"{"connect":{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIifQ.c2ln","name":"js"},"id":1}"#
        )]
    );
    let connected = r#"{"id":1,"connect":{"client":"0b6ee3b4-2f3c-4f4e-9d1a-5a1c2b3d4e5f","version":"6.9.2 PRO","expires":true,"ttl":2700,"ping":25}}"#;
    check_eq!(c, feed(&mut conn, T0 + 20, connected, &mut last), 0);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [
            state(State::Connecting, State::Connected),
            Event::Connected {
                transport: Transport::Centrifugo,
                socket_id: Text::from_str_truncating("0b6ee3b4-2f3c-4f4e-9d1a-5a1c2b3d4e5f"),
            }
        ]
    );
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(
            r#"{"subscribe":{"channel":"chatrooms.5976096.v2"},"id":2}"#
        )]
    );
    // The subscribe must be answered within 10 s (Config::subscribe_timeout).
    check_eq!(c, conn.poll_timeout(), at(T0 + 20 + 10_000));
    check_eq!(
        c,
        feed(&mut conn, T0 + 30, r#"{"id":2,"subscribe":{}}"#, &mut last),
        0
    );
    // Answered: dead if no ping comes within ping + 10 s of the last message.
    check_eq!(c, conn.poll_timeout(), at(T0 + 30 + 35_000));
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [Event::Subscribed {
            channel: Text::from_str_truncating(CHANNEL)
        }]
    );

    // A publication: the chat message of the vector (expected file line 5).
    let publication = r##"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"eb952e8d-8798-4a5e-b288-12ba43e66b34\",\"chatroom_id\":5976096,\"content\":\"البكسل بس عندي يا شات\",\"type\":\"message\",\"created_at\":\"2026-09-27T16:11:55+00:00\",\"sender\":{\"id\":21608136,\"username\":\"abbasnjah\",\"slug\":\"abbasnjah\",\"identity\":{\"color\":\"#FFD899\",\"badges\":[]}},\"metadata\":{\"message_ref\":\"1790525515401\"}}","channel":"chatrooms.5976096.v2"}}}}"##;
    check_eq!(c, feed(&mut conn, T0 + 40, publication, &mut last), 1);
    match &last {
        Message::Kick {
            channel,
            event: Kick::ChatMessage(m),
            transport,
        } => {
            check_eq!(c, *transport, Transport::Centrifugo);
            check_eq!(c, channel.as_str(), CHANNEL);
            check_eq!(c, m.id.as_str(), "eb952e8d-8798-4a5e-b288-12ba43e66b34");
            check_eq!(c, m.content.as_str(), "البكسل بس عندي يا شات");
            check_eq!(c, m.sender.username.as_str(), "abbasnjah");
            check_eq!(c, m.sender.id, 21_608_136);
            // 2026-09-27T16:11:55Z: beyond 2^32 ms, and beyond i32 seconds' reach in ms.
            check_eq!(
                c,
                m.created_at.map(|t| t.unix_millis()),
                Some(1_790_525_515_000)
            );
        }
        other => check!(c, false, "want ChatMessage, got {other:?}"),
    }

    // A server ping: answered with `{}`, and the dead-connection timer moves.
    check_eq!(c, feed(&mut conn, T0 + 25_000, "{}", &mut last), 0);
    check_eq!(c, transmits(&mut conn).as_slice(), [text("{}")]);
    check_eq!(c, conn.poll_timeout(), at(T0 + 25_000 + 35_000));

    // No further ping: the socket is dropped and retried at once (plus jitter).
    let t = T0 + 60_000;
    conn.handle_timeout(Instant::from_millis(t));
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
    let after = match ev.get(2) {
        Some(Event::Reconnecting { after, reason }) => {
            check_eq!(c, *reason, Reason::PingTimeout);
            let ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX);
            check!(c, ms < 1_000, "reconnect delay {ms} ms");
            ms
        }
        other => {
            check!(c, false, "want Reconnecting, got {other:?}");
            0
        }
    };

    // The retry reuses the token: open, connect command (the next command id, 3).
    let t = t + after;
    conn.handle_timeout(Instant::from_millis(t));
    check_eq!(c, transmits(&mut conn).as_slice(), [open(URL)]);
    conn.handle_open(Instant::from_millis(t + 10));
    check_eq!(
        c,
        transmits(&mut conn).as_slice(),
        [text(
            r#"{"connect":{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIifQ.c2ln","name":"js"},"id":3}"#
        )]
    );

    // A terminal disconnect (3501, from the vector): closed for good.
    let bye = r#"{"push":{"disconnect":{"code":3501,"reason":"bad request"}}}"#;
    check_eq!(c, feed(&mut conn, t + 20, bye, &mut last), 0);
    check_eq!(c, transmits(&mut conn).as_slice(), [Tx::Close(1000)]);
    check_eq!(
        c,
        events(&mut conn).as_slice(),
        [
            Event::Disconnected {
                code: Some(3501),
                reason: Text::from_str_truncating("bad request"),
                will_retry: false
            },
            state(State::Connecting, State::Disconnected),
        ]
    );
    check_eq!(c, conn.poll_timeout(), None);
    check_eq!(c, conn.events_dropped(), 0);
    c
}
