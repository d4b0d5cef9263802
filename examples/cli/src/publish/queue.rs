//! The bounded queue between [`publish`](super::Publisher::publish) and the sender: events
//! waiting, the front ones possibly in flight.

use std::collections::VecDeque;

use super::Event;

/// Events not yet confirmed published, oldest first. The first [`in_flight`](Self::in_flight)
/// of them are in the request the sender is making; they stay here until the engine answers,
/// so that a failed request is retried with the same events, in the same order.
///
/// When the queue holds `bound` events, a new one evicts the oldest event *not in flight*: a
/// relay's events are live (chat, alerts), so the newest are the ones worth keeping, and an
/// event in flight may already have reached the engine, so evicting it could count a
/// delivered event as dropped.
///
/// ```
/// use kickwire_cli::publish::{Event, Push, Queue};
/// let ev = |n: u32| Event { channel: "c".into(), name: "n".into(), data: n.to_string() };
/// let mut q = Queue::new(2);
/// assert_eq!(q.push(ev(1)), Push::Queued);
/// assert_eq!(q.push(ev(2)), Push::Queued);
/// assert_eq!(q.push(ev(3)), Push::Evicted(ev(1)));
/// ```
#[derive(Debug, Clone)]
pub struct Queue {
    events: VecDeque<Event>,
    in_flight: usize,
    bound: usize,
}

impl Queue {
    /// An empty queue holding at most `bound` events (at least one).
    #[must_use]
    pub fn new(bound: usize) -> Self {
        Self {
            events: VecDeque::new(),
            in_flight: 0,
            bound: bound.max(1),
        }
    }

    /// Adds `event` at the back, evicting the oldest event not in flight when the queue is
    /// full.
    pub fn push(&mut self, event: Event) -> Push {
        if self.events.len() < self.bound {
            self.events.push_back(event);
            return Push::Queued;
        }
        match self.events.remove(self.in_flight) {
            Some(evicted) => {
                self.events.push_back(event);
                Push::Evicted(evicted)
            }
            None => Push::Refused(event),
        }
    }

    /// Marks the first `max` events (fewer if fewer are queued) as in flight and returns
    /// copies of them, for the sender's request. Empty when nothing is queued.
    pub fn take(&mut self, max: usize) -> Vec<Event> {
        self.in_flight = self.events.len().min(max);
        self.events.iter().take(self.in_flight).cloned().collect()
    }

    /// The request succeeded, or was refused for good: the events in flight leave the queue.
    /// Returns how many they were.
    pub fn confirm(&mut self) -> usize {
        let n = self.in_flight;
        self.events.drain(..n);
        self.in_flight = 0;
        n
    }

    /// The request failed and will be retried: the events in flight go back to waiting, at
    /// the front.
    pub fn release(&mut self) {
        self.in_flight = 0;
    }

    /// Events queued, in flight included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no event is queued.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many of the queued events are in the request being made.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The most events the queue holds.
    #[must_use]
    pub fn bound(&self) -> usize {
        self.bound
    }
}

/// What [`Queue::push`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Push {
    /// The event is queued, and nothing was dropped.
    Queued,
    /// The event is queued; this older one was dropped to make room.
    Evicted(Event),
    /// The queue is full of events in flight: this one, the new event, was not queued.
    Refused(Event),
}
