//! The machine against Kick's real frames (`tests/vectors/kick/`): each family's rule next to
//! the vectors that show Kick's copies of it. Expected values are read off the frames by hand.
//!
//! Every test feeds its frames through both adapters (typed events and JSON events) and
//! expects the same alerts from each.

use std::string::{String, ToString};
use std::vec::Vec;

mod official;

use super::*;
use crate::limits::{ALERT_COPY_WINDOW_MS, ALERT_GIFT_WINDOW_MS, MAX_PAYLOAD};
use crate::{Message, decode, json_events};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/kick/");

/// Line `n` (from 1) of a vector file.
fn line(file: &str, n: usize) -> String {
    let text = std::fs::read_to_string(std::format!("{VECTORS}{file}")).unwrap();
    text.lines().nth(n - 1).unwrap().to_string()
}

/// The two ways in.
#[derive(Clone, Copy, Debug)]
enum Path {
    Typed,
    Json,
}

const PATHS: [Path; 2] = [Path::Typed, Path::Json];

/// Feeds every Kick event of `frame` at `ms`.
fn feed<const A: usize, const C: usize, const K: usize, const G: usize, const U: usize>(
    m: &mut Alerts<A, C, K, G, U>,
    path: Path,
    ms: u64,
    frame: &str,
) {
    let now = Instant::from_millis(ms);
    match path {
        Path::Typed => {
            let mut scratch = std::vec![0u8; MAX_PAYLOAD];
            for message in decode(frame.as_bytes(), &mut scratch) {
                if let Ok(Message::Kick { event, .. }) = message {
                    m.handle_event(now, &event);
                }
            }
        }
        Path::Json => {
            let mut bytes = frame.as_bytes().to_vec();
            let mut events = json_events(&mut bytes);
            while let Some(event) = events.next() {
                if let Ok(event) = event {
                    let _ = m.handle_json(now, &event);
                }
            }
        }
    }
}

fn drain<const A: usize, const C: usize, const K: usize, const G: usize, const U: usize>(
    m: &mut Alerts<A, C, K, G, U>,
) -> Vec<Alert> {
    core::iter::from_fn(|| m.poll_alert()).collect()
}

/// The alerts of `frames`, fed at the given times to a fresh default machine, then finished.
fn run(path: Path, frames: &[(u64, &str)]) -> (Vec<Alert>, Stats) {
    let mut m = Alerts::new();
    let mut out = Vec::new();
    for (ms, frame) in frames {
        feed(&mut m, path, *ms, frame);
        out.extend(drain(&mut m));
    }
    m.finish(Instant::from_millis(u64::MAX));
    out.extend(drain(&mut m));
    (out, m.stats())
}

fn text<const N: usize>(s: &str) -> crate::Text<N> {
    crate::Text::from_str_truncating(s)
}

fn sub(username: &str, months: Option<u32>) -> Alert {
    Alert::Subscription(Subscription {
        username: text(username),
        months,
    })
}

fn host(name: &str, viewers: u64) -> Alert {
    Alert::Host(Host {
        host: text(name),
        viewers: Some(viewers),
        message: None,
    })
}

/// The five events of one real sub: micke747's 38th month on channel 4599 (chatroom 4598),
/// captured on 2026-09-27 (GiftDeck's samples, in `SOURCES.md`).
fn micke747() -> [String; 5] {
    [
        line("SubscriptionEvent.jsonl", 3),
        line("ChannelSubscriptionEvent.jsonl", 4),
        line("NewSubscriberUpdatedEvent.jsonl", 1),
        line("NewActivityFeedEvent.jsonl", 1),
        line("ChatMessageSentEvent.jsonl", 2),
    ]
}

// Subs: `SubscriptionEvent` and the info line (`ChatMessageSentEvent`, action `subscribe`)
// carry the months and make the alert, keyed by the subscriber's name; the channel-side
// `ChannelSubscriptionEvent`, `NewSubscriberUpdatedEvent` and `NewActivityFeedEvent` carry no
// months and are copies.
#[test]
fn a_subs_five_events_are_one_subscription() {
    let frames = micke747();
    for path in PATHS {
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 2, 3, 4, 0]] {
            let fed: Vec<(u64, &str)> = order
                .iter()
                .enumerate()
                .map(|(i, &f)| (i as u64 * 30, frames[f].as_str()))
                .collect();
            let (alerts, stats) = run(path, &fed);
            assert_eq!(alerts, [sub("micke747", Some(38))], "{path:?} {order:?}");
            assert_eq!(
                (stats.copies, stats.duplicates),
                (3, 1),
                "{path:?} {order:?}"
            );
        }
    }
}

