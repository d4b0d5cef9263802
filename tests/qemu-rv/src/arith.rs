//! Arithmetic that differs on a 32-bit core, checked explicitly: `usize` is 32 bits here and
//! 64-bit integers are pairs of registers, so ids above 2^32, millisecond timestamps, and
//! byte offsets beyond 64 KiB are where a silent truncation would hide.
//!
//! Every expected value is worked out by hand in its comment.

use core::time::Duration;

use kickwire_proto::conn::{EncodeError, Instant, PusherUrl};
use kickwire_proto::kick::Event;
use kickwire_proto::limits::MAX_PAYLOAD;
use kickwire_proto::{DecodeError, Layer, Message, SyntaxError, Timestamp, decode};

use crate::check::Checks;
use crate::{check, check_eq};

/// A frame bigger than 64 KiB: offsets must not be 16-bit anywhere.
const BIG: usize = 70_000;

pub fn run() -> Checks {
    let mut c = Checks::new("arith");
    check_eq!(c, core::mem::size_of::<usize>(), 4); // really a 32-bit target
    ids(&mut c);
    timestamps(&mut c);
    offsets(&mut c);
    time(&mut c);
    c
}

fn subscription(payload: &str) -> Option<(u64, Option<u32>)> {
    match Event::decode("App\\Events\\SubscriptionEvent", payload.as_bytes()) {
        Ok(Event::Subscription(s)) => Some((s.chatroom_id, s.months)),
        _ => None,
    }
}

