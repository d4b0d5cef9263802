//! Kick's webhook deliveries (`Alerts::handle_official`) beside the realtime feed: each
//! family's real realtime frame (`tests/vectors/kick/`) and a webhook body written by hand in
//! the shape Kick's developer docs give ("Webhook Payloads", version 1), naming the same
//! happening. Expected alerts are read off the frames by hand. Every realtime frame goes
//! through both adapters (typed and JSON).

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use super::super::*;
use super::{PATHS, Path, drain, feed, first_words, gift, line, micke747, sub, text};
use crate::limits::{ALERT_COPY_WINDOW_MS, ALERT_PAIR_WINDOW_MS};

/// Three minutes: a webhook delivery late as field reports say they come, and beyond the
/// realtime content keys' window.
const LATE: u64 = 180_000;

/// One input: a realtime frame, or a webhook delivery (type, body).
#[derive(Clone, Copy)]
enum In<'a> {
    Rt(&'a str),
    Wh(&'a str, &'a str),
}

/// The alerts of `steps` (each at its time), realtime frames fed by `path`, then finished.
fn run(path: Path, steps: &[(u64, In<'_>)]) -> (Vec<Alert>, Stats) {
    let mut m = Alerts::new();
    let mut out = Vec::new();
    for &(ms, input) in steps {
        match input {
            In::Rt(frame) => feed(&mut m, path, ms, frame),
            In::Wh(kind, body) => m
                .handle_official(Instant::from_millis(ms), kind, body.as_bytes())
                .unwrap(),
        }
        out.extend(drain(&mut m));
    }
    m.finish(Instant::from_millis(u64::MAX));
    out.extend(drain(&mut m));
    (out, m.stats())
}

/// A user object as the webhook payloads write one.
fn user(id: u64, name: &str) -> String {
    format!(
        r#"{{"is_anonymous":false,"user_id":{id},"username":"{name}","is_verified":false,"profile_picture":"https://example.com/a.jpg","channel_slug":"{}","identity":null}}"#,
        name.to_lowercase()
    )
}

fn broadcaster() -> String {
    user(127_229_430, "the_broadcaster")
}

/// The realtime frames, then the webhook `LATE`; the webhook, then the realtime frames `LATE`:
/// each order, on each path, is `expected` and nothing else, the copy counted.
fn one_either_way(realtime: &[String], kind: &str, body: &str, expected: &Alert) {
    for path in PATHS {
        let rt = |at: u64| {
            realtime
                .iter()
                .enumerate()
                .map(move |(i, f)| (at + i as u64 * 30, In::Rt(f.as_str())))
        };
        let first: Vec<_> = rt(0).chain([(LATE, In::Wh(kind, body))]).collect();
        let second: Vec<_> = [(0, In::Wh(kind, body))]
            .into_iter()
            .chain(rt(LATE))
            .collect();
        for (order, steps) in [("realtime first", first), ("webhook first", second)] {
            let (alerts, stats) = run(path, &steps);
            assert_eq!(
                alerts,
                core::slice::from_ref(expected),
                "{kind} {path:?} {order}"
            );
            assert!(stats.duplicates >= 1, "{kind} {path:?} {order}: {stats:?}");
        }
    }
}

fn sub_body(name: &str, months: u32, kind: &str) -> (String, String) {
    let body = format!(
        r#"{{"broadcaster":{},"subscriber":{},"duration":{months},"created_at":"2026-09-27T16:12:00Z","expires_at":"2026-10-27T16:12:00Z"}}"#,
        broadcaster(),
        user(5_000_001, name)
    );
    (kind.to_string(), body)
}

// Subs: micke747's real sub (five realtime events) and the webhook renewal naming him with
// `duration` 38 (the realtime months): one Subscription, in either order, three minutes apart.
#[test]
fn a_sub_on_both_ways_is_one_subscription() {
    let (kind, body) = sub_body("micke747", 38, "channel.subscription.renewal");
    one_either_way(&micke747(), &kind, &body, &sub("micke747", Some(38)));
    // Kick's names are case-insensitive: the webhook's spelling does not make a second sub.
    let (kind, body) = sub_body("Micke747", 38, "channel.subscription.renewal");
    let (alerts, _) = run(
        Path::Json,
        &[(0, In::Rt(&micke747()[0])), (LATE, In::Wh(&kind, &body))],
    );
    assert_eq!(alerts, [sub("micke747", Some(38))]);
}

// Two subs, one on each way: two alerts; a new sub only on the webhook is told.
#[test]
fn different_subs_are_different_alerts() {
    let (kind, body) = sub_body("feepsyy", 1, "channel.subscription.new");
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[(0, In::Rt(&micke747()[0])), (LATE, In::Wh(&kind, &body))],
        );
        assert_eq!(
            alerts,
            [sub("micke747", Some(38)), sub("feepsyy", Some(1))],
            "{path:?}"
        );
    }
}

