//! Every reply parser of `kickwire_proto::http` on the same reply: `is_cloudflare_refusal`,
//! `parse_channel_info`, `ChannelLookup::on_reply`, `parse_room_info`, `parse_chat_history`,
//! `parse_connection` and `parse_token`.
//!
//! Input: byte 0 bit 0 is the `cf-mitigated` flag, bits 1-3 pick the status (200, 201, 204,
//! 403, 404, 429, 503, or bytes 1-2 big-endian); the body starts at byte 3.
//!
//! Checked, beyond "no panic":
//! - the refusal test is what its docs say (the header alone; for a JSON body only a 403 with
//!   Kick's WAF message; for any other body Cloudflare's page markers, whatever the status), and
//!   every parser answers `Cloudflare` exactly for a refusal, `NotFound` for another 404,
//!   `Status` for another non-2xx: a refusal is never parsed as an answer;
//! - a lookup retries a 404 once with `-` for `_`, and passes everything else through;
//! - what a parser returns keeps its promises: ids non-zero, names within `limits` and flagged
//!   when cut, a URL or token never cut (`TooLong` instead), an endpoint whose URL is `wss://`
//!   and fits `limits::URL`; a `Malformed` offset lies in the body;
//! - where serde_json reads the body (see `fuzz_support::json` for what is skipped), no parser
//!   calls it malformed, and each one reads exactly the members serde_json sees, by the rules
//!   of `fuzz_support::field`: the ids, `is_live`, names, the first usable offer and whether a
//!   later one was too long, the token and its expiry (but not the JWT claims: see `jwt`); the
//!   room info succeeds exactly when the channel info does (or the body is malformed in a
//!   string only the room decodes), with the same ids, and reads the
//!   followers, title, viewers, categories and chat settings serde_json sees; the history
//!   hands over exactly the entries of the first message list that have an `id` and a
//!   sender's `username`, in order, each with its id, sender, content and chatroom id.
#![no_main]

use fuzz_support::field::{self, assert_text};
use fuzz_support::json::{self, Json};
use kickwire_proto::http::{
    self, ChannelInfo, ChannelLookup, Endpoint, GuestToken, History, Lookup, ReplyError, RoomInfo,
};
use kickwire_proto::kick::ChatMessage;
use kickwire_proto::limits::{CATEGORIES, ID, MESSAGE, NAME, SHORT, TITLE, TOKEN, URL, USERNAME};
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 7] = [200, 201, 204, 403, 404, 429, 503];

