//! Pusher Channels protocol v7: URLs, the close-code table, and the connection's reactions to
//! `pusher:*` and `pusher_internal:*` messages.

use core::time::Duration;

use super::encode::{EncodeError, Pending, Writer};
use super::{Connection, Proto, Reason, Socket, State, Sub};
use crate::json::field::Field;
use crate::json::reader::Reader;
use crate::text::Text;

/// What pusher-js does when a socket closes with a code (or a first-frame `pusher:error`
/// carries one): its `getCloseAction` table, checklist item 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CloseAction {
    /// 4000: the app only accepts TLS: switch to `wss://` and retry at once.
    TlsOnly,
    /// 4001-4099 and 4300-4999: refused; do not reconnect.
    Refused,
    /// 4100-4199, 1002-1004: reconnect after a back-off.
    Backoff,
    /// 4200-4299: reconnect at once.
    Retry,
    /// Anything else (1000, 1001, 1005, 1006, 3999, none): no action of its own; the generic
    /// "socket closed" path reconnects after a back-off.
    None,
}

/// The action for a close code, exactly as pusher-js's `getCloseAction`.
///
/// ```
/// use kickwire_proto::conn::{close_action, CloseAction};
/// assert_eq!(close_action(4001), CloseAction::Refused);
/// assert_eq!(close_action(4100), CloseAction::Backoff);
/// assert_eq!(close_action(4201), CloseAction::Retry);
/// assert_eq!(close_action(1006), CloseAction::None);
/// ```
#[must_use]
pub const fn close_action(code: u16) -> CloseAction {
    match code {
        4000 => CloseAction::TlsOnly,
        4001..=4099 => CloseAction::Refused,
        4100..=4199 => CloseAction::Backoff,
        4200..=4299 => CloseAction::Retry,
        4300..=4999 => CloseAction::Refused,
        1002..=1004 => CloseAction::Backoff,
        _ => CloseAction::None,
    }
}

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
/// ```
/// use kickwire_proto::{Transport, conn::url_transport};
/// assert_eq!(url_transport("ws://127.0.0.1:8000/connection/websocket"), Some(Transport::Centrifugo));
/// assert_eq!(url_transport("ws://127.0.0.1:6001/app/key?protocol=7"), Some(Transport::Pusher));
/// assert_eq!(url_transport("ws://127.0.0.1:6001/"), Some(Transport::Pusher));
/// assert_eq!(url_transport("wss://relay.example/kick"), None);
/// ```
#[must_use]
pub fn url_transport(url: &str) -> Option<crate::Transport> {
    use crate::Transport;
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
/// slicing checks cost the browser build several KB for these few short URLs.
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

/// The shortest activity timeout in force, whatever the server announces or the
/// configuration says: the unit of `activity_timeout` is the second, and below one a silent
/// server would be pinged continuously.
pub(crate) const MIN_ACTIVITY: Duration = Duration::from_secs(1);

/// The members of a Pusher control payload that the connection reads.
#[derive(Default)]
struct Control {
    socket_id: Text<{ crate::limits::SOCKET_ID }>,
    activity_timeout: Option<u64>,
    code: Option<u64>,
    message: Text<{ crate::limits::REASON }>,
}

crate::json::field::object_fields!(Control {
    b"socket_id" => socket_id,
    b"activity_timeout" => activity_timeout,
    b"code" => code,
    b"message" => message,
});

fn control(payload: &[u8]) -> Control {
    let mut c = Control::default();
    let mut r = Reader::new(payload);
    // A malformed payload leaves what was read so far; the caller judges what is missing
    // (and anything but an object leaves it empty).
    let _ = c.read(&mut r);
    c
}

impl Connection {
    /// Reacts to one `pusher:*` / `pusher_internal:*` message; `payload` is its `data`,
    /// unescaped.
    pub(crate) fn pusher_control(
        &mut self,
        now: super::Instant,
        name: &str,
        channel: Option<&str>,
        payload: &[u8],
    ) {
        if self.socket == Socket::Handshaking {
            self.pusher_handshake(now, name, payload);
            return;
        }
        if self.socket != Socket::Ready {
            return;
        }
        match name {
            "pusher:ping" => self.queue(Pending::PusherPong),
            "pusher:error" => {
                // Not fatal by itself (4009 for one channel, 4301, `code: null`): a close
                // follows when it is.
                let c = control(payload);
                self.push_event(super::Event::ServerError {
                    code: c.code.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: c.message,
                    repeats: 0,
                });
            }
            "pusher_internal:subscription_succeeded" => {
                let Some(ch) = channel else { return };
                if let Some(c) = self.channels.iter_mut().find(|c| c.name.as_str() == ch) {
                    c.sub = Sub::Subscribed;
                    c.deadline = None;
                    self.push_event(super::Event::Subscribed {
                        channel: Text::from_str_truncating(ch),
                    });
                }
            }
            // pong: activity, already counted. Presence, counts, cache misses, signin: not for
            // a reader of public channels.
            _ => {}
        }
    }

    fn pusher_handshake(&mut self, now: super::Instant, name: &str, payload: &[u8]) {
        match name {
            "pusher:connection_established" => {
                let c = control(payload);
                let Some(server) = c.activity_timeout else {
                    // pusher-js: "No activity timeout specified in handshake".
                    self.drop_socket(now, Reason::BadHandshake);
                    return;
                };
                if let Proto::Pusher { activity } = &mut self.proto {
                    // At least MIN_ACTIVITY: `"activity_timeout":0` would otherwise have us
                    // ping after every message, thousands of times a second.
                    *activity = self
                        .config
                        .activity_timeout
                        .min(Duration::from_secs(server))
                        .max(MIN_ACTIVITY);
                }
                self.on_connected(now, c.socket_id.as_str());
            }
            "pusher:error" => {
                let c = control(payload);
                let code = c.code.and_then(|c| u16::try_from(c).ok());
                self.push_event(super::Event::ServerError {
                    code: c.code.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: c.message.clone(),
                    repeats: 0,
                });
                // A first-frame error acts like a close with its code.
                self.close_socket(1000);
                self.push_event(super::Event::Disconnected {
                    code,
                    reason: c.message,
                    will_retry: false,
                });
                let (retry, at_once, why) = self.pusher_close_plan(code);
                if let Some(super::Event::Disconnected { will_retry, .. }) = self.events.back_mut()
                {
                    *will_retry = retry && self.config.reconnect;
                }
                self.after_close(now, retry, at_once, why);
            }
            _ => self.drop_socket(now, Reason::BadHandshake),
        }
    }

    /// `(reconnect?, at once?, why)` for a close with `code`; switches to TLS on 4000.
    pub(crate) fn pusher_close_plan(&mut self, code: Option<u16>) -> (bool, bool, Reason) {
        let why = Reason::Closed(code);
        match code.map_or(CloseAction::None, close_action) {
            CloseAction::TlsOnly => {
                if self.url.starts_with("wss://") {
                    // Already TLS: nothing else to try.
                    self.set_state(State::Failed);
                    (false, false, why)
                } else {
                    let rest = self.url.get("ws://".len()..).unwrap_or("");
                    let mut url: Text<{ crate::limits::URL }> = Text::from_str_truncating("wss://");
                    url.push_str(rest);
                    if url.is_truncated() {
                        self.set_state(State::Failed);
                        return (false, false, why);
                    }
                    self.url = url;
                    (true, true, why)
                }
            }
            CloseAction::Refused => (false, false, why),
            CloseAction::Backoff => (true, false, why),
            CloseAction::Retry => (true, true, code.map_or(why, Reason::ServerRequest)),
            CloseAction::None => (true, false, why),
        }
    }
}
