//! The relay's Pusher endpoint against an independent WebSocket client (tungstenite): every
//! frame the endpoint writes is compared with text written here by hand from the Pusher
//! protocol and sockudo's behaviour. All on 127.0.0.1; every wait is bounded by socket read
//! timeouts or explicit deadlines.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kickwire_cli::endpoint::{Config, Endpoint, Response};
use serde_json::Value;
use tungstenite::{Message, WebSocket};

const WAIT: Duration = Duration::from_secs(5);
const CHANNEL: &str = "chatrooms.1.v2";

fn start(config: Config) -> Endpoint {
    Endpoint::bind("127.0.0.1:0".parse().unwrap(), config).unwrap()
}

type Ws = WebSocket<TcpStream>;

/// A connected client, its `connection_established` frame already read and returned.
fn connect(endpoint: &Endpoint) -> (Ws, String) {
    let stream = TcpStream::connect(endpoint.local_addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let url = format!(
        "ws://{}/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false",
        endpoint.local_addr()
    );
    let (mut ws, response) = tungstenite::client::client(url, stream).unwrap();
    assert_eq!(response.status(), 101);
    let hello = text(&mut ws);
    (ws, hello)
}

/// The next text message (WebSocket pongs skipped).
fn text(ws: &mut Ws) -> String {
    loop {
        match ws
            .read()
            .unwrap_or_else(|e| panic!("no message within {WAIT:?}: {e}"))
        {
            Message::Text(t) => return t.as_str().to_owned(),
            Message::Pong(_) => {}
            other => panic!("expected text, got {other:?}"),
        }
    }
}

/// Reads up to the close frame; the texts before it and the close code.
fn until_close(ws: &mut Ws) -> (Vec<String>, u16) {
    let mut texts = Vec::new();
    loop {
        match ws
            .read()
            .unwrap_or_else(|e| panic!("no close within {WAIT:?}: {e}"))
        {
            Message::Text(t) => texts.push(t.as_str().to_owned()),
            Message::Close(Some(frame)) => return (texts, u16::from(frame.code)),
            Message::Close(None) => return (texts, 1005),
            _ => {}
        }
    }
}

fn send(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text)).unwrap();
}

