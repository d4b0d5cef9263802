//! The byte stream under the WebSocket: the TCP socket itself for `ws://`, a TLS session over
//! it for `wss://` (with the `tls` feature, [`crate::tls`]). The link reports which one a URL
//! needs (`Url::tls`); `net.rs` drives either through [`Stream`].

use embassy_futures::select::{Either, select};
use embassy_net::tcp::TcpSocket;
use embassy_time::{Duration, Instant, Timer, with_timeout};
use embedded_io_async::Write as _;

#[cfg(feature = "tls")]
pub use crate::tls::Memory as TlsMemory;

/// Without the `tls` feature there is nothing to keep for TLS.
#[cfg(not(feature = "tls"))]
pub struct TlsMemory;

#[cfg(not(feature = "tls"))]
impl TlsMemory {
    /// Nothing, for a `static`.
    pub const fn new() -> Self {
        TlsMemory
    }
}

/// An open connection to the server.
#[allow(clippy::large_enum_variant)] // one, on the network task's stack: no allocator to box it
pub enum Stream<'s> {
    /// `ws://`: bytes go straight to the socket.
    Plain(&'s mut TcpSocket<'static>),
    /// `wss://`: bytes go through a TLS session.
    #[cfg(feature = "tls")]
    Tls(crate::tls::Session<'s>),
}

/// Opens the stream on a connected socket: as it is for `ws://`, after the TLS handshake (SNI
/// `host`) for `wss://`.
pub async fn open<'s>(
    socket: &'s mut TcpSocket<'static>,
    tls_memory: &'s mut TlsMemory,
    tls: bool,
    host: &str,
) -> Result<Stream<'s>, &'static str> {
    if !tls {
        return Ok(Stream::Plain(socket));
    }
    #[cfg(feature = "tls")]
    {
        crate::tls::open(socket, tls_memory, host)
            .await
            .map(Stream::Tls)
    }
    #[cfg(not(feature = "tls"))]
    {
        let _ = (tls_memory, host);
        Err("wss:// needs TLS, not in this build (cargo feature `tls`)")
    }
}

impl Stream<'_> {
    /// Waits for bytes until `deadline`: `Ok(Some(n))` with `n` bytes in `buf` (0: the server
    /// closed the connection), `Ok(None)` when the deadline came first, `Err` when the
    /// connection broke. Nothing is lost when the deadline ends the wait.
    pub async fn read(&mut self, buf: &mut [u8], deadline: Instant) -> Result<Option<usize>, ()> {
        match self {
            // A TCP read is cancel-safe: racing it against the timer loses nothing.
            Stream::Plain(socket) => match select(socket.read(buf), Timer::at(deadline)).await {
                Either::First(Ok(n)) => Ok(Some(n)),
                Either::First(Err(_)) => Err(()),
                Either::Second(()) => Ok(None),
            },
            #[cfg(feature = "tls")]
            Stream::Tls(session) => session.read(buf, deadline).await,
        }
    }

    /// Sends all of `bytes`.
    pub async fn write_all(&mut self, bytes: &[u8]) -> Result<(), ()> {
        match self {
            Stream::Plain(socket) => socket.write_all(bytes).await.map_err(|_| ()),
            #[cfg(feature = "tls")]
            Stream::Tls(session) => session.write_all(bytes).await,
        }
    }

    /// Lets what was written go out (bounded: the caller closes the socket next).
    pub async fn flush(&mut self) {
        match self {
            Stream::Plain(socket) => {
                let _ = with_timeout(Duration::from_secs(2), socket.flush()).await;
            }
            // Each TLS write already flushed its record to the socket (embedded-tls's default
            // strict flush policy).
            #[cfg(feature = "tls")]
            Stream::Tls(_) => {}
        }
    }
}
