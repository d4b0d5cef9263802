//! The `Kick-Event-*` headers of a delivery, found and checked.

use super::Reason;

/// The delivery's id: a ULID, the same on every retry (the idempotency key). Signed.
pub const MESSAGE_ID: &str = "Kick-Event-Message-Id";
/// The subscription the delivery is for (a ULID). Not signed.
pub const SUBSCRIPTION_ID: &str = "Kick-Event-Subscription-Id";
/// The base64 RSA signature of `{message id}.{timestamp}.{raw body}`.
pub const SIGNATURE: &str = "Kick-Event-Signature";
/// When Kick sent the delivery (RFC 3339). Signed.
pub const TIMESTAMP: &str = "Kick-Event-Message-Timestamp";
/// The event's name, such as `chat.message.sent`. Not signed.
pub const EVENT_TYPE: &str = "Kick-Event-Type";
/// The event's payload version, such as `1`. Not signed.
pub const EVENT_VERSION: &str = "Kick-Event-Version";

/// The longest id, event type or version taken (a ULID has 26 characters, the longest event
/// name Kick documents 33): a bound on what a forger can make the set of seen ids hold.
const MAX_TOKEN: usize = 64;
/// The longest signature header taken: base64 of an 8192-bit signature is 1,368 characters.
const MAX_SIGNATURE: usize = 1368;

/// The value of header `name` (names compare without case, as HTTP says), `Ok(None)` if it is
/// absent. A header given twice with two values is refused: which of them was signed?
pub(crate) fn find<'a>(headers: &[(&str, &'a str)], name: &str) -> Result<Option<&'a str>, Reason> {
    let mut found = None;
    for (key, value) in headers {
        if key.eq_ignore_ascii_case(name) {
            let value = value.trim_matches([' ', '\t']);
            match found {
                Some(first) if first != value => return Err(Reason::BadHeader),
                _ => found = Some(value),
            }
        }
    }
    Ok(found)
}

/// Header `name`, which must be there.
pub(crate) fn require<'a>(headers: &[(&str, &'a str)], name: &str) -> Result<&'a str, Reason> {
    find(headers, name)?.ok_or(Reason::MissingHeader)
}

/// An id, event type or version as Kick writes them: 1 to 64 of `A-Z a-z 0-9 - _ .`.
///
/// Kick's ids are ULIDs, but a relay should not break the day they become UUIDs; what matters
/// is that nothing odd reaches a log or the set of seen ids.
pub(crate) fn token(value: &str) -> Result<&str, Reason> {
    let ok = (1..=MAX_TOKEN).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then_some(value).ok_or(Reason::BadHeader)
}

/// A message id: a [`token`] without `.`, the separator of the signed string, so that no two
/// (id, timestamp) pairs sign the same text.
pub(crate) fn message_id(value: &str) -> Result<&str, Reason> {
    token(value).and_then(|id| match id.contains('.') {
        true => Err(Reason::BadHeader),
        false => Ok(id),
    })
}

/// The signature's bytes: base64 of at most 1,024 bytes.
pub(crate) fn signature(value: &str) -> Result<Vec<u8>, Reason> {
    if value.len() > MAX_SIGNATURE {
        return Err(Reason::BadSignature);
    }
    super::base64::decode(value.as_bytes()).ok_or(Reason::BadSignature)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_values_are_trimmed() {
        let headers = [("kick-event-type", " chat.message.sent ")];
        assert_eq!(find(&headers, EVENT_TYPE), Ok(Some("chat.message.sent")));
        assert_eq!(find(&headers, EVENT_VERSION), Ok(None));
        assert_eq!(require(&headers, EVENT_VERSION), Err(Reason::MissingHeader));
    }

    #[test]
    fn a_header_twice_is_taken_only_if_both_agree() {
        let same = [(EVENT_TYPE, "a"), ("KICK-EVENT-TYPE", "a")];
        assert_eq!(find(&same, EVENT_TYPE), Ok(Some("a")));
        let differ = [(EVENT_TYPE, "a"), (EVENT_TYPE, "b")];
        assert_eq!(find(&differ, EVENT_TYPE), Err(Reason::BadHeader));
    }

    #[test]
    fn tokens_and_ids() {
        assert_eq!(
            message_id("01JHHDD0RAGEZ2P5NBTK5AF6TJ"),
            Ok("01JHHDD0RAGEZ2P5NBTK5AF6TJ")
        );
        assert_eq!(message_id("a.b"), Err(Reason::BadHeader));
        assert_eq!(token("chat.message.sent"), Ok("chat.message.sent"));
        assert_eq!(token(""), Err(Reason::BadHeader));
        assert_eq!(token("a b"), Err(Reason::BadHeader));
        assert_eq!(token("é"), Err(Reason::BadHeader));
        assert_eq!(token(&"x".repeat(64)).map(str::len), Ok(64));
        assert_eq!(token(&"x".repeat(65)), Err(Reason::BadHeader));
    }
}
