//! The client's half of the WebSocket opening handshake (RFC 6455 section 4.1): the key, the
//! HTTP upgrade request, and the `Sec-WebSocket-Accept` value the server must answer with.
//! The response itself is checked in [`response`](super::response).

use sha1::{Digest, Sha1};

use super::base64;
use kickwire_proto::write::Writer;

/// The GUID that RFC 6455 section 1.3 appends to the key before hashing it.
const GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Bytes of randomness in a key (RFC 6455 section 4.1: "a randomly selected 16-byte value").
pub(crate) const NONCE: usize = 16;
/// The key as sent: base64 of the nonce.
pub(crate) type Key = [u8; base64::encoded_len(NONCE)];
/// The accept value the server must send: base64 of a 20-byte SHA-1.
pub(crate) type Accept = [u8; base64::encoded_len(20)];

/// The `Sec-WebSocket-Key` for `nonce`.
pub(crate) fn key(nonce: &[u8; NONCE]) -> Key {
    let mut key = [0; base64::encoded_len(NONCE)];
    let _ = base64::encode(nonce, &mut key); // always fits: the array is sized for it
    key
}

/// The `Sec-WebSocket-Accept` a server must answer `key` with: base64(SHA-1(key + GUID)).
pub(crate) fn accept(key: &Key) -> Accept {
    let digest = Sha1::new().chain_update(key).chain_update(GUID).finalize();
    let mut accept = [0; base64::encoded_len(20)];
    let _ = base64::encode(&digest, &mut accept); // always fits, as above
    accept
}

/// What goes into the upgrade request besides the key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    /// The request target: path and query.
    pub(crate) target: &'a str,
    /// The `Host` header: `host[:port]` as in the URL.
    pub(crate) authority: &'a str,
    /// The `Origin` header, if any.
    pub(crate) origin: Option<&'a str>,
}

impl Request<'_> {
    /// Writes the request with `key` to the start of `out`; its length, or `None` when it does
    /// not fit (what was written then is garbage).
    ///
    /// The header order is the one the link has always sent; servers do not care, but a
    /// request that stays byte for byte the same keeps captures comparable.
    pub(crate) fn write(&self, key: &Key, out: &mut [u8]) -> Option<usize> {
        let mut w = Writer::new(out);
        let (origin_name, origin) = match self.origin {
            Some(origin) => (b"\r\nOrigin: ".as_slice(), origin.as_bytes()),
            None => (b"".as_slice(), b"".as_slice()),
        };
        for part in [
            b"GET ".as_slice(),
            self.target.as_bytes(),
            b" HTTP/1.1\r\nHost: ",
            self.authority.as_bytes(),
            b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ",
            key,
            origin_name,
            origin,
            b"\r\nSec-WebSocket-Version: 13\r\n\r\n",
        ] {
            w.bytes(part);
        }
        w.into_bytes().ok().map(<[u8]>::len)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6455_example_key_and_accept() {
        // RFC 6455 section 1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" (the nonce "the sample
        // nonce") is answered with "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
        let key = key(b"the sample nonce");
        assert_eq!(&key, b"dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!(&accept(&key), b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    fn the_all_zero_key() {
        // The accept value computed with Python's hashlib and base64 modules.
        let key = key(&[0; NONCE]);
        assert_eq!(&key, b"AAAAAAAAAAAAAAAAAAAAAA==");
        assert_eq!(&accept(&key), b"ICX+Yqv66kxgM0FcWaLWlFLwTAI=");
    }

    const REQUEST: &str = "GET /app/k?protocol=7 HTTP/1.1\r\nHost: h:6001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://kick.com\r\nSec-WebSocket-Version: 13\r\n\r\n";

    #[test]
    fn the_request_and_its_exact_fit() {
        let request = Request {
            target: "/app/k?protocol=7",
            authority: "h:6001",
            origin: Some("https://kick.com"),
        };
        let key = key(b"the sample nonce");
        let mut out = [0u8; 512];
        let n = request.write(&key, &mut out).unwrap();
        assert_eq!(core::str::from_utf8(&out[..n]).unwrap(), REQUEST);
        // Exactly its length fits; one byte less does not.
        assert_eq!(request.write(&key, &mut out[..REQUEST.len()]), Some(n));
        assert_eq!(request.write(&key, &mut out[..REQUEST.len() - 1]), None);
    }

    #[test]
    fn no_origin_no_header() {
        let request = Request {
            target: "/",
            authority: "h",
            origin: None,
        };
        let key = key(b"the sample nonce");
        let mut out = [0u8; 512];
        let n = request.write(&key, &mut out).unwrap();
        assert_eq!(
            core::str::from_utf8(&out[..n]).unwrap(),
            "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
    }
}
