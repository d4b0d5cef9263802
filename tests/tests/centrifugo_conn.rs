//! kickwire's Centrifugo connection (`Connection::new(Transport::Centrifugo, ..)`) against the
//! Centrifugo test server (`kickwire_tests::centrifugo`, proven against the official JS client in
//! `centrifugo_server.rs`): token, subscribe, publications from the reconstructed Kick vector,
//! pings, token refresh and expiry, server unsubscribes and disconnects, a server restart, and
//! the Origin check.
//!
//! Expected values come from the vectors (read by hand) or from the server's own log, never
//! from the connection under test. Timings come from the driver's log of when it opened sockets
//! and saw events; the connection's clock is the driver's, in whole milliseconds, so a 1 s
//! timer may fire up to 1 ms early.

use std::time::Duration;

use kickwire_proto::conn::{Config, Connection, Event, Reason, State};
use kickwire_proto::kick::ChatMessage;
use kickwire_proto::kick::Event as Kick;
use kickwire_proto::{Message, Transport};
use kickwire_tests::centrifugo::{CentrifugoServer, ServerClose};
use kickwire_tests::centrifugo_vector::{
    VECTOR_CHANNEL, chat_message_data, vector_line, vector_publication_data,
};
use kickwire_tests::driver::{Driver, Seen, count};
use serde_json::{Value, json};

/// The channel of the reconstructed vector (`chatrooms.<id>.v2`).
const CHANNEL: &str = VECTOR_CHANNEL;
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Helpers

fn server() -> CentrifugoServer {
    let server = CentrifugoServer::start().expect("bind 127.0.0.1:0");
    server.set_version("6.9.2 PRO"); // what Kick's connect reply says (vector line 2)
    server
}

/// A driver of a Centrifugo connection to `server`, keeping `CHANNEL` subscribed and handing
/// out `tokens` in order (then the last one again), connecting.
fn driver(server: &CentrifugoServer, tokens: &[&str], config: Config) -> Driver {
    let mut conn = Connection::new(Transport::Centrifugo, &server.url(), config).unwrap();
    conn.subscribe(CHANNEL).unwrap();
    let mut d = Driver::new(conn);
    d.token_queue = tokens.iter().map(|t| t.to_string()).collect();
    d.token = tokens.last().map(|t| t.to_string());
    d.connect();
    d
}

/// Runs until `n` subscriptions were confirmed and the server counts one subscriber.
fn until_subscribed(d: &mut Driver, server: &CentrifugoServer, n: usize) {
    assert!(
        d.run_until(WAIT, |seen| count(seen, Seen::is_subscribed) == n),
        "not subscribed {n} times: {:?}",
        d.seen
    );
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));
}

/// `refresh` of every `TokenRequired`, in order.
fn token_requests(d: &Driver) -> Vec<bool> {
    d.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::TokenRequired { refresh } => Some(*refresh),
            _ => None,
        })
        .collect()
}

/// The commands of connection `conn`, in order.
fn commands_of(server: &CentrifugoServer, conn: u64) -> Vec<Value> {
    server
        .commands()
        .into_iter()
        .filter(|(c, _)| *c == conn)
        .map(|(_, v)| v)
        .collect()
}

fn subscribe_commands(server: &CentrifugoServer) -> usize {
    server
        .commands()
        .iter()
        .filter(|(_, c)| c.get("subscribe").is_some())
        .count()
}

/// The chat messages delivered so far, with their channel and transport.
fn chats(d: &Driver) -> Vec<(Transport, String, ChatMessage)> {
    d.kick_events()
        .into_iter()
        .map(|m| match m {
            Message::Kick {
                transport,
                channel,
                event: Kick::ChatMessage(c),
            } => (*transport, channel.as_str().to_owned(), c.clone()),
            other => panic!("not a chat message: {other:?}"),
        })
        .collect()
}

