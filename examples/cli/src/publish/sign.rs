//! Signing a Pusher HTTP API request: the `auth_*` query parameters and their HMAC.
//!
//! Pusher's REST API authenticates every request by its query string: `auth_key` (the app
//! key), `auth_timestamp` (unix seconds; servers refuse one more than 600 s off their clock),
//! `auth_version=1.0` and, for a request with a body, `body_md5` (the hex MD5 of the exact body
//! bytes). Those parameters, sorted by name and not URL-escaped, are the last line of the
//! string to sign, `METHOD\nPATH\nQUERY`; `auth_signature` is the hex HMAC-SHA256 of that
//! string keyed with the app secret, appended to the query.

use std::fmt::Write as _;

use ring::hmac;

/// The hex MD5 of `body` (`body_md5`): lower-case, 32 digits.
///
/// ```
/// use kickwire_cli::publish::sign::body_md5;
/// // `printf '' | openssl dgst -md5`
/// assert_eq!(body_md5(b""), "d41d8cd98f00b204e9800998ecf8427e");
/// ```
#[must_use]
pub fn body_md5(body: &[u8]) -> String {
    use md5::{Digest, Md5};
    to_hex(&Md5::digest(body))
}

/// The query parameters to sign, sorted by name (which their fixed names already are:
/// `auth_key` < `auth_timestamp` < `auth_version` < `body_md5`), without the signature.
#[must_use]
pub fn auth_query(key: &str, timestamp: u64, body: &[u8]) -> String {
    format!(
        "auth_key={key}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={}",
        body_md5(body)
    )
}

/// `auth_signature`: the hex HMAC-SHA256, keyed with `secret`, of `METHOD\nPATH\nQUERY`.
#[must_use]
pub fn auth_signature(secret: &str, method: &str, path: &str, query: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let to_sign = format!("{method}\n{path}\n{query}");
    to_hex(hmac::sign(&key, to_sign.as_bytes()).as_ref())
}

/// The whole signed request target, `PATH?QUERY&auth_signature=...`, for a request of
/// `method` to `path` carrying `body`, made at `timestamp` (unix seconds).
///
/// ```
/// use kickwire_cli::publish::sign::signed_target;
/// let target = signed_target("key", "secret", "POST", "/apps/1/batch_events", b"{}", 1);
/// assert!(target.starts_with("/apps/1/batch_events?auth_key=key&auth_timestamp=1&"));
/// assert!(target.contains("&auth_signature="));
/// ```
#[must_use]
pub fn signed_target(
    key: &str,
    secret: &str,
    method: &str,
    path: &str,
    body: &[u8],
    timestamp: u64,
) -> String {
    let query = auth_query(key, timestamp, body);
    let signature = auth_signature(secret, method, path, &query);
    format!("{path}?{query}&auth_signature={signature}")
}

/// Lower-case hex digits of `bytes`, two per byte.
fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}
