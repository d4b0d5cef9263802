//! Kick's official webhooks: judging one request to `POST /kick/webhook`, with no I/O.
//!
//! Kick delivers each subscribed event as an HTTP POST signed with its RSA key. A server
//! (the relay) reads the request and hands it to [`Webhook::judge`] with the current time;
//! the [`Verdict`] says which status to answer and, for a new verified event, what to hand
//! on. Nothing unverified is ever handed on.
//!
//! # The checks, in order
//!
//! 1. **Route** (404, 405): the path is [`PATH`] (a query string is ignored) and the method
//!    `POST`. Known from the request line, before anything else.
//! 2. **Size** (413): the body is at most [`MAX_BODY`] bytes. [`Webhook::judge_head`] makes
//!    these first two checks on the declared `Content-Length`, so that a server refuses an
//!    oversized body without reading it.
//! 3. **Headers** (400): `Kick-Event-Message-Id`, `Kick-Event-Message-Timestamp` and
//!    `Kick-Event-Type` are present and well-formed (ids and names are short tokens; the
//!    timestamp is a time); `Kick-Event-Version` and `Kick-Event-Subscription-Id` are
//!    checked if present and handed on, not required.
//! 4. **Signature** (401): `Kick-Event-Signature` is present, is base64, and is an
//!    RSASSA-PKCS1-v1_5 SHA-256 signature by the configured key (Kick's, built in, by
//!    default: [`PublicKey::kick`]) of `{message id}.{timestamp}.{raw body}`, with the two
//!    headers exactly as sent. Checked before the clock and the seen ids, so that a forger
//!    learns nothing from them and cannot fill the set of seen ids; and so that a stale
//!    count means late deliveries from Kick, which its developers report happen, not
//!    forgeries.
//! 5. **Seen** (200, not delivered): a message id already delivered is Kick retrying (it
//!    retries until it gets a 200 and may unsubscribe an endpoint that keeps failing), so it
//!    is answered 200 and never handed on twice. The last [`DEFAULT_RECENT_IDS`] ids are
//!    kept by default, the oldest forgotten first.
//! 6. **Replay window** (400): the signed timestamp is within the window of `now`, either way
//!    ([`DEFAULT_REPLAY_WINDOW`], 10 minutes, by default): an old signed delivery captured
//!    somewhere cannot be replayed once its id is forgotten.
//! 7. **Broadcaster** (200): the body's `broadcaster.user_id` says whose channel the event is
//!    for. Without one the event is answered 200 ([`Verdict::Unroutable`]; a retry would be
//!    no better) and not handed on; with one it is [`Verdict::Deliver`].
//!
//! Every request adds one to exactly one counter of [`Counts`]: delivered, duplicate,
//! unroutable, or rejected for its [`Reason`].
//!
//! The event type, version and subscription id are not covered by Kick's signature: a
//! [`Delivery`] carries them as sent.
//!
//! ```
//! use kickwire_cli::webhook::{Config, Reason, Request, Verdict, Webhook};
//! use kickwire_proto::Timestamp;
//!
//! let mut webhook = Webhook::new(Config::default());
//! let request = Request {
//!     method: "POST",
//!     path: "/kick/webhook",
//!     headers: &[
//!         ("Kick-Event-Message-Id", "01JHHDD0RAGEZ2P5NBTK5AF6TJ"),
//!         ("Kick-Event-Message-Timestamp", "2025-01-14T16:08:06Z"),
//!         ("Kick-Event-Type", "channel.followed"),
//!     ],
//!     body: br#"{"broadcaster":{"user_id":123456789}}"#,
//! };
//! let now = Timestamp::parse_str("2025-01-14T16:08:07Z").unwrap();
//! // No signature: 401, counted.
//! assert_eq!(webhook.judge(&request, now), Verdict::Reject(Reason::MissingSignature));
//! assert_eq!(webhook.judge(&request, now).status(), 401);
//! assert_eq!(webhook.counts().rejected(Reason::MissingSignature), 2);
//! ```

// Requests come from anyone on the network: nothing here may panic on them.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod base64;
mod body;
mod counts;
pub mod headers;
mod judge;
mod key;
mod reason;
mod request;
mod seen;
mod spki;
mod verdict;

pub use counts::Counts;
pub use judge::{Config, DEFAULT_RECENT_IDS, DEFAULT_REPLAY_WINDOW, MAX_BODY, PATH, Webhook};
pub use key::{KICK_PUBLIC_KEY_PEM, KeyError, PublicKey};
pub use reason::Reason;
pub use request::Request;
pub use verdict::{Delivery, Verdict};
