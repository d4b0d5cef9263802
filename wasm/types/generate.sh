#!/usr/bin/env bash
# Regenerates wasm/types/events.d.ts: the type of every Kick event's payload as Kick sends it
# (JSON.parse of a frame's `data`), derived from the real frames in tests/vectors, with the
# event table of proto/src/kick/events.rs and the listener names of wasm/src/names.rs. Needs
# python3 only.
# wasm/build.sh appends the result to wasm/js/kickwire.d.ts to make the package's typings.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 wasm/types/generate.py >"$tmp"
mv "$tmp" wasm/types/events.d.ts
trap - EXIT
echo "wrote wasm/types/events.d.ts ($(grep -c '^export ' wasm/types/events.d.ts) declarations)" >&2
