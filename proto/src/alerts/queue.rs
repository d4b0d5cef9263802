//! The alerts waiting for the driver: a fixed queue of `N` that, when full, drops a chat line
//! first (the least useful alert: the next one replaces it on screen), then the oldest alert.

use heapless::Deque;

use super::alert::Alert;

/// Alerts in the order they happened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Queue<const N: usize> {
    alerts: Deque<Alert, N>,
}

impl<const N: usize> Queue<N> {
    /// Queues `alert`; true when an alert (this one or a queued one) had to be dropped.
    pub(crate) fn push(&mut self, alert: Alert) -> bool {
        if !self.alerts.is_full() {
            return self.alerts.push_back(alert).is_err();
        }
        let chat = self.alerts.iter().position(|a| matches!(a, Alert::Chat(_)));
        match chat {
            Some(at) => self.remove(at),
            // Nothing queued is a chat: a new chat line is the one to drop.
            None if matches!(alert, Alert::Chat(_)) => return true,
            None => {
                self.alerts.pop_front();
            }
        }
        // Room was made above.
        let _ = self.alerts.push_back(alert);
        true
    }

    /// Removes the alert at `at`, keeping the others in order.
    fn remove(&mut self, at: usize) {
        // Rotate the ones before it past it: no indexing, no gaps.
        for _ in 0..at {
            if let Some(a) = self.alerts.pop_front() {
                let _ = self.alerts.push_back(a);
            }
        }
        self.alerts.pop_front();
        let rest = self.alerts.len().saturating_sub(at);
        for _ in 0..rest {
            if let Some(a) = self.alerts.pop_front() {
                let _ = self.alerts.push_back(a);
            }
        }
    }

    pub(crate) fn pop(&mut self) -> Option<Alert> {
        self.alerts.pop_front()
    }

    pub(crate) fn len(&self) -> usize {
        self.alerts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::alert::{Chat, Live};
    use super::*;
    use crate::Text;

    fn chat(id: &str) -> Alert {
        Alert::Chat(Chat {
            id: Text::from_str_truncating(id),
            ..Chat::default()
        })
    }

    fn live(title: &str) -> Alert {
        Alert::Live(Live {
            title: Text::from_str_truncating(title),
        })
    }

    fn drain<const N: usize>(q: &mut Queue<N>) -> std::vec::Vec<Alert> {
        core::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn a_full_queue_drops_a_chat_line_first_then_the_oldest() {
        let mut q: Queue<3> = Queue::default();
        assert!(!q.push(live("a")));
        assert!(!q.push(chat("1")));
        assert!(!q.push(live("b")));
        // Full: the chat line goes, the order of the rest stays.
        assert!(q.push(live("c")));
        assert_eq!(drain(&mut q), [live("a"), live("b"), live("c")]);

        for t in ["a", "b", "c"] {
            q.push(live(t));
        }
        // No chat queued: a new chat line is dropped, a new alert drops the oldest.
        assert!(q.push(chat("2")));
        assert!(q.push(live("d")));
        assert_eq!(drain(&mut q), [live("b"), live("c"), live("d")]);
    }
}
