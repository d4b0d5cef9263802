//! The claims of a JSON Web Token (RFC 7519) that say when it expires, read without checking
//! its signature: the token is Kick's to check, the client only needs to know when to renew it.

use super::base64url::base64url_decode;
use crate::Timestamp;
use crate::json::field::{Field, object_fields};
use crate::json::reader::Reader;

/// The JWT claims we look at.
#[derive(Default)]
pub(super) struct Claims {
    /// When the token expires (`exp`).
    pub(super) exp: Option<Timestamp>,
    /// When it was issued (`iat`).
    pub(super) iat: Option<Timestamp>,
}
object_fields!(Claims { b"exp" => exp, b"iat" => iat });

/// Decoded JWT payloads up to this size are read; a guest token's claims are far smaller.
const JWT_PAYLOAD: usize = 768;

/// The `exp` and `iat` claims of a JWT (`header.payload.signature`, base64url), if it is one.
pub(super) fn jwt_claims(token: &str) -> Option<Claims> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    let mut buf = [0u8; JWT_PAYLOAD];
    let n = base64url_decode(payload.as_bytes(), &mut buf)?;
    let mut claims = Claims::default();
    let mut r = Reader::new(buf.get(..n)?);
    claims.read(&mut r).ok()?;
    Some(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_payload_is_no_claims() {
        // A payload beyond the scratch buffer is no expiry, not a panic.
        let big = "A".repeat(JWT_PAYLOAD * 2);
        assert!(jwt_claims(&std::format!("a.{big}.c")).is_none());
    }
}
