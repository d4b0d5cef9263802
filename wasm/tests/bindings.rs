//! The exported functions of kickwire-wasm (what `js/kickwire.js` calls) in headless Chromium,
//! driven from Rust as JavaScript drives them: texts written into the input buffer at
//! `kw_buffer(INPUT_AT)` through the module's `WebAssembly.Memory`, answers read from
//! `kw_buffer(OUTPUT_AT)`.
//!
//! Expected values are written out by hand from the real frames in `tests/vectors/kick/` (the
//! payload texts are each frame's `data` string with its escapes undone), the Pusher and
//! Centrifugo protocol vectors, and the record layout documented in `src/records.rs`.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p kickwire-wasm --target
//! wasm32-unknown-unknown` (tests/tests/wasm_browser.rs does it).
//!
//! The tests share the module's one set of slots: each frees every slot it takes.
#![cfg(target_arch = "wasm32")]

use js_sys::{JSON, Reflect, Uint8Array, WebAssembly};
use kickwire_wasm::conn::{
    CLOSED, CONNECT, DISCONNECT, EVENT, OPENED, SET_TOKEN, STATE, SUBSCRIBE, TIMEOUT, TOKEN_FAILED,
    TRANSMIT, kw_drive, kw_message, kw_poll, kw_start, kw_timer,
};
use kickwire_wasm::decoder::{CENTRIFUGO as HOLDS_CENTRIFUGO, decode, kw_decode};
use kickwire_wasm::http::{
    kw_lookup, kw_lookup_reply, kw_negotiate, kw_negotiated, kw_token, kw_token_request,
};
use kickwire_wasm::redact::kw_redact;
use kickwire_wasm::shared::{INPUT_AT, INPUT_SIZE, OUTPUT_AT, kw_buffer};
use kickwire_wasm::slots::{kw_alloc, kw_free};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// ----- the vectors -----

fn line(file: &str, n: usize) -> &str {
    file.lines()
        .filter(|l| !l.trim().is_empty())
        .nth(n - 1)
        .expect("vector line")
}

const USER_UNBANNED: &str = include_str!("../../tests/vectors/kick/UserUnbannedEvent.jsonl");
const CHAT: &str = include_str!("../../tests/vectors/kick/ChatMessageEvent.jsonl");
const GIFTED: &str = include_str!("../../tests/vectors/kick/GiftedSubscriptionsEvent.jsonl");
const SERVER_TO_CLIENT: &str =
    include_str!("../../tests/vectors/kick/protocol/server_to_client.jsonl");
const CENTRIFUGO: &str =
    include_str!("../../tests/vectors/kick/reconstructed/centrifugo_json_protocol.jsonl");

/// UserUnbannedEvent.jsonl:1's `data`, unescaped.
const UNBANNED_PAYLOAD: &str = r#"{"id":"70e7e789-0b5e-498f-b475-ad6cd148abde","user":{"id":152392,"username":"symbaz","slug":"symbaz"},"unbanned_by":{"id":9865,"username":"gazdemic","slug":"gazdemic"}}"#;
/// ChatMessageEvent.jsonl:1's `data`, unescaped.
const CHAT_PAYLOAD: &str = r##"{"id":"b2af4980-9dfa-4822-960d-0e64704e2ced","chatroom_id":2507974,"content":"more in premiere","type":"message","created_at":"2023-12-24T22:05:00+00:00","sender":{"id":1247649,"username":"tayloredbydrew","slug":"tayloredbydrew","identity":{"color":"#FF9D00","badges":[]}}}"##;
/// GiftedSubscriptionsEvent.jsonl:1's `data`, unescaped.
const GIFTED_PAYLOAD: &str =
    r#"{"chatroom_id":2507974,"gifted_usernames":["bigboss_23"],"gifter_username":"court"}"#;
/// centrifugo_json_protocol.jsonl:5's publication `data` (GiftDeck's ChatMessageEvent.jsonl:10),
/// unescaped once: Kick's own `\/` escapes stay, they belong to the payload's JSON.
const CENTRIFUGO_CHAT_PAYLOAD: &str = r##"{"id":"eb952e8d-8798-4a5e-b288-12ba43e66b34","chatroom_id":5976096,"content":"البكسل بس عندي يا شات","type":"message","created_at":"2026-09-27T16:11:55+00:00","sender":{"id":21608136,"username":"abbasnjah","slug":"abbasnjah","identity":{"color":"#FFD899","badges":[],"badges_v2":[{"name":"level","badge_type":"global","image_url":"https:\/\/ext.cdn.kick.com\/chat\/badges\/23_9d2886b2-cddf-410f-9af5-424c72d7d4a9.png","metadata":{"level":23},"selected":true,"sort_order":1}]}},"metadata":{"message_ref":"1790525515401"}}"##;

const MOVE: &str = include_str!("../../tests/vectors/kick/ChatMoveToSupportedChannelEvent.jsonl");
const SENT: &str = include_str!("../../tests/vectors/kick/ChatMessageSentEvent.jsonl");
/// ChatMoveToSupportedChannelEvent.jsonl:1's `channel.playback_url` (a signed stream URL), as
/// the frame carries it: inside the `data` string, its slashes escaped twice.
const MOVE_PLAYBACK: &str = r"https:\\/\\/fa723fc1b171.us-west-2.playback.live-video.net\\/api\\/video\\/v1\\/us-west-2.196233775518.channel.JlhOxRLIUFVC.m3u8";
/// ChatMessageSentEvent.jsonl:1's `user.profile_thumb` query (a presigned picture URL's
/// credential and signature), as the frame carries it.
const SENT_QUERY: &str = "?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAS3MDRZGPDOOAYROR%2F20250704%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20250704T050415Z&X-Amz-SignedHeaders=host&X-Amz-Expires=299&X-Amz-Signature=4dbf64a8b9d3ad89c30bc8c4fac2c284800f98e26c7ef842fceec03d7969b2ba";

const PUSHER_URL: &str =
    "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";

// ----- the module's memory, as kickwire.js reads it -----

fn memory() -> Uint8Array {
    let m: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Uint8Array::new(&m.buffer())
}

