//! The alert machine (`kickwire_proto::alerts`) fed a script: real vector payloads, gift chunks
//! built from fuzzer bytes, arbitrary payloads under any event kind, Kick's webhook deliveries
//! (`handle_official`: a body naming the vectors' users under any webhook type, or arbitrary
//! bytes), and time that stands still, moves on, jumps by hours or goes back; timeouts,
//! `finish` and draining in any order. A typed machine and a JSON machine are fed the same
//! events and the same deliveries.
//!
//! Asserts: no panic; the queue and the gifts waiting never exceed their capacities;
//! `poll_timeout` is `Some` whenever a gift waits; every gift alert's `count` is its recipients'
//! total and, for the gifts built here, the sum of the distinct chunks joined (chunk `i` names
//! 2^i recipients, so the count's bits are the chunks: as many bits as `chunks`); the two
//! machines hand out the same alerts and counts until an arbitrary payload is fed (typed
//! decoding refuses some that the JSON path reads in part, so they may part ways).
#![no_main]

use std::sync::OnceLock;

use kickwire_proto::alerts::{Alert, Alerts};
use kickwire_proto::conn::Instant;
use kickwire_proto::kick::{Event, EventKind};
use kickwire_proto::{JsonEvent, Text, Transport, json_events};
use libfuzzer_sys::fuzz_target;

/// Small capacities, so that every bound is reached.
type Machine = Alerts<3, 4, 4, 2, 4>;
const QUEUE: usize = 3;
const GIFTS: usize = 2;
/// The gifter of the gifts built here; an arbitrary payload naming it is not fed.
const GIFTER: &str = "fuzzgifter";

/// Every vector line's events, as (kind, payload).
fn vectors() -> &'static [(EventKind, Vec<u8>)] {
    static V: OnceLock<Vec<(EventKind, Vec<u8>)>> = OnceLock::new();
    V.get_or_init(|| {
        let files = [
            include_str!("../../tests/vectors/kick/SubscriptionEvent.jsonl"),
            include_str!("../../tests/vectors/kick/ChannelSubscriptionEvent.jsonl"),
            include_str!("../../tests/vectors/kick/NewSubscriberUpdatedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/NewActivityFeedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/ChatMessageSentEvent.jsonl"),
            include_str!("../../tests/vectors/kick/ChatMessageEvent.jsonl"),
            include_str!("../../tests/vectors/kick/GiftedSubscriptionsEvent.jsonl"),
            include_str!("../../tests/vectors/kick/LuckyUsersWhoGotGiftSubscriptionsEvent.jsonl"),
            include_str!("../../tests/vectors/kick/KicksGifted.jsonl"),
            include_str!("../../tests/vectors/kick/UserBannedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/UserUnbannedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/MessageDeletedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/PinnedMessageCreatedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/PinnedMessageDeletedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/PollUpdateEvent.jsonl"),
            include_str!("../../tests/vectors/kick/RewardRedeemedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/GoalProgressUpdateEvent.jsonl"),
            include_str!("../../tests/vectors/kick/StopStreamBroadcast.jsonl"),
            include_str!("../../tests/vectors/kick/reconstructed/StreamHostEvent.jsonl"),
            include_str!("../../tests/vectors/kick/reconstructed/StreamHostedEvent.jsonl"),
            include_str!("../../tests/vectors/kick/reconstructed/StreamerIsLive.jsonl"),
        ];
        let mut out = Vec::new();
        for line in files.iter().flat_map(|f| f.lines()) {
            let mut bytes = line.as_bytes().to_vec();
            let mut events = json_events(&mut bytes);
            while let Some(Ok(e)) = events.next() {
                out.push((e.kind, e.payload.to_vec()));
            }
        }
        out
    })
}

/// The webhook types `handle_official` reads, and one it does not.
const OFFICIAL: [&str; 11] = [
    "chat.message.sent",
    "channel.followed",
    "channel.subscription.new",
    "channel.subscription.renewal",
    "channel.subscription.gifts",
    "kicks.gifted",
    "moderation.banned",
    "channel.reward.redemption.updated",
    "livestream.status.updated",
    "livestream.metadata.updated",
    "channel.unknown",
];

