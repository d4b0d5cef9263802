//! The Pusher protocol v7 messages, server side: the frames the endpoint writes (as JSON text)
//! and the reading of what a client sends.

use serde_json::Value;

/// `pusher:error` codes the endpoint sends without closing (protocol section "Error codes").
pub(super) const UNAUTHORIZED: u16 = 4009;
/// Pusher's "over capacity"; also the close code for a client too slow to read.
pub(super) const OVER_CAPACITY: u16 = 4100;
/// "Pong reply not received": the close code after an unanswered `pusher:ping`.
pub(super) const PONG_NOT_RECEIVED: u16 = 4201;
/// Client event refused (Pusher: rate limit; sockudo: also "only on private channels").
pub(super) const CLIENT_EVENT_REFUSED: u16 = 4301;

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped; other
/// characters, non-ASCII included, kept as they are, as Pusher and sockudo send them).
fn quoted(s: &str) -> String {
    // A `&str` always serializes.
    serde_json::to_string(s).unwrap_or_default()
}

/// An application event: `{"event":E,"channel":C,"data":"<data, escaped>"}`.
pub(super) fn event(event: &str, channel: &str, data: &str) -> String {
    format!(
        r#"{{"event":{},"channel":{},"data":{}}}"#,
        quoted(event),
        quoted(channel),
        quoted(data)
    )
}

/// The first frame: the socket id and the activity timeout (seconds), `data` as a string.
pub(super) fn connection_established(socket_id: &str, activity_timeout: u64) -> String {
    let data = format!(
        r#"{{"socket_id":{},"activity_timeout":{activity_timeout}}}"#,
        quoted(socket_id)
    );
    format!(
        r#"{{"event":"pusher:connection_established","data":{}}}"#,
        quoted(&data)
    )
}

/// The answer to a public channel's `pusher:subscribe`.
pub(super) fn subscription_succeeded(channel: &str) -> String {
    format!(
        r#"{{"event":"pusher_internal:subscription_succeeded","channel":{},"data":"{{}}"}}"#,
        quoted(channel)
    )
}

/// `pusher:error` with `data` as an object, as the protocol and sockudo send it.
pub(super) fn error(code: Option<u16>, message: &str) -> String {
    let code = code.map_or_else(|| "null".to_owned(), |c| c.to_string());
    format!(
        r#"{{"event":"pusher:error","data":{{"code":{code},"message":{}}}}}"#,
        quoted(message)
    )
}

/// The answer to `pusher:ping` (Pusher's own shape, `data` the string `{}`).
pub(super) const PONG: &str = r#"{"event":"pusher:pong","data":"{}"}"#;
/// The activity check sent after a client's silence.
pub(super) const PING: &str = r#"{"event":"pusher:ping","data":"{}"}"#;

/// What a client's text message asks for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ClientMessage {
    /// `pusher:subscribe` to this channel.
    Subscribe(String),
    /// `pusher:unsubscribe` from this channel.
    Unsubscribe(String),
    /// `pusher:ping`.
    Ping,
    /// `pusher:pong` (the answer to the endpoint's ping; any message counts as one).
    Pong,
    /// A `client-*` event.
    ClientEvent,
    /// Any other event name.
    Unknown(String),
    /// Not a JSON object with a string `event`, or a subscribe without a channel.
    Malformed(&'static str),
}

/// Reads one client message. `data` may be an object or a string holding JSON (clients send
/// objects; a tolerant server takes both).
pub(super) fn parse(text: &str) -> ClientMessage {
    let Ok(Value::Object(msg)) = serde_json::from_str::<Value>(text) else {
        return ClientMessage::Malformed("Invalid JSON: a message is one JSON object");
    };
    let Some(event) = msg.get("event").and_then(Value::as_str) else {
        return ClientMessage::Malformed("Invalid message: no event name");
    };
    let channel = || -> Option<String> {
        let data = msg.get("data")?;
        let from_string;
        let data = match data {
            Value::String(s) => {
                from_string = serde_json::from_str::<Value>(s).ok()?;
                &from_string
            }
            other => other,
        };
        data.get("channel")?.as_str().map(str::to_owned)
    };
    match event {
        "pusher:subscribe" => channel().map_or(
            ClientMessage::Malformed("Invalid subscribe: no channel"),
            ClientMessage::Subscribe,
        ),
        "pusher:unsubscribe" => channel().map_or(
            ClientMessage::Malformed("Invalid unsubscribe: no channel"),
            ClientMessage::Unsubscribe,
        ),
        "pusher:ping" => ClientMessage::Ping,
        "pusher:pong" => ClientMessage::Pong,
        e if e.starts_with("client-") => ClientMessage::ClientEvent,
        e => ClientMessage::Unknown(e.to_owned()),
    }
}

/// Why a channel name is refused, if it is: Pusher's names are at most 164 characters of
/// `[A-Za-z0-9_\-=@,.;]`.
pub(super) fn bad_channel_name(name: &str) -> Option<&'static str> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-=@,.;".contains(c);
    if name.is_empty() || name.len() > 164 || !name.chars().all(allowed) {
        Some("Invalid channel name")
    } else {
        None
    }
}

/// Whether a channel needs authentication, which this endpoint does not serve.
pub(super) fn needs_auth(name: &str) -> bool {
    name.starts_with("private-") || name.starts_with("presence-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_written_as_pusher_writes_them() {
        assert_eq!(
            connection_established("12.34", 120),
            r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"12.34\",\"activity_timeout\":120}"}"#
        );
        assert_eq!(
            event(r"App\Events\X", "c", r#"{"a":"\"é"}"#),
            r#"{"event":"App\\Events\\X","channel":"c","data":"{\"a\":\"\\\"é\"}"}"#
        );
        assert_eq!(
            error(None, "x"),
            r#"{"event":"pusher:error","data":{"code":null,"message":"x"}}"#
        );
    }

    #[test]
    fn client_messages_are_read() {
        let sub = r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.1.v2"}}"#;
        assert_eq!(
            parse(sub),
            ClientMessage::Subscribe("chatrooms.1.v2".into())
        );
        let sub_string = r#"{"event":"pusher:subscribe","data":"{\"channel\":\"a\"}"}"#;
        assert_eq!(parse(sub_string), ClientMessage::Subscribe("a".into()));
        assert_eq!(parse(r#"{"event":"pusher:ping"}"#), ClientMessage::Ping);
        assert_eq!(
            parse(r#"{"event":"client-x","channel":"a","data":{}}"#),
            ClientMessage::ClientEvent
        );
        assert!(matches!(parse("{nope"), ClientMessage::Malformed(_)));
        assert!(matches!(
            parse(r#"{"event":"pusher:subscribe","data":{}}"#),
            ClientMessage::Malformed(_)
        ));
        assert_eq!(bad_channel_name("chatrooms.1.v2"), None);
        assert!(bad_channel_name("a b").is_some());
        assert!(needs_auth("private-x") && needs_auth("presence-x") && !needs_auth("chatrooms.1"));
    }
}
