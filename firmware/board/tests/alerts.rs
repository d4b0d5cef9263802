//! What lights the strip: Kick's events through the board's [`Machine`] (proto's alert machine
//! with the board's capacities, fed JSON events as the firmware feeds it), on real frames from
//! `tests/vectors/kick` and on gift chunks composed from one. Each frame also goes the typed way
//! (proto's machine with `handle_event`, its alerts mapped with `Alert::from_proto`), and both
//! must agree. Expected alerts were read by hand from the frames (and their `.expected.jsonl`
//! files): e.g. every `GiftedSubscriptionsEvent` frame lists one recipient.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects
)]

use kickwire_board::{Alert, Machine, memory};
use kickwire_proto::alerts::{self, GiftedSubscriptions, Host, KicksGift, Subscription};
use kickwire_proto::conn::Instant;
use kickwire_proto::{Message, Text, decode, json_events, limits::MAX_PAYLOAD};

/// The board's alerts for `frames` (one WebSocket message each, fed at the given milliseconds),
/// then for the end of every gift's wait (`end_ms`). Panics on anything that is not a Kick
/// event, and when the JSON and the typed path disagree.
fn shown(frames: &[(u64, &str)], end_ms: u64) -> Vec<Alert> {
    let mut machine = Machine::new();
    let mut typed = memory::Alerts::with_capacities();
    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let (mut json_out, mut typed_out) = (Vec::new(), Vec::new());
    for &(ms, line) in frames {
        let now = Instant::from_millis(ms);
        for message in decode(line.as_bytes(), &mut scratch) {
            match message {
                Ok(Message::Kick { event, .. }) => typed.handle_event(now, &event),
                other => panic!("not a Kick event: {other:?} in {line}"),
            }
            typed_out.extend(core::iter::from_fn(|| typed.poll_alert()));
        }
        let mut frame = line.as_bytes().to_vec();
        let mut events = json_events(&mut frame);
        while let Some(event) = events.next() {
            match event {
                Ok(event) => machine.handle_json(now, &event, |a| json_out.push(a)),
                Err(e) => panic!("JSON path failed: {e} in {line}"),
            }
        }
    }
    let end = Instant::from_millis(end_ms);
    machine.handle_timeout(end, |a| json_out.push(a));
    typed.handle_timeout(end);
    typed_out.extend(core::iter::from_fn(|| typed.poll_alert()));
    let typed_out: Vec<Alert> = typed_out.iter().filter_map(Alert::from_proto).collect();
    assert_eq!(json_out, typed_out, "JSON and typed alerts differ");
    json_out
}

/// Every frame of a `.jsonl` file, 30 ms apart.
fn all(frames: &str) -> Vec<Alert> {
    let lines: Vec<(u64, &str)> = frames
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| (i as u64 * 30, l))
        .collect();
    shown(&lines, 60_000)
}

macro_rules! vector {
    ($path:literal) => {
        include_str!(concat!("../../../tests/vectors/kick/", $path))
    };
}

/// Line `n` (from 1) of a vector file.
fn line(text: &str, n: usize) -> &str {
    text.lines().nth(n - 1).unwrap()
}

fn t<const N: usize>(s: &str) -> Text<N> {
    Text::from_str_truncating(s)
}

#[test]
fn proto_alerts_map_to_the_boards() {
    // A gift told after its wait, 3 of 50 chunks in: the burst is sized by what came.
    let gift = alerts::Alert::GiftedSubscriptions(GiftedSubscriptions {
        gifter: t("Kl_Vava"),
        count: 50,
        chunks: 2,
        complete: false,
        ..GiftedSubscriptions::default()
    });
    let sub = |months| {
        alerts::Alert::Subscription(Subscription {
            username: t("feepsyy"),
            months,
        })
    };
    let kicks = |amount| {
        alerts::Alert::KicksGift(KicksGift {
            amount,
            ..KicksGift::default()
        })
    };
    let host = |viewers| {
        alerts::Alert::Host(Host {
            host: t("Dapt"),
            viewers,
            message: None,
        })
    };
    let cases = [
        (gift, Some(Alert::GiftedSubs { count: 50 })),
        (sub(Some(38)), Some(Alert::Subscription { months: 38 })),
        (sub(None), Some(Alert::Subscription { months: 1 })),
        (kicks(500), Some(Alert::Kicks { amount: 500 })),
        (kicks(1 << 40), Some(Alert::Kicks { amount: u32::MAX })),
        (host(Some(40)), Some(Alert::Host { viewers: 40 })),
        (host(None), Some(Alert::Host { viewers: 0 })),
        (
            alerts::Alert::Chat(alerts::Chat::default()),
            Some(Alert::Chat),
        ),
        (
            alerts::Alert::Live(alerts::Live::default()),
            Some(Alert::Live),
        ),
        (alerts::Alert::End, Some(Alert::End)),
        (alerts::Alert::Ban(alerts::Ban::default()), None),
        (alerts::Alert::Unban(alerts::Unban::default()), None),
        (alerts::Alert::Reward(alerts::Reward::default()), None),
        (
            alerts::Alert::MessageDeleted(alerts::MessageDeleted::default()),
            None,
        ),
        (alerts::Alert::ChatClear, None),
        (alerts::Alert::Pinned(alerts::Pinned::default()), None),
        (alerts::Alert::Unpinned, None),
        (alerts::Alert::Poll(alerts::Poll::default()), None),
        (
            alerts::Alert::Prediction(alerts::Prediction::default()),
            None,
        ),
        (alerts::Alert::Goal(alerts::Goal::default()), None),
    ];
    for (proto, board) in cases {
        assert_eq!(Alert::from_proto(&proto), board, "{proto:?}");
    }
}

