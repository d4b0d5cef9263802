//! Proof that `kickwire_tests::centrifugo::CentrifugoServer` speaks Centrifugo's JSON client
//! protocol: the official JavaScript client (`centrifuge` 5.8.0 on npm, driven by
//! `tests/centrifuge-js/client.mjs` under node) connects, subscribes, answers pings, refreshes
//! its token and receives publications from it. Expected frames come from the reconstructed
//! Kick vector (`vectors/kick/reconstructed/centrifugo_json_protocol.jsonl`) and from what the
//! JS client does, never from the server under test. A raw tungstenite client then checks the
//! paths the JS client hides (close codes, pushes on the wire).
//!
//! Needs node and the npm packages of `tests/centrifuge-js` (installed here with `npm ci` when
//! `node_modules` is missing; `scripts/test.sh` does that first).

use kickwire_tests::centrifugo::{CentrifugoServer, ServerClose};
use kickwire_tests::centrifugo_vector::{
    VECTOR_CHANNEL, chat_message_data, vector_line, vector_publication_data,
};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tungstenite::protocol::WebSocket;
use tungstenite::{Error as WsError, Message};

/// The channel of the reconstructed vector (Kick's chat channel naming, `chatrooms.<id>.v2`).
const CHANNEL: &str = VECTOR_CHANNEL;
const WAIT: Duration = Duration::from_secs(10);

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("centrifuge-js")
}

/// Runs `cmd` to completion or kills it after `limit`; returns whether it exited 0, with output.
fn run_bounded(mut cmd: Command, limit: Duration) -> Result<(), String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let output = collect(child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(format!("{cmd:?}: {status}\n{}", output.join().unwrap()));
            }
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{cmd:?}: killed after {limit:?}"));
            }
        }
    }
}

fn collect(
    mut out: impl Read + Send + 'static,
    mut err: impl Read + Send + 'static,
) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        let _ = err.read_to_string(&mut text);
        text
    })
}

/// Installs the pinned npm packages once per test run, only when `node_modules` is missing.
fn ensure_npm_packages() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        let modules = js_dir().join("node_modules");
        if modules.join("centrifuge/package.json").is_file()
            && modules.join("ws/package.json").is_file()
        {
            return Ok(());
        }
        let mut cmd = Command::new("npm");
        cmd.args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(js_dir());
        run_bounded(cmd, Duration::from_secs(300))
    });
    if let Err(e) = result {
        panic!("npm ci in tests/centrifuge-js failed (node and npm are needed): {e}");
    }
}

/// One `node client.mjs` run; its stdout JSON lines are collected as they come.
struct JsClient {
    child: Child,
    events: Arc<Mutex<Vec<Value>>>,
    stderr: Arc<Mutex<String>>,
}

struct JsOptions<'a> {
    token: &'a str,
    count: usize,
    timeout_ms: u64,
    refresh_tokens: &'a [&'a str],
}

impl Default for JsOptions<'_> {
    fn default() -> Self {
        JsOptions {
            token: "guest-jwt",
            count: 0,
            timeout_ms: 20_000,
            refresh_tokens: &[],
        }
    }
}

