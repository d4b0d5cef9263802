#!/usr/bin/env bash
# The real Pusher-protocol server the integration tests run against: sockudo, built from
# crates.io into a cache outside the repository (neither its source nor the binary is committed).
#
#   sockudo.sh install   # idempotent: builds only when $SOCKUDO_ROOT/bin/sockudo is not 5.2.0
#   sockudo.sh path      # prints the binary's path (installed or not)
#
# Env: SOCKUDO_ROOT (install prefix, default ~/.cache/pusher-it/sockudo-5.2.0). The tests find
# the binary there too, or at $KICKWIRE_SOCKUDO (see tests/src/sockudo.rs).
set -euo pipefail

SOCKUDO_VERSION=5.2.0
SOCKUDO_ROOT=${SOCKUDO_ROOT:-$HOME/.cache/pusher-it/sockudo-$SOCKUDO_VERSION}
BIN=$SOCKUDO_ROOT/bin/sockudo

installed() {
  # Compare the whole line: a different version (or a broken binary) means rebuild.
  [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null || true)" = "sockudo $SOCKUDO_VERSION" ]
}

case "${1:-}" in
  install)
    if installed; then
      echo "sockudo $SOCKUDO_VERSION already installed: $BIN" >&2
      exit 0
    fi
    # protoc is needed by a build script (metrics-exporter-tcp); without it the build fails
    # minutes in. openssl-sys needs the headers and pkg-config. Only touch apt when one is missing.
    if ! command -v protoc >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1 \
      || ! [ -f /usr/include/openssl/ssl.h ] || ! command -v cc >/dev/null 2>&1; then
      echo "installing build dependencies: protobuf-compiler libssl-dev pkg-config build-essential" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        protobuf-compiler libssl-dev pkg-config build-essential >&2
    fi
    echo "building sockudo $SOCKUDO_VERSION into $SOCKUDO_ROOT (cold build: 10-20 min on 2 cores)" >&2
    # `local` alone: the default features add OpenTelemetry and sockudo's own V2 protocol,
    # which a Pusher-v7 test server does not need. --locked: sockudo's own lock file.
    cargo install sockudo --version "$SOCKUDO_VERSION" --locked --no-default-features \
      --features local --root "$SOCKUDO_ROOT"
    installed || { echo "sockudo build finished but $BIN --version is not $SOCKUDO_VERSION" >&2; exit 1; }
    ;;
  path)
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 install|path" >&2
    exit 2
    ;;
esac
