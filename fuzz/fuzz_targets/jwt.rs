//! The guest token through `kickwire_proto::http::parse_token`, with its JWT claim decoding
//! (base64url, then JSON) compared against the base64 crate and serde_json.
//!
//! Input: byte 0 holds flags, the rest is either the token's text (bit 0 clear) or the JSON of
//! its claims (bit 0 set), which the target encodes as the middle part of a JWT: base64url, or
//! standard base64 (bit 2), with or without `=` padding (bit 1), the token wrapped in spaces
//! (bit 3). The token goes in `data.token`, or at the top level (bit 4); bit 5 adds
//! `"expires_in":"1800"` to the reply.
//!
//! Checked:
//! - the token comes back exactly as sent, or `TooLong` beyond `limits::TOKEN`, or `Missing`
//!   when blank: never cut;
//! - `expires_at` is the `exp` claim and `ttl_secs` is `exp - iat` in seconds (the reply's
//!   `expires_in` first), where the claims are those of the token's second `.`-separated part,
//!   decoded as base64url or base64 with optional padding (what the docs promise), then read as
//!   JSON by the rules of `fuzz_support::field`; a part that is not base64 or not JSON gives no
//!   expiry, never an error. Payloads over 768 decoded bytes are beyond what the parser reads
//!   (`JWT_PAYLOAD`) and are not compared.
#![no_main]

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use fuzz_support::{field, json};
use kickwire_proto::Timestamp;
use kickwire_proto::http::{self, ReplyError};
use kickwire_proto::limits::TOKEN;
use libfuzzer_sys::fuzz_target;

/// `{"alg":"HS256","typ":"JWT"}`: the header is never read.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// Decodes any number of base64url characters, however the last one's spare bits are set.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The bytes of a base64url (or base64) text with optional padding, as documented; `None` for
/// a character outside both alphabets before the padding.
fn base64_bytes(part: &str) -> Option<Vec<u8>> {
    let text = part.split('=').next().unwrap_or("");
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_+/".contains(&b))
    {
        return None;
    }
    let mut url: String = text
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    // A lone last character holds 6 bits: no whole byte.
    if url.len() % 4 == 1 {
        url.pop();
    }
    Some(LENIENT.decode(url).expect("checked alphabet and length"))
}

/// `(exp, iat)` as the docs say they are read; `None` when serde_json cannot tell.
fn claims(token: &str) -> Option<(Option<Timestamp>, Option<Timestamp>)> {
    let mut parts = token.trim().split('.');
    let (Some(_), Some(payload), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return Some((None, None));
    };
    let Some(bytes) = base64_bytes(payload) else {
        return Some((None, None));
    };
    if bytes.len() > 768 {
        return None;
    }
    // The parser reads one JSON value and looks no further.
    let value = json::parse_prefix(&bytes)?;
    Some((
        field::time(value.get("exp"))?,
        field::time(value.get("iat"))?,
    ))
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else {
        return;
    };
    let token = if flags & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let engine = match flags & 6 {
            0 => base64::engine::general_purpose::URL_SAFE_NO_PAD,
            2 => base64::engine::general_purpose::URL_SAFE,
            4 => base64::engine::general_purpose::STANDARD_NO_PAD,
            _ => base64::engine::general_purpose::STANDARD,
        };
        let jwt = format!("{HEADER}.{}.c2lnbmF0dXJl", engine.encode(rest));
        if flags & 8 != 0 {
            format!("  {jwt} ")
        } else {
            jwt
        }
    };
    let quoted = serde_json::to_string(&token).expect("a string always serializes");
    let extra = if flags & 32 != 0 {
        r#","expires_in":"1800""#
    } else {
        ""
    };
    let body = if flags & 16 != 0 {
        format!(r#"{{"token":{quoted}{extra}}}"#)
    } else {
        format!(r#"{{"data":{{"token":{quoted}}},"message":"success"{extra}}}"#)
    };

    let got = http::parse_token(200, false, body.as_bytes());
    if token.trim().is_empty() {
        assert_eq!(
            got,
            Err(ReplyError::Missing {
                field: "data.token"
            })
        );
        return;
    }
    if token.len() > TOKEN {
        assert_eq!(got, Err(ReplyError::TooLong { field: "token" }));
        return;
    }
    let got = got.unwrap_or_else(|e| panic!("a {}-byte token refused: {e:?}", token.len()));
    assert_eq!(got.as_str(), token, "the token is not what was sent");

    let Some((exp, iat)) = claims(&token) else {
        return;
    };
    assert_eq!(got.expires_at, exp, "expires_at is not the exp claim");
    let from_claims = exp
        .zip(iat)
        .and_then(|(e, i)| e.unix_millis().checked_sub(i.unix_millis()))
        .and_then(|ms| u32::try_from(ms / 1000).ok());
    let want = if extra.is_empty() {
        from_claims
    } else {
        Some(1800)
    };
    assert_eq!(got.ttl_secs, want, "ttl_secs");
});
