//! kickwire's Pusher connection (`kickwire_proto::conn`) against a real Pusher-protocol server,
//! sockudo 5.2.0 on 127.0.0.1 (see `tests/src/sockudo.rs`): subscriptions, every vector
//! delivered through the server's HTTP API, pings, a server restart, and the errors sockudo
//! can produce.

use std::time::Duration;

use kickwire_proto::conn::{Config, Connection, Event, Reason, State};
use kickwire_proto::kick::channels::Ids;
use kickwire_proto::{Message, Transport};
use kickwire_tests::driver::{Driver, Seen};
use kickwire_tests::event_json;
use kickwire_tests::golden::{check_expected, frames_with_expected};
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::Value;

fn connected(server: &Sockudo, channels: &[&str]) -> Driver {
    let mut conn = Connection::new(Transport::Pusher, &server.ws_url(), Config::default()).unwrap();
    for c in channels {
        conn.subscribe(c).unwrap();
    }
    let mut d = Driver::new(conn);
    d.connect();
    let want = channels.len();
    let ok = d.run_until(Duration::from_secs(10), |seen| {
        seen.iter()
            .filter(|s| matches!(s, Seen::Event(Event::Subscribed { .. })))
            .count()
            == want
            && seen
                .iter()
                .any(|s| matches!(s, Seen::Event(Event::Connected { .. })))
    });
    assert!(ok, "not connected and subscribed: {:?}", d.seen);
    d
}

#[test]
fn connects_and_subscribes_to_every_channel_of_a_chatroom() {
    let server = Sockudo::start(Options::default());
    let ids = Ids::new(2_507_974, 2_515_504);
    let names: Vec<String> = ids.channels().map(|c| c.as_str().to_string()).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let d = connected(&server, &refs);
    assert_eq!(d.conn().state(), State::Connected);
    let subscribed: Vec<String> = d
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::Subscribed { channel } => Some(channel.as_str().to_string()),
            _ => None,
        })
        .collect();
    // The six names of docs/ARCHITECTURE.md ("Six channel names"), written out by hand.
    let mut want = vec![
        "chatrooms.2507974.v2",
        "chatrooms.2507974",
        "chatroom_2507974",
        "channel.2515504",
        "channel_2515504",
        "predictions-channel-2515504",
    ];
    let mut got: Vec<&str> = subscribed.iter().map(String::as_str).collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
    assert!(d.events().iter().any(|e| matches!(e, Event::Connected { transport: Transport::Pusher, socket_id } if socket_id.contains('.'))));
}

/// Kick events of the golden vectors, as `(where, event name, data string, expected line)`.
fn pusher_vectors() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for (at, frame, expected) in frames_with_expected() {
        let Ok(Value::Object(f)) = serde_json::from_str::<Value>(&frame) else {
            continue;
        };
        let (Some(Value::String(event)), Some(data)) = (f.get("event"), f.get("data")) else {
            continue;
        };
        if event.starts_with("pusher") || expected.contains("\"control\"") {
            continue;
        }
        let data = match data {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((at, event.clone(), data, expected));
    }
    out
}

