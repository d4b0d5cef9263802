//! The browser package from a bundler: `tests/bundler/run.mjs` builds a tiny Vite app that
//! does `import init, { KickDecoder, KickConnection, parts } from "kickwire"` (the name
//! aliased to `wasm/pkg/kickwire.js`), serves the build output on 127.0.0.1 and opens it in
//! real headless Chromium (Playwright). It checks a real Kick frame decoded by the bundled
//! package (expected values written by hand from `tests/vectors/kick`), both `.wasm` files
//! served from the bundle output as `application/wasm` (the lookup module only after a connect
//! by slug, whose kick.com lookups Playwright answers in the page), no page errors, and no
//! request leaving 127.0.0.1. It prints `BUNDLER ok vite=<version> assets=<files>`.
//!
//! Needs node, the npm packages of `tests/bundler` (`npm ci`), `wasm/pkg`
//! (`bash wasm/build.sh`) and `/usr/bin/chromium`. `KICKWIRE_WASM_PKG` tests another build of
//! the package (default `wasm/pkg`).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Bound on the whole run of the script (it gives up by itself after 120 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_package_works_from_vite_in_chromium() {
    let root = workspace();
    let dir = root.join("tests/bundler");
    let pkg =
        std::env::var_os("KICKWIRE_WASM_PKG").map_or_else(|| root.join("wasm/pkg"), PathBuf::from);
    for (present, what) in [
        (
            Command::new("node").arg("--version").output().is_ok(),
            "node is missing (Debian: apt-get install nodejs npm)",
        ),
        (
            ["vite", "playwright-core"]
                .iter()
                .all(|m| dir.join("node_modules").join(m).is_dir()),
            "tests/bundler/node_modules is missing: (cd tests/bundler && npm ci --no-audit --no-fund --ignore-scripts)",
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
        assert!(present, "{what}");
    }

    let started = Instant::now();
    let mut child = Command::new("node")
        .arg("run.mjs")
        .current_dir(&dir)
        .env("KICKWIRE_WASM_PKG", &pkg)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node tests/bundler/run.mjs");
    let stdout = spawn_collect(child.stdout.take().expect("stdout"), false);
    let stderr = spawn_collect(child.stderr.take().expect("stderr"), true);
    let status = wait_or_kill(&mut child, RUN_TIMEOUT);
    let out = stdout.join().unwrap_or_default();
    let log = stderr.join().unwrap_or_default();
    eprintln!("bundler: {:.1?}\n{out}", started.elapsed());

    let status = status.unwrap_or_else(|| {
        panic!("run.mjs did not finish within {RUN_TIMEOUT:?}\n--- stdout ---\n{out}\n--- stderr ---\n{log}")
    });
    assert!(
        status.success(),
        "run.mjs failed ({status})\n--- stdout ---\n{out}\n--- stderr ---\n{log}"
    );
    let ok = out
        .lines()
        .find(|l| l.starts_with("BUNDLER ok vite="))
        .unwrap_or_else(|| {
            panic!("no `BUNDLER ok` line\n--- stdout ---\n{out}\n--- stderr ---\n{log}")
        });
    let assets = ok
        .split_once(" assets=")
        .map_or("", |(_, a)| a)
        .split(',')
        .collect::<Vec<_>>();
    for (prefix, ext) in [
        ("kickwire_core_bg-", ".wasm"),
        ("kickwire_lookup_bg-", ".wasm"),
        ("kickwire_lookup-", ".js"),
    ] {
        assert!(
            assets
                .iter()
                .any(|a| a.starts_with(prefix) && a.ends_with(ext)),
            "no {prefix}*{ext} among the bundle's assets: {ok}"
        );
    }
}

/// All of `stream`, returned at the end; echoed as it comes (visible with --nocapture) when
/// `echo`.
fn spawn_collect(stream: impl Read + Send + 'static, echo: bool) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if echo {
                eprintln!("{line}");
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    })
}

/// Waits at most `limit` for the child, then kills it: its exit status, or `None` if killed.
fn wait_or_kill(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}
