//! Helpers shared by the fuzz targets (each target is a `[[bin]]` of this crate).
//!
//! - [`json`]: JSON as serde_json reads it, keeping what our parsers treat differently in view
//!   (member order, escaped strings, number forms), so a target can skip what is deliberately
//!   different and compare the rest;
//! - [`field`]: what kickwire-proto's lenient field readers must make of such a value (ids as
//!   numbers or numeric strings, booleans in every form, text from any scalar), as the proto
//!   docs describe them;
//! - [`ws`]: WebSocket frames (RFC 6455 section 5) built and parsed by hand;
//! - [`server`]: what a server sent on one socket, and what the board's link must make of it.

pub mod field;
pub mod json;
pub mod server;
pub mod ws;
