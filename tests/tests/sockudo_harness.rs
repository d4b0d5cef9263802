//! Proves the sockudo harness (`kickwire_tests::sockudo`) against the real server, with a raw
//! tungstenite client speaking Pusher protocol 7 by hand (deliberately not kickwire's own
//! connection code, which these servers exist to test later).
//!
//! Needs the binary: `bash scripts/sockudo.sh install` (scripts/test.sh runs it first).
//!
//! Expected values are written out by hand from the vector lines in
//! `tests/vectors/kick/ChatMessageEvent.jsonl` and from the Pusher protocol docs; none is
//! produced by the code under test. Every read has a deadline, so a silent server fails a test
//! instead of hanging it.

use kickwire_proto::kick::Event;
use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::{Message as Decoded, Transport, decode};
use kickwire_tests::sockudo::{ApiError, Options, Sockudo, signed_target};
use kickwire_tests::vectors_dir;
use serde_json::{Value, json};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use tungstenite::protocol::CloseFrame;
use tungstenite::{Message, WebSocket};

type Ws = WebSocket<TcpStream>;

/// Kick's public channel naming; any valid public channel works on sockudo.
const CHANNEL: &str = "chatrooms.12345.v2";

// ---------------------------------------------------------------------------------------------
// A minimal raw Pusher client.

/// What one read produced, WebSocket control frames skipped.
#[derive(Debug)]
enum Received {
    /// A text message, parsed as JSON.
    Event(Value),
    /// A close frame: its code (1005 when it had none) and reason.
    Close(u16, String),
}

/// Opens a WebSocket to the server as pusher-js 8.4.0 would (same URL).
fn connect(server: &Sockudo) -> Ws {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port()));
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connect {addr}: {e}\n{}", server.log()));
    // The handshake itself must not hang either; reads later set their own deadlines.
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    stream.set_nodelay(true).expect("nodelay");
    let (ws, response) = tungstenite::client(server.ws_url(), stream)
        .unwrap_or_else(|e| panic!("WebSocket handshake: {e}\n{}", server.log()));
    assert_eq!(response.status().as_u16(), 101);
    ws
}

/// The next text or close frame, waiting at most `within`.
fn next(ws: &mut Ws, server: &Sockudo, within: Duration) -> Received {
    let deadline = Instant::now() + within;
    // Bounded: each turn either returns or consumes one WebSocket ping/pong frame, and the
    // deadline caps the whole wait.
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "nothing received within {within:?}\n--- sockudo log ---\n{}",
            server.log()
        );
        ws.get_mut()
            .set_read_timeout(Some(left))
            .expect("read timeout");
        match ws.read() {
            Ok(Message::Text(text)) => {
                let value = serde_json::from_str(text.as_str())
                    .unwrap_or_else(|e| panic!("frame is not JSON ({e}): {text}"));
                return Received::Event(value);
            }
            Ok(Message::Close(frame)) => {
                let (code, reason) = frame.map_or((1005, String::new()), |f: CloseFrame| {
                    (u16::from(f.code), f.reason.as_str().to_owned())
                });
                return Received::Close(code, reason);
            }
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)) => {}
            Ok(Message::Binary(b)) => panic!("unexpected binary frame ({} bytes)", b.len()),
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("WebSocket read: {e}\n--- sockudo log ---\n{}", server.log()),
        }
    }
}

/// The next frame, which must be a Pusher event named `name`.
fn expect_event(ws: &mut Ws, server: &Sockudo, name: &str, within: Duration) -> Value {
    match next(ws, server, within) {
        Received::Event(v) if v["event"] == name => v,
        other => panic!(
            "expected {name}, got {other:?}\n--- sockudo log ---\n{}",
            server.log()
        ),
    }
}

fn send(ws: &mut Ws, frame: &Value) {
    ws.send(Message::text(frame.to_string()))
        .expect("WebSocket send");
}

/// Reads `pusher:connection_established` and returns its decoded `data` object (sent, as every
/// server event of protocol 7, as a JSON string).
fn established(ws: &mut Ws, server: &Sockudo) -> Value {
    let frame = expect_event(
        ws,
        server,
        "pusher:connection_established",
        Duration::from_secs(5),
    );
    let data = frame["data"]
        .as_str()
        .unwrap_or_else(|| panic!("connection_established data is not a string: {frame}"));
    serde_json::from_str(data).unwrap_or_else(|e| panic!("data is not JSON ({e}): {data}"))
}

