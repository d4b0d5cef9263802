//! The room info: what the channel reply says about the channel right now, for a user to read
//! (title, live or not, viewers, category, followers, chat settings).
//!
//! It is read from the same body as [`ChannelInfo`] (`GET https://kick.com/api/v2/channels/{slug}`)
//! by a sibling parser rather than by growing `ChannelInfo`: the browser's lookup module links
//! [`parse_channel_info`] and pays in size for every member its wire structs read, and these
//! members (titles, categories, chat settings) are only wanted when someone asks for them.
//! [`parse_room_info`] reads the ids with [`parse_channel_info`] and the rest in a second
//! pass over the body (a few KB).
//!
//! Members read here, and where their shape comes from:
//!
//! - `followers_count`, `livestream.session_title`, `livestream.viewer_count`,
//!   `livestream.created_at`, `livestream.categories`: kicksdk 0.2.0 `src/website.rs`
//!   (`parse_channel`) and tibor1234567895/Xtra-Kick
//!   `app/src/main/java/com/github/andreyasadchy/xtra/model/kick/KickModels.kt`
//!   (`KickChannelResponse`, `KickChannelLivestream`).
//! - `chatroom.{chat_mode, slow_mode, message_interval, followers_mode, following_min_duration,
//!   subscribers_mode, emotes_mode}`: the chatroom object Kick itself sends inside
//!   `LuckyUsersWhoGotGiftSubscriptionsEvent` (the real frames in this repository's
//!   `tests/vectors/kick/`), the same object the channel reply carries; the units (seconds
//!   between messages, minutes of following) as [`ChatMode`](crate::kick::ChatMode) documents
//!   them for `ChatroomUpdatedEvent`.
//!
//! The reply's signed `playback_url` is never read.

use super::ReplyError;
use super::channel::{ChannelInfo, parse_channel_info};
use super::reply::read_body;
use crate::json::field::{object_fields, optional_object};
use crate::kick::Category;
use crate::kick::time::Timestamp;
use crate::limits::{CATEGORIES, SHORT, TITLE, USERNAME};
use crate::text::{List, Text};

/// A channel's room as the channel reply describes it now. Texts longer than their capacity are
/// cut and flagged; [`categories`](Self::categories) keeps its exact total.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RoomInfo {
    /// The channel id (`id`).
    pub channel_id: u64,
    /// The chatroom id (`chatroom.id`).
    pub chatroom_id: u64,
    /// The livestream id while live.
    pub livestream_id: Option<u64>,
    /// The slug (`slug`).
    pub slug: Text<USERNAME>,
    /// The owner's username (`user.username`).
    pub username: Text<USERNAME>,
    /// Whether the channel is live now (as [`ChannelInfo::is_live`]).
    pub is_live: bool,
    /// The stream's title (`livestream.session_title`); empty when offline.
    pub title: Text<TITLE>,
    /// Viewers now (`livestream.viewer_count`); `None` when offline or not given.
    pub viewers: Option<u64>,
    /// The stream's categories (`livestream.categories`); empty when offline.
    pub categories: List<Category, CATEGORIES>,
    /// When the stream started (`livestream.created_at`).
    pub started_at: Option<Timestamp>,
    /// Followers (`followers_count`).
    pub followers: Option<u64>,
    /// Who may chat (`chatroom.chat_mode`: `public`, ...), as Kick writes it.
    pub chat_mode: Text<SHORT>,
    /// Slow mode is on (`chatroom.slow_mode`).
    pub slow_mode: bool,
    /// Seconds between one chatter's messages in slow mode (`chatroom.message_interval`).
    pub slow_mode_interval: Option<u64>,
    /// Followers-only mode is on (`chatroom.followers_mode`).
    pub followers_only: bool,
    /// Minutes a follower must have followed to chat (`chatroom.following_min_duration`).
    pub followers_min_minutes: Option<u64>,
    /// Subscribers-only mode is on (`chatroom.subscribers_mode`).
    pub subscribers_only: bool,
    /// Emotes-only mode is on (`chatroom.emotes_mode`).
    pub emotes_only: bool,
}

#[derive(Default)]
struct WireLivestream {
    session_title: Text<TITLE>,
    viewer_count: Option<u64>,
    categories: List<Category, CATEGORIES>,
    created_at: Option<Timestamp>,
}
object_fields!(WireLivestream {
    b"session_title" => session_title,
    b"viewer_count" | b"viewers" => viewer_count,
    b"categories" => categories,
    b"created_at" | b"start_time" => created_at,
});
optional_object!(WireLivestream);

