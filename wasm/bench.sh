#!/usr/bin/env bash
# The browser benchmark (wasm/tests/bench.rs) in headless Chromium, release build: prints a
# BROWSER_BENCH line with events/s for kickwire and for pusher-js-style JSON.parse twice.
set -euo pipefail
cd "$(dirname "$0")/.."
KICKWIRE_BROWSER_BENCH=1 CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
    cargo test -p kickwire-wasm --target wasm32-unknown-unknown --release --test bench -- --nocapture 2>&1 \
    | grep -o "BROWSER_BENCH.*" | tail -n 1