/// The vector's publication (line 5), field by field as read off the line.
fn assert_is_the_vector_message(m: &ChatMessage) {
    assert_eq!(m.id.as_str(), "eb952e8d-8798-4a5e-b288-12ba43e66b34");
    assert_eq!(m.chatroom_id, 5_976_096);
    assert_eq!(m.content.as_str(), "البكسل بس عندي يا شات");
    assert!(!m.content.is_truncated());
    assert_eq!(m.kind.as_str(), "message");
    // 2026-09-27T16:11:55+00:00 is 1790525515 s after the epoch (`date -u -d ... +%s`).
    assert_eq!(
        m.created_at.map(|t| t.unix_millis()),
        Some(1_790_525_515_000)
    );
    assert_eq!(m.sender.id, 21_608_136);
    assert_eq!(m.sender.username.as_str(), "abbasnjah");
    assert_eq!(m.sender.slug.as_str(), "abbasnjah");
    assert_eq!(m.sender.identity.color.as_str(), "#FFD899");
    assert!(m.sender.identity.badges.as_slice().is_empty()); // `badges: []`
    let meta = m.metadata.as_ref().expect("metadata");
    assert_eq!(
        meta.message_ref.as_ref().map(|r| r.as_str()),
        Some("1790525515401")
    );
    assert!(meta.original_message.is_none());
}

// ---------------------------------------------------------------------------------------------
// Connect, subscribe, publications

#[test]
fn connects_with_a_token_subscribes_and_decodes_the_vectors_publication() {
    let server = server();
    server.accept_token("guest-jwt", Some(2700));
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    // The token was asked for before anything was opened, then given by the driver.
    assert_eq!(token_requests(&d), [false]);
    // The commands on the wire: the vector's connect (line 1) with our token, and a subscribe
    // to the vector's channel (line 3 without the `flag`, which we do not send).
    let expected_connect = vector_line(1).replace(
        "<JWT from POST web.kick.com/api/v1/realtime/auth/connection>",
        "guest-jwt",
    );
    assert_eq!(
        server.received()[0].text,
        expected_connect,
        "connect, byte for byte"
    );
    assert_eq!(
        commands_of(&server, 1),
        [
            serde_json::from_str::<Value>(&expected_connect).unwrap(),
            json!({"subscribe": {"channel": CHANNEL}, "id": 2}),
        ]
    );
    assert!(
        d.events().iter().any(|e| matches!(e,
        Event::Connected { transport: Transport::Centrifugo, socket_id } if socket_id.len() == 36))
    );

    assert_eq!(
        server.publish(CHANNEL, &vector_publication_data().to_string()),
        1
    );
    assert!(d.run_until(WAIT, |seen| seen.iter().any(|s| matches!(s, Seen::Kick(_)))));
    let got = chats(&d);
    assert_eq!(got.len(), 1);
    let (transport, channel, m) = &got[0];
    assert_eq!(*transport, Transport::Centrifugo);
    assert_eq!(channel, CHANNEL);
    assert_is_the_vector_message(m);
    assert_eq!(d.conn().state(), State::Connected);
    assert!(server.server_closes().is_empty());
}

