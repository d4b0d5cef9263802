//! `kickwire_cli::publish`: the request signing against values worked out with the `openssl`
//! CLI (one of them Pusher's own documented example), the pure parts against hand-checked
//! values, and the publisher against a real engine, sockudo 5.2.0 on loopback
//! (`kickwire_tests::sockudo`), watched by a raw tungstenite client subscribed on it (not
//! kickwire's connection code).
//!
//! Needs the sockudo binary: `bash scripts/sockudo.sh install`. Every wait is bounded.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown as NetShutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use kickwire_cli::publish::sign::{auth_query, auth_signature, body_md5, signed_target};
use kickwire_cli::publish::{
    Backoff, Config, ConfigError, DropReason, Engine, Event, MAX_DATA, Outcome, Publisher, Push,
    Queue, Stats, batch_body,
};
use kickwire_tests::poll_until;
use kickwire_tests::sockudo::{APP_ID, APP_KEY, APP_SECRET, ApiError, Options, Sockudo};
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

const CHANNEL: &str = "chatrooms.12345.v2";
const EVENT: &str = "App\\Events\\ChatMessageEvent";
/// Bound on every wait for the publisher or the client.
const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// Signing, against `openssl`.

/// Pusher's worked example in its REST API docs ("Worked authentication example"): key
/// `278d425bdf160c739803`, secret `7ad3773142a6692b25b8`, `POST /apps/3/events` at
/// 1353088179. Both digests were recomputed with the openssl CLI:
/// `printf '%s' "$BODY" | openssl dgst -md5` and
/// `printf 'POST\n/apps/3/events\n%s' "$QUERY" | openssl dgst -sha256 -hmac 7ad3773142a6692b25b8`.
#[test]
fn signing_matches_pushers_worked_example() {
    let body = br#"{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}"#;
    assert_eq!(body_md5(body), "ec365a775a4cd0599faeb73354201b6f");
    let query = auth_query("278d425bdf160c739803", 1_353_088_179, body);
    assert_eq!(
        query,
        "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0\
         &body_md5=ec365a775a4cd0599faeb73354201b6f"
    );
    assert_eq!(
        auth_signature("7ad3773142a6692b25b8", "POST", "/apps/3/events", &query),
        "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
    );
}

/// A `batch_events` request as the publisher makes it, its body written out by hand and its
/// digests by openssl (`printf '%s' "$BODY" | openssl dgst -md5`, then
/// `printf 'POST\n/apps/1001/batch_events\n%s' "$QUERY" | openssl dgst -sha256 -hmac
/// kickwire-local-test-secret`).
#[test]
fn a_batch_request_is_signed_as_openssl_signs_it() {
    let events = [Event {
        channel: CHANNEL.into(),
        name: EVENT.into(),
        data: r#"{"content":"hi"}"#.into(),
    }];
    let body = batch_body(&events);
    assert_eq!(
        body,
        r#"{"batch":[{"channel":"chatrooms.12345.v2","name":"App\\Events\\ChatMessageEvent","data":"{\"content\":\"hi\"}"}]}"#
    );
    let target = signed_target(
        APP_KEY,
        APP_SECRET,
        "POST",
        "/apps/1001/batch_events",
        body.as_bytes(),
        1_765_000_000,
    );
    assert_eq!(
        target,
        "/apps/1001/batch_events?auth_key=32cbd69e4b950bf97679&auth_timestamp=1765000000\
         &auth_version=1.0&body_md5=01de383f0f1257dad90fcde72b306bb4\
         &auth_signature=4850ea657a37e4810d113aabde65f9b0b1a5004b1212ea512f2e520fa62098ed"
    );
}

// ---------------------------------------------------------------------------------------------
// The pure parts.

#[test]
fn the_batch_body_keeps_order_and_escapes_data_as_a_string() {
    let ev = |c: &str, n: &str, d: &str| Event {
        channel: c.into(),
        name: n.into(),
        data: d.into(),
    };
    let body = batch_body(&[ev("a", "x", "plain"), ev("b", "y", "\"q\" \\ é\n")]);
    assert_eq!(
        body,
        "{\"batch\":[{\"channel\":\"a\",\"name\":\"x\",\"data\":\"plain\"},\
         {\"channel\":\"b\",\"name\":\"y\",\"data\":\"\\\"q\\\" \\\\ é\\n\"}]}"
    );
}