#[derive(Default)]
struct WireChatroom {
    chat_mode: Text<SHORT>,
    slow_mode: Option<bool>,
    message_interval: Option<u64>,
    followers_mode: Option<bool>,
    following_min_duration: Option<u64>,
    subscribers_mode: Option<bool>,
    emotes_mode: Option<bool>,
}
object_fields!(WireChatroom {
    b"chat_mode" => chat_mode,
    b"slow_mode" => slow_mode,
    b"message_interval" => message_interval,
    b"followers_mode" => followers_mode,
    b"following_min_duration" => following_min_duration,
    b"subscribers_mode" => subscribers_mode,
    b"emotes_mode" => emotes_mode,
});

#[derive(Default)]
struct WireRoom {
    followers_count: Option<u64>,
    livestream: Option<WireLivestream>,
    chatroom: WireChatroom,
}
object_fields!(WireRoom {
    b"followers_count" => followers_count,
    b"livestream" => livestream,
    b"chatroom" => chatroom,
});

/// Reads the room info from the channel reply (the body [`parse_channel_info`] reads).
///
/// Offline (`livestream: null`), the title is empty, `viewers` `None` and `categories` empty;
/// the chat settings are there either way. A setting Kick leaves out reads as off.
///
/// ```
/// use kickwire_proto::http::{self, ReplyError};
/// let body = br#"{"id":1001,"slug":"some-streamer","followers_count":"4321",
///     "playback_url":"https://signed.example/secret",
///     "chatroom":{"id":997,"slow_mode":true,"message_interval":5,"followers_mode":false},
///     "livestream":{"id":7,"is_live":true,"session_title":"hello","viewer_count":12,
///         "categories":[{"id":15,"name":"Just Chatting","slug":"just-chatting"}]}}"#;
/// let room = http::parse_room_info(200, false, body)?;
/// assert_eq!((room.channel_id, room.chatroom_id, room.is_live), (1001, 997, true));
/// assert_eq!((room.title.as_str(), room.viewers, room.followers), ("hello", Some(12), Some(4321)));
/// assert_eq!(room.categories[0].name.as_str(), "Just Chatting");
/// assert_eq!((room.slow_mode, room.slow_mode_interval), (true, Some(5)));
/// assert!(!room.followers_only && !room.subscribers_only && !room.emotes_only);
/// assert_eq!(
///     http::parse_room_info(403, true, b""),
///     Err(ReplyError::Cloudflare { status: 403 })
/// );
/// # Ok::<(), ReplyError>(())
/// ```
///
/// # Errors
/// As [`parse_channel_info`]: [`ReplyError::Cloudflare`], [`ReplyError::NotFound`],
/// [`ReplyError::Status`], [`ReplyError::Malformed`], [`ReplyError::Missing`]; also
/// [`ReplyError::Malformed`] for a bad escape in a string only this parser decodes (the title, a
/// category), which the lookup skips without decoding.
pub fn parse_room_info(
    status: u16,
    cf_mitigated: bool,
    body: &[u8],
) -> Result<RoomInfo, ReplyError> {
    let ChannelInfo {
        channel_id,
        chatroom_id,
        livestream_id,
        is_live,
        slug,
        username,
        ..
    } = parse_channel_info(status, cf_mitigated, body)?;
    let mut raw = WireRoom::default();
    read_body(&mut raw, body)?;
    // What `ChannelInfo` calls not live (no object, or `is_live: false`) shows no stream.
    let stream = raw.livestream.filter(|_| is_live).unwrap_or_default();
    let chat = raw.chatroom;
    Ok(RoomInfo {
        channel_id,
        chatroom_id,
        livestream_id,
        slug,
        username,
        is_live,
        title: stream.session_title,
        viewers: stream.viewer_count,
        categories: stream.categories,
        started_at: stream.created_at,
        followers: raw.followers_count,
        chat_mode: chat.chat_mode,
        slow_mode: chat.slow_mode.unwrap_or(false),
        slow_mode_interval: chat.message_interval,
        followers_only: chat.followers_mode.unwrap_or(false),
        followers_min_minutes: chat.following_min_duration,
        subscribers_only: chat.subscribers_mode.unwrap_or(false),
        emotes_only: chat.emotes_mode.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::channel::tests::LIVE;

    #[test]
    fn a_live_room() {
        let room = parse_room_info(200, false, LIVE.as_bytes()).unwrap();
        assert_eq!(
            (room.channel_id, room.chatroom_id, room.livestream_id),
            (2_515_504, 2_507_974, Some(63_110_337))
        );
        assert_eq!(
            (room.slug.as_str(), room.username.as_str()),
            ("kemushi-kz", "Kemushi_KZ")
        );
        assert!(room.is_live);
        // `"hi \u00e9 \/"` as written in the reply.
        assert_eq!(room.title.as_str(), "hi é /");
        assert_eq!(room.viewers, Some(321));
        assert_eq!(room.categories.len(), 1);
        assert_eq!(room.categories.total(), 1);
        assert_eq!(room.categories[0].id, 15);
        assert_eq!(room.categories[0].name.as_str(), "Just Chatting");
        // "2025-07-17 01:53:20" taken as UTC.
        assert_eq!(
            room.started_at.map(Timestamp::unix_millis),
            Some(1_752_717_200_000)
        );
        assert_eq!(room.followers, Some(12_345));
        assert_eq!(room.chat_mode.as_str(), "public");
        assert_eq!((room.slow_mode, room.slow_mode_interval), (false, Some(0)));
        // Absent from this reply's chatroom: off, no duration.
        assert_eq!(
            (room.followers_only, room.followers_min_minutes),
            (false, None)
        );
        assert!(!room.subscribers_only && !room.emotes_only);
        assert!(!std::format!("{room:?}").contains("secret"));
    }

    #[test]
    fn an_offline_room_keeps_its_chat_settings() {
        // The chatroom object as Kick sends it in LuckyUsersWhoGotGiftSubscriptionsEvent
        // (tests/vectors/kick/), inside an offline channel reply.
        let body = br#"{"id":17425723,"slug":"some-one","followers_count":98,"livestream":null,
            "user":{"username":"Some_One"},
            "chatroom":{"id":17172694,"chatable_type":"App\\Models\\Channel","channel_id":17425723,
                "chat_mode_old":"public","chat_mode":"public","slow_mode":true,"chatable_id":17425723,
                "followers_mode":true,"subscribers_mode":false,"emotes_mode":true,
                "message_interval":5,"following_min_duration":180}}"#;
        let room = parse_room_info(200, false, body).unwrap();
        assert_eq!(
            (room.channel_id, room.chatroom_id),
            (17_425_723, 17_172_694)
        );
        assert!(!room.is_live);
        assert_eq!(
            (room.livestream_id, room.viewers, room.started_at),
            (None, None, None)
        );
        assert!(room.title.is_empty() && room.categories.is_empty());
        assert_eq!(room.followers, Some(98));
        assert_eq!((room.slow_mode, room.slow_mode_interval), (true, Some(5)));
        assert_eq!(
            (room.followers_only, room.followers_min_minutes),
            (true, Some(180))
        );
        assert!(!room.subscribers_only);
        assert!(room.emotes_only);
    }

    #[test]
    fn a_stream_that_says_it_is_not_live_shows_nothing() {
        let body = br#"{"id":1,"chatroom":{"id":2},"livestream":{"id":9,"is_live":false,
            "session_title":"old","viewer_count":4,"categories":[{"id":1,"name":"x"}]}}"#;
        let room = parse_room_info(200, false, body).unwrap();
        assert!(!room.is_live);
        assert_eq!((room.title.as_str(), room.viewers), ("", None));
        assert!(room.categories.is_empty());
    }

    #[test]
    fn refusals_and_failures_are_the_lookups() {
        let page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>";
        assert_eq!(
            parse_room_info(403, false, page),
            Err(ReplyError::Cloudflare { status: 403 })
        );
        assert_eq!(
            parse_room_info(200, true, LIVE.as_bytes()),
            Err(ReplyError::Cloudflare { status: 200 })
        );
        assert_eq!(
            parse_room_info(404, false, br#"{"message":"Not Found"}"#),
            Err(ReplyError::NotFound)
        );
        assert_eq!(
            parse_room_info(200, false, br#"{"id":1}"#),
            Err(ReplyError::Missing {
                field: "chatroom.id"
            })
        );
    }

    #[test]
    fn a_bad_escape_in_the_title_is_malformed_for_the_room_only() {
        // The lookup skips the title without decoding it; the room decodes it.
        let body = br#"{"id":1,"chatroom":{"id":2},"livestream":{"id":3,"session_title":"a\qb"}}"#;
        assert!(parse_channel_info(200, false, body).is_ok());
        assert!(matches!(
            parse_room_info(200, false, body),
            Err(ReplyError::Malformed { .. })
        ));
    }

    #[test]
    fn long_titles_are_cut_and_many_categories_counted() {
        let title = "é".repeat(TITLE); // 2 bytes each: twice the capacity
        let categories = (1..=6)
            .map(|i| std::format!(r#"{{"id":{i},"name":"c{i}"}}"#))
            .collect::<std::vec::Vec<_>>()
            .join(",");
        let body = std::format!(
            r#"{{"id":1,"chatroom":{{"id":2}},"livestream":{{"id":3,"session_title":"{title}","categories":[{categories}]}}}}"#
        );
        let room = parse_room_info(200, false, body.as_bytes()).unwrap();
        assert!(room.title.is_truncated());
        assert_eq!(room.title.len(), TITLE);
        assert_eq!(room.categories.len(), CATEGORIES);
        assert_eq!(room.categories.total(), 6);
        assert_eq!(room.categories[3].name.as_str(), "c4");
    }
}
