//! `kickwire login`, `logout`, `send` and `subscribe` end to end: the real binary against
//! Kick's OAuth server and public API faked on 127.0.0.1 (`KICKWIRE_HTTP_BASE`), answering in
//! the shapes of Kick's developer docs (KickDevDocs `getting-started/
//! generating-tokens-oauth2-flow.md`, `apis/chat.md`, `apis/channels.md`,
//! `events/subscribe-to-events.md`). The test plays the browser for `login`. Unix only: it
//! checks the token file's permission bits.

#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::Cli;
use common::fake_kick::{Reply, write_reply};
use serde_json::{Value, json};

const LIMIT: Duration = Duration::from_secs(20);
const CLIENT_ID: &str = "01JTESTCLIENT";
/// Distinctive, so that any leak into the output is found.
const SECRET: &str = "SECRET-c7f3/+";

/// One request the fake server received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query, as sent.
    target: String,
    headers: HashMap<String, String>,
    body: String,
}

impl Seen {
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    fn auth(&self) -> Option<&str> {
        self.headers.get("authorization").map(String::as_str)
    }
    /// The form body's fields, decoded.
    fn form(&self) -> HashMap<String, String> {
        fields(&self.body)
    }
}

/// `a=b&c=d` (a form body or a query), decoded.
fn fields(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn json_reply(status: u16, body: Value) -> Reply {
    Reply::json(status, &body.to_string())
}

/// A reply with a plain body and these headers.
fn plain(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

type Handler = dyn Fn(&Seen, &[Seen]) -> Reply + Send + Sync;

/// Kick faked: `handler` answers each request, given the ones before it.
struct Fake {
    port: u16,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    fn start(handler: impl Fn(&Seen, &[Seen]) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                serve(stream, &*handler, &seen);
            }
        });
        Self { port, log }
    }
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(mut s: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let mut lines = head.lines();
    let first: Vec<&str> = lines.next().unwrap_or("").split(' ').collect();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while raw.len() < head_end + len {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let seen = Seen {
        method: first.first().unwrap_or(&"").to_string(),
        target: first.get(1).unwrap_or(&"").to_string(),
        headers,
        body: String::from_utf8_lossy(&raw[head_end..]).to_string(),
    };
    let reply = {
        let mut log = log.lock().unwrap();
        let r = handler(&seen, &log);
        log.push(seen);
        r
    };
    write_reply(&mut s, &reply);
}

/// `%XX` and `+` decoded (the test's own decoder).
fn decode(v: &str) -> String {
    let mut out = Vec::new();
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// base64url without padding (RFC 4648 section 5), the test's own encoder.
fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..=c.len() {
            s.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    s
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A fresh config folder for one test.
fn config_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kickwire-official-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A token file as `login` writes it (the test writes its own, created 0600).
fn store(dir: &Path, access: &str, refresh: &str, expires_at: u64) {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir).unwrap();
    let v = json!({
        "client_id": CLIENT_ID, "client_secret": SECRET, "access_token": access,
        "refresh_token": refresh, "token_type": "Bearer", "scope": "chat:write",
        "expires_at": expires_at,
    });
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(dir.join("tokens.json"))
        .unwrap();
    f.write_all(v.to_string().as_bytes()).unwrap();
}

fn stored(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("tokens.json")).unwrap()).unwrap()
}

