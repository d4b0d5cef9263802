//! What the webhook reads from a verified body: whose channel the event is for.

/// `broadcaster.user_id` of a webhook body: every event type Kick documents carries the
/// channel's owner there. A number or a numeric string; `None` if the body is not JSON or
/// has no such id.
pub(crate) fn broadcaster_user_id(body: &[u8]) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.get("broadcaster")?.get("user_id")? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::broadcaster_user_id;

    #[test]
    fn reads_the_broadcaster_not_the_sender() {
        let body = br#"{"sender":{"user_id":987654321},"broadcaster":{"user_id":123456789}}"#;
        assert_eq!(broadcaster_user_id(body), Some(123_456_789));
        assert_eq!(
            broadcaster_user_id(br#"{"broadcaster":{"user_id":"333"}}"#),
            Some(333)
        );
    }

    #[test]
    fn none_without_one() {
        for body in [
            &br#"{"sender":{"user_id":1}}"#[..],
            br#"{"broadcaster":{"user_id":null}}"#,
            br#"{"broadcaster":{"user_id":-5}}"#,
            br#"{"broadcaster":{"user_id":"abc"}}"#,
            b"not json",
            b"",
        ] {
            assert_eq!(
                broadcaster_user_id(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
