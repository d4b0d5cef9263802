//! kickwire-proto on an emulated RV32IMC core (QEMU `virt`, riscv-rt, semihosting).
//!
//! Prints, one line each (format in [`out`]):
//! 1. `TARGET usize_bits=32 …`: proof of where it runs;
//! 2. `FILE` / `EVENT` / `CONTROL` / `BAD`: every vector frame decoded ([`vectors`]), for the
//!    host test to compare with the hand-checked expected files;
//! 3. `CHECKS`: the Pusher and Centrifugo flows, the 32-bit arithmetic cases and every kind of
//!    the event table through the facts ([`facts::run`]), the alert machine on real frames
//!    ([`alerts::run`]), asserted here (`FAIL` lines for failures);
//! 4. `MEMORY`: the RAM a board needs ([`memory`]);
//! 5. `RESULT`: the totals. The exit code is 0 only if every frame decoded and every check passed.
//!
//! With `--features cost`, only the instructions per chat message ([`cost`]).
//!
//! Run with `cargo run --release` from this directory (the runner is in .cargo/config.toml),
//! or through the host test `cargo test -p kickwire-tests --test qemu_rv`.

#![no_std]
#![no_main]

mod alerts;
mod arith;
mod centrifugo_flow;
mod check;
#[cfg(feature = "cost")]
mod cost;
mod drive;
mod facts;
mod memory;
mod out;
mod pusher_flow;
mod vectors;

#[riscv_rt::entry]
fn main() -> ! {
    semihosting::println!(
        "TARGET\tusize_bits={}\tarch=riscv32imc\tmachine=qemu-virt",
        usize::BITS
    );
    if cfg!(feature = "cost") {
        #[cfg(feature = "cost")]
        cost::run();
        semihosting::process::exit(0)
    }
    let v = vectors::run();
    let mut failed = v.bad as u32;
    let mut passed = 0u32;
    for checks in [
        pusher_flow::run(),
        centrifugo_flow::run(),
        arith::run(),
        facts::run(),
        alerts::run(),
    ] {
        checks.summary();
        failed += checks.failed;
        passed += checks.passed;
    }
    // The board's RAM (its alert machine included) must stay within the goal.
    let board_total = memory::report();
    if board_total > memory::GOAL {
        semihosting::println!(
            "FAIL\tmemory\tmemory.rs\tthe board takes {} bytes, over the goal of {}",
            board_total,
            memory::GOAL
        );
        failed += 1;
    }
    semihosting::println!(
        "RESULT\tfiles={}\tframes={}\tbad_frames={}\tchecks_passed={}\tfailed={}",
        v.files,
        v.frames,
        v.bad,
        passed,
        failed
    );
    semihosting::process::exit(if failed == 0 { 0 } else { 1 })
}