fn ids(c: &mut Checks) {
    // 2^32 + 1 must not wrap to 1; a u32 field given 2^32 saturates at u32::MAX (4294967295)
    // rather than wrapping to 0.
    check_eq!(
        c,
        subscription(r#"{"chatroom_id":4294967297,"username":"u","months":4294967296}"#),
        Some((4_294_967_297, Some(u32::MAX)))
    );
    // u64::MAX exactly; one more overflows u64 and leaves the field at its default (0), as
    // the lenient readers document; an id given as a numeric string counts the same.
    check_eq!(
        c,
        subscription(r#"{"chatroom_id":18446744073709551615,"username":"u"}"#),
        Some((u64::MAX, None))
    );
    check_eq!(
        c,
        subscription(r#"{"chatroom_id":18446744073709551616,"username":"u"}"#),
        Some((0, None))
    );
    check_eq!(
        c,
        subscription(r#"{"chatroom_id":"4294967296","username":"u","months":"12"}"#),
        Some((4_294_967_296, Some(12)))
    );
    // 2^53 + 1 = 9007199254740993 has no f64: exact only if digits are never parsed as floats.
    let payload = br#"{"user_ids":[4294967295,4294967296,9007199254740993],"username":"u","channel_id":4294967298}"#;
    match Event::decode("App\\Events\\ChannelSubscriptionEvent", payload) {
        Ok(Event::ChannelSubscription(s)) => {
            check_eq!(
                c,
                s.user_ids.as_slice(),
                [4_294_967_295u64, 4_294_967_296, 9_007_199_254_740_993]
            );
            check_eq!(c, s.channel_id, 4_294_967_298);
        }
        other => check!(c, false, "ChannelSubscription: {other:?}"),
    }
    // Kicks: a 20-minute pin is 1200000000000 in Kick's unit (> 2^40).
    let payload = br##"{"gift_transaction_id":"t","message":"","sender":{"id":4294967296,"username":"s","username_color":"#FFFFFF"},"gift":{"gift_id":"g","name":"G","amount":4294967296,"type":"BASIC","tier":"BASIC","pinned_time":1200000000000},"created_at":"2026-01-14T17:58:57.996Z"}"##;
    match Event::decode("KicksGifted", payload) {
        Ok(Event::KicksGifted(k)) => {
            check_eq!(c, k.sender.id, 4_294_967_296);
            check_eq!(c, k.gift.amount, 4_294_967_296);
            check_eq!(c, k.gift.pinned_time, Some(1_200_000_000_000));
            // 2026-01-14 is day 20467 since 1970: 20467 * 86400 = 1768348800 s, plus
            // 17:58:57 = 64737 s -> 1768413537 s, plus 996 ms.
            check_eq!(
                c,
                k.created_at.map(Timestamp::unix_millis),
                Some(1_768_413_537_996)
            );
        }
        other => check!(c, false, "KicksGifted: {other:?}"),
    }
}

fn ms(s: &str) -> Option<i64> {
    Timestamp::parse_str(s).map(Timestamp::unix_millis)
}

fn timestamps(c: &mut Checks) {
    // 2^31 s (the 32-bit time_t end, 2038-01-19T03:14:08Z) and 2^32 s (2106-02-07T06:28:16Z),
    // in milliseconds: 2147483648000 and 4294967296000.
    check_eq!(c, ms("2038-01-19T03:14:08Z"), Some(2_147_483_648_000));
    check_eq!(c, ms("2106-02-07T06:28:16Z"), Some(4_294_967_296_000));
    check_eq!(c, ms("2106-02-07T06:28:15.999Z"), Some(4_294_967_295_999));
    check_eq!(c, ms("2106-02-07 07:28:16+01:00"), Some(4_294_967_296_000));
    // One second before the epoch is negative, not a huge unsigned number.
    check_eq!(c, ms("1969-12-31T23:59:59Z"), Some(-1_000));
    // Bare numbers: 2^32 is below 1e11 so it counts as seconds; 1790525704722 as milliseconds.
    check_eq!(
        c,
        Timestamp::from_unix_number(4_294_967_296).unix_millis(),
        4_294_967_296_000
    );
    check_eq!(
        c,
        Timestamp::from_unix_number(1_790_525_704_722).unix_millis(),
        1_790_525_704_722
    );
    check_eq!(c, ms("1790525704722"), Some(1_790_525_704_722));
}

fn offsets(c: &mut Checks) {
    let mut scratch = [0u8; MAX_PAYLOAD];
    let mut out = Message::default();

    // 70000 spaces, then `{]`: the bad byte is at offset 70001 (> 65535).
    let mut frame = [b' '; BIG + 2];
    if let Some(tail) = frame.get_mut(BIG..) {
        tail.copy_from_slice(b"{]");
    }
    let got = decode(&frame, &mut scratch).next_into(&mut out);
    check_eq!(
        c,
        got,
        Some(Err(DecodeError::Syntax {
            layer: Layer::Envelope,
            error: SyntaxError::UnexpectedByte,
            offset: BIG + 1,
        }))
    );

    // A chat payload of 20000 bytes with a 16 KiB scratch: too large, and by how much.
    let mut frame = [b'x'; 20_100];
    let head = br#"{"event":"App\\Events\\ChatMessageEvent","channel":"c","data":""#;
    let tail = br#""}"#;
    let end = head.len() + 20_000;
    if let Some(h) = frame.get_mut(..head.len()) {
        h.copy_from_slice(head);
    }
    if let Some(t) = frame.get_mut(end..end + tail.len()) {
        t.copy_from_slice(tail);
    }
    let frame = frame.get(..end + tail.len()).unwrap_or(&[]);
    let got = decode(frame, &mut scratch).next_into(&mut out);
    check_eq!(
        c,
        got,
        Some(Err(DecodeError::PayloadTooLarge { required: 20_000 }))
    );

    // The Kick app URL is 99 bytes: a 10-byte buffer says so.
    let mut small = [0u8; 10];
    check_eq!(
        c,
        PusherUrl::cluster("32cbd69e4b950bf97679", "us2").write(&mut small),
        Err(EncodeError::BufferTooSmall { required: 99 })
    );
}

fn time(c: &mut Checks) {
    // Instants saturate at the end of time and never go negative.
    let end = Instant::from_millis(u64::MAX - 5);
    check_eq!(
        c,
        end + Duration::from_secs(1),
        Instant::from_millis(u64::MAX)
    );
    check_eq!(
        c,
        Instant::from_millis(5) - Instant::from_millis(10),
        Duration::ZERO
    );
    // 2^32 ms + 1 s - (2^32 ms - 1 s) = 2 s: the subtraction carries across the 32-bit halves.
    check_eq!(
        c,
        Instant::from_millis((1 << 32) + 1_000) - Instant::from_millis((1 << 32) - 1_000),
        Duration::from_secs(2)
    );
    check_eq!(
        c,
        Instant::from_millis(u64::from(u32::MAX))
            .after(Duration::from_millis(1))
            .as_millis(),
        1u64 << 32
    );
}