#[test]
fn every_push_of_a_batched_message_arrives_in_order() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    let mut data = vec![vector_publication_data()];
    data.extend(chat_message_data(3));
    let texts: Vec<String> = data.iter().map(Value::to_string).collect();
    let batch: Vec<(&str, &str)> = texts.iter().map(|t| (CHANNEL, t.as_str())).collect();
    assert_eq!(server.publish_batch(&batch), 1, "one WebSocket message");
    assert!(
        d.run_until(WAIT, |seen| count(seen, |s| matches!(s, Seen::Kick(_)))
            == 4)
    );
    d.run_for(Duration::from_millis(200));

    let got = chats(&d);
    assert_eq!(got.len(), 4);
    assert!(
        got.iter()
            .all(|(t, c, _)| *t == Transport::Centrifugo && c == CHANNEL)
    );
    assert_is_the_vector_message(&got[0].2);
    // Lines 1-3 of ChatMessageEvent.jsonl, read off the file.
    let rest: Vec<(&str, &str, &str)> = got[1..]
        .iter()
        .map(|(_, _, m)| {
            (
                m.id.as_str(),
                m.sender.username.as_str(),
                m.content.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rest,
        [
            (
                "b2af4980-9dfa-4822-960d-0e64704e2ced",
                "tayloredbydrew",
                "more in premiere"
            ),
            (
                "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932",
                "OhLookItsMax",
                "[emote:3989851:litneyspears4Max]on my way to show you love"
            ),
            (
                "37e2ddbd-302c-4e5a-beda-4913c1747459",
                "OhLookItsMax",
                "this is what someone deals with after Litney goes through Deadspace"
            ),
        ]
    );
    // All four out of the one message: side by side in the driver's log.
    let at: Vec<usize> = d
        .seen
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Seen::Kick(_)))
        .map(|(i, _)| i)
        .collect();
    assert!(at.windows(2).all(|w| w[1] == w[0] + 1), "{:?}", d.seen);
    assert!(
        !d.events()
            .iter()
            .any(|e| matches!(e, Event::BadMessage { .. })),
        "{:?}",
        d.seen
    );
}

// ---------------------------------------------------------------------------------------------
// Pings

#[test]
fn server_pings_are_answered_and_the_server_never_closes_for_a_missing_pong() {
    let server = server();
    server.accept_token("guest-jwt", None);
    // A ping every second; no `{}` within 700 ms would close the connection with 3012.
    server.set_ping(1, Some(Duration::from_millis(700)));
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);
    d.run_for(Duration::from_millis(3500));

    // Each ping answered with `{}`, a WebSocket message of its own.
    let pongs = server.received().iter().filter(|f| f.text == "{}").count();
    assert!(pongs >= 3, "{pongs} pongs: {:?}", server.received());
    assert!(
        server.server_closes().is_empty(),
        "{:?}",
        server.server_closes()
    );
    assert_eq!(server.connections(), 1);
    assert!(d.disconnects().is_empty(), "{:?}", d.seen);
    assert_eq!(d.conn().state(), State::Connected);
    assert!(d.sent().iter().filter(|t| **t == "{}").count() >= 3);
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[test]
fn a_short_lived_token_is_refreshed_on_the_same_connection() {
    let server = server();
    server.accept_token("first-jwt", Some(1));
    server.accept_token("second-jwt", Some(2700));
    // Unrefreshed, the connection would be closed (3005) 1 s + 300 ms after connecting.
    server.set_expired_close_delay(Duration::from_millis(300));
    let mut d = driver(&server, &["first-jwt", "second-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);
    let refreshed = d.run_until(WAIT, |seen| {
        seen.iter()
            .any(|s| matches!(s, Seen::Event(Event::TokenRequired { refresh: true })))
            && server.refresh_count() == 1
    });
    assert!(refreshed, "{:?}", d.seen);
    d.run_for(Duration::from_secs(2)); // well past the 1.3 s close of an unrefreshed connection

    assert_eq!(token_requests(&d), [false, true]);
    assert_eq!(server.refresh_count(), 1);
    // The refresh command is the vector's (line 7), with the new token.
    let refresh = server
        .received()
        .into_iter()
        .find(|f| f.text.contains("refresh"))
        .unwrap();
    assert_eq!(
        refresh.text,
        vector_line(7).replace("<new JWT>", "second-jwt")
    );
    assert_eq!(refresh.conn, 1);
    assert!(
        server.server_closes().is_empty(),
        "{:?}",
        server.server_closes()
    );
    assert_eq!(server.connections(), 1);
    assert!(d.disconnects().is_empty(), "{:?}", d.seen);
    assert_eq!(d.conn().state(), State::Connected);
    assert!(d.conn().is_subscribed(CHANNEL));
}

#[test]
fn an_expired_token_at_connect_error_109_reconnects_with_a_fresh_one() {
    let server = server();
    server.expire_token("stale-jwt");
    server.accept_token("fresh-jwt", None);
    let mut d = driver(&server, &["stale-jwt", "fresh-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    assert_eq!(server.connections(), 2);
    assert_eq!(commands_of(&server, 1)[0]["connect"]["token"], "stale-jwt");
    // Command ids go on counting across connections (1 was the refused connect).
    assert_eq!(
        commands_of(&server, 2),
        [
            json!({"connect": {"token": "fresh-jwt", "name": "js"}, "id": 2}),
            json!({"subscribe": {"channel": CHANNEL}, "id": 3}),
        ]
    );
    assert!(d.events().iter().any(|e| matches!(e,
        Event::ServerError { code: Some(109), message, .. } if message.as_str() == "token expired")));
    assert_eq!(token_requests(&d), [false, false]);
    let r = d.reconnects();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].1, Reason::TokenExpired);
    // The client left the refused socket itself; the server closed nothing.
    assert!(
        server.server_closes().is_empty(),
        "{:?}",
        server.server_closes()
    );
    assert_eq!(d.conn().state(), State::Connected);
}

#[test]
fn a_refresh_with_an_expired_token_close_3005_reconnects_with_a_fresh_one() {
    let server = server();
    server.accept_token("short-jwt", Some(1));
    server.expire_token("stale-jwt");
    server.accept_token("fresh-jwt", None);
    let mut d = driver(
        &server,
        &["short-jwt", "stale-jwt", "fresh-jwt"],
        Config::default(),
    );
    until_subscribed(&mut d, &server, 1);
    assert!(
        d.run_until(WAIT, |seen| count(seen, Seen::is_subscribed) == 2),
        "{:?}",
        d.seen
    );

    assert_eq!(
        server.server_closes(),
        [ServerClose {
            conn: 1,
            code: 3005,
            reason: "connection expired".into()
        }]
    );
    let refresh: Vec<Value> = commands_of(&server, 1)
        .into_iter()
        .filter(|c| c.get("refresh").is_some())
        .collect();
    assert_eq!(
        refresh,
        [json!({"refresh": {"token": "stale-jwt"}, "id": 3})]
    );
    assert_eq!(commands_of(&server, 2)[0]["connect"]["token"], "fresh-jwt");
    assert_eq!(server.connections(), 2);
    assert_eq!(
        d.disconnects(),
        [(Some(3005), "connection expired".to_owned(), true)]
    );
    // Connect, refresh, then connect again with a new token (the old one is forgotten).
    assert_eq!(token_requests(&d), [false, true, false]);
    let r = d.reconnects();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].1, Reason::TokenExpired);
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));
}

