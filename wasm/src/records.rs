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

use crate::names;

/// Writes records into a buffer; counts, never hides, the ones that do not fit.
pub(crate) struct Records<'a> {
    buf: &'a mut [u8],
    len: usize,
    dropped: u32,
}

impl<'a> Records<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Self {
            buf,
            len: 4,
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
        let kind = names::kind_index(kind);
        // Every record names its channel, even when the record before has the same one: a
        // message's events are few, and the code that would spare those bytes cost every
        // page's module more than they weigh.
        let channel = channel.as_bytes();
        let (Ok(clen), Ok(nlen)) = (u8::try_from(channel.len()), u8::try_from(name.len())) else {
            self.dropped = self.dropped.saturating_add(1);
            return;
        };
        let start = self.len;
        let end = start
            .saturating_add(12)
            .saturating_add(channel.len())
            .saturating_add(name.len());
        if end > self.buf.len() {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        let head = [
            kind,
            u8::from(transport == Transport::Centrifugo),
            clen,
            nlen,
        ];
        let ptr = (payload.as_ptr() as usize as u32).to_le_bytes();
        let plen = (payload.len() as u32).to_le_bytes();
        let mut at = start;
        for piece in [&head[..], &ptr, &plen, channel, name] {
            let to = at.saturating_add(piece.len());
            // Byte by byte rather than `copy_from_slice`, whose length check LLVM keeps here
            // with its panic message and location (the pieces are a few bytes each).
            let dst = self.buf.get_mut(at..).unwrap_or(&mut []);
            for (d, s) in dst.iter_mut().zip(piece) {
                *d = *s;
            }
            at = to;
        }
        self.len = end;
    }

    /// Writes the dropped count in front and answers the length of it all.
    pub(crate) fn finish(self) -> u32 {
        if let Some(head) = self.buf.get_mut(..4) {
            for (d, s) in head.iter_mut().zip(self.dropped.to_le_bytes()) {
                *d = s;
            }
        }
        self.len as u32
    }
}
