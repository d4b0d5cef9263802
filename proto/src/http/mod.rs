//! Kick's HTTP helpers, sans-IO: a builder writes a [`Request`] (method, URL, headers, body) into
//! a buffer you give it; you send it with whatever HTTP client you have, then hand the reply's
//! status, one header fact and body bytes to the matching parser. Nothing here does I/O, keeps a
//! clock, retries, allocates or panics.
//!
//! Three exchanges, in the order a client needs them (the repository's `docs/ARCHITECTURE.md`,
//! "How Kick delivers events"):
//!
//! 1. **Channel info** by slug, `GET https://kick.com/api/v2/channels/{slug}`: the chatroom id,
//!    channel id and (while live) livestream id ([`ChannelLookup`], [`channel_info_request`],
//!    [`parse_channel_info`]). kick.com sits behind Cloudflare, which often refuses non-browser
//!    clients ([`ReplyError::Cloudflare`]): let your users give the two ids directly as well
//!    ([`crate::kick::channels::Ids`]).
//! 2. **Transport negotiation**, `POST https://web.kick.com/api/v1/realtime/channels/{channel_id}/chat/connection`:
//!    which server carries this chat, Centrifugo or Pusher ([`chat_connection_request`],
//!    [`parse_connection`], [`Endpoint`]).
//! 3. **Guest token** for Centrifugo, `POST https://web.kick.com/api/v1/realtime/auth/connection`
//!    ([`token_request`], [`parse_token`], [`GuestToken`]). Use the same [`ClientId`] as in 2.
//!
//! Two more read what a channel is like rather than how to reach its chat:
//!
//! - **Room info** from the same channel reply as 1 ([`parse_room_info`], [`RoomInfo`]): title,
//!   viewers, category, followers, chat settings.
//! - **Recent chat**, `GET https://web.kick.com/api/v1/chat/{channel_id}/history`
//!   ([`chat_history_request`], [`parse_chat_history`]): each message a
//!   [`kick::ChatMessage`](crate::kick::ChatMessage), handed over one at a time.
//!
//! Kick's official public API (OAuth 2.1 on `id.kick.com`, REST on `api.kick.com`: sending chat,
//! event subscriptions) is in [`official`].
//!
//! Then open the WebSocket ([`Endpoint::websocket_url`]) with `Origin: https://kick.com`
//! ([`KICK_ORIGIN`]) and subscribe to [`crate::kick::channels::Ids::channels`].
//!
//! ```
//! use kickwire_proto::http::{self, ClientId, Endpoint};
//! use kickwire_proto::Transport;
//!
//! let mut buf = [0u8; http::REQUEST_BUFFER];
//! let client = ClientId::from_random([7; 16]); // from your RNG
//! let req = http::chat_connection_request(668, &client, &[Transport::Centrifugo], &mut buf)?;
//! assert_eq!(req.url, "https://web.kick.com/api/v1/realtime/channels/668/chat/connection");
//! // ... send `req`, get the reply ...
//! let reply = br#"{"data":{"connections":[{"credentials":{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}"#;
//! let endpoint = http::parse_connection(200, false, reply)?;
//! let mut url = [0u8; 256];
//! assert_eq!(
//!     endpoint.websocket_url(&mut url)?,
//!     "wss://realtime.us-west-2.platform.kick.com/connection/websocket"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Headers.** Builders give the headers a plain HTTP client should send: `accept` and, for
//! bodies, `content-type`; an honest `user-agent` ([`USER_AGENT`], no browser disguise); and for
//! the `web.kick.com` realtime endpoints `origin: https://kick.com` and `referer:
//! https://kick.com/`, which Kick checks. A browser does not let a page set `origin` or `referer`
//! (and may ignore `user-agent`): drop them there; in a browser these calls only work from a page
//! on kick.com (kicksdk 0.2.0 `src/realtime/mod.rs`), elsewhere relay them through a server.
//!
//! **Where the shapes come from.** No Kick documentation covers these endpoints; each parser's
//! docs name the public client code its request and reply shapes were taken from, and accept
//! every variant those sources disagree on.

mod base64url;
mod channel;
mod client_id;
mod error;
mod history;
mod jwt;
mod negotiation;
pub mod official;
mod reply;
mod request;
mod room;
mod token;

pub use channel::{ChannelInfo, ChannelLookup, Lookup, channel_info_request, parse_channel_info};
pub use client_id::ClientId;
pub use error::{ReplyError, RequestError};
pub use history::{History, chat_history_request, parse_chat_history};
pub use negotiation::{Endpoint, chat_connection_request, connection_request, parse_connection};
pub use reply::is_cloudflare_refusal;
pub use request::{Method, Request};
pub use room::{RoomInfo, parse_room_info};
pub use token::{AUTH_CONNECTION_URL, GuestToken, parse_token, token_request};

/// A buffer this big always holds any request built here (URL and body together); the largest,
/// a negotiation with both providers and a 48-byte client id, takes under 300 bytes.
pub const REQUEST_BUFFER: usize = 512;

/// The `user-agent` the builders send: this crate's name and version, no browser disguise.
pub const USER_AGENT: &str = concat!("kickwire/", env!("CARGO_PKG_VERSION"));

/// Kick's Pusher app key (what its web client has used for years).
pub const KICK_PUSHER_KEY: &str = "32cbd69e4b950bf97679";
/// The Pusher cluster of Kick's app.
pub const KICK_PUSHER_CLUSTER: &str = "us2";

/// The `origin` Kick's realtime endpoints and its Centrifugo server accept (they refuse others).
/// Send it on the WebSocket handshake too.
pub const KICK_ORIGIN: &str = "https://kick.com";
