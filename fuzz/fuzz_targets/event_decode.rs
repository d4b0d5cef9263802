//! Kick payload decoding: the first two bytes pick an event name (a kind of the event table and
//! one spelling of it, or a name nobody knows), which must look up as that kind; the rest is the
//! payload given to `Event::decode`; the whole input also goes through `kickwire_proto::decode`
//! as one WebSocket message. Never a panic; the capacity invariants of the decoded values hold; `json::probe`
//! takes every payload typed decoding takes and reads the same numbers from it.
#![no_main]

use kickwire_proto::json::probe;
use kickwire_proto::kick::{Event, EventKind, PREFIX, Unknown};
use kickwire_proto::limits;
use kickwire_proto::{Message, decode};
use libfuzzer_sys::fuzz_target;

/// Names `EventKind::from_name` does not know.
const UNKNOWN_NAMES: [&str; 2] = ["pusher:ping", "SomethingNewEvent"];

/// The event name two bytes select: `kind` picks one of `EventKind::ALL` (the event table), or
/// past its end one of [`UNKNOWN_NAMES`]; `spelling` picks one of the kind's wire names (bits 2
/// and up), with the `App\Events\` prefix (bit 0) and the `Event` suffix (bit 1), which Kick
/// sends or leaves out. Returns the name and the kind it stands for.
fn event_name(kind: u8, spelling: u8) -> (String, EventKind) {
    let known = EventKind::ALL.len();
    let i = usize::from(kind) % (known + UNKNOWN_NAMES.len());
    let Some(&kind) = EventKind::ALL.get(i) else {
        return (UNKNOWN_NAMES[i - known].to_owned(), EventKind::Unknown);
    };
    let names = kind.wire_names();
    let base = names[usize::from(spelling >> 2) % names.len()];
    let prefix = if spelling & 1 != 0 { PREFIX } else { "" };
    let suffix = if spelling & 2 != 0 { "Event" } else { "" };
    (format!("{prefix}{base}{suffix}"), kind)
}

fn check(event: &Event) {
    match event {
        Event::ChatMessage(m) => {
            assert!(m.content.len() <= limits::MESSAGE);
            assert!(m.id.len() <= limits::ID);
            assert!(m.sender.identity.badges.len() as u32 <= m.sender.identity.badges.total());
            // Walking the emote tokens must not panic either.
            for _ in m.parts() {}
        }
        Event::GiftedSubscriptions(g) => {
            assert_eq!(g.gifted_count, g.gifted_usernames.total());
            assert!(g.gifted_usernames.len() <= limits::GIFT_RECIPIENTS);
        }
        _ => {}
    }
    // The serde form (the CLI's `--json`) must serialize whatever was decoded.
    serde_json::to_string(event).expect("events always serialize");
}

fuzz_target!(|data: &[u8]| {
    if let [kind, spelling, payload @ ..] = data {
        let (name, selected) = event_name(*kind, *spelling);
        let name = name.as_str();
        let kind = EventKind::from_name(name);
        assert_eq!(kind, selected, "{name} looked up as another kind");
        let fresh = Event::decode(name, payload);
        match &fresh {
            Ok(event) => {
                if kind == EventKind::Unknown {
                    assert!(matches!(event, Event::Unknown(u) if u.name.as_str() == name));
                }
                check(event);
            }
            Err(_) => assert_ne!(kind, EventKind::Unknown, "unknown names are never an error"),
        }

        // The probe (a board's way to read a few numbers) against the typed decoder.
        if kind != EventKind::Unknown
            && kind != EventKind::PinnedMessageDeleted
            && kind != EventKind::PollDelete
        {
            let probed = probe::object(payload);
            // Every well-formed payload the decoder takes, the probe takes. (The probe checks
            // the whole JSON grammar; the decoder does not look inside the containers no field
            // wants, so on malformed JSON either may refuse what the other takes.)
            if fresh.is_ok() && serde_json::from_slice::<serde_json::Value>(payload).is_ok() {
                assert!(
                    probed.is_ok(),
                    "probe refused a payload the decoder took: {probed:?}"
                );
            }
            let u32_of = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
            if let (Ok(p), Ok(event)) = (probed, &fresh) {
                match event {
                    Event::Subscription(s) => assert_eq!(p.u64("months").map(u32_of), s.months),
                    Event::GiftedSubscriptions(g) => assert_eq!(
                        p.array_len("gifted_usernames")
                            .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
                        g.gifted_count
                    ),
                    Event::StreamHost(h) => assert_eq!(p.u64("number_viewers"), h.number_viewers),
                    _ => {}
                }
            }
        }

        // Decoding into a reused event (as a driver does) gives what a fresh decode gives, even
        // right after a failed or partial decode of the same kind (half the payload) left it
        // in an unspecified state, and again when decoded twice.
        let mut reused = Event::Unknown(Unknown::default());
        let _ = reused.decode_into(kind, name, &payload[..payload.len() / 2]);
        for round in 0..2 {
            let again = reused.decode_into(kind, name, payload);
            match (&fresh, again) {
                (Ok(f), Ok(())) => assert_eq!(f, &reused, "reused event differs (round {round})"),
                (Err(a), Err(b)) => assert_eq!(*a, b),
                (f, r) => panic!("fresh {f:?} vs reused {r:?}"),
            }
        }
    }

    // The whole input as one WebSocket message, with scratch as long as the message (always
    // enough) and with a tiny scratch (the payload-too-large path).
    let mut scratch = vec![0u8; data.len().max(1)];
    let fresh: Vec<_> = decode(data, &mut scratch).collect();
    for item in &fresh {
        if let Ok(Message::Kick { event, .. }) = item {
            check(event);
        }
    }
    // `next_into` with one `Message` reused for every envelope gives the same items.
    let mut out = Message::default();
    let mut messages = decode(data, &mut scratch);
    let mut i = 0;
    while let Some(r) = messages.next_into(&mut out) {
        match (fresh.get(i), r) {
            (Some(Ok(m)), Ok(())) => assert_eq!(m, &out, "item {i} differs when reused"),
            (Some(Err(a)), Err(b)) => assert_eq!(*a, b),
            (f, r) => panic!("item {i}: iterator {f:?} vs next_into {r:?}"),
        }
        i += 1;
    }
    assert_eq!(i, fresh.len());
    let mut tiny = [0u8; 8];
    for _ in decode(data, &mut tiny) {}
});
