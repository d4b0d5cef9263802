//! What the link writes: the HTTP upgrade request, and the connection's frames.

use core::fmt::Write as _;

use kickwire_proto::conn::{EncodeError, Instant, Transmit};
use rand_core::RngCore;

use super::frame::{self, Opcode};
use super::handshake::{self, Request};
use super::{Link, Phase, Receive, Url};

/// What [`Link::next_transmit`] did.
pub(super) enum Next {
    /// The connection has nothing to send.
    Nothing,
    /// Give the caller [`Action::Connect`](super::Action::Connect) for `Link::url`.
    Connect,
    /// Something changed (bytes in `tx`, a close to ask for, a failed socket): look again.
    Again,
}

impl<
    R: RngCore + Clone,
    const CHANNELS: usize,
    const EVENTS: usize,
    const TRANSMITS: usize,
    const TOKEN: usize,
> Link<'_, R, CHANNELS, EVENTS, TRANSMITS, TOKEN>
{
    /// Takes the connection's next transmit: a socket to open, a frame to write (into `tx`,
    /// which is empty whenever this is called), or a close.
    pub(super) fn next_transmit(
        &mut self,
        now: Instant,
        receive: &mut (impl Receive + ?Sized),
    ) -> Next {
        // The text goes into the second half of `tx`, its frame into the first.
        let half = self.tx.len() / 2;
        let (frame, text) = self.tx.split_at_mut(half);
        let t = match self.conn.poll_transmit(text) {
            Ok(Some(t)) => t,
            Ok(None) => return Next::Nothing,
            Err(EncodeError::BufferTooSmall { .. }) | Err(_) => {
                // The frame stays queued in the connection: take it out through the (larger)
                // message buffer so it cannot block every later frame, and give up on the
                // socket, since a frame of the protocol went missing.
                self.msg_len = 0;
                self.skip = false;
                let _ = self.conn.poll_transmit(self.msg);
                self.fail(now, "an outgoing message does not fit the tx buffer");
                return Next::Again;
            }
        };
        match t {
            Transmit::Open { url } => {
                // The connection never queues a URL longer than `URL` bytes.
                self.url.clear();
                let fits = self.url.push_str(url).is_ok();
                self.reset_socket();
                self.mid_message = false;
                let parsed = match fits {
                    true => Url::parse(&self.url).map(|_| ()),
                    false => Err(super::UrlError::Unsupported),
                };
                if let Err(e) = parsed {
                    // Never `Phase::Idle` here, so `fail` would do nothing: report directly.
                    let mut why = heapless::String::<96>::new();
                    let _ = write!(why, "bad URL: {e}");
                    self.conn.handle_closed(now, None, &why);
                    return Next::Again;
                }
                self.phase = Phase::Connecting {
                    deadline: now.after(self.config.upgrade_timeout),
                };
                Next::Connect
            }
            Transmit::Text(t) => {
                if self.phase != Phase::Open {
                    return Next::Again; // left over from a socket already closed
                }
                let mask = frame::mask_key(&mut self.rng);
                match frame::write(frame, Opcode::Text, t.as_bytes(), mask) {
                    Some(n) => {
                        self.tx_len = n;
                        receive.sent(t);
                    }
                    None => self.fail(now, "an outgoing message does not fit the tx buffer"),
                }
                Next::Again
            }
            Transmit::Close { code } => {
                if self.phase == Phase::Open {
                    let mask = frame::mask_key(&mut self.rng);
                    let code = code.to_be_bytes();
                    self.tx_len = frame::write(self.tx, Opcode::Close, &code, mask).unwrap_or(0);
                }
                if self.phase != Phase::Idle {
                    self.close_pending = true;
                }
                self.reset_socket();
                Next::Again
            }
        }
    }

    /// Writes the upgrade request into `tx` and waits for the response.
    pub(super) fn start_upgrade(&mut self, now: Instant) {
        let deadline = match self.phase {
            Phase::Connecting { deadline } => deadline,
            _ => return,
        };
        let Ok(url) = Url::parse(&self.url) else {
            self.fail(now, "bad URL");
            return;
        };
        let mut nonce = [0; handshake::NONCE];
        self.rng.fill_bytes(&mut nonce);
        let key = handshake::key(&nonce);
        let request = Request {
            target: url.target,
            authority: url.authority,
            origin: self.config.origin,
        };
        match request.write(&key, self.tx) {
            Some(n) => {
                self.tx_len = n;
                self.phase = Phase::Upgrading {
                    accept: handshake::accept(&key),
                    deadline,
                };
            }
            None => self.fail(now, "the upgrade request does not fit the tx buffer"),
        }
    }
}
