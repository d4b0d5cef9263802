//! # kickwire-board
//!
//! The logic of the kickwire alert board, kept apart from the hardware so that it runs and is
//! tested on the host: Kick events in (Kick's copies of one happening merged: [`Machine`]), LED
//! frames out. The ESP32-C3 firmware (`firmware/`) and the terminal simulator
//! (`examples/alert-sim`) both use it.
#![no_std]

// Unit tests build on the host and may allocate.
#[cfg(test)]
extern crate std;

pub mod alert;
pub mod color;
pub mod engine;
/// The WebSocket link, now the `kickwire-link` crate; re-exported so that the board's users
/// keep one path for it.
pub use kickwire_link as link;
mod machine;
pub mod memory;
mod queue;
#[cfg(feature = "tls")]
pub mod tls;

pub use alert::Alert;
pub use color::Rgb;
pub use engine::{Board, Config, QUEUE_CAPACITY};
pub use machine::Machine;
