//! The channel-info lookup: slug in, chatroom id, channel id and livestream id out.
//!
//! `GET https://kick.com/api/v2/channels/{slug}` answers with the whole channel object, not
//! wrapped in `data`. The members read here, and where their shape comes from:
//!
//! - `id` (channel id), `slug`, `user_id`, `user.username`, `user.id`, `chatroom.id`: kicksdk
//!   0.2.0 `src/website.rs` (`parse_channel`), Obiwayne/GiftDeck `Services/Kick/KickApi.cs`
//!   (`GetChannelAsync`), tibor1234567895/Xtra-Kick `KICK_API_REFERENCE.md` §2.
//! - `livestream`: an object while live, `null` when offline; `livestream.id` and
//!   `livestream.is_live` (jamezrin/lurkloot `packages/core/src/platforms/kick/watch.ts`,
//!   `fetchTargets`: live is `livestream.is_live ?? !!livestream`; GiftDeck likewise). Ids come
//!   as numbers or numeric strings (lurkloot types them `string | number`).
//! - A top-level `chatroom_id` is accepted when `chatroom.id` is absent (the v1 endpoint's shape,
//!   as a fallback some clients read).
//!
//! The object also carries `playback_url`, a **signed** stream URL: it is skipped, never kept.
//!
//! Slugs differ from usernames: `kemushi_kz`'s slug is `kemushi-kz`, and asking for
//! `kemushi_kz` gets a 404. [`ChannelLookup`] tries the `-` form after such a 404.

use super::reply::{check_status, read_body};
use super::request::{GET_JSON, Method, Request, build};
use super::{ReplyError, RequestError};
use crate::json::field::{object_fields, optional_object};
use crate::kick::channels::Ids;
use crate::limits::USERNAME;
use crate::text::Text;

/// Where the lookup lives; the slug follows.
const CHANNELS_URL: &str = "https://kick.com/api/v2/channels/";

/// A channel as the lookup describes it: the ids that chat needs, and names to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChannelInfo {
    /// The channel id (`id`): what the realtime negotiation and the `channel*` channels want.
    pub channel_id: u64,
    /// The chatroom id (`chatroom.id`): what the `chatroom*` channels want.
    pub chatroom_id: u64,
    /// The livestream id (`livestream.id`) while live; `None` when offline.
    pub livestream_id: Option<u64>,
    /// Whether the channel is live now: a `livestream` object whose `is_live` is not `false`.
    pub is_live: bool,
    /// The slug as Kick gives it (`slug`); cut and flagged if longer than its capacity.
    pub slug: Text<USERNAME>,
    /// The owner's username, case kept (`user.username`); cut and flagged if too long.
    pub username: Text<USERNAME>,
    /// The owner's user id (`user_id`, else `user.id`).
    pub user_id: Option<u64>,
}

impl ChannelInfo {
    /// The two ids that name the chat's channels.
    #[must_use]
    pub const fn ids(&self) -> Ids {
        Ids::new(self.chatroom_id, self.channel_id)
    }
}

// The reply's objects as Kick writes them (the wire form), before `parse_channel_info` checks
// and keeps what it needs.
#[derive(Default)]
struct WireUser {
    id: Option<u64>,
    username: Text<USERNAME>,
}
object_fields!(WireUser { b"id" => id, b"username" => username });

#[derive(Default)]
struct WireChatroom {
    id: Option<u64>,
}
object_fields!(WireChatroom { b"id" => id });

#[derive(Default)]
struct WireLivestream {
    id: Option<u64>,
    is_live: Option<bool>,
}
object_fields!(WireLivestream { b"id" => id, b"is_live" => is_live });
optional_object!(WireLivestream);

#[derive(Default)]
struct WireChannel {
    id: Option<u64>,
    user_id: Option<u64>,
    slug: Text<USERNAME>,
    user: WireUser,
    chatroom: WireChatroom,
    chatroom_id: Option<u64>,
    livestream: Option<WireLivestream>,
}
object_fields!(WireChannel {
    b"id" => id,
    b"user_id" => user_id,
    b"slug" => slug,
    b"user" => user,
    b"chatroom" => chatroom,
    b"chatroom_id" => chatroom_id,
    b"livestream" => livestream,
});

