#!/usr/bin/env bash
# The browser benchmark (tests/overlay-e2e/bench.mjs): kickwire's KickDecoder against
# pusher-js's JSON.parse-twice over every real frame of tests/vectors/kick, in headless
# Chromium (Playwright, Debian's /usr/bin/chromium), served from 127.0.0.1. Builds the package
# (wasm/build.sh) when wasm/pkg has none, then prints one line:
#   BROWSER_BENCH frames=N kickwire_events_per_s=.. json_parse_events_per_s=.. kickwire_vs_json_parse=RATIO
# (RATIO > 1: kickwire faster). Details go to stderr. Nothing about speed is asserted.
# BENCH_ROUNDS and BENCH_ROUND_MS change the rounds (default 15 of about 150 ms each).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f wasm/pkg/kickwire.js ] || [ ! -f wasm/pkg/kickwire_core_bg.wasm ]; then
    echo "==> wasm/pkg missing: bash wasm/build.sh" >&2
    bash wasm/build.sh >&2
fi
if [ ! -d tests/overlay-e2e/node_modules/playwright-core ]; then
    echo "==> installing tests/overlay-e2e's packages (playwright-core)" >&2
    (cd tests/overlay-e2e && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >&2
fi
line=$(node tests/overlay-e2e/bench.mjs | grep '^BROWSER_BENCH ' | tail -n 1)
if [ -z "$line" ]; then
    echo "the benchmark printed no BROWSER_BENCH line" >&2
    exit 1
fi
echo "$line"
