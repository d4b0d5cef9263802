//! `kickwire relay` end to end: the real binary with a real Pusher server (sockudo on
//! 127.0.0.1) as its upstream, clients on its endpoint (kickwire `watch` and a plain
//! WebSocket client speaking Pusher v7), Kick's signed webhooks posted to it.
//!
//! Expected frames and counts are written by hand from the payloads below (hand-written in the
//! shape of the real frames in `tests/vectors/kick/`) and the webhook test data (`data/webhook/`,
//! signed by the openssl CLI).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::Cli;
use common::relay::{self, Relay};
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::copies::{SUB_CHANNEL, SUB_CHATROOM, micke747_sub};
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

const ROOM: &str = "2507974";
const CHAN: &str = "2515504";
const CHAT_CHANNEL: &str = "chatrooms.2507974.v2";
const CHAT_EVENT: &str = "App\\Events\\ChatMessageEvent";
const SUB_EVENT: &str = "App\\Events\\SubscriptionEvent";

fn chat(id: &str, content: &str) -> String {
    json!({
        "id": id,
        "chatroom_id": 2_507_974,
        "content": content,
        "type": "message",
        "created_at": "2023-12-24T22:05:00+00:00",
        "sender": {"id": 1_247_649, "username": "tayloredbydrew", "slug": "tayloredbydrew",
                   "identity": {"color": "#FF9D00", "badges": []}}
    })
    .to_string()
}

/// A relay of the one chat (given `times` times: each is an upstream connection of its own)
/// from `upstream`, its endpoint on a free port. Returns it once every upstream is connected,
/// with its endpoint's address.
fn relay(upstream: &Sockudo, times: usize, extra: &[&str]) -> (Cli, SocketAddr) {
    relay_of(upstream, &vec![(ROOM, CHAN); times], extra)
}

/// A relay of `chats` (chatroom and channel ids) from `upstream`.
fn relay_of(upstream: &Sockudo, chats: &[(&str, &str)], extra: &[&str]) -> (Cli, SocketAddr) {
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let mut args = relay::args(&url, chats);
    args.extend(extra);
    let relay = Relay::start(&args, chats.len());
    let addr = relay.endpoint();
    (relay.cli, addr)
}

/// A plain Pusher v7 client of the relay's endpoint.
struct Client(WebSocket<MaybeTlsStream<TcpStream>>);

impl Client {
    fn connect(addr: SocketAddr, channels: &[&str]) -> Self {
        Self::connect_key(addr, "any-key", channels)
    }

    /// A client with the app key `key` (the relay takes any; sockudo only its own).
    fn connect_key(addr: SocketAddr, key: &str, channels: &[&str]) -> Self {
        let (ws, _) = tungstenite::connect(format!("ws://{addr}/app/{key}?protocol=7")).unwrap();
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
        }
        let mut c = Self(ws);
        let first = c
            .next(Duration::from_secs(5))
            .expect("connection_established");
        assert_eq!(first["event"], "pusher:connection_established");
        for ch in channels {
            let sub = json!({"event": "pusher:subscribe", "data": {"channel": ch}});
            c.0.send(Message::text(sub.to_string())).unwrap();
            let ok = c.next(Duration::from_secs(5)).expect("subscribed");
            assert_eq!(
                ok["event"], "pusher_internal:subscription_succeeded",
                "{ok}"
            );
            assert_eq!(ok["channel"], *ch);
        }
        c
    }

    /// The next frame, as JSON, within `limit`.
    fn next(&mut self, limit: Duration) -> Option<Value> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.0.read() {
                Ok(Message::Text(t)) => return Some(serde_json::from_str(t.as_str()).unwrap()),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("client: {e}"),
            }
        }
        None
    }

    /// Kick events (not `pusher:` frames) until one on `channel` named `event` whose data has
    /// `field` equal to `value`; every event read.
    fn until(&mut self, limit: Duration, want: impl Fn(&Value) -> bool) -> (bool, Vec<Value>) {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Some(v) = self.next(left) else { break };
            if v["event"].as_str().is_some_and(|e| e.starts_with("pusher")) {
                continue;
            }
            let done = want(&v);
            seen.push(v);
            if done {
                return (true, seen);
            }
        }
        (false, seen)
    }
}

/// `GET path` on `addr`: status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        b"",
    )
}

