//! The browser benchmark: events per second decoded and delivered to a JavaScript callback by
//! kickwire, against pusher-js's way (`JSON.parse` of the frame, then of its `data`) over the
//! same corpus, in the same page. Prints a `BROWSER_BENCH` line with the ratio; asserts
//! nothing about speed (a shared machine is too noisy for that).
//!
//! Runs only when built with `KICKWIRE_BROWSER_BENCH=1` (see `wasm/bench.sh`, which builds in
//! release mode); the normal browser test run skips it.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, JSON, Reflect};
use kickwire_wasm::KickDecoder;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Real frames from the vectors (Pusher frames of the common events).
const FILES: &[&str] = &[
    include_str!("../../tests/vectors/kick/ChatMessageEvent.jsonl"),
    include_str!("../../tests/vectors/kick/GiftedSubscriptionsEvent.jsonl"),
    include_str!("../../tests/vectors/kick/SubscriptionEvent.jsonl"),
    include_str!("../../tests/vectors/kick/KicksGifted.jsonl"),
    include_str!("../../tests/vectors/kick/UserBannedEvent.jsonl"),
    include_str!("../../tests/vectors/kick/MessageDeletedEvent.jsonl"),
];

fn now_ms() -> f64 {
    let perf = Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let f: Function = Reflect::get(&perf, &"now".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    f.call0(&perf).unwrap().as_f64().unwrap()
}

#[wasm_bindgen_test]
fn browser_bench() {
    if option_env!("KICKWIRE_BROWSER_BENCH").is_none() {
        web_sys::console::log_1(
            &"browser bench not built in (KICKWIRE_BROWSER_BENCH): skipped".into(),
        );
        return;
    }
    let corpus: Vec<&str> = FILES
        .iter()
        .flat_map(|f| f.lines())
        .filter(|l| l.starts_with("{\"event\""))
        .collect();
    let sink = Function::new_with_args(
        "e",
        "globalThis.__kw_sink = (globalThis.__kw_sink | 0) + 1;",
    );
    let mut decoder = KickDecoder::new();
    let rounds = 5;
    let reps = 200;
    let (mut best_kw, mut best_js) = (f64::MAX, f64::MAX);
    let mut events = 0u32;
    for _ in 0..rounds {
        // kickwire: decode, build the event object, deliver it.
        let t = now_ms();
        events = 0;
        for _ in 0..reps {
            for frame in &corpus {
                for e in decoder.decode(frame).iter() {
                    let _ = sink.call1(&JsValue::NULL, &e);
                    events += 1;
                }
            }
        }
        best_kw = best_kw.min(now_ms() - t);
        // pusher-js: JSON.parse the frame, then its data string, deliver.
        let t = now_ms();
        for _ in 0..reps {
            for frame in &corpus {
                let f = JSON::parse(frame).unwrap();
                let data = Reflect::get(&f, &"data".into()).unwrap();
                let e = match data.as_string() {
                    Some(s) => JSON::parse(&s).unwrap_or(data),
                    None => data,
                };
                let _ = sink.call1(&JsValue::NULL, &e);
            }
        }
        best_js = best_js.min(now_ms() - t);
    }
    let n = (corpus.len() * reps) as f64;
    let line = format!(
        "BROWSER_BENCH frames={} events={events} kickwire_events_per_s={:.0} json_parse_twice_per_s={:.0} kickwire_vs_json_parse={:.2}",
        corpus.len() * reps,
        n / (best_kw / 1000.0),
        n / (best_js / 1000.0),
        best_js / best_kw
    );
    web_sys::console::log_1(&line.into());
}
