//! `fetch` through the global object (window or worker alike) for Kick's HTTP lookups, built
//! and parsed by `kickwire_proto::http`.

use js_sys::{Function, Object, Promise, Reflect};
use kickwire_proto::http::Request;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// One reply: status, whether Cloudflare's `cf-mitigated` header was there, and the body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) cf_mitigated: bool,
    pub(crate) body: Vec<u8>,
}

fn get(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
}

/// Sends `req` with the global `fetch`. The browser decides which headers a page may set:
/// `origin`, `referer` and `user-agent` are left to it.
pub(crate) async fn send(req: &Request<'_>) -> Result<Reply, String> {
    let global = js_sys::global();
    let fetch: Function = get(&global, "fetch")
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this environment has no fetch")?;
    let init = Object::new();
    let headers = Object::new();
    for (k, v) in req.headers {
        if !matches!(*k, "origin" | "referer" | "user-agent") {
            let _ = Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v));
        }
    }
    let _ = Reflect::set(&init, &"method".into(), &req.method.as_str().into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    if !req.body.is_empty() {
        let body = core::str::from_utf8(req.body).unwrap_or("");
        let _ = Reflect::set(&init, &"body".into(), &body.into());
    }
    let promise: Promise = fetch
        .call2(&global, &JsValue::from_str(req.url), &init)
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let response = JsFuture::from(promise).await.map_err(describe)?;
    let status = get(&response, "status")
        .ok()
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0) as u16;
    let headers = get(&response, "headers").map_err(describe)?;
    let has: Option<Function> = get(&headers, "has").ok().and_then(|f| f.dyn_into().ok());
    let cf_mitigated = has
        .and_then(|f| f.call1(&headers, &"cf-mitigated".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let text: Function = get(&response, "text")
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let body_promise: Promise = text
        .call0(&response)
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let body = JsFuture::from(body_promise)
        .await
        .map_err(describe)?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status,
        cf_mitigated,
        body: body.into_bytes(),
    })
}

/// A JavaScript error as text.
pub(crate) fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| get(&e, "message").ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}
