//! The browser client (`wasm/`) in real headless Chromium against a real Pusher-protocol
//! server: starts sockudo on 127.0.0.1, keeps publishing a real chat frame to it, and runs the
//! wasm crate's browser tests (`wasm/tests/browser.rs`) with the server's address.
//!
//! Needs `wasm-bindgen-test-runner` (wasm-bindgen-cli, pinned to the crate's wasm-bindgen) and
//! Debian's `chromium` and `chromium-driver`; `scripts/test.sh` installs them.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kickwire_tests::sockudo::{Options, Sockudo};
use kickwire_tests::vectors_dir;
use serde_json::Value;

#[test]
fn the_browser_client_receives_events_from_sockudo_in_chromium() {
    for tool in ["wasm-bindgen-test-runner", "chromedriver", "chromium"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{tool} is missing: run bash scripts/test.sh, which installs it"
        );
    }
    let server = Sockudo::start(Options::default());
    // ChatMessageEvent.jsonl line 2: its data string, published as Kick's backend would.
    let frames =
        std::fs::read_to_string(vectors_dir().join("kick/ChatMessageEvent.jsonl")).unwrap();
    let frame: Value = serde_json::from_str(frames.lines().nth(1).unwrap()).unwrap();
    let data = frame["data"].as_str().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        let publisher = scope.spawn(|| {
            // Until the browser test is done (bounded: 5 minutes), every 200 ms.
            for _ in 0..1500 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let _ = server.trigger(
                    "chatrooms.2507974.v2",
                    "App\\Events\\ChatMessageEvent",
                    &data,
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(&workspace)
            // --nocapture: the browser's console output reaches stdout, so a skipped server
            // test is seen below instead of passing silently.
            .args([
                "test",
                "-p",
                "kickwire-wasm",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "--nocapture",
            ])
            .env(
                "KICKWIRE_TEST_PUSHER_URL",
                format!("ws://127.0.0.1:{}", server.port()),
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60")
            .output()
            .expect("run cargo test for wasm32");
        stop.store(true, Ordering::SeqCst);
        publisher.join().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "browser tests failed:\n{stdout}\n{stderr}"
        );
        assert!(
            stdout.contains("test receives_a_chat_message_from_a_real_pusher_server ... ok"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("KICKWIRE_TEST_PUSHER_URL not set"),
            "the server test was skipped:\n{stdout}"
        );
    });
}