#[test]
fn subs_of_different_users_are_different_alerts() {
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, &line("SubscriptionEvent.jsonl", 1)),
                (0, &line("SubscriptionEvent.jsonl", 2)),
                (0, &line("SubscriptionEvent.jsonl", 3)),
            ],
        );
        assert_eq!(
            alerts,
            [
                sub("feepsyy", Some(2)),
                sub("The_D0ctor", Some(1)),
                sub("micke747", Some(38))
            ]
        );
    }
}

// Windows: a content key catches copies for `ALERT_COPY_WINDOW_MS`; the same sub later is a
// new happening (a renewal the next month).
#[test]
fn a_second_sub_after_the_window_is_an_alert() {
    let frame = line("SubscriptionEvent.jsonl", 3);
    let month = 30 * 24 * 3_600_000;
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, &frame),
                (ALERT_COPY_WINDOW_MS - 1, &frame),
                (month, &frame),
            ],
        );
        assert_eq!(alerts.len(), 2, "{path:?}");
        let (alerts, _) = run(path, &[(0, &frame), (ALERT_COPY_WINDOW_MS, &frame)]);
        assert_eq!(alerts.len(), 2, "{path:?}");
    }
}

// Hosts: `StreamHostEvent` (chatroom side) and `StreamHostedEvent` (the other channel name),
// keyed by the host's name and viewers. The vectors' reconstructed pairs (BrandonDLive with 30
// viewers, Dapt with 40, collected on 2025-09-16) are two hosts.
#[test]
fn a_hosts_two_events_are_one_host() {
    let frames = [
        line("reconstructed/StreamHostEvent.jsonl", 1),
        line("reconstructed/StreamHostedEvent.jsonl", 1),
        line("reconstructed/StreamHostedEvent.jsonl", 2),
        line("reconstructed/StreamHostEvent.jsonl", 2),
    ];
    for path in PATHS {
        let fed: Vec<(u64, &str)> = frames.iter().map(|f| (5, f.as_str())).collect();
        let (alerts, stats) = run(path, &fed);
        assert_eq!(
            alerts,
            [host("BrandonDLive", 30), host("Dapt", 40)],
            "{path:?}"
        );
        assert_eq!(stats.duplicates, 2);
    }
}

/// A chunk of one gift, composed from the real `GiftedSubscriptionsEvent.jsonl`:3 (Kl_Vava's
/// gift to ebii03, correlation id 700002820790407, 2026-09-27): its recipients, `gifted_total`
/// and `chunk_details` replaced; the rest (envelope, correlation id, gifter) as captured.
/// Kick's captures hold only whole gifts (`chunk_details: null`); `SOURCES.md` says so.
fn chunk(names: &[&str], total: u32, details: Option<(u32, u32)>) -> String {
    let real = line("GiftedSubscriptionsEvent.jsonl", 3);
    let names: Vec<String> = names.iter().map(|n| std::format!("\\\"{n}\\\"")).collect();
    let details = details.map_or("null".to_string(), |(i, n)| {
        std::format!("{{\\\"chunk_index\\\":{i},\\\"total_chunks\\\":{n}}}")
    });
    let composed = real
        .replace(r#"[\"ebii03\"]"#, &std::format!("[{}]", names.join(",")))
        .replace(
            r#"\"gifted_total\":1"#,
            &std::format!("\\\"gifted_total\\\":{total}"),
        )
        .replace(
            r#"\"chunk_details\":null"#,
            &std::format!("\\\"chunk_details\\\":{details}"),
        );
    assert_ne!(composed, real);
    composed
}

fn gift(gifter: &str, names: &[&str], count: u32, chunks: u32, complete: bool) -> Alert {
    let mut recipients = crate::List::default();
    for n in names {
        *recipients.next_slot().unwrap() = text(n);
    }
    recipients.count_more(count - names.len() as u32);
    Alert::GiftedSubscriptions(GiftedSubscriptions {
        gifter: text(gifter),
        count,
        recipients,
        chunks,
        complete,
    })
}

fn three_chunks() -> [String; 3] {
    [
        chunk(&["ebii03", "giftee01"], 5, Some((0, 3))),
        chunk(&["giftee02", "giftee03"], 5, Some((1, 3))),
        chunk(&["giftee04"], 5, Some((2, 3))),
    ]
}

// Gifts: chunks sharing a `correlation_id` are joined, in any order, and told when all are in
// (`gifted_total` reached); a chunk sent again on another channel name is not counted twice.
#[test]
fn a_gifts_chunks_are_one_alert_in_any_order() {
    let c = three_chunks();
    for path in PATHS {
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            let mut m = Alerts::new();
            for (i, &k) in order.iter().enumerate() {
                assert!(drain(&mut m).is_empty());
                let again = c[k].replace("chatroom_23580962", "chatrooms.23580962.v2");
                feed(&mut m, path, i as u64 * 100, &c[k]);
                feed(&mut m, path, i as u64 * 100 + 1, &again);
            }
            let alerts = drain(&mut m);
            assert_eq!(alerts.len(), 1, "{path:?} {order:?}");
            let Alert::GiftedSubscriptions(g) = &alerts[0] else {
                panic!("{alerts:?}")
            };
            assert_eq!((g.count, g.chunks, g.complete), (5, 3, true));
            assert_eq!(g.gifter, "Kl_Vava");
            let mut names: Vec<&str> = g.recipients.iter().map(|r| r.as_str()).collect();
            names.sort_unstable();
            assert_eq!(
                names,
                ["ebii03", "giftee01", "giftee02", "giftee03", "giftee04"]
            );
            assert_eq!(m.pending_gifts(), 0);
            assert_eq!(m.poll_timeout(), None);
            // The copies of the first two chunks joined nothing; the last one's came after the
            // gift was told.
            let stats = m.stats();
            assert_eq!((stats.duplicates, stats.chunks_dropped), (2, 1));
        }
    }
}

