//! Publishing into any Pusher HTTP API (sockudo, soketi, Pusher itself): the relay's
//! `--publish`, which hands fan-out to an engine built for it.
//!
//! A [`Publisher`] takes events from any thread ([`Publisher::publish`] never blocks on the
//! network) into a bounded [`Queue`], and one sender thread posts them, in order, as signed
//! `POST /apps/{id}/batch_events` requests of up to ten events ([`sign`], [`batch_body`]).
//!
//! - **Retries.** No connection, a timeout, a 5xx or a 429: the same events are sent again
//!   after a [`Backoff`] (0.5 s doubling to 30 s, with jitter), re-signed each time, for as
//!   long as it takes. Nothing is lost on an outage while the queue holds.
//! - **Drops, counted by [`DropReason`].** The queue full: the oldest waiting event goes
//!   (live events: the newest matter most). An event the engine would never take (data over
//!   10 KiB, a bad channel or event name) is dropped when published, so that it cannot spoil
//!   a batch. A batch the engine refuses (a 4xx other than 429: bad signature, unknown app)
//!   is dropped, and the engine's answer kept in [`Stats::last_error`].
//! - **Shutdown.** [`Publisher::shutdown`] sends what is queued until a deadline and reports
//!   what is left.
//!
//! The HTTP client is `kickwire_link::http` (the CLI's own, `http://` and `https://`, one
//! request per connection, every step bounded by [`Config::timeout`]).

mod backoff;
mod config;
mod event;
mod outcome;
mod publisher;
mod queue;
mod reason;
mod sender;
mod shared;
pub mod sign;
mod stats;

pub use backoff::Backoff;
pub use config::{Config, ConfigError, DEFAULT_QUEUE_BOUND, DEFAULT_TIMEOUT, MAX_BATCH, MAX_DATA};
pub use event::{Event, MAX_CHANNEL_NAME, MAX_EVENT_NAME, batch_body};
pub use outcome::Outcome;
pub use publisher::{Publisher, Shutdown};
pub use queue::{Push, Queue};
pub use reason::DropReason;
pub use stats::{Engine, Stats};