/// A webhook body holding the members of every type (each type reads its own), naming one of
/// the vectors' users, so that it pairs with their realtime alerts or just misses.
fn official_body(pick: u8) -> Vec<u8> {
    const NAMES: [&str; 6] = [
        "micke747",
        "BestSlime",
        "Kl_Vava",
        "rittikj",
        "shaktisinhrajput",
        "ebii03",
    ];
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let user = format!(r#"{{"user_id":{pick},"username":"{name}"}}"#);
    let expires = if pick & 1 == 0 {
        "null"
    } else {
        "\"2026-09-27T16:13:31Z\""
    };
    let live = pick & 2 == 0;
    format!(
        r#"{{"message_id":"m{pick}","sender":{user},"content":"hi","follower":{user},"subscriber":{user},"duration":{pick},"gifter":{user},"giftees":[{user}],"gift":{{"amount":100,"name":"Full Send","message":""}},"banned_user":{user},"moderator":{user},"metadata":{{"created_at":"2026-09-27T16:12:31Z","expires_at":{expires}}},"id":"r{pick}","user_input":"","reward":{{"title":"Hydrate"}},"redeemer":{user},"is_live":{live},"title":"t"}}"#
    )
    .into_bytes()
}

/// A chunk of one of four gifts: chunk `index` (0-7) names 2^index recipients.
fn chunk(gift: u8, index: u8, flags: u8) -> Vec<u8> {
    let index = index % 8;
    let names: Vec<String> = (0..1u32 << index)
        .map(|i| format!("\"g{gift}c{index}r{i}\""))
        .collect();
    let total_chunks = if flags & 1 != 0 {
        "8".to_owned()
    } else {
        "null".to_owned()
    };
    let gifted_total = if flags & 2 != 0 { "255" } else { "null" };
    format!(
        r#"{{"chatroom_id":1,"correlation_id":"fuzz{}","gifted_usernames":[{}],"gifter_username":"{GIFTER}","gifted_total":{gifted_total},"chunk_details":{{"chunk_index":{index},"total_chunks":{total_chunks}}}}}"#,
        gift % 4,
        names.join(",")
    )
    .into_bytes()
}

struct Pair {
    typed: Machine,
    json: Machine,
    agree: bool,
}

impl Pair {
    fn feed(&mut self, now: Instant, kind: EventKind, payload: &[u8]) {
        let typed = Event::decode_kind(kind, "x", payload);
        if let Ok(event) = &typed {
            self.typed.handle_event(now, event);
        }
        let event = JsonEvent {
            transport: Transport::Pusher,
            kind,
            name: Text::new(),
            channel: Text::new(),
            payload,
        };
        let json = self.json.handle_json(now, &event);
        // A payload one path takes and the other refuses parts the machines.
        if typed.is_ok() != json.is_ok() {
            self.agree = false;
        }
    }

    fn check(&mut self) {
        for m in [&self.typed, &self.json] {
            assert!(m.queued() <= QUEUE);
            assert!(m.pending_gifts() <= GIFTS);
            if m.pending_gifts() > 0 {
                assert!(m.poll_timeout().is_some(), "a gift waits with no timeout");
            }
        }
    }

    fn drain(&mut self) {
        loop {
            let (a, b) = (self.typed.poll_alert(), self.json.poll_alert());
            for alert in [&a, &b].into_iter().flatten() {
                check_alert(alert);
            }
            if self.agree {
                assert_eq!(a, b, "typed and JSON machines told different alerts");
            }
            if a.is_none() && b.is_none() {
                break;
            }
        }
        if self.agree {
            assert_eq!(self.typed.stats(), self.json.stats());
        }
    }
}

fn check_alert(alert: &Alert) {
    serde_json::to_string(alert).expect("alerts always serialize");
    if let Alert::GiftedSubscriptions(g) = alert {
        assert_eq!(g.count, g.recipients.total());
        assert!(g.recipients.len() <= kickwire_proto::limits::ALERT_RECIPIENTS);
        if g.gifter == GIFTER {
            assert!(g.count < 256, "{g:?}");
            assert_eq!(
                g.count.count_ones(),
                g.chunks,
                "a chunk counted twice or in part: {g:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut pair = Pair {
        typed: Machine::with_capacities(),
        json: Machine::with_capacities(),
        agree: true,
    };
    let mut now = 0u64;
    let mut bytes = data.iter().copied();
    while let Some(op) = bytes.next() {
        let arg = bytes.next().unwrap_or(0);
        let at = Instant::from_millis(now);
        match op % 9 {
            // Time: still, on by up to 5 s, a jump of hours, or back.
            0 => {
                now = match arg {
                    0 => now,
                    1..=200 => now.saturating_add(u64::from(arg) * 25),
                    201..=250 => now.saturating_add(u64::from(arg) * 3_600_000),
                    _ => now.saturating_sub(u64::from(arg) * 10),
                }
            }
            1 | 2 => {
                let v = vectors();
                let (kind, payload) = &v[usize::from(arg) % v.len()];
                pair.feed(at, *kind, payload);
            }
            3 => {
                let flags = bytes.next().unwrap_or(0);
                pair.feed(
                    at,
                    EventKind::GiftedSubscriptions,
                    &chunk(arg, flags >> 4, flags),
                );
            }
            4 => {
                // An arbitrary payload under any kind: the rest of the input.
                let kind = EventKind::ALL[usize::from(arg) % EventKind::ALL.len()];
                let payload: Vec<u8> = bytes.by_ref().collect();
                if !payload
                    .windows(GIFTER.len())
                    .any(|w| w == GIFTER.as_bytes())
                {
                    pair.feed(at, kind, &payload);
                    pair.agree = false;
                }
            }
            5 => {
                pair.typed.handle_timeout(at);
                pair.json.handle_timeout(at);
            }
            6 => {
                pair.typed.finish(at);
                pair.json.finish(at);
                assert_eq!(pair.typed.pending_gifts(), 0);
            }
            7 => pair.drain(),
            _ => {
                // A webhook delivery, the same to both machines: a body of the documented
                // shapes, or (pick 255) the rest of the input.
                let kind = OFFICIAL[usize::from(arg) % OFFICIAL.len()];
                let pick = bytes.next().unwrap_or(0);
                let body: Vec<u8> = if pick == 255 {
                    bytes.by_ref().collect()
                } else {
                    official_body(pick)
                };
                if !body.windows(GIFTER.len()).any(|w| w == GIFTER.as_bytes()) {
                    let typed = pair.typed.handle_official(at, kind, &body);
                    let json = pair.json.handle_official(at, kind, &body);
                    assert_eq!(typed, json, "one delivery, two answers");
                }
            }
        }
        pair.check();
    }
    pair.typed.finish(Instant::from_millis(now));
    pair.json.finish(Instant::from_millis(now));
    pair.drain();
});