// A chunk that never comes: the gift is told `ALERT_GIFT_WINDOW_MS` after the last chunk came,
// with what came, marked incomplete; a late chunk then is not a second gift.
#[test]
fn a_missing_chunk_is_waited_for_two_seconds() {
    let c = three_chunks();
    for path in PATHS {
        let mut m = Alerts::new();
        feed(&mut m, path, 1_000, &c[0]);
        feed(&mut m, path, 1_500, &c[2]);
        assert!(drain(&mut m).is_empty());
        let due = 1_500 + ALERT_GIFT_WINDOW_MS;
        assert_eq!(m.poll_timeout(), Some(Instant::from_millis(due)));
        m.handle_timeout(Instant::from_millis(due - 1));
        assert!(drain(&mut m).is_empty());
        m.handle_timeout(Instant::from_millis(due));
        assert_eq!(
            drain(&mut m),
            [gift(
                "Kl_Vava",
                &["ebii03", "giftee01", "giftee04"],
                3,
                2,
                false
            )]
        );
        assert_eq!(m.poll_timeout(), None);
        feed(&mut m, path, due + 10, &c[1]);
        assert!(drain(&mut m).is_empty());
        assert_eq!(m.stats().chunks_dropped, 1);
    }
}

// The end of a replay tells what is waiting; so does any event after the wait ended.
#[test]
fn finish_and_later_events_tell_waiting_gifts() {
    let c = three_chunks();
    let sub3 = line("SubscriptionEvent.jsonl", 3);
    for path in PATHS {
        let mut m = Alerts::new();
        feed(&mut m, path, 0, &c[0]);
        m.finish(Instant::from_millis(1));
        assert_eq!(
            drain(&mut m),
            [gift("Kl_Vava", &["ebii03", "giftee01"], 2, 1, false)]
        );
        let mut m = Alerts::new();
        feed(&mut m, path, 0, &c[0]);
        feed(&mut m, path, 5_000, &sub3);
        assert_eq!(
            drain(&mut m),
            [
                gift("Kl_Vava", &["ebii03", "giftee01"], 2, 1, false),
                sub("micke747", Some(38))
            ]
        );
    }
}