// ---------------------------------------------------------------------------------------------
// Server unsubscribes and disconnects

#[test]
fn unsubscribe_2500_resubscribes_and_2000_is_final() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    assert_eq!(server.unsubscribe(CHANNEL, 2500, "insufficient state"), 1);
    until_subscribed(&mut d, &server, 2);
    assert_eq!(subscribe_commands(&server), 2);
    assert_eq!(
        commands_of(&server, 1)[2],
        json!({"subscribe": {"channel": CHANNEL}, "id": 3})
    );

    assert_eq!(server.unsubscribe(CHANNEL, 2000, "server unsubscribe"), 1);
    assert!(d.run_until(WAIT, |seen| {
        seen.iter()
            .any(|s| matches!(s, Seen::Event(Event::SubscriptionError { .. })))
    }));
    d.run_for(Duration::from_millis(1500));
    let errors: Vec<&Event> = d
        .events()
        .into_iter()
        .filter(|e| matches!(e, Event::SubscriptionError { .. }))
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0],
        Event::SubscriptionError { channel, code: Some(2000), message }
            if channel.as_str() == CHANNEL && message.as_str() == "server unsubscribe"));
    assert_eq!(subscribe_commands(&server), 2, "no subscribe after 2000");
    assert_eq!(server.subscribers(CHANNEL), 0);
    assert!(!d.conn().is_subscribed(CHANNEL));
    assert_eq!(server.connections(), 1);
    assert_eq!(d.conn().state(), State::Connected);
}

