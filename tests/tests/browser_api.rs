//! The browser package's JavaScript API (`wasm/pkg/kickwire.js`: `init`, `KickConnection`,
//! `KickDecoder`, `parts`) in real headless Chromium, driven by Playwright
//! (`tests/overlay-e2e/api.mjs`), against a real Pusher server (sockudo) and the Centrifugo
//! test server on 127.0.0.1: connect() and its answer, Kick's payloads exactly as Kick sent
//! them with `(data, meta)`, event names, unknown events, lifecycle events and states, off(),
//! rawData, disconnect(), a refused connection, bad options, the decoder on real frames, a
//! payload that is not JSON; and the lazily loaded lookup module (`kickwire_lookup.js` and its
//! `.wasm`): never fetched for connections given ids, fetched once for slugs (the `_` -> `-`
//! retry after a 404), a Cloudflare refusal, and Kick's guest token for Centrifugo. Kick's
//! HTTPS endpoints are answered inside the browser by the script (Playwright's `page.route`),
//! so nothing leaves 127.0.0.1.
//!
//! This test owns the servers and publishes what the script asks for, exactly as Kick's
//! backend would: frames from `tests/vectors/kick`, on the test chatroom's channels. The script
//! serves the page and the package itself (node:http on 127.0.0.1) and prints one JSON verdict
//! per scenario; every one must pass.
//!
//! Needs node, the npm packages of `tests/overlay-e2e` (`npm ci`), `wasm/pkg`
//! (`bash wasm/build.sh`) and `/usr/bin/chromium`; `scripts/test.sh` provides them all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};
use kickwire_tests::vectors_dir;
use serde_json::{Value, json};

/// The ids the connections are given; every frame is published on their channels.
const CHATROOM: u64 = 2_507_974;
const CHANNEL: u64 = 2_515_504;
const TOKEN: &str = "browser-api-token";
/// The token the script hands out as Kick's guest token (`web.kick.com`'s token endpoint,
/// answered in the page by Playwright): the Centrifugo test server accepts it too.
const GUEST_TOKEN: &str = "browser-api-guest-token";
/// Bound on the whole run of the script (it gives up by itself after 150 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