impl JsClient {
    fn spawn(server: &CentrifugoServer, opts: JsOptions<'_>) -> JsClient {
        ensure_npm_packages();
        let mut cmd = Command::new("node");
        cmd.current_dir(js_dir())
            .arg("client.mjs")
            .args([
                "--url",
                &server.url(),
                "--token",
                opts.token,
                "--channel",
                CHANNEL,
            ])
            .args(["--count", &opts.count.to_string()])
            .args(["--timeout-ms", &opts.timeout_ms.to_string()]);
        for token in opts.refresh_tokens {
            cmd.args(["--refresh-token", token]);
        }
        if std::env::var_os("KICKWIRE_JS_DEBUG").is_some() {
            cmd.arg("--debug");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node must be installed to run the official Centrifugo JS client");
        let events = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (ev, out) = (Arc::clone(&events), child.stdout.take().unwrap());
        thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let value = serde_json::from_str(&line).unwrap_or(Value::String(line));
                ev.lock().unwrap().push(value);
            }
        });
        let (er, mut err) = (Arc::clone(&stderr), child.stderr.take().unwrap());
        thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            er.lock().unwrap().push_str(&text);
        });
        JsClient {
            child,
            events,
            stderr,
        }
    }

    fn events(&self) -> Vec<Value> {
        self.events.lock().unwrap().clone()
    }

    /// Events named `name`, in order.
    fn named(&self, name: &str) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|e| e["event"] == name)
            .collect()
    }

    /// Waits for the `nth` (1-based) event named `name`.
    fn wait_nth(&self, name: &str, nth: usize) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.named(name).into_iter().nth(nth - 1) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no {name} #{nth} from the JS client; events: {:#?}\nstderr: {}",
                self.events(),
                self.stderr.lock().unwrap()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait(&self, name: &str) -> Value {
        self.wait_nth(name, 1)
    }

    /// Waits for node to exit; returns its exit code.
    fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "node did not exit; events: {:#?}",
                self.events()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for JsClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server() -> CentrifugoServer {
    let server = CentrifugoServer::start().expect("bind 127.0.0.1:0");
    server.set_version("6.9.2 PRO"); // what Kick's connect reply says (vector line 2)
    server
}

/// Commands the server received, without connection numbers.
fn commands(server: &CentrifugoServer) -> Vec<Value> {
    server.commands().into_iter().map(|(_, c)| c).collect()
}

fn is_pong(cmd: &Value) -> bool {
    cmd.as_object().is_some_and(|o| o.is_empty())
}

// ---------------------------------------------------------------------------------------------
// The official JS client against the server

#[test]
fn js_client_sends_kicks_frames_and_receives_the_vector_publication() {
    let server = server();
    server.accept_token("guest-jwt", Some(2700));
    let mut js = JsClient::spawn(
        &server,
        JsOptions {
            count: 1,
            ..Default::default()
        },
    );

    let connected = js.wait("connected");
    assert_eq!(connected["transport"], "websocket");
    js.wait("subscribed");
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));

    // The JS client's first WebSocket message is the connect and subscribe commands of the
    // vector (lines 1 and 3), byte for byte once the placeholder token is ours, batched with
    // `\n`: Kick's web client is this library.
    let first = &server.received()[0];
    let connect = vector_line(1).replace(
        "<JWT from POST web.kick.com/api/v1/realtime/auth/connection>",
        "guest-jwt",
    );
    assert_eq!(first.text, format!("{connect}\n{}", vector_line(3)));

    let data = vector_publication_data();
    assert_eq!(server.publish(CHANNEL, &data.to_string()), 1);
    let publication = js.wait("publication");
    assert_eq!(publication["channel"], CHANNEL);
    assert_eq!(
        publication["data"], data,
        "the JS client got the data exactly"
    );
    assert_eq!(js.wait_exit(), 0);
    assert_eq!(server.connections(), 1);
    assert!(
        server.server_closes().is_empty(),
        "{:?}",
        server.server_closes()
    );
}

#[test]
fn js_client_answers_each_ping_with_an_empty_command() {
    let server = server();
    server.accept_token("guest-jwt", None);
    server.set_ping(1, Some(Duration::from_millis(700)));
    let js = JsClient::spawn(&server, JsOptions::default());
    js.wait("subscribed");
    let started = Instant::now();

    // Two pings a second apart, each answered by `{}` (the JS client's pong) within the pong
    // timeout: otherwise the server would have closed with 3012.
    assert!(
        server.wait_until(WAIT, |s| commands(s).iter().filter(|c| is_pong(c)).count()
            >= 2),
        "pongs: {:?}",
        commands(&server)
    );
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "pings are a second apart"
    );
    assert!(
        server.server_closes().is_empty(),
        "{:?}",
        server.server_closes()
    );
    assert_eq!(server.connections(), 1);
    assert!(
        js.named("connecting").iter().all(|e| e["code"] == 0),
        "{:?}",
        js.events()
    );
    // Exactly one pong per ping, sent as a WebSocket message of its own.
    let pongs: Vec<_> = server
        .received()
        .into_iter()
        .filter(|f| f.text == "{}")
        .collect();
    assert!(pongs.len() >= 2);
}