/// What the docs say `is_cloudflare_refusal` looks for.
fn refusal(status: u16, cf_mitigated: bool, body: &[u8]) -> bool {
    if cf_mitigated {
        return true;
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if matches!(body.trim_ascii_start().first(), Some(b'{' | b'[')) {
        // Kick's WAF message, searched in the first 4 KiB (a WAF reply is short).
        let head = body[..body.len().min(4096)].to_ascii_lowercase();
        let has = |m: &[u8]| head.windows(m.len()).any(|w| w == m);
        status == 403 && (has(b"security policy") || has(b"request blocked"))
    } else {
        let has = |m: &[u8]| body.windows(m.len()).any(|w| w == m);
        [
            &b"Just a moment"[..],
            b"challenge-platform",
            b"_cf_chl_opt",
            b"Attention Required! | Cloudflare",
            b"Sorry, you have been blocked",
        ]
        .iter()
        .any(|m| has(m))
    }
}

/// The error every parser must give before reading the body, if any.
fn status_error(status: u16, refused: bool) -> Option<ReplyError> {
    if refused {
        Some(ReplyError::Cloudflare { status })
    } else if status == 404 {
        Some(ReplyError::NotFound)
    } else if !(200..=299).contains(&status) {
        Some(ReplyError::Status { status })
    } else {
        None
    }
}

fn check_malformed<T>(r: &Result<T, ReplyError>, body: &[u8], json_ok: bool, what: &str) {
    if let Err(ReplyError::Malformed { offset, .. }) = r {
        assert!(
            *offset <= body.len(),
            "{what}: offset {offset} past the body"
        );
        assert!(
            !json_ok,
            "{what}: serde_json reads this body, we call it malformed"
        );
    }
}

fn check_channel(r: &Result<ChannelInfo, ReplyError>, json: Option<&Json>) {
    if let Ok(info) = r {
        assert!(info.channel_id != 0 && info.chatroom_id != 0);
        assert!(info.livestream_id.is_none() || info.is_live);
        assert!(info.slug.len() <= USERNAME && info.username.len() <= USERNAME);
    }
    let Some(body) = json else { return };
    let empty = Json::Object(Vec::new());
    let obj = body.as_object().unwrap_or(&empty);
    let user = obj.get("user").and_then(Json::as_object).unwrap_or(&empty);
    let chatroom = obj
        .get("chatroom")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    // Ids of 0 count as absent.
    let Some(id) = field::id(obj.get("id")) else {
        return;
    };
    let id = id.filter(|&n| n != 0);
    let Some(id) = id else {
        assert_eq!(r, &Err(ReplyError::Missing { field: "id" }));
        return;
    };
    let (Some(room), Some(room_v1)) = (
        field::id(chatroom.get("id")),
        field::id(obj.get("chatroom_id")),
    ) else {
        return;
    };
    let Some(chatroom_id) = room.or(room_v1).filter(|&n| n != 0) else {
        assert_eq!(
            r,
            &Err(ReplyError::Missing {
                field: "chatroom.id"
            })
        );
        return;
    };
    let Ok(info) = r else {
        panic!("serde_json sees id {id} and chatroom {chatroom_id}, we gave {r:?}");
    };
    assert_eq!((info.channel_id, info.chatroom_id), (id, chatroom_id));
    let livestream = obj.get("livestream").and_then(Json::as_object);
    match livestream {
        None => assert_eq!((info.is_live, info.livestream_id), (false, None)),
        Some(l) => {
            if let Some(is_live) = field::flag(l.get("is_live")) {
                let live = is_live != Some(false);
                assert_eq!(info.is_live, live, "is_live");
                if let Some(lid) = field::id(l.get("id")) {
                    assert_eq!(info.livestream_id, lid.filter(|_| live), "livestream.id");
                }
            }
        }
    }
    if let Some(slug) = field::text(obj.get("slug")) {
        assert_text(
            "slug",
            &info.slug,
            info.slug.is_truncated(),
            &slug,
            USERNAME,
        );
    }
    if let Some(name) = field::text(user.get("username")) {
        assert_text(
            "user.username",
            &info.username,
            info.username.is_truncated(),
            &name,
            USERNAME,
        );
    }
    if let (Some(a), Some(b)) = (field::id(obj.get("user_id")), field::id(user.get("id"))) {
        assert_eq!(info.user_id, a.or(b), "user_id");
    }
}

fn check_room(
    room: &Result<RoomInfo, ReplyError>,
    channel: &Result<ChannelInfo, ReplyError>,
    json: Option<&Json>,
) {
    let (room, info) = match (room, channel) {
        (Ok(room), Ok(info)) => (room, info),
        (Err(a), Err(b)) => return assert_eq!(a, b, "room and channel errors"),
        // The room decodes strings the lookup only skips, so a bad escape in one of them is
        // malformed for it alone: a body serde_json refuses too.
        (Err(ReplyError::Malformed { .. }), Ok(_)) if json.is_none() => return,
        _ => panic!("room {room:?} but channel {channel:?}"),
    };
    assert_eq!(
        (room.channel_id, room.chatroom_id, room.livestream_id, room.is_live),
        (info.channel_id, info.chatroom_id, info.livestream_id, info.is_live)
    );
    assert_eq!((&room.slug, &room.username), (&info.slug, &info.username));
    assert!(room.title.len() <= TITLE && room.categories.len() <= CATEGORIES);
    let Some(body) = json else { return };
    let empty = Json::Object(Vec::new());
    let obj = body.as_object().unwrap_or(&empty);
    if let Some(f) = field::id(obj.get("followers_count")) {
        assert_eq!(room.followers, f, "followers_count");
    }
    let chat = obj.get("chatroom").and_then(Json::as_object).unwrap_or(&empty);
    let on = |k: &str, ours: bool| {
        if let Some(f) = field::flag(chat.get(k)) {
            assert_eq!(ours, f.unwrap_or(false), "chatroom.{k}");
        }
    };
    on("slow_mode", room.slow_mode);
    on("followers_mode", room.followers_only);
    on("subscribers_mode", room.subscribers_only);
    on("emotes_mode", room.emotes_only);
    if let Some(n) = field::id(chat.get("message_interval")) {
        assert_eq!(room.slow_mode_interval, n, "message_interval");
    }
    if let Some(n) = field::id(chat.get("following_min_duration")) {
        assert_eq!(room.followers_min_minutes, n, "following_min_duration");
    }
    let stream = obj.get("livestream").and_then(Json::as_object).filter(|_| room.is_live);
    let Some(stream) = stream else {
        assert!(room.title.is_empty() && room.viewers.is_none() && room.categories.is_empty());
        return;
    };
    if let Some(t) = field::text(stream.get("session_title")) {
        assert_text("session_title", &room.title, room.title.is_truncated(), &t, TITLE);
    }
    if let Some(n) = field::id(stream.get_last_of(&["viewer_count", "viewers"])) {
        assert_eq!(room.viewers, n, "viewer_count");
    }
    let categories = stream.get("categories").and_then(Json::as_array).unwrap_or_default();
    assert_eq!(room.categories.total() as usize, categories.len());
    assert_eq!(room.categories.len(), categories.len().min(CATEGORIES));
}

/// The first message list in body order, as the `parse_chat_history` docs place it.
fn history_list(body: &Json) -> Option<&[Json]> {
    match body {
        Json::Array(items) => Some(items),
        Json::Object(members) => members.iter().find_map(|(k, v)| match k.as_str() {
            "messages" => v.as_array(),
            "data" => v.as_array().or_else(|| match v {
                Json::Object(inner) => inner
                    .iter()
                    .find_map(|(k, v)| (k == "messages").then(|| v.as_array()).flatten()),
                _ => None,
            }),
            _ => None,
        }),
        _ => None,
    }
}

fn check_history(r: &Result<History, ReplyError>, got: &[ChatMessage], json: Option<&Json>) {
    if let Ok(h) = r {
        assert_eq!(h.messages, got.len());
    }
    for m in got {
        assert!(!m.id.is_empty() && !m.sender.username.is_empty());
    }
    let Some(body) = json else { return };
    let Some(list) = history_list(body) else {
        return assert_eq!(
            r,
            &Err(ReplyError::Missing {
                field: "data.messages"
            })
        );
    };
    // Which entries are messages, by the docs; `None` when a text cannot be told.
    let empty = Json::Object(Vec::new());
    let mut kept = Vec::new();
    for entry in list {
        let Some(obj) = entry.as_object() else { continue };
        let sender = obj.get("sender").and_then(Json::as_object).unwrap_or(&empty);
        let (Some(id), Some(user)) = (field::text(obj.get("id")), field::text(sender.get("username")))
        else {
            return;
        };
        if !id.is_empty() && !user.is_empty() {
            kept.push((obj, id, user));
        }
    }
    let Ok(h) = r else {
        panic!("serde_json sees {} messages, we gave {r:?}", kept.len())
    };
    assert_eq!(
        (h.messages, h.skipped),
        (kept.len(), list.len() - kept.len()),
        "history counts"
    );
    for (m, (obj, id, user)) in got.iter().zip(kept) {
        assert_text("id", &m.id, m.id.is_truncated(), &id, ID);
        let u = &m.sender.username;
        assert_text("sender.username", u, u.is_truncated(), &user, USERNAME);
        if let Some(c) = field::text(obj.get("content")) {
            assert_text("content", &m.content, m.content.is_truncated(), &c, MESSAGE);
        }
        if let Some(room) = field::id(obj.get_last_of(&["chatroom_id", "chat_id"])) {
            assert_eq!(m.chatroom_id, room.unwrap_or(0), "chat_id");
        }
    }
}

/// Why an offer is not used, as the `parse_connection` docs describe it.
enum Offer {
    Usable,
    TooLong,
    Unusable,
}

/// One `connections` entry judged by the docs; `None` when a text cannot be told.
fn offer(entry: &Json) -> Option<Offer> {
    let empty = Json::Object(Vec::new());
    let entry = entry.as_object().unwrap_or(&empty);
    let c = entry
        .get("credentials")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let provider = field::text(entry.get("provider"))?;
    let wss_ok = |s: &str| {
        s.strip_prefix("wss://").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !b"\"\\<>".contains(&b))
        })
    };
    let credential_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let host_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:".contains(&b))
    };
    // A provider longer than its capacity is cut, and a cut one names nothing we speak.
    let provider = if provider.len() <= SHORT {
        provider
    } else {
        String::new()
    };
    if provider.eq_ignore_ascii_case("centrifugo") {
        let url = field::text(c.get("url"))?;
        return Some(if url.len() > URL {
            Offer::TooLong
        } else if wss_ok(&url) {
            Offer::Usable
        } else {
            Offer::Unusable
        });
    }
    if provider.eq_ignore_ascii_case("pusher") {
        let key = field::text(c.get_last_of(&["app_key", "key"]))?;
        let cluster = field::text(c.get("cluster"))?;
        let host = field::text(c.get("host"))?;
        if key.len() > ID || cluster.len() > SHORT || host.len() > NAME {
            return Some(Offer::TooLong);
        }
        let cluster = if cluster.is_empty() {
            "us2".to_owned()
        } else {
            cluster
        };
        let ok =
            credential_ok(&key) && credential_ok(&cluster) && (host.is_empty() || host_ok(&host));
        return Some(if ok { Offer::Usable } else { Offer::Unusable });
    }
    Some(Offer::Unusable)
}

