//! The OBS overlay (`examples/overlay`) end to end, in real headless Chromium driven by
//! Playwright (`tests/overlay-e2e/run.mjs`): chat lines with badges and emotes, alerts one at a
//! time, deletions, bans, HTML shown as text, a server restart, and the same chat over
//! Centrifugo. Saves a screenshot to `target/overlay-screenshot.png`.
//!
//! This test serves the page and `wasm/pkg` from a tiny HTTP server on 127.0.0.1, owns the
//! event servers (sockudo for Pusher, the Centrifugo test server) and publishes what the script
//! asks for, exactly as Kick's backend would: frames from `tests/vectors/kick`, on the overlay
//! chatroom's channels. The script prints one JSON verdict per scenario; every one must pass.
//!
//! Needs node, the npm packages of `tests/overlay-e2e` (`npm ci`), `wasm/pkg`
//! (`bash wasm/build.sh`) and `/usr/bin/chromium`; `scripts/test.sh` provides them all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};
use kickwire_tests::vectors_dir;
use serde_json::{Value, json};

/// The ids the overlay is given (`?chatroom=&channelId=`); every frame is published on their
/// channels.
const CHATROOM: u64 = 2_507_974;
const CHANNEL: u64 = 2_515_504;
const TOKEN: &str = "overlay-e2e-token";
/// Bound on the whole run of the script (it gives up by itself after 200 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(240);

