//! What a server sent on one socket after a 101 response, read as the board's link documents
//! it reads frames, and what the link must therefore hand out.
//!
//! [`Stream::push`] takes every byte as it is handed to the link and parses whole frames out of
//! them with [`crate::ws::parse`] (not with the link's codec). The link's rules
//! (`firmware/link/src/rx.rs` and its module docs):
//! - a data frame starts a message (text 1, binary 2) when none is open, continues one
//!   (continuation 0) when one is; anything else ends the socket ("unexpected fragment");
//! - a control frame (opcode 8 and up) must be final and at most 125 bytes; only close (8),
//!   ping (9) and pong (10) exist, others end the socket; control frames may come between the
//!   fragments of a message;
//! - a ping is answered with a pong of the same payload; a close ends the socket;
//! - a binary message, or a text one longer than the message buffer, is dropped and counted;
//! - a whole text message goes to the connection, whose Kick events are those
//!   `kickwire_proto::json_events` finds in it, secrets kept: the connection hands payloads on
//!   as received (it does not redact).
//!
//! Frame payloads may be masked (the link takes them; RFC 6455 says a server never masks) and
//! the RSV bits are not looked at.

use std::collections::VecDeque;

use crate::ws::{self, BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT};

/// A Kick event the link may hand out: name, channel and payload, copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kick {
    pub name: String,
    pub channel: String,
    pub payload: Vec<u8>,
    /// It must come (not merely may): see [`Stream::push`]'s `ready`.
    pub mandatory: bool,
}

/// The Kick events of one whole text message, as `json_events` finds them.
pub fn kicks_in(message: &[u8], mandatory: bool) -> Vec<Kick> {
    let mut copy = message.to_vec();
    let mut events = kickwire_proto::json_events(&mut copy).keep_secrets();
    let mut out = Vec::new();
    while let Some(item) = events.next() {
        if let Ok(e) = item {
            out.push(Kick {
                name: e.name.as_str().to_owned(),
                channel: e.channel.as_str().to_owned(),
                payload: e.payload.to_vec(),
                mandatory,
            });
        }
    }
    out
}

/// One socket's frames, from the first byte after the 101 response.
#[derive(Debug)]
pub struct Stream {
    /// Bytes queued and not yet parsed into a whole frame.
    wire: Vec<u8>,
    /// The message being reassembled: binary or not, and its bytes so far.
    open: Option<(bool, Vec<u8>)>,
    /// The size of the link's message buffer.
    message_cap: usize,
    /// A close frame or a protocol violation was reached: the link must end the socket, and
    /// nothing after it counts.
    pub ended: bool,
    /// Events of whole text messages, in order, not yet matched with what the link gave.
    pub kicks: VecDeque<Kick>,
    /// Payloads of pings, in order, not yet answered.
    pub pongs: VecDeque<Vec<u8>>,
    /// Messages the link must have dropped (binary, or over `message_cap`).
    pub dropped: u32,
}

impl Stream {
    pub fn new(message_cap: usize) -> Self {
        Self {
            wire: Vec::new(),
            open: None,
            message_cap,
            ended: false,
            kicks: VecDeque::new(),
            pongs: VecDeque::new(),
            dropped: 0,
        }
    }

    /// Bytes handed to the link. `ready`: the connection was known to be past its handshake
    /// (a Pusher connection that reported `Connected` on this socket) when they were handed
    /// over, so every Kick event in them must come out, not only may (during the handshake the
    /// connection reads Pusher events as its own).
    pub fn push(&mut self, bytes: &[u8], ready: bool) {
        if self.ended {
            return;
        }
        self.wire.extend_from_slice(bytes);
        while !self.ended {
            let Some((frame, len)) = ws::parse(&self.wire) else {
                break;
            };
            self.wire.drain(..len);
            self.frame(frame, ready);
        }
    }

    fn frame(&mut self, f: ws::Frame, ready: bool) {
        if f.opcode >= CLOSE {
            if !f.fin || f.payload.len() > 125 || !matches!(f.opcode, CLOSE | PING | PONG) {
                self.ended = true; // a bad control frame
            } else if f.opcode == PING {
                self.pongs.push_back(f.payload);
            } else if f.opcode == CLOSE {
                self.ended = true;
            }
            return;
        }
        match (f.opcode, self.open.take()) {
            (TEXT | BINARY, None) => self.open = Some((f.opcode == BINARY, f.payload)),
            (CONTINUATION, Some((binary, mut bytes))) => {
                bytes.extend_from_slice(&f.payload);
                self.open = Some((binary, bytes));
            }
            _ => {
                self.ended = true; // an unexpected fragment, or an opcode that does not exist
                return;
            }
        }
        if f.fin {
            let Some((binary, message)) = self.open.take() else {
                return;
            };
            if binary || message.len() > self.message_cap {
                self.dropped += 1;
            } else {
                self.kicks.extend(kicks_in(&message, ready));
            }
        }
    }

