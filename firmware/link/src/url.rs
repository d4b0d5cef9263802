//! The parts of a `ws://` or `wss://` URL that opening a WebSocket needs: where to connect
//! (host and port), what to ask for (the request target) and whether TLS is needed.

/// A WebSocket URL split into its parts, borrowed from the URL text.
///
/// ```
/// use kickwire_link::Url;
/// let url = Url::parse("ws://127.0.0.1:6001/app/key?protocol=7").unwrap();
/// assert_eq!((url.host, url.port, url.tls), ("127.0.0.1", 6001, false));
/// assert_eq!(url.authority, "127.0.0.1:6001");
/// assert_eq!(url.target, "/app/key?protocol=7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Url<'a> {
    /// `wss://`: the byte stream must be a TLS session (the link itself only sees plain bytes).
    pub tls: bool,
    /// The host to resolve and connect to, without the brackets of an IPv6 literal.
    pub host: &'a str,
    /// The port (80 for `ws://` and 443 for `wss://` when the URL has none).
    pub port: u16,
    /// `host[:port]` as written in the URL: the value of the `Host` header.
    pub authority: &'a str,
    /// The path and query to request (`/` when the URL has no path).
    pub target: &'a str,
}

/// Why a URL cannot be used to open a WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum UrlError {
    /// The scheme is not `ws://` or `wss://`.
    Scheme,
    /// The host is empty.
    NoHost,
    /// The port is not a number from 1 to 65535.
    Port,
    /// The URL has user info (`user@host`), a fragment (`#…`), a space, or a query with no
    /// path before it (`ws://host?q`; write `ws://host/?q`).
    Unsupported,
}

impl core::fmt::Display for UrlError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Scheme => "not a ws:// or wss:// URL",
            Self::NoHost => "the URL has no host",
            Self::Port => "the URL's port is not a number from 1 to 65535",
            Self::Unsupported => "user info, fragments, spaces and a query without a path are not supported in the URL",
        })
    }
}

impl core::error::Error for UrlError {}

impl<'a> Url<'a> {
    /// Splits `url` into its parts.
    ///
    /// # Errors
    /// [`UrlError`]: which part is wrong.
    pub fn parse(url: &'a str) -> Result<Self, UrlError> {
        Self::with_schemes(url, "wss://", "ws://")
    }

    /// An `http://` or `https://` URL, split the same way (`tls` for `https://`): what the
    /// [`http`](crate::http) client requests.
    ///
    /// # Errors
    /// As [`parse`](Self::parse); [`UrlError::Scheme`] for any other scheme.
    #[cfg(feature = "std")]
    pub fn parse_http(url: &'a str) -> Result<Self, UrlError> {
        Self::with_schemes(url, "https://", "http://")
    }

    /// `url` with one of two schemes: `secure` (TLS) or `plain`.
    fn with_schemes(url: &'a str, secure: &str, plain: &str) -> Result<Self, UrlError> {
        match (url.strip_prefix(secure), url.strip_prefix(plain)) {
            (Some(rest), _) => Self::after_scheme(true, rest),
            (_, Some(rest)) => Self::after_scheme(false, rest),
            _ => Err(UrlError::Scheme),
        }
    }

    /// The parts of what follows `scheme://`; `tls` says which default port applies.
    fn after_scheme(tls: bool, rest: &'a str) -> Result<Self, UrlError> {
        // A request line or Host header must not be able to carry more than the URL says.
        if rest.contains(['@', '#', ' ', '\r', '\n', '\t']) {
            return Err(UrlError::Unsupported);
        }
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(end);
        let target = if target.is_empty() { "/" } else { target };
        let (host, port) = split_host_port(authority)?;
        if host.is_empty() {
            return Err(UrlError::NoHost);
        }
        let port = match port {
            None => {
                if tls {
                    443
                } else {
                    80
                }
            }
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or(UrlError::Port)?,
        };
        // `?q` with no path is a request for `/?q`; the request line needs the slash.
        if target.starts_with('?') {
            return Err(UrlError::Unsupported);
        }
        Ok(Self {
            tls,
            host,
            port,
            authority,
            target,
        })
    }
}

/// `host` and the port text, if any; an IPv6 literal loses its brackets.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UrlError> {
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or(UrlError::NoHost)?;
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or(UrlError::Port),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}
