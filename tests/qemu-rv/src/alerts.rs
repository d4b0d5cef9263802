//! The alert machine (`kickwire_proto::alerts`) on the target, fed real frames through both
//! paths (typed events and JSON events), as the host tests do (`proto/src/alerts/tests.rs`):
//! a sub's five events are one alert, a host's two are one, a gift's chunks are joined (and
//! waited for 2 s when one is missing), a chat line sent twice is one, with its first words.
//! Values are the frames', read by hand.

use kickwire_proto::alerts::{Alert, Alerts};
use kickwire_proto::conn::Instant;
use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::{Message, decode, json_events};

use crate::check::Checks;
use crate::vectors::line;
use crate::{check, check_eq};

/// A board's capacities: a queue of 2, as it drains after each event.
pub type Board = Alerts<2, 16, 16, 2, 128>;

/// Three chunks of one gift, composed from the real `GiftedSubscriptionsEvent.jsonl`:3 as the
/// host tests compose them (recipients, `gifted_total` and `chunk_details` replaced; see
/// `tests/vectors/kick/SOURCES.md`).
const CHUNKS: [&[u8]; 3] = [
    br#"{"event":"GiftedSubscriptionsEvent","data":"{\"chatroom_id\":23580962,\"correlation_id\":\"700002820790407\",\"gifted_usernames\":[\"ebii03\",\"giftee01\"],\"gifter_username\":\"Kl_Vava\",\"gifted_total\":5,\"gifter_total\":9,\"chunk_details\":{\"chunk_index\":0,\"total_chunks\":3}}","channel":"chatroom_23580962"}"#,
    br#"{"event":"GiftedSubscriptionsEvent","data":"{\"chatroom_id\":23580962,\"correlation_id\":\"700002820790407\",\"gifted_usernames\":[\"giftee02\",\"giftee03\"],\"gifter_username\":\"Kl_Vava\",\"gifted_total\":5,\"gifter_total\":9,\"chunk_details\":{\"chunk_index\":1,\"total_chunks\":3}}","channel":"chatroom_23580962"}"#,
    br#"{"event":"GiftedSubscriptionsEvent","data":"{\"chatroom_id\":23580962,\"correlation_id\":\"700002820790407\",\"gifted_usernames\":[\"giftee04\"],\"gifter_username\":\"Kl_Vava\",\"gifted_total\":5,\"gifter_total\":9,\"chunk_details\":{\"chunk_index\":2,\"total_chunks\":3}}","channel":"chatroom_23580962"}"#,
];

/// Feeds every Kick event of `frame` at `ms`, typed (`json` false) or as JSON.
fn feed(m: &mut Board, json: bool, ms: u64, frame: &[u8], scratch: &mut [u8]) {
    let now = Instant::from_millis(ms);
    if json {
        let Some(buf) = scratch.get_mut(..frame.len()) else {
            return;
        };
        buf.copy_from_slice(frame);
        let mut events = json_events(buf);
        while let Some(event) = events.next() {
            if let Ok(event) = event {
                let _ = m.handle_json(now, &event);
            }
        }
    } else {
        for message in decode(frame, scratch) {
            if let Ok(Message::Kick { event, .. }) = message {
                m.handle_event(now, &event);
            }
        }
    }
}

pub fn run() -> Checks {
    let mut c = Checks::new("alerts");
    let mut scratch = [0u8; MAX_PAYLOAD];
    for json in [false, true] {
        // micke747's sub, five events (2026-09-27): one Subscription with the months.
        let mut m = Board::with_capacities();
        for (i, (file, n)) in [
            ("kick/SubscriptionEvent.jsonl", 3),
            ("kick/ChannelSubscriptionEvent.jsonl", 4),
            ("kick/NewSubscriberUpdatedEvent.jsonl", 1),
            ("kick/NewActivityFeedEvent.jsonl", 1),
            ("kick/ChatMessageSentEvent.jsonl", 2),
        ]
        .into_iter()
        .enumerate()
        {
            feed(&mut m, json, i as u64 * 30, line(file, n), &mut scratch);
        }
        match m.poll_alert() {
            Some(Alert::Subscription(s)) => {
                check_eq!(c, s.username.as_str(), "micke747");
                check_eq!(c, s.months, Some(38));
            }
            other => check!(c, false, "sub: {:?}", other),
        }
        check!(c, m.poll_alert().is_none(), "one sub alert");
        check_eq!(c, m.stats().copies, 3);

        // BrandonDLive's host, two events: one Host with 30 viewers.
        let mut m = Board::with_capacities();
        feed(
            &mut m,
            json,
            0,
            line("kick/reconstructed/StreamHostEvent.jsonl", 1),
            &mut scratch,
        );
        feed(
            &mut m,
            json,
            9,
            line("kick/reconstructed/StreamHostedEvent.jsonl", 1),
            &mut scratch,
        );
        match m.poll_alert() {
            Some(Alert::Host(h)) => {
                check_eq!(c, h.host.as_str(), "BrandonDLive");
                check_eq!(c, h.viewers, Some(30));
            }
            other => check!(c, false, "host: {:?}", other),
        }
        check!(c, m.poll_alert().is_none(), "one host alert");

        // Three chunks in the order 2, 0, 1: one gift of 5 when the last is in.
        let mut m = Board::with_capacities();
        for (i, k) in [2, 0, 1].into_iter().enumerate() {
            check!(c, m.poll_alert().is_none(), "no gift before its last chunk");
            feed(&mut m, json, i as u64 * 100, CHUNKS[k], &mut scratch);
        }
        match m.poll_alert() {
            Some(Alert::GiftedSubscriptions(g)) => {
                check_eq!(c, (g.count, g.chunks, g.complete), (5, 3, true));
                check_eq!(c, g.recipients.total(), 5);
                check_eq!(c, g.gifter.as_str(), "Kl_Vava");
            }
            other => check!(c, false, "gift: {:?}", other),
        }
        // The middle chunk never comes: told 2 s after the last one, with 3 of 5.
        let mut m = Board::with_capacities();
        feed(&mut m, json, 1_000, CHUNKS[0], &mut scratch);
        feed(&mut m, json, 1_500, CHUNKS[2], &mut scratch);
        check_eq!(c, m.poll_timeout(), Some(Instant::from_millis(3_500)));
        m.handle_timeout(Instant::from_millis(3_499));
        check!(c, m.poll_alert().is_none(), "no gift before its wait ends");
        m.handle_timeout(Instant::from_millis(3_500));
        match m.poll_alert() {
            Some(Alert::GiftedSubscriptions(g)) => {
                check_eq!(c, (g.count, g.chunks, g.complete), (3, 2, false));
            }
            other => check!(c, false, "gift after its wait: {:?}", other),
        }

        // OhLookItsMax twice, the first line again: first words, then not; one line each.
        let mut m = Board::with_capacities();
        let mut firsts = [None; 3];
        for (i, n) in [2, 2, 3].into_iter().enumerate() {
            feed(
                &mut m,
                json,
                i as u64,
                line("kick/ChatMessageEvent.jsonl", n),
                &mut scratch,
            );
            while let Some(a) = m.poll_alert() {
                if let (Alert::Chat(chat), Some(slot)) = (a, firsts.get_mut(i)) {
                    *slot = Some(chat.first_words);
                }
            }
        }
        check_eq!(c, firsts, [Some(true), None, Some(false)]);
    }
    c
}
