//! The pieces of the `kickwire` command that other crates (its tests) reuse.

// Library code returns text; the binary prints it (through `terminal`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod alerts;
pub mod describe;
pub mod endpoint;
pub mod lines;
pub mod publish;
pub mod relay;
pub mod terminal;
pub mod webhook;
