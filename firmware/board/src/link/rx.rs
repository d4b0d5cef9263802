//! What the link reads: the 101 response, then frames, one step at a time.

use core::fmt::Write as _;

use embedded_websocket::{
    Error as WsError, WebSocketReceiveMessageType as Received, WebSocketSendMessageType,
};
use kickwire_proto::RawEvent;
use kickwire_proto::conn::Instant;
use rand_core::RngCore;

use super::header::{self, Header};
use super::{Link, Phase};

/// Where a discarded payload is read to.
const DISCARD: usize = 64;

impl<R: RngCore + Clone> Link<'_, R> {
    /// Processes the next piece of received bytes. `false`: nothing to do until more arrive.
    pub(super) fn step(&mut self, now: Instant, on_kick: &mut impl FnMut(&RawEvent<'_>)) -> bool {
        match self.phase {
            Phase::Upgrading { .. } => self.step_upgrade(now),
            Phase::Open => self.step_frame(now, on_kick),
            Phase::Idle | Phase::Connecting { .. } => false,
        }
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
        let Phase::Upgrading { key, .. } = &self.phase else {
            return false;
        };
        let (Some(ws), Some(bytes)) = (self.ws.as_mut(), self.rx.get(self.rx_start..self.rx_end))
        else {
            return false;
        };
        match ws.client_accept(key, bytes) {
            Ok((len, _)) => {
                self.rx_start = self.rx_start.saturating_add(len);
                self.phase = Phase::Open;
                self.conn.handle_open(now);
                true
            }
            Err(WsError::HttpHeaderIncomplete) => {
                self.need_more(now, "the upgrade response does not fit the rx buffer")
            }
            Err(WsError::HttpResponseCodeInvalid(code)) => {
                let mut why = heapless::String::<64>::new();
                let _ = match code {
                    Some(c) => write!(why, "upgrade refused: HTTP {c}"),
                    None => write!(why, "upgrade refused"),
                };
                self.fail(now, &why);
                true
            }
            Err(WsError::AcceptStringInvalid) => {
                self.fail(now, "upgrade response with a wrong Sec-WebSocket-Accept");
                true
            }
            Err(_) => {
                self.fail(now, "malformed upgrade response");
                true
            }
        }
    }

    /// Reads one frame, or the next piece of a data frame's payload.
    fn step_frame(&mut self, now: Instant, on_kick: &mut impl FnMut(&RawEvent<'_>)) -> bool {
        if self.rx_start >= self.rx_end {
            return false;
        }
        // At a frame boundary, look at the header first (see `header` for why).
        let head: Option<Header> = match self.frame_left {
            0 => match self
                .rx
                .get(self.rx_start..self.rx_end)
                .and_then(header::peek)
            {
                Some(h) => Some(h),
                None => return self.need_more(now, "a frame header does not fit the rx buffer"),
            },
            _ => None,
        };
        if let Some(h) = head {
            if h.control {
                if h.payload > super::CONTROL || !h.fin {
                    self.fail(now, "WebSocket protocol error: bad control frame");
                    return true;
                }
                if self.rx_end.saturating_sub(self.rx_start) < h.frame_len() {
                    return self.need_more(now, "a control frame does not fit the rx buffer");
                }
            } else {
                match (h.opcode, self.in_message) {
                    (1 | 2, false) => self.skip = h.opcode == 2, // binary: nothing of ours
                    (0, true) => {}
                    _ => {
                        self.fail(now, "WebSocket protocol error: unexpected fragment");
                        return true;
                    }
                }
                self.in_message = true;
                self.frame_fin = h.fin;
                if let Some(b0) = self.rx.get_mut(self.rx_start) {
                    *b0 = header::SINGLE_TEXT;
                }
            }
        }
        let control = head.is_some_and(|h| h.control);
        let left = head.map_or(self.frame_left, |h| h.payload);
        let mut discard = [0u8; DISCARD];
        let to: &mut [u8] = if control {
            &mut self.control
        } else {
            let room = self.msg.get_mut(self.msg_len..).unwrap_or_default();
            if !self.skip && room.is_empty() && left > 0 {
                self.skip = true; // the message does not fit: drop it, keep the socket
            }
            match self.skip {
                true => &mut discard,
                false => self.msg.get_mut(self.msg_len..).unwrap_or_default(),
            }
        };
        let (Some(ws), Some(from)) = (self.ws.as_mut(), self.rx.get(self.rx_start..self.rx_end))
        else {
            return false;
        };
        let r = match ws.read(from, to) {
            Ok(r) => r,
            Err(WsError::ReadFrameIncomplete) => return false,
            Err(_) => {
                self.fail(now, "WebSocket protocol error");
                return true;
            }
        };
        if r.len_from == 0 {
            return false;
        }
        self.rx_start = self.rx_start.saturating_add(r.len_from).min(self.rx_end);
        if !control {
            self.frame_left = left.saturating_sub(r.len_to);
        }
        match r.message_type {
            Received::Text | Received::Binary => {
                if !self.skip {
                    self.msg_len = self.msg_len.saturating_add(r.len_to);
                }
                // The codec's end of message is the end of this frame (it sees single
                // frames); the message ends with the frame that had FIN.
                if r.end_of_message && self.frame_fin {
                    self.in_message = false;
                    self.finish_message(now, on_kick);
                }
            }
            Received::Ping => self.pong(now, r.len_to),
            Received::Pong => {}
            Received::CloseMustReply | Received::CloseCompleted => {
                self.closed_by_server(now, r.len_to);
            }
        }
        true
    }

    /// A whole message has arrived: the connection reads it, the caller gets its Kick events.
    fn finish_message(&mut self, now: Instant, on_kick: &mut impl FnMut(&RawEvent<'_>)) {
        let len = core::mem::take(&mut self.msg_len);
        if core::mem::take(&mut self.skip) {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        let Some(message) = self.msg.get_mut(..len) else {
            return;
        };
        // As with `next_into`: an envelope or payload that cannot be used becomes the
        // connection's `Event::BadMessage` (handed out by `poll` as an `Action::Event`), and
        // `next_raw` goes on with the events after it.
        let mut received = self.conn.handle_message(now, message);
        while let Some(event) = received.next_raw() {
            on_kick(&event);
        }
    }

    /// Answers a ping with its payload (`tx` is empty whenever a step runs).
    fn pong(&mut self, now: Instant, len: usize) {
        let (Some(ws), Some(payload)) = (self.ws.as_mut(), self.control.get(..len)) else {
            return;
        };
        match ws.write(WebSocketSendMessageType::Pong, true, payload, self.tx) {
            Ok(n) => self.tx_len = n,
            Err(_) => self.fail(now, "cannot write a pong"),
        }
    }

    /// The server closed: echo its status code, close the socket, tell the connection the
    /// code and reason (they decide whether and when it reconnects).
    fn closed_by_server(&mut self, now: Instant, len: usize) {
        let payload = self.control.get(..len).unwrap_or_default();
        let code = payload
            .get(..2)
            .and_then(|c| <[u8; 2]>::try_from(c).ok())
            .map(u16::from_be_bytes);
        if let (Some(ws), Some(echo)) = (self.ws.as_mut(), payload.get(..len.min(2))) {
            // Not possible after our own close (`CloseCompleted`): nothing to reply then.
            self.tx_len = ws
                .write(WebSocketSendMessageType::CloseReply, true, echo, self.tx)
                .unwrap_or(0);
        }
        let reason = payload
            .get(2..)
            .and_then(|r| core::str::from_utf8(r).ok())
            .unwrap_or("");
        self.conn.handle_closed(now, code, reason);
        self.reset_socket();
        self.close_pending = true;
    }
}