#[test]
fn js_client_sends_no_pong_when_the_connect_reply_has_no_pong_flag() {
    // The vector's connect reply (line 2) has `"ping":25` and no `"pong":true`; the JS client
    // sends `{}` only when `pong` is true (`_sendPong = result.pong === true`).
    let server = server();
    server.accept_token("guest-jwt", None);
    server.set_ping(1, None);
    let js = JsClient::spawn(&server, JsOptions::default());
    js.wait("subscribed");
    thread::sleep(Duration::from_millis(2300)); // two pings
    assert!(
        !commands(&server).iter().any(is_pong),
        "{:?}",
        commands(&server)
    );
    assert!(server.server_closes().is_empty());
    assert_eq!(server.connections(), 1);
    // Every server message, pings included, restarts its no-ping timer (ping + 10 s): still up.
    assert!(js.named("disconnected").is_empty() && js.named("connecting").len() == 1);
}

#[test]
fn js_client_refreshes_its_token_when_the_ttl_runs_out() {
    let server = server();
    server.accept_token("guest-jwt", Some(1));
    server.accept_token("second-jwt", Some(2700));
    let js = JsClient::spawn(
        &server,
        JsOptions {
            count: 1,
            refresh_tokens: &["second-jwt"],
            ..Default::default()
        },
    );
    js.wait("subscribed");
    assert!(server.wait_until(WAIT, |s| s.refresh_count() == 1));
    assert_eq!(js.wait("getToken")["token"], "second-jwt");

    // The refresh command has the vector's shape (line 7) with the new token.
    let expected: Value =
        serde_json::from_str(&vector_line(7).replace("<new JWT>", "second-jwt")).unwrap();
    assert!(
        commands(&server).contains(&expected),
        "{:?}",
        commands(&server)
    );

    // Same connection afterwards, and it still delivers.
    let data = vector_publication_data();
    assert_eq!(server.publish(CHANNEL, &data.to_string()), 1);
    assert_eq!(js.wait("publication")["data"], data);
    assert_eq!(server.connections(), 1);
    assert_eq!(
        server.refresh_count(),
        1,
        "ttl 2700 needs no second refresh"
    );
}

#[test]
fn js_client_gets_a_new_token_after_error_109_and_connects_again() {
    let server = server();
    server.expire_token("stale-jwt");
    server.accept_token("fresh-jwt", Some(2700));
    let js = JsClient::spawn(
        &server,
        JsOptions {
            token: "stale-jwt",
            refresh_tokens: &["fresh-jwt"],
            ..Default::default()
        },
    );
    let error = js.wait("error");
    assert_eq!(error["type"], "connect");
    assert_eq!(error["error"]["code"], 109);
    assert_eq!(error["error"]["message"], "token expired");
    assert_eq!(js.wait("getToken")["token"], "fresh-jwt");
    js.wait("connected");
    js.wait("subscribed");
    assert_eq!(
        server.connections(),
        2,
        "the client closed and dialed again"
    );
    // The second connection's first message carries the new token.
    let second = server.received().into_iter().find(|f| f.conn == 2).unwrap();
    assert_eq!(second.commands()[0]["connect"]["token"], "fresh-jwt");
    // The server kept the first message's subscribe unprocessed after the 109 (Centrifugo
    // stops at a connect error): one subscriber, on the second connection.
    assert_eq!(server.subscribers(CHANNEL), 1);
}

#[test]
fn js_client_receives_every_push_of_a_batched_message_in_order() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let js = JsClient::spawn(
        &server,
        JsOptions {
            count: 4,
            ..Default::default()
        },
    );
    js.wait("subscribed");
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));

    let mut data = vec![vector_publication_data()];
    data.extend(chat_message_data(3));
    let texts: Vec<String> = data.iter().map(Value::to_string).collect();
    let batch: Vec<(&str, &str)> = texts.iter().map(|t| (CHANNEL, t.as_str())).collect();
    assert_eq!(server.publish_batch(&batch), 1, "one WebSocket message");

    js.wait_nth("publication", 4);
    let got: Vec<Value> = js
        .named("publication")
        .iter()
        .map(|e| e["data"].clone())
        .collect();
    assert_eq!(got, data);
}

