//! The options object of `new KickConnection(channel, options)`.

use js_sys::Reflect;
use kickwire_proto::kick::channels::Ids;
use wasm_bindgen::JsValue;

/// Which transport to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    Auto,
    Pusher,
    Centrifugo,
}

/// The channel argument: a slug, or the two ids.
#[derive(Debug, Clone)]
pub(crate) enum Channel {
    Slug(String),
    Ids(Ids),
}

/// Parsed options, with their defaults.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) transport: Choice,
    pub(crate) url: Option<String>,
    pub(crate) key: String,
    pub(crate) cluster: String,
    pub(crate) token: Option<String>,
    pub(crate) reconnect: bool,
    /// Channel names to join instead of all six of the chatroom.
    pub(crate) channels: Option<Vec<String>>,
    pub(crate) raw: bool,
}

/// Kick's Pusher app.
pub(crate) const KICK_KEY: &str = "32cbd69e4b950bf97679";
pub(crate) const KICK_CLUSTER: &str = "us2";

fn get(obj: &JsValue, name: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn string(obj: &JsValue, name: &str) -> Result<Option<String>, String> {
    match get(obj, name) {
        None => Ok(None),
        Some(v) => v
            .as_string()
            .map(Some)
            .ok_or_else(|| format!("option '{name}' must be a string")),
    }
}

fn id(obj: &JsValue, name: &str) -> Result<u64, String> {
    let v = get(obj, name).ok_or_else(|| format!("'{name}' is missing"))?;
    let n = v
        .as_f64()
        // An integer parse, not f64's: the float parser alone is several KB of wasm.
        .or_else(|| {
            v.as_string()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(|n| n as f64)
        })
        .ok_or_else(|| format!("'{name}' must be a number"))?;
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        Err(format!("'{name}' must be a whole positive number"))
    }
}

pub(crate) fn channel(v: &JsValue) -> Result<Channel, String> {
    if let Some(s) = v.as_string() {
        let s = s.trim().to_string();
        if s.is_empty() {
            return Err("the channel slug is empty".into());
        }
        return Ok(Channel::Slug(s));
    }
    if v.is_object() {
        return Ok(Channel::Ids(Ids::new(
            id(v, "chatroomId")?,
            id(v, "channelId")?,
        )));
    }
    Err("channel must be a slug string or { chatroomId, channelId }".into())
}

pub(crate) fn options(v: &JsValue) -> Result<Options, String> {
    let transport = match string(v, "transport")?.as_deref() {
        None | Some("auto") => Choice::Auto,
        Some("pusher") => Choice::Pusher,
        Some("centrifugo") => Choice::Centrifugo,
        Some(other) => {
            return Err(format!(
                "transport must be 'auto', 'pusher' or 'centrifugo', not '{other}'"
            ));
        }
    };
    let url = string(v, "url")?;
    if let Some(u) = &url
        && !(u.starts_with("ws://") || u.starts_with("wss://"))
    {
        return Err(format!("url must be a ws:// or wss:// URL, not '{u}'"));
    }
    let channels = match get(v, "channels") {
        None => None,
        Some(list) => {
            let arr: js_sys::Array = list
                .dyn_into_array()
                .ok_or("channels must be an array of strings")?;
            let mut names = Vec::new();
            for item in arr.iter() {
                names.push(
                    item.as_string()
                        .ok_or("channels must be an array of strings")?,
                );
            }
            Some(names)
        }
    };
    let flag =
        |name: &str, default: bool| get(v, name).and_then(|b| b.as_bool()).unwrap_or(default);
    Ok(Options {
        transport,
        url,
        key: string(v, "key")?.unwrap_or_else(|| KICK_KEY.into()),
        cluster: string(v, "cluster")?.unwrap_or_else(|| KICK_CLUSTER.into()),
        token: string(v, "token")?,
        reconnect: flag("reconnect", true),
        channels,
        raw: flag("raw", false),
    })
}

trait DynArray {
    fn dyn_into_array(self) -> Option<js_sys::Array>;
}

impl DynArray for JsValue {
    fn dyn_into_array(self) -> Option<js_sys::Array> {
        js_sys::Array::is_array(&self).then(|| js_sys::Array::from(&self))
    }
}
