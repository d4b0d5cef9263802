//! The OBS overlay (`examples/overlay`) end to end, in real headless Chromium driven by
//! Playwright (`tests/overlay-e2e/run.mjs`): chat lines with badges and emotes, alerts one at a
//! time (from `alerts: true`: one pop-up for a sub's five events, one with the total for a
//! chunked gift), first words marked (`firstwords=1`), deletions, bans, HTML shown as text, a
//! server restart, and the same chat over
//! Centrifugo. Saves a screenshot to `target/overlay-screenshot.png`.
//!
//! This test serves the page and `wasm/pkg` from a tiny HTTP server on 127.0.0.1, owns the
//! event servers (sockudo for Pusher, the Centrifugo test server) and publishes what the script
//! asks for, exactly as Kick's backend would: frames from `tests/vectors/kick`, on the overlay
//! chatroom's channels. The script prints one JSON verdict per scenario; every one must pass.
//!
//! Needs node, the npm packages of `tests/overlay-e2e` (`npm ci`), `wasm/pkg`
//! (`bash wasm/build.sh`) and `/usr/bin/chromium`; `scripts/test.sh` provides them all.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use kickwire_tests::browser::{package_dir, publish, require, run_verdict_script, workspace};
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};

const TOKEN: &str = "overlay-e2e-token";
/// Bound on the whole run of the script (it gives up by itself after 200 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(240);

/// Every scenario the script reports, in order.
const SCENARIOS: &[&str] = &[
    "connect",
    "chat",
    "first-words",
    "gifted-alert",
    "alert-queue",
    "sub-copies",
    "chunked-gift",
    "message-deleted",
    "user-banned",
    "html-is-text",
    "chatroom-clear",
    "reconnect",
    "pusher-page-clean",
    "history",
    "history-refused",
    "centrifugo-chat",
    "long-message",
    "config-error",
    "loopback-only",
];

#[test]
fn the_overlay_shows_chat_and_alerts_in_chromium() {
    require("tests/overlay-e2e", &["playwright-core"]);
    let root = workspace();
    let e2e = root.join("tests/overlay-e2e");
    let pkg = package_dir();

    for module in [
        "kickwire_core_bg.wasm",
        "kickwire_lookup_bg.wasm",
        "kickwire_alerts_bg.wasm",
    ] {
        let wasm = std::fs::read(pkg.join(module)).expect("read the package's .wasm");
        assert_eq!(
            import_count(&wasm),
            Some(0),
            "{}/{module} imports something: kickwire.js instantiates the modules with no imports, \
             so the package would fail at init()",
            pkg.display()
        );
    }

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

    let mut command = Command::new("node");
    command
        .arg("run.mjs")
        .current_dir(&e2e)
        .env(
            "OVERLAY_URL",
            format!("http://127.0.0.1:{}/index.html", site.port),
        )
        .env("PUSHER_URL", format!("ws://127.0.0.1:{}", sockudo.port()))
        .env("CENTRIFUGO_URL", centrifugo.url())
        .env("CENTRIFUGO_TOKEN", TOKEN)
        .env("SCREENSHOT", &screenshot);
    run_verdict_script(command, "run.mjs", RUN_TIMEOUT, |msg| {
        match msg["action"].as_str() {
            Some("publish") => publish(msg, &sockudo, &centrifugo),
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
    })
    .assert_all_passed("run.mjs", SCENARIOS);
    // Belt and braces for the HTML scenario: nothing asked this server for `src=x`.
    let served = site.requests();
    let requested: Vec<&str> = served.iter().map(|r| r.path()).collect();
    assert!(
        !requested.iter().any(|p| p.ends_with("/x")),
        "{requested:?}"
    );
    assert!(
        requested.contains(&"/pkg/kickwire_core_bg.wasm"),
        "{requested:?}"
    );
    // The Centrifugo pages carried their token in the URL (?token=...), and no request any
    // page made here (its stylesheet, script, the package, the .wasm) told where it came from:
    // the page's `<meta name="referrer" content="no-referrer">`, before anything it loads.
    assert!(
        served
            .iter()
            .any(|r| r.target.contains(&format!("token={TOKEN}"))),
        "no page was opened with a token: {served:?}"
    );
    let with_referer: Vec<&Served> = served.iter().filter(|r| r.referer.is_some()).collect();
    assert!(
        with_referer.is_empty(),
        "requests that carried a Referer: {with_referer:#?}"
    );
    assert!(served.len() > 10, "too few requests to tell: {served:?}");
    assert!(
        is_rgba_png(&screenshot),
        "{} is not an RGBA PNG",
        screenshot.display()
    );
}

/// How many imports the module declares (its import section's count, 0 without one); `None`
/// for bytes that are not a module.
fn import_count(wasm: &[u8]) -> Option<u32> {
    fn uleb(bytes: &mut &[u8]) -> Option<u32> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let (&b, rest) = bytes.split_first()?;
            *bytes = rest;
            n |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
    let mut rest = wasm.strip_prefix(b"\0asm\x01\0\0\0")?;
    while let Some((&id, after)) = rest.split_first() {
        rest = after;
        let len = usize::try_from(uleb(&mut rest)?).ok()?;
        let (mut section, after) = (rest.get(..len)?, rest.get(len..)?);
        if id == 2 {
            return uleb(&mut section);
        }
        rest = after;
    }
    Some(0)
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

/// A request [`StaticSite`] answered: its target (path and query) and its `Referer` header.
#[derive(Debug, Clone)]
struct Served {
    target: String,
    referer: Option<String>,
}

impl Served {
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// A static file server on 127.0.0.1 for the overlay: GET only, `Connection: close`, paths
/// mapped by prefix onto directories, nothing outside them. Logs every request.
struct StaticSite {
    port: u16,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Served>>>,
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

    fn requests(&self) -> Vec<Served> {
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

fn answer(mut stream: TcpStream, roots: &[(String, PathBuf)], log: &Mutex<Vec<Served>>) {
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
    let referer = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("referer")
            .then(|| value.trim().to_string())
    });
    if let Ok(mut l) = log.lock() {
        l.push(Served {
            target: target.to_string(),
            referer,
        });
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
