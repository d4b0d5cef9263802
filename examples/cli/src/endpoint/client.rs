//! One connection's state: its socket, what it has sent that is not read yet, and its own
//! bounded queue of frames waiting to be written.
//!
//! Frames are shared (`Arc<[u8]>`): a published event is encoded once and the same bytes sit in
//! every subscriber's queue, so a publish to 1,000 clients costs 1,000 pointer pushes.

use std::collections::{HashSet, VecDeque};
use std::io::{self, IoSlice, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::time::Instant;

use mio::net::TcpStream;

use super::http::Head;

/// A frame (or an HTTP answer) as written on the wire, shared between queues.
pub(super) type Bytes = Arc<[u8]>;

/// Where a connection is in its life.
#[derive(Debug)]
pub(super) enum Phase {
    /// Reading the HTTP request: the head, then (for a plain request) its body.
    Http {
        /// When it was accepted (for the handshake timeout).
        since: Instant,
        /// The head of a plain request once read, with its body length.
        head: Option<(Head, usize)>,
    },
    /// A Pusher client.
    Open,
    /// A close frame or an HTTP answer is queued: it is written, the write side shut, then
    /// the connection waits for the peer's end until `deadline`.
    Closing { deadline: Instant },
}

/// One connection.
pub(super) struct Client {
    pub(super) stream: TcpStream,
    pub(super) phase: Phase,
    /// Bytes read and not yet taken as whole frames (or a whole HTTP request).
    pub(super) inbuf: Vec<u8>,
    /// A fragmented text message being put together.
    pub(super) message: Option<Vec<u8>>,
    queue: VecDeque<Bytes>,
    /// Bytes of the front frame already written.
    offset: usize,
    queued_bytes: usize,
    /// Channels it is subscribed to (the same `Arc`s as the loop's channel map keys).
    pub(super) channels: HashSet<Arc<str>>,
    /// When anything last came from it.
    pub(super) last_heard: Instant,
    /// When the endpoint sent its `pusher:ping`, while waiting for an answer.
    pub(super) ping_sent: Option<Instant>,
    /// Whether it is in the loop's list of sockets to write.
    pub(super) dirty: bool,
    write_shut: bool,
    /// Whether the peer has sent its end of the stream.
    pub(super) peer_ended: bool,
    /// Queued items at the front that are HTTP answers, not frames (not counted as frames).
    http_answers: u64,
}

impl Client {
    pub(super) fn new(stream: TcpStream, now: Instant) -> Self {
        Self {
            stream,
            phase: Phase::Http {
                since: now,
                head: None,
            },
            inbuf: Vec::new(),
            message: None,
            queue: VecDeque::new(),
            offset: 0,
            queued_bytes: 0,
            channels: HashSet::new(),
            last_heard: now,
            ping_sent: None,
            dirty: false,
            write_shut: false,
            http_answers: 0,
            peer_ended: false,
        }
    }

    /// Queues `frame` if it fits the bound (`frames` and `bytes`); `false` when it does not.
    pub(super) fn push(&mut self, frame: Bytes, frames: usize, bytes: usize) -> bool {
        if self.queue.len() >= frames || self.queued_bytes.saturating_add(frame.len()) > bytes {
            return false;
        }
        self.push_unbounded(frame);
        true
    }

    /// Queues `frame` whatever the bound: only for the last frames of a closing connection and
    /// the 101 answer, so the overshoot is bounded too.
    pub(super) fn push_unbounded(&mut self, frame: Bytes) {
        self.queued_bytes = self.queued_bytes.saturating_add(frame.len());
        self.queue.push_back(frame);
    }

    /// Whether anything is waiting to be written.
    pub(super) fn has_queued(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Queues an HTTP answer (the 101, or a plain request's answer): first in line, and not
    /// counted among the frames written.
    pub(super) fn push_http(&mut self, answer: Bytes) {
        self.http_answers += 1;
        self.push_unbounded(answer);
    }

    /// Drops every queued frame but a partly written one (cutting it would corrupt the stream).
    pub(super) fn discard_queue(&mut self) {
        // The 101 answer, when still queued, is first and must stay before the close frame.
        let front = if self.offset > 0 || self.http_answers > 0 {
            self.queue.pop_front()
        } else {
            None
        };
        self.queue.clear();
        self.queued_bytes = 0;
        if let Some(front) = front {
            self.push_unbounded(front);
        }
    }

    /// Writes as much of the queue as the socket takes now; returns the WebSocket frames
    /// written whole.
    /// Once a closing connection's queue is empty, shuts its write side (sends FIN), so the
    /// peer reads the close frame and then the end, never a reset.
    pub(super) fn flush(&mut self) -> io::Result<u64> {
        let mut written = 0u64;
        while !self.queue.is_empty() {
            let mut slices = [IoSlice::new(&[]); 64];
            let mut count = 0;
            for (i, frame) in self.queue.iter().take(slices.len()).enumerate() {
                let from = if i == 0 { self.offset } else { 0 };
                slices[i] = IoSlice::new(&frame[from..]);
                count = i + 1;
            }
            match self.stream.write_vectored(&slices[..count]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(mut n) => {
                    while n > 0 {
                        let Some(front) = self.queue.front() else {
                            break;
                        };
                        let left = front.len() - self.offset;
                        if n >= left {
                            n -= left;
                            self.queued_bytes = self.queued_bytes.saturating_sub(front.len());
                            self.queue.pop_front();
                            self.offset = 0;
                            if self.http_answers > 0 {
                                self.http_answers -= 1;
                            } else {
                                written += 1;
                            }
                        } else {
                            self.offset += n;
                            n = 0;
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if self.queue.is_empty() && matches!(self.phase, Phase::Closing { .. }) && !self.write_shut
        {
            self.write_shut = true;
            // The peer may be gone already; then the read side tells.
            let _ = self.stream.shutdown(Shutdown::Write);
        }
        Ok(written)
    }
}
