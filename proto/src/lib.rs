//! # kickwire-proto
//!
//! The protocol core of [kickwire](https://github.com/kickwire/kickwire): receive Kick.com
//! live-stream events (chat, subs, gifts, bans, polls, stream live/end, ...) anywhere, from a
//! browser page to a microcontroller. `#![no_std]`, never allocates, forbids `unsafe`, and never
//! panics on any input: bad input gives a typed error and the caller goes on with the next
//! message.
//!
//! Kick delivers events over the Pusher Channels protocol v7 and over Centrifugo; the payloads
//! are the same on both. This crate decodes either:
//!
//! ```
//! use kickwire_proto::{decode, Message, kick::Event};
//!
//! // One WebSocket text message, as received (a real frame from a public capture).
//! let frame = br#"{"event":"App\\Events\\GiftedSubscriptionsEvent","data":"{\"chatroom_id\":2507974,\"gifted_usernames\":[\"bigboss_23\"],\"gifter_username\":\"court\"}","channel":"chatrooms.2507974.v2"}"#;
//! let mut scratch = [0u8; kickwire_proto::limits::MAX_PAYLOAD];
//! for message in decode(frame, &mut scratch) {
//!     match message {
//!         Ok(Message::Kick { event: Event::GiftedSubscriptions(g), .. }) => {
//!             assert_eq!(g.gifter_username.as_str(), "court");
//!             assert_eq!(g.gifted_count, 1);
//!         }
//!         Ok(other) => println!("{other:?}"),
//!         Err(e) => println!("bad message: {e}"), // and go on
//!     }
//! }
//! ```
//!
//! ## Layers
//! - [`envelope`]: Pusher frames and Centrifugo messages, borrowed from the input.
//! - [`json`]: the scanner and unescaping (both levels of Kick's double encoding).
//! - [`kick`]: typed events, one struct per event, fixed capacities from [`limits`].
//! - [`message`]: all three in one call, over every envelope of a received message: typed
//!   events ([`decode`]) or payloads left as JSON text ([`json_events`]).
//! - [`conn`]: sans-IO connection state machines for Pusher v7 and Centrifugo: feed in what the
//!   socket and the clock did, get frames to send, lifecycle events, Kick events and the next
//!   timer back (the driving loop is in its docs).
//! - [`alerts`]: one alert per happening (Kick's copies of a sub, a host, a gift's chunks, a
//!   chat line merged; first words marked), fed typed or JSON events, time passed in.
//! - [`http`]: Kick's channel lookup, transport negotiation and guest token as request builders
//!   and reply parsers; [`kick::channels`]: the channel names of a chatroom.
//!
//! The repository's `docs/ARCHITECTURE.md` draws these layers and the front ends on them, and
//! says where to add an event or a transport.
//!
//! ## Features
//! | feature | effect |
//! |---|---|
//! | `serde` | `serde::Serialize` for events (JSON output of the CLI, the wasm bridge) |
//! | `defmt` | `defmt::Format` for public types (firmware logs) |
//! | `std`   | additive conveniences only; nothing changes behaviour |
//!
//! MSRV: the workspace's `rust-version` (1.95).

#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

#[cfg(any(feature = "std", test))]
extern crate std;

pub mod alerts;
mod bytes;
pub mod conn;
pub mod describe;
pub mod envelope;
mod error;
pub mod http;
pub mod json;
pub mod kick;
pub mod limits;
pub mod message;
mod text;
pub mod write;

pub use envelope::Transport;
pub use error::{DecodeError, Layer, SyntaxError};
pub use kick::time::Timestamp;
pub use message::redact;
pub use message::{
    JsonEvent, JsonEvents, Message, Messages, decode, json_events, pusher_json_events,
};
#[allow(deprecated)]
pub use message::{RawEvent, RawEvents, raw_events};
pub use text::{List, Text};
