//! Kick event records: what JavaScript reads to deliver each event of a received message
//! without any copy of its payload, which it parses straight out of the module's memory.
//!
//! The output starts with the count of events that did not fit (u32, little-endian), then one
//! record per event:
//!
//! | bytes | what |
//! |---|---|
//! | 1 | kind: its place in `KINDS` (js/kickwire.js; see [`crate::names`]) |
//! | 1 | transport: 0 Pusher, 1 Centrifugo |
//! | 1 | channel length |
//! | 1 | wire name length (unknown events only, else 0) |
//! | 4 | payload address in memory |
//! | 4 | payload length |
//! | n | channel, then wire name |

use kickwire_proto::Transport;
use kickwire_proto::kick::EventKind;
use kickwire_proto::write::Writer;

use crate::names;

/// Writes records into a buffer; counts, never hides, the ones that do not fit.
pub(crate) struct Records<'a> {
    /// Where the dropped count goes (none in a buffer too small for it): an array, written
    /// whole in one store, where a byte loop over a slice cost every page 0.06 KB gzipped.
    count: Option<&'a mut [u8; 4]>,
    /// The records, after it: through proto's writer, whose copy the module has anyway, rather
    /// than a byte loop of this file's own (0.02 KB gzipped less).
    w: Writer<'a>,
    /// The room for them: a record that does not fit is left out whole, and a later one that
    /// fits still goes in.
    room: usize,
    dropped: u32,
}

impl<'a> Records<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        let (count, rest) = match buf.split_first_chunk_mut::<4>() {
            Some((count, rest)) => (Some(count), rest),
            None => (None, &mut [][..]),
        };
        Self {
            count,
            room: rest.len(),
            w: Writer::new(rest),
            dropped: 0,
        }
    }

    /// Adds one event whose payload sits at `payload` (an address in the module's memory).
    pub(crate) fn push(
        &mut self,
        kind: EventKind,
        transport: Transport,
        channel: &str,
        name: &str,
        payload: &[u8],
    ) {
        // The wire name only where the kind does not say it.
        let name = if kind == EventKind::Unknown {
            name.as_bytes()
        } else {
            b""
        };
        // Every record names its channel, even when the record before has the same one: a
        // message's events are few, and the code that would spare those bytes cost every
        // page's module more than they weigh.
        let channel = channel.as_bytes();
        let (Ok(clen), Ok(nlen)) = (u8::try_from(channel.len()), u8::try_from(name.len())) else {
            self.dropped = self.dropped.saturating_add(1);
            return;
        };
        let end = self
            .w
            .len()
            .saturating_add(12)
            .saturating_add(channel.len())
            .saturating_add(name.len());
        if end > self.room {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        let [p0, p1, p2, p3] = (payload.as_ptr() as usize as u32).to_le_bytes();
        let [l0, l1, l2, l3] = (payload.len() as u32).to_le_bytes();
        let head = [
            names::kind_index(kind),
            u8::from(transport == Transport::Centrifugo),
            clen,
            nlen,
            p0,
            p1,
            p2,
            p3,
            l0,
            l1,
            l2,
            l3,
        ];
        self.w.bytes(&head);
        self.w.bytes(channel);
        self.w.bytes(name);
    }

    /// Writes the dropped count in front and answers the length of it all.
    pub(crate) fn finish(self) -> u32 {
        if let Some(count) = self.count {
            *count = self.dropped.to_le_bytes();
        }
        (self.w.len() as u32).saturating_add(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_that_does_not_fit_is_counted_and_later_ones_still_go_in() {
        let payload = b"{}";
        let at = (payload.as_ptr() as usize as u32).to_le_bytes();
        let mut buf = [0xaa; 40];
        let mut r = Records::new(&mut buf);
        r.push(
            EventKind::ChatMessage,
            Transport::Pusher,
            "abc",
            "x",
            payload,
        );
        // 12 + 30 bytes: past the 36 left after the count and the first record's 16.
        let long = "c".repeat(30);
        r.push(
            EventKind::ChatMessage,
            Transport::Pusher,
            &long,
            "",
            payload,
        );
        r.push(
            EventKind::Unknown,
            Transport::Centrifugo,
            "d",
            "ev",
            payload,
        );
        assert_eq!(r.finish(), 4 + 15 + 15);
        let mut want = vec![1, 0, 0, 0];
        want.extend([0, 0, 3, 0]); // ChatMessage, Pusher, "abc", no wire name (a known kind)
        want.extend(at);
        want.extend([2, 0, 0, 0]);
        want.extend(b"abc");
        want.extend([35, 1, 1, 2]); // Unknown (after the 35 kinds), Centrifugo, "d", "ev"
        want.extend(at);
        want.extend([2, 0, 0, 0]);
        want.extend(b"dev");
        want.extend([0xaa; 6]); // the rest untouched
        assert_eq!(buf[..], want[..]);
    }
}