fn http(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    let status = reply.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// The value of a metric sample line that starts with `sample` (name and labels).
fn metric(page: &str, sample: &str) -> Option<u64> {
    page.lines()
        .find_map(|l| l.strip_prefix(sample).and_then(|v| v.strip_prefix(' ')))
        .and_then(|v| v.parse().ok())
}

/// Polls `/metrics` until `sample` reaches `want` (bounded); the last page.
fn metric_reaches(addr: SocketAddr, sample: &str, want: u64) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, page) = get(addr, "/metrics");
        if metric(&page, sample) == Some(want) {
            return (true, page);
        }
        if Instant::now() > deadline {
            return (false, page);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn events_reach_kickwire_watch_through_the_relay_once_each() {
    let upstream = Sockudo::start(Options::default());
    let (relay, addr) = relay(&upstream, 1, &[]);
    let watch = Cli::start(&[
        "watch",
        "--url",
        &format!("ws://{addr}"),
        "--chatroom",
        ROOM,
        "--channel",
        CHAN,
        "--json",
        "--max-events",
        "2",
    ]);
    let (ok, lines) = watch.until(Duration::from_secs(15), |v| {
        v["type"] == "Subscribed" && v["channel"] == "predictions-channel-2515504"
    });
    assert!(ok, "{lines:?}");
    upstream
        .trigger(
            CHAT_CHANNEL,
            CHAT_EVENT,
            &chat("m1", "first through the relay"),
        )
        .unwrap();
    let sub = r#"{"chatroom_id":2507974,"username":"micke747","months":38}"#;
    upstream.trigger(CHAT_CHANNEL, SUB_EVENT, sub).unwrap();
    let (ok, events) = watch.until(Duration::from_secs(10), |v| v["type"] == "Subscription");
    assert!(ok, "{events:?}");
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["type"], "ChatMessage");
    assert_eq!(events[0]["channel"], CHAT_CHANNEL);
    assert_eq!(events[0]["content"], "first through the relay");
    assert_eq!(events[1]["username"], "micke747");
    assert_eq!(events[1]["months"], 38);
    let (code, stderr) = watch.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
    relay.interrupt();
    let (code, stderr) = relay.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("events in 2 out 2 copies 0"), "{stderr}");
}