/// Builds the lookup for `slug`: `GET https://kick.com/api/v2/channels/{slug}`.
///
/// `slug` may be written as a user would: surrounding spaces, a leading `@`, a `kick.com/`
/// link and capitals are all fine (`https://kick.com/XQC` asks for `xqc`).
///
/// ```
/// use kickwire_proto::http;
/// let mut buf = [0u8; http::REQUEST_BUFFER];
/// let req = http::channel_info_request(" @Kemushi_KZ ", &mut buf)?;
/// assert_eq!(req.url, "https://kick.com/api/v2/channels/kemushi_kz");
/// assert!(req.body.is_empty());
/// # Ok::<(), http::RequestError>(())
/// ```
///
/// # Errors
/// [`RequestError::InvalidSlug`] for anything that is not a slug;
/// [`RequestError::BufferTooSmall`] when `buf` is (64 bytes always do).
pub fn channel_info_request<'b>(
    slug: &str,
    buf: &'b mut [u8],
) -> Result<Request<'b>, RequestError> {
    let slug = normalize_slug(slug)?;
    request_for(&slug, buf)
}

fn request_for<'b>(slug: &str, buf: &'b mut [u8]) -> Result<Request<'b>, RequestError> {
    build(
        buf,
        Method::Get,
        GET_JSON,
        |o| {
            o.str(CHANNELS_URL);
            o.str(slug);
        },
        |_| {},
    )
}

/// The slug in `input`, lower case, or why it is none. See [`channel_info_request`].
fn normalize_slug(input: &str) -> Result<Text<USERNAME>, RequestError> {
    let mut s = input.trim();
    // Searched as bytes: `str::find` with a `&str` pattern brings `core::fmt` (its searcher's
    // panic message), several KB of the browser's lookups module. The match is ASCII, so the
    // text after it starts on a character boundary.
    const HOST: &[u8] = b"kick.com/";
    if let Some(at) = s.as_bytes().windows(HOST.len()).position(|w| w == HOST) {
        s = s.get(at.saturating_add(HOST.len())..).unwrap_or("");
    }
    let s = s.strip_prefix('@').unwrap_or(s);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let valid = !s.is_empty()
        && s.len() <= USERNAME
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    if !valid {
        return Err(RequestError::InvalidSlug);
    }
    let mut slug = Text::new();
    for c in s.chars() {
        slug.push_char(c.to_ascii_lowercase());
    }
    Ok(slug)
}

/// Reads the lookup's reply.
///
/// `cf_mitigated`: whether the reply carried a `cf-mitigated` header (any value); see
/// [`is_cloudflare_refusal`](super::is_cloudflare_refusal) for how a refusal is told from an
/// answer. Unknown members are skipped; ids may be numbers or numeric strings; `livestream: null`
/// means offline. Names longer than their capacity are cut and flagged, never an error.
///
/// ```
/// use kickwire_proto::http::{self, ReplyError};
/// let body = br#"{"id":"1001","slug":"some-streamer","playback_url":"https://secret","chatroom":{"id":997},
///     "livestream":{"id":63110337,"is_live":true},"user":{"id":1003,"username":"Some_Streamer"}}"#;
/// let info = http::parse_channel_info(200, false, body)?;
/// assert_eq!((info.channel_id, info.chatroom_id), (1001, 997));
/// assert_eq!(info.livestream_id, Some(63_110_337));
/// assert_eq!(info.username.as_str(), "Some_Streamer");
///
/// let challenge = b"<!DOCTYPE html><html><head><title>Just a moment...</title>";
/// assert_eq!(
///     http::parse_channel_info(403, false, challenge),
///     Err(ReplyError::Cloudflare { status: 403 })
/// );
/// # Ok::<(), ReplyError>(())
/// ```
///
/// # Errors
/// [`ReplyError::Cloudflare`], [`ReplyError::NotFound`] (404: see [`ChannelLookup`] for the
/// `_`/`-` retry), [`ReplyError::Status`] for any other non-2xx, [`ReplyError::Malformed`] for a
/// body that is not JSON, [`ReplyError::Missing`] when the channel id (`id`) or the chatroom id
/// (`chatroom.id`) is absent or not a number.
pub fn parse_channel_info(
    status: u16,
    cf_mitigated: bool,
    body: &[u8],
) -> Result<ChannelInfo, ReplyError> {
    check_status(status, cf_mitigated, body)?;
    let mut raw = WireChannel::default();
    read_body(&mut raw, body)?;
    let channel_id = raw
        .id
        .filter(|id| *id != 0)
        .ok_or(ReplyError::Missing { field: "id" })?;
    let chatroom_id = raw
        .chatroom
        .id
        .or(raw.chatroom_id)
        .filter(|id| *id != 0)
        .ok_or(ReplyError::Missing {
            field: "chatroom.id",
        })?;
    let live = raw.livestream.as_ref().filter(|l| l.is_live != Some(false));
    Ok(ChannelInfo {
        channel_id,
        chatroom_id,
        livestream_id: live.and_then(|l| l.id),
        is_live: live.is_some(),
        slug: raw.slug,
        username: raw.user.username,
        user_id: raw.user_id.or(raw.user.id),
    })
}