#[test]
fn js_client_resubscribes_on_unsubscribe_2500_and_ignores_the_vectors_unsub_key() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let js = JsClient::spawn(&server, JsOptions::default());
    js.wait("subscribed");
    let subscribes = |s: &CentrifugoServer| {
        commands(s)
            .iter()
            .filter(|c| c.get("subscribe").is_some())
            .count()
    };

    // Vector line 8 uses the key `unsub`; Centrifugo's Push message and the JS client call it
    // `unsubscribe`, so the client ignores this push.
    assert_eq!(server.send_raw(&vector_line(8)), 1);
    thread::sleep(Duration::from_millis(500));
    assert_eq!(js.named("subscribing").len(), 1, "{:?}", js.events());
    assert_eq!(subscribes(&server), 1);

    // A real unsubscribe push with code 2500: the client goes back to subscribing and
    // subscribes again on the same connection.
    assert_eq!(server.unsubscribe(CHANNEL, 2500, "insufficient state"), 1);
    let again = js.wait_nth("subscribing", 2);
    assert_eq!(
        (again["code"].clone(), again["reason"].clone()),
        (json!(2500), json!("insufficient state"))
    );
    js.wait_nth("subscribed", 2);
    assert_eq!(subscribes(&server), 2);
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));

    // Code 2000 (`server unsubscribe`) is final.
    assert_eq!(server.unsubscribe(CHANNEL, 2000, "server unsubscribe"), 1);
    let gone = js.wait("unsubscribed");
    assert_eq!(
        (gone["code"].clone(), gone["reason"].clone()),
        (json!(2000), json!("server unsubscribe"))
    );
    thread::sleep(Duration::from_millis(800)); // past the client's 500 ms minimum resubscribe delay
    assert_eq!(subscribes(&server), 2);
    assert_eq!(server.connections(), 1);
}

#[test]
fn js_client_reconnects_after_close_3001_and_stops_after_the_vectors_disconnect_push() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut js = JsClient::spawn(&server, JsOptions::default());
    js.wait("subscribed");

    // 3000-3499: the client reconnects (after its 500 ms-20 s backoff) and resubscribes.
    assert_eq!(server.disconnect(3001, "shutdown"), 1);
    let connecting = js.wait_nth("connecting", 2);
    assert_eq!(
        (connecting["code"].clone(), connecting["reason"].clone()),
        (json!(3001), json!("shutdown"))
    );
    js.wait_nth("connected", 2);
    js.wait_nth("subscribed", 2);
    assert_eq!(server.connections(), 2);

    // Vector line 9, a disconnect push with 3501 (3500-3999 are final): the client closes
    // the socket itself and stays disconnected.
    assert_eq!(server.send_raw(&vector_line(9)), 1);
    let disconnected = js.wait("disconnected");
    assert_eq!(
        (disconnected["code"].clone(), disconnected["reason"].clone()),
        (json!(3501), json!("bad request"))
    );
    assert_eq!(js.wait_exit(), 0);
    thread::sleep(Duration::from_millis(800));
    assert_eq!(
        server.connections(),
        2,
        "no reconnect after a terminal code"
    );
}

#[test]
fn js_client_stops_after_close_3500_invalid_token() {
    let server = server();
    // No token accepted: Centrifugo closes with 3500 `invalid token`, which is final.
    let mut js = JsClient::spawn(&server, JsOptions::default());
    let disconnected = js.wait("disconnected");
    assert_eq!(
        (disconnected["code"].clone(), disconnected["reason"].clone()),
        (json!(3500), json!("invalid token"))
    );
    assert_eq!(js.wait_exit(), 0);
    thread::sleep(Duration::from_millis(800));
    assert_eq!(server.connections(), 1);
    assert_eq!(
        server.server_closes(),
        vec![ServerClose {
            conn: 1,
            code: 3500,
            reason: "invalid token".into()
        }]
    );
}

