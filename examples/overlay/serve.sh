#!/usr/bin/env bash
# Serves the overlay on http://127.0.0.1:8080/ (PORT=... to change), with the browser package
# copied next to it as ./pkg (built first when missing). Loopback only: OBS on the same machine
# reaches it; nothing else does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -f "$root/wasm/pkg/kickwire.js" ] || bash "$root/wasm/build.sh"
rm -rf "$here/pkg"
cp -r "$root/wasm/pkg" "$here/pkg"
echo "overlay: http://127.0.0.1:${PORT:-8080}/?channel=SLUG (or ?chatroom=N&channelId=N)" >&2
exec python3 -m http.server --bind 127.0.0.1 --directory "$here" "${PORT:-8080}"
