//! The browser package's JavaScript API (`wasm/pkg/kickwire.js`: `init`, `KickConnection`,
//! `KickDecoder`, `parts`) in real headless Chromium, driven by Playwright
//! (`tests/overlay-e2e/api.mjs`), against a real Pusher server (sockudo) and the Centrifugo
//! test server on 127.0.0.1: connect() and its answer, Kick's payloads exactly as Kick sent
//! them with `(data, meta)`, event names, unknown events, lifecycle events and states, off(),
//! rawData, disconnect(), a refused connection, bad options, the decoder on real frames (a
//! Centrifugo message refused by the core module's, read once `KickDecoder.create({ centrifugo:
//! true })` loaded the lookup module), a payload that is not JSON; and the lazily loaded lookup
//! module (`kickwire_lookup_bg.wasm`):
//! never fetched for Pusher connections given ids (a page of its own loads the API and the
//! core module only), fetched for Centrifugo connections (it runs them), once for slugs (the `_` -> `-`
//! retry after a 404), a Cloudflare refusal, and Kick's guest token for Centrifugo; alerts
//! (`alerts: true`: a sub's five events and a chunked gift, each one `Alert` with the real
//! total, a gift told by the machine's timer), kick-live-connector's names (`Events`, camelCase
//! names in `on()`, one warning per unknown name), `getRoomInfo()`, `fetchRoomInfoOnConnect`
//! and `ViewerCount`; the recent chat (`history: true`: oldest first and marked, merged with
//! its live copy by the alert machine, a Cloudflare refusal and a page Kick does not answer);
//! the extras (`kickwire_extras.js`, the alerts module) never fetched by
//! pages that do not use them. Kick's
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

use std::net::{Ipv4Addr, TcpListener};
use std::process::Command;
use std::time::Duration;

use kickwire_tests::browser::{package_dir, publish, require, run_verdict_script, workspace};
use kickwire_tests::centrifugo::CentrifugoServer;
use kickwire_tests::sockudo::{Options, Sockudo};

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
    "secrets-redacted",
    "secrets-kept",
    "secrets-rules",
    "secrets-every-vector",
    "parts-linear",
    "connect-centrifugo",
    "error-repeats",
    "oversize-message",
    "ids-no-lookup",
    "slug-lookup",
    "slug-cloudflare",
    "guest-token",
    "alerts-sub-copies",
    "alerts-gift-chunks",
    "alerts-secrets",
    "alerts-gift-timer",
    "klc-names",
    "room-info",
    "viewer-count",
    "history-oldest-first",
    "history-alerts-once",
    "history-secrets",
    "history-refused",
    "token-retry",
    "token-in-flight",
    "server-urls",
    "page-clean",
    "loopback-only",
];

#[test]
fn the_js_api_works_in_chromium_against_real_servers() {
    require("tests/overlay-e2e", &["playwright-core"]);
    let e2e = workspace().join("tests/overlay-e2e");
    let pkg = package_dir();

    let sockudo = Sockudo::start(Options::default());
    let centrifugo = CentrifugoServer::start().expect("start the Centrifugo test server");
    centrifugo.accept_token(TOKEN, None);
    centrifugo.accept_token(GUEST_TOKEN, None);
    // A loopback port nothing listens on: bound, read, closed.
    let closed_port = {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        l.local_addr().expect("local_addr").port()
    };

    let mut command = Command::new("node");
    command
        .arg("api.mjs")
        .current_dir(&e2e)
        .env("PKG_DIR", &pkg)
        .env("PUSHER_URL", format!("ws://127.0.0.1:{}", sockudo.port()))
        .env("CENTRIFUGO_URL", centrifugo.url())
        .env("CENTRIFUGO_TOKEN", TOKEN)
        .env("CENTRIFUGO_GUEST_TOKEN", GUEST_TOKEN)
        .env("CLOSED_URL", format!("ws://127.0.0.1:{closed_port}"));
    run_verdict_script(command, "api.mjs", RUN_TIMEOUT, |msg| {
        match msg["action"].as_str() {
            Some("publish") => publish(msg, &sockudo, &centrifugo),
            Some("send_raw") => {
                let text = msg["text"].as_str().ok_or("no text")?;
                if centrifugo.send_raw(text) == 0 {
                    return Err("no Centrifugo connection".into());
                }
                Ok(())
            }
            other => Err(format!("unknown action {other:?}")),
        }
    })
    .assert_all_passed("api.mjs", SCENARIOS);
}
