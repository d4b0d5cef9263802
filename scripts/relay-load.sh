#!/usr/bin/env bash
# Load benchmark of `kickwire relay` (not a test, not in CI): one relay on loopback with
# RELAY_CHATS upstream chats from a real sockudo and RELAY_CLIENTS clients on its endpoint.
# Prints RELAY_LOAD lines: deliveries per second, latency from the HTTP trigger into sockudo
# to a client (p50/p99/max), and the relay's RSS; each relay phase follows a baseline phase
# with the same clients on sockudo directly, measured in the same run.
#
#   RELAY_CHATS=1000 RELAY_CLIENTS=1000 RELAY_EVENTS=20000 RELAY_HOT=200
#
# Needs sockudo (`bash scripts/sockudo.sh install`) and about 2,000 open files.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p kickwire-cli --bin kickwire -p kickwire-tests --bin relay_load >&2
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
target/release/relay_load --kickwire target/release/kickwire \
  --chats "${RELAY_CHATS:-1000}" --clients "${RELAY_CLIENTS:-1000}" \
  --events "${RELAY_EVENTS:-20000}" --hot "${RELAY_HOT:-200}"