/// Writes the strings one after another into the input buffer; answers their byte lengths
/// (kickwire.js's `put`).
fn put(strings: &[&str]) -> Vec<u32> {
    let mem = memory();
    let mut at = kw_buffer(INPUT_AT);
    let end = at + kw_buffer(INPUT_SIZE);
    strings
        .iter()
        .map(|s| {
            let n = s.len() as u32;
            assert!(at + n <= end, "input buffer too small for the test");
            mem.subarray(at, at + n).copy_from(s.as_bytes());
            at += n;
            n
        })
        .collect()
}

fn put1(s: &str) -> u32 {
    put(&[s])[0]
}

fn read(at: u32, len: u32) -> Vec<u8> {
    memory().subarray(at, at + len).to_vec()
}

fn out_text(len: u32) -> String {
    String::from_utf8(read(kw_buffer(OUTPUT_AT), len)).expect("UTF-8 output")
}

fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

fn field(v: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

// ----- records (src/records.rs) -----

#[derive(Debug, PartialEq)]
struct Record {
    kind: u8,
    transport: u8,
    channel: String,
    name: String,
    payload_at: u32,
    payload: String,
}

/// Reads `len` bytes of records from the output: the dropped count, then the records.
fn records(len: u32) -> (u32, Vec<Record>) {
    let b = read(kw_buffer(OUTPUT_AT), len);
    assert!(b.len() >= 4, "records start with the dropped count: {b:?}");
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let dropped = u32_at(0);
    let mut list = Vec::new();
    let mut at = 4;
    while at < b.len() {
        assert!(at + 12 <= b.len(), "a cut record at {at} of {}", b.len());
        let (kind, transport, clen, nlen) = (b[at], b[at + 1], b[at + 2], b[at + 3]);
        let (payload_at, plen) = (u32_at(at + 4), u32_at(at + 8));
        at += 12;
        let channel = String::from_utf8(b[at..at + clen as usize].to_vec()).unwrap();
        at += clen as usize;
        let name = String::from_utf8(b[at..at + nlen as usize].to_vec()).unwrap();
        at += nlen as usize;
        let payload = String::from_utf8(read(payload_at, plen)).expect("UTF-8 payload");
        list.push(Record {
            kind,
            transport,
            channel,
            name,
            payload_at,
            payload,
        });
    }
    assert_eq!(at, b.len(), "records end where their length says");
    (dropped, list)
}

/// A record as expected: kind, transport, channel, wire name, payload.
fn rec(kind: u8, transport: u8, channel: &str, name: &str, payload: &str) -> Record {
    Record {
        kind,
        transport,
        channel: channel.into(),
        name: name.into(),
        payload_at: 0,
        payload: payload.into(),
    }
}

/// The record of UserUnbannedEvent.jsonl:1 as a Pusher frame delivers it: no wire name (a
/// known event), its channel, the payload unescaped.
fn unbanned_record() -> Record {
    rec(
        USER_UNBANNED_KIND,
        0,
        "chatrooms.2507974.v2",
        "",
        UNBANNED_PAYLOAD,
    )
}

/// The records, with each payload checked to lie inside the input's first `input_len` bytes
/// (unescaped in place: no copy) and its address then blanked for comparison.
fn records_in_input(len: u32, input_len: u32) -> (u32, Vec<Record>) {
    let (dropped, mut list) = records(len);
    let (lo, hi) = (kw_buffer(INPUT_AT), kw_buffer(INPUT_AT) + input_len);
    for r in &mut list {
        assert!(
            r.payload_at >= lo && r.payload_at + r.payload.len() as u32 <= hi,
            "payload of {r:?} is not in the input {lo}..{hi}"
        );
        r.payload_at = 0;
    }
    (dropped, list)
}

// Kind numbers: places in `KINDS` of js/kickwire.js (checked against proto's table in
// src/names.rs, `the_javascript_holds_the_tables_behind_the_numbers`).
const CHAT_MESSAGE: u8 = 0;
const USER_UNBANNED_KIND: u8 = 3;
const GIFTED_SUBSCRIPTIONS: u8 = 13;
const UNKNOWN: u8 = 35;

// ----- kw_decode -----

#[wasm_bindgen_test]
fn decode_gives_a_record_pointing_at_the_unescaped_payload() {
    // UserUnbannedEvent.jsonl:1: App\Events\UserUnbannedEvent, kick-live-connector's UserUnBanned.
    let frame = line(USER_UNBANNED, 1);
    let n = put1(frame);
    let len = kw_decode(n);
    // 4 (dropped) + 12 (head) + 20 ("chatrooms.2507974.v2").
    assert_eq!(len, 4 + 12 + 20);
    let (dropped, list) = records_in_input(len, n);
    assert_eq!(dropped, 0);
    assert_eq!(list, [unbanned_record()]);
    // The payload is what the browser's JSON.parse then reads.
    let data = parse(&list[0].payload);
    assert_eq!(field(&data, "user.username").as_string().unwrap(), "symbaz");
    assert_eq!(field(&data, "unbanned_by.id").as_f64().unwrap(), 9865.0);

    // ChatMessageEvent.jsonl:1, with its `\"` escapes and a `#` colour.
    let n = put1(line(CHAT, 1));
    let (dropped, list) = records_in_input(kw_decode(n), n);
    assert_eq!(dropped, 0);
    assert_eq!(
        list,
        [rec(
            CHAT_MESSAGE,
            0,
            "chatrooms.2507974.v2",
            "",
            CHAT_PAYLOAD
        )]
    );

    // ChatMessageEvent.jsonl:4: `\\ud83c\\udf89` on the wire is `\ud83c\udf89` in the payload
    // (the payload's own escape, for JSON.parse: one emoji).
    let n = put1(line(CHAT, 4));
    let (_, list) = records_in_input(kw_decode(n), n);
    assert_eq!(
        list,
        [rec(
            CHAT_MESSAGE,
            0,
            "chatrooms.31047538.v2",
            "",
            r##"{"id":"1fc36aef-d1c8-4af3-841f-0d38574b73c3","chatroom_id":31047538,"content":"\ud83c\udf89","type":"celebration","created_at":"2025-07-19T14:18:32+00:00","sender":{"id":11497484,"username":"jerkpupputo","slug":"jerkpupputo","identity":{"color":"#FF9D00","badges":[{"type":"founder","text":"Founder"},{"type":"subscriber","text":"Subscriber","count":2}]}},"metadata":{"celebration":{"id":"chceleb_01K0518CW5PNSCAWDSXZY5806C","type":"subscription_renewed","total_months":2,"created_at":"2025-07-14T17:55:52.83787Z"}}}"##
        )]
    );
    assert_eq!(
        field(&parse(&list[0].payload), "content")
            .as_string()
            .unwrap(),
        "\u{1F389}"
    );

    // GiftedSubscriptionsEvent.jsonl:2: the name without App\Events\, another channel.
    let n = put1(line(GIFTED, 2));
    let (_, list) = records_in_input(kw_decode(n), n);
    assert_eq!(
        list,
        [rec(
            GIFTED_SUBSCRIPTIONS,
            0,
            "chatroom_25951243",
            "",
            r#"{"chatroom_id":25951243,"gifted_usernames":["rawze"],"gifter_username":"F1Aa","gifter_total":1}"#
        )]
    );
}

#[wasm_bindgen_test]
fn decode_reads_a_centrifugo_batch_past_its_ping_and_a_bad_line() {
    // centrifugo_json_protocol.jsonl:5 (a chat publication), Centrifugo's ping `{}`, a line that
    // is no JSON, then two publications on another channel wrapping the data strings of
    // GiftedSubscriptionsEvent.jsonl:1 and UserUnbannedEvent.jsonl:1 as Kick's Centrifugo does.
    let batch = [
        line(CENTRIFUGO, 5),
        "{}",
        "this line is not JSON",
        r#"{"push":{"channel":"chatrooms.2507974.v2","pub":{"data":{"event":"App\\Events\\GiftedSubscriptionsEvent","data":"{\"chatroom_id\":2507974,\"gifted_usernames\":[\"bigboss_23\"],\"gifter_username\":\"court\"}"}}}}"#,
        r#"{"push":{"channel":"chatrooms.2507974.v2","pub":{"data":{"event":"App\\Events\\UserUnbannedEvent","data":"{\"id\":\"70e7e789-0b5e-498f-b475-ad6cd148abde\",\"user\":{\"id\":152392,\"username\":\"symbaz\",\"slug\":\"symbaz\"},\"unbanned_by\":{\"id\":9865,\"username\":\"gazdemic\",\"slug\":\"gazdemic\"}}"}}}}"#,
    ]
    .join("\n");
    let n = put1(&batch);
    let len = kw_decode(n);
    // Three heads, each with its channel's name (20 bytes), the third's too though it is the
    // second's: a record always names its channel.
    assert_eq!(len, 4 + 3 * (12 + 20));
    let (dropped, list) = records_in_input(len, n);
    assert_eq!(dropped, 0);
    assert_eq!(
        list,
        [
            rec(
                CHAT_MESSAGE,
                1,
                "chatrooms.5976096.v2",
                "",
                CENTRIFUGO_CHAT_PAYLOAD
            ),
            rec(
                GIFTED_SUBSCRIPTIONS,
                1,
                "chatrooms.2507974.v2",
                "",
                GIFTED_PAYLOAD
            ),
            rec(
                USER_UNBANNED_KIND,
                1,
                "chatrooms.2507974.v2",
                "",
                UNBANNED_PAYLOAD
            ),
        ]
    );
    let chat = parse(&list[0].payload);
    assert_eq!(
        field(&chat, "content").as_string().unwrap(),
        "البكسل بس عندي يا شات"
    );
    assert_eq!(
        field(&chat, "sender.identity.badges_v2.0.image_url")
            .as_string()
            .unwrap(),
        "https://ext.cdn.kick.com/chat/badges/23_9d2886b2-cddf-410f-9af5-424c72d7d4a9.png"
    );
}

#[wasm_bindgen_test]
fn decode_passes_unknown_events_with_their_wire_name() {
    // UserUnbannedEvent.jsonl:1 under a name kickwire does not know.
    let frame = line(USER_UNBANNED, 1).replace("UserUnbannedEvent", "BrandNewEvent");
    let n = put1(&frame);
    let len = kw_decode(n);
    let wire = r"App\Events\BrandNewEvent"; // the JSON's `\\` read as one backslash
    assert_eq!(len as usize, 4 + 12 + 20 + wire.len());
    let (_, list) = records_in_input(len, n);
    assert_eq!(
        list,
        [rec(
            UNKNOWN,
            0,
            "chatrooms.2507974.v2",
            wire,
            UNBANNED_PAYLOAD
        )]
    );
    // Two records on one channel each carry it and their own wire name: a Pusher frame of two
    // events is two messages, so here two unknown Centrifugo publications in one batch.
    let batch = concat!(
        r#"{"push":{"channel":"c","pub":{"data":{"event":"Odd","data":"1"}}}}"#,
        "\n",
        r#"{"push":{"channel":"c","pub":{"data":{"event":"Odder","data":"[2]"}}}}"#
    );
    let n = put1(batch);
    let len = kw_decode(n);
    // Two heads, each followed by "c" and its name.
    assert_eq!(len, 4 + (12 + 1 + 3) + (12 + 1 + 5));
    let (_, list) = records_in_input(len, n);
    assert_eq!(
        list,
        [
            rec(UNKNOWN, 1, "c", "Odd", "1"),
            rec(UNKNOWN, 1, "c", "Odder", "[2]")
        ]
    );
}

#[wasm_bindgen_test]
fn the_core_modules_decoder_reads_pusher_frames_and_refuses_centrifugo_messages() {
    // The core module's kw_decode (`decode::<false>`; this build, with every feature, exports
    // the lookups module's): Pusher frames give the records kw_decode gives...
    let frame = line(USER_UNBANNED, 1);
    let n = put1(frame);
    let (dropped, list) = records_in_input(decode::<false>(n), n);
    assert_eq!(dropped, 0);
    assert_eq!(list, [unbanned_record()]);
    for frame in SERVER_TO_CLIENT.lines().filter(|l| !l.is_empty()) {
        let n = put1(frame);
        assert_eq!(records(decode::<false>(n)), (0, vec![]), "{frame}");
    }
    // ...and every line of the Centrifugo exchange (commands, replies, the ping, pushes) is
    // answered 0, which no records' length is: the page must load the lookups module.
    assert_eq!(HOLDS_CENTRIFUGO, 0);
    for (i, l) in CENTRIFUGO.lines().filter(|l| !l.is_empty()).enumerate() {
        let n = put1(l);
        assert_eq!(decode::<false>(n), 0, "line {}", i + 1);
        // The lookups module's reads it (a publication, line 5, gives one event).
        let n = put1(l);
        let events = records(decode::<true>(n)).1.len();
        assert_eq!(events, usize::from(i + 1 == 5), "line {}", i + 1);
    }
    // A Centrifugo message anywhere in the message, after a Pusher frame too.
    let msg = format!("{frame}\n{{}}");
    let n = put1(&msg);
    assert_eq!(decode::<false>(n), 0);
    // An object of neither protocol is skipped, as by the whole decoder.
    let msg = format!("{{\"pad\":\"a\"}}\n{frame}");
    let n = put1(&msg);
    assert_eq!(records(decode::<false>(n)).1.len(), 1);
}

#[wasm_bindgen_test]
fn decode_skips_transport_messages_and_malformed_ones() {
    // Every server-to-client Pusher control frame of the protocol vectors: no Kick event.
    for frame in SERVER_TO_CLIENT.lines().filter(|l| !l.is_empty()) {
        let n = put1(frame);
        assert_eq!(records(kw_decode(n)), (0, vec![]), "{frame}");
    }
    // Centrifugo's replies, ping, unsub and disconnect pushes (the vector's lines 2, 4, 6-9).
    for i in [2, 4, 6, 7, 8, 9] {
        let n = put1(line(CENTRIFUGO, i));
        assert_eq!(records(kw_decode(n)), (0, vec![]), "line {i}");
    }
    for bad in [
        "not json at all",
        "",
        r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":"#, // cut short
        r#"{"event":"App\\Events\\ChatMessageEvent","data":"\q","channel":"c"}"#, // bad escape
    ] {
        let n = put1(bad);
        assert_eq!(records(kw_decode(n)), (0, vec![]), "{bad}");
    }
    // A length past the input's end is nothing, not a crash.
    assert_eq!(records(kw_decode(kw_buffer(INPUT_SIZE) + 1)), (0, vec![]));
    // And a good line after a malformed one in the same message still comes.
    let msg = format!("{{\"event\":\n{}", line(USER_UNBANNED, 1));
    let n = put1(&msg);
    let (_, list) = records_in_input(kw_decode(n), n);
    assert_eq!(list, [unbanned_record()]);
}

// ----- slots -----

#[wasm_bindgen_test]
fn eight_slots_then_none_until_one_is_freed() {
    let taken: Vec<i32> = (0..8).map(|_| kw_alloc()).collect();
    assert_eq!(taken, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(kw_alloc(), -1);
    assert_eq!(kw_alloc(), -1);
    kw_free(5);
    assert_eq!(kw_alloc(), 5);
    assert_eq!(kw_alloc(), -1);
    kw_free(99); // out of range: ignored
    for i in 0..8 {
        kw_free(i);
    }
    assert_eq!(kw_alloc(), 0);
    kw_free(0);
}

// ----- secrets -----

#[wasm_bindgen_test]
fn redact_cuts_the_secrets_out_of_a_message_in_place() {
    // The playback URL becomes "[redacted]"; the presigned URL keeps its address, loses its
    // query. Everything else of the frame stays as it was.
    for (frame, secret, with) in [
        (line(MOVE, 1), MOVE_PLAYBACK, "[redacted]"),
        (line(SENT, 1), SENT_QUERY, ""),
    ] {
        assert_eq!(frame.matches(secret).count(), 1, "the vector's secret");
        let n = put1(frame);
        let m = kw_redact(n);
        let redacted = String::from_utf8(read(kw_buffer(INPUT_AT), m)).expect("UTF-8");
        assert_eq!(redacted, frame.replacen(secret, with, 1));
        assert_eq!(m as usize, frame.len() - secret.len() + with.len());
        // What is decoded from it: the payload with the value redacted, its escapes undone.
        let (_, list) = records_in_input(kw_decode(m), m);
        assert_eq!(list.len(), 1);
        assert!(
            !list[0].payload.contains("live-video.net"),
            "{}",
            list[0].payload
        );
        assert!(!list[0].payload.contains("X-Amz-"), "{}", list[0].payload);
    }
    let n = put1(line(MOVE, 1));
    let (_, list) = records_in_input(kw_decode(kw_redact(n)), n);
    assert!(
        list[0].payload.contains(r#""playback_url":"[redacted]""#),
        "{}",
        list[0].payload
    );
    // A message with no secret is left whole.
    let frame = line(CHAT, 1);
    let n = put1(frame);
    assert_eq!(kw_redact(n), n);
    assert_eq!(read(kw_buffer(INPUT_AT), n), frame.as_bytes());
}

#[wasm_bindgen_test]
fn decode_hands_payloads_on_with_their_secrets_for_javascript_to_take_out() {
    // kw_decode redacts nothing: kickwire.js takes the secrets out of each payload as it parses
    // it (its `hide`, checked in Chromium by tests/overlay-e2e/api.mjs), so that the module
    // every page loads carries no redaction.
    for (frame, secret) in [
        (line(MOVE, 1), "live-video.net"),
        (line(SENT, 1), "X-Amz-Signature"),
    ] {
        let n = put1(frame);
        let (_, list) = records_in_input(kw_decode(n), n);
        assert_eq!(list.len(), 1);
        assert!(list[0].payload.contains(secret), "{}", list[0].payload);
    }
}

// ----- a connection -----

fn transmits(slot: u32) -> Vec<(u32, String)> {
    let mut list = Vec::new();
    for _ in 0..16 {
        let t = kw_poll(slot, TRANSMIT);
        if t == 0 {
            return list;
        }
        let (kind, n) = (t & 3, t >> 2);
        list.push((
            kind,
            if kind == 3 {
                n.to_string()
            } else {
                out_text(n)
            },
        ));
    }
    panic!("kw_poll (TRANSMIT) never answered 0: {list:?}");
}

/// The lifecycle events, each as listeners get it: `["Name",{fields}]` JSON, made from what
/// `kw_poll` writes (its `EVENT`) as `_pump` of kickwire.js makes it ([`as_javascript_reads_it`]).
fn events(slot: u32) -> Vec<String> {
    let mut list = Vec::new();
    for _ in 0..16 {
        let n = kw_poll(slot, EVENT);
        if n == 0 {
            return list;
        }
        list.push(as_javascript_reads_it(&out_text(n)));
    }
    panic!("kw_poll (EVENT) never answered 0: {list:?}");
}

/// The API's JavaScript, which holds the lifecycle events' names and keys (`LIFE`) and the
/// connection's texts (`TEXTS`).
const KICKWIRE_JS: &str = include_str!("../js/kickwire.js");

/// The entries of `const {name} = "…".split("|");` in kickwire.js.
fn js_table(name: &str) -> Vec<&'static str> {
    let start = format!("const {name} = \"");
    let at = KICKWIRE_JS.find(&start).expect("kickwire.js has the table") + start.len();
    let (entries, after) = KICKWIRE_JS[at..].split_once('"').expect("the string ends");
    assert!(after.starts_with(".split(\"|\");"), "{name}: {after:.20}");
    entries.split('|').collect()
}

/// A text the module sent as numbers, `[text, number, inner]`, as `said` of kickwire.js
/// composes it from `TEXTS`.
fn said(numbers: &js_sys::Array) -> String {
    let texts = js_table("TEXTS");
    let text = |v: JsValue| texts[v.as_f64().expect("a text's number") as usize];
    let number = numbers.get(1);
    let number = number
        .as_f64()
        .map_or("undefined".to_string(), |n| n.to_string());
    let inner = numbers.get(2);
    let inner = if inner.is_undefined() {
        "undefined"
    } else {
        text(inner)
    };
    text(numbers.get(0))
        .replacen('#', &number, 1)
        .replacen('$', inner, 1)
}

/// What `_pump` of kickwire.js makes of a lifecycle event the module wrote, `[number,
/// ...values]`: `["Name",{fields}]`, the name and the fields' keys those of `LIFE[number]`,
/// each value as sent or, sent as numbers (an array), its text. Written back as JSON with
/// the browser's `JSON.stringify`, which keeps the keys in their order.
fn as_javascript_reads_it(text: &str) -> String {
    let values: js_sys::Array = parse(text).dyn_into().expect("an array");
    let life = js_table("LIFE");
    let entry = life[values.get(0).as_f64().expect("the event's number") as usize];
    let mut words = entry.split(' ');
    let name = words.next().expect("a name");
    let fields = js_sys::Object::new();
    let mut count = 0;
    for (i, key) in words.enumerate() {
        let v = values.get(i as u32 + 1);
        assert!(!v.is_undefined(), "{text}: no value for {key}");
        let v = match v.dyn_ref::<js_sys::Array>() {
            Some(numbers) => JsValue::from(said(numbers)),
            None => v,
        };
        Reflect::set(&fields, &key.into(), &v).unwrap();
        count += 1;
    }
    assert_eq!(
        values.length(),
        count + 1,
        "{text}: a value for each key of {entry}"
    );
    let event = js_sys::Array::of2(&name.into(), &fields);
    JSON::stringify(&event).unwrap().as_string().unwrap()
}

/// A refused command's text: what `kw_start` and `kw_drive` (`SUBSCRIBE`, `SET_TOKEN`) answer is its
/// place in `TEXTS` plus 1 (kickwire.js's `TEXTS[err - 1]`).
fn usage_text(n: u32) -> &'static str {
    assert!(n > 0, "refused");
    js_table("TEXTS")[n as usize - 1]
}

const STATE_CONNECTING: u32 = 1;
const STATE_CONNECTED: u32 = 2;
const STATE_DISCONNECTED: u32 = 4;

#[wasm_bindgen_test]
fn a_pusher_connection_from_open_to_reconnect() {
    let slot = kw_alloc();
    assert!(slot >= 0);
    let slot = slot as u32;
    assert_eq!(kw_start(slot, 0, put1(PUSHER_URL), 1, 7.0), 0);
    assert_eq!(
        kw_drive(slot, 0.0, SUBSCRIBE, 0, put1("chatrooms.2507974.v2")),
        0
    );
    assert_eq!(kw_poll(slot, STATE), 0);
    assert_eq!(kw_timer(slot), -1.0);

    kw_drive(slot, 0.0, CONNECT, 0, 0);
    assert_eq!(transmits(slot), [(1, PUSHER_URL.to_string())]);
    assert_eq!(
        events(slot),
        [r#"["StateChanged",{"previous":"initialized","current":"connecting"}]"#]
    );
    assert_eq!(kw_poll(slot, STATE), STATE_CONNECTING);
    assert_eq!(kw_timer(slot), 10_000.0); // unavailable after 10 s

    kw_drive(slot, 50.0, OPENED, 0, 0);
    assert_eq!(
        transmits(slot),
        [],
        "a Pusher client says nothing before the handshake"
    );

    // protocol/server_to_client.jsonl:1, the handshake: no Kick event, then the subscription
    // (the frame of protocol/client_to_server.jsonl:1 for this channel).
    let n = put1(line(SERVER_TO_CLIENT, 1));
    assert_eq!(records(kw_message(slot, 100.0, n)), (0, vec![]));
    assert_eq!(
        transmits(slot),
        [(
            2,
            r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#
                .to_string()
        )]
    );
    assert_eq!(
        events(slot),
        [
            r#"["StateChanged",{"previous":"connecting","current":"connected"}]"#,
            r#"["Connected",{"transport":"pusher","socketId":"123456.7890"}]"#,
        ]
    );
    assert_eq!(kw_poll(slot, STATE), STATE_CONNECTED);
    // The subscribe awaits its reply: sent again if none comes within 10 s
    // (`Config::subscribe_timeout`), sooner than the ping after 120 s of silence.
    assert_eq!(kw_timer(slot), 100.0 + 10_000.0);

    let ok = line(SERVER_TO_CLIENT, 2).replace("chatrooms.14693568.v2", "chatrooms.2507974.v2");
    let n = put1(&ok);
    assert_eq!(records(kw_message(slot, 150.0, n)), (0, vec![]));
    assert_eq!(
        events(slot),
        [r#"["Subscribed",{"channel":"chatrooms.2507974.v2"}]"#]
    );

    // ChatMessageEvent.jsonl:1 on that channel: one record.
    let n = put1(line(CHAT, 1));
    let (dropped, list) = records_in_input(kw_message(slot, 200.0, n), n);
    assert_eq!(dropped, 0);
    assert_eq!(
        list,
        [rec(
            CHAT_MESSAGE,
            0,
            "chatrooms.2507974.v2",
            "",
            CHAT_PAYLOAD
        )]
    );
    assert_eq!(transmits(slot), []);
    assert_eq!(events(slot), Vec::<String>::new());
    assert_eq!(kw_timer(slot), 200.0 + 120_000.0);

    // A server ping is answered (protocol/server_to_client.jsonl:7, client_to_server.jsonl:7).
    let n = put1(line(SERVER_TO_CLIENT, 7));
    assert_eq!(records(kw_message(slot, 300.0, n)), (0, vec![]));
    assert_eq!(
        transmits(slot),
        [(2, r#"{"event":"pusher:pong","data":{}}"#.to_string())]
    );

    // The socket drops with no close code: retry after 1 s plus under 1 s of jitter.
    kw_drive(slot, 1_000.0, CLOSED, -1, put1(""));
    let ev = events(slot);
    assert_eq!(ev.len(), 3, "{ev:?}");
    assert_eq!(
        ev[0],
        r#"["Disconnected",{"code":null,"reason":"","willRetry":true}]"#
    );
    assert_eq!(
        ev[1],
        r#"["StateChanged",{"previous":"connected","current":"connecting"}]"#
    );
    let reconnecting = parse(&ev[2]);
    assert_eq!(
        field(&reconnecting, "0").as_string().unwrap(),
        "Reconnecting"
    );
    assert_eq!(
        field(&reconnecting, "1.reason").as_string().unwrap(),
        "connection lost"
    );
    let after = field(&reconnecting, "1.afterMs").as_f64().unwrap();
    assert!((1_000.0..2_000.0).contains(&after), "{after}");
    assert_eq!(kw_poll(slot, STATE), STATE_CONNECTING);
    assert_eq!(kw_timer(slot), 1_000.0 + after);
    assert_eq!(transmits(slot), []);
    // The timer fires: the URL is opened again.
    kw_drive(slot, 1_000.0 + after, TIMEOUT, 0, 0);
    assert_eq!(transmits(slot), [(1, PUSHER_URL.to_string())]);

    // disconnect() for good.
    kw_drive(slot, 3_000.0, DISCONNECT, 0, 0);
    assert_eq!(
        events(slot),
        [
            r#"["Disconnected",{"code":1000,"reason":"disconnect requested","willRetry":false}]"#,
            r#"["StateChanged",{"previous":"connecting","current":"disconnected"}]"#,
        ]
    );
    assert_eq!(kw_poll(slot, STATE), STATE_DISCONNECTED);
    assert_eq!(kw_timer(slot), -1.0);
    kw_free(slot);
    // A freed slot has no connection: calls on it are nothing.
    assert_eq!(kw_poll(slot, TRANSMIT), 0);
    assert_eq!(kw_poll(slot, EVENT), 0);
    let n = put1(line(CHAT, 1));
    assert_eq!(records(kw_message(slot, 0.0, n)), (0, vec![]));
}

#[wasm_bindgen_test]
fn a_pusher_close_code_that_refuses_ends_the_connection() {
    // 4009 (sockudo's "You got disconnected by the app."): Pusher's 4000-4099 = do not retry.
    let slot = kw_alloc() as u32;
    assert_eq!(kw_start(slot, 0, put1(PUSHER_URL), 1, 1.0), 0);
    kw_drive(slot, 0.0, CONNECT, 0, 0);
    transmits(slot);
    kw_drive(slot, 10.0, OPENED, 0, 0);
    let n = put1(line(SERVER_TO_CLIENT, 1));
    kw_message(slot, 20.0, n);
    events(slot);
    kw_drive(
        slot,
        500.0,
        CLOSED,
        4009,
        put1("You got disconnected by the app."),
    );
    assert_eq!(
        events(slot),
        [
            r#"["Disconnected",{"code":4009,"reason":"You got disconnected by the app.","willRetry":false}]"#,
            r#"["StateChanged",{"previous":"connected","current":"disconnected"}]"#,
        ]
    );
    assert_eq!(kw_poll(slot, STATE), STATE_DISCONNECTED);
    assert_eq!(kw_timer(slot), -1.0);
    kw_free(slot);
}

#[wasm_bindgen_test]
fn a_centrifugo_connection_asks_for_a_token_then_sends_it() {
    let slot = kw_alloc() as u32;
    let url = "wss://realtime.us-west-2.platform.kick.com/connection/websocket";
    assert_eq!(kw_start(slot, 1, put1(url), 1, 3.0), 0);
    assert_eq!(
        kw_drive(slot, 0.0, SUBSCRIBE, 0, put1("chatrooms.5976096.v2")),
        0
    );
    kw_drive(slot, 0.0, CONNECT, 0, 0);
    // No token yet: nothing is opened, a token is asked for.
    assert_eq!(transmits(slot), []);
    assert_eq!(
        events(slot),
        [
            r#"["StateChanged",{"previous":"initialized","current":"connecting"}]"#,
            r#"["TokenRequired",{"refresh":false}]"#,
        ]
    );
    assert_eq!(kw_drive(slot, 10.0, SET_TOKEN, 0, put1("tok.en")), 0);
    assert_eq!(transmits(slot), [(1, url.to_string())]);
    kw_drive(slot, 20.0, OPENED, 0, 0);
    // centrifugo_json_protocol.jsonl:1, the connect command, with this token.
    assert_eq!(
        transmits(slot),
        [(
            2,
            r#"{"connect":{"token":"tok.en","name":"js"},"id":1}"#.to_string()
        )]
    );
    // Its reply (line 2): connected, then the subscription: line 3 without Kick's web
    // client's `"flag":1`, which kickwire does not send (proto's conn tests).
    let n = put1(line(CENTRIFUGO, 2));
    assert_eq!(records(kw_message(slot, 30.0, n)), (0, vec![]));
    assert_eq!(
        transmits(slot),
        [(
            2,
            r#"{"subscribe":{"channel":"chatrooms.5976096.v2"},"id":2}"#.to_string()
        )]
    );
    let ev = events(slot);
    assert_eq!(
        ev,
        [
            r#"["StateChanged",{"previous":"connecting","current":"connected"}]"#,
            r#"["Connected",{"transport":"centrifugo","socketId":"<client uuid>"}]"#,
        ]
    );
    // The chat publication (line 5) as a record of transport 1.
    let n = put1(line(CENTRIFUGO, 5));
    let (_, list) = records_in_input(kw_message(slot, 40.0, n), n);
    assert_eq!(
        list,
        [rec(
            CHAT_MESSAGE,
            1,
            "chatrooms.5976096.v2",
            "",
            CENTRIFUGO_CHAT_PAYLOAD
        )]
    );
    kw_drive(slot, 50.0, DISCONNECT, 0, 0);
    assert_eq!(transmits(slot), [(3, "1000".to_string())]);
    kw_free(slot);
}

const CENTRIFUGO_URL: &str = "wss://realtime.us-west-2.platform.kick.com/connection/websocket";

/// `Reconnecting`'s delay after checking its name and reason.
fn reconnecting_after(event: &str, reason: &str) -> f64 {
    let v = parse(event);
    assert_eq!(
        field(&v, "0").as_string().unwrap(),
        "Reconnecting",
        "{event}"
    );
    assert_eq!(
        field(&v, "1.reason").as_string().unwrap(),
        reason,
        "{event}"
    );
    field(&v, "1.afterMs").as_f64().unwrap()
}

#[wasm_bindgen_test]
fn a_failed_token_fetch_is_asked_again_after_a_growing_back_off() {
    let slot = kw_alloc() as u32;
    assert_eq!(kw_start(slot, 1, put1(CENTRIFUGO_URL), 1, 5.0), 0);
    kw_drive(slot, 0.0, CONNECT, 0, 0);
    assert_eq!(
        events(slot),
        [
            r#"["StateChanged",{"previous":"initialized","current":"connecting"}]"#,
            r#"["TokenRequired",{"refresh":false}]"#,
        ]
    );
    // Each failure: a Reconnecting after 1 s, then 2 s (each plus under 1 s of jitter), the
    // reason "no connection token"; nothing is opened; when the timer fires, the connection
    // asks for a token again.
    let mut now = 100.0;
    for base in [1_000.0, 2_000.0] {
        kw_drive(slot, now, TOKEN_FAILED, 0, 0);
        let ev = events(slot);
        assert_eq!(ev.len(), 1, "{ev:?}");
        let after = reconnecting_after(&ev[0], "no connection token");
        assert!(
            (base..base + 1_000.0).contains(&after),
            "{after} after {base}"
        );
        assert_eq!(transmits(slot), []);
        assert_eq!(kw_timer(slot), now + after);
        now += after;
        kw_drive(slot, now, TIMEOUT, 0, 0);
        assert_eq!(events(slot), [r#"["TokenRequired",{"refresh":false}]"#]);
        now += 100.0;
    }
    // The third fetch brings a token: the socket is opened with it.
    assert_eq!(kw_drive(slot, now, SET_TOKEN, 0, put1("tok.en")), 0);
    assert_eq!(transmits(slot), [(1, CENTRIFUGO_URL.to_string())]);
    // A failure reported when no token is awaited changes nothing.
    kw_drive(slot, now + 10.0, TOKEN_FAILED, 0, 0);
    assert_eq!(events(slot), Vec::<String>::new());
    assert_eq!(transmits(slot), []);
    kw_free(slot);
}

#[wasm_bindgen_test]
fn a_subscribe_left_unanswered_is_sent_again() {
    let slot = kw_alloc() as u32;
    assert_eq!(kw_start(slot, 0, put1(PUSHER_URL), 1, 7.0), 0);
    assert_eq!(
        kw_drive(slot, 0.0, SUBSCRIBE, 0, put1("chatrooms.2507974.v2")),
        0
    );
    kw_drive(slot, 0.0, CONNECT, 0, 0);
    transmits(slot);
    kw_drive(slot, 50.0, OPENED, 0, 0);
    // The handshake (protocol/server_to_client.jsonl:1), then the subscribe goes out.
    let n = put1(line(SERVER_TO_CLIENT, 1));
    kw_message(slot, 100.0, n);
    let subscribe =
        r#"{"event":"pusher:subscribe","data":{"auth":"","channel":"chatrooms.2507974.v2"}}"#;
    assert_eq!(transmits(slot), [(2, subscribe.to_string())]);
    events(slot);
    // No reply within 10 s: the event, and the subscribe sent again.
    assert_eq!(kw_timer(slot), 10_100.0);
    kw_drive(slot, 10_100.0, TIMEOUT, 0, 0);
    assert_eq!(
        events(slot),
        [r#"["SubscriptionTimedOut",{"channel":"chatrooms.2507974.v2"}]"#]
    );
    assert_eq!(transmits(slot), [(2, subscribe.to_string())]);
    kw_free(slot);
}

#[wasm_bindgen_test]
fn a_burst_of_bad_messages_is_one_error_with_its_repeats() {
    let slot = kw_alloc() as u32;
    assert_eq!(kw_start(slot, 1, put1(CENTRIFUGO_URL), 1, 3.0), 0);
    assert_eq!(kw_drive(slot, 0.0, SET_TOKEN, 0, put1("tok.en")), 0);
    kw_drive(slot, 0.0, CONNECT, 0, 0);
    transmits(slot);
    kw_drive(slot, 10.0, OPENED, 0, 0);
    transmits(slot);
    // The connect reply (centrifugo_json_protocol.jsonl:2).
    let n = put1(line(CENTRIFUGO, 2));
    kw_message(slot, 20.0, n);
    events(slot);
    // One message of three lines that are not JSON (`]` cannot start a value), and before the
    // events are polled a fourth in a message of its own: one Error, three more folded in.
    let n = put1("]\n]\n]");
    assert_eq!(records(kw_message(slot, 30.0, n)), (0, vec![]));
    let n = put1("]");
    assert_eq!(records(kw_message(slot, 31.0, n)), (0, vec![]));
    assert_eq!(
        events(slot),
        [
            r#"["Error",{"source":"message","message":"envelope: unexpected byte in JSON at byte 0","repeats":3}]"#
        ]
    );
    kw_free(slot);
}

#[wasm_bindgen_test]
fn start_and_subscribe_errors_are_texts() {
    let slot = kw_alloc() as u32;
    let n = kw_start(slot, 0, put1("http://127.0.0.1:6001/app/x"), 1, 1.0);
    assert!(n > 0);
    assert_eq!(usage_text(n), "not a ws:// or wss:// URL");
    let n = kw_start(slot, 1, put1(""), 1, 1.0);
    assert_eq!(usage_text(n), "not a ws:// or wss:// URL");
    // A failed start leaves no connection in the slot.
    assert_eq!(kw_poll(slot, STATE), 0);
    assert_eq!(kw_poll(slot, TRANSMIT), 0);
    assert_eq!(kw_start(slot, 0, put1(PUSHER_URL), 1, 1.0), 0);
    let n = kw_drive(slot, 0.0, SUBSCRIBE, 0, put1(""));
    assert_eq!(usage_text(n), "channel name empty or too long");
    kw_free(slot);
}

// ----- HTTP -----

#[wasm_bindgen_test]
fn lookup_retries_a_404_with_dashes_then_finds_the_ids() {
    let slot = kw_alloc() as u32;
    // What a user types; the lookup asks for the slug (proto's ChannelLookup docs).
    assert_eq!(
        out_text(kw_lookup(slot, put1(" @Kemushi_KZ "))),
        r#"{"request":{"method":"GET","url":"https://kick.com/api/v2/channels/kemushi_kz","headers":{"accept":"application/json"}}}"#
    );
    assert_eq!(
        out_text(kw_lookup_reply(
            slot,
            404,
            0,
            put1(r#"{"message":"Not found"}"#)
        )),
        r#"{"request":{"method":"GET","url":"https://kick.com/api/v2/channels/kemushi-kz","headers":{"accept":"application/json"}}}"#
    );
    let body = r#"{"id":2515504,"slug":"kemushi-kz","chatroom":{"id":2507974},"livestream":null}"#;
    assert_eq!(
        out_text(kw_lookup_reply(slot, 200, 0, put1(body))),
        r#"{"ids":[2507974,2515504]}"#
    );
    kw_free(slot);

    // A second 404 is an error; so is Cloudflare's challenge page.
    let slot = kw_alloc() as u32;
    kw_lookup(slot, put1("kemushi_kz"));
    kw_lookup_reply(slot, 404, 0, put1("{}"));
    let e = parse(&out_text(kw_lookup_reply(slot, 404, 0, put1("{}"))));
    assert!(field(&e, "error").is_string(), "{e:?}");
    let challenge = "<!DOCTYPE html><html><head><title>Just a moment...</title>";
    kw_lookup(slot, put1("xqc"));
    let e = out_text(kw_lookup_reply(slot, 403, 1, put1(challenge)));
    assert!(
        e.starts_with(r#"{"error":"Cloudflare refused the request (HTTP 403"#),
        "{e}"
    );
    kw_free(slot);

    // Not a slug: an error and no lookup kept.
    let slot = kw_alloc() as u32;
    assert_eq!(
        out_text(kw_lookup(slot, put1("no spaces please"))),
        r#"{"error":"not a Kick channel slug"}"#
    );
    assert_eq!(
        out_text(kw_lookup_reply(slot, 200, 0, put1(body))),
        r#"{"error":"no lookup in progress"}"#
    );
    kw_free(slot);
}

#[wasm_bindgen_test]
fn negotiation_and_guest_token_requests_and_replies() {
    // proto's chat_connection_request docs: Kick's web client body, origin/referer/user-agent
    // left to the browser.
    assert_eq!(
        out_text(kw_negotiate(2_515_504.0, 3, put1("c1"))),
        concat!(
            r#"{"request":{"method":"POST","url":"https://web.kick.com/api/v1/realtime/channels/2515504/chat/connection","#,
            r#""headers":{"accept":"application/json","content-type":"application/json"},"#,
            r#""body":"{\"client\":{\"id\":\"c1\",\"type\":\"web\"},\"capabilities\":{\"accepted_providers\":[{\"provider\":\"pusher\"},{\"provider\":\"centrifugo\"}]}}"}}"#
        )
    );
    let only_centrifugo = parse(&out_text(kw_negotiate(2_515_504.0, 2, put1("c1"))));
    assert_eq!(
        field(&only_centrifugo, "request.body").as_string().unwrap(),
        r#"{"client":{"id":"c1","type":"web"},"capabilities":{"accepted_providers":[{"provider":"centrifugo"}]}}"#
    );
    let only_pusher = parse(&out_text(kw_negotiate(2_515_504.0, 1, put1("c1"))));
    assert_eq!(
        field(&only_pusher, "request.body").as_string().unwrap(),
        r#"{"client":{"id":"c1","type":"web"},"capabilities":{"accepted_providers":[{"provider":"pusher"}]}}"#
    );
    assert_eq!(
        out_text(kw_negotiate(2_515_504.0, 3, put1(""))),
        r#"{"error":"bad client id"}"#
    );

    // The replies of proto's parse_connection docs (kicksdk's and Xtra-Kick's shapes).
    let centrifugo = r#"{"data":{"connections":[{"credentials":{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket"},"provider":"centrifugo"}],"mode":"websocket"},"message":"success"}"#;
    assert_eq!(
        out_text(kw_negotiated(200, 0, put1(centrifugo))),
        r#"{"url":"wss://realtime.us-west-2.platform.kick.com/connection/websocket","transport":"centrifugo"}"#
    );
    let pusher = r#"{"data":{"connections":[{"provider":"pusher","credentials":{"app_key":"32cbd69e4b950bf97679","cluster":"us2"}}]}}"#;
    assert_eq!(
        out_text(kw_negotiated(200, 0, put1(pusher))),
        r#"{"url":"wss://ws-us2.pusher.com/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false","transport":"pusher"}"#
    );
    let e = out_text(kw_negotiated(403, 1, put1("<html>Just a moment...</html>")));
    assert!(e.starts_with(r#"{"error":"Cloudflare"#), "{e}");

    // The guest token.
    assert_eq!(
        out_text(kw_token_request(put1("c1"))),
        r#"{"request":{"method":"POST","url":"https://web.kick.com/api/v1/realtime/auth/connection","headers":{"accept":"application/json","content-type":"application/json"},"body":"{\"client_id\":\"c1\"}"}}"#
    );
    let jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIiLCJleHAiOjE3OTAwMDAwMDAsImlhdCI6MTc4OTk5NzMwMH0.c2ln";
    let reply = format!(r#"{{"data":{{"token":"{jwt}"}},"message":"success"}}"#);
    assert_eq!(
        out_text(kw_token(200, 0, put1(&reply))),
        format!(r#"{{"token":"{jwt}"}}"#)
    );
    let e = parse(&out_text(kw_token(200, 0, put1(r#"{"data":{}}"#))));
    assert!(field(&e, "error").is_string());
}