// The real new-shape gift (a correlation id, `gifted_total` 1, no chunk details) is whole at
// once; the old-shape gifts (2024, 2025: no correlation id) are one alert each, and the same
// gift on a second channel name is one. The gift's lucky-users list
// (`LuckyUsersWhoGotGiftSubscriptionsEvent`:1 is court's gift to bigboss_23, as
// `GiftedSubscriptionsEvent`:1) and info line (`ChatMessageSentEvent`:1) are copies.
#[test]
fn whole_gifts_and_their_copies() {
    let old = line("GiftedSubscriptionsEvent.jsonl", 1);
    let old_again = old.replace("chatrooms.2507974.v2", "chatroom_2507974");
    for path in PATHS {
        let (alerts, stats) = run(
            path,
            &[
                (0, &line("GiftedSubscriptionsEvent.jsonl", 3)),
                (0, &old),
                (1, &line("LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl", 1)),
                (2, &old_again),
                (3, &line("GiftedSubscriptionsEvent.jsonl", 2)),
                (4, &line("ChatMessageSentEvent.jsonl", 1)),
            ],
        );
        assert_eq!(
            alerts,
            [
                gift("Kl_Vava", &["ebii03"], 1, 1, true),
                gift("court", &["bigboss_23"], 1, 1, true),
                gift("F1Aa", &["rawze"], 1, 1, true),
            ],
            "{path:?}"
        );
        assert_eq!((stats.copies, stats.duplicates), (2, 1));
    }
}

