//! The browser client and the OBS overlay through `kickwire relay`, in real headless Chromium
//! (`tests/overlay-e2e/relay.mjs`, Playwright): both pages connect to the relay's endpoint only
//! (the client's `{ url }` option, the overlay's `url=`), and three real chat frames published
//! upstream (sockudo) reach each of them once, with the texts Kick sent.
//!
//! Needs node, the npm packages of `tests/overlay-e2e`, `wasm/pkg` (`bash wasm/build.sh`) and
//! `/usr/bin/chromium`; `scripts/test.sh` provides them all.

mod common;

use std::process::Command;
use std::time::Duration;

use common::relay::{self, Relay};
use kickwire_tests::browser::{
    CHANNEL, CHATROOM, package_dir, publish, require, run_verdict_script, workspace,
};
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};

const SCENARIOS: &[&str] = &[
    "overlay-connects-to-the-relay",
    "api-connects-to-the-relay",
    "chat-reaches-both-once",
    "loopback-only",
];

#[test]
fn the_browser_client_and_the_overlay_receive_through_the_relay() {
    require("tests/overlay-e2e", &["playwright-core"]);
    let upstream = Sockudo::start(Options::default());
    // `publish` serves both servers; only sockudo is used here.
    let centrifugo = CentrifugoServer::start().expect("start the Centrifugo test server");
    let url = format!("ws://127.0.0.1:{}", upstream.port());
    let (room, chan) = (CHATROOM.to_string(), CHANNEL.to_string());
    let relay = Relay::start(&relay::args(&url, &[(&room, &chan)]), 1);
    let addr = relay.endpoint();
    let relay = relay.cli;

    let mut command = Command::new("node");
    command
        .arg("relay.mjs")
        .current_dir(workspace().join("tests/overlay-e2e"))
        .env("PKG_DIR", package_dir())
        .env("OVERLAY_DIR", workspace().join("examples/overlay"))
        .env("RELAY_URL", format!("ws://{addr}"));
    run_verdict_script(
        command,
        "relay.mjs",
        Duration::from_secs(120),
        |msg| match msg["action"].as_str() {
            Some("publish") => publish(msg, &upstream, &centrifugo),
            other => Err(format!("unknown action {other:?}")),
        },
    )
    .assert_all_passed("relay.mjs", SCENARIOS);
    relay.interrupt();
    let (code, stderr) = relay.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
    // Three chat events in, three out: no copy was made on the way.
    assert!(stderr.contains("events in 3 out 3 copies 0"), "{stderr}");
}