/// What to do after a [`ChannelLookup`] reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Lookup {
    /// The channel.
    Found(ChannelInfo),
    /// Not found under a slug with `_`: send [`ChannelLookup::request`] again, which now asks
    /// for the `-` form ([`ChannelLookup::slug`]).
    Retry,
}

/// A channel lookup by slug, with Kick's one known retry: a 404 for a slug containing `_` is
/// tried once more with `-` in its place (usernames allow `_`, slugs turn it into `-`:
/// `kemushi_kz` -> `kemushi-kz`).
///
/// ```
/// use kickwire_proto::http::{self, ChannelLookup, Lookup};
///
/// let mut lookup = ChannelLookup::new("kemushi_kz")?;
/// let mut buf = [0u8; http::REQUEST_BUFFER];
/// let req = lookup.request(&mut buf)?;
/// assert_eq!(req.url, "https://kick.com/api/v2/channels/kemushi_kz");
/// // ... Kick answers 404 ...
/// assert_eq!(lookup.on_reply(404, false, br#"{"message":"Not found"}"#)?, Lookup::Retry);
/// let req = lookup.request(&mut buf)?;
/// assert_eq!(req.url, "https://kick.com/api/v2/channels/kemushi-kz");
/// let body = br#"{"id":2515504,"slug":"kemushi-kz","chatroom":{"id":2507974},"livestream":null}"#;
/// let Lookup::Found(info) = lookup.on_reply(200, false, body)? else { unreachable!() };
/// assert_eq!((info.chatroom_id, info.livestream_id), (2_507_974, None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ChannelLookup {
    slug: Text<USERNAME>,
    retried: bool,
}

impl ChannelLookup {
    /// A lookup for `slug`, written as a user would (see [`channel_info_request`]).
    ///
    /// # Errors
    /// [`RequestError::InvalidSlug`] for anything that is not a slug.
    pub fn new(slug: &str) -> Result<Self, RequestError> {
        Ok(Self {
            slug: normalize_slug(slug)?,
            retried: false,
        })
    }

    /// The slug the next [`request`](Self::request) asks for.
    #[must_use]
    pub fn slug(&self) -> &str {
        self.slug.as_str()
    }

    /// The request to send now.
    ///
    /// # Errors
    /// [`RequestError::BufferTooSmall`] when `buf` is (64 bytes always do).
    pub fn request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, RequestError> {
        request_for(self.slug.as_str(), buf)
    }