#[test]
fn js_client_reconnects_and_resubscribes_after_a_server_restart() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let js = JsClient::spawn(
        &server,
        JsOptions {
            count: 1,
            ..Default::default()
        },
    );
    js.wait("subscribed");

    server.restart().unwrap(); // drops the connection without a Close frame
    let connecting = js.wait_nth("connecting", 2);
    assert_eq!(
        (connecting["code"].clone(), connecting["reason"].clone()),
        (json!(1), json!("transport closed"))
    );
    js.wait_nth("subscribed", 2);
    assert!(server.wait_until(WAIT, |s| s.subscribers(CHANNEL) == 1));
    assert_eq!(server.connections(), 2);

    let data = vector_publication_data();
    assert_eq!(server.publish(CHANNEL, &data.to_string()), 1);
    assert_eq!(js.wait("publication")["data"], data);
}

#[test]
fn js_client_retries_a_temporary_subscribe_error_and_gives_up_on_a_final_one() {
    let server = server();
    server.accept_token("guest-jwt", None);
    server.fail_subscribe(CHANNEL, 100, "internal server error");
    let js = JsClient::spawn(&server, JsOptions::default());
    // 100 comes with `"temporary":true`: the client reports it and subscribes again after its
    // resubscribe backoff (500 ms-20 s), on the same connection.
    let error = js.wait("sub_error");
    assert_eq!(error["type"], "subscribe");
    assert_eq!(error["error"]["code"], 100);
    assert_eq!(error["error"]["temporary"], true);
    server.allow_subscribe(CHANNEL);
    js.wait("subscribed");
    assert_eq!(server.connections(), 1);

    // 103 is final: the subscription ends as unsubscribed with the error's code.
    let server = self::server();
    server.accept_token("guest-jwt", None);
    server.fail_subscribe(CHANNEL, 103, "permission denied");
    let js = JsClient::spawn(&server, JsOptions::default());
    let gone = js.wait("unsubscribed");
    assert_eq!(
        (gone["code"].clone(), gone["reason"].clone()),
        (json!(103), json!("permission denied"))
    );
    thread::sleep(Duration::from_millis(800));
    let subscribes = commands(&server)
        .iter()
        .filter(|c| c.get("subscribe").is_some())
        .count();
    assert_eq!(subscribes, 1, "no retry after a final error");
    assert!(js.named("sub_error").is_empty());
}

// ---------------------------------------------------------------------------------------------
// A raw client: what goes over the wire on the paths the JS client hides

type Raw = WebSocket<TcpStream>;

fn dial(server: &CentrifugoServer) -> Raw {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    tungstenite::client(server.url(), stream)
        .map_err(|e| e.to_string())
        .unwrap()
        .0
}

fn send(ws: &mut Raw, text: &str) {
    ws.send(Message::text(text)).unwrap();
}

/// The next text message (pings and other control frames are skipped).
fn recv(ws: &mut Raw) -> String {
    loop {
        match ws.read().unwrap() {
            Message::Text(t) => return t.to_string(),
            Message::Close(c) => panic!("closed: {c:?}"),
            _ => {}
        }
    }
}

/// Reads until the server's Close; returns its code and reason.
fn recv_close(ws: &mut Raw) -> (u16, String) {
    loop {
        match ws.read() {
            Ok(Message::Close(Some(frame))) => {
                return (frame.code.into(), frame.reason.to_string());
            }
            Ok(Message::Close(None)) => panic!("Close without a code"),
            Ok(_) => {}
            Err(e) => panic!("no Close frame: {e}"),
        }
    }
}

fn connect(ws: &mut Raw, token: &str) -> Value {
    send(
        ws,
        &json!({"connect": {"token": token, "name": "js"}, "id": 1}).to_string(),
    );
    serde_json::from_str(&recv(ws)).unwrap()
}

#[test]
fn raw_connect_reply_has_the_vectors_shape() {
    let server = server();
    server.accept_token("guest-jwt", Some(2700));
    let mut ws = dial(&server);
    let reply = connect(&mut ws, "guest-jwt");
    // Vector line 2 with the server's own client id; Centrifugo adds `"pong":true` when it
    // checks pongs (its default).
    let mut expected: Value = serde_json::from_str(&vector_line(2)).unwrap();
    let client = reply["connect"]["client"].as_str().unwrap().to_owned();
    assert_eq!(client.len(), 36, "a UUID: {client}");
    expected["connect"]["client"] = json!(client);
    expected["connect"]["pong"] = json!(true);
    assert_eq!(reply, expected);
    send(&mut ws, &vector_line(3));
    assert_eq!(
        serde_json::from_str::<Value>(&recv(&mut ws)).unwrap(),
        serde_json::from_str::<Value>(&vector_line(4)).unwrap()
    );
}

