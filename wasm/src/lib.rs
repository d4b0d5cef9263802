//! # kickwire-wasm
//!
//! Kick.com live events in the browser, with no server of your own: kickwire's protocol core
//! (`kickwire-proto`) driven by the browser's `WebSocket`, `fetch` and timers, with a
//! JavaScript API in the spirit of kick-live-connector:
//!
//! ```js
//! import init, { KickConnection } from "./kickwire.js";
//! await init();
//! const kick = new KickConnection({ chatroomId: 2507974, channelId: 2515504 });
//! kick.on("ChatMessage", (m) => console.log(m.sender.username, m.content));
//! kick.on("GiftedSubscriptions", (g) => console.log(g.gifter_username, g.gifted_count));
//! await kick.connect();
//! ```
//!
//! Events carry Kick's own field names (the same objects as `kickwire replay --json`); chat
//! messages also carry `parts`, their text split into text and emotes with image URLs.

mod connection;
mod convert;
mod decoder;
mod fetch;
mod options;

pub use connection::KickConnection;
pub use decoder::KickDecoder;
