//! The pieces of the `kickwire` command that other crates (its tests) reuse.

pub mod describe;