#[test]
fn raw_no_pong_closes_with_3012() {
    let server = server();
    server.accept_token("guest-jwt", None);
    server.set_ping(1, Some(Duration::from_millis(300)));
    let mut ws = dial(&server);
    let reply = connect(&mut ws, "guest-jwt");
    assert_eq!(
        (
            reply["connect"]["ping"].clone(),
            reply["connect"]["pong"].clone()
        ),
        (json!(1), json!(true))
    );
    assert_eq!(recv(&mut ws), "{}", "the server ping");
    let started = Instant::now();
    assert_eq!(recv_close(&mut ws), (3012, "no pong".into()));
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[test]
fn raw_pong_that_answers_no_ping_closes_with_3501() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut ws = dial(&server);
    connect(&mut ws, "guest-jwt");
    send(&mut ws, "{}");
    assert_eq!(recv_close(&mut ws), (3501, "bad request".into()));
}

#[test]
fn raw_command_before_connect_closes_with_3501() {
    let server = server();
    let mut ws = dial(&server);
    send(&mut ws, &vector_line(3));
    assert_eq!(recv_close(&mut ws), (3501, "bad request".into()));
}

#[test]
fn raw_expired_token_gets_error_109_then_no_more_commands() {
    let server = server();
    server.expire_token("stale-jwt");
    let mut ws = dial(&server);
    // connect and subscribe in one message, as the JS client sends them: the subscribe is
    // dropped after the connect error.
    send(
        &mut ws,
        &format!(
            "{}\n{}",
            json!({"connect": {"token": "stale-jwt", "name": "js"}, "id": 1}),
            vector_line(3)
        ),
    );
    let reply: Value = serde_json::from_str(&recv(&mut ws)).unwrap();
    assert_eq!(
        reply,
        json!({"id": 1, "error": {"code": 109, "message": "token expired"}})
    );
    send(
        &mut ws,
        &json!({"connect": {"token": "stale-jwt"}, "id": 2}).to_string(),
    );
    assert_eq!(recv_close(&mut ws), (3501, "bad request".into()));
}

#[test]
fn raw_refresh_with_expired_or_unknown_token_closes() {
    let server = server();
    server.accept_token("guest-jwt", Some(2700));
    server.expire_token("stale-jwt");
    let mut ws = dial(&server);
    connect(&mut ws, "guest-jwt");
    send(
        &mut ws,
        &json!({"refresh": {"token": "guest-jwt"}, "id": 2}).to_string(),
    );
    assert_eq!(
        serde_json::from_str::<Value>(&recv(&mut ws)).unwrap(),
        json!({"id": 2, "refresh": {"expires": true, "ttl": 2700}})
    );
    send(
        &mut ws,
        &json!({"refresh": {"token": "stale-jwt"}, "id": 3}).to_string(),
    );
    assert_eq!(recv_close(&mut ws), (3005, "connection expired".into()));

    let mut ws = dial(&server);
    connect(&mut ws, "guest-jwt");
    send(
        &mut ws,
        &json!({"refresh": {"token": "forged"}, "id": 2}).to_string(),
    );
    assert_eq!(recv_close(&mut ws), (3500, "invalid token".into()));
    assert_eq!(server.refresh_count(), 3);
}

