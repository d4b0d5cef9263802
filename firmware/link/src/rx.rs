//! What the link reads: the 101 response, then frames, one step at a time.
//!
//! A data frame's payload is copied into the message buffer as it arrives, so a frame may be
//! larger than `rx` and come in any number of reads. A control frame is handled only once it
//! is all in `rx` (it is at most 127 bytes): a ping's payload is echoed whole, and a close
//! frame's status code is never read half-arrived. Fragments are joined in the message
//! buffer by FIN bit and opcode, with control frames allowed between them.

use core::fmt::Write as _;

use kickwire_proto::conn::Instant;
use kickwire_proto::write::Writer;
use rand_core::RngCore;

use super::frame::{self, Close, Header, Opcode, Violation};
use super::response::{self, Refusal};
use super::{Link, Phase, Receive, TooBig};

impl<
    R: RngCore + Clone,
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
    const TOKEN: usize,
> Link<'_, R, CHANNELS, EVENTS, TRANSMITS, TOKEN>
{
    /// Processes the next piece of received bytes. `false`: nothing to do until more arrive.
    pub(super) fn step(&mut self, now: Instant, receive: &mut (impl Receive + ?Sized)) -> bool {
        match self.phase {
            Phase::Upgrading { .. } => self.step_upgrade(now),
            Phase::Open => self.step_frame(now, receive),
            Phase::Idle | Phase::Connecting { .. } => false,
        }
    }

    /// The bytes received and not processed yet.
    fn unread(&self) -> &[u8] {
        self.rx.get(self.rx_start..self.rx_end).unwrap_or_default()
    }

    /// Marks `n` received bytes as processed.
    fn consume(&mut self, n: usize) {
        self.rx_start = self.rx_start.saturating_add(n).min(self.rx_end);
    }

    /// `false` after a step that needs more bytes, or ends the socket when `rx` is full of a
    /// head or frame that cannot fit it (more bytes could never arrive).
    fn need_more(&mut self, now: Instant, what: &str) -> bool {
        if self.rx_start == 0 && self.rx_end >= self.rx.len() {
            self.fail(now, what);
            return true;
        }
        false
    }

    /// Waits for the whole 101 response; what follows it stays in `rx` (the first frames
    /// often arrive in the same read).
    fn step_upgrade(&mut self, now: Instant) -> bool {
        let Phase::Upgrading { accept, .. } = &self.phase else {
            return false;
        };
        match response::check(self.unread(), accept) {
            Ok(Some(len)) => {
                self.consume(len);
                self.phase = Phase::Open;
                self.conn.handle_open(now);
                true
            }
            Ok(None) => self.need_more(now, "the upgrade response does not fit the rx buffer"),
            Err(Refusal::Status(code)) => {
                let mut why = heapless::String::<64>::new();
                let _ = write!(why, "upgrade refused: HTTP {code}");
                self.fail(now, &why);
                true
            }
            Err(refusal) => {
                self.fail(now, refusal.reason());
                true
            }
        }
    }

    /// Reads one frame's header (a control frame: the whole frame), or the next piece of a
    /// data frame's payload.
    fn step_frame(&mut self, now: Instant, receive: &mut (impl Receive + ?Sized)) -> bool {
        if self.rx_start >= self.rx_end {
            return false;
        }
        if self.frame_left > 0 {
            return self.step_payload(now, receive);
        }
        match frame::parse(self.unread()) {
            Ok(Some(h)) if h.opcode.is_control() => self.step_control(now, h),
            Ok(Some(h)) => self.start_data_frame(now, h, receive),
            Ok(None) => self.need_more(now, "a frame header does not fit the rx buffer"),
            Err(violation) => {
                self.protocol_error(now, violation);
                true
            }
        }
    }

    /// A data frame's header: it begins a message or continues the one being received.
    fn start_data_frame(
        &mut self,
        now: Instant,
        h: Header,
        receive: &mut (impl Receive + ?Sized),
    ) -> bool {
        match (h.opcode, self.in_message) {
            (Opcode::Text, false) => self.skip = false,
            (Opcode::Binary, false) => self.skip = true, // nothing of ours is binary
            (Opcode::Continuation, true) => {}
            _ => {
                self.fail(now, "WebSocket protocol error: unexpected fragment");
                return true;
            }
        }
        if self.config.too_big == TooBig::Close && !self.skip {
            let had = u64::try_from(self.msg_len).unwrap_or(u64::MAX);
            let size = had.saturating_add(h.payload);
            if size > u64::try_from(self.msg.len()).unwrap_or(u64::MAX) {
                self.refuse_too_big(now, size);
                return true;
            }
        }
        self.consume(h.len);
        self.in_message = true;
        self.frame_fin = h.fin;
        self.frame_left = h.payload;
        if h.payload == 0 {
            self.end_of_frame(now, receive);
        }
        true
    }

    /// Takes what has arrived of the data frame's payload into the message buffer (or drops
    /// it, for a message being dropped).
    fn step_payload(&mut self, now: Instant, receive: &mut (impl Receive + ?Sized)) -> bool {
        let unread = self.rx_end.saturating_sub(self.rx_start);
        let n = usize::try_from(self.frame_left).map_or(unread, |left| left.min(unread));
        if n == 0 {
            return false;
        }
        if !self.skip {
            let to = self
                .msg_len
                .checked_add(n)
                .and_then(|end| self.msg.get_mut(self.msg_len..end));
            let from = self
                .rx_start
                .checked_add(n)
                .and_then(|end| self.rx.get(self.rx_start..end));
            match (to, from) {
                (Some(to), Some(from)) => {
                    to.copy_from_slice(from);
                    self.msg_len = self.msg_len.saturating_add(n);
                }
                // The message does not fit: drop it, keep the socket.
                _ => self.skip = true,
            }
        }
        self.consume(n);
        self.frame_left = self.frame_left.saturating_sub(n as u64);
        if self.frame_left == 0 {
            self.end_of_frame(now, receive);
        }
        true
    }

    /// A data frame's payload is all in; the message ends with the frame that had FIN.
    fn end_of_frame(&mut self, now: Instant, receive: &mut (impl Receive + ?Sized)) {
        if self.frame_fin {
            self.in_message = false;
            self.finish_message(now, receive);
        }
    }

    /// A whole message has arrived: the connection reads it, the caller gets its Kick events.
    fn finish_message(&mut self, now: Instant, receive: &mut (impl Receive + ?Sized)) {
        let len = core::mem::take(&mut self.msg_len);
        if core::mem::take(&mut self.skip) {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        let Some(message) = self.msg.get_mut(..len) else {
            return;
        };
        receive.message(message);
        receive.events(self.conn.handle_message(now, message));
    }

    /// A control frame, once all of it is in `rx`.
    fn step_control(&mut self, now: Instant, h: Header) -> bool {
        // A control frame's payload is at most 125 bytes (`frame::parse` checked).
        let len = usize::try_from(h.payload).unwrap_or(usize::MAX);
        let start = self.rx_start.saturating_add(h.len);
        let payload = (start.checked_add(len))
            .filter(|&end| end <= self.rx_end)
            .and_then(|end| self.rx.get(start..end));
        let Some(payload) = payload else {
            return self.need_more(now, "a control frame does not fit the rx buffer");
        };
        let Some(control) = self.control.get_mut(..len) else {
            return false; // not reached: `control` holds 125 bytes
        };
        control.copy_from_slice(payload);
        self.consume(h.len.saturating_add(len));
        match h.opcode {
            Opcode::Ping => self.pong(now, len),
            Opcode::Close => self.closed_by_server(now, len),
            _ => {} // a pong: nothing to do
        }
        true
    }

    /// Answers a ping with its payload (`tx` is empty whenever a step runs).
    fn pong(&mut self, now: Instant, len: usize) {
        let mask = frame::mask_key(&mut self.rng);
        let payload = self.control.get(..len).unwrap_or_default();
        match frame::write(self.tx, Opcode::Pong, payload, mask) {
            Some(n) => self.tx_len = n,
            None => self.fail(now, "cannot write a pong"),
        }
    }

    /// The server closed: echo its status code, close the socket, tell the connection the
    /// code and reason (they decide whether and when it reconnects).
    fn closed_by_server(&mut self, now: Instant, len: usize) {
        let payload = self.control.get(..len).unwrap_or_default();
        let close = match Close::parse(payload) {
            Ok(close) => close,
            Err(violation) => return self.protocol_error(now, violation),
        };
        // The reply carries the same code (RFC 6455 section 5.5.1), or nothing if there was
        // none.
        let code = close.code.map(u16::to_be_bytes);
        let echo = code.as_ref().map_or(&[][..], |c| c.as_slice());
        let mask = frame::mask_key(&mut self.rng);
        self.tx_len = frame::write(self.tx, Opcode::Close, echo, mask).unwrap_or(0);
        self.conn.handle_closed(now, close.code, close.reason);
        self.reset_socket();
        self.close_pending = true;
    }

    /// A message that will not fit the message buffer, with [`TooBig::Close`]: a close frame
    /// with status 1009 and the reason RFC 6455 names it by, then the socket is closed and the
    /// connection told (with the code: it plans the retry by it) the message's size so far.
    fn refuse_too_big(&mut self, now: Instant, size: u64) {
        const REASON: &[u8] = b"message too big";
        let mut payload = [0u8; 2 + REASON.len()];
        let (code, reason) = payload.split_at_mut(2);
        code.copy_from_slice(&frame::MESSAGE_TOO_BIG.to_be_bytes());
        reason.copy_from_slice(REASON);
        let mask = frame::mask_key(&mut self.rng);
        self.tx_len = frame::write(self.tx, Opcode::Close, &payload, mask).unwrap_or(0);
        // proto's decimal writer, not `core::fmt`: a board's image does not pay for `u64`'s
        // `Display`.
        let mut text = [0u8; 64];
        let mut why = Writer::new(&mut text);
        why.str("message too big: ");
        why.u64(size);
        why.str(" bytes, limit ");
        why.u64(u64::try_from(self.msg.len()).unwrap_or(u64::MAX));
        let why = why.into_str().unwrap_or("message too big");
        self.fail_with(now, Some(frame::MESSAGE_TOO_BIG), why);
        self.mid_message = true;
    }

    /// The server broke the protocol: a close frame with status 1002, then the socket is
    /// closed and the connection told (RFC 6455 section 7.1.7, "_Fail the WebSocket
    /// Connection_").
    fn protocol_error(&mut self, now: Instant, violation: Violation) {
        let mask = frame::mask_key(&mut self.rng);
        let code = frame::PROTOCOL_ERROR.to_be_bytes();
        self.tx_len = frame::write(self.tx, Opcode::Close, &code, mask).unwrap_or(0);
        self.fail(now, violation.reason());
    }
}
