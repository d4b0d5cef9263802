//! `KickConnection`: the JavaScript class, and the loop that drives a
//! `kickwire_proto::conn::Connection` with the browser's WebSocket and timers.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Object, Promise, Reflect};
use kickwire_proto::conn::{
    Config, Connection, EncodeError, Event as Lifecycle, Instant, PusherUrl, State, Transmit,
};
use kickwire_proto::http::{self, ClientId, Endpoint, Lookup};
use kickwire_proto::kick::channels::Ids;
use kickwire_proto::{Message, Transport};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::options::{self, Channel, Choice, Options};
use crate::{convert, fetch};

/// One event for the listeners, collected while the state is borrowed and delivered after:
/// a listener may call back into the connection (`disconnect()` in a handler).
type Emit = (String, JsValue);

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach first: a socket we drop must not report back into a connection that moved on.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
    }
}

struct Inner {
    me: Weak<RefCell<Inner>>,
    channel: Channel,
    options: Options,
    conn: Option<Connection>,
    ids: Option<Ids>,
    listeners: Vec<(String, Function)>,
    socket: Option<Socket>,
    timer: Option<(JsValue, Closure<dyn FnMut()>)>,
    start: f64,
    /// `connect()`'s promise, settled by the first connect or final refusal.
    pending: Option<(Function, Function)>,
    client: ClientId,
    buf: Vec<u8>,
    json: Vec<u8>,
    decoded: Box<Message>,
}

/// A connection to one Kick channel's live events (see the crate docs).
#[wasm_bindgen]
pub struct KickConnection {
    inner: Rc<RefCell<Inner>>,
}

fn now(start: f64) -> Instant {
    Instant::from_millis((js_sys::Date::now() - start).max(0.0) as u64)
}

fn error(msg: &str) -> JsValue {
    js_sys::Error::new(msg).into()
}

fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    for chunk in b.chunks_mut(4) {
        let r = (js_sys::Math::random() * 4_294_967_296.0) as u32;
        chunk.copy_from_slice(&r.to_le_bytes());
    }
    b
}

#[wasm_bindgen]
impl KickConnection {
    /// `new KickConnection(channel, options)`: `channel` is a slug or
    /// `{ chatroomId, channelId }`; options: `transport` (`auto`, `pusher`, `centrifugo`),
    /// `url`, `key`, `cluster`, `token`, `reconnect` (default true), `channels`, `raw`.
    #[wasm_bindgen(constructor)]
    pub fn new(channel: JsValue, options: JsValue) -> Result<KickConnection, JsValue> {
        let channel = options::channel(&channel).map_err(|e| error(&e))?;
        let options = options::options(&options).map_err(|e| error(&e))?;
        let inner = Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                me: me.clone(),
                channel,
                options,
                conn: None,
                ids: None,
                listeners: Vec::new(),
                socket: None,
                timer: None,
                start: js_sys::Date::now(),
                pending: None,
                client: ClientId::from_random(random_bytes()),
                buf: vec![0; 4096],
                json: vec![0; 16 * 1024],
                decoded: Box::default(),
            })
        });
        Ok(KickConnection { inner })
    }

    /// Connects; resolves `{ chatroomId, channelId, transport }` once connected, rejects with
    /// an `Error` saying what went wrong (a slug that cannot be looked up, a refused
    /// connection).
    pub fn connect(&self) -> Promise {
        let inner = Rc::clone(&self.inner);
        let (resolve_reject, promise) = {
            let mut slot = None;
            let p = Promise::new(&mut |res, rej| slot = Some((res, rej)));
            (slot, p)
        };
        if let Some(rr) = resolve_reject {
            inner.borrow_mut().pending = Some(rr);
        }
        wasm_bindgen_futures::spawn_local(async move {
            match start(&inner).await {
                Ok(()) => pump(&inner, Vec::new()),
                Err(msg) => {
                    let pending = inner.borrow_mut().pending.take();
                    if let Some((_, reject)) = pending {
                        let _ = reject.call1(&JsValue::NULL, &error(&msg));
                    }
                }
            }
        });
        promise
    }

    /// Closes the connection for good.
    pub fn disconnect(&self) {
        let emits = {
            let mut i = self.inner.borrow_mut();
            let t = now(i.start);
            if let Some(c) = i.conn.as_mut() {
                c.disconnect(t);
            }
            i.step()
        };
        pump(&self.inner, emits);
    }

    /// Adds a listener for `name` (`ChatMessage`, `GiftedSubscriptions`, `Connected`, ...).
    /// (Its TypeScript signature, typed per event, is in `types/events.d.ts`.)
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, name: String, callback: Function) {
        self.inner.borrow_mut().listeners.push((name, callback));
    }

    /// Removes a listener added with [`on`](Self::on).
    #[wasm_bindgen(skip_typescript)]
    pub fn off(&self, name: String, callback: Function) {
        self.inner
            .borrow_mut()
            .listeners
            .retain(|(n, f)| !(*n == name && JsValue::from(f) == JsValue::from(&callback)));
    }

    /// `initialized`, `connecting`, `connected`, `unavailable`, `disconnected` or `failed`.
    #[wasm_bindgen(js_name = getState)]
    pub fn get_state(&self) -> String {
        let i = self.inner.borrow();
        i.conn
            .as_ref()
            .map_or(State::Initialized, Connection::state)
            .as_str()
            .into()
    }
}

