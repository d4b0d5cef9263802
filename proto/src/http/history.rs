//! The chatroom's recent chat: `GET https://web.kick.com/api/v1/chat/{channel_id}/history`.
//!
//! No Kick documentation covers it. What public clients do with it:
//!
//! - **The id in the path is the channel id**, not the chatroom id: tibor1234567895/Xtra-Kick
//!   `app/src/main/java/com/github/andreyasadchy/xtra/repository/KickRepository.kt`
//!   (`getInitialPinnedGift` builds the URL from the channel lookup's `id`;
//!   `getLiveChatHistory` sends it), and other clients say so in comments ("the 2026
//!   web-history route expects the broadcaster/channel id, not the distinct legacy chatroom
//!   id").
//! - **The reply** is `{"data":{"messages":[…],"cursor":"…"},…}`; the same file's
//!   `parseKickMessagesData` also accepts `messages` at the top level, `data` as the array, and
//!   a bare array, and so does [`parse_chat_history`].
//! - **A message** is a chat message as `ChatMessageEvent` carries it (`id`, `content`, `type`,
//!   `created_at`, `metadata`, `sender.{id, username, slug, identity.{color, badges}}`), with
//!   `chat_id` where the event has `chatroom_id` (Xtra-Kick
//!   `app/src/main/java/com/github/andreyasadchy/xtra/model/kick/KickModels.kt`, `KickMessage`;
//!   Kaedriz/twitch-enhancer `src/types/platforms/kick/kick.utils.types.ts`,
//!   `KickChatMessageData`). So each one is read by [`kick::ChatMessage`](ChatMessage)'s own
//!   reader, `chat_id` taken as its `chatroom_id`.
//! - **The order** is not promised: the clients above sort by `created_at` before showing.
//!   [`parse_chat_history`] hands messages over in the reply's order, without allocating; a
//!   caller that can keep them sorts them.

use super::reply::{check_status, strip_bom};
use super::request::{GET_KICK_JSON, Method, Request, build};
use super::{ReplyError, RequestError};
use crate::error::SyntaxError;
use crate::json::field::{Field, Members, Reset};
use crate::json::reader::{Kind, Reader};
use crate::kick::ChatMessage;

/// Where the history lives; the channel id and `/history` follow.
const CHAT_URL: &str = "https://web.kick.com/api/v1/chat/";

/// Builds the history request for a channel: `GET
/// https://web.kick.com/api/v1/chat/{channel_id}/history`. The channel id, not the chatroom
/// id: public clients build this URL from the channel lookup's `id`
/// (tibor1234567895/Xtra-Kick `KickRepository.kt`, `getInitialPinnedGift`).
///
/// ```
/// use kickwire_proto::http;
/// let mut buf = [0u8; http::REQUEST_BUFFER];
/// let req = http::chat_history_request(2_515_504, &mut buf)?;
/// assert_eq!(req.url, "https://web.kick.com/api/v1/chat/2515504/history");
/// assert!(req.body.is_empty());
/// # Ok::<(), http::RequestError>(())
/// ```
///
/// # Errors
/// [`RequestError::BufferTooSmall`] when `buf` is (64 bytes always do).
pub fn chat_history_request(channel_id: u64, buf: &mut [u8]) -> Result<Request<'_>, RequestError> {
    build(
        buf,
        Method::Get,
        GET_KICK_JSON,
        |o| {
            o.str(CHAT_URL);
            o.u64(channel_id);
            o.str("/history");
        },
        |_| {},
    )
}

/// What a history reply held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct History {
    /// Messages handed to the callback.
    pub messages: usize,
    /// Entries that were not chat messages (not an object, or without an `id` or a sender's
    /// `username`): skipped, the rest read on.
    pub skipped: usize,
}