fn subscribe(ws: &mut Ws, channel: &str) {
    send(
        ws,
        &format!(r#"{{"event":"pusher:subscribe","data":{{"auth":"","channel":"{channel}"}}}}"#),
    );
    assert_eq!(
        text(ws),
        format!(
            r#"{{"event":"pusher_internal:subscription_succeeded","channel":"{channel}","data":"{{}}"}}"#
        )
    );
}

/// A `pusher:ping` answered: everything the client sent before it has been handled.
fn ping(ws: &mut Ws) {
    send(ws, r#"{"event":"pusher:ping","data":{}}"#);
    assert_eq!(text(ws), r#"{"event":"pusher:pong","data":"{}"}"#);
}

/// Polls `stats` until `want` holds (bounded).
fn wait_stats(
    endpoint: &Endpoint,
    want: impl Fn(&kickwire_cli::endpoint::Stats) -> bool,
) -> kickwire_cli::endpoint::Stats {
    let deadline = Instant::now() + WAIT;
    loop {
        let stats = endpoint.stats();
        if want(&stats) {
            return stats;
        }
        assert!(
            Instant::now() < deadline,
            "stats never got there: {stats:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn connection_established_carries_a_socket_id_and_the_activity_timeout() {
    let endpoint = start(Config::default());
    let (_ws, hello) = connect(&endpoint);
    let frame: Value = serde_json::from_str(&hello).unwrap();
    assert_eq!(frame["event"], "pusher:connection_established");
    // `data` is a string holding JSON, as Pusher sends it.
    let data: Value = serde_json::from_str(frame["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["activity_timeout"], 120);
    let socket_id = data["socket_id"].as_str().unwrap();
    let (a, b) = socket_id.split_once('.').unwrap();
    assert!(
        !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()),
        "{socket_id}"
    );
    assert!(
        !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()),
        "{socket_id}"
    );
    let stats = wait_stats(&endpoint, |s| s.clients_now == 1);
    assert_eq!(stats.clients_total, 1);
}

#[test]
fn a_published_event_reaches_its_subscribers_only_with_its_data_escaped() {
    let endpoint = start(Config::default());
    let (mut a, _) = connect(&endpoint);
    let (mut b, _) = connect(&endpoint);
    let (mut c, _) = connect(&endpoint);
    subscribe(&mut a, CHANNEL);
    subscribe(&mut b, CHANNEL);
    subscribe(&mut c, "chatrooms.2.v2");
    // Subscribing again is answered again and counted once.
    subscribe(&mut a, CHANNEL);
    assert_eq!(
        wait_stats(&endpoint, |s| s.subscriptions_now == 3).subscriptions_now,
        3
    );

    let data = "{\"content\":\"say \\\"hi\\\" \\\\o/ é 🎉\",\"n\":1}";
    endpoint.publish(CHANNEL, r"App\Events\ChatMessageEvent", data);
    // Written by hand: each `"` and `\` of the data escaped once more, non-ASCII kept as UTF-8.
    let expected = r#"{"event":"App\\Events\\ChatMessageEvent","channel":"chatrooms.1.v2","data":"{\"content\":\"say \\\"hi\\\" \\\\o/ é 🎉\",\"n\":1}"}"#;
    assert_eq!(text(&mut a), expected);
    assert_eq!(text(&mut b), expected);
    // pusher-js's decoding gives back the data as it was published.
    let decoded: Value = serde_json::from_str(&text_of(expected)).unwrap();
    assert_eq!(decoded["content"], "say \"hi\" \\o/ é 🎉");

    // c is on another channel: the next thing it gets is the event of its own channel.
    endpoint.publish("chatrooms.2.v2", "marker", "2");
    assert_eq!(
        text(&mut c),
        r#"{"event":"marker","channel":"chatrooms.2.v2","data":"2"}"#
    );
}

/// The `data` string of a frame, unescaped.
fn text_of(frame: &str) -> String {
    let v: Value = serde_json::from_str(frame).unwrap();
    v["data"].as_str().unwrap().to_owned()
}

#[test]
fn unsubscribe_stops_delivery() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    subscribe(&mut ws, CHANNEL);
    subscribe(&mut ws, "other");
    send(
        &mut ws,
        &format!(r#"{{"event":"pusher:unsubscribe","data":{{"channel":"{CHANNEL}"}}}}"#),
    );
    ping(&mut ws); // the unsubscribe is handled
    assert_eq!(endpoint.stats().subscriptions_now, 1);
    endpoint.publish(CHANNEL, "lost", "1");
    endpoint.publish("other", "kept", "2");
    assert_eq!(
        text(&mut ws),
        r#"{"event":"kept","channel":"other","data":"2"}"#
    );
}

#[test]
fn pusher_and_websocket_pings_are_answered() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    ping(&mut ws);
    // sockudo's clients (and Java's) send the ping without data.
    send(&mut ws, r#"{"event":"pusher:ping"}"#);
    assert_eq!(text(&mut ws), r#"{"event":"pusher:pong","data":"{}"}"#);
    ws.send(Message::Ping(b"abc".to_vec().into())).unwrap();
    match ws.read().unwrap() {
        Message::Pong(p) => assert_eq!(&p[..], b"abc"),
        other => panic!("expected a pong, got {other:?}"),
    }
}

#[test]
fn private_and_presence_channels_are_refused_and_the_connection_kept() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    for channel in ["private-x", "presence-room"] {
        send(
            &mut ws,
            &format!(
                r#"{{"event":"pusher:subscribe","data":{{"auth":"k:sig","channel":"{channel}"}}}}"#
            ),
        );
        let error: Value = serde_json::from_str(&text(&mut ws)).unwrap();
        assert_eq!(error["event"], "pusher:error");
        // sockudo's answer to a subscription it cannot authorize: 4009, not fatal.
        assert_eq!(error["data"]["code"], 4009);
        assert!(
            error["data"]["message"].as_str().unwrap().contains(channel),
            "{error}"
        );
    }
    ping(&mut ws);
    assert_eq!(endpoint.stats().subscriptions_now, 0);
    assert_eq!(endpoint.stats().bad_client_messages, 2);
}

#[test]
fn client_events_bad_json_and_unknown_events_get_pusher_error_and_the_connection_stays() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    subscribe(&mut ws, CHANNEL);
    send(
        &mut ws,
        r#"{"event":"client-typing","channel":"chatrooms.1.v2","data":{}}"#,
    );
    assert_eq!(
        text(&mut ws),
        r#"{"event":"pusher:error","data":{"code":4301,"message":"Client event error: client events are not accepted by this relay"}}"#
    );
    send(&mut ws, "{not json");
    assert_eq!(
        text(&mut ws),
        r#"{"event":"pusher:error","data":{"code":null,"message":"Invalid JSON: a message is one JSON object"}}"#
    );
    send(&mut ws, r#"{"event":"pusher:signin","data":{}}"#);
    assert_eq!(
        text(&mut ws),
        r#"{"event":"pusher:error","data":{"code":null,"message":"Unsupported event: pusher:signin"}}"#
    );
    send(
        &mut ws,
        r#"{"event":"pusher:subscribe","data":{"channel":"bad name"}}"#,
    );
    assert_eq!(
        text(&mut ws),
        r#"{"event":"pusher:error","data":{"code":null,"message":"Invalid channel name"}}"#
    );
    // Still subscribed, still served.
    endpoint.publish(CHANNEL, "after", "{}");
    assert_eq!(
        text(&mut ws),
        r#"{"event":"after","channel":"chatrooms.1.v2","data":"{}"}"#
    );
    assert_eq!(endpoint.stats().bad_client_messages, 4);
}

#[test]
fn a_binary_frame_closes_with_1003() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    ws.send(Message::Binary(vec![1, 2, 3].into())).unwrap();
    let (texts, code) = until_close(&mut ws);
    assert_eq!((texts.len(), code), (0, 1003));
    wait_stats(&endpoint, |s| {
        s.clients_now == 0 && s.bad_client_messages == 1
    });
}

#[test]
fn a_fragmented_message_is_put_together() {
    let endpoint = start(Config::default());
    let (ws, _) = connect(&endpoint);
    let mut stream = ws.into_inner();
    // Hand-made masked frames (mask 0): text "{\"event\":\"pusher:" not final, then the rest.
    let (first, rest) = (&b"{\"event\":\"pusher:"[..], &b"ping\"}"[..]);
    let mut bytes = vec![0x01, 0x80 | first.len() as u8, 0, 0, 0, 0];
    bytes.extend_from_slice(first);
    bytes.extend_from_slice(&[0x80, 0x80 | rest.len() as u8, 0, 0, 0, 0]);
    bytes.extend_from_slice(rest);
    stream.write_all(&bytes).unwrap();
    let pong = br#"{"event":"pusher:pong","data":"{}"}"#;
    let mut got = vec![0; 2 + pong.len()];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(got[..2], [0x81, pong.len() as u8]);
    assert_eq!(&got[2..], pong);
}

#[test]
fn a_stalled_client_is_closed_with_4100_while_another_gets_every_event() {
    let config = Config {
        queue_frames: 8,
        queue_bytes: 1 << 20,
        ..Config::default()
    };
    let endpoint = Arc::new(start(config));
    let (mut stalled, _) = connect(&endpoint);
    subscribe(&mut stalled, CHANNEL);
    let (mut good, _) = connect(&endpoint);
    subscribe(&mut good, CHANNEL);

    let (tx, received) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        while let Ok(Message::Text(t)) = good.read() {
            if tx.send(t.as_str().to_owned()).is_err() {
                break;
            }
        }
    });
    // 16 KiB events until the stalled client's socket buffers and then its queue are full
    // (loopback buffers are a few MiB, so this takes some hundreds); each is waited for at the
    // good client, so its own queue never holds more than one.
    let filler = "x".repeat(16 * 1024);
    let mut sent = 0;
    let mut after_drop = 0;
    while after_drop < 5 {
        assert!(
            sent < 4000,
            "the stalled client was never dropped: {:?}",
            endpoint.stats()
        );
        endpoint.publish(CHANNEL, "e", &format!("{sent}:{filler}"));
        let got = received
            .recv_timeout(WAIT)
            .expect("the good client stopped receiving");
        assert!(
            got.starts_with(&format!(
                r#"{{"event":"e","channel":"chatrooms.1.v2","data":"{sent}:"#
            )),
            "{}",
            &got[..60]
        );
        sent += 1;
        if endpoint.stats().slow_clients_dropped == 1 {
            after_drop += 1;
        }
    }
    let stats = endpoint.stats();
    assert_eq!(
        (
            stats.slow_clients_dropped,
            stats.clients_now,
            stats.subscriptions_now
        ),
        (1, 1, 1)
    );

    // The stalled client, reading at last: a prefix of the events in order, then Pusher's
    // error and the close, both 4100.
    let (texts, code) = until_close(&mut stalled);
    assert_eq!(code, 4100);
    let (error, events) = texts.split_last().unwrap();
    assert_eq!(
        error,
        r#"{"event":"pusher:error","data":{"code":4100,"message":"Over capacity"}}"#
    );
    assert!(!events.is_empty() && events.len() < sent);
    for (i, event) in events.iter().enumerate() {
        assert!(
            event.contains(&format!(r#""data":"{i}:x"#)),
            "event {i} out of order"
        );
    }
    drop(received);
    endpoint.publish(CHANNEL, "e", "last"); // lets the reader see its channel closed
    reader.join().unwrap();
}

/// An endpoint with short activity and pong timeouts (milliseconds).
fn with_timers(activity: u64, pong: u64) -> Endpoint {
    start(Config {
        activity_timeout: Duration::from_millis(activity),
        pong_timeout: Duration::from_millis(pong),
        ..Config::default()
    })
}

#[test]
fn a_silent_client_gets_pusher_ping_then_close_4201() {
    let endpoint = with_timers(300, 300);
    let (mut ws, hello) = connect(&endpoint);
    // Announced in whole seconds, at least 1.
    assert!(hello.contains(r#"\"activity_timeout\":1}"#), "{hello}");
    assert_eq!(text(&mut ws), r#"{"event":"pusher:ping","data":"{}"}"#);
    let (texts, code) = until_close(&mut ws);
    assert_eq!(
        texts,
        [
            r#"{"event":"pusher:error","data":{"code":4201,"message":"Pong reply not received in time"}}"#
        ]
    );
    assert_eq!(code, 4201);
    assert_eq!(
        wait_stats(&endpoint, |s| s.activity_timeouts == 1).clients_now,
        0
    );
}

#[test]
fn a_client_that_answers_the_ping_stays() {
    let endpoint = with_timers(200, 300);
    let (mut ws, _) = connect(&endpoint);
    subscribe(&mut ws, CHANNEL);
    for _ in 0..3 {
        assert_eq!(text(&mut ws), r#"{"event":"pusher:ping","data":"{}"}"#);
        send(&mut ws, r#"{"event":"pusher:pong","data":{}}"#);
    }
    endpoint.publish(CHANNEL, "still", "here");
    // Another ping may come first; the event must come.
    loop {
        let t = text(&mut ws);
        if t.contains("still") {
            break;
        }
        assert_eq!(t, r#"{"event":"pusher:ping","data":"{}"}"#);
        send(&mut ws, r#"{"event":"pusher:pong","data":{}}"#);
    }
    assert_eq!(endpoint.stats().activity_timeouts, 0);
}

#[test]
fn shutdown_closes_clients_with_1001() {
    let endpoint = start(Config::default());
    let (mut ws, _) = connect(&endpoint);
    endpoint.shutdown();
    let (texts, code) = until_close(&mut ws);
    assert_eq!((texts.len(), code), (0, 1001));
    // Later calls do nothing, and connecting is refused.
    endpoint.shutdown();
    endpoint.publish(CHANNEL, "e", "after");
    assert!(TcpStream::connect(endpoint.local_addr()).is_err());
}

/// One raw HTTP/1.1 exchange: the whole answer (the endpoint closes after it).
fn http(endpoint: &Endpoint, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(endpoint.local_addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8(answer).unwrap()
}

#[test]
fn plain_http_goes_to_the_hook_or_gets_404() {
    let bare = start(Config::default());
    let answer = http(&bare, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 404 Not Found\r\n"), "{answer}");

    let handler = Arc::new(|request: &kickwire_cli::endpoint::Request| {
        Response::text(
            200,
            &format!(
                "{} {} {} {}",
                request.method,
                request.path,
                request.query,
                String::from_utf8_lossy(&request.body)
            ),
        )
    });
    let hooked = start(Config {
        http_handler: Some(handler),
        ..Config::default()
    });
    let answer = http(
        &hooked,
        b"POST /metrics?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(
        answer,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 23\r\nConnection: close\r\n\r\nPOST /metrics a=1 hello"
    );
    let big = format!(
        "POST /x HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
        64 * 1024 + 1
    );
    assert!(http(&hooked, big.as_bytes()).starts_with("HTTP/1.1 413 "));
    // A WebSocket upgrade on a path that is not /app/KEY.
    let upgrade = b"GET /other HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    assert!(http(&hooked, upgrade).starts_with("HTTP/1.1 404 "));
    assert_eq!(hooked.stats().http_requests, 3);
    assert_eq!(hooked.stats().clients_total, 0);
}

#[test]
fn the_upgrade_answer_is_rfc_6455s() {
    let endpoint = start(Config::default());
    let request = b"GET /app/key?protocol=7 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    let mut stream = TcpStream::connect(endpoint.local_addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request).unwrap();
    let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    let mut got = vec![0; head.len()];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(String::from_utf8(got).unwrap(), head);
}

#[test]
fn clients_over_the_limit_get_503() {
    let endpoint = start(Config {
        max_clients: 1,
        ..Config::default()
    });
    let (_first, _) = connect(&endpoint);
    let upgrade = b"GET /app/key HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    assert!(http(&endpoint, upgrade).starts_with("HTTP/1.1 503 "));
    assert_eq!(endpoint.stats().refused_over_capacity, 1);
}

#[test]
fn a_request_whose_sender_then_shuts_its_side_is_still_answered() {
    // curl-like clients may send the request and their end of the stream at once.
    let endpoint = start(Config::default());
    let mut stream = TcpStream::connect(endpoint.local_addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\n\r\n").unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{answer:?}"
    );
}

#[test]
fn the_endpoint_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Endpoint>();
}
