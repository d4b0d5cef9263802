#!/usr/bin/env bash
# Instructions per chat message on RV32IMC (the ESP32-C3's ISA): tests/qemu-rv built with
# `--features cost` and run under qemu-system-riscv32 with `-icount shift=0`, so that the
# core's `minstret` counts the instructions it retires. Prints the target's `COST` lines and,
# for each, the chat messages per second of CPU of a 160 MHz core retiring one instruction a
# cycle (an upper bound: a real ESP32-C3 also waits on its flash cache).
# A measurement, not a test: the numbers are exact for this binary and QEMU, whatever the load.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/qemu-rv.sh install
cd tests/qemu-rv
cargo build --release --features cost >&2
qemu-system-riscv32 -machine virt -cpu rv32,a=false,f=false,d=false -m 64M -nographic \
    -monitor none -serial none -semihosting-config enable=on,target=native -bios none \
    -icount shift=0 -kernel target/riscv32imc-unknown-none-elf/release/kickwire-qemu-rv |
    awk -F'\t' '/^COST/ { print; for (i = 2; i <= NF; i++) if ($i ~ /^instret_per_frame=/) {
        split($i, kv, "="); printf "  %s: %.0f chat messages/s at 160 MHz, 1 instruction/cycle\n", $2, 160e6 / kv[2] } }'