#[test]
fn raw_unsubscribe_and_disconnect_pushes() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let mut ws = dial(&server);
    connect(&mut ws, "guest-jwt");
    send(&mut ws, &vector_line(3));
    recv(&mut ws);

    assert_eq!(server.unsubscribe(CHANNEL, 2500, "insufficient state"), 1);
    // The vector's line 8 with the key the JS client reads (`data.unsubscribe`).
    let expected: Value =
        serde_json::from_str(&vector_line(8).replace("\"unsub\"", "\"unsubscribe\"")).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&recv(&mut ws)).unwrap(),
        expected
    );
    assert_eq!(server.subscribers(CHANNEL), 0);

    // Two publications batched: one message, `\n` between them.
    send(&mut ws, &vector_line(3).replace("\"id\":2", "\"id\":3"));
    recv(&mut ws);
    let data = vector_publication_data().to_string();
    assert_eq!(
        server.publish_batch(&[(CHANNEL, &data), (CHANNEL, &data)]),
        1
    );
    let message = recv(&mut ws);
    let lines: Vec<Value> = message
        .split('\n')
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let push: Value = serde_json::from_str(&vector_line(5)).unwrap();
    assert_eq!(lines, vec![push.clone(), push]);

    // The vector's disconnect push (line 9), then the Close frame with the same code.
    assert_eq!(server.disconnect_with_push(3501, "bad request"), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&recv(&mut ws)).unwrap(),
        serde_json::from_str::<Value>(&vector_line(9)).unwrap()
    );
    assert_eq!(recv_close(&mut ws), (3501, "bad request".into()));
}

#[test]
fn raw_stop_drops_connections_and_restart_listens_on_the_same_port() {
    let server = server();
    server.accept_token("guest-jwt", None);
    let url = server.url();
    let mut ws = dial(&server);
    connect(&mut ws, "guest-jwt");
    server.stop();
    // No Close frame: the socket just ends.
    match ws.read() {
        Err(WsError::Io(e)) => assert_ne!(e.kind(), ErrorKind::WouldBlock),
        Err(WsError::Protocol(_) | WsError::ConnectionClosed) => {}
        other => panic!("expected a dropped connection, got {other:?}"),
    }
    assert_eq!(server.open_connections(), 0);
    server.restart().unwrap();
    assert_eq!(server.url(), url);
    let mut ws = dial(&server);
    assert_eq!(connect(&mut ws, "guest-jwt")["id"], 1);
    assert_eq!(server.connections(), 2);
}

#[test]
fn raw_handshake_checks_path_and_origin() {
    let server = server();
    let stream = TcpStream::connect(server.addr()).unwrap();
    let url = server.url().replace("/connection/websocket", "/other");
    match tungstenite::client(url, stream) {
        Err(tungstenite::HandshakeError::Failure(WsError::Http(resp))) => {
            assert_eq!(resp.status(), 404)
        }
        other => panic!("expected 404, got {:?}", other.map(|_| ())),
    }

    server.set_allowed_origin(Some("https://kick.com"));
    for (origin, ok) in [("https://evil.example", false), ("https://kick.com", true)] {
        let stream = TcpStream::connect(server.addr()).unwrap();
        let request = tungstenite::http::Request::builder()
            .uri(server.url())
            .header("Host", server.addr().to_string())
            .header("Origin", origin)
            .header("Connection", "Upgrade")
            .header("Upgrade", "websocket")
            .header("Sec-WebSocket-Version", "13")
            .header(
                "Sec-WebSocket-Key",
                tungstenite::handshake::client::generate_key(),
            )
            .body(())
            .unwrap();
        match tungstenite::client(request, stream) {
            Ok(_) => assert!(ok, "{origin} accepted"),
            Err(tungstenite::HandshakeError::Failure(WsError::Http(resp))) => {
                assert!(!ok, "{origin} refused");
                assert_eq!(resp.status(), 403);
            }
            Err(e) => panic!("{origin}: {e}"),
        }
    }
}

#[test]
fn raw_stale_and_expired_connections_are_closed() {
    let server = server();
    server.accept_token("short-jwt", Some(1));
    server.set_stale_close_delay(Duration::from_millis(300));
    server.set_expired_close_delay(Duration::from_millis(200));

    // No connect in time: 3502 `stale`.
    let mut ws = dial(&server);
    assert_eq!(recv_close(&mut ws), (3502, "stale".into()));

    // ttl 1 s and no refresh: 3005 `connection expired` once ttl + close delay have passed.
    let mut ws = dial(&server);
    let started = Instant::now();
    assert_eq!(connect(&mut ws, "short-jwt")["connect"]["ttl"], 1);
    assert_eq!(recv_close(&mut ws), (3005, "connection expired".into()));
    assert!(started.elapsed() >= Duration::from_millis(1200));
}
