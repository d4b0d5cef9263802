//! Decodes every embedded vector frame on the target and prints one line per frame:
//!
//! - `EVENT <file>:<line> <Type> channel="…" <facts…>` for a Kick event (facts: [`crate::facts`]);
//! - `CONTROL <file>:<line> <name>` for a transport message;
//! - `BAD <file>:<line> <what>` when a frame does not decode to exactly one message.
//!
//! and `FILE <file> frames=<n>` before each file. The host compares the lines with the
//! hand-checked `.expected.jsonl` files; this side asserts nothing about values.

use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::{Message, decode};

use crate::out::Line;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
}

/// Line `n` (from 1) of the embedded file `name` (its path under `tests/vectors`).
pub fn line(name: &str, n: usize) -> &'static [u8] {
    embedded::FILES
        .iter()
        .find(|(f, _)| *f == name)
        .and_then(|(_, bytes)| lines(bytes).nth(n.wrapping_sub(1)))
        .unwrap_or(b"")
}

/// Frames and files seen, for the summary line.
pub struct Counts {
    pub files: usize,
    pub frames: usize,
    pub bad: usize,
}

/// Decodes every frame of every embedded file, printing as described in the module docs.
pub fn run() -> Counts {
    let mut counts = Counts {
        files: 0,
        frames: 0,
        bad: 0,
    };
    // One scratch and one message reused for every frame, as a board would.
    let mut scratch = [0u8; MAX_PAYLOAD];
    let mut message = Message::default();
    for (name, bytes) in embedded::FILES {
        counts.files += 1;
        let frames = lines(bytes).count();
        Line::new("FILE")
            .col(name)
            .col_fmt(format_args!("frames={frames}"))
            .print();
        for (i, frame) in lines(bytes).enumerate() {
            counts.frames += 1;
            let at = At(name, i + 1);
            if !frame_line(at, frame, &mut scratch, &mut message) {
                counts.bad += 1;
            }
        }
    }
    counts
}

/// `file:line`.
#[derive(Clone, Copy)]
struct At<'a>(&'a str, usize);

impl core::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

/// The lines of a JSONL file, as the host counts them: one per `\n`, the empty piece after a
/// final newline dropped (an empty line inside is kept, and fails as a frame).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Decodes one frame and prints its line; false if it was not exactly one good message.
fn frame_line(at: At<'_>, frame: &[u8], scratch: &mut [u8], out: &mut Message) -> bool {
    let mut messages = decode(frame, scratch);
    let first = messages.next_into(out);
    let ok = match first {
        None => {
            bad(at, format_args!("no message"));
            false
        }
        Some(Err(e)) => {
            bad(at, format_args!("decode error: {e}"));
            false
        }
        Some(Ok(())) => {
            let mut l = Line::new("EVENT");
            match &*out {
                Message::Kick { channel, event, .. } => {
                    l.col_fmt(format_args!("{at}"))
                        .col(event.type_name())
                        .str("channel", channel);
                    crate::facts::event(&mut l, event);
                }
                Message::Control { name, .. } => {
                    l = Line::new("CONTROL");
                    l.col_fmt(format_args!("{at}")).col(name);
                }
            }
            l.print();
            true
        }
    };
    // Exactly one message per frame: a second one is a failure of its own.
    let mut extra = Message::default();
    if ok && messages.next_into(&mut extra).is_some() {
        bad(at, format_args!("more than one message"));
        return false;
    }
    ok
}

fn bad(at: At<'_>, what: core::fmt::Arguments<'_>) {
    Line::new("BAD")
        .col_fmt(format_args!("{at}"))
        .col_fmt(what)
        .print();
}