#[test]
fn back_off_doubles_from_half_a_second_to_thirty_with_jitter() {
    let b = Backoff::default();
    let ms = Duration::from_millis;
    // Ceiling 500 ms * 2^n, capped at 30 s; the wait is between half the ceiling and all of it.
    assert_eq!(b.delay(0, 0.0), ms(250));
    assert_eq!(b.delay(0, 1.0), ms(500));
    assert_eq!(b.delay(1, 1.0), ms(1000));
    assert_eq!(b.delay(1, 0.5), ms(750));
    assert_eq!(b.delay(5, 1.0), ms(16_000));
    assert_eq!(b.delay(6, 1.0), ms(30_000)); // 32 s, capped
    assert_eq!(b.delay(6, 0.0), ms(15_000));
    assert_eq!(b.delay(u32::MAX, 1.0), ms(30_000));
    assert_eq!(b.delay(2, 7.0), ms(2000)); // jitter clamped to 1
    assert_eq!(b.delay(2, -1.0), ms(1000)); // and to 0
}

fn numbered(n: usize) -> Event {
    Event {
        channel: CHANNEL.into(),
        name: EVENT.into(),
        data: n.to_string(),
    }
}

#[test]
fn a_full_queue_evicts_the_oldest_event_not_in_flight() {
    let mut q = Queue::new(4);
    for n in 0..4 {
        assert_eq!(q.push(numbered(n)), Push::Queued);
    }
    // 0 and 1 are in the request being made: 2 is the oldest that may go.
    assert_eq!(q.take(2), vec![numbered(0), numbered(1)]);
    assert_eq!(q.push(numbered(4)), Push::Evicted(numbered(2)));
    assert_eq!(q.push(numbered(5)), Push::Evicted(numbered(3)));
    assert_eq!(q.len(), 4);
    // The request failed: the same two are sent again, first.
    q.release();
    assert_eq!(
        q.take(10),
        vec![numbered(0), numbered(1), numbered(4), numbered(5)]
    );
    // Everything in flight: a new event cannot be queued.
    assert_eq!(q.push(numbered(6)), Push::Refused(numbered(6)));
    assert_eq!(q.confirm(), 4);
    assert!(q.is_empty());
    assert_eq!(q.take(10), Vec::<Event>::new());
}

#[test]
fn events_the_engine_would_never_take_are_refused_before_queueing() {
    let ev = |channel: &str, name: &str, len: usize| Event {
        channel: channel.into(),
        name: name.into(),
        data: "x".repeat(len),
    };
    // sockudo answers 413 when the data is longer than max_payload_in_kb * 1024 bytes
    // (checked against the engine in `the_data_limit_is_the_engines`).
    assert_eq!(ev(CHANNEL, EVENT, 10 * 1024).check(MAX_DATA), Ok(()));
    assert_eq!(
        ev(CHANNEL, EVENT, 10 * 1024 + 1).check(MAX_DATA),
        Err(DropReason::TooLarge)
    );
    assert_eq!(
        ev("private-a=b@c,d;e_f-g", EVENT, 1).check(MAX_DATA),
        Ok(())
    );
    for bad in ["", "has space", "slash/no", "é", &"c".repeat(165)] {
        assert_eq!(
            ev(bad, EVENT, 1).check(MAX_DATA),
            Err(DropReason::InvalidName),
            "{bad:?}"
        );
    }
    assert_eq!(ev(&"c".repeat(164), EVENT, 1).check(MAX_DATA), Ok(()));
    assert_eq!(
        ev(CHANNEL, "", 1).check(MAX_DATA),
        Err(DropReason::InvalidName)
    );
    assert_eq!(
        ev(CHANNEL, &"e".repeat(201), 1).check(MAX_DATA),
        Err(DropReason::InvalidName)
    );
}

#[test]
fn answers_are_retried_or_refused_by_status() {
    for status in [200, 202, 204] {
        assert_eq!(Outcome::of_answer(status, "{}"), Outcome::Accepted);
    }
    assert!(matches!(
        Outcome::of_answer(429, "slow down"),
        Outcome::Retry {
            engine_up: true,
            ..
        }
    ));
    for status in [500, 502, 503, 504] {
        assert!(matches!(
            Outcome::of_answer(status, ""),
            Outcome::Retry {
                engine_up: false,
                ..
            }
        ));
    }
    for status in [400, 401, 403, 404, 413, 301] {
        assert!(
            matches!(Outcome::of_answer(status, "no"), Outcome::Refused { status: s, .. } if s == status)
        );
    }
    let Outcome::Refused { reason, .. } = Outcome::of_answer(401, &"é".repeat(1000)) else {
        panic!("401 is refused");
    };
    assert!(
        reason.starts_with("HTTP 401: é") && reason.len() <= 320,
        "{reason}"
    );
    assert!(matches!(
        Outcome::of_failure("connection refused"),
        Outcome::Retry { engine_up: false, reason } if reason == "connection refused"
    ));
}