#[test]
fn disconnect_3001_reconnects_after_a_back_off_and_resubscribes() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    assert_eq!(server.disconnect(3001, "shutdown"), 1);
    until_subscribed(&mut d, &server, 2);

    assert_eq!(d.disconnects(), [(Some(3001), "shutdown".to_owned(), true)]);
    let r = d.reconnects();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].1, Reason::Closed(Some(3001)));
    let closed_at = d.first_seen(Seen::is_disconnected).unwrap();
    let reopened = d.opens()[1].0;
    let waited = (reopened - closed_at).as_millis();
    assert!(
        (999..2600).contains(&waited),
        "reopened {waited} ms after 3001"
    );
    // The same token again (it is still good), and the subscription.
    assert_eq!(server.connections(), 2);
    assert_eq!(
        commands_of(&server, 2),
        [
            json!({"connect": {"token": "guest-jwt", "name": "js"}, "id": 3}),
            json!({"subscribe": {"channel": CHANNEL}, "id": 4}),
        ]
    );
    assert_eq!(token_requests(&d), [false]);
}

/// Connected and subscribed, then `end` (a terminal disconnect); the connection must stop.
fn terminal_disconnect(end: impl FnOnce(&CentrifugoServer) -> usize, code: u16, reason: &str) {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    assert_eq!(end(&server), 1);
    assert!(d.run_until(WAIT, |seen| seen.iter().any(Seen::is_disconnected)));
    // A retry after a good connection would come within 2 s (1 s + under 1 s of jitter).
    d.run_for(Duration::from_millis(2500));
    assert_eq!(d.disconnects(), [(Some(code), reason.to_owned(), false)]);
    assert!(d.reconnects().is_empty(), "{:?}", d.seen);
    assert_eq!(d.conn().state(), State::Disconnected);
    assert_eq!(d.conn().poll_timeout(), None);
    assert_eq!(d.opens().len(), 1);
    assert_eq!(server.connections(), 1, "no new connection");
}

#[test]
fn close_3501_is_final() {
    terminal_disconnect(|s| s.disconnect(3501, "bad request"), 3501, "bad request");
}

#[test]
fn disconnect_push_4501_is_final() {
    // The unidirectional form (a push, then the Close frame) with a code in 4500-4999.
    terminal_disconnect(
        |s| s.disconnect_with_push(4501, "custom terminal"),
        4501,
        "custom terminal",
    );
}

// ---------------------------------------------------------------------------------------------
// A server restart

#[test]
fn a_stopped_server_is_retried_with_back_off_until_it_is_back() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    until_subscribed(&mut d, &server, 1);

    server.stop(); // sockets dropped without a Close frame, nothing listening
    assert!(d.run_until(WAIT, |seen| seen.iter().any(Seen::is_disconnected)));
    // Until one attempt has been refused (the first comes 1-2 s after the drop).
    let refused = |seen: &[Seen]| {
        seen.iter().any(|s| {
            matches!(
                s,
                Seen::Event(Event::Reconnecting {
                    reason: Reason::OpenFailed,
                    ..
                })
            )
        })
    };
    assert!(d.run_until(WAIT, refused), "{:?}", d.seen);
    server.restart().unwrap();
    until_subscribed(&mut d, &server, 2);

    let opens = d.opens();
    assert_eq!(opens.len(), 3, "{opens:?}");
    // After the drop: 1 s + jitter, then (refused) 2 s + jitter: the back-off doubles.
    let dropped = d.first_seen(Seen::is_disconnected).unwrap();
    let first = (opens[1].0 - dropped).as_millis();
    let second = (opens[2].0 - opens[1].0).as_millis();
    assert!(
        (999..2600).contains(&first),
        "first retry {first} ms after the drop"
    );
    assert!(
        (1999..3600).contains(&second),
        "second retry {second} ms after the first"
    );
    let d0 = d.disconnects();
    assert_eq!(d0.len(), 2, "{d0:?}");
    assert!(d0.iter().all(|(code, _, retry)| code.is_none() && *retry));
    assert_eq!(server.connections(), 2);

    // Publications flow again on the new connection.
    assert_eq!(
        server.publish(CHANNEL, &vector_publication_data().to_string()),
        1
    );
    assert!(d.run_until(WAIT, |seen| seen.iter().any(|s| matches!(s, Seen::Kick(_)))));
    let got = chats(&d);
    assert_eq!(got.len(), 1);
    assert_is_the_vector_message(&got[0].2);
    assert_eq!(d.conn().state(), State::Connected);
}