/// Every scenario the script reports, in order.
const SCENARIOS: &[&str] = &[
    "before-init",
    "bad-options",
    "connect-pusher",
    "chat-message",
    "event-kinds",
    "unknown-event",
    "off",
    "broken-inner-json",
    "disconnect",
    "closed-port",
    "decoder-pusher",
    "decoder-centrifugo",
    "decoder-oversize",
    "connect-centrifugo",
    "oversize-message",
    "ids-no-lookup",
    "slug-lookup",
    "slug-cloudflare",
    "guest-token",
    "page-clean",
    "loopback-only",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_js_api_works_in_chromium_against_real_servers() {
    let root = workspace();
    let e2e = root.join("tests/overlay-e2e");
    // `KICKWIRE_WASM_PKG`: another build of the package to test (default `wasm/pkg`).
    let pkg =
        std::env::var_os("KICKWIRE_WASM_PKG").map_or_else(|| root.join("wasm/pkg"), PathBuf::from);
    for (present, what) in [
        (
            Command::new("node").arg("--version").output().is_ok(),
            "node is missing (Debian: apt-get install nodejs npm)",
        ),
        (
            e2e.join("node_modules/playwright-core").is_dir(),
            "tests/overlay-e2e/node_modules is missing: (cd tests/overlay-e2e && npm ci --no-audit --no-fund --ignore-scripts)",
        ),
        (
            [
                "kickwire.js",
                "kickwire_core_bg.wasm",
                "kickwire_lookup.js",
                "kickwire_lookup_bg.wasm",
            ]
            .iter()
            .all(|f| pkg.join(f).is_file()),
            "wasm/pkg is missing: bash wasm/build.sh",
        ),
        (
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium is missing (Debian: apt-get install chromium)",
        ),
    ] {
        assert!(present, "{what}; bash scripts/test.sh installs everything");
    }

    let sockudo = Sockudo::start(Options::default());
    let centrifugo = CentrifugoServer::start().expect("start the Centrifugo test server");
    centrifugo.accept_token(TOKEN, None);
    centrifugo.accept_token(GUEST_TOKEN, None);
    // A loopback port nothing listens on: bound, read, closed.
    let closed_port = {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        l.local_addr().expect("local_addr").port()
    };

    let started = Instant::now();
    let mut child = Command::new("node")
        .arg("api.mjs")
        .current_dir(&e2e)
        .env("PKG_DIR", &pkg)
        .env("PUSHER_URL", format!("ws://127.0.0.1:{}", sockudo.port()))
        .env("CENTRIFUGO_URL", centrifugo.url())
        .env("CENTRIFUGO_TOKEN", TOKEN)
        .env("CENTRIFUGO_GUEST_TOKEN", GUEST_TOKEN)
        .env("CLOSED_URL", format!("ws://127.0.0.1:{closed_port}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node tests/overlay-e2e/api.mjs");
    let mut stdin = child.stdin.take().expect("stdin");
    let lines = spawn_lines(child.stdout.take().expect("stdout"));
    let stderr = spawn_collect(child.stderr.take().expect("stderr"));

    let mut verdicts: Vec<Value> = Vec::new();
    let mut done = None;
    let deadline = started + RUN_TIMEOUT;
    while done.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = lines.recv_timeout(left) else {
            break; // the script ended, or the time is up: reported below
        };
        let Ok(msg) = serde_json::from_str::<Value>(&line) else {
            eprintln!("api.mjs (not JSON): {line}");
            continue;
        };
        if msg.get("action").is_some() {
            let reply = match act(&msg, &sockudo, &centrifugo) {
                Ok(()) => json!({"ok": true}),
                Err(e) => json!({"ok": false, "error": e}),
            };
            // The script may already be gone; its verdicts say why.
            let _ = writeln!(stdin, "{reply}");
        } else if msg.get("scenario").is_some() {
            eprintln!("{msg}");
            verdicts.push(msg);
        } else if msg.get("done").is_some() {
            done = Some(msg);
        }
    }
    let finished = wait_or_kill(&mut child, Duration::from_secs(10));
    let log = stderr.join().unwrap_or_default();
    let elapsed = started.elapsed();
    eprintln!("browser api: {} verdicts in {elapsed:.1?}", verdicts.len());

    let failed: Vec<&Value> = verdicts.iter().filter(|v| v["ok"] != true).collect();
    assert!(
        failed.is_empty(),
        "failed scenarios:\n{failed:#?}\n--- api.mjs stderr ---\n{log}"
    );
    let names: Vec<&str> = verdicts
        .iter()
        .filter_map(|v| v["scenario"].as_str())
        .collect();
    assert_eq!(
        names, SCENARIOS,
        "scenarios reported (done: {done:?}, exited: {finished}, after {elapsed:.1?})\n--- api.mjs stderr ---\n{log}"
    );
    assert!(
        done.is_some(),
        "api.mjs did not finish\n--- stderr ---\n{log}"
    );
}

/// Does what the script asked; `Err` with a message it can print.
fn act(msg: &Value, sockudo: &Sockudo, centrifugo: &CentrifugoServer) -> Result<(), String> {
    match msg["action"].as_str() {
        Some("publish") => {
            let server = msg["server"].as_str().unwrap_or_default();
            let frames = msg["frames"].as_array().ok_or("no frames")?;
            for f in frames {
                let (event, channel, data) = frame(f)?;
                match server {
                    "pusher" => sockudo
                        .trigger(&channel, &event, &data)
                        .map(drop)
                        .map_err(|e| e.to_string())?,
                    "centrifugo" => {
                        // Kick's Centrifugo publications carry the Pusher-style pair.
                        let publication = json!({"event": event, "data": data}).to_string();
                        if centrifugo.publish(&channel, &publication) == 0 {
                            return Err(format!("no Centrifugo subscriber on {channel}"));
                        }
                    }
                    other => return Err(format!("unknown server '{other}'")),
                }
            }
            Ok(())
        }
        Some("send_raw") => {
            let text = msg["text"].as_str().ok_or("no text")?;
            if centrifugo.send_raw(text) == 0 {
                return Err("no Centrifugo connection".into());
            }
            Ok(())
        }
        other => Err(format!("unknown action {other:?}")),
    }
}

/// `(event, channel, data)` of a frame spec: `{file, line, replace?}` (a line of a vector file,
/// 1-based, with string replacements in its data) or `{event, kind, data}`.
fn frame(spec: &Value) -> Result<(String, String, String), String> {
    if let Some(file) = spec["file"].as_str() {
        if file.contains("..") {
            return Err(format!("bad file {file}"));
        }
        let text = std::fs::read_to_string(vectors_dir().join("kick").join(file))
            .map_err(|e| format!("{file}: {e}"))?;
        let n = spec["line"].as_u64().ok_or("no line")?;
        let line = text
            .lines()
            .nth(usize::try_from(n).unwrap_or(usize::MAX).wrapping_sub(1))
            .ok_or(format!("{file} has no line {n}"))?;
        let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let mut data = v["data"].as_str().ok_or("no data")?.to_string();
        for pair in spec["replace"].as_array().into_iter().flatten() {
            let (from, to) = (pair[0].as_str(), pair[1].as_str());
            let (Some(from), Some(to)) = (from, to) else {
                return Err(format!("bad replace {pair}"));
            };
            if !data.contains(from) {
                return Err(format!("{file}:{n} has no {from:?}"));
            }
            data = data.replace(from, to);
        }
        let event = v["event"].as_str().ok_or("no event")?.to_string();
        let channel = ours(v["channel"].as_str().ok_or("no channel")?)?;
        Ok((event, channel, data))
    } else {
        let s = |k: &str| {
            spec[k]
                .as_str()
                .map(str::to_string)
                .ok_or(format!("no {k}"))
        };
        Ok((s("event")?, ours(&s("kind")?)?, s("data")?))
    }
}

/// The test chatroom's channel of the same kind as a vector's (`chatroom_23580962` ->
/// `chatroom_2507974`); a bare kind (`chatrooms.v2`, `channel.`) works too.
fn ours(channel: &str) -> Result<String, String> {
    let name = if channel.starts_with("chatrooms.") {
        if channel.ends_with(".v2") {
            format!("chatrooms.{CHATROOM}.v2")
        } else {
            format!("chatrooms.{CHATROOM}")
        }
    } else if channel.starts_with("chatroom_") {
        format!("chatroom_{CHATROOM}")
    } else if channel.starts_with("channel.") {
        format!("channel.{CHANNEL}")
    } else if channel.starts_with("channel_") {
        format!("channel_{CHANNEL}")
    } else {
        return Err(format!("no channel of the test chat like {channel}"));
    };
    Ok(name)
}

/// Lines of `out`, as they come, on a channel (closed when the stream ends).
fn spawn_lines(out: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// All of `err`, echoed as it comes (visible with --nocapture), returned at the end.
fn spawn_collect(err: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(err).lines() {
            let Ok(line) = line else { break };
            eprintln!("{line}");
            all.push_str(&line);
            all.push('\n');
        }
        all
    })
}

/// Waits at most `limit` for the child, then kills it. Whether it exited by itself.
fn wait_or_kill(child: &mut Child, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}