// The window is long, not endless: a webhook copy past `ALERT_PAIR_WINDOW_MS` is a new alert
// (and the pair window is what catches the late copy: it is longer than the content keys').
#[test]
fn a_copy_past_the_pair_window_is_a_second_alert() {
    const { assert!(LATE > ALERT_COPY_WINDOW_MS && LATE < ALERT_PAIR_WINDOW_MS) };
    let (kind, body) = sub_body("micke747", 38, "channel.subscription.renewal");
    let (alerts, _) = run(
        Path::Typed,
        &[
            (0, In::Rt(&micke747()[0])),
            (ALERT_PAIR_WINDOW_MS, In::Wh(&kind, &body)),
        ],
    );
    assert_eq!(
        alerts,
        [sub("micke747", Some(38)), sub("micke747", Some(38))]
    );
}

fn kicks_body(sender: &str, name: &str, amount: u64, message: &str) -> String {
    format!(
        r#"{{"broadcaster":{},"sender":{},"gift":{{"amount":{amount},"name":"{name}","type":"BASIC","tier":"BASIC","message":"{message}","pinned_time_seconds":0}},"created_at":"2026-01-15T14:04:20.682Z"}}"#,
        broadcaster(),
        user(73_126_093, sender)
    )
}

fn kicks(sender: &str, gift: &str, amount: u64) -> Alert {
    Alert::KicksGift(KicksGift {
        sender: text(sender),
        gift: text(gift),
        amount,
        message: text(""),
    })
}

// Kicks: BestSlime's real Full Send (100 Kicks, `KicksGifted.jsonl`:2) and its webhook.
#[test]
fn a_kicks_gift_on_both_ways_is_one_alert() {
    let body = kicks_body("BestSlime", "Full Send", 100, "");
    let rt = [line("KicksGifted.jsonl", 2)];
    one_either_way(
        &rt,
        "kicks.gifted",
        &body,
        &kicks("BestSlime", "Full Send", 100),
    );
}

// Two equal gifts (the real one and the same with another transaction id, as a viewer sending
// Full Send twice): each webhook takes one realtime gift's place, and a third webhook, with no
// realtime gift left to match, is a third gift. A webhook copy never swallows a second gift.
#[test]
fn equal_kicks_gifts_are_matched_one_to_one() {
    let a = line("KicksGifted.jsonl", 2);
    let b = a.replace(
        "f033ae95-86d9-4ce8-97c9-2a6969e973d0",
        "f033ae95-86d9-4ce8-97c9-2a6969e973d1",
    );
    assert_ne!(a, b);
    let body = kicks_body("BestSlime", "Full Send", 100, "");
    let wh = In::Wh("kicks.gifted", &body);
    let gift = kicks("BestSlime", "Full Send", 100);
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, In::Rt(&a)),
                (10, In::Rt(&b)),
                (LATE, wh),
                (LATE + 5, wh),
            ],
        );
        assert_eq!(alerts, [gift.clone(), gift.clone()], "{path:?}");
        let (alerts, _) = run(
            path,
            &[
                (0, In::Rt(&a)),
                (LATE, wh),
                (LATE + 5, wh),
                (LATE + 9, In::Rt(&b)),
            ],
        );
        assert_eq!(alerts, [gift.clone(), gift.clone()], "{path:?} interleaved");
        let (alerts, _) = run(path, &[(0, In::Rt(&a)), (LATE, wh), (LATE + 5, wh)]);
        assert_eq!(
            alerts,
            [gift.clone(), gift.clone()],
            "{path:?} webhook only"
        );
    }
}

