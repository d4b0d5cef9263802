//! What a [`Publisher`](super::Publisher) publishes into, and its bounds.

use std::fmt;
use std::time::Duration;

use kickwire_link::Url;

use super::Backoff;

/// Pusher's limit on events in one `batch_events` request.
pub const MAX_BATCH: usize = 10;
/// Pusher's limit on one event's data, 10 KiB (an engine answers 413 above it).
pub const MAX_DATA: usize = 10 * 1024;
/// Events held while the engine is down or slow, by default.
pub const DEFAULT_QUEUE_BOUND: usize = 10_000;
/// Bound on connecting to the engine and on each read and write of a request, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where to publish, with which credentials, and the publisher's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The engine's base URL, `http://host:port` or `https://host` (no path): requests go to
    /// `{url}/apps/{app_id}/batch_events`.
    pub url: String,
    /// The app id (letters, digits, `-` and `_`).
    pub app_id: String,
    /// The app key (`auth_key`).
    pub app_key: String,
    /// The app secret that signs each request. Never sent.
    pub app_secret: String,
    /// The most events held, in flight included ([`DEFAULT_QUEUE_BOUND`]).
    pub queue_bound: usize,
    /// The most events in one request, 1 to [`MAX_BATCH`] ([`MAX_BATCH`]).
    pub batch_max: usize,
    /// The most bytes of data an event may have ([`MAX_DATA`]); a larger event is dropped
    /// and counted when it is published, never sent.
    pub max_data: usize,
    /// How long to wait between retries.
    pub backoff: Backoff,
    /// Bound on connecting and on each read and write of one request ([`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
}

impl Config {
    /// A configuration with the default bounds.
    #[must_use]
    pub fn new(url: &str, app_id: &str, app_key: &str, app_secret: &str) -> Self {
        Self {
            url: url.to_owned(),
            app_id: app_id.to_owned(),
            app_key: app_key.to_owned(),
            app_secret: app_secret.to_owned(),
            queue_bound: DEFAULT_QUEUE_BOUND,
            batch_max: MAX_BATCH,
            max_data: MAX_DATA,
            backoff: Backoff::default(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The engine's base URL without a trailing `/`, and the path of the `batch_events`
    /// endpoint (the one that is signed).
    pub(super) fn endpoint(&self) -> (&str, String) {
        (
            self.url.trim_end_matches('/'),
            format!("/apps/{}/batch_events", self.app_id),
        )
    }

    /// Checks what [`Publisher::start`](super::Publisher::start) needs.
    ///
    /// # Errors
    /// The first thing wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let url = Url::parse_http(&self.url).map_err(|_| ConfigError::Url)?;
        if url.target != "/" {
            return Err(ConfigError::Url);
        }
        let id_ok = !self.app_id.is_empty()
            && self
                .app_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(ConfigError::AppId);
        }
        // The key goes into the query unescaped, as Pusher signs it.
        let key_ok = !self.app_key.is_empty()
            && self
                .app_key
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"&=#?%+".contains(&b));
        if !key_ok {
            return Err(ConfigError::AppKey);
        }
        if self.app_secret.is_empty() {
            return Err(ConfigError::AppSecret);
        }
        if !(1..=MAX_BATCH).contains(&self.batch_max) || self.queue_bound == 0 {
            return Err(ConfigError::Bounds);
        }
        Ok(())
    }
}

/// Why a [`Config`] cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigError {
    /// The URL is not `http://` or `https://` with a host, or has a path.
    Url,
    /// The app id is empty or has characters other than letters, digits, `-` and `_`.
    AppId,
    /// The app key is empty or has characters that would need escaping in a query.
    AppKey,
    /// The app secret is empty.
    AppSecret,
    /// The batch size is not 1 to [`MAX_BATCH`], or the queue bound is 0.
    Bounds,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Url => {
                "the publish URL must be http://host[:port] or https://host[:port], with no path"
            }
            Self::AppId => "the app id must be letters, digits, '-' and '_'",
            Self::AppKey => {
                "the app key must be printable ASCII without '&', '=', '#', '?', '%' or '+'"
            }
            Self::AppSecret => "the app secret is empty",
            Self::Bounds => "the batch size must be 1 to 10 and the queue bound at least 1",
        })
    }
}

impl std::error::Error for ConfigError {}