fn mode(dir: &Path) -> u32 {
    std::fs::metadata(dir.join("tokens.json"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Runs `kickwire args` against `fake` with config folder `dir`: stdout lines, exit code,
/// stderr. Checks that no secret reached either.
fn run(fake: &Fake, dir: &Path, args: &[&str]) -> (Vec<String>, Option<i32>, String) {
    run_env(fake, dir, args, &[])
}

/// [`run`] with more environment.
fn run_env(
    fake: &Fake,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Vec<String>, Option<i32>, String) {
    let base = fake.base();
    let mut all = vec![
        ("KICKWIRE_HTTP_BASE", base.as_str()),
        ("KICKWIRE_CONFIG_DIR", dir.to_str().unwrap()),
    ];
    all.extend_from_slice(env);
    let cli = Cli::start_env(args, &all);
    let mut lines = Vec::new();
    while let Some(l) = cli.line(LIMIT) {
        lines.push(l);
    }
    let (code, stderr) = cli.wait(LIMIT);
    no_secrets(&lines.join("\n"), &stderr);
    (lines, code, stderr)
}

/// The client secret and the tokens the fake hands out never appear in the output.
fn no_secrets(stdout: &str, stderr: &str) {
    for secret in [
        SECRET,
        "AT-1",
        "RT-1",
        "AT-OLD",
        "AT-NEW",
        "RT-OLD",
        "RT-NEW",
        "APP-TOKEN",
    ] {
        assert!(!stdout.contains(secret), "{secret} on stdout: {stdout}");
        assert!(!stderr.contains(secret), "{secret} on stderr: {stderr}");
    }
}

/// Kick's token reply (the docs' shape).
fn token_reply(access: &str, refresh: &str) -> Reply {
    json_reply(
        200,
        json!({"access_token": access, "token_type": "Bearer", "refresh_token": refresh,
               "expires_in": 3600, "scope": "chat:write"}),
    )
}

/// Kick's chat reply (the Swagger spec's shape).
fn chat_ok() -> Reply {
    json_reply(
        200,
        json!({"data": {"is_sent": true, "message_id": "4dd6a2ab-7b2b-4e8a-a4f0-3b2d3e1c9f00"}, "message": "OK"}),
    )
}

/// A GET to the login redirect; the status line's code.
fn browser_get(port: u16, target: &str) -> u16 {
    let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    let _ = s.read_to_string(&mut r);
    r.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn login_end_to_end() {
    let dir = config_dir("login");
    let fake = Fake::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", "/oauth/token") => token_reply("AT-1", "RT-1"),
        _ => json_reply(404, json!({"message": "Not Found"})),
    });
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = fake.base();
    let port_text = port.to_string();
    let cli = Cli::start_env(
        &[
            "login",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            SECRET,
            "--scopes",
            "user:read,chat:write",
            "--port",
            &port_text,
        ],
        &[
            ("KICKWIRE_HTTP_BASE", base.as_str()),
            ("KICKWIRE_CONFIG_DIR", dir.to_str().unwrap()),
        ],
    );
    let url = cli.line(LIMIT).expect("the authorize URL on stdout");
    let query = url
        .strip_prefix("https://id.kick.com/oauth/authorize?")
        .unwrap_or_else(|| panic!("not Kick's authorize URL: {url}"));
    let q = fields(query);
    let redirect = format!("http://127.0.0.1:{port}/callback");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["redirect_uri"], redirect);
    assert_eq!(q["scope"], "user:read chat:write");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43);
    let state = q["state"].clone();
    assert!(state.len() >= 32, "state {state}");
    // Spaces in the scope are percent-encoded, not sent raw.
    assert!(url.contains("scope=user%3Aread%20chat%3Awrite"), "{url}");

    // A redirect with another state is refused, and the login keeps waiting.
    assert_eq!(browser_get(port, "/callback?code=EVIL&state=forged"), 400);
    assert!(fake.seen().is_empty(), "a forged redirect reached Kick");
    let good = format!("/callback?code=THE-CODE&state={state}");
    assert_eq!(browser_get(port, &good), 200);
    let (code, stderr) = cli.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    no_secrets(&url, &stderr);
    assert!(stderr.contains("state does not match"), "{stderr}");

    // One token request, in the docs' form, whose verifier matches the challenge.
    let seen = fake.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let t = &seen[0];
    assert_eq!(
        (t.method.as_str(), t.target.as_str()),
        ("POST", "/oauth/token")
    );
    assert_eq!(
        t.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let f = t.form();
    assert_eq!(f["grant_type"], "authorization_code");
    assert_eq!(f["code"], "THE-CODE");
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["client_secret"], SECRET);
    assert_eq!(f["redirect_uri"], redirect);
    let verifier = &f["code_verifier"];
    assert!(
        (43..=128).contains(&verifier.len()),
        "RFC 7636 length: {verifier}"
    );
    let sha = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    assert_eq!(
        b64url(sha.as_ref()),
        q["code_challenge"],
        "S256 of the verifier"
    );

    // The token file: mode 0600, the tokens, the secret (to refresh), the expiry.
    assert_eq!(mode(&dir), 0o600);
    let s = stored(&dir);
    assert_eq!(s["access_token"], "AT-1");
    assert_eq!(s["refresh_token"], "RT-1");
    assert_eq!(s["client_id"], CLIENT_ID);
    assert_eq!(s["client_secret"], SECRET);
    assert_eq!(s["scope"], "chat:write");
    let at = s["expires_at"].as_u64().unwrap();
    assert!(
        (now() + 3500..=now() + 3600).contains(&at),
        "expires_at {at}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn s256_helper_matches_rfc7636() {
    // The test's own encoder against RFC 7636 appendix B, so the login check above rests on
    // a hand-checked value.
    let sha = ring::digest::digest(
        &ring::digest::SHA256,
        b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    );
    assert_eq!(
        b64url(sha.as_ref()),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

/// Kick's OAuth server refreshing `RT-OLD` into `AT-NEW`/`RT-NEW`, and a chat endpoint that
/// accepts only `AT-NEW` (the first `chat_failures` chat requests get `failure` whatever the
/// token).
fn refreshing_kick() -> Fake {
    Fake::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", "/oauth/token") => {
            let f = req.form();
            if f.get("grant_type").map(String::as_str) == Some("refresh_token")
                && f.get("refresh_token").map(String::as_str) == Some("RT-OLD")
                && f.get("client_secret").map(String::as_str) == Some(SECRET)
            {
                token_reply("AT-NEW", "RT-NEW")
            } else {
                json_reply(400, json!({"error": "Invalid request"}))
            }
        }
        ("POST", "/public/v1/chat") if req.auth() == Some("Bearer AT-NEW") => chat_ok(),
        ("POST", "/public/v1/chat") => {
            json_reply(401, json!({"data": {}, "message": "Unauthorized"}))
        }
        _ => json_reply(404, json!({"message": "Not Found"})),
    })
}