/// Resolves the ids, the transport and the URL, then starts the proto connection.
async fn start(inner: &Rc<RefCell<Inner>>) -> Result<(), String> {
    let (channel, options, client) = {
        let i = inner.borrow();
        (i.channel.clone(), i.options.clone(), i.client.clone())
    };
    let ids = match channel {
        Channel::Ids(ids) => ids,
        Channel::Slug(slug) => lookup(&slug).await?,
    };
    let names: Vec<String> = match &options.channels {
        Some(list) => list.clone(),
        None => ids.channels().map(|c| c.as_str().to_string()).collect(),
    };
    let (url, centrifugo, token) = endpoint(&options, ids, &client).await?;
    let config = Config {
        reconnect: options.reconnect,
        rng_seed: u64::from_le_bytes(random_bytes()[..8].try_into().unwrap_or([7; 8])),
        ..Config::default()
    };
    let mut conn = if centrifugo {
        Connection::centrifugo(&url, config)
    } else {
        Connection::pusher(&url, config)
    }
    .map_err(|e| format!("{e}: {url}"))?;
    for n in &names {
        conn.subscribe(n)
            .map_err(|e| format!("channel '{n}': {e}"))?;
    }
    let mut i = inner.borrow_mut();
    let t = now(i.start);
    if let Some(tok) = token.as_deref() {
        conn.set_token(t, tok).map_err(|e| e.to_string())?;
    }
    conn.connect(t);
    i.conn = Some(conn);
    i.ids = Some(ids);
    Ok(())
}

async fn lookup(slug: &str) -> Result<Ids, String> {
    let help =
        "kick.com does not answer lookups from other sites: pass { chatroomId, channelId } instead";
    let mut l = http::ChannelLookup::new(slug).map_err(|e| format!("'{slug}': {e}"))?;
    for _ in 0..2 {
        let mut buf = [0u8; http::REQUEST_BUFFER];
        let req = l.request(&mut buf).map_err(|e| e.to_string())?;
        let reply = fetch::send(&req)
            .await
            .map_err(|e| format!("looking up '{slug}' failed ({e}); {help}"))?;
        match l.on_reply(reply.status, reply.cf_mitigated, &reply.body) {
            Ok(Lookup::Found(info)) => return Ok(info.ids()),
            Ok(Lookup::Retry) => {}
            Ok(_) => break,
            Err(e) => return Err(format!("looking up '{slug}' failed: {e}; {help}")),
        }
    }
    Err(format!("channel '{slug}' not found"))
}

