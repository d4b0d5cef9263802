//! The browser's alerts against proto's JSON of them (`serde`, what the CLI prints with
//! `--json`, itself tested against hand-written JSON in proto's `alerts/json.rs`): one of each
//! kind by hand, with text that needs escaping and absent values, and every alert the machine
//! makes of the real frames in `tests/vectors/kick` (gift recipients, poll options and
//! prediction outcomes could come only from there: lists have no public constructor).

use kickwire_proto::alerts::*;
use kickwire_proto::conn::Instant;
use kickwire_proto::{List, Text, json_events};
use serde_json::Value;

use super::write;
use crate::json::Json;

fn t<const N: usize>(s: &str) -> Text<N> {
    Text::from_str_truncating(s)
}

fn alerts() -> Vec<Alert> {
    vec![
        Alert::Chat(Chat {
            id: t("bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"),
            username: t("OhLookItsMax"),
            content: t("say \"hi\"\\\n\u{1}é [emote:37226:KEKW]"),
            first_words: true,
        }),
        Alert::Subscription(Subscription {
            username: t("feepsyy"),
            months: None,
        }),
        Alert::Subscription(Subscription {
            username: t("micke747"),
            months: Some(38),
        }),
        Alert::GiftedSubscriptions(GiftedSubscriptions {
            gifter: t("Kl_Vava"),
            count: 50,
            recipients: List::default(),
            chunks: 2,
            complete: false,
        }),
        Alert::KicksGift(KicksGift {
            sender: t("BestSlime"),
            gift: t("Full Send"),
            amount: 100,
            message: t(""),
        }),
        Alert::Host(Host {
            host: t("Dapt"),
            viewers: Some(40),
            message: Some(t("gg")),
        }),
        Alert::Host(Host {
            host: t("BrandonDLive"),
            viewers: None,
            message: None,
        }),
        Alert::Reward(Reward {
            username: t("u"),
            title: t("Hydrate"),
            input: t("now"),
        }),
        Alert::Ban(Ban {
            username: t("JohnsonAndJohnson1"),
            by: t("covid1942"),
            permanent: false,
            duration: Some(10),
        }),
        Alert::Ban(Ban {
            username: t("a"),
            by: t("b"),
            permanent: true,
            duration: None,
        }),
        Alert::Unban(Unban {
            username: t("a"),
            by: t("b"),
        }),
        Alert::MessageDeleted(MessageDeleted { id: t("m1") }),
        Alert::ChatClear,
        Alert::Pinned(Pinned {
            username: t("court"),
            content: t("pinned"),
            duration: Some(1200),
        }),
        Alert::Unpinned,
        Alert::Poll(Poll {
            title: t("Which?"),
            options: List::default(),
            remaining: None,
        }),
        Alert::Prediction(Prediction {
            title: t("Win?"),
            state: t("RESOLVED"),
            outcomes: List::default(),
            winning_outcome_id: Some(t("o1")),
        }),
        Alert::Prediction(Prediction {
            title: t("Win?"),
            state: t("ACTIVE"),
            outcomes: List::default(),
            winning_outcome_id: None,
        }),
        Alert::Goal(Goal {
            stage: GoalStage::Progress,
            goal_type: t("followers"),
            current: Some(247_533),
            target: Some(300_000),
            followers: Some(247_533),
        }),
        Alert::Goal(Goal {
            stage: GoalStage::Created,
            goal_type: t("subscribers"),
            current: None,
            target: None,
            followers: None,
        }),
        Alert::Goal(Goal {
            stage: GoalStage::Achieved,
            ..Goal::default()
        }),
        Alert::Goal(Goal {
            stage: GoalStage::Canceled,
            ..Goal::default()
        }),
        Alert::Live(Live { title: t("LIVE") }),
        Alert::End,
    ]
}

fn browser(alert: &Alert) -> Value {
    let mut buf = [0u8; 1024];
    let mut j = Json::new(&mut buf);
    write::alert(&mut j, alert);
    let n = j.finish() as usize;
    assert!(n > 0, "{alert:?} did not fit");
    serde_json::from_slice(&buf[..n]).unwrap()
}

#[test]
fn the_browser_and_proto_write_each_alert_alike() {
    for alert in alerts() {
        assert_eq!(
            browser(&alert),
            serde_json::to_value(&alert).unwrap(),
            "{alert:?}"
        );
    }
}

/// Every alert the machine makes of every frame of every vector file, fed in order.
fn vector_alerts() -> Vec<Alert> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/kick");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".jsonl") && !name.ends_with(".expected.jsonl")
        })
        .collect();
    files.sort();
    let mut machine = Alerts::new();
    let mut told = Vec::new();
    for (ms, line) in files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .enumerate()
    {
        let mut bytes = line.into_bytes();
        let mut events = json_events(&mut bytes);
        while let Some(event) = events.next() {
            if let Ok(event) = event {
                let _ = machine.handle_json(Instant::from_millis(ms as u64 * 10_000), &event);
            }
        }
        told.extend(std::iter::from_fn(|| machine.poll_alert()));
    }
    told
}

#[test]
fn the_browser_and_proto_write_the_alerts_of_every_vector_alike() {
    let told = vector_alerts();
    // No vector holds a prediction: its outcomes are checked empty only (by hand, above).
    for kind in ["GiftedSubscriptions", "Poll", "Host", "Subscription"] {
        assert!(
            told.iter().any(|a| a.kind_name() == kind),
            "no {kind} alert from the vectors"
        );
    }
    for alert in told {
        assert_eq!(
            browser(&alert),
            serde_json::to_value(&alert).unwrap(),
            "{alert:?}"
        );
    }
}

// By hand, so that the two writers cannot drift together: Kl_Vava's gift to ebii03
// (GiftedSubscriptionsEvent.jsonl line 3), as the overlay reads it.
#[test]
fn a_real_gift_is_written_as_the_overlay_reads_it() {
    let gift = vector_alerts()
        .into_iter()
        .find(|a| matches!(a, Alert::GiftedSubscriptions(g) if g.gifter == "Kl_Vava"))
        .unwrap();
    assert_eq!(
        browser(&gift),
        serde_json::json!({"alert":"GiftedSubscriptions","gifter":"Kl_Vava","count":1,
            "recipients":["ebii03"],"chunks":1,"complete":true})
    );
}
