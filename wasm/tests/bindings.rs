//! The JavaScript bindings in headless Chromium, without a server: `KickDecoder` output,
//! listener bookkeeping and states.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Reflect};
use kickwire_wasm::{KickConnection, KickDecoder};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(o: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(o.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

#[wasm_bindgen_test]
fn decoder_gives_kick_live_connector_names_and_kick_field_names() {
    let mut d = KickDecoder::new();
    // UserUnbannedEvent.jsonl line 1 (real frame): kick-live-connector calls it UserUnBanned.
    let frame = include_str!("../../tests/vectors/kick/UserUnbannedEvent.jsonl")
        .lines()
        .next()
        .unwrap();
    let events = d.decode(frame);
    assert_eq!(events.length(), 1);
    let e = events.get(0);
    assert_eq!(get(&e, "type").as_string().unwrap(), "UserUnBanned");
    assert_eq!(
        get(&e, "channel").as_string().unwrap(),
        "chatrooms.2507974.v2"
    );
    assert_eq!(get(&e, "user.username").as_string().unwrap(), "symbaz");
    assert_eq!(
        get(&e, "unbanned_by.username").as_string().unwrap(),
        "gazdemic"
    );
    // GiftedSubscriptionsEvent.jsonl line 1: the exact count beside the list.
    let frame = include_str!("../../tests/vectors/kick/GiftedSubscriptionsEvent.jsonl")
        .lines()
        .next()
        .unwrap();
    let e = d.decode(frame).get(0);
    assert_eq!(get(&e, "gifter_username").as_string().unwrap(), "court");
    assert_eq!(get(&e, "gifted_count").as_f64().unwrap(), 1.0);
}

#[wasm_bindgen_test]
fn decoder_skips_transport_messages_and_bad_ones_and_reads_batches() {
    let mut d = KickDecoder::new();
    assert_eq!(
        d.decode(r#"{"event":"pusher:pong","data":"{}"}"#).length(),
        0
    );
    assert_eq!(d.decode("not json at all").length(), 0);
    // Two Centrifugo publications and a ping in one message.
    let pub_ = |user: &str| {
        format!(
            r#"{{"push":{{"channel":"chatrooms.1.v2","pub":{{"data":{{"event":"App\\Events\\SubscriptionEvent","data":"{{\"chatroom_id\":1,\"username\":\"{user}\",\"months\":2}}"}}}}}}}}"#
        )
    };
    let batch = format!("{}\n{{}}\n{}", pub_("a"), pub_("b"));
    let events: Vec<JsValue> = d.decode(&batch).iter().collect();
    let users: Vec<String> = events
        .iter()
        .map(|e| get(e, "username").as_string().unwrap())
        .collect();
    assert_eq!(users, ["a", "b"]);
    assert_eq!(get(&events[0], "type").as_string().unwrap(), "Subscription");
    // An event nobody knows passes through by name.
    let e = d
        .decode(r#"{"event":"App\\Events\\BrandNewEvent","data":"{}","channel":"c"}"#)
        .get(0);
    assert_eq!(get(&e, "type").as_string().unwrap(), "Unknown");
    assert_eq!(
        get(&e, "name").as_string().unwrap(),
        "App\\Events\\BrandNewEvent"
    );
}

#[wasm_bindgen_test]
fn chat_parts_carry_emote_urls_built_from_ids_only() {
    let mut d = KickDecoder::new();
    let frame = r##"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"m1\",\"content\":\"hi [emote:37226:KEKW] <b>x</b> [emote:12:../../evil]\",\"type\":\"message\",\"sender\":{\"id\":1,\"username\":\"u\",\"slug\":\"u\",\"identity\":{\"color\":\"#FFFFFF\",\"badges\":[]}}}","channel":"chatrooms.1.v2"}"##;
    let e = d.decode(frame).get(0);
    let parts = Array::from(&get(&e, "parts"));
    let kinds: Vec<String> = parts
        .iter()
        .map(|p| get(&p, "type").as_string().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "emote", "text", "emote"]);
    assert_eq!(
        get(&parts.get(1), "url").as_string().unwrap(),
        "https://files.kick.com/emotes/37226/fullsize"
    );
    assert_eq!(
        get(&parts.get(2), "text").as_string().unwrap(),
        " <b>x</b> "
    );
    // The id is a number, so a name cannot reach the URL.
    assert_eq!(
        get(&parts.get(3), "url").as_string().unwrap(),
        "https://files.kick.com/emotes/12/fullsize"
    );
}

#[wasm_bindgen_test]
fn listeners_come_and_go_and_states_follow_pusher_js_names() {
    let kick = KickConnection::new("xqc".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(kick.get_state(), "initialized");
    let f = Function::new_no_args("");
    kick.on("ChatMessage".into(), f.clone());
    kick.off("ChatMessage".into(), f.clone());
    kick.off("ChatMessage".into(), f); // unknown: ignored
    kick.disconnect(); // before connect: nothing to do
    assert_eq!(kick.get_state(), "initialized");
}