// ---------------------------------------------------------------------------------------------
// Origin

#[test]
fn a_server_that_requires_kicks_origin_is_reached_only_with_it() {
    let server = server();
    server.accept_token("guest-jwt", None);
    server.set_allowed_origin(Some("https://kick.com"));
    let mut d = driver(&server, &["guest-jwt"], Config::default());
    // Another site's origin: the handshake is refused (HTTP 403), and retried.
    d.origin = Some("https://example.com".to_owned());
    let failures = |seen: &[Seen]| count(seen, Seen::is_disconnected);
    assert!(
        d.run_until(WAIT, |seen| failures(seen) == 2),
        "{:?}",
        d.seen
    );
    assert_eq!(server.connections(), 0, "no WebSocket was accepted");
    let d0 = d.disconnects();
    assert!(
        d0.iter()
            .all(|(code, reason, retry)| code.is_none() && reason.contains("403") && *retry),
        "{d0:?}"
    );
    assert!(
        d.reconnects()
            .iter()
            .all(|(_, why)| *why == Reason::OpenFailed)
    );
    assert_ne!(d.conn().state(), State::Connected);

    // Kick's origin: the next attempt gets through.
    d.origin = Some("https://kick.com".to_owned());
    until_subscribed(&mut d, &server, 1);
    assert_eq!(server.connections(), 1);
    assert_eq!(d.conn().state(), State::Connected);
    assert_eq!(d.opens().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Token fetches that fail, and a server that sends no pings

#[test]
fn failed_token_fetches_are_retried_with_back_off_then_connect() {
    let server = server();
    server.accept_token("tok-1", None);
    let mut conn =
        Connection::new(Transport::Centrifugo, &server.url(), Config::default()).unwrap();
    conn.subscribe(CHANNEL).unwrap();
    let mut d = Driver::new(conn);
    d.token = Some("tok-1".into());
    d.failing_token_fetches = 2;
    d.connect();
    until_subscribed(&mut d, &server, 1);
    // Asked three times: two fetches failed, the third token connected.
    assert_eq!(token_requests(&d), [false, false, false]);
    let r = d.reconnects();
    assert_eq!(r.len(), 2, "{r:?}");
    assert!(r.iter().all(|(_, why)| *why == Reason::TokenUnavailable));
    // The back-off grows: 1 s then 2 s (+ < 1 s jitter).
    assert!((1_000..2_000).contains(&r[0].0.as_millis()), "{r:?}");
    assert!((2_000..3_000).contains(&r[1].0.as_millis()), "{r:?}");
    // No socket was opened without a token.
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_server_without_pings_is_pinged_and_its_replies_keep_the_connection() {
    let server = server();
    server.accept_token("tok-1", None);
    server.set_ping(0, None); // the connect reply carries no `ping`
    let config = Config {
        activity_timeout: Duration::from_secs(1),
        pong_timeout: Duration::from_secs(1),
        ..Config::default()
    };
    let mut d = driver(&server, &["tok-1"], config);
    until_subscribed(&mut d, &server, 1);
    d.run_for(Duration::from_millis(3_500));
    // About one ping per second of silence, each answered by the server.
    let pings = server
        .commands()
        .iter()
        .filter(|(_, c)| c.get("ping").is_some())
        .count();
    assert!((2..=4).contains(&pings), "{pings} pings");
    assert_eq!(d.conn().state(), State::Connected);
    assert!(d.reconnects().is_empty(), "{:?}", d.seen);
    assert_eq!(server.connections(), 1);
}
