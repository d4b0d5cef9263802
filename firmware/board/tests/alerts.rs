//! `Alert::from_json` and `Alert::from_event` on real Kick frames from `tests/vectors/kick`.
//! Expected alerts were read by hand from the frames (and their `.expected.jsonl` files): e.g.
//! every `GiftedSubscriptionsEvent` frame lists one recipient. Each frame goes both ways, as
//! JSON (`json_events`, what the board does) and typed (`decode`), and both must give that
//! alert.
#![allow(clippy::panic, clippy::indexing_slicing)]

use kickwire_board::Alert;
use kickwire_proto::{Message, decode, json_events, limits::MAX_PAYLOAD};

/// The board's alert for each Kick event in a `.jsonl` file of frames (one frame a line), in
/// order; `None` for events the board ignores. Panics on anything that is not a Kick event,
/// and when the JSON and the typed path disagree.
fn alerts(frames: &str) -> Vec<Option<Alert>> {
    let mut scratch = vec![0u8; MAX_PAYLOAD];
    let mut out = Vec::new();
    for line in frames.lines().filter(|l| !l.trim().is_empty()) {
        let mut typed = Vec::new();
        for message in decode(line.as_bytes(), &mut scratch) {
            match message {
                Ok(Message::Kick { event, .. }) => typed.push(Alert::from_event(&event)),
                other => panic!("not a Kick event: {other:?} in {line}"),
            }
        }
        let mut frame = line.as_bytes().to_vec();
        let mut events = json_events(&mut frame);
        let mut json = Vec::new();
        while let Some(event) = events.next() {
            match event {
                Ok(event) => json.push(Alert::from_json(&event)),
                Err(e) => panic!("JSON path failed: {e} in {line}"),
            }
        }
        assert_eq!(json, typed, "JSON and typed alerts differ for {line}");
        out.extend(typed);
    }
    out
}

macro_rules! vector {
    ($path:literal) => {
        include_str!(concat!("../../../tests/vectors/kick/", $path))
    };
}

#[test]
fn gifted_subscriptions_give_their_count() {
    // Three frames, each with one name in `gifted_usernames`.
    let expected = vec![Some(Alert::GiftedSubs { count: 1 }); 3];
    assert_eq!(alerts(vector!("GiftedSubscriptionsEvent.jsonl")), expected);
}

#[test]
fn subscriptions_give_their_months() {
    let expected = [2, 1, 38].map(|months| Some(Alert::Subscription { months }));
    assert_eq!(alerts(vector!("SubscriptionEvent.jsonl")), expected);
}

#[test]
fn kicks_gifts_give_the_gift_amount() {
    let expected = [1000, 100, 500, 1, 1, 500].map(|amount| Some(Alert::Kicks { amount }));
    assert_eq!(alerts(vector!("KicksGifted.jsonl")), expected);
}

#[test]
fn hosts_give_their_viewers() {
    let expected = [30, 40].map(|viewers| Some(Alert::Host { viewers }));
    assert_eq!(
        alerts(vector!("reconstructed/StreamHostEvent.jsonl")),
        expected
    );
}

#[test]
fn chat_messages_are_chat() {
    let expected = vec![Some(Alert::Chat); 17];
    assert_eq!(alerts(vector!("ChatMessageEvent.jsonl")), expected);
}

#[test]
fn live_and_end_switch_the_glow() {
    let live = alerts(vector!("reconstructed/StreamerIsLive.jsonl"));
    assert_eq!(live, vec![Some(Alert::Live); 2]);
    let end = alerts(vector!("StopStreamBroadcast.jsonl"));
    assert_eq!(end, vec![Some(Alert::End)]);
}

#[test]
fn other_events_are_ignored() {
    // Bans, polls and leaderboards do not light the strip. The others repeat an alert already
    // shown, seen from the channel's side: `StreamHosted` is `StreamHost`, the lucky-users
    // event names the recipients of a gifted-subs event, and `ChannelSubscriptionEvent` is
    // the `SubscriptionEvent` of the same sub (the vectors hold feepsyy's sub as both).
    for (frames, count) in [
        (vector!("ChannelSubscriptionEvent.jsonl"), 4),
        (vector!("UserBannedEvent.jsonl"), 3),
        (vector!("PollUpdateEvent.jsonl"), 2),
        (vector!("GiftsLeaderboardUpdated.jsonl"), 3),
        (vector!("StreamHostedEvent.jsonl"), 1),
        (vector!("LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl"), 2),
    ] {
        assert_eq!(alerts(frames), vec![None; count]);
    }
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
    assert_eq!(alerts(&frame), vec![Some(Alert::GiftedSubs { count: 120 })]);
}

#[test]
fn a_broken_payload_gives_no_alert() {
    // The typed decoder refuses these payloads, so the JSON path must not show them either:
    // an unterminated object, a payload that is an array, trailing bytes.
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
            let mut scratch = vec![0u8; MAX_PAYLOAD];
            let typed: Vec<_> = decode(frame.as_bytes(), &mut scratch).collect();
            assert!(
                matches!(typed.as_slice(), [Err(_)]),
                "typed decoding accepted {frame}: {typed:?}"
            );
            let mut bytes = frame.clone().into_bytes();
            let mut events = json_events(&mut bytes);
            let Some(Ok(event)) = events.next() else {
                panic!("no JSON event in {frame}")
            };
            assert_eq!(Alert::from_json(&event), None, "{frame}");
        }
    }
}
