//! Small helpers to drive a `Connection` by hand: drain its outputs into owned values that
//! the flows compare with hand-written expectations.

use kickwire_proto::Message;
use kickwire_proto::conn::{Connection, Event, Instant, Transmit};

/// A transmit, owned.
#[derive(Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // owned copies to compare, on a big stack: no allocator
pub enum Tx {
    Open(heapless::String<256>),
    Text(heapless::String<512>),
    Close(u16),
    /// `poll_transmit` failed or the text did not fit here.
    Error,
}

/// Everything `poll_transmit` has, in order (at most 8).
pub fn transmits(conn: &mut Connection) -> heapless::Vec<Tx, 8> {
    let mut out = heapless::Vec::new();
    let mut buf = [0u8; 512];
    for _ in 0..8 {
        let tx = match conn.poll_transmit(&mut buf) {
            Ok(None) => break,
            Ok(Some(Transmit::Open { url })) => {
                heapless::String::try_from(url).map_or(Tx::Error, Tx::Open)
            }
            Ok(Some(Transmit::Text(t))) => {
                heapless::String::try_from(t).map_or(Tx::Error, Tx::Text)
            }
            Ok(Some(Transmit::Close { code })) => Tx::Close(code),
            Err(_) => Tx::Error,
        };
        let _ = out.push(tx);
    }
    out
}

/// A text transmit, for comparisons.
pub fn text(s: &str) -> Tx {
    heapless::String::try_from(s).map_or(Tx::Error, Tx::Text)
}

/// An open transmit, for comparisons.
pub fn open(s: &str) -> Tx {
    heapless::String::try_from(s).map_or(Tx::Error, Tx::Open)
}

/// Everything `poll_event` has, in order (at most 16).
pub fn events(conn: &mut Connection) -> heapless::Vec<Event, 16> {
    let mut out = heapless::Vec::new();
    for _ in 0..16 {
        match conn.poll_event() {
            Some(e) => {
                let _ = out.push(e);
            }
            None => break,
        }
    }
    out
}

/// Hands `text` to the connection as one received message (copied: it is decoded in place)
/// and counts the Kick events in it; `last` holds the last one.
pub fn feed(conn: &mut Connection, now: u64, text: &str, last: &mut Message) -> usize {
    let mut buf = [0u8; 4096];
    let Some(msg) = buf.get_mut(..text.len()) else {
        return usize::MAX;
    };
    msg.copy_from_slice(text.as_bytes());
    let mut received = conn.handle_message(Instant::from_millis(now), msg);
    let mut n = 0;
    while received.next_into(last).is_some() {
        n += 1;
    }
    n
}