/// The relay publishes from its connection threads through one shared handle.
#[test]
fn a_publisher_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Publisher>();
}

#[test]
fn a_config_is_checked_before_anything_starts() {
    let ok = Config::new("http://127.0.0.1:6001", "1001", "key", "secret");
    assert_eq!(ok.validate(), Ok(()));
    assert_eq!(
        Config {
            url: "http://h:1/".into(),
            ..ok.clone()
        }
        .validate(),
        Ok(())
    );
    assert_eq!(
        Config {
            url: "https://h".into(),
            ..ok.clone()
        }
        .validate(),
        Ok(())
    );
    for url in ["ws://h:1", "http://h:1/apps", "h:1", "http://:1"] {
        assert_eq!(
            Config {
                url: url.into(),
                ..ok.clone()
            }
            .validate(),
            Err(ConfigError::Url),
            "{url}"
        );
    }
    for id in ["", "1/2", "a b"] {
        let c = Config {
            app_id: id.into(),
            ..ok.clone()
        };
        assert_eq!(c.validate(), Err(ConfigError::AppId));
    }
    let c = Config {
        app_key: "a&b".into(),
        ..ok.clone()
    };
    assert_eq!(c.validate(), Err(ConfigError::AppKey));
    let c = Config {
        app_secret: String::new(),
        ..ok.clone()
    };
    assert_eq!(c.validate(), Err(ConfigError::AppSecret));
    for (batch_max, queue_bound) in [(0, 10), (11, 10), (10, 0)] {
        let c = Config {
            batch_max,
            queue_bound,
            ..ok.clone()
        };
        assert_eq!(c.validate(), Err(ConfigError::Bounds));
    }
    assert!(matches!(
        Publisher::start(Config {
            url: "ftp://x".into(),
            ..ok
        }),
        Err(ConfigError::Url)
    ));
}

// ---------------------------------------------------------------------------------------------
// Against sockudo.

/// A publisher into `server` (or any URL) with short back-offs, so that tests do not wait
/// out production ones.
fn config(url: &str) -> Config {
    Config {
        backoff: Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(400),
        },
        ..Config::new(url, APP_ID, APP_KEY, APP_SECRET)
    }
}

fn base(server: &Sockudo) -> String {
    format!("http://127.0.0.1:{}", server.port())
}

fn wait_stats(publisher: &Publisher, what: &str, done: impl Fn(&Stats) -> bool) -> Stats {
    let ok = poll_until(WAIT, Duration::from_millis(10), || done(&publisher.stats()));
    let stats = publisher.stats();
    assert!(ok, "{what}: not within {WAIT:?}; {stats:?}");
    stats
}

/// A raw Pusher protocol 7 client: just enough to subscribe and read what arrives.
struct Client {
    ws: WebSocket<TcpStream>,
}