/// Reads a history reply, handing each chat message to `on_message` in the reply's order.
///
/// The list is the first array found, in the body's order, among a bare array, `messages`,
/// `data` and `data.messages`; any later one is skipped.
///
/// `scratch` is where each message is decoded in turn (a [`ChatMessage`] is a few KB: the
/// caller decides where it lives); `on_message` sees it filled, once per message. Nothing is
/// allocated. Texts and lists inside a message are cut and flagged as in live events
/// ([`List::total`](crate::List::total) stays exact).
///
/// ```
/// use kickwire_proto::http;
/// use kickwire_proto::kick::ChatMessage;
///
/// let body = br#"{"data":{"messages":[
///     {"id":"a1","chat_id":2507974,"content":"hi [emote:37226:KEKW]","type":"message",
///      "created_at":"2026-01-01T00:00:00Z","sender":{"id":7,"username":"Someone","slug":"someone"}},
///     {"id":"a2","chat_id":2507974,"content":"second","type":"message",
///      "sender":{"id":8,"username":"Other"}}
/// ],"cursor":"1767225600000"},"message":"success"}"#;
/// let mut scratch = ChatMessage::default();
/// let mut seen = Vec::new();
/// let got = http::parse_chat_history(200, false, body, &mut scratch, |m| {
///     seen.push((m.sender.username.to_string(), m.content.to_string(), m.chatroom_id));
/// })?;
/// assert_eq!((got.messages, got.skipped), (2, 0));
/// assert_eq!(seen[0], ("Someone".into(), "hi [emote:37226:KEKW]".into(), 2_507_974));
/// assert_eq!(seen[1].1, "second");
/// # Ok::<(), http::ReplyError>(())
/// ```
///
/// # Errors
/// [`ReplyError::Cloudflare`], [`ReplyError::NotFound`] and [`ReplyError::Status`] before
/// anything is read; [`ReplyError::Malformed`] for a body that is not JSON (the messages
/// before the fault have been handed over already); [`ReplyError::Missing`] (`data.messages`)
/// when the body holds no message list.
pub fn parse_chat_history(
    status: u16,
    cf_mitigated: bool,
    body: &[u8],
    scratch: &mut ChatMessage,
    mut on_message: impl FnMut(&ChatMessage),
) -> Result<History, ReplyError> {
    check_status(status, cf_mitigated, body)?;
    let mut r = Reader::new(strip_bom(body));
    let mut walk = Walk {
        scratch,
        on_message: &mut on_message,
        history: History::default(),
        found: false,
    };
    walk.root(&mut r)
        .and_then(|()| r.finish())
        .map_err(|error| ReplyError::Malformed {
            error,
            offset: r.offset(),
        })?;
    if walk.found {
        Ok(walk.history)
    } else {
        Err(ReplyError::Missing {
            field: "data.messages",
        })
    }
}

/// One pass over the reply: finds the message list wherever the sources put it and reads it.
struct Walk<'s, 'f> {
    scratch: &'s mut ChatMessage,
    on_message: &'f mut dyn FnMut(&ChatMessage),
    history: History,
    found: bool,
}

impl Walk<'_, '_> {
    /// The whole body: a bare array, or an object with `data` or `messages`.
    fn root(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        match r.peek_kind()? {
            Kind::Array => self.messages(r),
            Kind::Object => r.object(|r, key| match key {
                b"data" => self.data(r),
                b"messages" => self.messages(r),
                _ => r.skip_value(),
            }),
            _ => r.skip_value(),
        }
    }

    /// `data`: the array itself, or an object with `messages`.
    fn data(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        match r.peek_kind()? {
            Kind::Array => self.messages(r),
            Kind::Object => r.object(|r, key| match key {
                b"messages" => self.messages(r),
                _ => r.skip_value(),
            }),
            _ => r.skip_value(),
        }
    }

    /// The message list (anything else in its place is skipped, and no list is found there).
    /// Only the first list found is read: a second one (a repeated member) is skipped, so that
    /// no message is handed over twice.
    fn messages(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        if self.found || r.peek_kind()? != Kind::Array {
            return r.skip_value();
        }
        self.found = true;
        r.array(|r| self.message(r))
    }