#[test]
fn every_vector_sent_through_the_server_decodes_as_expected() {
    let server = Sockudo::start(Options::default());
    const CHANNEL: &str = "chatrooms.4242.v2";
    let mut d = connected(&server, &[CHANNEL]);
    let vectors = pusher_vectors();
    assert!(vectors.len() >= 80, "only {} Pusher vectors", vectors.len());
    for (at, event, data, _) in &vectors {
        server
            .trigger(CHANNEL, event, data)
            .unwrap_or_else(|e| panic!("{at}: trigger failed: {e:?}"));
    }
    let n = vectors.len();
    let ok = d.run_until(Duration::from_secs(20), |seen| {
        seen.iter().filter(|s| matches!(s, Seen::Kick(_))).count() >= n
    });
    let received = d.kick_events();
    assert!(ok, "{} of {n} events arrived", received.len());
    let mut failures = Vec::new();
    for ((at, _, _, expected), message) in vectors.iter().zip(received) {
        let Message::Kick {
            channel,
            event,
            transport,
        } = message
        else {
            unreachable!()
        };
        assert_eq!(*transport, Transport::Pusher);
        assert_eq!(channel.as_str(), CHANNEL);
        // The expected objects name the channel of the original capture; here it is ours.
        let mut expected: Value = serde_json::from_str(expected).unwrap();
        expected["channel"] = Value::String(CHANNEL.into());
        for e in check_expected(&expected.to_string(), &event_json(channel, event)) {
            failures.push(format!("{at}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        !d.events()
            .iter()
            .any(|e| matches!(e, Event::BadMessage { .. })),
        "{:?}",
        d.events()
    );
}

#[test]
fn pings_keep_a_quiet_connection_alive() {
    // The server announces a 1 s activity timeout: both sides ping after 1 s of silence.
    let server = Sockudo::start(Options {
        activity_timeout_s: 1,
        ..Options::default()
    });
    let mut d = connected(&server, &["chatrooms.1.v2"]);
    d.run_until(Duration::from_secs(5), |_| false);
    let sent = d.sent();
    assert!(
        sent.iter()
            .any(|s| s.contains("pusher:ping") || s.contains("pusher:pong")),
        "no ping/pong in 5 s: {sent:?}"
    );
    assert!(
        !d.events()
            .iter()
            .any(|e| matches!(e, Event::Disconnected { .. })),
        "{:?}",
        d.events()
    );
    assert_eq!(d.conn().state(), State::Connected);
}

#[test]
fn a_server_restart_is_survived_with_backoff_and_resubscription() {
    let mut server = Sockudo::start(Options::default());
    const CHANNEL: &str = "chatrooms.7.v2";
    let mut d = connected(&server, &[CHANNEL]);
    server.stop();
    // sockudo says 4200 (reconnect now), then refuses connections while it is down.
    let ok = d.run_until(Duration::from_secs(6), |seen| {
        seen.iter()
            .filter(|s| matches!(s, Seen::Event(Event::Reconnecting { .. })))
            .count()
            >= 3
    });
    assert!(ok, "{:?}", d.events());
    let delays: Vec<(Duration, Reason)> = d
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::Reconnecting { after, reason } => Some((*after, *reason)),
            _ => None,
        })
        .collect();
    assert!(d.events().iter().any(|e| matches!(
        e,
        Event::Disconnected {
            code: Some(4200),
            will_retry: true,
            ..
        }
    )));
    assert_eq!(delays[0].1, Reason::ServerRequest(4200));
    assert!(
        delays[0].0 < Duration::from_secs(1),
        "4200: at once (plus jitter): {delays:?}"
    );
    assert_eq!(delays[1].1, Reason::OpenFailed);
    assert!(
        delays[1].0 >= Duration::from_secs(2) && delays[1].0 < Duration::from_secs(3),
        "{delays:?}"
    );
    server.start_again();
    let before = d.seen.len();
    let ok = d.run_until(Duration::from_secs(20), |seen| {
        seen[before..]
            .iter()
            .any(|s| matches!(s, Seen::Event(Event::Subscribed { .. })))
    });
    assert!(
        ok,
        "no resubscription after the restart: {:?}",
        &d.seen[before..]
    );
    server
        .trigger(
            CHANNEL,
            "App\\Events\\SubscriptionEvent",
            r#"{"chatroom_id":7,"username":"after_restart","months":3}"#,
        )
        .unwrap();
    let ok = d.run_until(Duration::from_secs(5), |seen| {
        seen.iter().any(|s| matches!(s, Seen::Kick(_)))
    });
    assert!(ok);
    let Message::Kick {
        event: kickwire_proto::kick::Event::Subscription(s),
        ..
    } = d.kick_events()[0]
    else {
        panic!("{:?}", d.kick_events())
    };
    assert_eq!((s.username.as_str(), s.months), ("after_restart", Some(3)));
}

#[test]
fn a_refused_subscription_is_an_error_and_the_rest_goes_on() {
    // sockudo: a private channel without a valid auth is pusher:error 4009, socket stays open.
    let server = Sockudo::start(Options::default());
    let mut conn = Connection::new(Transport::Pusher, &server.ws_url(), Config::default()).unwrap();
    conn.subscribe("private-secret").unwrap();
    conn.subscribe("chatrooms.9.v2").unwrap();
    let mut d = Driver::new(conn);
    d.connect();
    let ok = d.run_until(Duration::from_secs(10), |seen| {
        seen.iter().any(|s| {
            matches!(
                s,
                Seen::Event(Event::ServerError {
                    code: Some(4009),
                    ..
                })
            )
        }) && seen
            .iter()
            .any(|s| matches!(s, Seen::Event(Event::Subscribed { .. })))
    });
    assert!(ok, "{:?}", d.events());
    server
        .trigger(
            "chatrooms.9.v2",
            "App\\Events\\ChatroomClearEvent",
            r#"{"id":"x"}"#,
        )
        .unwrap();
    assert!(d.run_until(Duration::from_secs(5), |seen| {
        seen.iter().any(|s| matches!(s, Seen::Kick(_)))
    }));
    assert_eq!(d.conn().state(), State::Connected);
    assert!(!d.conn().is_subscribed("private-secret"));
}

#[test]
fn a_real_4301_is_an_error_and_not_a_disconnect() {
    // sockudo answers a client event on a public channel with pusher:error 4301 and keeps the
    // socket; our connection never sends one, so the test writes it behind its back.
    let server = Sockudo::start(Options::default());
    const CHANNEL: &str = "chatrooms.11.v2";
    let mut d = connected(&server, &[CHANNEL]);
    assert!(d.send_raw(r#"{"event":"client-hello","channel":"chatrooms.11.v2","data":{}}"#));
    let ok = d.run_until(Duration::from_secs(5), |seen| {
        seen.iter().any(|s| {
            matches!(
                s,
                Seen::Event(Event::ServerError {
                    code: Some(4301),
                    ..
                })
            )
        })
    });
    assert!(ok, "{:?}", d.events());
    server
        .trigger(CHANNEL, "App\\Events\\ChatroomClearEvent", r#"{"id":"y"}"#)
        .unwrap();
    assert!(d.run_until(Duration::from_secs(5), |seen| {
        seen.iter().any(|s| matches!(s, Seen::Kick(_)))
    }));
    assert!(
        !d.events()
            .iter()
            .any(|e| matches!(e, Event::Disconnected { .. }))
    );
    assert_eq!(d.conn().state(), State::Connected);
}