impl Client {
    /// Connects and subscribes to `channel`, waiting for the server's confirmation.
    fn subscribed(server: &Sockudo, channel: &str) -> Self {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port()));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("read timeout");
        let (ws, _) = tungstenite::client(server.ws_url(), stream).expect("handshake");
        let mut client = Self { ws };
        let hello = client.next(WAIT).expect("connection_established");
        assert_eq!(hello["event"], "pusher:connection_established");
        let subscribe =
            json!({"event": "pusher:subscribe", "data": {"auth": "", "channel": channel}});
        client
            .ws
            .send(Message::text(subscribe.to_string()))
            .expect("send");
        let ok = client.next(WAIT).expect("subscription_succeeded");
        assert_eq!(
            ok["event"], "pusher_internal:subscription_succeeded",
            "{ok}"
        );
        client
    }

    /// The next text frame as JSON, or `None` when nothing came within `within`.
    fn next(&mut self, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        // Bounded by the deadline; each turn reads one frame or times out.
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.ws.get_mut().set_read_timeout(Some(left)).ok()?;
            match self.ws.read() {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
                Ok(Message::Close(_)) => return None,
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("WebSocket read: {e}"),
            }
        }
    }

    /// The `data` of each published event received until `count` have come (or `WAIT` has
    /// passed), then of any that come within `quiet` more: a duplicate would show.
    fn events(&mut self, count: usize, quiet: Duration) -> Vec<String> {
        self.events_until(|got| got.len() >= count, quiet)
    }

    /// As [`events`](Self::events), until the data `last` has come.
    fn events_through(&mut self, last: &str, quiet: Duration) -> Vec<String> {
        self.events_until(|got| got.last().is_some_and(|d| d == last), quiet)
    }

    fn events_until(&mut self, done: impl Fn(&[String]) -> bool, quiet: Duration) -> Vec<String> {
        let mut got = Vec::new();
        let deadline = Instant::now() + WAIT;
        while !done(&got) && Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(frame) = self.next(left) else { break };
            Self::keep(&frame, &mut got);
        }
        while let Some(frame) = self.next(quiet) {
            Self::keep(&frame, &mut got);
        }
        got
    }

    fn keep(frame: &Value, got: &mut Vec<String>) {
        if frame["event"] == EVENT {
            assert_eq!(frame["channel"], CHANNEL, "{frame}");
            got.push(frame["data"].as_str().expect("data is a string").to_owned());
        }
    }
}

/// A TCP forwarder in front of the engine that counts the connections it is asked for: the
/// publisher's HTTP client opens one per request (`Connection: close`), so this counts its
/// requests without asking the publisher.
struct Counter {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl Counter {
    fn start(to: u16) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        // Runs until the test process ends: a test's helper, one listener.
        thread::spawn(move || {
            for inbound in listener.incoming() {
                let Ok(inbound) = inbound else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let Ok(outbound) = TcpStream::connect((Ipv4Addr::LOCALHOST, to)) else {
                    continue;
                };
                for (from, into) in [
                    (inbound.try_clone(), outbound.try_clone()),
                    (outbound.try_clone(), inbound.try_clone()),
                ] {
                    if let (Ok(mut from), Ok(mut into)) = (from, into) {
                        let _ = from.set_read_timeout(Some(WAIT));
                        thread::spawn(move || {
                            copy(&mut from, &mut into);
                            let _ = into.shutdown(NetShutdown::Write);
                        });
                    }
                }
            }
        });
        Self { port, connections }
    }

    fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Copies until end of stream, an error or a read timeout.
fn copy(from: &mut TcpStream, into: &mut TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || into.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}

#[test]
fn every_event_reaches_a_subscriber_once_and_in_order_in_batches() {
    let server = Sockudo::start(Options::default());
    let counter = Counter::start(server.port());
    let mut client = Client::subscribed(&server, CHANNEL);
    let publisher =
        Publisher::start(config(&format!("http://127.0.0.1:{}", counter.port))).expect("start");
    // Data with quotes, a backslash and non-ASCII: it must arrive exactly as given.
    let data = |n: usize| format!(r#"{{"n":{n},"text":"\"é\" \\"}}"#);
    let mut want = Vec::new();
    for burst in 0..4 {
        for i in 0..50 {
            let n = burst * 50 + i;
            publisher.publish(CHANNEL, EVENT, &data(n)).expect("queued");
            want.push(data(n));
        }
        thread::sleep(Duration::from_millis(30));
    }
    let got = client.events(200, Duration::from_millis(500));
    assert_eq!(got.len(), 200, "received {} of 200", got.len());
    assert_eq!(got, want);
    let stats = wait_stats(&publisher, "all published", |s| s.published == 200);
    let requests = counter.count();
    assert_eq!(requests, usize::try_from(stats.requests).unwrap());
    assert_eq!(stats.batches, stats.requests);
    // Batches of up to ten: at least 20 requests, and far fewer than one per event.
    assert!((20..200).contains(&requests), "{requests} requests");
    assert_eq!(
        (stats.retries, stats.dropped_total(), stats.queued),
        (0, 0, 0)
    );
    assert_eq!(stats.engine, Engine::Up);
    assert_eq!(stats.last_error, None);
    println!("200 events in {requests} requests");
}

#[test]
fn a_wrong_secret_is_refused_counted_and_reported() {
    let server = Sockudo::start(Options::default());
    let mut client = Client::subscribed(&server, CHANNEL);
    let publisher = Publisher::start(Config {
        app_secret: "not-the-secret".into(),
        ..config(&base(&server))
    })
    .expect("start");
    for n in 0..3 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    let stats = wait_stats(&publisher, "refused", |s| s.dropped_total() == 3);
    assert_eq!(stats.dropped(DropReason::Rejected(401)), 3, "{stats:?}");
    assert_eq!((stats.published, stats.retries, stats.queued), (0, 0, 0));
    let error = stats.last_error.expect("a reason");
    // sockudo's answer to a bad signature.
    assert!(
        error.starts_with("HTTP 401") && error.contains("Invalid API signature"),
        "{error}"
    );
    assert_eq!(stats.engine, Engine::Up);
    assert_eq!(DropReason::Rejected(401).label(), "rejected_401");
    assert_eq!(
        client.events(0, Duration::from_millis(300)),
        Vec::<String>::new()
    );
}

#[test]
fn an_engine_outage_loses_nothing_and_retries() {
    let mut server = Sockudo::start(Options::default());
    let mut client = Client::subscribed(&server, CHANNEL);
    let publisher = Publisher::start(config(&base(&server))).expect("start");
    for n in 0..20 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    let before: Vec<String> = (0..20).map(|n| n.to_string()).collect();
    assert_eq!(client.events(20, Duration::ZERO), before);
    wait_stats(&publisher, "first 20", |s| s.published == 20);

    server.stop();
    for n in 20..50 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    let down = wait_stats(&publisher, "retrying", |s| {
        s.retries >= 2 && s.engine == Engine::Down
    });
    assert_eq!(down.published, 20);
    assert!(down.last_error.is_some());

    server.start_again();
    let mut client = Client::subscribed(&server, CHANNEL);
    let back = wait_stats(&publisher, "queued ones published", |s| s.published == 50);
    assert_eq!((back.dropped_total(), back.queued), (0, 0), "{back:?}");
    assert_eq!(back.engine, Engine::Up);
    for n in 50..70 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    // The new client may have subscribed before some of the queued ones were delivered; it
    // must see those (if any) once and in order, then every later one.
    let got: Vec<usize> = client
        .events_through("69", Duration::from_millis(300))
        .iter()
        .map(|d| d.parse().expect("a number"))
        .collect();
    let later: Vec<usize> = got.iter().copied().filter(|&n| n >= 50).collect();
    assert_eq!(later, (50..70).collect::<Vec<_>>());
    assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}");
    assert!(got.iter().all(|&n| n >= 20), "{got:?}");
    let end = wait_stats(&publisher, "all published", |s| s.published == 70);
    assert_eq!((end.dropped_total(), end.queued), (0, 0));
    assert!(end.retries >= 2);
}

#[test]
fn overflow_while_down_drops_exactly_the_overflow() {
    let mut server = Sockudo::start(Options::default());
    let publisher = Publisher::start(Config {
        queue_bound: 25,
        ..config(&base(&server))
    })
    .expect("start");
    server.stop();
    for n in 0..40 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    // The count is made as events are published: no wait needed.
    let stats = publisher.stats();
    assert_eq!(stats.dropped(DropReason::QueueFull), 15, "{stats:?}");
    assert_eq!(
        (stats.dropped_total(), stats.queued, stats.published),
        (15, 25, 0)
    );

    server.start_again();
    let mut client = Client::subscribed(&server, CHANNEL);
    let end = wait_stats(&publisher, "the 25 kept", |s| s.published == 25);
    assert_eq!((end.dropped_total(), end.queued), (15, 0));
    // The client may have subscribed before some of the 25 went out: those come first, once
    // each, in order.
    publisher.publish(CHANNEL, EVENT, "last").expect("queued");
    let got = client.events_through("last", Duration::from_millis(300));
    let (last, kept) = got.split_last().expect("at least the last one");
    assert_eq!(last, "last");
    let kept: Vec<usize> = kept.iter().map(|d| d.parse().expect("a number")).collect();
    assert!(kept.windows(2).all(|w| w[0] < w[1]), "{kept:?}");
    assert!(kept.len() <= 25, "{kept:?}");
}

#[test]
fn the_data_limit_is_the_engines() {
    let server = Sockudo::start(Options::default());
    // The engine itself: 10 KiB of data is taken, one byte more is refused with 413.
    let at = "x".repeat(MAX_DATA);
    let over = "x".repeat(MAX_DATA + 1);
    server.trigger(CHANNEL, EVENT, &at).expect("10 KiB taken");
    assert!(matches!(
        server.trigger(CHANNEL, EVENT, &over),
        Err(ApiError::Status { status: 413, .. })
    ));
    let mut client = Client::subscribed(&server, CHANNEL);
    let publisher = Publisher::start(config(&base(&server))).expect("start");
    assert_eq!(
        publisher.publish(CHANNEL, EVENT, &over),
        Err(DropReason::TooLarge)
    );
    assert_eq!(
        publisher.publish("bad channel", EVENT, "1"),
        Err(DropReason::InvalidName)
    );
    publisher.publish(CHANNEL, EVENT, &at).expect("queued");
    publisher.publish(CHANNEL, EVENT, "after").expect("queued");
    assert_eq!(
        client.events(2, Duration::from_millis(300)),
        vec![at, "after".into()]
    );
    let stats = wait_stats(&publisher, "published", |s| s.published == 2);
    assert_eq!(stats.dropped(DropReason::TooLarge), 1);
    assert_eq!(stats.dropped(DropReason::InvalidName), 1);
    assert_eq!(stats.requests, 1);
}

#[test]
fn shutdown_flushes_what_is_queued() {
    let server = Sockudo::start(Options::default());
    let publisher = Publisher::start(config(&base(&server))).expect("start");
    for n in 0..100 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    let end = publisher.shutdown(WAIT);
    assert_eq!(
        (end.left, end.stats.published, end.stats.queued),
        (0, 100, 0)
    );
}

#[test]
fn shutdown_reports_what_it_could_not_send() {
    let mut server = Sockudo::start(Options::default());
    let publisher = Publisher::start(config(&base(&server))).expect("start");
    server.stop();
    for n in 0..5 {
        publisher
            .publish(CHANNEL, EVENT, &n.to_string())
            .expect("queued");
    }
    let end = publisher.shutdown(Duration::from_millis(500));
    assert_eq!((end.left, end.stats.published), (5, 0));
    assert_eq!(end.stats.engine, Engine::Down);
    assert!(end.stats.retries >= 1);
}

/// A measurement for the relay's scaling notes, not a test of speed (it asserts delivery
/// only): 10,000 chat-sized events published as fast as they come, into sockudo on loopback,
/// with one raw client subscribed. Run by hand:
/// `cargo test --release -p kickwire-cli --test publish -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn measure_throughput_into_sockudo() {
    const N: usize = 10_000;
    let server = Sockudo::start(Options::default());
    let mut client = Client::subscribed(&server, CHANNEL);
    let publisher = Publisher::start(config(&base(&server))).expect("start");
    // About the size of a real ChatMessageEvent's data (350 to 450 bytes).
    let data = |n: usize| {
        format!(
            r##"{{"id":"{n:08}-0000-4000-8000-000000000000","chatroom_id":12345,"content":"{}","type":"message","created_at":"2026-12-06T07:00:00+00:00","sender":{{"id":1,"username":"tester","slug":"tester","identity":{{"color":"#FFFFFF","badges":[]}}}}}}"##,
            "x".repeat(200)
        )
    };
    let started = Instant::now();
    for n in 0..N {
        publisher.publish(CHANNEL, EVENT, &data(n)).expect("queued");
    }
    let queued_in = started.elapsed();
    let got = client.events(N, Duration::ZERO);
    let received_in = started.elapsed();
    assert_eq!(got.len(), N);
    assert!(got.iter().enumerate().all(|(n, d)| *d == data(n)));
    let stats = publisher.stats();
    assert_eq!((stats.published, stats.dropped_total()), (N as u64, 0));
    println!(
        "PUBLISH_BENCH events={N} data_bytes={} publish_calls_s={:.3} all_received_s={:.3} \
         events_per_s={:.0} requests={} events_per_request={:.1}",
        data(0).len(),
        queued_in.as_secs_f64(),
        received_in.as_secs_f64(),
        N as f64 / received_in.as_secs_f64(),
        stats.requests,
        N as f64 / stats.requests as f64,
    );
}