/// The first usable offer of a `connections` value and whether a too-long one came before it.
fn offers(list: Option<&Json>) -> Option<(Option<&Json>, bool)> {
    let mut too_long = false;
    for entry in list.and_then(Json::as_array).unwrap_or_default() {
        match offer(entry)? {
            Offer::Usable => return Some((Some(entry), too_long)),
            Offer::TooLong => too_long = true,
            Offer::Unusable => {}
        }
    }
    Some((None, too_long))
}

fn check_endpoint(r: &Result<Endpoint, ReplyError>, json: Option<&Json>) {
    if let Ok(e) = r {
        let mut buf = [0u8; URL];
        let url = e
            .websocket_url(&mut buf)
            .expect("limits::URL bytes always hold the URL");
        assert!(url.starts_with("wss://"), "{url}");
        assert!(url.bytes().all(|b| b.is_ascii_graphic()), "{url}");
        match e {
            Endpoint::Centrifugo { url: u } => {
                assert!(!u.is_truncated());
                assert_eq!(url, u.as_str());
            }
            Endpoint::Pusher {
                app_key,
                cluster,
                host,
            } => {
                assert!(!app_key.is_truncated() && !cluster.is_truncated());
                assert!(!app_key.is_empty() && !cluster.is_empty());
                assert!(
                    host.as_ref()
                        .is_none_or(|h| !h.is_truncated() && !h.is_empty())
                );
            }
            _ => {}
        }
    }
    let Some(body) = json else { return };
    let data = body.get("data").and_then(Json::as_object);
    let (Some((first_data, long_data)), Some((first_top, long_top))) = (
        offers(data.and_then(|d| d.get("connections"))),
        offers(body.get("connections")),
    ) else {
        return;
    };
    let Some(entry) = first_data.or(first_top) else {
        let want = if long_data || long_top {
            ReplyError::TooLong {
                field: "data.connections.credentials",
            }
        } else {
            ReplyError::NoUsableProvider
        };
        assert_eq!(r.as_ref().err(), Some(&want), "{r:?}");
        return;
    };
    let Ok(e) = r else {
        panic!("serde_json sees a usable offer {entry:?}, we gave {r:?}")
    };
    let c = entry.get("credentials");
    let get = |k: &[&str]| field::text(c.and_then(|c| c.get_last_of(k))).unwrap_or_default();
    match e {
        Endpoint::Centrifugo { url } => {
            assert_eq!(url.as_str(), get(&["url"]));
        }
        Endpoint::Pusher {
            app_key,
            cluster,
            host,
        } => {
            assert_eq!(app_key.as_str(), get(&["app_key", "key"]));
            let want = get(&["cluster"]);
            assert_eq!(
                cluster.as_str(),
                if want.is_empty() { "us2" } else { &want }
            );
            let want = get(&["host"]);
            assert_eq!(host.as_ref().map_or("", |h| h.as_str()), want);
        }
        _ => panic!("an endpoint of neither kind: {e:?}"),
    }
}