/// `(url, centrifugo?, token)`.
async fn endpoint(
    o: &Options,
    ids: Ids,
    client: &ClientId,
) -> Result<(String, bool, Option<String>), String> {
    let pusher = |key: &str, cluster: &str| {
        let mut buf = [0u8; 256];
        PusherUrl::cluster(key, cluster)
            .write(&mut buf)
            .map(str::to_string)
            .map_err(|e| e.to_string())
    };
    if let Some(url) = &o.url {
        let centrifugo = match o.transport {
            Choice::Pusher => false,
            Choice::Centrifugo => true,
            Choice::Auto => url.contains("/connection/websocket"),
        };
        let url = if !centrifugo && !url.contains("/app/") {
            format!(
                "{}/app/{}?protocol=7&client=js&version=8.4.0&flash=false",
                url.trim_end_matches('/'),
                o.key
            )
        } else {
            url.clone()
        };
        return Ok((url, centrifugo, o.token.clone()));
    }
    if o.transport == Choice::Pusher {
        return Ok((pusher(&o.key, &o.cluster)?, false, None));
    }
    let accept: &[Transport] = match o.transport {
        Choice::Centrifugo => &[Transport::Centrifugo],
        _ => &[Transport::Centrifugo, Transport::Pusher],
    };
    let negotiated = async {
        let mut buf = [0u8; http::REQUEST_BUFFER];
        let req = http::chat_connection_request(ids.channel_id, client, accept, &mut buf)
            .map_err(|e| e.to_string())?;
        let reply = fetch::send(&req).await?;
        http::parse_connection(reply.status, reply.cf_mitigated, &reply.body)
            .map_err(|e| e.to_string())
    }
    .await;
    match negotiated {
        Ok(Endpoint::Centrifugo { url }) => {
            let token = match &o.token {
                Some(t) => t.clone(),
                None => guest_token(client).await?,
            };
            Ok((url.as_str().to_string(), true, Some(token)))
        }
        Ok(e) => {
            let mut buf = [0u8; 256];
            Ok((
                e.websocket_url(&mut buf)
                    .map_err(|e| e.to_string())?
                    .to_string(),
                false,
                None,
            ))
        }
        Err(_) if o.transport == Choice::Auto => Ok((pusher(&o.key, &o.cluster)?, false, None)),
        Err(e) => Err(format!(
            "Kick's transport negotiation failed ({e}); pages not served from kick.com need a relay or a self-hosted server (options.url)"
        )),
    }
}

async fn guest_token(client: &ClientId) -> Result<String, String> {
    let mut buf = [0u8; http::REQUEST_BUFFER];
    let req = http::token_request(client, &mut buf).map_err(|e| e.to_string())?;
    let reply = fetch::send(&req).await?;
    http::parse_token(reply.status, reply.cf_mitigated, &reply.body)
        .map(|t| t.as_str().to_string())
        .map_err(|e| format!("Kick's guest token: {e}"))
}

impl Inner {
    /// Drains the connection's outputs: does what it asks of the socket, collects events for
    /// the listeners, and re-arms the timer.
    fn step(&mut self) -> Vec<Emit> {
        let mut emits = Vec::new();
        let Some(mut conn) = self.conn.take() else {
            return emits;
        };
        loop {
            let t = match conn.poll_transmit(&mut self.buf) {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(EncodeError::BufferTooSmall { required }) => {
                    self.buf.resize(required, 0);
                    continue;
                }
                Err(_) => break,
            };
            match t {
                Transmit::Open { url } => {
                    let url = url.to_string();
                    match self.open(&url) {
                        Ok(s) => self.socket = Some(s),
                        Err(e) => {
                            let at = now(self.start);
                            conn.handle_closed(at, None, &e);
                        }
                    }
                }
                Transmit::Text(text) => {
                    if let Some(s) = &self.socket {
                        let _ = s.ws.send_with_str(text);
                    }
                }
                Transmit::Close { code } => {
                    if let Some(s) = self.socket.take() {
                        let _ = s.ws.close_with_code(code);
                    }
                }
            }
        }
        while let Some(e) = conn.poll_event() {
            if let Lifecycle::TokenRequired { .. } = e {
                self.want_token(&conn);
                continue;
            }
            self.settle(&e, &conn);
            if let Some((name, payload)) = convert::lifecycle(&e) {
                emits.push((name.to_string(), payload));
            }
        }
        let next = conn.poll_timeout();
        self.conn = Some(conn);
        self.arm(next);
        emits
    }

    /// Settles `connect()`'s promise on the first connect or a final refusal.
    fn settle(&mut self, e: &Lifecycle, conn: &Connection) {
        let Some((resolve, reject)) = self.pending.take() else {
            return;
        };
        match e {
            Lifecycle::Connected { transport, .. } => {
                let o: JsValue = Object::new().into();
                let ids = self.ids.unwrap_or_default();
                let _ = Reflect::set(&o, &"chatroomId".into(), &(ids.chatroom_id as f64).into());
                let _ = Reflect::set(&o, &"channelId".into(), &(ids.channel_id as f64).into());
                let name = if *transport == Transport::Pusher {
                    "pusher"
                } else {
                    "centrifugo"
                };
                let _ = Reflect::set(&o, &"transport".into(), &name.into());
                let _ = resolve.call1(&JsValue::NULL, &o);
            }
            Lifecycle::Disconnected {
                will_retry: false,
                code,
                reason,
            } if matches!(conn.state(), State::Disconnected | State::Failed) => {
                let code = code.map_or_else(|| "none".to_string(), |c| c.to_string());
                let msg = format!("connection refused (code {code}): {}", reason.as_str());
                let _ = reject.call1(&JsValue::NULL, &error(&msg));
            }
            _ => self.pending = Some((resolve, reject)),
        }
    }