// ---------------------------------------------------------------------------------------------
// Against a scripted engine: answers the real one does not give on demand.

/// One request as a scripted engine read it: the request line and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    line: String,
    body: String,
}

/// An HTTP server on loopback that answers each request, in turn, with the next of `answers`
/// (`None`: read the request and never answer), then with 200. Returns its base URL and what
/// it saw.
fn scripted_engine(answers: Vec<Option<(u16, &'static str)>>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        let mut answers = answers.into_iter();
        // Held open so that a request left unanswered stays unanswered.
        let mut silent = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(WAIT));
            let Some(request) = read_request(&mut stream) else {
                continue;
            };
            log.lock().unwrap().push(request);
            match answers.next().unwrap_or(Some((200, "{}"))) {
                Some((status, body)) => {
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(reply.as_bytes());
                }
                None => silent.push(stream),
            }
        }
    });
    (url, seen)
}

/// Reads one request with a `Content-Length` body.
fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    // Bounded by the read timeout and by the declared length.
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length: usize = text[..end]
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if raw.len() >= end + 4 + length {
            return Some(Seen {
                line: text.lines().next().unwrap_or_default().to_owned(),
                body: text[end + 4..end + 4 + length].to_owned(),
            });
        }
    }
}

#[test]
fn a_5xx_or_429_is_retried_with_the_same_events_and_a_4xx_is_not() {
    let (url, seen) = scripted_engine(vec![
        Some((503, r#"{"error":"draining"}"#)),
        Some((429, r#"{"error":"slow down"}"#)),
        Some((500, "")),
        Some((200, "{}")),
        Some((404, r#"{"error":"Unknown app"}"#)),
    ]);
    let publisher = Publisher::start(config(&url)).expect("start");
    publisher.publish(CHANNEL, EVENT, "first").expect("queued");
    let stats = wait_stats(&publisher, "published after three refusals", |s| {
        s.published == 1
    });
    assert_eq!((stats.retries, stats.requests, stats.batches), (3, 4, 1));
    assert_eq!(stats.last_error.as_deref(), Some("HTTP 500: "));
    publisher.publish(CHANNEL, EVENT, "second").expect("queued");
    let stats = wait_stats(&publisher, "refused", |s| s.dropped_total() == 1);
    assert_eq!(stats.dropped(DropReason::Rejected(404)), 1);
    assert_eq!(
        stats.last_error.as_deref(),
        Some(r#"HTTP 404: {"error":"Unknown app"}"#)
    );
    assert_eq!((stats.published, stats.retries, stats.queued), (1, 3, 0));

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 5);
    let first = r#"{"batch":[{"channel":"chatrooms.12345.v2","name":"App\\Events\\ChatMessageEvent","data":"first"}]}"#;
    for s in &seen[..4] {
        assert_eq!(s.body, first);
    }
    assert_eq!(seen[4].body, first.replace("first", "second"));
    // Every attempt is signed, for this app's batch endpoint, its body's MD5 included.
    for s in &seen {
        let target = s
            .line
            .strip_prefix("POST ")
            .and_then(|l| l.strip_suffix(" HTTP/1.1"))
            .expect("a POST");
        let query = target
            .strip_prefix("/apps/1001/batch_events?")
            .expect("the batch endpoint");
        assert!(query.starts_with("auth_key=32cbd69e4b950bf97679&auth_timestamp="));
        assert!(query.contains(&format!("&body_md5={}&", body_md5(s.body.as_bytes()))));
    }
}

#[test]
fn an_engine_that_never_answers_times_out_and_publish_still_returns() {
    // Every request is read and left unanswered.
    let (url, seen) = scripted_engine(vec![None; 100]);
    let publisher = Arc::new(
        Publisher::start(Config {
            timeout: Duration::from_millis(200),
            ..config(&url)
        })
        .expect("start"),
    );
    publisher.publish(CHANNEL, EVENT, "0").expect("queued");
    let stats = wait_stats(&publisher, "timed out twice", |s| s.retries >= 2);
    assert_eq!(stats.engine, Engine::Down);
    assert_eq!((stats.published, stats.dropped_total()), (0, 0));
    assert!(seen.lock().unwrap().len() >= 2);
    // While the sender waits on the silent engine, publishing from another thread returns.
    let (done, finished) = std::sync::mpsc::channel();
    let from_thread = Arc::clone(&publisher);
    thread::spawn(move || {
        for n in 1..=100 {
            from_thread
                .publish(CHANNEL, EVENT, &n.to_string())
                .expect("queued");
        }
        let _ = done.send(());
    });
    assert!(finished.recv_timeout(WAIT).is_ok(), "publish blocked");
    assert_eq!(publisher.stats().queued, 101);
}
