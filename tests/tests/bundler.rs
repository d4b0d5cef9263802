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

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kickwire_tests::browser::{package_dir, require, workspace};
use kickwire_tests::process::{spawn_collect, wait_or_kill};

/// Bound on the whole run of the script (it gives up by itself after 120 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn the_package_works_from_vite_in_chromium() {
    require("tests/bundler", &["vite", "playwright-core"]);
    let dir = workspace().join("tests/bundler");
    let pkg = package_dir();

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
        // Named in kickwire_extras.js, which kickwire.js imports on demand: Vite follows both.
        ("kickwire_alerts_bg-", ".wasm"),
    ] {
        assert!(
            assets
                .iter()
                .any(|a| a.starts_with(prefix) && a.ends_with(ext)),
            "no {prefix}*{ext} among the bundle's assets: {ok}"
        );
    }
}
