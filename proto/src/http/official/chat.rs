//! Sending a chat message: `POST https://api.kick.com/public/v1/chat` (KickDevDocs `apis/chat.md`
//! and its Swagger spec): `{"type":"user"|"bot","content":…,"broadcaster_user_id":N,
//! "reply_to_message_id":…}` answered by `{"data":{"is_sent":true,"message_id":…},"message":…}`.

use super::api_request::{API_POST, build_api};
use super::error::{check, read};
use super::{API_BASE, ApiError, ApiReply, ApiRequest, OfficialRequestError};
use crate::http::ReplyError;
use crate::http::request::Method;
use crate::json::field::object_fields;
use crate::limits::ID;
use crate::text::Text;

/// Kick's limit on a chat message: 500 characters (Unicode scalar values, not bytes).
pub const CHAT_MAX_CHARS: usize = 500;

/// Who the message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The logged-in user (`"type":"user"`): needs the broadcaster's user id.
    User,
    /// The app's bot (`"type":"bot"`): Kick posts in the channel the token belongs to, and
    /// ignores `broadcaster_user_id`.
    Bot,
}

/// A message to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatMessage<'a> {
    /// The text: 1 to [`CHAT_MAX_CHARS`] characters.
    pub content: &'a str,
    /// User or bot.
    pub sender: Sender,
    /// The channel's broadcaster user id (required for [`Sender::User`]).
    pub broadcaster_user_id: Option<u64>,
    /// The id of the message this one answers.
    pub reply_to_message_id: Option<&'a str>,
}

/// Checks a message's text as [`chat_request`] does, before anything else is asked of Kick: not
/// blank, at most [`CHAT_MAX_CHARS`] characters (not bytes).
///
/// ```
/// use kickwire_proto::http::official::{OfficialRequestError, check_chat_content};
/// assert_eq!(check_chat_content(&"😀".repeat(500)), Ok(()));
/// assert_eq!(check_chat_content(&"a".repeat(501)), Err(OfficialRequestError::MessageTooLong { chars: 501 }));
/// ```
///
/// # Errors
/// [`OfficialRequestError::EmptyMessage`], [`OfficialRequestError::MessageTooLong`].
pub fn check_chat_content(content: &str) -> Result<(), OfficialRequestError> {
    if content.trim().is_empty() {
        return Err(OfficialRequestError::EmptyMessage);
    }
    let chars = content.chars().count();
    if chars > CHAT_MAX_CHARS {
        return Err(OfficialRequestError::MessageTooLong { chars });
    }
    Ok(())
}

/// Builds the chat request, after checking the message: not blank, at most [`CHAT_MAX_CHARS`]
/// characters, a broadcaster for a user message. `access_token` is the user's.
///
/// ```
/// use kickwire_proto::http::official::{self, ChatMessage, OfficialRequestError, Sender};
/// let mut buf = [0u8; official::API_REQUEST_BUFFER];
/// let long = "é".repeat(501);
/// let msg = ChatMessage { content: &long, sender: Sender::Bot, broadcaster_user_id: None, reply_to_message_id: None };
/// assert_eq!(official::chat_request(&msg, "T", &mut buf), Err(OfficialRequestError::MessageTooLong { chars: 501 }));
/// ```
///
/// # Errors
/// [`OfficialRequestError::EmptyMessage`], [`OfficialRequestError::MessageTooLong`],
/// [`OfficialRequestError::NoBroadcaster`], [`OfficialRequestError::InvalidToken`],
/// [`OfficialRequestError::BufferTooSmall`].
pub fn chat_request<'b>(
    msg: &ChatMessage<'_>,
    access_token: &str,
    buf: &'b mut [u8],
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    check_chat_content(msg.content)?;
    if msg.sender == Sender::User && msg.broadcaster_user_id.is_none() {
        return Err(OfficialRequestError::NoBroadcaster);
    }
    build_api(
        buf,
        access_token,
        Method::Post,
        API_POST,
        |o| {
            o.str(API_BASE);
            o.str("/public/v1/chat");
        },
        |o| {
            o.str(match msg.sender {
                Sender::User => r#"{"type":"user","content":""#,
                Sender::Bot => r#"{"type":"bot","content":""#,
            });
            o.json_str(msg.content);
            o.str("\"");
            if let Some(id) = msg.broadcaster_user_id {
                o.str(r#","broadcaster_user_id":"#);
                o.u64(id);
            }
            if let Some(reply) = msg.reply_to_message_id {
                o.str(r#","reply_to_message_id":""#);
                o.json_str(reply);
                o.str("\"");
            }
            o.str("}");
        },
    )
}

/// What Kick said about a sent message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SentMessage {
    /// `data.is_sent`.
    pub is_sent: bool,
    /// `data.message_id` (a UUID in Kick's examples).
    pub message_id: Text<ID>,
}
object_fields!(SentMessage { b"is_sent" => is_sent, b"message_id" => message_id });