    /// Reads the reply to the last [`request`](Self::request); see [`parse_channel_info`].
    ///
    /// # Errors
    /// As [`parse_channel_info`]; a 404 is [`Lookup::Retry`] instead, once, when the slug has a
    /// `_`.
    pub fn on_reply(
        &mut self,
        status: u16,
        cf_mitigated: bool,
        body: &[u8],
    ) -> Result<Lookup, ReplyError> {
        match parse_channel_info(status, cf_mitigated, body) {
            Ok(info) => Ok(Lookup::Found(info)),
            Err(ReplyError::NotFound) if !self.retried && self.slug.contains('_') => {
                let mut dashed = Text::new();
                for c in self.slug.chars() {
                    dashed.push_char(if c == '_' { '-' } else { c });
                }
                self.slug = dashed;
                self.retried = true;
                Ok(Lookup::Retry)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::error::SyntaxError;
    use crate::http::REQUEST_BUFFER;

    // A live channel as `GET /api/v2/channels/{slug}` returns it, built by hand from the members
    // kicksdk 0.2.0 `src/website.rs` reads (id, user_id, slug, chatroom.id, livestream.{id,
    // is_live, viewer_count, session_title}, user.{username, profile_pic}, playback_url,
    // followers_count, verified, subscriber_badges) plus neighbours Kick sends that we skip.
    pub(in crate::http) const LIVE: &str = r#"{
        "id": 2515504, "user_id": 2570626, "slug": "kemushi-kz", "is_banned": false,
        "playback_url": "https://fa723fc1b171.us-west-2.playback.live-video.net/api/video/v1/us-west-2.196233775518.channel.xyz.m3u8?token=secret",
        "vod_enabled": true, "subscription_enabled": true, "followers_count": 12345,
        "subscriber_badges": [{"id": 1, "channel_id": 2515504, "months": 1, "badge_image": {"srcset": "", "src": "https://files.kick.com/x.png"}}],
        "livestream": {"id": 63110337, "slug": "a1b2-stream", "channel_id": 2515504,
            "created_at": "2025-07-17 01:53:20", "session_title": "hi \u00e9 \/", "is_live": true,
            "viewer_count": 321, "categories": [{"id": 15, "name": "Just Chatting"}]},
        "user": {"id": 2570626, "username": "Kemushi_KZ", "bio": "Just a moment... brb",
            "profile_pic": "https://files.kick.com/images/user/2570626/profile_image/conversion/x.webp"},
        "chatroom": {"id": 2507974, "chatable_type": "App\\Models\\Channel", "channel_id": 2515504,
            "slow_mode": false, "chat_mode": "public", "message_interval": 0},
        "verified": null
    }"#;

    #[test]
    fn a_live_channel() {
        let info = parse_channel_info(200, false, LIVE.as_bytes()).unwrap();
        assert_eq!(
            info,
            ChannelInfo {
                channel_id: 2_515_504,
                chatroom_id: 2_507_974,
                livestream_id: Some(63_110_337),
                is_live: true,
                slug: Text::from_str_truncating("kemushi-kz"),
                username: Text::from_str_truncating("Kemushi_KZ"),
                user_id: Some(2_570_626),
            }
        );
        assert_eq!(info.ids(), Ids::new(2_507_974, 2_515_504));
        // The signed playback URL is nowhere in what we keep.
        assert!(!std::format!("{info:?}").contains("secret"));
    }

    #[test]
    fn numbers_as_strings() {
        // lurkloot types these ids `string | number` (watch.ts `fetchTargets`).
        let body = br#"{"id":"668","slug":"xqc","chatroom":{"id":" 668 "},"livestream":{"id":"63110337","is_live":"true"},"user":{"id":"676","username":"xQc"}}"#;
        let info = parse_channel_info(200, false, body).unwrap();
        assert_eq!(
            (
                info.channel_id,
                info.chatroom_id,
                info.livestream_id,
                info.user_id
            ),
            (668, 668, Some(63_110_337), Some(676))
        );
        assert!(info.is_live);
    }

    #[test]
    fn offline_channels() {
        // `livestream: null` when offline (lurkloot packages/extension/tests/tablessWatch.test.ts;
        // kicksdk `parse_channel` reads `live` as "is an object").
        let body =
            br#"{"id":1,"slug":"a","chatroom":{"id":2},"livestream":null,"user":{"username":"A"}}"#;
        let info = parse_channel_info(200, false, body).unwrap();
        assert_eq!((info.livestream_id, info.is_live), (None, false));
        // Missing altogether: offline too.
        let info = parse_channel_info(200, false, br#"{"id":1,"chatroom":{"id":2}}"#).unwrap();
        assert_eq!((info.livestream_id, info.is_live), (None, false));
        // An object that says it is not live (GiftDeck KickApi.cs reads `is_live` this way).
        let body = br#"{"id":1,"chatroom":{"id":2},"livestream":{"id":9,"is_live":false}}"#;
        let info = parse_channel_info(200, false, body).unwrap();
        assert_eq!((info.livestream_id, info.is_live), (None, false));
        // An object without `is_live`: live.
        let body = br#"{"id":1,"chatroom":{"id":2},"livestream":{"id":9}}"#;
        let info = parse_channel_info(200, false, body).unwrap();
        assert_eq!((info.livestream_id, info.is_live), (Some(9), true));
    }

    #[test]
    fn cloudflare_challenge() {
        // Cloudflare's challenge page (markers listed in the docs of docs.rs
        // parse-book-source `fetch::is_challenge`; header per developers.cloudflare.com).
        let page = br#"<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "kick.com",cType: 'managed'};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8f0e1d2c3b4a5968';}());</script></body></html>"#;
        for status in [403, 503, 200] {
            assert_eq!(
                parse_channel_info(status, false, page),
                Err(ReplyError::Cloudflare { status })
            );
        }
        // The header alone is enough, whatever the body.
        assert_eq!(
            parse_channel_info(403, true, b""),
            Err(ReplyError::Cloudflare { status: 403 })
        );
        assert_eq!(
            parse_channel_info(429, true, LIVE.as_bytes()),
            Err(ReplyError::Cloudflare { status: 429 })
        );
    }

    #[test]
    fn other_failures() {
        assert_eq!(
            parse_channel_info(404, false, br#"{"message":"Not Found"}"#),
            Err(ReplyError::NotFound)
        );
        assert_eq!(
            parse_channel_info(500, false, b"oops"),
            Err(ReplyError::Status { status: 500 })
        );
        assert_eq!(
            parse_channel_info(403, false, br#"{"message":"Forbidden"}"#),
            Err(ReplyError::Status { status: 403 })
        );
        assert_eq!(
            parse_channel_info(200, false, br#"{"id":1,"chatroom":{"id":2}"#),
            Err(ReplyError::Malformed {
                error: SyntaxError::UnexpectedEnd,
                offset: 27
            })
        );
        assert!(matches!(
            parse_channel_info(200, false, b"<html>hello</html>"),
            Err(ReplyError::Malformed { .. })
        ));
        assert_eq!(
            parse_channel_info(200, false, br#"{"chatroom":{"id":2}}"#),
            Err(ReplyError::Missing { field: "id" })
        );
        assert_eq!(
            parse_channel_info(200, false, br#"{"id":1,"chatroom":null}"#),
            Err(ReplyError::Missing {
                field: "chatroom.id"
            })
        );
        assert_eq!(
            parse_channel_info(200, false, b"[]"),
            Err(ReplyError::Missing { field: "id" })
        );
        // The v1 shape's top-level `chatroom_id` is a fallback.
        let info = parse_channel_info(200, false, br#"{"id":1,"chatroom_id":7}"#).unwrap();
        assert_eq!(info.chatroom_id, 7);
        // A UTF-8 byte order mark is tolerated.
        let info = parse_channel_info(
            200,
            false,
            b"\xEF\xBB\xBF{\"id\":1,\"chatroom\":{\"id\":2}}",
        );
        assert_eq!(info.unwrap().ids(), Ids::new(2, 1));
    }

    #[test]
    fn names_too_long_are_cut_and_flagged() {
        let long = "x".repeat(100);
        let body = std::format!(
            r#"{{"id":1,"slug":"{long}","chatroom":{{"id":2}},"user":{{"username":"{long}é"}}}}"#
        );
        let info = parse_channel_info(200, false, body.as_bytes()).unwrap();
        assert_eq!(info.slug.len(), USERNAME);
        assert!(info.slug.is_truncated());
        assert!(info.username.is_truncated());
        assert_eq!(info.ids(), Ids::new(2, 1));
    }

    #[test]
    fn slugs() {
        let mut buf = [0u8; REQUEST_BUFFER];
        for (input, want) in [
            ("xqc", "xqc"),
            ("  XQC\n", "xqc"),
            ("@xqc", "xqc"),
            ("https://kick.com/xQc", "xqc"),
            ("kick.com/@xqc/videos?x=1", "xqc"),
            ("www.kick.com/a-b_c", "a-b_c"),
        ] {
            let req = channel_info_request(input, &mut buf).unwrap();
            assert_eq!(req.url.strip_prefix(CHANNELS_URL), Some(want), "{input:?}");
            assert_eq!(req.method, Method::Get);
            assert_eq!(req.headers, GET_JSON);
        }
        for bad in [
            "",
            " ",
            "@",
            "a b",
            "../x",
            "x%2e",
            "é",
            "a.b",
            &"a".repeat(33),
        ] {
            assert_eq!(
                channel_info_request(bad, &mut buf),
                Err(RequestError::InvalidSlug),
                "{bad:?}"
            );
        }
        let mut small = [0u8; 10];
        assert_eq!(
            channel_info_request("xqc", &mut small),
            Err(RequestError::BufferTooSmall {
                required: CHANNELS_URL.len() + 3
            })
        );
    }

    #[test]
    fn retry_with_dashes_once() {
        let mut buf = [0u8; REQUEST_BUFFER];
        let mut lookup = ChannelLookup::new("Kemushi_KZ").unwrap();
        assert_eq!(lookup.slug(), "kemushi_kz");
        assert_eq!(lookup.on_reply(404, false, b""), Ok(Lookup::Retry));
        assert_eq!(lookup.slug(), "kemushi-kz");
        assert!(
            lookup
                .request(&mut buf)
                .unwrap()
                .url
                .ends_with("/kemushi-kz")
        );
        // A second 404 is final.
        assert_eq!(lookup.on_reply(404, false, b""), Err(ReplyError::NotFound));
        // No `_`: no retry.
        let mut lookup = ChannelLookup::new("xqc").unwrap();
        assert_eq!(lookup.on_reply(404, false, b""), Err(ReplyError::NotFound));
        // Cloudflare is not a 404: no retry either.
        let mut lookup = ChannelLookup::new("a_b").unwrap();
        assert_eq!(
            lookup.on_reply(403, true, b""),
            Err(ReplyError::Cloudflare { status: 403 })
        );
        assert_eq!(lookup.slug(), "a_b");
        let found = lookup.on_reply(200, false, LIVE.as_bytes()).unwrap();
        assert!(matches!(found, Lookup::Found(info) if info.channel_id == 2_515_504));
    }
}
