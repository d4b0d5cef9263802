#!/usr/bin/env bash
# Runs every test of the workspace, installing what it needs first (idempotent; slow tools are
# cached outside the repository, in ~/.cargo/bin). This is the command README.md and .ci/run use.
#
#   FUZZ_SECONDS=30   seconds per fuzz target (0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
# RUSTUP_AUTO_INSTALL=0 on these machines: targets and components must be added explicitly.
step "toolchain: targets and components"
rustup target add riscv32imc-unknown-none-elf wasm32-unknown-unknown >&2
rustup component add clippy rustfmt >&2

step "format"
cargo fmt --all --check

# tests/qemu-rv is its own workspace (a bare-metal target): format it too.
(cd tests/qemu-rv && cargo fmt --check)

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p kickwire-proto --all-targets --all-features -- -D warnings
cargo clippy -p kickwire-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings
# Each module alone, with the features wasm/build.sh builds it with: the Pusher-only core, the
# lookups with Centrifugo, the alerts.
cargo clippy -p kickwire-wasm --target wasm32-unknown-unknown --no-default-features --features core -- -D warnings
cargo clippy -p kickwire-wasm --target wasm32-unknown-unknown --no-default-features --features lookups,centrifugo -- -D warnings
cargo clippy -p kickwire-wasm --target wasm32-unknown-unknown --no-default-features --features alerts -- -D warnings
# The board's TLS verifier and its test are behind the `tls` feature.
cargo clippy -p kickwire-board --all-targets --features tls -- -D warnings
# The link's std side (TCP, TLS, HTTP, the blocking socket) is behind its `std` feature.
cargo clippy -p kickwire-link --all-targets --all-features -- -D warnings
(cd tests/qemu-rv && cargo clippy --release -- -D warnings)

step "sockudo 5.2.0 (real Pusher server for the integration tests; cached, cold build 10-20 min)"
bash scripts/sockudo.sh install

