//! `wss://`: a TLS 1.3 session (`embedded-tls`, no_std, no alloc) over the TCP socket, the
//! server authenticated by its key.
//!
//! The server must show a certificate whose public key (SubjectPublicKeyInfo) hashes to
//! `KICKWIRE_TLS_PIN` or `KICKWIRE_TLS_PIN_BACKUP`, the chain from its own certificate up to that
//! one must hold together, and it must sign the handshake with its key: kickwire-board's
//! `tls::PinnedProvider`, which documents what is and is not checked (no dates: the board has no
//! clock; no names, no root store: the pin names the key). A server refused is a failed connect,
//! logged with the reason, and retried with the link's back-off like any other.
//!
//! Built with `tls-insecure` and no pin (build.rs allows nothing else without a pin), the session
//! uses embedded-tls's `UnsecureProvider` instead: encrypted, not authenticated; `net.rs` logs
//! that at start.
//!
//! embedded-tls's read is not cancel-safe (a record header is read into a local), so a timer
//! cannot simply race it. [`Wire`] follows the TLS record framing instead and lets the wait for
//! the *first* byte of a record end at a deadline: nothing has been read then, and the session
//! stays usable.

use core::cell::Cell;

use embassy_futures::select::{Either, select};
use embassy_net::tcp::TcpSocket;
use embassy_time::{Instant, Timer};
use embedded_io_async::{ErrorKind, ErrorType, Read, Write};
use embedded_tls::{Aes128GcmSha256, TlsConfig, TlsConnection, TlsContext, TlsError};
use esp_hal::rng::Trng;
use kickwire_board::tls::{Pin, PinnedProvider};

use crate::config;

/// The largest record a server may send: 2^14 bytes of data plus 256 of expansion.
const RECORD_RX: usize = 16_640;
/// Outgoing records: the upgrade request and frames of up to 1 KB (the link's write buffer),
/// plus the record overhead; a longer write is split into several records.
const RECORD_TX: usize = 2048;
/// A TLS record header: type, version (2 bytes), length (2 bytes).
const HEADER: usize = 5;

/// The session's buffers: all zeros, so they land in `.bss`.
pub struct Memory {
    rx: [u8; RECORD_RX],
    tx: [u8; RECORD_TX],
    framing: Cell<Framing>,
    deadline: Cell<Option<Instant>>,
}

impl Memory {
    /// Empty buffers, for a `static`.
    pub const fn new() -> Self {
        Self {
            rx: [0; RECORD_RX],
            tx: [0; RECORD_TX],
            framing: Cell::new(Framing::START),
            deadline: Cell::new(None),
        }
    }
}

/// Where the byte stream stands in the TLS record framing.
#[derive(Clone, Copy)]
struct Framing {
    /// Header bytes seen of the current record (0 to 5).
    header: usize,
    /// The header so far (the length is its last two bytes).
    bytes: [u8; HEADER],
    /// Body bytes still to come once the header is complete.
    body: usize,
}

impl Framing {
    const START: Framing = Framing {
        header: 0,
        bytes: [0; HEADER],
        body: 0,
    };

    /// At a record boundary: no byte of the next record read yet.
    fn at_boundary(&self) -> bool {
        self.header == 0
    }

    /// Accounts for bytes read from the socket.
    fn advance(&mut self, read: &[u8]) {
        for &byte in read {
            if self.header < HEADER {
                if let Some(slot) = self.bytes.get_mut(self.header) {
                    *slot = byte;
                }
                self.header += 1;
                if self.header == HEADER {
                    let [_, _, _, high, low] = self.bytes;
                    self.body = usize::from(u16::from_be_bytes([high, low]));
                }
            } else {
                self.body = self.body.saturating_sub(1);
            }
            if self.header == HEADER && self.body == 0 {
                *self = Framing::START;
            }
        }
    }
}

/// The TCP socket as embedded-tls's transport. At a record boundary a read waits for data only
/// until `deadline` (then `ErrorKind::TimedOut`, with nothing consumed).
pub struct Wire<'s> {
    socket: &'s mut TcpSocket<'static>,
    framing: &'s Cell<Framing>,
    deadline: &'s Cell<Option<Instant>>,
}

impl ErrorType for Wire<'_> {
    type Error = ErrorKind;
}

impl Read for Wire<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let mut framing = self.framing.get();
        if framing.at_boundary()
            && let Some(deadline) = self.deadline.get()
            && let Either::Second(()) =
                select(self.socket.wait_read_ready(), Timer::at(deadline)).await
        {
            return Err(ErrorKind::TimedOut);
        }
        let n = self
            .socket
            .read(buf)
            .await
            .map_err(|_| ErrorKind::ConnectionReset)?;
        framing.advance(buf.get(..n).unwrap_or_default());
        self.framing.set(framing);
        Ok(n)
    }
}