/// Subscribes to a public channel and waits for the server's confirmation.
fn subscribe(ws: &mut Ws, server: &Sockudo, channel: &str) {
    send(
        ws,
        &json!({"event": "pusher:subscribe", "data": {"auth": "", "channel": channel}}),
    );
    let ok = expect_event(
        ws,
        server,
        "pusher_internal:subscription_succeeded",
        Duration::from_secs(5),
    );
    assert_eq!(ok["channel"], channel, "{ok}");
}

/// Line `index` (0-based) of a vector file, parsed: `{"event", "data", "channel"}`.
fn vector_line(file: &str, index: usize) -> Value {
    let path = vectors_dir().join("kick").join(file);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let line = text
        .lines()
        .nth(index)
        .unwrap_or_else(|| panic!("{} has no line {}", path.display(), index + 1));
    serde_json::from_str(line).expect("vector line is JSON")
}

/// Decodes one received frame with kickwire-proto; it must hold exactly one Kick event.
fn decode_kick(frame: &str) -> (String, Event) {
    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let mut messages: Vec<_> = decode(frame.as_bytes(), &mut scratch).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    match messages.pop() {
        Some(Ok(Decoded::Kick {
            transport: Transport::Pusher,
            channel,
            event,
        })) => (channel.as_str().to_owned(), event),
        other => panic!("not a Pusher Kick event: {other:?}\nframe: {frame}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Tests.

/// The signing the harness uses, checked against the worked example of Pusher's REST API docs
/// ("Worked authentication example": key 278d425bdf160c739803, secret 7ad3773142a6692b25b8,
/// timestamp 1353088179). No server needed.
#[test]
fn signing_matches_the_pusher_docs_example() {
    let body = br#"{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}"#;
    let target = signed_target(
        "278d425bdf160c739803",
        "7ad3773142a6692b25b8",
        "POST",
        "/apps/3/events",
        body,
        1_353_088_179,
    );
    assert_eq!(
        target,
        "/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179\
         &auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f\
         &auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
    );
}

/// Connect, `pusher:connection_established`, subscribe, `subscription_succeeded`: the exact
/// frames of the protocol, from the real server.
#[test]
fn connects_and_subscribes() {
    let server = Sockudo::start(Options::default());
    let mut ws = connect(&server);
    let data = established(&mut ws, &server);
    assert_eq!(data["activity_timeout"], 120, "{data}");
    // socket_id is two decimal numbers joined by a dot (Pusher's format).
    let socket_id = data["socket_id"].as_str().expect("socket_id string");
    let parts: Vec<&str> = socket_id.split('.').collect();
    assert!(
        parts.len() == 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        "socket_id {socket_id}"
    );

    send(
        &mut ws,
        &json!({"event": "pusher:subscribe", "data": {"auth": "", "channel": CHANNEL}}),
    );
    let ok = expect_event(
        &mut ws,
        &server,
        "pusher_internal:subscription_succeeded",
        Duration::from_secs(5),
    );
    assert_eq!(ok["channel"], CHANNEL);
    assert_eq!(
        ok["data"], "{}",
        "a public channel confirms with data \"{{}}\""
    );

    // A client ping gets a pong (sockudo's has no data member; Pusher's has "{}").
    send(&mut ws, &json!({"event": "pusher:ping", "data": {}}));
    expect_event(&mut ws, &server, "pusher:pong", Duration::from_secs(5));
}

/// Real vectors published through the signed HTTP API arrive unchanged and decode to the chat
/// messages the vector lines spell out.
#[test]
fn triggered_vectors_arrive_and_decode() {
    let server = Sockudo::start(Options::default());
    let mut ws = connect(&server);
    established(&mut ws, &server);

    // Line 2: a message with an emote, two badges (one counted) and metadata.message_ref.
    let vector = vector_line("ChatMessageEvent.jsonl", 1);
    let (event_name, channel, data) = (
        vector["event"].as_str().expect("event"),
        vector["channel"].as_str().expect("channel"),
        vector["data"].as_str().expect("data"),
    );
    assert_eq!(event_name, r"App\Events\ChatMessageEvent");
    assert_eq!(channel, "chatrooms.1221707.v2");
    subscribe(&mut ws, &server, channel);
    let t0 = Instant::now();
    let answer = server
        .trigger(channel, event_name, data)
        .unwrap_or_else(|e| panic!("{e}\n--- sockudo log ---\n{}", server.log()));
    assert_eq!(answer, r#"{"ok":true}"#);
    let frame = expect_event(&mut ws, &server, event_name, Duration::from_secs(5));
    eprintln!("trigger -> frame received in {:?}", t0.elapsed());
    assert_eq!(frame["channel"], channel);
    assert_eq!(frame["data"], data, "the payload must arrive verbatim");

    let (decoded_channel, event) = decode_kick(&frame.to_string());
    assert_eq!(decoded_channel, "chatrooms.1221707.v2");
    let Event::ChatMessage(m) = event else {
        panic!("not a ChatMessage: {event:?}");
    };
    assert_eq!(m.id, "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932");
    assert_eq!(m.chatroom_id, 1_221_707);
    assert_eq!(
        m.content,
        "[emote:3989851:litneyspears4Max]on my way to show you love"
    );
    assert_eq!(m.kind, "message");
    // "2025-07-17T08:44:56+00:00" = 1752741896 s since the epoch (`date -u -d` agrees).
    assert_eq!(
        m.created_at.map(|t| t.unix_millis()),
        Some(1_752_741_896_000)
    );
    assert_eq!(m.sender.id, 3_528_468);
    assert_eq!(m.sender.username, "OhLookItsMax");
    assert_eq!(m.sender.slug, "ohlookitsmax");
    assert_eq!(m.sender.identity.color, "#FF9D00");
    let badges: Vec<(&str, &str, Option<u32>)> = m
        .sender
        .identity
        .badges
        .as_slice()
        .iter()
        .map(|b| (b.kind.as_str(), b.text.as_str(), b.count))
        .collect();
    assert_eq!(
        badges,
        [("vip", "VIP", None), ("subscriber", "Subscriber", Some(26))]
    );
    let metadata = m.metadata.expect("metadata");
    assert_eq!(
        metadata.message_ref.as_ref().map(|r| r.as_str()),
        Some("1752741896375")
    );

    // Line 4: a celebration whose content is the escaped surrogate pair \ud83c\udf89, i.e.
    // U+1F389 PARTY POPPER; the escapes must survive the server's re-encoding.
    let vector = vector_line("ChatMessageEvent.jsonl", 3);
    let (channel, data) = (
        vector["channel"].as_str().expect("channel"),
        vector["data"].as_str().expect("data"),
    );
    assert_eq!(channel, "chatrooms.31047538.v2");
    assert!(data.contains(r#""content":"\ud83c\udf89""#), "{data}");
    subscribe(&mut ws, &server, channel);
    server
        .trigger(channel, r"App\Events\ChatMessageEvent", data)
        .unwrap_or_else(|e| panic!("{e}\n--- sockudo log ---\n{}", server.log()));
    let frame = expect_event(
        &mut ws,
        &server,
        r"App\Events\ChatMessageEvent",
        Duration::from_secs(5),
    );
    assert_eq!(frame["data"], data, "the payload must arrive verbatim");
    let (_, event) = decode_kick(&frame.to_string());
    let Event::ChatMessage(m) = event else {
        panic!("not a ChatMessage: {event:?}");
    };
    assert_eq!(m.id, "1fc36aef-d1c8-4af3-841f-0d38574b73c3");
    assert_eq!(m.chatroom_id, 31_047_538);
    assert_eq!(m.content, "\u{1F389}");
    assert_eq!(m.kind, "celebration");
    assert_eq!(m.sender.username, "jerkpupputo");
    let celebration = m
        .metadata
        .and_then(|md| md.celebration)
        .expect("celebration");
    assert_eq!(celebration.id, "chceleb_01K0518CW5PNSCAWDSXZY5806C");
    assert_eq!(celebration.kind, "subscription_renewed");
    assert_eq!(celebration.total_months, Some(2));
}

/// The HTTP API rejects what Pusher rejects, and the harness reports status and body: event
/// data over 10 KB gives 413.
#[test]
fn trigger_reports_http_errors() {
    let server = Sockudo::start(Options::default());
    let too_big = format!(r#"{{"content":"{}"}}"#, "x".repeat(11 * 1024));
    match server.trigger(CHANNEL, "too-big", &too_big) {
        Err(ApiError::Status { status, body }) => {
            assert_eq!(status, 413, "{body}");
            assert!(body.contains("payload_too_large"), "{body}");
        }
        other => panic!("expected HTTP 413, got {other:?}"),
    }
}

/// With `activity_timeout_s: 2` a silent client gets `pusher:ping` after about 2 s; answering
/// `pusher:pong` keeps the socket: the server's pong window (a fixed 30 s) passes without a
/// 4201 close, the next ping comes, and events still flow. About 35 s.
#[test]
fn server_ping_answered_with_pong_keeps_the_socket() {
    let server = Sockudo::start(Options {
        activity_timeout_s: 2,
        ..Options::default()
    });
    let mut ws = connect(&server);
    let data = established(&mut ws, &server);
    assert_eq!(data["activity_timeout"], 2, "{data}");
    subscribe(&mut ws, &server, CHANNEL);

    // Silence from here: the subscribe was our last message.
    let silent_since = Instant::now();
    expect_event(&mut ws, &server, "pusher:ping", Duration::from_secs(6));
    let first_ping = silent_since.elapsed();
    eprintln!("first server ping after {first_ping:?} of silence");
    assert!(first_ping >= Duration::from_millis(1500), "{first_ping:?}");
    send(&mut ws, &json!({"event": "pusher:pong", "data": {}}));

    // Without the pong the server would close with 4201 at +30 s (next test); with it, the
    // next ping comes at about +30 s + 2 s.
    let pong_sent = Instant::now();
    match next(&mut ws, &server, Duration::from_secs(45)) {
        Received::Event(v) if v["event"] == "pusher:ping" => {}
        other => panic!(
            "expected a second pusher:ping, got {other:?}\n{}",
            server.log()
        ),
    }
    eprintln!(
        "second server ping {:?} after the pong",
        pong_sent.elapsed()
    );
    send(&mut ws, &json!({"event": "pusher:pong", "data": {}}));

    let answer = server.trigger(CHANNEL, "still-here", r#"{"n":1}"#);
    assert!(answer.is_ok(), "{answer:?}");
    let frame = expect_event(&mut ws, &server, "still-here", Duration::from_secs(5));
    assert_eq!(frame["data"], r#"{"n":1}"#);
}

/// The control for the test above: the same silence without a pong ends in `pusher:error`
/// 4201 and a close 4201, 30 s after the ping. About 33 s.
#[test]
fn server_ping_without_pong_closes_4201() {
    let server = Sockudo::start(Options {
        activity_timeout_s: 2,
        ..Options::default()
    });
    let mut ws = connect(&server);
    established(&mut ws, &server);
    expect_event(&mut ws, &server, "pusher:ping", Duration::from_secs(6));
    let ping_at = Instant::now();
    let error = expect_event(&mut ws, &server, "pusher:error", Duration::from_secs(45));
    assert_eq!(error["data"]["code"], 4201, "{error}");
    match next(&mut ws, &server, Duration::from_secs(5)) {
        Received::Close(4201, _) => {}
        other => panic!("expected close 4201, got {other:?}"),
    }
    eprintln!("4201 {:?} after the ping", ping_at.elapsed());
}

/// `stop()` (SIGTERM) closes live sockets with `pusher:error` 4200 and close 4200; the port is
/// then dead; `start_again()` serves new connections on the same port.
#[test]
fn stop_closes_4200_and_start_again_serves() {
    let mut server = Sockudo::start(Options::default());
    let port = server.port();
    let mut ws = connect(&server);
    established(&mut ws, &server);
    subscribe(&mut ws, &server, CHANNEL);

    let t0 = Instant::now();
    let status = server.stop();
    let stop_took = t0.elapsed();
    eprintln!("stop() took {stop_took:?}, exit status {status:?}");
    assert!(
        status.is_some(),
        "sockudo needed SIGKILL after {stop_took:?}\n{}",
        server.log()
    );
    assert!(!server.is_running());

    // The frames were sent before the process exited; they wait in our socket buffer.
    let error = expect_event(&mut ws, &server, "pusher:error", Duration::from_secs(5));
    assert_eq!(error["data"]["code"], 4200, "{error}");
    match next(&mut ws, &server, Duration::from_secs(5)) {
        Received::Close(4200, reason) => eprintln!("close 4200 {reason:?}"),
        other => panic!("expected close 4200, got {other:?}"),
    }
    let refused = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_secs(2),
    );
    assert!(refused.is_err(), "port {port} still accepts after stop()");

    let t0 = Instant::now();
    server.start_again();
    eprintln!("start_again() ready in {:?}", t0.elapsed());
    assert_eq!(server.port(), port);
    let mut ws = connect(&server);
    established(&mut ws, &server);
    subscribe(&mut ws, &server, CHANNEL);
    server
        .trigger(CHANNEL, "after-restart", r#"{"n":2}"#)
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    let frame = expect_event(&mut ws, &server, "after-restart", Duration::from_secs(5));
    assert_eq!(frame["data"], r#"{"n":2}"#);
}

/// Start-to-ready time, for the record (printed with `--nocapture`), and a bound on it.
#[test]
fn starts_within_the_ready_timeout() {
    let t0 = Instant::now();
    let server = Sockudo::start(Options::default());
    let took = t0.elapsed();
    eprintln!("start() -> ready in {took:?} on port {}", server.port());
    assert!(took < kickwire_tests::sockudo::READY_TIMEOUT);
}
