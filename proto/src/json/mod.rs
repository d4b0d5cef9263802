//! The JSON layer: a pull [`reader`](EscapedStr) that returns strings still escaped,
//! unescaping, lenient typed field readers, and a [`probe`] of a few fields of a payload.
//! Written by hand because the payload is JSON inside a JSON string and must be decoded twice
//! with no allocator; see "Double encoding" in the repository's `docs/ARCHITECTURE.md`.

mod escaped;
pub(crate) mod field;
pub mod probe;
pub(crate) mod reader;
pub(crate) mod scan;
mod unescape;

pub(crate) use reader::text;
#[allow(deprecated)]
pub use reader::{EscapedStr, RawStr};
pub use unescape::{UnescapeError, unescape_in_place, unescape_into};
