//! [`Webhook`]: the checks, in order, and the state they keep (recent ids, counters).

use std::time::Duration;

use kickwire_proto::Timestamp;

use super::seen::RecentIds;
use super::verdict::{Delivery, Verdict};
use super::{Counts, PublicKey, Reason, Request, body, headers};

/// The path Kick is told to deliver to.
pub const PATH: &str = "/kick/webhook";
/// The largest body taken: 64 KiB. Kick's documented payloads are under 2 KB; a chat message
/// is at most 500 characters.
pub const MAX_BODY: usize = 64 * 1024;
/// How far a delivery's timestamp may be from `now`, either way, by default.
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(10 * 60);
/// How many message ids are remembered by default.
pub const DEFAULT_RECENT_IDS: usize = 4096;

/// How a [`Webhook`] checks requests.
#[derive(Debug, Clone)]
pub struct Config {
    /// The key signatures must verify with: [`PublicKey::kick`] unless testing.
    pub key: PublicKey,
    /// How far the signed timestamp may be from `now`, before or after.
    pub replay_window: Duration,
    /// How many recent message ids are kept to turn retries away.
    pub recent_ids: usize,
}

impl Config {
    /// `key`, with the default replay window and number of recent ids.
    #[must_use]
    pub fn new(key: PublicKey) -> Self {
        Self {
            key,
            replay_window: DEFAULT_REPLAY_WINDOW,
            recent_ids: DEFAULT_RECENT_IDS,
        }
    }
}

impl Default for Config {
    /// Kick's key, with the default replay window and number of recent ids.
    fn default() -> Self {
        Self::new(PublicKey::kick())
    }
}

/// Judges requests to `POST /kick/webhook`; see the [module docs](super) for the checks and
/// their order. It does no I/O: the server reads the request, passes it in with the time, and
/// answers with [`Verdict::status`].
#[derive(Debug, Clone)]
pub struct Webhook {
    key: PublicKey,
    window_millis: i64,
    seen: RecentIds,
    counts: Counts,
}

impl Webhook {
    /// A webhook endpoint with `config`, having seen nothing.
    #[must_use]
    pub fn new(config: Config) -> Self {
        Self {
            key: config.key,
            window_millis: i64::try_from(config.replay_window.as_millis()).unwrap_or(i64::MAX),
            seen: RecentIds::new(config.recent_ids),
            counts: Counts::default(),
        }
    }

    /// What has become of the requests judged so far.
    #[must_use]
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Judges the request line and the declared body length before the body is read, so
    /// that a server never reads what it would refuse. `None`: read the body and call
    /// [`Webhook::judge`]. A rejection is counted.
    pub fn judge_head(
        &mut self,
        method: &str,
        path: &str,
        content_length: Option<u64>,
    ) -> Option<Verdict<'static>> {
        let too_large = content_length.is_some_and(|n| n > MAX_BODY as u64);
        let reason = route(method, path)
            .err()
            .or(too_large.then_some(Reason::TooLarge))?;
        Some(self.reject(reason))
    }

    /// Judges one whole request at time `now` (the server's clock). Every call adds one to
    /// exactly one counter of [`Webhook::counts`].
    pub fn judge<'a>(&mut self, request: &Request<'a>, now: Timestamp) -> Verdict<'a> {
        match self.check(request, now) {
            Ok(verdict) => verdict,
            Err(reason) => self.reject(reason),
        }
    }

    fn reject(&mut self, reason: Reason) -> Verdict<'static> {
        self.counts.reject(reason);
        Verdict::Reject(reason)
    }

    fn check<'a>(&mut self, request: &Request<'a>, now: Timestamp) -> Result<Verdict<'a>, Reason> {
        route(request.method, request.path)?;
        if request.body.len() > MAX_BODY {
            return Err(Reason::TooLarge);
        }
        let h = request.headers;
        // The signed parts first: a request without them cannot be checked at all.
        let message_id = headers::require(h, headers::MESSAGE_ID).and_then(headers::message_id)?;
        let stamp_text = headers::require(h, headers::TIMESTAMP)?;
        let timestamp = Timestamp::parse_str(stamp_text).ok_or(Reason::BadHeader)?;
        let event_type = headers::require(h, headers::EVENT_TYPE).and_then(headers::token)?;
        let version = headers::find(h, headers::EVENT_VERSION)?
            .map(headers::token)
            .transpose()?;
        let subscription_id = headers::find(h, headers::SUBSCRIPTION_ID)?
            .map(headers::token)
            .transpose()?;
        let signature = headers::find(h, headers::SIGNATURE)?.ok_or(Reason::MissingSignature)?;
        let signature = headers::signature(signature)?;

        let mut signed =
            Vec::with_capacity(message_id.len() + stamp_text.len() + request.body.len() + 2);
        signed.extend_from_slice(message_id.as_bytes());
        signed.push(b'.');
        signed.extend_from_slice(stamp_text.as_bytes());
        signed.push(b'.');
        signed.extend_from_slice(request.body);
        if !self.key.verify(&signed, &signature) {
            return Err(Reason::BadSignature);
        }

        // Kick's own retry: answered 200 whatever its age, so Kick stops sending it.
        if self.seen.contains(message_id) {
            self.counts.duplicates = self.counts.duplicates.saturating_add(1);
            return Ok(Verdict::Duplicate);
        }
        let age = now.unix_millis().saturating_sub(timestamp.unix_millis());
        if age > self.window_millis {
            return Err(Reason::Stale);
        }
        if age < -self.window_millis {
            return Err(Reason::Future);
        }

        self.seen.insert(message_id);
        let Some(broadcaster_user_id) = body::broadcaster_user_id(request.body) else {
            self.counts.unroutable = self.counts.unroutable.saturating_add(1);
            return Ok(Verdict::Unroutable);
        };
        self.counts.delivered = self.counts.delivered.saturating_add(1);
        Ok(Verdict::Deliver(Delivery {
            message_id,
            event_type,
            version,
            subscription_id,
            timestamp,
            broadcaster_user_id,
            body: request.body,
        }))
    }
}

/// 404 for another path, 405 for another method on ours.
fn route(method: &str, path: &str) -> Result<(), Reason> {
    let path = path.split_once('?').map_or(path, |(path, _query)| path);
    if path != PATH {
        return Err(Reason::NotFound);
    }
    if method != "POST" {
        return Err(Reason::MethodNotAllowed);
    }
    Ok(())
}