/// A chunk of Kl_Vava's gift, composed from the real `GiftedSubscriptionsEvent.jsonl`:3 (a
/// whole gift to ebii03, correlation id 700002820790407): recipients, `gifted_total` and
/// `chunk_details` replaced, the rest as captured.
fn chunk(names: &[&str], total: u32, index: u32, chunks: u32) -> String {
    let real = line(vector!("GiftedSubscriptionsEvent.jsonl"), 3);
    let names: Vec<String> = names.iter().map(|n| format!(r#"\"{n}\""#)).collect();
    let composed = real
        .replace(r#"[\"ebii03\"]"#, &format!("[{}]", names.join(",")))
        .replace(
            r#"\"gifted_total\":1"#,
            &format!(r#"\"gifted_total\":{total}"#),
        )
        .replace(
            r#"\"chunk_details\":null"#,
            &format!(r#"\"chunk_details\":{{\"chunk_index\":{index},\"total_chunks\":{chunks}}}"#),
        );
    assert_ne!(composed, real);
    composed
}

/// Kl_Vava's gift of 5 in three chunks (2 + 2 + 1 recipients).
fn three_chunks() -> [String; 3] {
    [
        chunk(&["ebii03", "giftee01"], 5, 0, 3),
        chunk(&["giftee02", "giftee03"], 5, 1, 3),
        chunk(&["giftee04"], 5, 2, 3),
    ]
}

#[test]
fn a_chunked_gift_is_one_burst_sized_by_its_total() {
    let c = three_chunks();
    // In any order, and each chunk sent again on a second channel name: one burst of 5.
    for order in [[0, 1, 2], [2, 0, 1]] {
        let mut frames = Vec::new();
        let again: Vec<String> = c
            .iter()
            .map(|f| f.replace("chatroom_23580962", "chatrooms.23580962.v2"))
            .collect();
        for (i, &k) in order.iter().enumerate() {
            frames.push((i as u64 * 100, c[k].as_str()));
            frames.push((i as u64 * 100 + 1, again[k].as_str()));
        }
        assert_eq!(shown(&frames, 300), [Alert::GiftedSubs { count: 5 }]);
    }
    // Before the last chunk, nothing; the burst comes with it, not at the end of the wait.
    let mut machine = Machine::new();
    let mut out = Vec::new();
    for (i, f) in c.iter().enumerate() {
        assert!(out.is_empty(), "{out:?}");
        let mut bytes = f.clone().into_bytes();
        let mut events = json_events(&mut bytes);
        let event = events.next().unwrap().unwrap();
        machine.handle_json(Instant::from_millis(i as u64), &event, |a| out.push(a));
    }
    assert_eq!(out, [Alert::GiftedSubs { count: 5 }]);
    assert_eq!(machine.poll_timeout(), None);
}

#[test]
fn a_gift_missing_a_chunk_bursts_when_its_wait_ends_with_what_came() {
    let c = three_chunks();
    let frames = [(1_000, c[0].as_str()), (1_500, c[2].as_str())];
    // The wait is 2 s after the last chunk (`limits::ALERT_GIFT_WINDOW_MS`): not yet at 3,499.
    assert_eq!(shown(&frames, 3_499), []);
    assert_eq!(shown(&frames, 3_500), [Alert::GiftedSubs { count: 3 }]);
}

#[test]
fn a_subs_five_events_are_one_pulse() {
    // micke747's 38th month (2026-09-27): the sub, its channel-side notices and its info line.
    let five = [
        line(vector!("SubscriptionEvent.jsonl"), 3),
        line(vector!("ChannelSubscriptionEvent.jsonl"), 4),
        line(vector!("NewSubscriberUpdatedEvent.jsonl"), 1),
        line(vector!("NewActivityFeedEvent.jsonl"), 1),
        line(vector!("ChatMessageSentEvent.jsonl"), 2),
    ];
    for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]] {
        let frames: Vec<(u64, &str)> = order
            .iter()
            .enumerate()
            .map(|(i, &k)| (i as u64 * 30, five[k]))
            .collect();
        assert_eq!(shown(&frames, 1_000), [Alert::Subscription { months: 38 }]);
    }
}

#[test]
fn a_hosts_two_events_are_one_comet() {
    // BrandonDLive's host with 30 viewers, as `StreamHostEvent` and as `StreamHostedEvent`.
    let frames = [
        (0, line(vector!("reconstructed/StreamHostEvent.jsonl"), 1)),
        (9, line(vector!("reconstructed/StreamHostedEvent.jsonl"), 1)),
    ];
    assert_eq!(shown(&frames, 1_000), [Alert::Host { viewers: 30 }]);
}

#[test]
fn gifted_subscriptions_give_their_count() {
    // Three whole gifts, each with one name in `gifted_usernames`.
    let expected = vec![Alert::GiftedSubs { count: 1 }; 3];
    assert_eq!(all(vector!("GiftedSubscriptionsEvent.jsonl")), expected);
}

#[test]
fn subscriptions_give_their_months() {
    let expected = [2, 1, 38].map(|months| Alert::Subscription { months });
    assert_eq!(all(vector!("SubscriptionEvent.jsonl")), expected);
}

#[test]
fn kicks_gifts_give_the_gift_amount() {
    let expected = [1000, 100, 500, 1, 1, 500].map(|amount| Alert::Kicks { amount });
    assert_eq!(all(vector!("KicksGifted.jsonl")), expected);
}

#[test]
fn hosts_give_their_viewers() {
    let expected = [30, 40].map(|viewers| Alert::Host { viewers });
    assert_eq!(
        all(vector!("reconstructed/StreamHostEvent.jsonl")),
        expected
    );
}

#[test]
fn chat_messages_are_chat() {
    // 17 messages, 17 different ids.
    assert_eq!(
        all(vector!("ChatMessageEvent.jsonl")),
        vec![Alert::Chat; 17]
    );
}

#[test]
fn live_and_end_switch_the_glow() {
    let live = all(vector!("reconstructed/StreamerIsLive.jsonl"));
    assert_eq!(live, vec![Alert::Live; 2]);
    let end = all(vector!("StopStreamBroadcast.jsonl"));
    assert_eq!(end, vec![Alert::End]);
}

#[test]
fn other_events_are_ignored() {
    // Bans, polls and leaderboards do not light the strip. The others are only ever copies of
    // an alert made from another event: the lucky-users event names the recipients of a
    // gifted-subs event, `ChannelSubscriptionEvent` is the `SubscriptionEvent` of the same sub.
    for frames in [
        vector!("ChannelSubscriptionEvent.jsonl"),
        vector!("UserBannedEvent.jsonl"),
        vector!("PollUpdateEvent.jsonl"),
        vector!("GiftsLeaderboardUpdated.jsonl"),
        vector!("LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl"),
    ] {
        assert_eq!(all(frames), []);
    }
}

#[test]
fn a_host_seen_only_from_the_chat_side_is_still_a_comet() {
    // `StreamHostedEvent` alone (ABC with `numberOfViewers` 8): either of a host's two events
    // makes its alert, the one that comes second is the copy.
    assert_eq!(
        all(vector!("StreamHostedEvent.jsonl")),
        [Alert::Host { viewers: 8 }]
    );
}

#[test]
fn a_gift_bigger_than_the_recipient_list_keeps_its_count() {
    // 120 recipients, more than the decoder keeps (`limits::GIFT_RECIPIENTS` = 100): the
    // burst must still be sized for 120.
    let names: Vec<String> = (0..120).map(|i| format!("\\\"user{i}\\\"")).collect();
    let frame = format!(
        r#"{{"event":"App\\Events\\GiftedSubscriptionsEvent","data":"{{\"chatroom_id\":1,\"gifted_usernames\":[{}],\"gifter_username\":\"big\"}}","channel":"chatrooms.1.v2"}}"#,
        names.join(",")
    );
    assert_eq!(all(&frame), [Alert::GiftedSubs { count: 120 }]);
}

#[test]
fn a_broken_payload_lights_nothing_and_is_counted() {
    // The typed decoder refuses these payloads: an unterminated object, a payload that is an
    // array, trailing bytes.
    for data in [
        r#"{\"chatroom_id\":1,\"gifted_usernames\":[\"a\"]"#,
        r#"[1,2]"#,
        r#"{\"months\":3} x"#,
    ] {
        for name in [
            "GiftedSubscriptionsEvent",
            "SubscriptionEvent",
            "ChatMessageEvent",
        ] {
            let frame = format!(
                r#"{{"event":"App\\Events\\{name}","data":"{data}","channel":"chatrooms.1.v2"}}"#
            );
            let mut bytes = frame.clone().into_bytes();
            let mut events = json_events(&mut bytes);
            let Some(Ok(event)) = events.next() else {
                panic!("no JSON event in {frame}")
            };
            let mut machine = Machine::new();
            let mut out = Vec::new();
            machine.handle_json(Instant::from_millis(0), &event, |a| out.push(a));
            assert_eq!(out, [], "{frame}");
            assert_eq!(machine.stats().unreadable, 1, "{frame}");
        }
    }
}
