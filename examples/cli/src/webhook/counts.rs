//! What became of the requests a [`super::Webhook`] judged, counted for `/metrics`.

use super::Reason;

/// Counters of every outcome; each request adds one to exactly one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Verified, new, and handed on ([`super::Verdict::Deliver`]).
    pub delivered: u64,
    /// Verified, but its message id was seen already ([`super::Verdict::Duplicate`]).
    pub duplicates: u64,
    /// Verified and new, but with no broadcaster to publish it for
    /// ([`super::Verdict::Unroutable`]).
    pub unroutable: u64,
    rejected: [u64; Reason::ALL.len()],
}

impl Counts {
    /// How many requests were rejected for `reason`.
    #[must_use]
    pub fn rejected(&self, reason: Reason) -> u64 {
        self.rejected.get(reason.index()).copied().unwrap_or(0)
    }

    /// How many requests were rejected, all reasons together.
    #[must_use]
    pub fn rejected_total(&self) -> u64 {
        self.rejected.iter().sum()
    }

    pub(crate) fn reject(&mut self, reason: Reason) {
        if let Some(n) = self.rejected.get_mut(reason.index()) {
            *n = n.saturating_add(1);
        }
    }
}
