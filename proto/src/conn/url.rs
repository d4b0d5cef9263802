//! Server URLs: Pusher's app URL ([`PusherUrl`], [`pusher_app_url`]) and which transport a URL
//! speaks ([`url_transport`]).

use super::encode::{EncodeError, Writer};
use crate::Transport;

/// The parts of a Pusher WebSocket URL:
/// `ws[s]://ws-{cluster}.pusher.com:{port}/app/{key}?protocol=7&client=js&version=8.4.0&flash=false`,
/// or any host and port.
///
/// ```
/// use kickwire_proto::conn::PusherUrl;
/// let kick = PusherUrl::cluster("32cbd69e4b950bf97679", "us2");
/// let mut buf = [0u8; 256];
/// assert_eq!(
///     kick.write(&mut buf).unwrap(),
///     "wss://ws-us2.pusher.com:443/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
/// );
/// let local = PusherUrl { host: Some("127.0.0.1"), port: Some(6001), tls: false, ..kick };
/// assert_eq!(
///     local.write(&mut buf).unwrap(),
///     "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PusherUrl<'a> {
    /// The app key (Kick's is `32cbd69e4b950bf97679`).
    pub key: &'a str,
    /// The cluster (`us2`), used when `host` is `None`.
    pub cluster: &'a str,
    /// Any host instead of `ws-{cluster}.pusher.com`.
    pub host: Option<&'a str>,
    /// The port (default 443 with TLS, 80 without).
    pub port: Option<u16>,
    /// `wss://` (default) or `ws://`.
    pub tls: bool,
    /// A path put in front of `/app/` (pusher-js's `wsPath`), e.g. `/pusher`.
    pub path: &'a str,
    /// `client` and `version` query parameters (default `js` and `8.4.0`, what Kick's own web
    /// client sends).
    pub client: &'a str,
    /// See `client`.
    pub version: &'a str,
}

impl<'a> PusherUrl<'a> {
    /// The URL of app `key` on Pusher's cluster `cluster`, over TLS.
    #[must_use]
    pub const fn cluster(key: &'a str, cluster: &'a str) -> Self {
        Self {
            key,
            cluster,
            host: None,
            port: None,
            tls: true,
            path: "",
            client: "js",
            version: "8.4.0",
        }
    }

    /// Writes the URL into `buf`.
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`] with the length needed.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, EncodeError> {
        let mut w = Writer::new(buf);
        w.str(if self.tls { "wss://" } else { "ws://" });
        match self.host {
            Some(h) => w.str(h),
            None => {
                w.str("ws-");
                w.str(self.cluster);
                w.str(".pusher.com");
            }
        }
        w.str(":");
        let port = self.port.unwrap_or(if self.tls { 443 } else { 80 });
        w.u64(u64::from(port));
        w.str(self.path.trim_end_matches('/'));
        w.str("/app/");
        w.str(self.key);
        w.str("?protocol=7&client=");
        w.str(self.client);
        w.str("&version=");
        w.str(self.version);
        w.str("&flash=false");
        w.finish()
    }
}

/// Which protocol a server URL speaks, as far as the URL tells: Centrifugo's
/// `/connection/websocket` endpoint, a Pusher `/app/KEY` path, or a bare server address
/// (`ws://host:port`, no path), taken as Pusher since its path can be added
/// ([`pusher_app_url`]). `None` for any other path: ask the user.
///
/// The browser package applies the same rules in its JavaScript (`serverUrl` in
/// `wasm/js/kickwire.js`, where they cost a page a fifth of what this module's code did):
/// a change here must be made there too.
///
/// ```
/// use kickwire_proto::{Transport, conn::url_transport};
/// assert_eq!(url_transport("ws://127.0.0.1:8000/connection/websocket"), Some(Transport::Centrifugo));
/// assert_eq!(url_transport("ws://127.0.0.1:6001/app/key?protocol=7"), Some(Transport::Pusher));
/// assert_eq!(url_transport("ws://127.0.0.1:6001/"), Some(Transport::Pusher));
/// assert_eq!(url_transport("wss://relay.example/kick"), None);
/// ```
#[must_use]
pub fn url_transport(url: &str) -> Option<Transport> {
    let url = url.as_bytes();
    if find(url, b"/connection/websocket").is_some() {
        return Some(Transport::Centrifugo);
    }
    if find(url, b"/app/").is_some() {
        return Some(Transport::Pusher);
    }
    // The path: from the first `/` after `scheme://` to `?` or `#`.
    let rest = find(url, b"://").map_or(url, |i| url.get(i.saturating_add(3)..).unwrap_or(&[]));
    let end = rest
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(rest.len());
    let rest = rest.get(..end).unwrap_or(rest);
    let path = rest
        .iter()
        .position(|b| *b == b'/')
        .and_then(|i| rest.get(i..))
        .unwrap_or(&[]);
    matches!(path, b"" | b"/").then_some(Transport::Pusher)
}

/// Where `needle` first occurs in `hay`. Byte-wise on purpose: `str`'s pattern searcher and
/// slicing checks cost several KB of code for these few short URLs (measured in the browser's
/// module, which no longer builds URLs: see [`url_transport`]).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `url` as a Pusher app URL: unchanged when it has an `/app/` path already, else with
/// `/app/{key}?protocol=7&client=js&version=8.4.0&flash=false` added (a bare
/// `ws://host:port` of a self-hosted server).
///
/// ```
/// use kickwire_proto::conn::pusher_app_url;
/// let mut buf = [0u8; 128];
/// assert_eq!(
///     pusher_app_url("ws://127.0.0.1:6001/", "key", &mut buf).unwrap(),
///     "ws://127.0.0.1:6001/app/key?protocol=7&client=js&version=8.4.0&flash=false"
/// );
/// assert_eq!(pusher_app_url("ws://h/app/k?protocol=7", "key", &mut buf).unwrap(), "ws://h/app/k?protocol=7");
/// ```
///
/// # Errors
/// [`EncodeError::BufferTooSmall`] with the length needed.
pub fn pusher_app_url<'b>(url: &str, key: &str, buf: &'b mut [u8]) -> Result<&'b str, EncodeError> {
    let mut w = Writer::new(buf);
    if find(url.as_bytes(), b"/app/").is_some() {
        w.str(url);
    } else {
        let mut base = url;
        while let Some(b) = base.strip_suffix('/') {
            base = b;
        }
        w.str(base);
        w.str("/app/");
        w.str(key);
        w.str("?protocol=7&client=js&version=8.4.0&flash=false");
    }
    w.finish()
}