step "npm packages of tests/centrifuge-js (the official Centrifugo JS client; needs node and npm)"
if [ ! -d tests/centrifuge-js/node_modules ]; then
  # Exact versions from package-lock.json; no install scripts (the JSON client needs none).
  (cd tests/centrifuge-js && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >&2
fi

step "npm packages of tests/pusher-js (pusher-js, the reference Pusher client, for the relay's endpoint tests; needs node and npm)"
if [ ! -d tests/pusher-js/node_modules/pusher-js ]; then
  # Exact versions from package-lock.json; no install scripts.
  (cd tests/pusher-js && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >&2
fi

step "browser tests: wasm-bindgen-cli (pinned to the wasm crate's wasm-bindgen), Chromium and ChromeDriver"
WBG_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml)
[ -n "$WBG_VERSION" ] || { echo "cannot read the pinned wasm-bindgen version in wasm/Cargo.toml" >&2; exit 1; }
if ! wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  # About 4 min, once (cached in ~/.cargo/bin). Not --locked: its lockfile names a crate
  # version this registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" >&2
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >&2
fi

step "overlay end-to-end test: npm packages of tests/overlay-e2e (Playwright, no browser download; recheck and typescript for linear_regex.rs and typings.rs) and wasm/pkg"
if [ ! -d tests/overlay-e2e/node_modules/recheck ]; then
  # Exact versions from package-lock.json; no install scripts (playwright-core needs none and
  # uses Debian's /usr/bin/chromium).
  (cd tests/overlay-e2e && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >&2
fi
# Built as on a new machine (scripts/fresh.sh: empty HOME and cache, its tools off PATH), so
# that an install step that only works on a warm machine fails here, not on a user's: it
# once stopped silently where wasm-opt was missing. About 2 min more than a warm build.
step "browser package, built as on a fresh machine (wasm-opt, esbuild, wasm-bindgen hidden; empty HOME and cache)"
bash scripts/fresh.sh --hide wasm-opt --hide esbuild --hide wasm-bindgen --hide wasm-bindgen-test-runner \
  -- bash wasm/build.sh
if [ ! -d tests/bundler/node_modules ]; then
  # The bundler test (Vite builds an app that imports the package). Exact versions from its
  # lockfile, no install scripts; rollup is its wasm build (see tests/bundler/package.json).
  (cd tests/bundler && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >&2
fi

step "QEMU for proto on an emulated RV32IMC core (tests/tests/qemu_rv.rs; Debian qemu-system-misc)"
bash scripts/qemu-rv.sh install

step "tests"
cargo test --workspace
cargo test -p kickwire-proto --all-features
# The board's pinning TLS verifier against a loopback TLS 1.3 server (rustls, fresh rcgen keys).
cargo test -p kickwire-board --features tls --test tls_pin
# The link's std side against loopback servers (plain and TLS).
cargo test -p kickwire-link --features std

step "soak: 100,000 events through sockudo to kickwire watch (its SOAK line: lost/duplicated/reordered, peak memory)"
cargo test -p kickwire-cli --test soak -- --ignored --nocapture

step "browser benchmark (headless Chromium): kickwire vs JSON.parse twice, its BROWSER_BENCH line"
bash wasm/bench.sh

step "no_std builds: proto for riscv32imc and wasm32 (no default features, defmt, serde), the link and the board logic for riscv32imc"
cargo build -p kickwire-proto --no-default-features --target riscv32imc-unknown-none-elf
cargo build -p kickwire-proto --no-default-features --target wasm32-unknown-unknown
cargo build -p kickwire-proto --features defmt --target riscv32imc-unknown-none-elf
cargo build -p kickwire-proto --features serde --target riscv32imc-unknown-none-elf
cargo build -p kickwire-link --target riscv32imc-unknown-none-elf
cargo build -p kickwire-link --features defmt --target riscv32imc-unknown-none-elf
cargo build -p kickwire-board --target riscv32imc-unknown-none-elf
cargo build -p kickwire-board --features defmt --target riscv32imc-unknown-none-elf
cargo build -p kickwire-board --features tls,defmt --target riscv32imc-unknown-none-elf

step "firmware (ESP32-C3): format, clippy with and without TLS, then build, app images (esptool from PyPI) and size budgets"
# firmware/ is its own workspace (target riscv32imc in its .cargo/config.toml), hence the cd.
(cd firmware && cargo fmt --check &&
  cargo clippy --release -- -D warnings &&
  cargo clippy --release --features tls -- -D warnings &&
  cargo clippy --release --features tls-insecure -- -D warnings) </dev/null
bash scripts/firmware.sh

step "docs (as docs.rs builds them, warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc -p kickwire-proto --no-deps --all-features
RUSTDOCFLAGS="-D warnings" cargo doc -p kickwire-wasm --no-deps --target wasm32-unknown-unknown
RUSTDOCFLAGS="-D warnings" cargo doc -p kickwire-board --no-deps --all-features
RUSTDOCFLAGS="-D warnings" cargo doc -p kickwire-link --no-deps --all-features

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  step "fuzz: ${FUZZ_SECONDS}s per target"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --version 0.13.2 >&2
  fi
  # On stable, cargo-fuzz needs RUSTC_BOOTSTRAP for its -Z flags; set it on every call so a
  # cached failed rustc probe in fuzz/target never poisons later runs. `-s none`: proto forbids
  # unsafe code, so AddressSanitizer would add nothing; overflow checks stay on.
  export RUSTC_BOOTSTRAP=1
  # The targets' shared helpers (fuzz/src: a JSON reader keeping member order, frame and
  # server models) have unit tests of their own.
  (cd fuzz && cargo test --lib --quiet) >&2
  bash fuzz/seed.sh >&2
  for target in $(cargo fuzz list --fuzz-dir fuzz); do
    step "fuzz $target"
    log="fuzz/target/fuzz-$target.log"
    mkdir -p fuzz/target
    # Each target's own dictionary (fuzz/dict/<target>.dict), else the frame one.
    dict=$PWD/fuzz/dict/$target.dict
    [ -f "$dict" ] || dict=$PWD/fuzz/dict/frames.dict
    if ! cargo fuzz run --fuzz-dir fuzz -s none "$target" -- -max_total_time="$FUZZ_SECONDS" \
      -dict="$dict" >"$log" 2>&1; then
      tail -n 60 "$log" >&2
      echo "fuzz target $target failed (crash or build error): see fuzz/artifacts/$target" >&2
      exit 1
    fi
    grep -E '^Done [0-9]+ runs' "$log" >&2 || { tail -n 20 "$log" >&2; exit 1; }
  done
fi
step "all tests passed"