fn check_token(r: &Result<GuestToken, ReplyError>, json: Option<&Json>) {
    if let Ok(t) = r {
        assert!(!t.token.is_truncated() && t.token.len() <= TOKEN);
        assert!(!t.as_str().trim().is_empty());
    }
    let Some(body) = json else { return };
    let empty = Json::Object(Vec::new());
    let obj = body.as_object().unwrap_or(&empty);
    let data = obj.get("data").and_then(Json::as_object).unwrap_or(&empty);
    // A string in `data.token` wins, whatever the order of the members; else a top-level one
    // (lurkloot); `null` or a non-string is no token. Too long: refused; blank: none.
    let token = data.get("token").and_then(Json::as_str);
    let missing = Err(ReplyError::Missing {
        field: "data.token",
    });
    let Some(token) = token.or(obj.get("token").and_then(Json::as_str)) else {
        assert_eq!(r, &missing);
        return;
    };
    if token.len() > TOKEN {
        assert_eq!(
            r.as_ref().err(),
            Some(&ReplyError::TooLong { field: "token" }),
            "{r:?}"
        );
        return;
    }
    if token.trim().is_empty() {
        assert_eq!(r, &missing);
        return;
    }
    let Ok(t) = r else {
        panic!("serde_json sees token {token:?}, we gave {r:?}")
    };
    assert_eq!(t.as_str(), token);
    // The reply's expiry members, `data` first; the JWT's claims are checked by `jwt`.
    let ttl = |o: &Json| field::count(o.get_last_of(&["ttl", "expires_in"]));
    if let (Some(a), Some(b)) = (ttl(data), ttl(obj))
        && let Some(want) = a.or(b)
    {
        assert_eq!(t.ttl_secs, Some(want), "ttl");
    }
    let at = |o: &Json| field::time(o.get("expires_at"));
    if let (Some(a), Some(b)) = (at(data), at(obj))
        && let Some(want) = a.or(b)
    {
        assert_eq!(t.expires_at, Some(want), "expires_at");
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&[flags, hi, lo], body)) = input.split_first_chunk::<3>() else {
        return;
    };
    let cf = flags & 1 != 0;
    let status = STATUSES
        .get(usize::from((flags >> 1) & 7))
        .copied()
        .unwrap_or(u16::from_be_bytes([hi, lo]));

    let refused = http::is_cloudflare_refusal(status, cf, body);
    assert_eq!(
        refused,
        refusal(status, cf, body),
        "refusal of {status}, cf {cf}"
    );

    let channel = http::parse_channel_info(status, cf, body);
    let room = http::parse_room_info(status, cf, body);
    let mut scratch = ChatMessage::default();
    let mut messages = Vec::new();
    let history = http::parse_chat_history(status, cf, body, &mut scratch, |m| {
        messages.push(m.clone())
    });
    let endpoint = http::parse_connection(status, cf, body);
    let token = http::parse_token(status, cf, body);

    // The lookup: a 404 for a slug with `_` is retried once with `-`.
    let mut lookup = ChannelLookup::new("Kemushi_KZ").expect("a valid slug");
    let first = lookup.on_reply(status, cf, body);
    if channel == Err(ReplyError::NotFound) {
        assert_eq!(first, Ok(Lookup::Retry));
        assert_eq!(lookup.slug(), "kemushi-kz");
        assert_eq!(lookup.on_reply(status, cf, body), Err(ReplyError::NotFound));
    } else {
        assert_eq!(first, channel.clone().map(Lookup::Found));
        assert_eq!(lookup.slug(), "kemushi_kz");
    }

    if let Some(want) = status_error(status, refused) {
        assert_eq!(channel.as_ref().err(), Some(&want));
        assert_eq!(room.as_ref().err(), Some(&want));
        assert_eq!(history.as_ref().err(), Some(&want));
        assert!(messages.is_empty());
        assert_eq!(endpoint.as_ref().err(), Some(&want));
        assert_eq!(token.as_ref().err(), Some(&want));
        return;
    }
    for e in [
        channel.as_ref().err(),
        room.as_ref().err(),
        history.as_ref().err(),
        endpoint.as_ref().err(),
        token.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            !matches!(
                e,
                ReplyError::Cloudflare { .. } | ReplyError::NotFound | ReplyError::Status { .. }
            ),
            "a status error for an answer that is none: {e:?}"
        );
    }

    // serde_json's reading of the body (a byte order mark is allowed before it).
    let json = json::parse(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    check_malformed(&channel, body, json.is_some(), "parse_channel_info");
    check_malformed(&room, body, json.is_some(), "parse_room_info");
    check_malformed(&history, body, json.is_some(), "parse_chat_history");
    check_malformed(&endpoint, body, json.is_some(), "parse_connection");
    check_malformed(&token, body, json.is_some(), "parse_token");
    check_channel(&channel, json.as_ref());
    check_room(&room, &channel, json.as_ref());
    check_history(&history, &messages, json.as_ref());
    check_endpoint(&endpoint, json.as_ref());
    check_token(&token, json.as_ref());
});
