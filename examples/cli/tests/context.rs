//! `kickwire info` and `watch --history` end to end: the real binary against Kick's HTTP
//! endpoints faked on 127.0.0.1 (`KICKWIRE_HTTP_BASE`) and, for the live part, sockudo.

mod common;

use std::time::Duration;

use common::Cli;
use common::fake_kick::{FakeKick, Reply};
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::Value;

/// A live channel reply, written by hand in the shape of the members `parse_room_info` cites
/// (the chatroom object as Kick sends it in `LuckyUsersWhoGotGiftSubscriptionsEvent`).
const LIVE: &str = r#"{"id":2515504,"user_id":2570626,"slug":"kemushi-kz",
 "playback_url":"https://fa723fc1b171.us-west-2.playback.live-video.net/api/video/v1/x.m3u8?token=SECRET-TOKEN",
 "followers_count":12345,
 "livestream":{"id":63110337,"session_title":"hi \u00e9 \/","is_live":true,"viewer_count":321,
   "created_at":"2025-07-17 01:53:20","categories":[{"id":15,"name":"Just Chatting","slug":"just-chatting"}]},
 "user":{"id":2570626,"username":"Kemushi_KZ"},
 "chatroom":{"id":2507974,"chat_mode":"public","slow_mode":true,"message_interval":6,
   "followers_mode":true,"following_min_duration":180,"subscribers_mode":false,"emotes_mode":false}}"#;

const OFFLINE: &str = r#"{"id":17425723,"slug":"some-one","followers_count":98,"livestream":null,
 "user":{"username":"Some_One"},
 "chatroom":{"id":17172694,"chat_mode":"public","slow_mode":false,"message_interval":0,
   "followers_mode":false,"following_min_duration":0,"subscribers_mode":true,"emotes_mode":true}}"#;

/// The reconstructed history reply (three real chat payloads of chatroom 16756136; see
/// `tests/vectors/kick/SOURCES.md`).
const HISTORY: &str =
    include_str!("../../../tests/vectors/kick/reconstructed/chat_history_reply.json");
const CHAT: &str = r##"{"id":"b2af4980-9dfa-4822-960d-0e64704e2ced","chatroom_id":16756136,"content":"more in premiere","type":"message","created_at":"2023-12-24T22:05:00+00:00","sender":{"id":1247649,"username":"tayloredbydrew","slug":"tayloredbydrew","identity":{"color":"#FF9D00","badges":[]}}}"##;
const ROOM: &str = "16756136";
/// A channel id unlike the chatroom id, to see which one the history path takes.
const CHANNEL_ID: &str = "17000001";
const HISTORY_PATH: &str = "/api/v1/chat/17000001/history";
const LIVE_CHANNEL: &str = "chatrooms.16756136.v2";

const LIMIT: Duration = Duration::from_secs(15);

/// Every stdout line until the end, then the exit code and stderr.
fn finish(cli: Cli) -> (Vec<String>, Option<i32>, String) {
    let mut lines = Vec::new();
    while let Some(l) = cli.line(LIMIT) {
        lines.push(l);
    }
    let (code, stderr) = cli.wait(LIMIT);
    (lines, code, stderr)
}

fn info(server: &FakeKick, args: &[&str]) -> (Vec<String>, Option<i32>, String) {
    let base = server.base();
    let mut all = vec!["info"];
    all.extend_from_slice(args);
    finish(Cli::start_env(&all, &[("KICKWIRE_HTTP_BASE", &base)]))
}