/// Every scenario the script reports, in order.
const SCENARIOS: &[&str] = &[
    "connect",
    "chat",
    "gifted-alert",
    "alert-queue",
    "message-deleted",
    "user-banned",
    "html-is-text",
    "chatroom-clear",
    "reconnect",
    "pusher-page-clean",
    "centrifugo-chat",
    "config-error",
    "loopback-only",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_overlay_shows_chat_and_alerts_in_chromium() {
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
            pkg.join("kickwire.js").is_file() && pkg.join("kickwire_core_bg.wasm").is_file(),
            "wasm/pkg is missing: bash wasm/build.sh",
        ),
        (
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium is missing (Debian: apt-get install chromium)",
        ),
    ] {
        assert!(present, "{what}; bash scripts/test.sh installs everything");
    }

    let wasm =
        std::fs::read(pkg.join("kickwire_core_bg.wasm")).expect("read kickwire_core_bg.wasm");
    assert_eq!(
        externref_export(&wasm),
        Some(EXTERNREF),
        "{}: __wbindgen_externrefs is not an externref table, so the package fails at init \
         (\"WebAssembly.Table.set(): Argument 1 is invalid for table\"). wasm-opt before \
         binaryen 110 writes every table export as table 0 (binaryen#4711); Debian bookworm has 108.",
        pkg.display()
    );

    let mut sockudo = Sockudo::start(Options::default());
    let centrifugo = CentrifugoServer::start().expect("start the Centrifugo test server");
    centrifugo.accept_token(TOKEN, None);
    let site = StaticSite::serve(vec![
        ("/pkg/".into(), pkg),
        ("/".into(), root.join("examples/overlay")),
    ]);
    let screenshot = root.join("target/overlay-screenshot.png");
    let _ = std::fs::remove_file(&screenshot);
    std::fs::create_dir_all(root.join("target")).expect("create target/");

    let started = Instant::now();
    let mut child = Command::new("node")
        .arg("run.mjs")
        .current_dir(&e2e)
        .env(
            "OVERLAY_URL",
            format!("http://127.0.0.1:{}/index.html", site.port),
        )
        .env("PUSHER_URL", format!("ws://127.0.0.1:{}", sockudo.port()))
        .env("CENTRIFUGO_URL", centrifugo.url())
        .env("CENTRIFUGO_TOKEN", TOKEN)
        .env("SCREENSHOT", &screenshot)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node tests/overlay-e2e/run.mjs");
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
            eprintln!("run.mjs (not JSON): {line}");
            continue;
        };
        if msg.get("action").is_some() {
            let reply = match act(&msg, &mut sockudo, &centrifugo) {
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
    eprintln!("overlay e2e: {} verdicts in {elapsed:.1?}", verdicts.len());

    let failed: Vec<&Value> = verdicts.iter().filter(|v| v["ok"] != true).collect();
    assert!(
        failed.is_empty(),
        "failed scenarios:\n{failed:#?}\n--- run.mjs stderr ---\n{log}"
    );
    let names: Vec<&str> = verdicts
        .iter()
        .filter_map(|v| v["scenario"].as_str())
        .collect();
    assert_eq!(
        names, SCENARIOS,
        "scenarios reported (done: {done:?}, exited: {finished}, after {elapsed:.1?})\n--- run.mjs stderr ---\n{log}"
    );
    assert!(
        done.is_some(),
        "run.mjs did not finish\n--- stderr ---\n{log}"
    );
    // Belt and braces for the HTML scenario: nothing asked this server for `src=x`.
    let requested = site.requests();
    assert!(
        !requested.iter().any(|p| p.ends_with("/x")),
        "{requested:?}"
    );
    assert!(
        requested.iter().any(|p| p == "/pkg/kickwire_core_bg.wasm"),
        "{requested:?}"
    );
    assert!(
        is_rgba_png(&screenshot),
        "{} is not an RGBA PNG",
        screenshot.display()
    );
}

/// Does what the script asked; `Err` with a message it can print.
fn act(msg: &Value, sockudo: &mut Sockudo, centrifugo: &CentrifugoServer) -> Result<(), String> {
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
        Some("stop") => {
            sockudo.stop();
            Ok(())
        }
        Some("start") => {
            sockudo.start_again();
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

/// The overlay chatroom's channel of the same kind as a vector's (`chatroom_23580962` ->
/// `chatroom_2507974`); a bare kind (`chatrooms.v2`) works too.
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
        return Err(format!("no channel of the overlay like {channel}"));
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

/// The reference type of a table: externref (`0x6f`); funcref is `0x70`.
const EXTERNREF: u8 = 0x6f;

/// The element type of the table wasm-bindgen exports as `__wbindgen_externrefs`, read from
/// the module's import, table and export sections; `None` if there is no such export.
fn externref_export(wasm: &[u8]) -> Option<u8> {
    struct Reader<'a>(&'a [u8]);
    impl<'a> Reader<'a> {
        fn byte(&mut self) -> Option<u8> {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            Some(b)
        }
        fn uleb(&mut self) -> Option<u32> {
            let mut n = 0u32;
            for shift in (0..35).step_by(7) {
                let b = self.byte()?;
                n |= u32::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    return Some(n);
                }
            }
            None
        }
        fn bytes(&mut self, n: u32) -> Option<&'a [u8]> {
            let n = usize::try_from(n).ok()?;
            let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
            self.0 = rest;
            Some(head)
        }
        fn limits(&mut self) -> Option<()> {
            let flags = self.byte()?;
            self.uleb()?;
            if flags & 1 == 1 {
                self.uleb()?;
            }
            Some(())
        }
    }
    let mut r = Reader(wasm.get(8..)?);
    let mut tables = Vec::new(); // element type of each table, imported ones first
    while !r.0.is_empty() {
        let id = r.byte()?;
        let len = r.uleb()?;
        let mut s = Reader(r.bytes(len)?);
        match id {
            2 => {
                for _ in 0..s.uleb()? {
                    for _name in 0..2 {
                        let n = s.uleb()?;
                        s.bytes(n)?; // module, then field
                    }
                    match s.byte()? {
                        0 => {
                            s.uleb()?; // a function's type
                        }
                        1 => {
                            tables.push(s.byte()?);
                            s.limits()?;
                        }
                        2 => s.limits()?,
                        3 => {
                            s.bytes(2)?; // a global's type and mutability
                        }
                        _ => return None,
                    }
                }
            }
            4 => {
                for _ in 0..s.uleb()? {
                    tables.push(s.byte()?);
                    s.limits()?;
                }
            }
            7 => {
                for _ in 0..s.uleb()? {
                    let n = s.uleb()?;
                    let name = s.bytes(n)?;
                    let (kind, index) = (s.byte()?, s.uleb()?);
                    if kind == 1 && name == b"__wbindgen_externrefs" {
                        return tables.get(usize::try_from(index).ok()?).copied();
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// A PNG whose colour type is RGBA (6): the screenshot kept its transparency.
fn is_rgba_png(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        && bytes.get(12..16) == Some(b"IHDR")
        && bytes.get(25) == Some(&6)
}

/// A static file server on 127.0.0.1 for the overlay: GET only, `Connection: close`, paths
/// mapped by prefix onto directories, nothing outside them. Logs every requested path.
struct StaticSite {
    port: u16,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl StaticSite {
    fn serve(roots: Vec<(String, PathBuf)>) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local_addr").port();
        // Non-blocking accept, polled, so the thread sees `stop`.
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&stop), Arc::clone(&requests));
        let thread = thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (roots, r) = (roots.clone(), Arc::clone(&r));
                        thread::spawn(move || answer(stream, &roots, &r));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self {
            port,
            stop,
            requests,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join(); // within one poll period
        }
    }
}

fn answer(mut stream: TcpStream, roots: &[(String, PathBuf)], log: &Mutex<Vec<String>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    // The request head, at most 16 KiB.
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    if let Ok(mut l) = log.lock() {
        l.push(path.to_string());
    }
    let file = (method == "GET"
        && path.starts_with('/')
        && !path.contains("..")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)))
    .then(|| {
        let path = if path == "/" { "/index.html" } else { path };
        roots
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(prefix, dir)| dir.join(&path[prefix.len()..]))
    })
    .flatten()
    .and_then(|f| std::fs::read(&f).ok().map(|b| (f, b)));
    let response = match file {
        Some((f, body)) => {
            let kind = match f.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js" | "mjs") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("wasm") => "application/wasm",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(&body);
            r
        }
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&response);
}
