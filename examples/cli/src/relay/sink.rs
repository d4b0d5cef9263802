//! Where the relay's events go: the embedded Pusher endpoint, a Pusher HTTP API engine
//! (`--publish`), or both. One trait, so that the forwarder does not care which.

/// Takes one event for a channel. Must not block on a slow reader: each implementation
/// queues (bounded) and counts what it had to drop.
pub trait Sink: Send + Sync {
    /// Publishes `event` on `channel` with `data` (the JSON text that goes in the Pusher
    /// frame's `data` string).
    fn publish(&self, channel: &str, event: &str, data: &str);
}

impl Sink for crate::endpoint::Endpoint {
    fn publish(&self, channel: &str, event: &str, data: &str) {
        Self::publish(self, channel, event, data);
    }
}

impl Sink for crate::publish::Publisher {
    fn publish(&self, channel: &str, event: &str, data: &str) {
        // A refused event is counted by the publisher itself (`Stats::dropped`).
        let _ = Self::publish(self, channel, event, data);
    }
}