// Gifted subs: Kl_Vava's real gift of one sub to ebii03 (`GiftedSubscriptionsEvent.jsonl`:3,
// with a correlation id the webhook lacks) and the webhook naming the same gifter and giftee.
#[test]
fn a_gift_on_both_ways_is_one_alert() {
    let body = format!(
        r#"{{"broadcaster":{},"gifter":{},"giftees":[{}],"created_at":"2026-09-27T16:12:00Z","expires_at":"2026-10-27T16:12:00Z"}}"#,
        broadcaster(),
        user(1, "Kl_Vava"),
        user(2, "ebii03")
    );
    let expected = gift("Kl_Vava", &["ebii03"], 1, 1, true);
    let rt = [line("GiftedSubscriptionsEvent.jsonl", 3)];
    one_either_way(&rt, "channel.subscription.gifts", &body, &expected);
}

// A webhook gift of ten: the first `ALERT_RECIPIENTS` named, the count exact; a gift by the
// same gifter of another size is another gift.
#[test]
fn a_webhook_gift_keeps_its_count() {
    let giftees: Vec<String> = (0..10).map(|i| user(i, &format!("g{i}"))).collect();
    let body = format!(
        r#"{{"broadcaster":{},"gifter":{},"giftees":[{}]}}"#,
        broadcaster(),
        user(1, "Kl_Vava"),
        giftees.join(",")
    );
    let (alerts, _) = run(
        Path::Json,
        &[
            (0, In::Rt(&line("GiftedSubscriptionsEvent.jsonl", 3))),
            (LATE, In::Wh("channel.subscription.gifts", &body)),
        ],
    );
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    let Alert::GiftedSubscriptions(g) = &alerts[1] else {
        panic!("{alerts:?}")
    };
    assert_eq!(
        (g.gifter.as_str(), g.count, g.recipients.len()),
        ("Kl_Vava", 10, 8)
    );
    assert_eq!(g.recipients.iter().next().map(|n| n.as_str()), Some("g0"));
}

fn ban_body(name: &str, expires: Option<&str>) -> String {
    let expires = expires.map_or("null".to_string(), |e| format!("\"{e}\""));
    format!(
        r#"{{"broadcaster":{},"moderator":{},"banned_user":{},"metadata":{{"reason":"spam","created_at":"2026-09-27T16:12:31Z","expires_at":{expires}}}}}"#,
        broadcaster(),
        user(0, "BotRix"),
        user(109_550_867, name)
    )
}

// Bans: rittikj's real one-minute timeout by BotRix (`UserBannedEvent.jsonl`:3) and the webhook
// with `created_at` one minute before `expires_at`; a permanent ban (`expires_at` null) of the
// same user is another happening.
#[test]
fn a_ban_on_both_ways_is_one_alert() {
    let timeout = Alert::Ban(Ban {
        username: text("rittikj"),
        by: text("BotRix"),
        permanent: false,
        duration: Some(1),
    });
    let rt = [line("UserBannedEvent.jsonl", 3)];
    let body = ban_body("rittikj", Some("2026-09-27T16:13:31Z"));
    one_either_way(&rt, "moderation.banned", &body, &timeout);
    let ban = ban_body("rittikj", None);
    let (alerts, _) = run(
        Path::Typed,
        &[
            (0, In::Rt(&rt[0])),
            (LATE, In::Wh("moderation.banned", &ban)),
        ],
    );
    let permanent = Alert::Ban(Ban {
        username: text("rittikj"),
        by: text("BotRix"),
        permanent: true,
        duration: None,
    });
    assert_eq!(alerts, [timeout, permanent]);
}

