#!/usr/bin/env bash
# Builds the ESP32-C3 firmware (release) in two variants -- `plain` (ws:// only, the default
# features) and `tls` (`--features tls`: wss://, embedded-tls) --, turns each ELF into a
# flashable app image with esptool (PyPI, cached in a venv), prints one size line per variant
# and fails if an image outgrows its budget in firmware/size-budget.txt. Non-interactive: fine
# under CI=true with no stdin.
#
#   KICKWIRE_*                 the firmware's build-time configuration (firmware/README.md);
#                              none needed: by default the `tls` variant targets Kick's wss://
#                              endpoint and the `plain` one builds but does not connect
#   KICKWIRE_FIRMWARE_VARIANTS which variants to build (default "plain tls"); e.g. "tls" with
#                              a wss:// KICKWIRE_SERVER_URL, which the plain variant refuses
#   KICKWIRE_ESPTOOL_VENV      where to keep esptool (default ~/.cache/kickwire/esptool)
#
# Then checks that the configuration rules hold: a wss:// server without KICKWIRE_TLS_PIN, or
# with a pin that is not one, fails the build (feature `tls-insecure` lets the first build).
set -euo pipefail
cd "$(dirname "$0")/.."

ESPTOOL_VERSION=5.6.0
VENV=${KICKWIRE_ESPTOOL_VENV:-$HOME/.cache/kickwire/esptool}
ELF=firmware/target/riscv32imc-unknown-none-elf/release/kickwire-firmware

step() { printf '\n==> %s\n' "$*" >&2; }

step "toolchain: riscv32imc target (RUSTUP_AUTO_INSTALL=0 here: add it explicitly)"
rustup target add riscv32imc-unknown-none-elf >&2

step "esptool $ESPTOOL_VERSION (venv at $VENV)"
if ! "$VENV/bin/esptool" version 2>/dev/null | grep -q "$ESPTOOL_VERSION"; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv) >&2
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input "esptool==$ESPTOOL_VERSION" </dev/null >&2
fi

VARIANTS=${KICKWIRE_FIRMWARE_VARIANTS:-plain tls}
OUT=firmware/target/riscv32imc-unknown-none-elf/release
failed=0
for variant in $VARIANTS; do
  case $variant in
    plain) features=() ;;
    tls) features=(--features tls) ;;
    *) echo "KICKWIRE_FIRMWARE_VARIANTS: unknown variant '$variant' (plain, tls)" >&2; exit 2 ;;
  esac
  # Both variants share one target dir (cargo keeps both builds); the ELF is copied out because
  # the next build overwrites it.
  elf=$OUT/kickwire-firmware-$variant.elf
  image=$OUT/kickwire-firmware-$variant.bin

  step "firmware ($variant): cargo build --release ${features[*]:-} (its own workspace and .cargo/config.toml, hence the cd)"
  start=$(date +%s)
  (cd firmware && cargo build --release "${features[@]}") </dev/null
  echo "firmware build ($variant): $(($(date +%s) - start)) s" >&2
  cp "$ELF" "$elf"

  step "app image ($variant): esptool elf2image"
  "$VENV/bin/esptool" --chip esp32c3 elf2image --output "$image" "$elf" </dev/null >&2
  "$VENV/bin/esptool" image-info "$image" </dev/null >/dev/null

  step "size report ($variant)"
  image_bytes=$(stat -c %s "$image")
  # `size -A` per section; Berkeley totals would count .stack and the *_dummy placeholders.
  section() { size -A "$elf" | awk -v s="$1" '$1 == s { print $2; f = 1 } END { if (!f) print 0 }'; }
  text=$(( $(section .text) + $(section .rwtext) + $(section .rwtext.wifi) + $(section .trap) ))
  rodata=$(( $(section .rodata) + $(section .rodata.wifi) ))
  data=$(( $(section .data) + $(section .data.wifi) ))
  bss=$(section .bss)
  static_ram=$((data + bss))
  budget=$(awk -F= -v v="$variant" '!/^#/ && $1 == v { gsub(/[[:space:]]/, "", $2); print $2 }' firmware/size-budget.txt)
  echo "FIRMWARE variant=$variant image_bytes=$image_bytes static_ram=$static_ram (.data+.bss) text=$text rodata=$rodata data=$data bss=$bss budget=${budget:-none}"

  if [ -z "$budget" ] || [ "$image_bytes" -gt "$budget" ]; then
    echo "firmware ($variant) image is $image_bytes bytes, over the budget of ${budget:-?} bytes for '$variant' in firmware/size-budget.txt" >&2
    failed=1
  fi
done

# The build refuses to talk to a wss:// server it cannot authenticate: build.rs must fail, with
# its message, for a wss:// URL without a pin and for a pin that is not one; `tls-insecure`
# lets the first build. `cargo check` runs the same build script (the dependencies are already
# built above). The KICKWIRE_* settings of the caller are cleared, a Wi-Fi name set (without
# one the firmware joins no network and build.rs lets it build, see firmware/README.md).
step "configuration checks: wss:// without a pin does not build; a bad pin does not build; tls-insecure does"
check_env=(env -u KICKWIRE_TLS_PIN -u KICKWIRE_TLS_PIN_BACKUP -u KICKWIRE_TLS
  -u KICKWIRE_SERVER_HOST -u KICKWIRE_SERVER_PORT -u KICKWIRE_SERVER_PATH
  KICKWIRE_WIFI_SSID=kickwire-check KICKWIRE_SERVER_URL=wss://relay.example.org/ws)
expect_refused() { # name, expected message, then the command
  local name=$1 message=$2 log
  shift 2
  log=$(mktemp)
  if (cd firmware && "$@") </dev/null >"$log" 2>&1; then
    echo "FIRMWARE check=$name FAILED: the build succeeded" >&2
    failed=1
  elif grep -qF "$message" "$log"; then
    echo "FIRMWARE check=$name ok: refused with \"$message\""
  else
    echo "FIRMWARE check=$name FAILED: refused, but without \"$message\":" >&2
    tail -n 20 "$log" >&2
    failed=1
  fi
  rm -f "$log"
}
expect_refused no-pin "needs a pin: set KICKWIRE_TLS_PIN" \
  "${check_env[@]}" cargo check --release --features tls
expect_refused bad-pin 'KICKWIRE_TLS_PIN="not-a-pin": expected the base64 of a SHA-256' \
  "${check_env[@]}" KICKWIRE_TLS_PIN=not-a-pin cargo check --release --features tls
if (cd firmware && "${check_env[@]}" cargo check --release --features tls-insecure) </dev/null >/dev/null 2>&1; then
  echo "FIRMWARE check=tls-insecure ok: builds without a pin"
else
  echo "FIRMWARE check=tls-insecure FAILED: does not build without a pin" >&2
  failed=1
fi
exit $failed