    /// One entry: read into the scratch message and handed over, or counted as skipped.
    fn message(&mut self, r: &mut Reader<'_>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Object {
            self.history.skipped = self.history.skipped.saturating_add(1);
            return r.skip_value();
        }
        let m = &mut *self.scratch;
        m.reset();
        r.object(|r, key| match key {
            b"chat_id" => m.chatroom_id.read(r),
            _ => m.read_member(r, key),
        })?;
        if m.id.is_empty() || m.sender.username.is_empty() {
            self.history.skipped = self.history.skipped.saturating_add(1);
        } else {
            self.history.messages = self.history.messages.saturating_add(1);
            (self.on_message)(m);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::REQUEST_BUFFER;
    use crate::kick::Event;
    use crate::limits::BADGES;
    use std::string::{String, ToString};
    use std::vec::Vec;

    /// A history reply rebuilt by hand (see `tests/vectors/kick/SOURCES.md`): three real
    /// `ChatMessageEvent` payloads of one chatroom (`ChatMessageEvent.jsonl` lines 5-7), with
    /// `chatroom_id` spelt `chat_id` as the history's messages have it, in `data.messages`.
    const RECONSTRUCTED: &str =
        include_str!("../../../tests/vectors/kick/reconstructed/chat_history_reply.json");
    const LIVE_FRAMES: &str = include_str!("../../../tests/vectors/kick/ChatMessageEvent.jsonl");

    fn parse(body: &[u8]) -> (Result<History, ReplyError>, Vec<ChatMessage>) {
        let mut scratch = ChatMessage::default();
        let mut got = Vec::new();
        let r = parse_chat_history(200, false, body, &mut scratch, |m| got.push(m.clone()));
        (r, got)
    }

    fn summary(m: &ChatMessage) -> (String, u64, String, String) {
        (
            m.id.to_string(),
            m.chatroom_id,
            m.sender.username.to_string(),
            m.content.to_string(),
        )
    }

    #[test]
    fn the_request() {
        let mut buf = [0u8; REQUEST_BUFFER];
        let req = chat_history_request(u64::MAX, &mut buf).unwrap();
        assert_eq!(
            req.url,
            "https://web.kick.com/api/v1/chat/18446744073709551615/history"
        );
        assert_eq!(req.method, Method::Get);
        assert!(req.headers.contains(&("origin", "https://kick.com")));
        let mut small = [0u8; 20];
        assert_eq!(
            chat_history_request(1, &mut small),
            Err(RequestError::BufferTooSmall {
                required: CHAT_URL.len() + 1 + "/history".len()
            })
        );
    }

    #[test]
    fn the_reconstructed_reply_reads_as_the_live_events_do() {
        let (r, got) = parse(RECONSTRUCTED.as_bytes());
        assert_eq!(
            r,
            Ok(History {
                messages: 3,
                skipped: 0
            })
        );
        // Hand-checked against the file.
        let want = [
            (
                "6aabe870-4aaa-4127-89fa-23e05ba6bdb4",
                "CrispyLegs",
                "[emote:4147814:OuttaPocket]",
            ),
            (
                "81bfcdba-ee9c-4702-bb97-01e0b68a593d",
                "TinfoilAlog",
                "[emote:37226:KEKW]",
            ),
            (
                "79241483-5fea-4b84-abd8-6fc01fb98fe2",
                "tuqos",
                "back to the plantation",
            ),
        ];
        for (m, (id, user, content)) in got.iter().zip(want) {
            assert_eq!(
                summary(m),
                (id.into(), 16_756_136, user.into(), content.into())
            );
        }
        // Each is the message the live decoder makes of the same payload.
        for (m, line) in got.iter().zip(LIVE_FRAMES.lines().skip(4)) {
            let frame: serde_json::Value = serde_json::from_str(line).unwrap();
            let payload = frame["data"].as_str().unwrap();
            let Ok(Event::ChatMessage(live)) =
                Event::decode("ChatMessageEvent", payload.as_bytes())
            else {
                panic!("not a chat message: {line}");
            };
            assert_eq!(m, &live);
        }
    }

    #[test]
    fn empty_one_and_several() {
        let (r, got) = parse(br#"{"data":{"messages":[],"cursor":null},"message":"success"}"#);
        assert_eq!((r, got.len()), (Ok(History::default()), 0));

        let one =
            br#"{"data":{"messages":[{"id":"x1","chat_id":"42","content":"hello","type":"message",
            "sender":{"id":1,"username":"A","slug":"a"}}]}}"#;
        let (r, got) = parse(one);
        assert_eq!(
            r,
            Ok(History {
                messages: 1,
                skipped: 0
            })
        );
        assert_eq!(
            summary(&got[0]),
            ("x1".into(), 42, "A".into(), "hello".into())
        );

        // The other shapes Xtra-Kick's `parseKickMessagesData` accepts, in the reply's order.
        // Only the first list: a repeated member is not read twice.
        let twice = br#"{"messages":[{"id":"1","sender":{"username":"a"}}],"data":{"messages":[{"id":"9","sender":{"username":"z"}}]}}"#;
        let (r, got) = parse(twice);
        assert_eq!(
            r,
            Ok(History {
                messages: 1,
                skipped: 0
            })
        );
        assert_eq!(got[0].id.as_str(), "1");
        for body in [
            &br#"[{"id":"1","sender":{"username":"a"}},{"id":"2","sender":{"username":"b"}}]"#[..],
            br#"{"messages":[{"id":"1","sender":{"username":"a"}},{"id":"2","sender":{"username":"b"}}]}"#,
            br#"{"data":[{"id":"1","sender":{"username":"a"}},{"id":"2","sender":{"username":"b"}}]}"#,
        ] {
            let (r, got) = parse(body);
            assert_eq!(r, Ok(History { messages: 2, skipped: 0 }));
            let ids: Vec<_> = got.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids, ["1", "2"]);
        }
    }

    #[test]
    fn a_bad_entry_among_good_ones_is_skipped() {
        let body = br#"{"data":{"messages":[
            {"id":"1","content":"first","sender":{"username":"a"}},
            "not a message",
            {"id":"","content":"no id","sender":{"username":"b"}},
            {"id":"3","content":"no sender"},
            {"id":"4","content":"last","sender":{"username":"c"}}
        ]}}"#;
        let (r, got) = parse(body);
        assert_eq!(
            r,
            Ok(History {
                messages: 2,
                skipped: 3
            })
        );
        let contents: Vec<_> = got.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(contents, ["first", "last"]);
    }

    #[test]
    fn nothing_left_over_from_the_message_before() {
        // The scratch message is reset between entries: the second has no metadata or badges.
        let body = br#"[{"id":"1","sender":{"username":"a","identity":{"badges":[{"type":"vip"}]}},
            "metadata":{"message_ref":"9"}},{"id":"2","sender":{"username":"b"}}]"#;
        let (_, got) = parse(body);
        assert!(got[1].metadata.is_none());
        assert!(got[1].sender.identity.badges.is_empty());
    }

    #[test]
    fn a_cut_list_keeps_its_total() {
        let badges = (0..BADGES + 3)
            .map(|i| std::format!(r#"{{"type":"b{i}","text":"B"}}"#))
            .collect::<Vec<_>>()
            .join(",");
        let body = std::format!(
            r#"{{"data":{{"messages":[{{"id":"1","sender":{{"username":"a","identity":{{"badges":[{badges}]}}}}}}]}}}}"#
        );
        let (r, got) = parse(body.as_bytes());
        assert_eq!(
            r,
            Ok(History {
                messages: 1,
                skipped: 0
            })
        );
        let list = &got[0].sender.identity.badges;
        assert_eq!((list.len(), list.total()), (BADGES, BADGES as u32 + 3));
    }

    #[test]
    fn a_cut_body_is_malformed_after_the_messages_before_the_cut() {
        let cut = &RECONSTRUCTED.as_bytes()[..700];
        let (r, got) = parse(cut);
        // The cut falls in the second message's `"slug":"tinfoilalog"`; byte 694 is the first
        // byte of that string, whose end never comes.
        assert_eq!(
            r,
            Err(ReplyError::Malformed {
                error: SyntaxError::UnexpectedEnd,
                offset: 694
            })
        );
        // The message that ended before the cut was handed over.
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].sender.username.as_str(), "CrispyLegs");
    }

    #[test]
    fn refusals_failures_and_no_list() {
        let mut scratch = ChatMessage::default();
        let mut called = 0;
        let mut run = |status, cf, body: &[u8]| {
            parse_chat_history(status, cf, body, &mut scratch, |_| called += 1)
        };
        let page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>";
        assert_eq!(
            run(403, false, page),
            Err(ReplyError::Cloudflare { status: 403 })
        );
        assert_eq!(
            run(200, true, RECONSTRUCTED.as_bytes()),
            Err(ReplyError::Cloudflare { status: 200 })
        );
        assert_eq!(
            run(404, false, br#"{"message":"Not found"}"#),
            Err(ReplyError::NotFound)
        );
        assert_eq!(
            run(500, false, b""),
            Err(ReplyError::Status { status: 500 })
        );
        assert_eq!(
            run(
                200,
                false,
                br#"{"data":{"cursor":"1"},"message":"success"}"#
            ),
            Err(ReplyError::Missing {
                field: "data.messages"
            })
        );
        assert_eq!(
            run(200, false, br#"{"data":{"messages":null}}"#),
            Err(ReplyError::Missing {
                field: "data.messages"
            })
        );
        assert!(matches!(
            run(200, false, b"[1,"),
            Err(ReplyError::Malformed { .. })
        ));
        assert_eq!(called, 0);
    }
}