fn reward_body(id: &str, status: &str) -> String {
    format!(
        r#"{{"id":"{id}","user_input":"","status":"{status}","redeemed_at":"2026-09-27T16:12:00.000Z","reward":{{"id":"01KBHE7RZNHB0SKDV1H86CD4F3","title":"Hydrate","cost":100,"description":"drink"}},"redeemer":{{"user_id":124892074,"username":"shaktisinhrajput","is_verified":false,"profile_picture":"","channel_slug":"shaktisinhrajput"}},"broadcaster":{{"user_id":127229430,"username":"b","is_verified":true,"profile_picture":"","channel_slug":"b"}}}}"#
    )
}

// Rewards: shaktisinhrajput's real Hydrate (`RewardRedeemedEvent.jsonl`:2) and the webhook. A
// redemption's status updates (pending, then accepted) are one redemption; another redemption
// id with the same content, with no realtime event left to match, is a second.
#[test]
fn a_reward_on_both_ways_is_one_alert() {
    let hydrate = Alert::Reward(Reward {
        username: text("shaktisinhrajput"),
        title: text("Hydrate"),
        input: text(""),
    });
    let rt = [line("RewardRedeemedEvent.jsonl", 2)];
    let pending = reward_body("01KBHE78QE4HZY1617DK5FC7YD", "pending");
    one_either_way(&rt, "channel.reward.redemption.updated", &pending, &hydrate);
    let accepted = reward_body("01KBHE78QE4HZY1617DK5FC7YD", "accepted");
    let again = reward_body("01KBHE78QE4HZY1617DK5FC7YE", "pending");
    let kind = "channel.reward.redemption.updated";
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, In::Rt(&rt[0])),
                (LATE, In::Wh(kind, &pending)),
                (LATE + 60_000, In::Wh(kind, &accepted)),
                (LATE + 70_000, In::Wh(kind, &again)),
            ],
        );
        assert_eq!(alerts, [hydrate.clone(), hydrate.clone()], "{path:?}");
    }
}

fn status_body(live: bool, title: &str) -> String {
    let ended = if live {
        "null"
    } else {
        "\"2025-09-16T01:12:45Z\""
    };
    format!(
        r#"{{"broadcaster":{},"is_live":{live},"title":"{title}","started_at":"2025-09-15T21:12:45Z","ended_at":{ended}}}"#,
        broadcaster()
    )
}

// Live and end: the real `StreamerIsLive` (reconstructed/`StreamerIsLive.jsonl`:1) and a real
// `StopStreamBroadcast`, each with its webhook (`livestream.status.updated`). The late webhook
// copy of the go-live does not make OhLookItsMax's next message a first again.
#[test]
fn live_and_end_on_both_ways_and_first_words() {
    let live = line("reconstructed/StreamerIsLive.jsonl", 1);
    let title = "\u{1f44f}LIVE\u{1f44f}CLICK\u{1f44f}DRAMA\u{1f44f}NEWS\u{1f44f}STUFF\u{1f44f}VIDEOS\u{1f44f}IDK\u{1f44f}BLAH BLAH\u{1f44f}LOCK IN\u{1f44f}";
    let expected = Alert::Live(Live { title: text(title) });
    let kind = "livestream.status.updated";
    one_either_way(
        core::slice::from_ref(&live),
        kind,
        &status_body(true, title),
        &expected,
    );
    let end = line("StopStreamBroadcast.jsonl", 1);
    one_either_way(&[end], kind, &status_body(false, title), &Alert::End);

    let a = line("ChatMessageEvent.jsonl", 2);
    let b = line("ChatMessageEvent.jsonl", 3);
    let on = status_body(true, title);
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, In::Rt(&live)),
                (1, In::Rt(&a)),
                (LATE, In::Wh(kind, &on)),
                (LATE + 1, In::Rt(&b)),
            ],
        );
        let firsts = first_words(&alerts);
        assert_eq!(firsts, [None, Some(true), Some(false)], "{path:?}");
    }
}

