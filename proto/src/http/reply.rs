//! Reading a reply: the status checks every parser makes first (Cloudflare's refusals above
//! all) and the JSON body.

use super::ReplyError;
use crate::json::field::Field;
use crate::json::reader::Reader;

/// Whether a reply is Cloudflare (or Kick's WAF behind it) refusing the request rather than
/// Kick answering it.
///
/// `cf_mitigated`: whether the reply has a `cf-mitigated` header (Cloudflare sets it, to
/// `challenge`, on every challenge page: developers.cloudflare.com, "Detect a Challenge Page
/// response"; seen with 403, 503 and 429). Without it, an HTML body is judged by the markers
/// Cloudflare's challenge and block pages carry (`<title>Just a moment...</title>`,
/// `/cdn-cgi/challenge-platform/`, `_cf_chl_opt`, "Attention Required! | Cloudflare", "Sorry, you
/// have been blocked"), and a JSON 403 by Kick's "blocked by security policy" message
/// (jamezrin/lurkloot `packages/core/src/core/tabs.ts`, `safeKickFailure`). A JSON body is never
/// searched for page markers: a channel's bio may say "Just a moment".
#[must_use]
pub fn is_cloudflare_refusal(status: u16, cf_mitigated: bool, body: &[u8]) -> bool {
    if cf_mitigated {
        return true;
    }
    let body = strip_bom(body);
    match body.trim_ascii_start().first() {
        Some(b'{' | b'[') => {
            // Kick's WAF: `{"error":"Request blocked by security policy."}` and the like.
            status == 403
                && [&b"security policy"[..], b"request blocked"]
                    .iter()
                    .any(|m| contains_ignore_case(body.get(..4096).unwrap_or(body), m))
        }
        _ => [
            &b"Just a moment"[..],
            b"challenge-platform",
            b"_cf_chl_opt",
            b"Attention Required! | Cloudflare",
            b"Sorry, you have been blocked",
        ]
        .iter()
        // A plain window scan: these pages are small and rare, and memchr's searcher costs
        // 5 KB of code in the browser build.
        .any(|m| contains(body, m)),
    }
}

/// Whether `needle` (not empty) occurs in `haystack`. The emptiness test is what lets the
/// compiler drop `windows`' panic for a zero width.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The status checks every parser makes first: a Cloudflare refusal, 404, any other non-2xx.
pub(super) fn check_status(status: u16, cf_mitigated: bool, body: &[u8]) -> Result<(), ReplyError> {
    if is_cloudflare_refusal(status, cf_mitigated, body) {
        return Err(ReplyError::Cloudflare { status });
    }
    match status {
        200..=299 => Ok(()),
        404 => Err(ReplyError::NotFound),
        _ => Err(ReplyError::Status { status }),
    }
}

/// Reads a whole JSON body into `v` (a non-object leaves `v` at its default; the caller then
/// reports what is missing).
pub(super) fn read_body<T: Field>(v: &mut T, body: &[u8]) -> Result<(), ReplyError> {
    let mut r = Reader::new(strip_bom(body));
    v.read(&mut r)
        .and_then(|()| r.finish())
        .map_err(|error| ReplyError::Malformed {
            error,
            offset: r.offset(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudflare_pages() {
        // Cloudflare's challenge page, cut short: the header per developers.cloudflare.com
        // ("Detect a Challenge Page response"), the body markers as listed by docs.rs
        // parse-book-source `fetch::is_challenge` (`_cf_chl_opt`, `/cdn-cgi/challenge-platform/`,
        // `<title>Just a moment`).
        let challenge = br#"<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="refresh" content="390"></head><body><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "kick.com"};var a = document.createElement('script');a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f1d2c3b4a5e6f70';}());</script></body></html>"#;
        assert!(is_cloudflare_refusal(403, false, challenge));
        assert!(is_cloudflare_refusal(200, false, challenge)); // slipped through as a 200
        assert!(is_cloudflare_refusal(403, true, b""));
        assert!(is_cloudflare_refusal(429, true, b"{}"));
        let block = b"<!DOCTYPE html><title>Attention Required! | Cloudflare</title><h1>Sorry, you have been blocked</h1>";
        assert!(is_cloudflare_refusal(403, false, block));
        assert!(is_cloudflare_refusal(
            403,
            false,
            br#"{"error":"Request blocked by security policy."}"#
        ));
        // Kick's own answers are not refusals, whatever a bio says.
        assert!(!is_cloudflare_refusal(
            200,
            false,
            br#"{"id":1,"user":{"bio":"Just a moment... challenge-platform"}}"#
        ));
        assert!(!is_cloudflare_refusal(
            404,
            false,
            br#"{"message":"Not found"}"#
        ));
        assert!(!is_cloudflare_refusal(
            403,
            false,
            br#"{"message":"Forbidden"}"#
        ));
        assert!(!is_cloudflare_refusal(
            500,
            false,
            b"<html>Server Error</html>"
        ));
        assert!(!is_cloudflare_refusal(200, false, b""));
    }
}
