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
exit $failed