fn summary(seen: &[Seen]) -> Vec<String> {
    seen.iter()
        .map(|s| format!("{} {} {}", s.method, s.path(), s.auth().unwrap_or("-")))
        .collect()
}

#[test]
fn send_refreshes_a_token_about_to_expire() {
    let dir = config_dir("ahead");
    store(&dir, "AT-OLD", "RT-OLD", now() + 30);
    let fake = refreshing_kick();
    let (out, code, stderr) = run(&fake, &dir, &["send", "--broadcaster", "123", "hello"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out, ["4dd6a2ab-7b2b-4e8a-a4f0-3b2d3e1c9f00"]);
    // Refreshed first: the old token never went to the chat endpoint.
    assert_eq!(
        summary(&fake.seen()),
        ["POST /oauth/token -", "POST /public/v1/chat Bearer AT-NEW"]
    );
    let s = stored(&dir);
    assert_eq!(
        (s["access_token"].as_str(), s["refresh_token"].as_str()),
        (Some("AT-NEW"), Some("RT-NEW"))
    );
    assert_eq!(mode(&dir), 0o600, "the rewritten file is 0600 too");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn send_on_401_refreshes_and_retries_once() {
    let dir = config_dir("401");
    store(&dir, "AT-OLD", "RT-OLD", now() + 3600);
    let fake = refreshing_kick();
    let (out, code, stderr) = run(
        &fake,
        &dir,
        &["send", "--broadcaster", "123", "hello \"you\""],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out, ["4dd6a2ab-7b2b-4e8a-a4f0-3b2d3e1c9f00"]);
    let seen = fake.seen();
    assert_eq!(
        summary(&seen),
        [
            "POST /public/v1/chat Bearer AT-OLD",
            "POST /oauth/token -",
            "POST /public/v1/chat Bearer AT-NEW"
        ]
    );
    let body: Value = serde_json::from_str(&seen[2].body).unwrap();
    assert_eq!(
        body,
        json!({"type": "user", "content": "hello \"you\"", "broadcaster_user_id": 123})
    );
    assert_eq!(stored(&dir)["access_token"], "AT-NEW");

    // A token the refresh cannot mend: one retry only, then a clear failure.
    store(&dir, "AT-OLD", "RT-OLD", now() + 3600);
    let always_401 = Fake::start(|req, _| match req.path() {
        "/oauth/token" => token_reply("AT-1", "RT-1"),
        _ => json_reply(401, json!({"data": {}, "message": "Unauthorized"})),
    });
    let (_, code, stderr) = run(&always_401, &dir, &["send", "--broadcaster", "123", "x"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        summary(&always_401.seen()),
        [
            "POST /public/v1/chat Bearer AT-OLD",
            "POST /oauth/token -",
            "POST /public/v1/chat Bearer AT-1"
        ]
    );
    assert!(
        stderr.contains("HTTP 401: the token expired or was revoked"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn send_checks_500_characters_before_any_request() {
    let dir = config_dir("long");
    store(&dir, "AT-NEW", "RT-OLD", now() + 3600);
    let fake = refreshing_kick();
    let long = "a".repeat(501);
    let (out, code, stderr) = run(&fake, &dir, &["send", "--broadcaster", "123", &long]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert!(
        stderr.contains("501 characters; Kick takes at most 500"),
        "{stderr}"
    );
    assert!(
        fake.seen().is_empty(),
        "a request was sent: {:?}",
        fake.seen()
    );
    // Characters, not bytes: 500 two-byte characters (1,000 bytes) go.
    let accents = "é".repeat(500);
    let (out, code, stderr) = run(&fake, &dir, &["send", "--broadcaster", "123", &accents]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.len(), 1);
    let body: Value = serde_json::from_str(&fake.seen()[0].body).unwrap();
    assert_eq!(body["content"].as_str().unwrap().chars().count(), 500);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn send_429_says_rate_limited() {
    let dir = config_dir("429");
    store(&dir, "AT-NEW", "RT-OLD", now() + 3600);
    let fake = Fake::start(|_, _| {
        plain(
            429,
            &[("Retry-After", "30"), ("Content-Type", "application/json")],
            r#"{"data":{},"message":"Too Many Requests"}"#,
        )
    });
    let (_, code, stderr) = run(&fake, &dir, &["send", "--broadcaster", "123", "hi"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("kickwire: send: HTTP 429: rate limited by Kick; retry after 30 s"),
        "{stderr}"
    );
    assert_eq!(
        summary(&fake.seen()),
        ["POST /public/v1/chat Bearer AT-NEW"],
        "no retry on 429"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn send_by_slug_and_channel_not_found() {
    let dir = config_dir("404");
    store(&dir, "AT-NEW", "RT-OLD", now() + 3600);
    let fake = Fake::start(|req, _| match req.path() {
        "/public/v1/channels" => json_reply(
            200,
            json!({"data": [{"broadcaster_user_id": 777, "slug": "some-one", "stream_title": ""}], "message": "OK"}),
        ),
        _ => json_reply(404, json!({"data": {}, "message": "Channel not found"})),
    });
    let (_, code, stderr) = run(&fake, &dir, &["send", "--channel", "some-one", "hi"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("Channel not found"), "{stderr}");
    assert!(
        stderr.contains("the broadcaster id may be wrong"),
        "{stderr}"
    );
    assert!(stderr.contains("apps that are new"), "{stderr}");
    let seen = fake.seen();
    assert_eq!(seen[0].target, "/public/v1/channels?slug=some-one");
    assert_eq!(seen[0].auth(), Some("Bearer AT-NEW"));
    let body: Value = serde_json::from_str(&seen[1].body).unwrap();
    assert_eq!(body["broadcaster_user_id"], 777);
    assert_eq!(seen.len(), 2, "a 404 is not retried");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn subscribe_create_list_delete_with_an_app_token() {
    let dir = config_dir("subs");
    let fake = Fake::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", "/oauth/token") => {
            let f = req.form();
            if f.get("grant_type").map(String::as_str) == Some("client_credentials")
                && f.get("client_secret").map(String::as_str) == Some(SECRET)
            {
                json_reply(
                    200,
                    json!({"access_token": "APP-TOKEN", "token_type": "Bearer", "expires_in": 5184000}),
                )
            } else {
                json_reply(400, json!({"error": "Invalid request"}))
            }
        }
        (_, "/public/v1/events/subscriptions") if req.auth() != Some("Bearer APP-TOKEN") => {
            json_reply(401, json!({"message": "Unauthorized"}))
        }
        ("POST", _) => json_reply(
            200,
            json!({"data": [
                {"error": "", "name": "chat.message.sent", "subscription_id": "01SUBCHAT", "version": 1},
                {"error": "", "name": "channel.followed", "subscription_id": "01SUBFOLLOW", "version": 1}
            ], "message": "OK"}),
        ),
        ("GET", _) => json_reply(
            200,
            json!({"data": [
                {"app_id": "01APP", "broadcaster_user_id": 123, "created_at": "2026-01-01T00:00:00Z",
                 "event": "chat.message.sent", "id": "01SUBCHAT", "method": "webhook",
                 "updated_at": "2026-01-01T00:00:00Z", "version": 1}
            ], "message": "OK"}),
        ),
        ("DELETE", _) => plain(204, &[], ""),
        _ => json_reply(404, json!({"message": "Not Found"})),
    });
    let creds = ["--client-id", CLIENT_ID, "--client-secret", SECRET];
    let mut args = vec![
        "subscribe",
        "--broadcaster",
        "123",
        "--events",
        "chat.message.sent,channel.followed",
    ];
    args.extend(creds);
    let (out, code, stderr) = run(&fake, &dir, &args);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        out,
        [
            "01SUBCHAT chat.message.sent v1",
            "01SUBFOLLOW channel.followed v1"
        ]
    );
    let seen = fake.seen();
    let f = seen[0].form();
    assert_eq!(
        (
            f["grant_type"].as_str(),
            f["client_id"].as_str(),
            f["client_secret"].as_str()
        ),
        ("client_credentials", CLIENT_ID, SECRET)
    );
    let body: Value = serde_json::from_str(&seen[1].body).unwrap();
    assert_eq!(
        body,
        json!({"broadcaster_user_id": 123, "events": [
            {"name": "chat.message.sent", "version": 1}, {"name": "channel.followed", "version": 1}
        ], "method": "webhook"})
    );

    // The secret from the environment this time (out of the process list).
    let (out, code, stderr) = run_env(
        &fake,
        &dir,
        &["subscribe", "--list", "--client-id", CLIENT_ID],
        &[("KICKWIRE_CLIENT_SECRET", SECRET)],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        out,
        ["01SUBCHAT chat.message.sent v1 broadcaster 123 webhook"]
    );

    // The credentials from a stored login this time.
    store(&dir, "AT-OLD", "RT-OLD", now() + 3600);
    let (out, code, stderr) = run(&fake, &dir, &["subscribe", "--delete", "01SUBCHAT"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.is_empty());
    assert!(
        stderr.contains("deleted subscription 01SUBCHAT"),
        "{stderr}"
    );
    assert_eq!(
        summary(&fake.seen()),
        [
            "POST /oauth/token -",
            "POST /public/v1/events/subscriptions Bearer APP-TOKEN",
            "POST /oauth/token -",
            "GET /public/v1/events/subscriptions Bearer APP-TOKEN",
            "POST /oauth/token -",
            "DELETE /public/v1/events/subscriptions Bearer APP-TOKEN",
        ]
    );
    assert_eq!(
        fake.seen()[5].target,
        "/public/v1/events/subscriptions?id=01SUBCHAT"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn logout_revokes_both_tokens_and_removes_the_file() {
    let dir = config_dir("logout");
    store(&dir, "AT-OLD", "RT-OLD", now() + 3600);
    let fake = Fake::start(|req, _| match req.path() {
        "/oauth/revoke" => plain(200, &[], "OK"),
        _ => json_reply(404, json!({"message": "Not Found"})),
    });
    let (_, code, stderr) = run(&fake, &dir, &["logout"]);
    assert_eq!(code, Some(0), "{stderr}");
    let targets: Vec<String> = fake
        .seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.target))
        .collect();
    assert_eq!(
        targets,
        [
            "POST /oauth/revoke?token=AT-OLD&token_hint_type=access_token",
            "POST /oauth/revoke?token=RT-OLD&token_hint_type=refresh_token"
        ]
    );
    assert!(!dir.join("tokens.json").exists());

    // Offline: the file goes all the same, with a warning.
    store(&dir, "AT-OLD", "RT-OLD", now() + 3600);
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cli = Cli::start_env(
        &["logout"],
        &[
            (
                "KICKWIRE_HTTP_BASE",
                format!("http://127.0.0.1:{closed}").as_str(),
            ),
            ("KICKWIRE_CONFIG_DIR", dir.to_str().unwrap()),
        ],
    );
    let (code, stderr) = cli.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("could not revoke the access token"),
        "{stderr}"
    );
    assert!(stderr.contains("stays valid until it expires"), "{stderr}");
    no_secrets("", &stderr);
    assert!(!dir.join("tokens.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
