#!/usr/bin/env bash
# proto on an emulated RV32IMC core: installs QEMU when it is missing, then builds and runs
# tests/qemu-rv (its own cargo workspace) under qemu-system-riscv32 (machine `virt`,
# semihosting). Non-interactive: fine with CI=true and no stdin.
#
#   bash scripts/qemu-rv.sh            install if needed, build, run (exit code = the target's)
#   bash scripts/qemu-rv.sh install    only make sure qemu-system-riscv32 and the target exist
#
# The host test tests/tests/qemu_rv.rs does the build-and-run part itself and checks the
# output against the vectors; scripts/test.sh calls `install` before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "qemu-system-riscv32 (Debian qemu-system-misc)"
if ! command -v qemu-system-riscv32 >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
  # About 10 s and 208 MB; --no-install-recommends keeps out the GUI bits.
  ($SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends qemu-system-misc) >&2 </dev/null
fi
qemu-system-riscv32 --version | head -n 1 >&2

# RUSTUP_AUTO_INSTALL=0 on these machines: the target must be added explicitly.
rustup target add riscv32imc-unknown-none-elf >&2

if [ "${1:-}" = "install" ]; then
  exit 0
fi

step "build and run tests/qemu-rv on qemu-system-riscv32 -machine virt"
# Cargo reads .cargo/config.toml (target, runner) from the current directory only.
cd tests/qemu-rv
exec timeout 300 cargo run --release </dev/null