impl Write for Wire<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
        self.socket
            .write(buf)
            .await
            .map_err(|_| ErrorKind::ConnectionReset)
    }

    async fn flush(&mut self) -> Result<(), ErrorKind> {
        self.socket
            .flush()
            .await
            .map_err(|_| ErrorKind::ConnectionReset)
    }
}

/// An open TLS session on the socket.
pub struct Session<'s> {
    conn: TlsConnection<'s, Wire<'s>, Aes128GcmSha256>,
    deadline: &'s Cell<Option<Instant>>,
}

/// The TLS 1.3 handshake on a connected socket, with SNI `host`.
pub async fn open<'s>(
    socket: &'s mut TcpSocket<'static>,
    memory: &'s mut Memory,
    host: &str,
) -> Result<Session<'s>, &'static str> {
    let Memory {
        rx,
        tx,
        framing,
        deadline,
    } = memory;
    let (framing, deadline): (&'s Cell<Framing>, &'s Cell<Option<Instant>>) = (framing, deadline);
    framing.set(Framing::START);
    deadline.set(None);
    // The hardware RNG is a true RNG while the radio runs (esp-radio enables its entropy source).
    let rng = Trng::try_new().map_err(|_| "TLS: no true random numbers (radio off)")?;
    // RSA signature schemes are offered so that a server with an RSA certificate gets as far as
    // showing it, and is then refused by name ("server key type RSA not supported") rather than
    // by an anonymous handshake failure.
    let tls_config = TlsConfig::new()
        .with_server_name(host)
        .enable_rsa_signatures();
    let wire = Wire {
        socket,
        framing,
        deadline,
    };
    let mut conn = TlsConnection::new(wire, rx, tx);
    #[cfg(feature = "tls-insecure")]
    if config::TLS_INSECURE {
        let context = TlsContext::new(
            &tls_config,
            embedded_tls::UnsecureProvider::new::<Aes128GcmSha256>(rng),
        );
        if let Err(e) = conn.open(context).await {
            defmt::warn!("tls: handshake with {=str} failed: {}", host, e);
            return Err("TLS handshake failed");
        }
        return Ok(Session { conn, deadline });
    }
    // A runtime value: a build without pins (one that joins no network) still links the
    // verifier, so that the size report measures the firmware people flash.
    let hashes: &[[u8; 32]] = core::hint::black_box(config::TLS_PINS);
    let pins: heapless::Vec<Pin, 2> = hashes.iter().take(2).map(|&h| Pin::new(h)).collect();
    let mut provider = PinnedProvider::<Aes128GcmSha256, _>::new(rng, &pins);
    let opened = conn.open(TlsContext::new(&tls_config, &mut provider)).await;
    match (opened, provider.outcome()) {
        (Ok(()), Ok(found)) => {
            defmt::info!(
                "tls: {=str} authenticated: its certificate {} has the {=str} pinned key",
                host,
                found.depth,
                if found.pin == 0 { "primary" } else { "backup" }
            );
            if found.pin != 0 {
                defmt::warn!(
                    "tls: the primary pin no longer matches {=str}: make the backup pin the \
                     primary (KICKWIRE_TLS_PIN) and pin a new backup",
                    host
                );
            }
        }
        // Refused by the verifier, or a handshake that skipped the server's proof of its key.
        (_, Err(why)) => {
            defmt::error!(
                "tls: {=str} REFUSED, not authenticated: {}",
                host,
                defmt::Display2Format(&why)
            );
            return Err("TLS: the server is not authenticated");
        }
        (Err(e), Ok(_)) => {
            defmt::warn!("tls: handshake with {=str} failed: {}", host, e);
            return Err("TLS handshake failed");
        }
    }
    Ok(Session { conn, deadline })
}

impl Session<'_> {
    /// Decrypted bytes into `buf`; `Ok(None)` when `deadline` passes between records,
    /// `Ok(Some(0))` when the server ends the session.
    pub async fn read(&mut self, buf: &mut [u8], deadline: Instant) -> Result<Option<usize>, ()> {
        self.deadline.set(Some(deadline));
        let result = self.conn.read(buf).await;
        self.deadline.set(None);
        match result {
            Ok(n) => Ok(Some(n)),
            Err(TlsError::Io(ErrorKind::TimedOut)) => Ok(None),
            // close_notify, or the TCP stream ended (embedded-tls reports EOF as IoError).
            Err(TlsError::ConnectionClosed | TlsError::IoError) => Ok(Some(0)),
            Err(e) => {
                defmt::warn!("tls: read failed: {}", e);
                Err(())
            }
        }
    }

    /// Encrypts and sends all of `bytes`.
    pub async fn write_all(&mut self, bytes: &[u8]) -> Result<(), ()> {
        self.conn.write_all(bytes).await.map_err(|_| ())?;
        self.conn.flush().await.map_err(|_| ())
    }
}
