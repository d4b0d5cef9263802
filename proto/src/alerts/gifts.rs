//! Big gifts arrive as several `GiftedSubscriptionsEvent`s sharing a `correlation_id`, each
//! naming some of the recipients, each saying the whole gift's size (`gifted_total`) and
//! perhaps which chunk it is (`chunk_details`). The joiner adds them up into one alert: sent
//! when every chunk is in, or [`ALERT_GIFT_WINDOW_MS`] after the last one came if one never
//! does, or when the machine finishes.
//!
//! A chunk is told from a copy of itself (the same chunk on another channel name) by its index,
//! or, when Kick gives none, by its recipients: the same names are the same chunk. A chunk's
//! recipients are counted once or not at all, so a gift's count is always the sum of distinct
//! chunks' counts.

use core::time::Duration;

use super::alert::GiftedSubscriptions;
use super::key::{Family, Key, KeyBuilder, Window};
use crate::conn::Instant;
use crate::limits::{ALERT_GIFT_CHUNKS, ALERT_GIFT_WINDOW_MS, ALERT_RECIPIENTS, USERNAME};
use crate::text::{List, Text};

/// What one `GiftedSubscriptionsEvent` brings to its gift.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Chunk {
    pub(crate) gifter: Text<USERNAME>,
    /// The first recipients; `total()` is the chunk's exact count.
    pub(crate) recipients: List<Text<USERNAME>, ALERT_RECIPIENTS>,
    pub(crate) index: Option<u32>,
    pub(crate) total_chunks: Option<u32>,
    pub(crate) gifted_total: Option<u32>,
}

impl Chunk {
    /// What tells this chunk from the others of its gift.
    fn identity(&self) -> u64 {
        let k = KeyBuilder::new(Family::Gift, Window::Id);
        match self.index {
            Some(i) => k.number(Some(u64::from(i))),
            None => self.shape(k),
        }
        .finish()
        .hash
    }

    /// Adds the gifter, the recipients and the count to `k`: the key of a gift without a
    /// correlation id, and the identity of a chunk without an index.
    pub(crate) fn shape(&self, k: KeyBuilder) -> KeyBuilder {
        self.recipients
            .iter()
            .fold(k.name(&self.gifter), |k, r| k.name(r))
            .number(Some(u64::from(self.recipients.total())))
    }

    /// The chunk as a gift of its own.
    pub(crate) fn into_alert(self) -> GiftedSubscriptions {
        GiftedSubscriptions {
            gifter: self.gifter,
            count: self.recipients.total(),
            recipients: self.recipients,
            chunks: 1,
            complete: true,
        }
    }
}

/// A gift waiting for chunks.
#[derive(Debug, Clone)]
struct Pending {
    /// Its correlation id's key.
    key: Key,
    gift: GiftedSubscriptions,
    /// The chunks joined so far.
    chunks: heapless::Vec<u64, ALERT_GIFT_CHUNKS>,
    total_chunks: Option<u32>,
    gifted_total: Option<u32>,
    deadline: Instant,
}

impl Pending {
    fn is_complete(&self) -> bool {
        match (self.gifted_total, self.total_chunks) {
            (Some(total), _) => self.gift.count >= total,
            (None, Some(chunks)) => self.gift.chunks >= chunks,
            // Nothing says there is more: the chunk is the gift.
            (None, None) => true,
        }
    }

    /// Joins `chunk`, or says why not: a copy of a chunk already joined, or one past the room
    /// for chunks (not counted rather than perhaps counted twice).
    fn join(&mut self, chunk: Chunk, now: Instant) -> Result<(), Refused> {
        let id = chunk.identity();
        if self.chunks.contains(&id) {
            return Err(Refused::Copy);
        }
        if self.chunks.push(id).is_err() {
            return Err(Refused::NoRoom);
        }
        let gift = &mut self.gift;
        for name in chunk.recipients.iter() {
            if let Some(slot) = gift.recipients.next_slot() {
                slot.clone_from(name);
            }
        }
        let kept = u32::try_from(chunk.recipients.len()).unwrap_or(u32::MAX);
        gift.recipients
            .count_more(chunk.recipients.total().saturating_sub(kept));
        gift.count = gift.recipients.total();
        gift.chunks = gift.chunks.saturating_add(1);
        self.total_chunks = self.total_chunks.or(chunk.total_chunks);
        self.gifted_total = self.gifted_total.or(chunk.gifted_total);
        self.deadline = now.after(Duration::from_millis(ALERT_GIFT_WINDOW_MS));
        Ok(())
    }
}

/// Why a gift did not take a chunk.
#[derive(Debug, Clone, Copy)]
enum Refused {
    /// It has that chunk.
    Copy,
    /// It has [`ALERT_GIFT_CHUNKS`] chunks.
    NoRoom,
}

/// What [`Gifts::join`] did with a chunk.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // made and matched at once, never stored
pub(crate) enum Joined {
    /// Added; the gift waits for more.
    Waiting,
    /// Added, and it was the last: the whole gift.
    Complete(GiftedSubscriptions),
    /// A copy of a chunk already joined: not counted.
    Copy,
    /// A chunk past [`ALERT_GIFT_CHUNKS`]: not counted.
    Dropped,
    /// No room for another gift: the caller sends the oldest first ([`Gifts::take_oldest`]).
    Full(Chunk),
}

/// The gifts waiting for chunks, at most `N`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gifts<const N: usize> {
    pending: heapless::Vec<Pending, N>,
}

impl<const N: usize> Gifts<N> {
    /// Joins a chunk of the gift with correlation key `key`.
    pub(crate) fn join(&mut self, key: Key, chunk: Chunk, now: Instant) -> Joined {
        let at = match self.pending.iter().position(|p| p.key == key) {
            Some(at) => at,
            None => {
                let fresh = Pending {
                    key,
                    gift: GiftedSubscriptions {
                        gifter: chunk.gifter.clone(),
                        ..GiftedSubscriptions::default()
                    },
                    chunks: heapless::Vec::new(),
                    total_chunks: None,
                    gifted_total: None,
                    deadline: now,
                };
                if self.pending.push(fresh).is_err() {
                    return Joined::Full(chunk);
                }
                self.pending.len().saturating_sub(1)
            }
        };
        let Some(p) = self.pending.get_mut(at) else {
            return Joined::Dropped;
        };
        match p.join(chunk, now) {
            Ok(()) => {}
            Err(Refused::Copy) => return Joined::Copy,
            Err(Refused::NoRoom) => return Joined::Dropped,
        }
        if !p.is_complete() {
            return Joined::Waiting;
        }
        let mut done = self.pending.remove(at);
        done.gift.complete = true;
        Joined::Complete(done.gift)
    }

    /// The gift whose wait ends first, if it ended by `now`, with its key.
    pub(crate) fn take_due(&mut self, now: Instant) -> Option<(Key, GiftedSubscriptions)> {
        let (at, _) = self
            .pending
            .iter()
            .enumerate()
            .filter(|(_, p)| p.deadline <= now)
            .min_by_key(|(_, p)| p.deadline)?;
        let p = self.pending.remove(at);
        Some((p.key, p.gift))
    }

    /// The gift that started first, whatever its wait (to make room, or at the end).
    pub(crate) fn take_oldest(&mut self) -> Option<(Key, GiftedSubscriptions)> {
        if self.pending.is_empty() {
            return None;
        }
        let p = self.pending.remove(0);
        Some((p.key, p.gift))
    }

    /// When the first wait ends.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.pending.iter().map(|p| p.deadline).min()
    }

    /// Gifts waiting.
    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }
}