// Chat: the webhook's `message_id` is the message's id, as the realtime `ChatMessageEvent`'s
// `id`: OhLookItsMax's real message (`ChatMessageEvent.jsonl`:2) and its webhook are one line.
#[test]
fn a_chat_message_on_both_ways_is_one_line() {
    let rt = [line("ChatMessageEvent.jsonl", 2)];
    let body = format!(
        r#"{{"message_id":"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932","broadcaster":{},"sender":{},"content":"[emote:3989851:litneyspears4Max]on my way to show you love","emotes":[{{"emote_id":"3989851","positions":[{{"s":0,"e":32}}]}}],"created_at":"2025-07-17T08:44:56Z"}}"#,
        broadcaster(),
        user(3_528_468, "OhLookItsMax")
    );
    let expected = Alert::Chat(Chat {
        id: text("bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"),
        username: text("OhLookItsMax"),
        content: text("[emote:3989851:litneyspears4Max]on my way to show you love"),
        first_words: true,
    });
    one_either_way(&rt, "chat.message.sent", &body, &expected);
}

fn follow_body(name: &str) -> String {
    format!(
        r#"{{"broadcaster":{},"follower":{}}}"#,
        broadcaster(),
        user(987_654_321, name)
    )
}

fn follow(name: &str) -> Alert {
    Alert::Follow(Follow {
        username: text(name),
    })
}

// Follows (webhooks only): one alert; a follow again within `ALERT_COPY_WINDOW_MS` (unfollow,
// follow) is the same; another follower is another alert; after the window, a new follow.
#[test]
fn a_follow_is_one_follow_alert() {
    let kind = "channel.followed";
    let (ann, bob) = (follow_body("ann"), follow_body("bob"));
    let (alerts, stats) = run(
        Path::Json,
        &[
            (0, In::Wh(kind, &ann)),
            (60_000, In::Wh(kind, &ann)),
            (60_001, In::Wh(kind, &bob)),
            (ALERT_COPY_WINDOW_MS + 1, In::Wh(kind, &ann)),
        ],
    );
    assert_eq!(alerts, [follow("ann"), follow("bob"), follow("ann")]);
    assert_eq!(stats.duplicates, 1);
}

// A body that is not JSON, or not an object, is an error, counted; the machine goes on. A
// type that makes no alert (`livestream.metadata.updated`, or one unknown) is accepted.
#[test]
fn a_malformed_body_is_an_error_and_the_machine_goes_on() {
    let mut m = Alerts::new();
    let t = Instant::from_millis(0);
    let cut = r#"{"broadcaster":{"user_id":1},"subscriber":{"username":"a""#;
    assert!(matches!(
        m.handle_official(t, "channel.subscription.new", cut.as_bytes()),
        Err(DecodeError::Syntax { .. })
    ));
    assert_eq!(
        m.handle_official(t, "kicks.gifted", b"[1,2]"),
        Err(DecodeError::PayloadNotAnObject)
    );
    assert_eq!(m.stats().unreadable, 2);
    let metadata = format!(
        r#"{{"broadcaster":{},"metadata":{{"title":"t","language":"en","has_mature_content":false,"category":{{"id":1,"name":"c","thumbnail":"x"}}}}}}"#,
        broadcaster()
    );
    m.handle_official(t, "livestream.metadata.updated", metadata.as_bytes())
        .unwrap();
    m.handle_official(t, "channel.unknown.thing", b"{}")
        .unwrap();
    assert_eq!(m.poll_alert(), None);
    let (kind, body) = sub_body("micke747", 38, "channel.subscription.new");
    m.handle_official(t, &kind, body.as_bytes()).unwrap();
    assert_eq!(m.poll_alert(), Some(sub("micke747", Some(38))));
    assert_eq!(m.stats().unreadable, 2);
}
