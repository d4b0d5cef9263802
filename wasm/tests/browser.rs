//! The browser client in real headless Chromium (wasm-bindgen-test).
//!
//! `tests/tests/wasm_browser.rs` runs these with a real Pusher-protocol server (sockudo on
//! 127.0.0.1) whose address it passes in `KICKWIRE_TEST_PUSHER_URL` at build time, and which
//! it keeps publishing a chat message to while they run. Without that variable the
//! server-bound test is skipped with a message (the others still run).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise, Reflect};
use kickwire_wasm::KickConnection;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn bad_arguments_are_clear_errors() {
    let err = |r: Result<KickConnection, JsValue>| {
        let e = r.err().expect("an error");
        Reflect::get(&e, &"message".into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    assert_eq!(
        err(KickConnection::new(JsValue::from(5), JsValue::UNDEFINED)),
        "channel must be a slug string or { chatroomId, channelId }"
    );
    assert_eq!(
        err(KickConnection::new(
            obj(&[("chatroomId", 1.into())]),
            JsValue::UNDEFINED
        )),
        "'channelId' is missing"
    );
    assert_eq!(
        err(KickConnection::new(
            "xqc".into(),
            obj(&[("transport", "carrier-pigeon".into())])
        )),
        "transport must be 'auto', 'pusher' or 'centrifugo', not 'carrier-pigeon'"
    );
    assert_eq!(
        err(KickConnection::new(
            "xqc".into(),
            obj(&[("url", "http://x".into())])
        )),
        "url must be a ws:// or wss:// URL, not 'http://x'"
    );
    let ok = KickConnection::new(
        obj(&[("chatroomId", 1.into()), ("channelId", 2.into())]),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(ok.get_state(), "initialized");
}

/// A promise that resolves with the first payload of event `name`.
fn first(kick: &KickConnection, name: &str) -> JsFuture {
    let mut resolve = None;
    let p = Promise::new(&mut |res, _| resolve = Some(res));
    let resolve: Function = resolve.unwrap();
    kick.on(name.into(), resolve);
    JsFuture::from(p)
}

#[wasm_bindgen_test]
async fn receives_a_chat_message_from_a_real_pusher_server() {
    let Some(url) = option_env!("KICKWIRE_TEST_PUSHER_URL") else {
        web_sys::console::log_1(
            &"KICKWIRE_TEST_PUSHER_URL not set: skipped (tests/tests/wasm_browser.rs sets it)"
                .into(),
        );
        return;
    };
    let kick = KickConnection::new(
        obj(&[
            ("chatroomId", 2_507_974.into()),
            ("channelId", 2_515_504.into()),
        ]),
        obj(&[
            ("url", url.into()),
            (
                "channels",
                js_sys::Array::of1(&"chatrooms.2507974.v2".into()).into(),
            ),
        ]),
    )
    .unwrap();
    let chat = first(&kick, "ChatMessage");
    let info = JsFuture::from(kick.connect()).await.expect("connects");
    assert_eq!(
        Reflect::get(&info, &"transport".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "pusher"
    );
    assert_eq!(
        Reflect::get(&info, &"chatroomId".into())
            .unwrap()
            .as_f64()
            .unwrap(),
        2_507_974.0
    );
    assert_eq!(kick.get_state(), "connected");
    // The harness publishes ChatMessageEvent.jsonl line 2 (an emote and two badges).
    let m = chat.await.unwrap();
    let get = |o: &JsValue, path: &str| {
        path.split('.')
            .fold(o.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
    };
    assert_eq!(get(&m, "type").as_string().unwrap(), "ChatMessage");
    assert_eq!(
        get(&m, "channel").as_string().unwrap(),
        "chatrooms.2507974.v2"
    );
    assert_eq!(
        get(&m, "sender.username").as_string().unwrap(),
        "OhLookItsMax"
    );
    assert_eq!(
        get(&m, "content").as_string().unwrap(),
        "[emote:3989851:litneyspears4Max]on my way to show you love"
    );
    let parts = js_sys::Array::from(&get(&m, "parts"));
    assert_eq!(parts.length(), 2);
    assert_eq!(
        get(&parts.get(0), "url").as_string().unwrap(),
        "https://files.kick.com/emotes/3989851/fullsize"
    );
    assert_eq!(
        get(&parts.get(1), "text").as_string().unwrap(),
        "on my way to show you love"
    );
    kick.disconnect();
    assert_eq!(kick.get_state(), "disconnected");
}