#[derive(Default)]
struct ChatReply {
    data: SentMessage,
}
object_fields!(ChatReply { b"data" => data });

/// Reads the chat reply.
///
/// # Errors
/// The reply's [`ApiError`] (401, 403, 404 "Channel not found", 429...); [`ApiError::Body`] (not JSON);
/// [`ApiError::Body`] without `data.message_id`.
pub fn parse_chat_reply(reply: &ApiReply<'_>) -> Result<SentMessage, ApiError> {
    check(reply)?;
    let mut r = ChatReply::default();
    read(&mut r, reply.body)?;
    if r.data.message_id.is_empty() {
        return Err(ApiError::Body(ReplyError::Missing {
            field: "data.message_id",
        }));
    }
    Ok(r.data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::official::API_REQUEST_BUFFER;

    fn msg(content: &str) -> ChatMessage<'_> {
        ChatMessage {
            content,
            sender: Sender::User,
            broadcaster_user_id: Some(123_456),
            reply_to_message_id: None,
        }
    }

    #[test]
    fn chat_bodies() {
        let mut buf = [0u8; API_REQUEST_BUFFER];
        let r = chat_request(&msg("hi \"you\""), "AT", &mut buf).unwrap();
        assert_eq!(r.request.url, "https://api.kick.com/public/v1/chat");
        assert_eq!(r.request.method, Method::Post);
        assert_eq!(r.authorization, "Bearer AT");
        assert_eq!(
            core::str::from_utf8(r.request.body).unwrap(),
            r#"{"type":"user","content":"hi \"you\"","broadcaster_user_id":123456}"#
        );
        let m = ChatMessage {
            sender: Sender::Bot,
            broadcaster_user_id: None,
            reply_to_message_id: Some("b2af4980-9dfa"),
            ..msg("x")
        };
        let r = chat_request(&m, "AT", &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(r.request.body).unwrap(),
            r#"{"type":"bot","content":"x","reply_to_message_id":"b2af4980-9dfa"}"#
        );
    }

    #[test]
    fn five_hundred_characters_not_bytes() {
        let mut buf = [0u8; API_REQUEST_BUFFER];
        // 500 four-byte characters (2,000 bytes) pass; 501 one-byte ones do not.
        let ok = "😀".repeat(500);
        assert!(chat_request(&msg(&ok), "AT", &mut buf).is_ok());
        let long = "a".repeat(501);
        assert_eq!(
            chat_request(&msg(&long), "AT", &mut buf),
            Err(OfficialRequestError::MessageTooLong { chars: 501 })
        );
        // The worst case, 500 control characters each escaped to 6 bytes, fits the buffer.
        let worst = "\u{1f}".repeat(500);
        assert!(chat_request(&msg(&worst), &"t".repeat(crate::limits::TOKEN), &mut buf).is_ok());
        assert_eq!(
            chat_request(&msg(" "), "AT", &mut buf),
            Err(OfficialRequestError::EmptyMessage)
        );
        let m = ChatMessage {
            broadcaster_user_id: None,
            ..msg("x")
        };
        assert_eq!(
            chat_request(&m, "AT", &mut buf),
            Err(OfficialRequestError::NoBroadcaster)
        );
    }

    #[test]
    fn chat_replies() {
        // The Swagger spec's shape.
        let s = parse_chat_reply(&ApiReply::new(
            200,
            br#"{"data":{"is_sent":true,"message_id":"4dd6a2ab-7b2b-4e8a-a4f0-3b2d3e1c9f00"},"message":"OK"}"#,
        ))
        .unwrap();
        assert!(s.is_sent);
        assert_eq!(
            s.message_id.as_str(),
            "4dd6a2ab-7b2b-4e8a-a4f0-3b2d3e1c9f00"
        );
        assert_eq!(
            parse_chat_reply(&ApiReply::new(
                200,
                br#"{"data":{"is_sent":false},"message":"OK"}"#
            )),
            Err(ApiError::Body(ReplyError::Missing {
                field: "data.message_id"
            }))
        );
        assert!(matches!(
            parse_chat_reply(&ApiReply::new(
                404,
                br#"{"data":{},"message":"Channel not found"}"#
            )),
            Err(ApiError::NotFound { .. })
        ));
    }
}
