//! Events as plain JavaScript objects with Kick's field names.

use js_sys::{Array, JSON, Object, Reflect};
use kickwire_proto::Transport;
use kickwire_proto::conn::Event as Lifecycle;
use kickwire_proto::kick::{Event, Part};
use wasm_bindgen::JsValue;

/// The event name JavaScript listens for: kick-live-connector's names (it spells the unban
/// `UserUnBanned`), and ours for the events it does not have.
pub(crate) fn js_name(event: &Event) -> &'static str {
    match event.type_name() {
        "UserUnbanned" => "UserUnBanned",
        other => other,
    }
}

fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// `{type, channel, ...fields}`; chat messages also get `parts`.
pub(crate) fn event(channel: &str, event: &Event, buf: &mut Vec<u8>) -> JsValue {
    // The same JSON as the CLI's, parsed by the browser's own (fast, native) JSON.parse.
    let json = loop {
        match serde_json_core::to_slice(event, buf) {
            Ok(n) => break core::str::from_utf8(&buf[..n]).unwrap_or("{}").to_string(),
            Err(_) if buf.len() < (1 << 20) => buf.resize(buf.len() * 2, 0),
            Err(_) => break "{}".to_string(),
        }
    };
    let obj = JSON::parse(&json).unwrap_or_else(|_| Object::new().into());
    set(&obj, "type", js_name(event));
    set(&obj, "channel", channel);
    if let Event::ChatMessage(m) = event {
        let parts = Array::new();
        for p in m.parts() {
            let o: JsValue = Object::new().into();
            match p {
                Part::Text(t) => {
                    set(&o, "type", "text");
                    set(&o, "text", t);
                }
                Part::Emote { id, name } => {
                    set(&o, "type", "emote");
                    set(&o, "id", id as f64);
                    set(&o, "name", name);
                    set(
                        &o,
                        "url",
                        format!("https://files.kick.com/emotes/{id}/fullsize"),
                    );
                }
            }
            parts.push(&o);
        }
        set(&obj, "parts", parts);
    }
    obj
}

fn transport(t: Transport) -> &'static str {
    match t {
        Transport::Pusher => "pusher",
        Transport::Centrifugo => "centrifugo",
    }
}

/// A lifecycle event as `(name, payload)`; `None` for those not surfaced to JavaScript.
pub(crate) fn lifecycle(e: &Lifecycle) -> Option<(&'static str, JsValue)> {
    let o: JsValue = Object::new().into();
    let name = match e {
        Lifecycle::Connected {
            transport: t,
            socket_id,
        } => {
            set(&o, "transport", transport(*t));
            set(&o, "socketId", socket_id.as_str());
            "Connected"
        }
        Lifecycle::Subscribed { channel } => {
            set(&o, "channel", channel.as_str());
            "Subscribed"
        }
        Lifecycle::SubscriptionError {
            channel,
            code,
            message,
        } => {
            set(&o, "channel", channel.as_str());
            set(&o, "code", code.map_or(JsValue::NULL, JsValue::from));
            set(&o, "message", message.as_str());
            "SubscriptionError"
        }
        Lifecycle::Reconnecting { after, reason: r } => {
            set(&o, "afterMs", after.as_millis() as f64);
            set(&o, "reason", r.to_string());
            "Reconnecting"
        }
        Lifecycle::Disconnected {
            code,
            reason: r,
            will_retry,
        } => {
            set(&o, "code", code.map_or(JsValue::NULL, JsValue::from));
            set(&o, "reason", r.as_str());
            set(&o, "willRetry", *will_retry);
            "Disconnected"
        }
        Lifecycle::ServerError { code, message } => {
            set(&o, "source", "server");
            set(&o, "code", code.map_or(JsValue::NULL, JsValue::from));
            set(&o, "message", message.as_str());
            "Error"
        }
        Lifecycle::BadMessage(err) => {
            set(&o, "source", "message");
            set(&o, "message", err.to_string());
            "Error"
        }
        Lifecycle::StateChanged { previous, current } => {
            set(&o, "previous", previous.as_str());
            set(&o, "current", current.as_str());
            "StateChanged"
        }
        _ => return None,
    };
    Some((name, o))
}
