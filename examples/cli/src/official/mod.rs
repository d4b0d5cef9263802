//! Kick's official API verbs: `login`, `logout`, `send`, `subscribe`. Requests are built and
//! replies read by `kickwire_proto::http::official`; this side sends them (over
//! `kickwire_link::http`), draws the random values and hashes with ring, keeps the token file,
//! and serves the one loopback redirect of `login`.

pub mod login;
pub mod logout;
pub mod send;
pub mod subscribe;

mod args;
mod session;
mod store;

use kickwire_link::http::{Response, request};
use kickwire_link::net::Connector;
use kickwire_proto::http::Request;
use kickwire_proto::http::official::{self, ApiReply, CODE_CHALLENGE_LEN};

use crate::target::{CONNECT_TIMEOUT, HTTP_BASE_ENV};

/// The verb's exit: success, or its error on stderr (`kickwire: VERB: ...`) and failure.
fn finish(verb: &str, result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(msg) => {
            crate::print::err(&format!("kickwire: {verb}: {msg}"));
            std::process::ExitCode::FAILURE
        }
    }
}

/// `url` with Kick's OAuth and API hosts replaced by [`HTTP_BASE_ENV`]'s value, when set: one
/// local server then answers both (their paths, `/oauth/…` and `/public/v1/…`, do not meet).
fn rebase(url: &str) -> String {
    let base = match std::env::var(HTTP_BASE_ENV) {
        Ok(b) if !b.is_empty() => b,
        _ => return url.to_string(),
    };
    [official::OAUTH_BASE, official::API_BASE]
        .iter()
        .find_map(|host| url.strip_prefix(host))
        .map_or_else(
            || url.to_string(),
            |path| format!("{}{path}", base.trim_end_matches('/')),
        )
}

/// Sends one of proto's requests, with `authorization` when given. An error never holds the
/// request's secrets: the link's errors name the host, and a URL (whose query may carry a token
/// being revoked) is taken out of them.
fn send(req: &Request<'_>, authorization: Option<&str>) -> Result<Response, String> {
    let connector = Connector::new(CONNECT_TIMEOUT);
    let url = rebase(req.url);
    let mut headers: Vec<(&str, &str)> = req.headers.to_vec();
    if let Some(a) = authorization {
        headers.push(("authorization", a));
    }
    request(&connector, req.method.as_str(), &url, &headers, req.body)
        .map_err(|e| e.replace(&url, "[the request's URL]"))
}

/// A reply as proto's official parsers take it.
fn reply(r: &Response) -> ApiReply<'_> {
    ApiReply::new(r.status, &r.body).with_retry_after(r.header("retry-after"))
}

/// `n` bytes from the system's secure random source.
fn random<const N: usize>() -> Result<[u8; N], String> {
    use ring::rand::SecureRandom;
    let mut b = [0u8; N];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| "the system's random source failed".to_string())?;
    Ok(b)
}

/// 32 random bytes in base64url: 43 characters of RFC 7636's unreserved set, as its section
/// 4.1 recommends for a code verifier (and used for `state` too). Proto's encoder for a
/// 32-byte challenge is the same encoding.
fn random_text() -> Result<String, String> {
    let bytes: [u8; 32] = random()?;
    let mut buf = [0u8; CODE_CHALLENGE_LEN];
    Ok(official::code_challenge(&bytes, &mut buf).to_string())
}

/// The S256 challenge of a code verifier: SHA-256 by ring, base64url by proto.
fn challenge_of(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let mut sha = [0u8; 32];
    sha.copy_from_slice(digest.as_ref());
    let mut buf = [0u8; CODE_CHALLENGE_LEN];
    official::code_challenge(&sha, &mut buf).to_string()
}

/// Seconds since the Unix epoch.
fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_rfc7636() {
        // RFC 7636 appendix B.
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let a = random_text().unwrap();
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(a, random_text().unwrap());
    }
}