    /// Matches an event the link gave with the next ones expected: events skipped on the way
    /// may be missing, unless mandatory. Panics when the event is not among those expected,
    /// or skips a mandatory one.
    pub fn take_kick(&mut self, got: &Kick) {
        let same =
            |k: &Kick| (&k.name, &k.channel, &k.payload) == (&got.name, &got.channel, &got.payload);
        let Some(at) = self.kicks.iter().position(same) else {
            panic!(
                "the link gave {got:?}, which no whole message sent holds (next expected: {:?})",
                self.kicks.front()
            );
        };
        for skipped in self.kicks.drain(..at) {
            assert!(
                !skipped.mandatory,
                "the link skipped {skipped:?} and gave a later {got:?}"
            );
        }
        self.kicks.pop_front();
    }

    /// Matches a pong the link wrote with the next ping.
    pub fn take_pong(&mut self, payload: &[u8]) {
        let want = self.pongs.pop_front();
        assert_eq!(
            want.as_deref(),
            Some(payload),
            "a pong that answers no ping"
        );
    }

    /// The link has processed every byte handed to it (its `poll` said there is nothing more
    /// to do): nothing that must have come out is left, and what may have come out but did not
    /// never will.
    pub fn settled(&mut self) {
        assert!(
            self.pongs.is_empty(),
            "pings not answered: {:?}",
            self.pongs
        );
        if let Some(k) = self.kicks.iter().find(|k| k.mandatory) {
            panic!("a Kick event of a whole message never came: {k:?}");
        }
        self.kicks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::{LengthForm, frame};

    const EVENT: &[u8] =
        br#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"months\":38}","channel":"c"}"#;

    #[test]
    fn fragments_pings_and_limits() {
        let mut s = Stream::new(EVENT.len());
        let mut wire = frame(0x01, &EVENT[..10], LengthForm::Shortest, None);
        wire.extend(frame(0x89, b"hi", LengthForm::Shortest, None));
        wire.extend(frame(
            0x80,
            &EVENT[10..],
            LengthForm::Wide16,
            Some([1, 2, 3, 4]),
        ));
        wire.extend(frame(0x82, b"bin", LengthForm::Shortest, None));
        // Byte by byte: nothing counts before its frame is whole.
        for b in &wire[..wire.len() - 1] {
            s.push(&[*b], true);
        }
        assert_eq!(s.kicks.len(), 1);
        assert_eq!(s.kicks[0].payload, br#"{"months":38}"#);
        assert_eq!(s.pongs, [b"hi".to_vec()]);
        assert_eq!(s.dropped, 0);
        s.push(&wire[wire.len() - 1..], true);
        assert_eq!(s.dropped, 1);
        // One byte too long for the buffer: dropped.
        let mut small = Stream::new(EVENT.len() - 1);
        small.push(&frame(0x81, EVENT, LengthForm::Shortest, None), true);
        assert!(small.kicks.is_empty());
        assert_eq!(small.dropped, 1);
    }

    #[test]
    fn what_ends_a_socket() {
        for bad in [
            frame(0x80, b"x", LengthForm::Shortest, None), // continuation, no message open
            frame(0x09, b"x", LengthForm::Shortest, None), // a ping that is not final
            frame(0x89, &[0; 126], LengthForm::Shortest, None), // a ping too long
            frame(0x8B, b"", LengthForm::Shortest, None),  // a control opcode that does not exist
            frame(0x83, b"", LengthForm::Shortest, None),  // a data opcode that does not exist
            frame(0x88, &[0x03, 0xe8], LengthForm::Shortest, None), // close 1000
        ] {
            let mut s = Stream::new(100);
            s.push(&bad, true);
            s.push(&frame(0x81, EVENT, LengthForm::Shortest, None), true);
            assert!(s.ended && s.kicks.is_empty(), "{bad:?}");
        }
        let mut s = Stream::new(1000);
        let mut wire = frame(0x01, b"{", LengthForm::Shortest, None);
        wire.extend(frame(0x81, EVENT, LengthForm::Shortest, None)); // a new message in one
        s.push(&wire, true);
        assert!(s.ended && s.kicks.is_empty());
    }

    #[test]
    fn matching() {
        let mut s = Stream::new(1000);
        let two = [EVENT, b"\n", EVENT].concat();
        s.push(&frame(0x81, &two, LengthForm::Shortest, None), true);
        s.push(&frame(0x81, EVENT, LengthForm::Shortest, None), false);
        assert_eq!(s.kicks.len(), 3);
        let k = s.kicks[2].clone();
        s.take_kick(&k);
        s.take_kick(&k);
        s.settled(); // the third was optional
        s.push(&frame(0x81, EVENT, LengthForm::Shortest, None), true);
        assert!(std::panic::catch_unwind(move || s.settled()).is_err());
        // Skipping a mandatory event is caught at once.
        let mut s = Stream::new(1000);
        s.push(&frame(0x81, EVENT, LengthForm::Shortest, None), true);
        let other = Kick {
            name: "x".into(),
            ..k
        };
        s.kicks.push_back(other.clone());
        assert!(std::panic::catch_unwind(move || s.take_kick(&other)).is_err());
    }
}