#[test]
fn an_event_on_two_upstreams_goes_out_once_and_a_restart_adds_no_copy() {
    let mut upstream = Sockudo::start(Options::default());
    // The chat twice: every event arrives on two upstream connections.
    let (relay, addr) = relay(&upstream, 2, &["--no-alerts"]);
    let mut client = Client::connect(addr, &[CHAT_CHANNEL]);
    for i in 0..5 {
        upstream
            .trigger(
                CHAT_CHANNEL,
                CHAT_EVENT,
                &chat(&format!("m{i}"), &format!("line {i}")),
            )
            .unwrap();
    }
    // Both upstreams delivered all five: 10 in, 5 out, 5 copies.
    let (ok, page) = metric_reaches(addr, "kickwire_events_received_total", 10);
    assert!(ok, "{page}");
    assert_eq!(
        metric(&page, "kickwire_events_forwarded_total"),
        Some(5),
        "{page}"
    );
    assert_eq!(
        metric(&page, "kickwire_event_copies_total"),
        Some(5),
        "{page}"
    );
    let (ok, events) = client.until(Duration::from_secs(10), |v| {
        v["data"].as_str().is_some_and(|d| d.contains("line 4"))
    });
    assert!(ok, "{events:?}");
    let ids: Vec<String> = events
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(e["data"].as_str().unwrap()).unwrap()["id"].to_string()
        })
        .collect();
    assert_eq!(ids, ["\"m0\"", "\"m1\"", "\"m2\"", "\"m3\"", "\"m4\""]);
    assert!(
        events
            .iter()
            .all(|e| e["channel"] == CHAT_CHANNEL && e["event"] == CHAT_EVENT)
    );

    // The upstream server restarts: both connections come back; what is sent after it is
    // forwarded once, and nothing from before is sent again.
    upstream.stop();
    upstream.start_again();
    let (ok, lines) = relay.err_count(Duration::from_secs(30), "] subscribed to ", 12);
    assert!(ok, "{lines:?}");
    let (ok, page) = metric_reaches(
        addr,
        "kickwire_upstream_connected{chat=\"2507974/2515504\",chatroom=\"2507974\",channel=\"2515504\",transport=\"pusher\"}",
        1,
    );
    assert!(ok, "{page}");
    upstream
        .trigger(CHAT_CHANNEL, CHAT_EVENT, &chat("m5", "after the restart"))
        .unwrap();
    let (ok, page) = metric_reaches(addr, "kickwire_events_received_total", 12);
    assert!(ok, "{page}");
    assert_eq!(
        metric(&page, "kickwire_events_forwarded_total"),
        Some(6),
        "{page}"
    );
    let (ok, events) = client.until(Duration::from_secs(10), |v| {
        v["data"]
            .as_str()
            .is_some_and(|d| d.contains("after the restart"))
    });
    assert!(ok, "{events:?}");
    assert_eq!(events.len(), 1, "{events:?}");
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// micke747's sub as Kick sent it (five real events on four channels, `kickwire_tests::copies`):
/// each of the five reaches a client once on its own channel, and the alerts channel carries
/// one alert.
#[test]
fn a_subs_five_real_events_go_out_once_each_and_make_one_alert() {
    let upstream = Sockudo::start(Options::default());
    let (room, chan) = (SUB_CHATROOM.to_string(), SUB_CHANNEL.to_string());
    let (relay, addr) = relay_of(&upstream, &[(&room, &chan)], &[]);
    let frames = micke747_sub();
    let mut channels: Vec<&str> = frames.iter().map(|f| f.channel.as_str()).collect();
    channels.sort_unstable();
    channels.dedup();
    channels.push("kickwire-alerts.4598");
    let mut client = Client::connect(addr, &channels);
    for f in &frames {
        upstream.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    let (ok, page) = metric_reaches(addr, "kickwire_alerts_total", 1);
    assert!(ok, "{page}");
    let (ok, page) = metric_reaches(addr, "kickwire_events_forwarded_total", 5);
    assert!(ok, "{page}");
    let mut seen = Vec::new();
    while seen.len() < 6 {
        let (ok, events) = client.until(Duration::from_secs(10), |_| true);
        assert!(ok, "{seen:?}");
        seen.extend(events);
    }
    for f in &frames {
        let n = seen
            .iter()
            .filter(|e| e["channel"] == f.channel && e["event"] == f.event && e["data"] == f.data)
            .count();
        assert_eq!(n, 1, "{} on {}: {seen:?}", f.event, f.channel);
    }
    let alerts: Vec<&Value> = seen
        .iter()
        .filter(|e| e["event"] == "kickwire:alert")
        .collect();
    assert_eq!(alerts.len(), 1, "{seen:?}");
    assert_eq!(alerts[0]["channel"], "kickwire-alerts.4598");
    let alert: Value = serde_json::from_str(alerts[0]["data"].as_str().unwrap()).unwrap();
    assert_eq!(
        alert,
        json!({"alert": "Subscription", "username": "micke747", "months": 38})
    );
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

const TEST_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/webhook/test-key.pub.pem"
);
const FOLLOWED: &[u8] = include_bytes!("data/webhook/followed.json");
const FOLLOWED_SIG: &str = include_str!("data/webhook/followed.sig");
/// The id and timestamp `data/webhook/sign.sh` signs with.
const ID: &str = "01JHHDD0RAGEZ2P5NBTK5AF6TJ";
const SENT: &str = "2025-01-14T16:08:06Z";

/// A relay with only a webhook server (and the endpoint it publishes to); `window` seconds.
fn webhook_relay(window: &str) -> (Cli, SocketAddr, SocketAddr) {
    let relay = Relay::start(
        &[
            "relay",
            "--webhooks",
            "127.0.0.1:0",
            "--webhook-public-key",
            TEST_KEY,
            "--webhook-window",
            window,
            "--status",
            "0",
        ],
        0,
    );
    let (ws, hooks) = (relay.endpoint(), relay.webhooks());
    (relay.cli, ws, hooks)
}

fn post(addr: SocketAddr, headers: &[(&str, &str)], body: &[u8]) -> u16 {
    let mut head = format!(
        "POST /kick/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    http(addr, &head, body).0
}

fn delivery_headers<'a>(id: &'a str, sent: &'a str, signature: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("Kick-Event-Message-Id", id),
        ("Kick-Event-Subscription-Id", "01JHHDCZ9X0Y1Z2A3B4C5D6E7F"),
        ("Kick-Event-Signature", signature),
        ("Kick-Event-Message-Timestamp", sent),
        ("Kick-Event-Type", "channel.followed"),
        ("Kick-Event-Version", "1"),
    ]
}