// A big gift's recipients beyond `ALERT_RECIPIENTS` are counted, not named.
#[test]
fn a_big_gift_keeps_its_exact_count() {
    let names: Vec<String> = (1..=50).map(|i| std::format!("giftee{i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let c = [
        chunk(&names[..30], 50, Some((1, 2))),
        chunk(&names[30..], 50, Some((2, 2))),
    ];
    for path in PATHS {
        let (alerts, _) = run(path, &[(0, &c[0]), (1, &c[1])]);
        assert_eq!(
            alerts,
            [gift("Kl_Vava", &names[..8], 50, 2, true)],
            "{path:?}"
        );
    }
}

fn chat(path: Path, frames: &[(u64, &str)]) -> Vec<(String, String, bool)> {
    run(path, frames)
        .0
        .into_iter()
        .map(|a| match a {
            Alert::Chat(c) => (c.id.to_string(), c.username.to_string(), c.first_words),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// Each alert's first-words mark: `None` for an alert that is not a chat line.
fn first_words(alerts: &[Alert]) -> Vec<Option<bool>> {
    alerts
        .iter()
        .map(|a| match a {
            Alert::Chat(c) => Some(c.first_words),
            _ => None,
        })
        .collect()
}

// Chat: the same message id again (a reconnect's replay, a second channel name) is one line.
// First words: OhLookItsMax's two messages (`ChatMessageEvent`:2 and :3) are a first and a
// second; after `StreamerIsLive` the next one is a first again.
#[test]
fn a_chat_line_once_and_first_words() {
    let a = line("ChatMessageEvent.jsonl", 2);
    let b = line("ChatMessageEvent.jsonl", 3);
    let other = line("ChatMessageEvent.jsonl", 1);
    let a_again = a.replace("chatrooms.1221707.v2", "chatroom_1221707");
    let live = line("reconstructed/StreamerIsLive.jsonl", 1);
    let c = |id: &str, user: &str, first| (id.to_string(), user.to_string(), first);
    let a_id = "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932";
    let b_id = "37e2ddbd-302c-4e5a-beda-4913c1747459";
    for path in PATHS {
        assert_eq!(
            chat(
                path,
                &[
                    (0, &a),
                    (1, &a_again),
                    (60_000, &a),
                    (61_000, &b),
                    (62_000, &other)
                ]
            ),
            [
                c(a_id, "OhLookItsMax", true),
                c(b_id, "OhLookItsMax", false),
                c(
                    "b2af4980-9dfa-4822-960d-0e64704e2ced",
                    "tayloredbydrew",
                    true
                ),
            ],
            "{path:?}"
        );
        let (alerts, _) = run(path, &[(0, &a), (1, &live), (2, &b), (3, &live)]);
        let firsts = first_words(&alerts);
        // The second `StreamerIsLive` is the same livestream again: a copy, no reset.
        assert_eq!(firsts, [Some(true), None, Some(true)], "{path:?}");
        let Alert::Live(l) = &alerts[1] else {
            panic!("{alerts:?}")
        };
        assert!(l.title.starts_with("\u{1f44f}LIVE\u{1f44f}CLICK"));
    }
}

// The set of chatters is full: the next new chatter is not marked, now or later.
#[test]
fn a_full_first_words_set_stops_marking() {
    let frames: Vec<String> = [1, 2, 4, 3]
        .iter()
        .map(|&n| line("ChatMessageEvent.jsonl", n))
        .collect();
    for path in PATHS {
        let mut m: Alerts<8, 8, 8, 1, 2> = Alerts::with_capacities();
        for (i, f) in frames.iter().enumerate() {
            feed(&mut m, path, i as u64, f);
        }
        let firsts: Vec<bool> = drain(&mut m)
            .into_iter()
            .map(|a| match a {
                Alert::Chat(c) => c.first_words,
                other => panic!("{other:?}"),
            })
            .collect();
        // tayloredbydrew, OhLookItsMax: marked; jerkpupputo: no room; OhLookItsMax again.
        assert_eq!(firsts, [true, true, false, false], "{path:?}");
        assert_eq!(m.stats().unmarked, 1);
    }
}

// A board's queue of 2, never drained: chat lines go first, then the oldest alert.
#[test]
fn a_small_queue_drops_chat_first_and_counts() {
    let frames = [
        line("SubscriptionEvent.jsonl", 1),
        line("ChatMessageEvent.jsonl", 1),
        line("SubscriptionEvent.jsonl", 2),
        line("SubscriptionEvent.jsonl", 3),
    ];
    for path in PATHS {
        let mut m: Alerts<2, 4, 4, 1, 4> = Alerts::with_capacities();
        for f in &frames {
            feed(&mut m, path, 0, f);
        }
        assert_eq!(m.queued(), 2);
        assert_eq!(
            drain(&mut m),
            [sub("The_D0ctor", Some(1)), sub("micke747", Some(38))]
        );
        assert_eq!(m.stats().alerts_dropped, 2);
    }
}

/// Every `*.jsonl` vector file except the expected outputs, in name order.
fn vector_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["", "reconstructed/"] {
        for entry in std::fs::read_dir(std::format!("{VECTORS}{dir}")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy().to_string();
            if name.ends_with(".jsonl") && !name.ends_with(".expected.jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

// One machine, two adapters: typed and JSON events give the same alerts on every vector,
// frame by frame and as one stream (where the state carries over: first words, copies).
#[test]
fn typed_and_json_agree_on_every_vector() {
    let mut stream = [Alerts::new(), Alerts::new()];
    let mut told = [Vec::new(), Vec::new()];
    let mut frames = 0;
    for file in vector_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, frame) in text.lines().enumerate() {
            let each: Vec<Vec<Alert>> = PATHS.iter().map(|&p| run(p, &[(0, frame)]).0).collect();
            assert_eq!(each[0], each[1], "{}:{}", file.display(), n + 1);
            for (i, path) in PATHS.iter().enumerate() {
                feed(&mut stream[i], *path, frames, frame);
                told[i].extend(drain(&mut stream[i]));
            }
            frames += 1;
        }
    }
    assert!(frames > 90, "{frames}");
    assert_eq!(told[0], told[1]);
    assert_eq!(stream[0].stats(), stream[1].stats());
    // Every kind the vectors hold made an alert.
    let kinds: std::collections::BTreeSet<&str> = told[0].iter().map(Alert::kind_name).collect();
    let expected = [
        "Ban",
        "Chat",
        "End",
        "GiftedSubscriptions",
        "Goal",
        "Host",
        "KicksGift",
        "Live",
        "MessageDeleted",
        "Pinned",
        "Poll",
        "Reward",
        "Subscription",
        "Unban",
        "Unpinned",
    ];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), expected);
}

// What each alert takes from its event, read off the real frames by hand.
#[test]
fn alerts_carry_what_the_frames_say() {
    for path in PATHS {
        let (alerts, _) = run(
            path,
            &[
                (0, &line("GoalProgressUpdateEvent.jsonl", 1)),
                (0, &line("KicksGifted.jsonl", 2)),
                (0, &line("UserBannedEvent.jsonl", 1)),
                (0, &line("StopStreamBroadcast.jsonl", 1)),
                (0, &line("StopStreamBroadcast.jsonl", 1)),
            ],
        );
        assert_eq!(
            alerts,
            [
                Alert::Goal(Goal {
                    stage: GoalStage::Progress,
                    goal_type: text("followers"),
                    current: Some(247_533),
                    target: Some(300_000),
                    followers: Some(247_533),
                }),
                Alert::KicksGift(KicksGift {
                    sender: text("BestSlime"),
                    gift: text("Full Send"),
                    amount: 100,
                    message: text(""),
                }),
                Alert::Ban(Ban {
                    username: text("JohnsonAndJohnson1"),
                    by: text("covid1942"),
                    permanent: true,
                    duration: None,
                }),
                Alert::End,
            ],
            "{path:?}"
        );
    }
}