    fn want_token(&mut self, conn: &Connection) {
        let _ = conn;
        let fixed = self.options.token.clone();
        let client = self.client.clone();
        let me = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let token = match fixed {
                Some(t) => Ok(t),
                None => guest_token(&client).await,
            };
            let Some(inner) = me.upgrade() else { return };
            let emits = {
                let mut i = inner.borrow_mut();
                let t = now(i.start);
                let mut emits = Vec::new();
                match (token, i.conn.as_mut()) {
                    (Ok(tok), Some(c)) => {
                        let _ = c.set_token(t, &tok);
                    }
                    (Err(e), _) => {
                        let o: JsValue = Object::new().into();
                        let _ = Reflect::set(&o, &"source".into(), &"token".into());
                        let _ = Reflect::set(&o, &"message".into(), &e.into());
                        emits.push(("Error".to_string(), o));
                    }
                    _ => {}
                }
                emits.extend(i.step());
                emits
            };
            pump(&inner, emits);
        });
    }

    fn open(&self, url: &str) -> Result<Socket, String> {
        let ws = WebSocket::new(url).map_err(fetch::describe)?;
        let me = self.me.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = me.upgrade() {
                let emits = inner.borrow_mut().input(|c, t| c.handle_open(t));
                pump(&inner, emits);
            }
        });
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            }; // binary: neither protocol
            if let Some(inner) = me.upgrade() {
                let emits = inner.borrow_mut().message(text);
                pump(&inner, emits);
            }
        });
        let me = self.me.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            if let Some(inner) = me.upgrade() {
                let code = e.code();
                let reason = e.reason();
                let emits = {
                    let mut i = inner.borrow_mut();
                    i.socket = None;
                    // 1005/1006: no code was received.
                    let code = (!matches!(code, 1005 | 1006)).then_some(code);
                    i.input(|c, t| c.handle_closed(t, code, &reason))
                };
                pump(&inner, emits);
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    fn input(&mut self, f: impl FnOnce(&mut Connection, Instant)) -> Vec<Emit> {
        let t = now(self.start);
        if let Some(c) = self.conn.as_mut() {
            f(c, t);
        }
        self.step()
    }

    fn message(&mut self, text: String) -> Vec<Emit> {
        let mut emits = Vec::new();
        if self.options.raw {
            emits.push(("rawData".to_string(), JsValue::from_str(&text)));
        }
        let t = now(self.start);
        let mut bytes = text.into_bytes();
        if let Some(mut conn) = self.conn.take() {
            {
                let mut received = conn.handle_message(t, &mut bytes);
                while received.next_into(&mut self.decoded).is_some() {
                    if let Message::Kick { channel, event, .. } = &*self.decoded {
                        let payload = convert::event(channel, event, &mut self.json);
                        emits.push((convert::js_name(event).to_string(), payload));
                    }
                }
            }
            self.conn = Some(conn);
        }
        emits.extend(self.step());
        emits
    }

    /// Re-arms the one timer for `next`.
    fn arm(&mut self, next: Option<Instant>) {
        let global = js_sys::global();
        let function = |name: &str| {
            Reflect::get(&global, &name.into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
        };
        if let (Some((id, _)), Some(clear)) = (self.timer.take(), function("clearTimeout")) {
            let _ = clear.call1(&global, &id);
        }
        let Some(next) = next else { return };
        let delay = next.as_millis().saturating_sub(now(self.start).as_millis()) as f64;
        let me = self.me.clone();
        let cb = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = me.upgrade() {
                let emits = inner.borrow_mut().input(|c, t| c.handle_timeout(t));
                pump(&inner, emits);
            }
        });
        if let Some(Ok(id)) = function("setTimeout")
            .map(|set| set.call2(&global, cb.as_ref().unchecked_ref(), &delay.into()))
        {
            self.timer = Some((id, cb));
        }
    }
}

/// Runs a step (if `emits` is empty, the caller already did) and calls the listeners with no
/// borrow held.
fn pump(inner: &Rc<RefCell<Inner>>, mut emits: Vec<Emit>) {
    if emits.is_empty() {
        emits = inner.borrow_mut().step();
    }
    let listeners = inner.borrow().listeners.clone();
    for (name, payload) in emits {
        for (n, f) in &listeners {
            if *n == name {
                let _ = f.call1(&JsValue::NULL, &payload);
            }
        }
    }
}