#[test]
fn verified_webhooks_reach_clients_once_and_the_rest_never() {
    // A window wide enough for the test data's 2025 timestamp.
    let (relay, ws, hooks) = webhook_relay("999999999");
    let mut client = Client::connect(ws, &["kickwire-official.123456789"]);
    let sig = FOLLOWED_SIG.trim();
    let good = delivery_headers(ID, SENT, sig);
    assert_eq!(post(hooks, &good, FOLLOWED), 200);
    assert_eq!(post(hooks, &good, FOLLOWED), 200); // Kick's retry
    let forged = delivery_headers("01JHHDD0RAGEZ2P5NBTK5AF6TK", SENT, sig);
    assert_eq!(post(hooks, &forged, FOLLOWED), 401);
    let mut tampered = FOLLOWED.to_vec();
    tampered.extend_from_slice(b" ");
    assert_eq!(post(hooks, &good, &tampered), 401);
    assert_eq!(
        post(
            hooks,
            &delivery_headers(ID, "2025-01-14T16:08:07Z", sig),
            FOLLOWED
        ),
        401
    );
    assert_eq!(post(hooks, &good[..2], FOLLOWED), 400);
    assert_eq!(post(hooks, &good, &vec![b' '; 65 * 1024]), 413);
    assert_eq!(get(hooks, "/kick/webhook").0, 405);
    assert_eq!(get(hooks, "/healthz"), (200, "ok\n".to_string()));

    let (ok, events) = client.until(Duration::from_secs(10), |_| true);
    assert!(ok, "{events:?}");
    assert_eq!(events[0]["event"], "channel.followed");
    assert_eq!(events[0]["channel"], "kickwire-official.123456789");
    assert_eq!(events[0]["data"].as_str().unwrap().as_bytes(), FOLLOWED);
    // Nothing else is delivered: the metrics count one delivery.
    let (_, page) = get(hooks, "/metrics");
    let n = |result: &str| {
        metric(
            &page,
            &format!("kickwire_webhooks_total{{result=\"{result}\"}}"),
        )
    };
    assert_eq!(n("delivered"), Some(1), "{page}");
    assert_eq!(n("duplicate"), Some(1), "{page}");
    assert_eq!(n("bad_signature"), Some(3), "{page}");
    assert_eq!(n("missing_header"), Some(1), "{page}");
    assert_eq!(n("too_large"), Some(1), "{page}");
    assert_eq!(n("method_not_allowed"), Some(1), "{page}");
    assert_eq!(n("stale"), Some(0), "{page}");
    // The same page on the endpoint's address.
    let (status, same) = get(ws, "/metrics");
    assert_eq!(status, 200);
    assert!(
        same.contains("kickwire_webhooks_total{result=\"delivered\"} 1"),
        "{same}"
    );
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

#[test]
fn a_stale_webhook_is_refused_with_400() {
    let (relay, _, hooks) = webhook_relay("600");
    let good = delivery_headers(ID, SENT, FOLLOWED_SIG.trim());
    assert_eq!(post(hooks, &good, FOLLOWED), 400);
    let (_, page) = get(hooks, "/metrics");
    assert_eq!(
        metric(&page, "kickwire_webhooks_total{result=\"stale\"}"),
        Some(1),
        "{page}"
    );
    assert_eq!(
        metric(&page, "kickwire_webhooks_total{result=\"delivered\"}"),
        Some(0),
        "{page}"
    );
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// `--publish` into a second sockudo (the engine), with no endpoint of its own: a client of the
/// engine receives every event; the engine stopped mid-stream loses nothing (the events wait in
/// the relay's queue and go out when it is back).
#[test]
fn publish_into_an_engine_survives_its_restart() {
    let upstream = Sockudo::start(Options::default());
    let mut engine = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let api = format!("http://127.0.0.1:{}", engine.port());
    let mut args = relay::args(&url, &[(ROOM, CHAN)]);
    args.extend([
        "--no-listen",
        "--publish",
        &api,
        "--app-id",
        kickwire_tests::sockudo::APP_ID,
        "--app-key",
        engine.key(),
        "--app-secret",
        engine.secret(),
        "--webhooks",
        "127.0.0.1:0",
    ]);
    let relay = Relay::start(&args, 1);
    let hooks = relay.webhooks();
    let relay = relay.cli;
    let engine_client = |engine: &Sockudo| {
        let addr: SocketAddr = format!("127.0.0.1:{}", engine.port()).parse().unwrap();
        Client::connect_key(addr, engine.key(), &[CHAT_CHANNEL])
    };
    let mut client = engine_client(&engine);
    for i in 0..20 {
        upstream
            .trigger(
                CHAT_CHANNEL,
                CHAT_EVENT,
                &chat(&format!("p{i}"), &format!("published {i}")),
            )
            .unwrap();
    }
    let (ok, events) = client.until(Duration::from_secs(10), |v| {
        v["data"]
            .as_str()
            .is_some_and(|d| d.contains("published 19"))
    });
    assert!(ok, "{events:?}");
    assert_eq!(events.len(), 20, "{events:?}");

    // The engine goes away; ten events arrive upstream meanwhile.
    engine.stop();
    for i in 20..30 {
        upstream
            .trigger(
                CHAT_CHANNEL,
                CHAT_EVENT,
                &chat(&format!("p{i}"), &format!("published {i}")),
            )
            .unwrap();
    }
    let (ok, page) = metric_reaches(hooks, "kickwire_events_forwarded_total", 30);
    assert!(ok, "{page}");
    assert_eq!(
        metric(&page, "kickwire_publish_engine_up"),
        Some(0),
        "{page}"
    );
    engine.start_again();
    // Every one of the thirty reaches the engine, none dropped, and with each its alert (a
    // chat line is a Chat alert on kickwire-alerts.2507974): sixty in all.
    let (ok, page) = metric_reaches(hooks, "kickwire_publish_events_total", 60);
    assert!(ok, "{page}");
    assert!(
        metric(&page, "kickwire_publish_retries_total").unwrap_or(0) >= 1,
        "{page}"
    );
    assert_eq!(
        metric(
            &page,
            "kickwire_publish_dropped_total{reason=\"queue_full\"}"
        ),
        Some(0),
        "{page}"
    );
    // And a client of the restarted engine gets what comes next.
    let mut client = engine_client(&engine);
    upstream
        .trigger(
            CHAT_CHANNEL,
            CHAT_EVENT,
            &chat("p30", "after the engine came back"),
        )
        .unwrap();
    let (ok, events) = client.until(Duration::from_secs(10), |_| true);
    assert!(ok, "{events:?}");
    assert!(
        events[0]["data"]
            .as_str()
            .unwrap()
            .contains("after the engine came back")
    );
    relay.interrupt();
    let (code, stderr) = relay.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{stderr}");
}

const RENEWAL: &[u8] = include_bytes!("data/webhook/renewal.json");
const RENEWAL_SIG: &str = include_str!("data/webhook/renewal.sig");
const RENEWAL_ID: &str = "01JHHDD0RAGEZ2P5NBTK5AF6TM";

/// micke747's sub arrives both ways: Kick's five realtime events (upstream) and the webhook's
/// `channel.subscription.renewal` for the same broadcaster (`--broadcaster`): one Subscription
/// alert. A follow, which only webhooks tell, is an alert of its own.
#[test]
fn a_sub_seen_both_ways_is_one_alert_and_a_follow_is_one_too() {
    let upstream = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let (room, chan) = (SUB_CHATROOM.to_string(), SUB_CHANNEL.to_string());
    let mut args = relay::args(&url, &[(&room, &chan)]);
    args.extend([
        "--broadcaster",
        "123456789",
        "--webhooks",
        "127.0.0.1:0",
        "--webhook-public-key",
        TEST_KEY,
        "--webhook-window",
        "999999999",
    ]);
    let relay = Relay::start(&args, 1);
    let (ws, hooks) = (relay.endpoint(), relay.webhooks());
    let relay = relay.cli;
    let mut client = Client::connect(ws, &["kickwire-alerts.4598", "kickwire-official.123456789"]);
    for f in micke747_sub() {
        upstream.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    let (ok, page) = metric_reaches(ws, "kickwire_alerts_total", 1);
    assert!(ok, "{page}");
    let renewal = delivery_headers(RENEWAL_ID, SENT, RENEWAL_SIG.trim());
    let renewal: Vec<(&str, &str)> = renewal
        .into_iter()
        .map(|(k, v)| {
            if k == "Kick-Event-Type" {
                (k, "channel.subscription.renewal")
            } else {
                (k, v)
            }
        })
        .collect();
    assert_eq!(post(hooks, &renewal, RENEWAL), 200);
    assert_eq!(
        post(
            hooks,
            &delivery_headers(ID, SENT, FOLLOWED_SIG.trim()),
            FOLLOWED
        ),
        200
    );
    let (ok, page) = metric_reaches(ws, "kickwire_alerts_total", 2);
    assert!(ok, "{page}");
    let mut seen = Vec::new();
    while seen.len() < 4 {
        let (ok, events) = client.until(Duration::from_secs(10), |_| true);
        assert!(ok, "{seen:?}");
        seen.extend(events);
    }
    let alerts: Vec<Value> = seen
        .iter()
        .filter(|e| e["event"] == "kickwire:alert")
        .map(|e| serde_json::from_str(e["data"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        alerts,
        [
            json!({"alert": "Subscription", "username": "micke747", "months": 38}),
            json!({"alert": "Follow", "username": "follower_name"}),
        ]
    );
    let official: Vec<&str> = seen
        .iter()
        .filter(|e| e["channel"] == "kickwire-official.123456789")
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        official,
        ["channel.subscription.renewal", "channel.followed"]
    );
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// One chat on two upstream transports at once (`--url` twice: sockudo for Pusher, the
/// Centrifugo test server): an event both carry goes out once, one only Centrifugo carries goes
/// out too.
#[test]
fn an_event_on_pusher_and_centrifugo_goes_out_once() {
    let pusher = Sockudo::start(Options::default());
    let centrifugo = CentrifugoServer::start().unwrap();
    centrifugo.accept_token("relay-token", None);
    let pusher_url = format!("ws://127.0.0.1:{}", pusher.port());
    let centrifugo_url = centrifugo.url();
    let mut args = relay::args(&pusher_url, &[(ROOM, CHAN)]);
    args.extend([
        "--url",
        &centrifugo_url,
        "--token",
        "relay-token",
        "--no-alerts",
    ]);
    // Two upstreams for the one chat: one per URL.
    let relay = Relay::start(&args, 2);
    let addr = relay.endpoint();
    let relay = relay.cli;
    let mut client = Client::connect(addr, &[CHAT_CHANNEL]);
    let both = chat("c1", "on both transports");
    pusher.trigger(CHAT_CHANNEL, CHAT_EVENT, &both).unwrap();
    let publication = json!({"event": CHAT_EVENT, "data": both}).to_string();
    assert_eq!(centrifugo.publish(CHAT_CHANNEL, &publication), 1);
    let only = json!({"event": CHAT_EVENT, "data": chat("c2", "on centrifugo only")}).to_string();
    assert_eq!(centrifugo.publish(CHAT_CHANNEL, &only), 1);
    let (ok, page) = metric_reaches(addr, "kickwire_events_received_total", 3);
    assert!(ok, "{page}");
    assert_eq!(
        metric(&page, "kickwire_events_forwarded_total"),
        Some(2),
        "{page}"
    );
    assert_eq!(
        metric(&page, "kickwire_event_copies_total"),
        Some(1),
        "{page}"
    );
    let (ok, events) = client.until(Duration::from_secs(10), |v| {
        v["data"]
            .as_str()
            .is_some_and(|d| d.contains("centrifugo only"))
    });
    assert!(ok, "{events:?}");
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0]["data"]
            .as_str()
            .unwrap()
            .contains("on both transports")
    );
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// pusher-js (the reference client, `tests/pusher-js/client.js` run by node) on the relay's
/// endpoint: Kick's real chat frames published upstream reach it once each, in order, their
/// payloads as Kick sent them.
#[test]
fn pusher_js_receives_kicks_frames_through_the_relay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/pusher-js");
    assert!(
        dir.join("node_modules/pusher-js").is_dir(),
        "tests/pusher-js/node_modules is missing: (cd tests/pusher-js && npm ci --no-audit --no-fund --ignore-scripts); bash scripts/test.sh installs it"
    );
    let upstream = Sockudo::start(Options::default());
    let (relay, addr) = relay(&upstream, 1, &["--no-alerts"]);
    let mut node = std::process::Command::new("node")
        .arg("client.js")
        .arg(addr.port().to_string())
        .arg(CHAT_CHANNEL)
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node is needed for the pusher-js test");
    let (tx, lines) = std::sync::mpsc::channel();
    let stdout = node.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let next = || -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("pusher-js went quiet");
        serde_json::from_str(&line).unwrap()
    };
    while next()["type"] != "subscribed" {}
    // Three real chat frames (tests/vectors/kick/ChatMessageEvent.jsonl, lines 1-3), as Kick
    // sent them, then a marker.
    let vectors = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors/kick/ChatMessageEvent.jsonl"),
    )
    .unwrap();
    let frames: Vec<Value> = vectors
        .lines()
        .take(3)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for f in &frames {
        upstream
            .trigger(
                CHAT_CHANNEL,
                f["event"].as_str().unwrap(),
                f["data"].as_str().unwrap(),
            )
            .unwrap();
    }
    upstream
        .trigger(CHAT_CHANNEL, "marker", r#"{"end":true}"#)
        .unwrap();
    // By hand from the three lines: their ids and contents.
    let want = [
        ("b2af4980-9dfa-4822-960d-0e64704e2ced", "more in premiere"),
        (
            "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932",
            "[emote:3989851:litneyspears4Max]on my way to show you love",
        ),
        (
            "37e2ddbd-302c-4e5a-beda-4913c1747459",
            "this is what someone deals with after Litney goes through Deadspace",
        ),
    ];
    for (id, content) in want {
        let r = next();
        assert_eq!(
            (r["type"].as_str(), r["event"].as_str()),
            (Some("event"), Some(CHAT_EVENT)),
            "{r}"
        );
        assert_eq!(
            (r["data"]["id"].as_str(), r["data"]["content"].as_str()),
            (Some(id), Some(content)),
            "{r}"
        );
    }
    // The marker is the very next line: nothing was sent twice.
    let r = next();
    assert_eq!(
        (r["event"].as_str(), r["data"]["end"].as_bool()),
        (Some("marker"), Some(true)),
        "{r}"
    );
    drop(node.stdin.take());
    let _ = node.wait();
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// Kick's secrets never reach a client: a channel's signed `playback_url` is redacted.
#[test]
fn secrets_are_redacted_on_the_way_through() {
    let upstream = Sockudo::start(Options::default());
    let (relay, addr) = relay(&upstream, 1, &["--no-alerts"]);
    let mut client = Client::connect(addr, &["channel.2515504"]);
    let live = r#"{"livestream":{"id":1,"channel_id":2515504,"session_title":"hi","playback_url":"https:\/\/fa723fc1b171.us-west-2.playback.live-video.net\/api\/video\/v1\/us-west-2.196233775518.channel.x.m3u8?token=eyJhbGciOiJFUzM4NCJ9.secret"}}"#;
    upstream
        .trigger("channel.2515504", "App\\Events\\StreamerIsLive", live)
        .unwrap();
    let (ok, events) = client.until(Duration::from_secs(10), |_| true);
    assert!(ok, "{events:?}");
    let data: Value = serde_json::from_str(events[0]["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["livestream"]["playback_url"], "[redacted]", "{data}");
    assert_eq!(data["livestream"]["session_title"], "hi");
    assert!(!events[0]["data"].as_str().unwrap().contains("secret"));
    relay.interrupt();
    let _ = relay.wait(Duration::from_secs(15));
}

/// A client that stops reading is closed with 4100 once its queue at the relay is full, while
/// another client of the same chat keeps receiving every event, in order: the relay's bounded
/// per-client queues, against a real upstream (sockudo).
#[test]
fn a_stalled_client_is_dropped_while_another_keeps_receiving() {
    let upstream = Sockudo::start(Options::default());
    let (relay, addr) = relay(&upstream, 1, &["--no-alerts"]);
    let mut stalled = Client::connect(addr, &[CHAT_CHANNEL]);
    let mut good = Client::connect(addr, &[CHAT_CHANNEL]);
    let (tx, ids) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        while let Some(v) = good.next(Duration::from_secs(20)) {
            let data: Value = serde_json::from_str(v["data"].as_str().unwrap_or("null")).unwrap();
            if tx
                .send(data["id"].as_str().unwrap_or_default().to_owned())
                .is_err()
            {
                break;
            }
        }
    });
    // 8 KB chat lines (sockudo takes up to 10 KB) until the stalled client's socket buffers
    // and then its queue at the relay (4 MiB) are full: some hundreds.
    let filler = "x".repeat(8 * 1024);
    let mut sent = 0;
    loop {
        assert!(sent < 4000, "the stalled client was never dropped");
        let id = format!("s{sent}");
        upstream
            .trigger(CHAT_CHANNEL, CHAT_EVENT, &chat(&id, &filler))
            .unwrap();
        let got = ids
            .recv_timeout(Duration::from_secs(20))
            .expect("the good client stopped receiving");
        assert_eq!(got, id, "the good client's events in order");
        sent += 1;
        if sent % 50 == 0
            && metric(
                &get(addr, "/metrics").1,
                "kickwire_clients_dropped_total{reason=\"slow\"}",
            ) == Some(1)
        {
            break;
        }
    }
    // A few more still reach the good client.
    for i in 0..5 {
        let id = format!("after{i}");
        upstream
            .trigger(CHAT_CHANNEL, CHAT_EVENT, &chat(&id, "after the drop"))
            .unwrap();
        assert_eq!(ids.recv_timeout(Duration::from_secs(20)).unwrap(), id);
    }
    // The stalled client, reading at last: events in order, then Pusher's error and the close,
    // both 4100.
    let mut events = 0;
    let code = loop {
        match stalled.0.read() {
            Ok(Message::Text(t)) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["event"] == "pusher:error" {
                    assert_eq!(v["data"]["code"], 4100, "{v}");
                    continue;
                }
                let data: Value = serde_json::from_str(v["data"].as_str().unwrap()).unwrap();
                assert_eq!(
                    data["id"],
                    format!("s{events}"),
                    "the stalled client's events in order"
                );
                events += 1;
            }
            Ok(Message::Close(frame)) => break frame.map(|f| u16::from(f.code)),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("stalled client: {e}"),
        }
    };
    assert_eq!(code, Some(4100));
    assert!(events > 0 && events < sent, "{events} of {sent}");
    drop(ids);
    reader.join().unwrap();
    drop(relay);
}

/// `--shard 1/2`: of two chats, only the one whose channel id is odd is relayed here.
#[test]
fn a_shard_relays_only_its_chats() {
    let upstream = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let mut args = relay::args(&url, &[("10", "20"), ("11", "21")]);
    args.extend(["--shard", "1/2"]);
    // One chat of the two is in this shard.
    let Relay { cli: relay, lines } = Relay::start(&args, 1);
    assert!(
        lines
            .iter()
            .any(|l| l == "[relay 10/20] in another shard: skipped"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with("[relay 10/20] subscribed")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "[relay 11/21] subscribed to chatrooms.11.v2"),
        "{lines:?}"
    );
    relay.interrupt();
    let (code, stderr) = relay.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("[relay 10/20] subscribed"), "{stderr}");
}

#[test]
fn bad_relay_options_are_refused_with_a_reason() {
    for (args, says) in [
        (&["relay", "--shard", "2/2", "x"][..], "--shard wants i/n"),
        (
            &["relay", "--chatroom", "1", "x"],
            "--chatroom N wants its --channel N",
        ),
        (
            &["relay", "--publish", "http://127.0.0.1:1", "x"],
            "needs --app-id, --app-key and --app-secret",
        ),
        (
            &["relay", "--no-listen", "x"],
            "would send the events nowhere",
        ),
        (&["relay"], "give the chats to relay"),
        (
            &["relay", "--broadcaster", "5", "x"],
            "--broadcaster ID follows the chat",
        ),
        (
            &["relay", "--listen", "nowhere", "x"],
            "--listen wants an address",
        ),
    ] {
        let cli = Cli::start(args);
        let (code, stderr) = cli.wait(Duration::from_secs(10));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
