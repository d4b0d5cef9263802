//! Why an event was dropped instead of published.

use std::fmt;

/// Why an event was dropped instead of published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// The queue was full (the engine down or slower than the events): the oldest waiting
    /// event made room for a new one.
    QueueFull,
    /// The event's data is larger than the engine takes
    /// ([`Config::max_data`](super::Config::max_data)); the engine would answer 413 for ever.
    TooLarge,
    /// The channel or event name is one the engine refuses (empty, too long, or characters
    /// outside Pusher's set).
    InvalidName,
    /// The engine refused the batch holding the event with this 4xx status (other than 429):
    /// 401 for a bad signature or key, 404 for an unknown app, 413 for a body it finds too
    /// large. Retrying the same request would be refused again.
    Rejected(u16),
}

impl DropReason {
    /// A short label for `/metrics` (`queue_full`, `too_large`, `invalid_name`,
    /// `rejected_401`...).
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::QueueFull => "queue_full".into(),
            Self::TooLarge => "too_large".into(),
            Self::InvalidName => "invalid_name".into(),
            Self::Rejected(status) => format!("rejected_{status}"),
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::QueueFull => f.write_str("the queue was full"),
            Self::TooLarge => f.write_str("the event data is larger than the engine takes"),
            Self::InvalidName => f.write_str("the channel or event name is not one Pusher takes"),
            Self::Rejected(status) => write!(f, "the engine refused the batch ({status})"),
        }
    }
}

impl std::error::Error for DropReason {}
