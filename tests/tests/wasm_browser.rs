//! The browser client's WebAssembly exports in real headless Chromium: runs the wasm crate's
//! wasm-bindgen tests (`wasm/tests/bindings.rs`: `kw_decode` records, slots, a
//! whole Pusher and Centrifugo connection through the exports, redaction, a failed token fetch,
//! a subscribe timeout, coalesced errors, the HTTP exports with canned replies) and checks that they ran and passed. The JavaScript API over a real server is
//! tested with Playwright (tests/tests/overlay_e2e.rs).
//!
//! Needs `wasm-bindgen-test-runner` (wasm-bindgen-cli, pinned to the crate's wasm-bindgen; the
//! runner is set in .cargo/config.toml) and Debian's `chromium` and `chromium-driver`;
//! `scripts/test.sh` installs them.

use std::process::Command;

/// The tests of `wasm/tests/bindings.rs`: each must be reported `ok` (a renamed or lost test
/// fails here instead of passing silently).
const TESTS: &[&str] = &[
    "decode_gives_a_record_pointing_at_the_unescaped_payload",
    "decode_reads_a_centrifugo_batch_past_its_ping_and_a_bad_line",
    "decode_passes_unknown_events_with_their_wire_name",
    "decode_skips_transport_messages_and_malformed_ones",
    "the_core_modules_decoder_reads_pusher_frames_and_refuses_centrifugo_messages",
    "eight_slots_then_none_until_one_is_freed",
    "a_pusher_connection_from_open_to_reconnect",
    "a_pusher_close_code_that_refuses_ends_the_connection",
    "a_centrifugo_connection_asks_for_a_token_then_sends_it",
    "redact_cuts_the_secrets_out_of_a_message_in_place",
    "a_failed_token_fetch_is_asked_again_after_a_growing_back_off",
    "a_subscribe_left_unanswered_is_sent_again",
    "a_burst_of_bad_messages_is_one_error_with_its_repeats",
    "start_and_subscribe_errors_are_texts",
    "lookup_retries_a_404_with_dashes_then_finds_the_ids",
    "negotiation_and_guest_token_requests_and_replies",
];

#[test]
fn the_wasm_exports_pass_their_tests_in_chromium() {
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
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&workspace)
        // --nocapture: the browser's console output (panics included) reaches the report.
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
            "CHROMEDRIVER",
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .output()
        .expect("run cargo test for wasm32");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("Running headless tests in Chrome"),
        "the tests did not run in headless Chromium:\n{stdout}\n{stderr}"
    );
    for name in TESTS {
        assert!(
            stdout.contains(&format!("test {name} ... ok")),
            "{name} did not run and pass:\n{stdout}"
        );
    }
    let ran = stdout
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ... ok"))
        .count();
    assert!(ran >= TESTS.len(), "only {ran} tests passed:\n{stdout}");
}
