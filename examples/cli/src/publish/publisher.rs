//! [`Publisher`]: the handle a relay keeps, and its sender thread.

use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::shared::Shared;
use super::{Config, ConfigError, DropReason, Event, Push, Queue, Stats, sender};

/// Publishes events into a Pusher HTTP API from any thread without blocking: each
/// [`publish`](Self::publish) queues one event, and one sender thread posts them in
/// `batch_events` requests of up to [`Config::batch_max`], in order, retrying what the engine
/// did not take.
///
/// Nothing is lost while the queue holds: a request that gets no answer, a 5xx or a 429 is
/// retried with the same events after a back-off ([`Config::backoff`]). What is dropped is
/// counted in [`Stats::dropped`] by reason: the oldest waiting event when the queue is full,
/// an event the engine would never take (too large, a bad name), and a batch the engine
/// refuses (4xx other than 429: a bad signature, an unknown app), whose reason is kept in
/// [`Stats::last_error`].
///
/// ```no_run
/// use std::time::Duration;
/// use kickwire_cli::publish::{Config, Publisher};
///
/// let config = Config::new("http://127.0.0.1:6001", "1001", "app-key", "app-secret");
/// let publisher = Publisher::start(config)?;
/// publisher.publish("chatrooms.12345.v2", "App\\Events\\ChatMessageEvent", r#"{"content":"hi"}"#)?;
/// let left = publisher.shutdown(Duration::from_secs(5));
/// assert_eq!(left.left, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Publisher {
    shared: Arc<Shared>,
    /// Taken (and joined) by the first [`Publisher::shutdown`] that sees it finished.
    sender: std::sync::Mutex<Option<JoinHandle<()>>>,
    max_data: usize,
}

/// What [`Publisher::shutdown`] left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shutdown {
    /// Events not confirmed published by the deadline (a request still in flight at the
    /// deadline counts here, whatever its answer).
    pub left: usize,
    /// The counters at the deadline.
    pub stats: Stats,
}

impl Publisher {
    /// Checks `config` and starts the sender thread.
    ///
    /// # Errors
    /// [`ConfigError`]: what is wrong with `config`; nothing is started.
    pub fn start(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let shared = Arc::new(Shared::new(Queue::new(config.queue_bound)));
        let max_data = config.max_data;
        let for_sender = Arc::clone(&shared);
        let sender = thread::Builder::new()
            .name("kickwire-publish".into())
            .spawn(move || sender::run(&for_sender, &config))
            .ok();
        if sender.is_none() {
            // No thread: nothing will ever send, so say so where a caller looks.
            shared.lock().stats.last_error = Some("could not start the sender thread".into());
        }
        Ok(Self {
            shared,
            sender: std::sync::Mutex::new(sender),
            max_data,
        })
    }

    /// Queues one event for `channel`, named `event`, with `data` (sent as a JSON string, so
    /// subscribers receive it as given). Never blocks on the network: when the queue is full,
    /// the oldest event not yet in a request is dropped (and counted) to make room.
    ///
    /// # Errors
    /// The reason this event was dropped (and counted) instead of queued:
    /// [`DropReason::TooLarge`], [`DropReason::InvalidName`], or [`DropReason::QueueFull`]
    /// when every queued event is in the request being made (only with a queue bound smaller
    /// than the batch size).
    pub fn publish(&self, channel: &str, event: &str, data: &str) -> Result<(), DropReason> {
        let event = Event {
            channel: channel.to_owned(),
            name: event.to_owned(),
            data: data.to_owned(),
        };
        let checked = event.check(self.max_data);
        let mut state = self.shared.lock();
        let result = checked.and_then(|()| match state.queue.push(event) {
            Push::Queued => Ok(()),
            Push::Evicted(_) => {
                state.stats.drop_events(DropReason::QueueFull, 1);
                Ok(())
            }
            Push::Refused(_) => Err(DropReason::QueueFull),
        });
        if let Err(reason) = result {
            state.stats.drop_events(reason, 1);
        }
        drop(state);
        self.shared.changed.notify_all();
        result
    }

    /// The counters now.
    #[must_use]
    pub fn stats(&self) -> Stats {
        let state = self.shared.lock();
        let mut stats = state.stats.clone();
        stats.queued = state.queue.len();
        stats
    }

    /// Sends what is queued until `within` has passed, then stops the sender and reports
    /// what is left. Returns at the deadline at the latest (a request in flight then is left
    /// to finish on its own, bounded by [`Config::timeout`]).
    #[must_use]
    pub fn shutdown(&self, within: Duration) -> Shutdown {
        let deadline = Instant::now() + within;
        let mut state = self.shared.lock();
        state.closing = Some(deadline);
        self.shared.changed.notify_all();
        while !state.finished && Instant::now() < deadline {
            state = self.shared.wait(state, Some(deadline));
        }
        state.stop = true;
        let finished = state.finished;
        let mut stats = state.stats.clone();
        stats.queued = state.queue.len();
        drop(state);
        self.shared.changed.notify_all();
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if finished && let Some(sender) = sender {
            // It has returned: joining cannot block.
            let _ = sender.join();
        }
        Shutdown {
            left: stats.queued,
            stats,
        }
    }
}

impl Drop for Publisher {
    /// Stops the sender after its current request, without waiting for it and without
    /// flushing (call [`Publisher::shutdown`] for that).
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.changed.notify_all();
    }
}
