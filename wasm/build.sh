#!/usr/bin/env bash
# Builds the npm-style package of the browser client into wasm/pkg:
#   kickwire.js (ES module), kickwire_bg.wasm, kickwire.d.ts (with every event's type),
#   package.json, README.md.
# Installs what it needs when missing: the wasm32 target, wasm-bindgen-cli pinned to the
# crate's wasm-bindgen version, and wasm-opt (binaryen 132 from npm, cached in ~/.cache).
# Ends with a size line: gzipped .wasm + JS glue against pusher-js's pusher.min.js (17.8 KB).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*" >&2; }
WBG_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' wasm/Cargo.toml)
OUT=wasm/pkg

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
    step "installing wasm-bindgen-cli $WBG_VERSION (about 4 min, once)"
    # Not --locked: its lockfile names a crate version this registry mirror lacks.
    cargo install wasm-bindgen-cli --version "$WBG_VERSION" >&2
fi
# wasm-opt: binaryen before 110 writes every exported table as table 0 (binaryen#4711), and
# the package then fails at init() ("Table.set(): Argument 1 is invalid"). Debian bookworm
# ships 108, so take binaryen's npm build (run by node) unless a recent wasm-opt is installed.
BINARYEN_NPM=132.0.0
WASM_OPT=(wasm-opt)
have=$(wasm-opt --version 2>/dev/null | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p')
if [ "${have:-0}" -lt 110 ]; then
    dir="${XDG_CACHE_HOME:-$HOME/.cache}/kickwire/binaryen-$BINARYEN_NPM"
    if [ ! -f "$dir/node_modules/binaryen/bin/wasm-opt" ]; then
        step "installing binaryen $BINARYEN_NPM from npm (wasm-opt ${have:-none} has binaryen#4711)"
        mkdir -p "$dir"
        (cd "$dir" && echo '{"private":true}' >package.json &&
            timeout 300 npm install --no-audit --no-fund --ignore-scripts "binaryen@$BINARYEN_NPM") >&2
    fi
    WASM_OPT=(node "$dir/node_modules/binaryen/bin/wasm-opt")
fi

step "cargo build (wasm32, profile wasm-release)"
cargo build -p kickwire-wasm --target wasm32-unknown-unknown --profile wasm-release >&2
WASM=target/wasm32-unknown-unknown/wasm-release/kickwire_wasm.wasm

step "wasm-bindgen --target web"
rm -rf "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name kickwire "$WASM"

step "wasm-opt -Oz"
"${WASM_OPT[@]}" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$OUT/kickwire_bg.wasm" -o "$OUT/kickwire_bg.opt.wasm"
mv "$OUT/kickwire_bg.opt.wasm" "$OUT/kickwire_bg.wasm"

# Event payload types, written by hand from the JSON the crate produces.
cat wasm/types/events.d.ts >> "$OUT/kickwire.d.ts"
cp wasm/package.json wasm/README.md "$OUT/"

wasm_gz=$(gzip -9 -c "$OUT/kickwire_bg.wasm" | wc -c)
js_gz=$(gzip -9 -c "$OUT/kickwire.js" | wc -c)
budget=17800 # pusher-js 8.4.0 pusher.min.js, gzipped
total=$((wasm_gz + js_gz))
echo "SIZE wasm_gz=$wasm_gz js_gz=$js_gz total_gz=$total pusher_js_gz=$budget ratio=$(awk -v t=$total -v b=$budget 'BEGIN { printf "%.2f", t / b }')"
