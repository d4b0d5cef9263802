//! The sender thread: takes batches off the queue and posts them, retrying with back-off.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use kickwire_link::http;
use kickwire_link::net::Connector;

use super::backoff::random_jitter;
use super::shared::Shared;
use super::sign::signed_target;
use super::{Config, DropReason, Engine, Event, Outcome, batch_body};

/// Runs until stopped, or until closing with nothing left or past the deadline.
pub(super) fn run(shared: &Arc<Shared>, config: &Config) {
    // TLS with Mozilla's roots for an https:// engine (Pusher itself); plain TCP otherwise.
    let connector = Connector::new(config.timeout);
    let (base, path) = config.endpoint();
    // Retries in a row, for the back-off.
    let mut attempt: u32 = 0;
    while let Some(batch) = next_batch(shared, config.batch_max) {
        let outcome = post(&connector, config, base, &path, &batch);
        let mut state = shared.lock();
        state.stats.requests = state.stats.requests.saturating_add(1);
        let wait_until = match outcome {
            Outcome::Accepted => {
                let n = state.queue.confirm();
                state.stats.published = state.stats.published.saturating_add(n as u64);
                state.stats.batches = state.stats.batches.saturating_add(1);
                state.stats.engine = Engine::Up;
                attempt = 0;
                None
            }
            Outcome::Refused { status, reason } => {
                let n = state.queue.confirm();
                state.stats.drop_events(DropReason::Rejected(status), n);
                state.stats.last_error = Some(reason);
                state.stats.engine = Engine::Up;
                attempt = 0;
                None
            }
            Outcome::Retry { engine_up, reason } => {
                state.queue.release();
                state.stats.retries = state.stats.retries.saturating_add(1);
                state.stats.last_error = Some(reason);
                state.stats.engine = if engine_up { Engine::Up } else { Engine::Down };
                let delay = config.backoff.delay(attempt, random_jitter());
                attempt = attempt.saturating_add(1);
                Some(Instant::now() + delay)
            }
        };
        shared.changed.notify_all();
        if let Some(until) = wait_until {
            // The back-off, cut short by a stop or by the shutdown deadline.
            while !state.must_stop(Instant::now()) && Instant::now() < until {
                let until = state.closing.map_or(until, |deadline| deadline.min(until));
                state = shared.wait(state, Some(until));
            }
        }
    }
    shared.lock().finished = true;
    shared.changed.notify_all();
}

/// The next batch to send, marked in flight; `None` when the sender must stop.
fn next_batch(shared: &Shared, max: usize) -> Option<Vec<Event>> {
    let mut state = shared.lock();
    loop {
        if state.must_stop(Instant::now()) || (state.closing.is_some() && state.queue.is_empty()) {
            return None;
        }
        if !state.queue.is_empty() {
            return Some(state.queue.take(max));
        }
        let until = state.closing;
        state = shared.wait(state, until);
    }
}

/// One signed `POST` of `batch`, signed now (a retry is signed again, so that its timestamp
/// stays within the engine's window however long the outage).
fn post(
    connector: &Connector,
    config: &Config,
    base: &str,
    path: &str,
    batch: &[Event],
) -> Outcome {
    let body = batch_body(batch);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let target = signed_target(
        &config.app_key,
        &config.app_secret,
        "POST",
        path,
        body.as_bytes(),
        now,
    );
    let headers = [("Content-Type", "application/json")];
    match http::request(
        connector,
        "POST",
        &format!("{base}{target}"),
        &headers,
        body.as_bytes(),
    ) {
        Ok(reply) => Outcome::of_answer(reply.status, &String::from_utf8_lossy(&reply.body)),
        Err(e) => Outcome::of_failure(&e),
    }
}
