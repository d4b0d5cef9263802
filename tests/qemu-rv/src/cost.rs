//! Instructions per chat message on RV32IMC (`--features cost`, run by `scripts/rv-cost.sh`
//! under `qemu-system-riscv32 -icount shift=0`, where `minstret` counts the instructions the
//! core retires, one virtual nanosecond each).
//!
//! Prints `COST path=<decoder path> frame=<vector> instret_per_frame=<n>` for the first chat
//! message of the vectors, decoded `REPS` times by each path a device would use: typed events
//! with `next_into` (the one-pass reader) and JSON events (`json_events`, payloads unescaped in
//! place, as the board does). An ESP32-C3 at 160 MHz retiring about one instruction a cycle
//! decodes `160e6 / n` such messages per second of CPU (it stalls on flash-cache misses, so
//! that is an upper bound).

use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::{Message, decode, json_events};

use crate::out::Line;

const REPS: u64 = 200;
const FRAME: (&str, usize) = ("kick/ChatMessageEvent.jsonl", 2);

fn instret() -> u64 {
    riscv::register::minstret::read64()
}

/// Instructions per call of `f`, less the loop's own (an empty run of the same loop).
fn per_call(mut f: impl FnMut() -> usize) -> u64 {
    let empty = {
        let start = instret();
        for _ in 0..REPS {
            core::hint::black_box(());
        }
        instret().wrapping_sub(start)
    };
    let start = instret();
    let mut sink = 0usize;
    for _ in 0..REPS {
        sink = sink.wrapping_add(f());
    }
    let spent = instret().wrapping_sub(start);
    core::hint::black_box(sink);
    spent.saturating_sub(empty) / REPS
}

pub fn run() {
    let frame = crate::vectors::line(FRAME.0, FRAME.1);
    let mut scratch = [0u8; MAX_PAYLOAD];
    let mut message = Message::default();
    let typed = per_call(|| {
        let mut n = 0;
        let mut messages = decode(core::hint::black_box(frame), &mut scratch);
        while let Some(Ok(())) = messages.next_into(&mut message) {
            n += 1;
        }
        n
    });
    let mut copy = [0u8; 2048];
    let len = frame.len().min(copy.len());
    let json = per_call(|| {
        // The JSON path unescapes in place: a fresh copy each time (its cost is measured out
        // below).
        copy[..len].copy_from_slice(&frame[..len]);
        let mut n = 0;
        let mut events = json_events(&mut copy[..len]);
        while let Some(Ok(e)) = events.next() {
            n += e.payload.len();
        }
        n
    });
    let copying = per_call(|| {
        copy[..len].copy_from_slice(core::hint::black_box(&frame[..len]));
        len
    });
    for (path, n) in [
        ("next_into", typed),
        ("json_events", json.saturating_sub(copying)),
    ] {
        Line::new("COST")
            .col_fmt(format_args!("path={path}"))
            .col_fmt(format_args!("frame={}:{}", FRAME.0, FRAME.1))
            .col_fmt(format_args!("bytes={}", frame.len()))
            .col_fmt(format_args!("instret_per_frame={n}"))
            .print();
    }
}
