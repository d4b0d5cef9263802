//! # kickwire-wasm
//!
//! The WebAssembly half of kickwire's browser client. JavaScript (`js/kickwire.js`, shipped in
//! the package) owns the WebSocket, `fetch` and the timers and offers the API; this crate runs
//! `kickwire-proto` for it: the Pusher and Centrifugo state machines, the envelopes of every
//! message, the second decoding of Kick's `data`, and Kick's HTTP lookups.
//!
//! It builds as three modules (`wasm/build.sh`; every feature is on by default, for the tests):
//! the one every page loads (feature `core`: Pusher connections and the decoder of Pusher
//! frames), the lookups module (features `lookups` and `centrifugo`: Kick's HTTP lookups,
//! Centrifugo connections and the decoder of both transports), which JavaScript loads only when
//! a slug, Kick's transport negotiation, a guest token, a Centrifugo connection or a decoder of
//! Centrifugo messages is needed, and the alert machine (feature `alerts`). Centrifugo is left
//! out of the first because only pages on kick.com can use Kick's, and those load the lookups
//! anyway (see `Conn` in `src/slots.rs` for how proto leaves it out, and [`decoder`]).
//!
//! The boundary is a set of exported functions taking plain numbers, and two buffers in the
//! module's memory ([`shared`]): no value crosses through an allocator, and the module has
//! none. The functions are exported by name with the C ABI (`#[unsafe(no_mangle)] pub extern
//! "C" fn kw_…`), and the module imports nothing: JavaScript instantiates it itself and calls
//! the exports as they are. wasm-bindgen is not used: numbers need none of its conversions, and
//! its shim around every export and its loader cost about 2 KB gzipped of what every page
//! loads. Naming a symbol is the only unsafe part (two symbols of one name would clash at link
//! time); each export allows it on its own, with the `kw_` prefix no other crate uses.
//!
//! A Kick event reaches JavaScript as a record pointing at its payload's JSON text in that
//! memory ([`records`]), which the browser's own `JSON.parse` then reads, so payloads arrive
//! whole, with Kick's field names, and cost no Rust code per event type. Kick's secrets
//! (signed stream and picture URLs) are taken out unless the page asks to keep them: out of
//! each payload by JavaScript as it parses it (proto's rules, with `JSON.parse`'s reviver), out
//! of a `rawData` text by the lookups module ([`redact`]), which a page asking for `rawData`
//! loads.
//!
//! ```js
//! import init, { KickConnection } from "./kickwire.js";
//! await init();
//! const kick = new KickConnection({ chatroomId: 2507974, channelId: 2515504 });
//! kick.on("ChatMessage", (m) => console.log(m.sender.username, m.content));
//! await kick.connect();
//! ```

// No `std` in the shipped module: its panic and allocation machinery would be most of it.
// Nothing links `alloc` either, so no allocator is needed. (The tests, which need `std`, turn
// on the `std` feature.)
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
#![deny(unsafe_code)]

#[cfg(feature = "alerts")]
pub mod alerts;
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub mod conn;
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub mod decoder;
#[cfg(feature = "lookups")]
pub mod history;
#[cfg(feature = "lookups")]
pub mod http;
mod json;
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub mod names;
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub mod records;
#[cfg(any(feature = "lookups", feature = "alerts"))]
pub mod redact;
pub mod shared;
pub mod slots;
// Error texts: the alerts module has none.
#[cfg(any(feature = "core", feature = "lookups"))]
mod text;

/// A panic (none is expected: the code avoids every panicking operation it can) stops the
/// module with a trap, which JavaScript sees as an exception from the call.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