#[test]
fn info_prints_a_live_room() {
    let server = FakeKick::start(&[("/api/v2/channels/kemushi-kz", Reply::json(200, LIVE))]);
    // `_` first: Kick's 404 and the `-` retry, as the lookup does it.
    let (lines, code, stderr) = info(&server, &["Kemushi_KZ"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        server.paths(),
        ["/api/v2/channels/kemushi_kz", "/api/v2/channels/kemushi-kz"]
    );
    // Written by hand from LIVE.
    let want = [
        "kemushi-kz (Kemushi_KZ): live",
        "  title           hi é /",
        "  viewers         321",
        "  category        Just Chatting",
        "  started         2025-07-17 01:53:20 UTC",
        "  followers       12345",
        "  chat            public",
        "  slow mode       on, 6 s between messages",
        "  followers-only  on, after 180 min of following",
        "  subs-only       off",
        "  emotes-only     off",
        "  ids             channel 2515504, chatroom 2507974, livestream 63110337",
    ];
    assert_eq!(lines, want, "{stderr}");
    assert!(!stderr.contains("SECRET") && !lines.concat().contains("SECRET"));
}

#[test]
fn info_json_of_an_offline_room() {
    let server = FakeKick::start(&[("/api/v2/channels/some-one", Reply::json(200, OFFLINE))]);
    let (lines, code, stderr) = info(&server, &["some-one", "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(lines.len(), 1, "one object: {lines:?}");
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    // Hand-checked against OFFLINE.
    let want = serde_json::json!({
        "type": "RoomInfo",
        "channelId": 17425723, "chatroomId": 17172694, "livestreamId": null,
        "slug": "some-one", "username": "Some_One", "isLive": false,
        "title": "", "viewers": null, "categories": [], "startedAt": null,
        "followers": 98, "chatMode": "public",
        "slowMode": false, "slowModeInterval": 0,
        "followersOnly": false, "followersMinMinutes": 0,
        "subscribersOnly": true, "emotesOnly": true,
        "categoriesTotal": 0, "titleTruncated": false,
    });
    assert_eq!(v, want);
}

#[test]
fn info_explains_cloudflare_as_watch_does() {
    let server = FakeKick::start(&[("/api/v2/channels/xqc", Reply::cloudflare())]);
    let (lines, code, stderr) = info(&server, &["xqc"]);
    assert!(lines.is_empty(), "{lines:?}");
    let base = server.base();
    let (_, watch_code, watch_err) = finish(Cli::start_env(
        &["watch", "xqc"],
        &[("KICKWIRE_HTTP_BASE", &base)],
    ));
    let refusal = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("kickwire: "))
            .map(str::to_string)
    };
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!((code, refusal(&stderr)), (watch_code, refusal(&watch_err)));
    // The wording itself (proto's `ReplyError::Cloudflare` and the lookup's advice).
    assert!(
        stderr.contains("looking up 'xqc' failed: Cloudflare refused the request (HTTP 403)"),
        "{stderr}"
    );
    assert!(stderr.contains("--chatroom N --channel N"), "{stderr}");
}

#[test]
fn info_by_channel_id_says_what_it_cannot_show() {
    let server = FakeKick::start(&[]);
    let (lines, code, stderr) = info(&server, &["--channel", "668"]);
    assert_eq!(code, Some(1));
    assert!(lines.is_empty(), "{lines:?}");
    assert!(stderr.contains("channel 668"), "{stderr}");
    assert!(stderr.contains("looked up by slug"), "{stderr}");
    assert!(
        server.paths().is_empty(),
        "no request to make: {:?}",
        server.paths()
    );
}

/// The history reply with its messages in reverse order: the CLI sorts them by time.
fn history_reversed() -> String {
    let mut v: Value = serde_json::from_str(HISTORY).unwrap();
    v["data"]["messages"].as_array_mut().unwrap().reverse();
    v.to_string()
}

fn watch_with_history(server: &Sockudo, http: &FakeKick, json: bool) -> Cli {
    let url = format!("ws://127.0.0.1:{}", server.port());
    let base = http.base();
    let mut args = vec![
        "watch",
        "--url",
        &url,
        "--chatroom",
        ROOM,
        "--channel",
        CHANNEL_ID,
        "--history",
        "--max-events",
        "1",
    ];
    if json {
        args.push("--json");
    }
    Cli::start_env(&args, &[("KICKWIRE_HTTP_BASE", &base)])
}

#[test]
fn watch_history_comes_first_marked_then_the_live_events() {
    let http = FakeKick::start(&[(HISTORY_PATH, Reply::json(200, &history_reversed()))]);
    let server = Sockudo::start(Options::default());
    let cli = watch_with_history(&server, &http, false);
    // Hand-checked against the reconstructed reply: oldest first, emotes as :NAME:.
    let want = [
        "[history] [chatrooms.16756136.v2] ChatMessage          CrispyLegs: :OuttaPocket:",
        "[history] [chatrooms.16756136.v2] ChatMessage          TinfoilAlog: :KEKW:",
        "[history] [chatrooms.16756136.v2] ChatMessage          tuqos: back to the plantation",
    ];
    for w in want {
        assert_eq!(cli.line(LIMIT).as_deref(), Some(w));
    }
    let (ok, seen) = cli.err_until(LIMIT, |l| l.contains("subscribed to chatrooms.16756136.v2"));
    assert!(ok, "{seen:?}");
    server
        .trigger(LIVE_CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    assert_eq!(
        cli.line(LIMIT).as_deref(),
        Some("[chatrooms.16756136.v2] ChatMessage          tayloredbydrew: more in premiere")
    );
    let (rest, code, stderr) = finish(cli);
    assert!(rest.is_empty(), "{rest:?}");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("chat history: 3 messages"), "{stderr}");
    assert_eq!(http.paths(), [HISTORY_PATH]);
}

#[test]
fn watch_history_as_json_has_a_history_member() {
    let http = FakeKick::start(&[(HISTORY_PATH, Reply::json(200, HISTORY))]);
    let server = Sockudo::start(Options::default());
    let cli = watch_with_history(&server, &http, true);
    let (ok, lines) = cli.until(LIMIT, |v| v["type"] == "Subscribed");
    assert!(ok, "{lines:?}");
    let history: Vec<&Value> = lines.iter().filter(|v| v["history"] == true).collect();
    assert_eq!(history.len(), 3, "{lines:?}");
    // First, before any lifecycle event; the live event's fields otherwise.
    assert!(lines[..3].iter().all(|v| v["history"] == true), "{lines:?}");
    assert_eq!(lines[0]["type"], "ChatMessage");
    assert_eq!(lines[0]["channel"], LIVE_CHANNEL);
    assert_eq!(lines[0]["id"], "6aabe870-4aaa-4127-89fa-23e05ba6bdb4");
    assert_eq!(lines[0]["chatroom_id"], 16756136);
    assert_eq!(lines[2]["content"], "back to the plantation");
    server
        .trigger(LIVE_CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    let (ok, live) = cli.until(LIMIT, |v| v["type"] == "ChatMessage");
    assert!(ok, "{live:?}");
    let last = live.last().unwrap();
    assert_eq!(last["content"], "more in premiere");
    assert!(last.get("history").is_none(), "{last}");
    let (_, code, stderr) = finish(cli);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_refused_history_is_reported_and_the_watch_goes_on() {
    let http = FakeKick::start(&[(HISTORY_PATH, Reply::cloudflare())]);
    let server = Sockudo::start(Options::default());
    let cli = watch_with_history(&server, &http, true);
    let (ok, lines) = cli.until(LIMIT, |v| v["type"] == "Subscribed");
    assert!(ok, "{lines:?}");
    assert_eq!(lines[0]["type"], "Error", "{lines:?}");
    assert_eq!(lines[0]["source"], "history");
    let message = lines[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Cloudflare refused the request (HTTP 403)"),
        "{message}"
    );
    server
        .trigger(LIVE_CHANNEL, "App\\Events\\ChatMessageEvent", CHAT)
        .unwrap();
    assert!(cli.until(LIMIT, |v| v["type"] == "ChatMessage").0);
    let (_, code, stderr) = finish(cli);
    assert_eq!(code, Some(0), "{stderr}");
}
