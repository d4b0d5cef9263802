//! The byte stream under the link on a std host (feature `std`): TCP with timeouts, each
//! resolved address in turn, and TLS (rustls with the ring provider and Mozilla's roots) for
//! `wss://` and `https://`.
//!
//! ```no_run
//! use std::io::Write;
//! use std::time::Duration;
//! use kickwire_link::net::Connector;
//!
//! let connector = Connector::new(Duration::from_secs(8));
//! let mut stream = connector.connect("example.com", 443, true)?;
//! stream.write_all(b"GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::boxed::Box;
use std::format;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::string::{String, ToString};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use std::vec::Vec;

/// A TLS session over TCP.
type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// A connected stream, plain TCP or TLS over TCP.
#[derive(Debug)]
pub enum Stream {
    /// `ws://` or `http://`.
    Plain(TcpStream),
    /// `wss://` or `https://` (boxed: a TLS session is some kilobytes).
    Tls(Box<TlsStream>),
}

impl Stream {
    /// The TCP socket underneath, for read timeouts and shutdown.
    #[must_use]
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Self::Plain(s) => s,
            Self::Tls(s) => s.get_ref(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.read(buf),
            Self::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.write(buf),
            Self::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(s) => s.flush(),
            Self::Tls(s) => s.flush(),
        }
    }
}

/// Opens [`Stream`]s: how long each step may take, and whether (and how) TLS is spoken.
#[derive(Debug, Clone)]
pub struct Connector {
    timeout: Duration,
    tls: Tls,
}

/// Which TLS a [`Connector`] speaks.
#[derive(Debug, Clone)]
enum Tls {
    /// None: a TLS URL fails to connect.
    Off,
    /// Mozilla's roots ([`roots_config`]).
    Roots,
    /// The caller's own configuration.
    Custom(Arc<rustls::ClientConfig>),
}

impl Connector {
    /// TLS with Mozilla's roots (the `webpki-roots` crate, compiled in); `timeout` bounds the
    /// TCP connect to each address, the TLS handshake, and every later read and write (a read
    /// may set its own).
    #[must_use]
    pub const fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            tls: Tls::Roots,
        }
    }

    /// Plain TCP only: a TLS URL fails to connect, with a reason that says so.
    #[must_use]
    pub const fn plain_only(timeout: Duration) -> Self {
        Self {
            timeout,
            tls: Tls::Off,
        }
    }

    /// TLS with a rustls configuration of the caller's own (other roots, a test CA).
    #[must_use]
    pub const fn with_tls(timeout: Duration, config: Arc<rustls::ClientConfig>) -> Self {
        Self {
            timeout,
            tls: Tls::Custom(config),
        }
    }

    /// The bound on each step of connecting.
    #[must_use]
    pub const fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Opens TCP to `host:port` (each resolved address in turn) and, when `tls`, finishes the
    /// TLS handshake before returning, so that TLS errors show up as connect errors.
    ///
    /// # Errors
    /// Resolving, connecting or the handshake failed (the message names the host), or `tls`
    /// with a [`plain_only`](Self::plain_only) connector.
    pub fn connect(&self, host: &str, port: u16, tls: bool) -> io::Result<Stream> {
        let tls_config = match (tls, &self.tls) {
            (false, _) => None,
            (true, Tls::Roots) => Some(roots_config()?),
            (true, Tls::Custom(config)) => Some(Arc::clone(config)),
            (true, Tls::Off) => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "TLS (wss://, https://) is not allowed by this connector",
                ));
            }
        };
        let tcp = self.tcp(host, port)?;
        match tls_config {
            None => Ok(Stream::Plain(tcp)),
            Some(config) => handshake(config, host, tcp).map(|s| Stream::Tls(Box::new(s))),
        }
    }

    fn tcp(&self, host: &str, port: u16) -> io::Result<TcpStream> {
        let addrs: Vec<_> = (host, port)
            .to_socket_addrs()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot resolve {host}: {e}")))?
            .collect();
        let mut last = io::Error::new(io::ErrorKind::NotFound, format!("{host} has no address"));
        let tcp = addrs
            .iter()
            .find_map(|a| match TcpStream::connect_timeout(a, self.timeout) {
                Ok(s) => Some(s),
                Err(e) => {
                    last = io::Error::new(e.kind(), format!("cannot connect to {a}: {e}"));
                    None
                }
            })
            .ok_or(last)?;
        tcp.set_nodelay(true)?;
        tcp.set_read_timeout(Some(self.timeout))?;
        tcp.set_write_timeout(Some(self.timeout))?;
        Ok(tcp)
    }
}

/// The TLS handshake with `host` (its name for SNI and the certificate check) over `tcp`.
fn handshake(
    config: Arc<rustls::ClientConfig>,
    host: &str,
    tcp: TcpStream,
) -> io::Result<TlsStream> {
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let conn = rustls::ClientConnection::new(config, name).map_err(io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| io::Error::new(e.kind(), format!("TLS with {host}: {e}")))?;
    }
    Ok(tls)
}

/// rustls with the ring provider (no C build tools needed), its safe default protocol
/// versions and Mozilla's roots: built once (an error, which ring never gives, is kept too).
fn roots_config() -> io::Result<Arc<rustls::ClientConfig>> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
                .map_err(|e| format!("rustls configuration: {e}"))
        })
        .clone()
        .map_err(io::Error::other)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_only_connector_refuses_tls_before_any_connect() {
        // Port 1 on loopback: nothing listens; the refusal must come first, and say why.
        let e = Connector::plain_only(Duration::from_secs(1))
            .connect("127.0.0.1", 1, true)
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Unsupported);
        assert!(e.to_string().contains("TLS"), "{e}");
    }
}
