// kickwire: Kick.com live events in the browser, with no server of your own.
//
// This module owns what only JavaScript can: the WebSocket, fetch, timers and listeners. The
// WebAssembly module (kickwire-proto) does the protocol: Pusher and Centrifugo state machines,
// message envelopes, the second decoding of Kick's `data`, Kick's HTTP lookups. They meet
// through two buffers in the module's memory and a few exported functions (see src/lib.rs),
// called as the module exports them: they take and answer plain numbers. The modules import
// nothing; this file instantiates them.

// kw_drive tells a connection what happened or what to do, kw_poll asks it what it has, and
// kw_buffer where the shared buffers are, by the number of one of the constants of src/conn.rs
// (src/shared.rs for kw_buffer), written out with its name in a comment (a named constant
// would stay a variable in the minified file).

const utf8 = new TextEncoder();
const utf8Text = new TextDecoder();

/** One of the two WebAssembly modules: its exported functions, memory and shared buffers. */
class Wasm {
  constructor(exports) {
    this.f = exports;
    this.memory = exports.memory;
    this.inAt = exports.kw_buffer(0 /* INPUT_AT */);
    this.outAt = exports.kw_buffer(1 /* OUTPUT_AT */);
    this.cap = exports.kw_buffer(2 /* INPUT_SIZE */);
  }

  bytes(at, len) {
    return new Uint8Array(this.memory.buffer, at, len);
  }

  /** Writes strings one after another into the input buffer; answers their byte lengths. */
  put(...strings) {
    let at = 0;
    return strings.map((s) => {
      const { read, written } = utf8.encodeInto(s, this.bytes(this.inAt + at, this.cap - at));
      at += written;
      // Cut short (it did not fit): the whole room, which callers refuse as too large.
      return read < s.length ? this.cap : written;
    });
  }

  /** The output's first `len` bytes as text (or those at `at`). */
  text(len, at = this.outAt) {
    return utf8Text.decode(this.bytes(at, len));
  }

  /** The output's first `len` bytes as JSON (`null` for nothing). */
  json(len) {
    return len ? JSON.parse(this.text(len)) : null;
  }
}

// The module every page needs (`loading` until it is there).
let core, loading;

// The tables behind the numbers the module answers: the names of Kick's events in the order of
// a record's kind (proto's `EventKind::ALL`, kick-live-connector's spellings, then `Unknown`),
// and the texts of the connection's: the states in `kw_poll`'s order (its `STATE`), then its reasons and
// errors (numbered in src/text.rs). Written here rather than sent by the module, where they
// cost every page 0.3 KB gzipped each; wasm/src/names.rs and src/text.rs check them against
// proto's.
const KINDS = "ChatMessage MessageDeleted UserBanned UserUnBanned ChatroomClear ChatroomUpdated ChatSettingsChanged PinnedMessageCreated PinnedMessageDeleted PollUpdate PollDelete Subscription ChannelSubscription GiftedSubscriptions LuckyUsersWhoGotGiftSubscriptions GiftsLeaderboardUpdated KicksGifted KicksLeaderboardUpdated RewardRedeemed StreamerIsLive StreamEnd StreamHost StreamHosted ChatMoveToSupportedChannel FollowersUpdated GoalCreated GoalProgressUpdate GoalAchieved GoalCanceled PredictionCreated PredictionUpdated NewSubscriberUpdated NewActivityFeed ChatMessageSent LivestreamUpdated Unknown".split(" ");
const TEXTS = "initialized|connecting|connected|unavailable|disconnected|failed|connection lost|closed with code #|cannot connect|no connection token|no handshake in time|no ping/pong in time|server asked to reconnect (#)|token expired|bad handshake|envelope: $ at byte #|payload: $ at byte #|not a Pusher or Centrifugo event message|payload needs # bytes of scratch space|event payload is not a JSON object|a Centrifugo message, not read by a Pusher-only reader|unexpected end of JSON (truncated message?)|unexpected byte in JSON|invalid escape sequence in JSON string|invalid JSON number|JSON nested too deeply|bytes after the JSON value|URL too long|not a ws:// or wss:// URL|channel name empty or too long|too many channels|token too long|queues too small for the transport|no room for the token Centrifugo needs|unknown error".split("|");
// The lifecycle events as kw_poll (its EVENT) numbers them (src/conn.rs): each one's name, then its
// fields' keys in the order of the values the module sends.
const LIFE = "StateChanged previous current|Connected transport socketId|Subscribed channel|SubscriptionTimedOut channel|SubscriptionError channel code message|Reconnecting afterMs reason|Disconnected code reason willRetry|Error source code message repeats|Error source message repeats|TokenRequired refresh".split("|");
/** A value of a lifecycle event's as the module sent it: a text it sends as numbers,
 * `[text, number, inner]` (src/text.rs), is `TEXTS[text]` with its `#` replaced by the number
 * and its `$` by `TEXTS[inner]`; any other value is itself. */
const said = (v) => (Array.isArray(v) ? TEXTS[v[0]].replace("#", v[1]).replace("$", TEXTS[v[2]]) : v);

/** A module's exports, instantiated from what `init` takes: its URL (a string, `URL` or
 * `Request`), a `fetch` response, its bytes or a compiled `WebAssembly.Module`, or a promise
 * of one of them. */
async function instantiate(source) {
  source = await source;
  if (typeof source === "string" || source instanceof URL || source instanceof Request) source = await fetch(source);
  if (source instanceof Response) {
    if (!source.ok) fail(`cannot load ${source.url}: HTTP ${source.status}`);
    source = await source.arrayBuffer();
  }
  const made = await WebAssembly.instantiate(source);
  // From bytes: `{ module, instance }`; from a `WebAssembly.Module`: the instance.
  return (made.instance ?? made).exports;
}

/** Loads the WebAssembly module (once; a failed load may be tried again). Pass its URL, bytes
 * or `WebAssembly.Module` to load it from elsewhere than next to this file. The URL is written
 * out so that bundlers find the file and emit it. */
export default function init(module_or_path) {
  loading ??= (async () => {
    core = new Wasm(await instantiate(module_or_path ?? new URL("kickwire_core_bg.wasm", import.meta.url)));
    for (const n of [...KINDS, ...OWN]) Events[n] = n[0].toLowerCase() + n.slice(1);
  })().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}


// What only some pages use (Kick's HTTP lookups, alerts, room info, viewer counts):
// kickwire_extras.js, imported the first time a page asks for one of them (a promise of it; a
// failed import may be tried again). It loads its modules with `load`.
let extras;
function extra() {
  extras ??= import("./kickwire_extras.js").then(
    (x) => (x.use(async (url) => new Wasm(await instantiate(url))), x),
    (e) => {
      extras = undefined;
      throw e;
    },
  );
  return extras;
}

function fail(message) {
  throw new Error("kickwire: " + message);
}

/** An `Error` event of the API's own (those of the connection come from the module). */
const error = (source, message) => ({ source, message, repeats: 0 });

/** Option `k` of `o`: true, false, or `fallback` when not given. */
function flag(o, k, fallback) {
  if (o?.[k] != null && typeof o[k] !== "boolean") fail(`option '${k}' must be true or false`);
  return o?.[k] ?? fallback;
}

// Kick's secrets, taken out of each payload as it is parsed (a reviver of `JSON.parse`) unless
// the page keeps them: the rules of proto's `redact`, on parsed values, without its code on
// every page (1.3 KB gzipped; the lookups module runs it on a `rawData` text, the alerts
// module on what the alert machine reads). A `playback_url`'s value (a signed stream URL)
// becomes "[redacted]" ("" when shorter), as does a list's first item there, as proto's
// scanner reads it; a string that is a whole http(s) URL, with no blank, whose query names a
// signature parameter (any case) loses its query. Strings are values only: a payload's text
// cannot make anything else go.
const REDACTED = "[redacted]";
const URL_ONLY = /^https?:\/\/[^\t\n\f\r ]*$/i;
const SIGNED = /(?:^|&)(?:x-amz-(?:signature|credential|security-token)|signature|key-pair-id|policy)=/i;
const secret = (v) =>
  typeof v === "string" ? (v.length < REDACTED.length ? "" : REDACTED) : (Array.isArray(v) && v.length && (v[0] = secret(v[0])), v);
function hide(k, v) {
  if (k === "playback_url") return secret(v);
  const q = typeof v === "string" && URL_ONLY.test(v) ? v.indexOf("?") : -1;
  return q >= 0 && SIGNED.test(v.slice(q + 1)) ? v.slice(0, q) : v;
}

const OPEN = "[emote:";
// An emote's id and the colon after it, read where the id starts (sticky: one place only).
const ID = /\d+:/y;

/** A chat message's content split into text and emotes, with each emote's image URL. A token
 * is `[emote:` + decimal id + `:` + a name without `]` + `]`, as proto's `kick::Parts` reads
 * them; anything else stays text. Linear time, whatever the content: a token ends at the first
 * `]` after its start, which is the same for every start before it and so is searched for once
 * per `]`, and no regular expression here can backtrack over more than one id's digits. */
export function parts(content) {
  const text = String(content ?? "");
  const list = [];
  let last = 0;
  let close = -1;
  for (let at = text.indexOf(OPEN); at >= 0; at = text.indexOf(OPEN, at + 1)) {
    if (close < at && (close = text.indexOf("]", at)) < 0) break;
    ID.lastIndex = at + OPEN.length;
    // The digits and the colon stop before the `]`; the name between them must not be empty.
    if (!ID.test(text) || ID.lastIndex >= close) continue;
    if (at > last) list.push({ type: "text", text: text.slice(last, at) });
    const id = text.slice(at + OPEN.length, ID.lastIndex - 1);
    list.push({ type: "emote", id: Number(id), name: text.slice(ID.lastIndex, close), url: `https://files.kick.com/emotes/${id}/fullsize` });
    last = close + 1;
    at = close;
  }
  if (last < text.length) list.push({ type: "text", text: text.slice(last) });
  return list;
}

/** The Kick events of a decoded message, read from its records (layout in src/records.rs):
 * `[dropped, events, raw]`, `dropped` counting those that did not fit, `events` a list of
 * `[type, data, meta]` (`["Error", {…}]` for a payload that is not JSON), `raw` the same
 * events as `[kind number, ..., payload text]` (what the alert machine takes). All is copied
 * out of the module's memory before any listener runs: the next call into the module reuses
 * it. */
function readRecords(w, len, keep) {
  const view = new DataView(w.memory.buffer, w.outAt, len);
  const dropped = view.getUint32(0, true);
  const events = [];
  for (let at = 4; at + 12 <= len; ) {
    const kind = view.getUint8(at);
    const centrifugo = view.getUint8(at + 1) === 1;
    const clen = view.getUint8(at + 2);
    const nlen = view.getUint8(at + 3);
    const ptr = view.getUint32(at + 4, true);
    const plen = view.getUint32(at + 8, true);
    at += 12;
    const channel = w.text(clen, w.outAt + at);
    at += clen;
    const name = nlen ? w.text(nlen, w.outAt + at) : undefined;
    at += nlen;
    events.push([kind, centrifugo, channel, name, w.text(plen, ptr)]);
  }
  return [dropped, events.map(([kind, centrifugo, channel, name, json]) => {
    const type = KINDS[kind];
    let data;
    try {
      data = JSON.parse(json, keep ? undefined : hide);
    } catch {
      // Not the engine's message: Chromium's quotes the text, which the reviver never saw.
      return ["Error", error("message", `${type} payload is not JSON (${json.length} characters)`)];
    }
    if (type === "ChatMessage" && data && typeof data === "object") data.parts = parts(data.content);
    const meta = { type, channel, transport: centrifugo ? "centrifugo" : "pusher" };
    if (name !== undefined) meta.name = name;
    return [type, data, meta];
  }), events];
}

/** Decodes whole WebSocket messages (Pusher frames or Centrifugo messages) with no
 * connection: `decode(text)` answers `[{ type, channel, transport, data }]`, transport
 * messages and malformed ones skipped. Option `keepSecrets`: as KickConnection's. The module
 * every page loads reads Pusher frames only; a decoder made by `await KickDecoder.create({
 * centrifugo: true })` reads Centrifugo messages too, with the lookups module (which Centrifugo
 * connections use), and `decode()` of any other throws for a message that holds one. */
export class KickDecoder {
  constructor(options) {
    if (!core) fail("call `await init()` first");
    this._keep = flag(options, "keepSecrets", false);
    if (flag(options, "centrifugo", false)) fail(`{ centrifugo: true } needs ${CREATE}`);
  }

  /** A decoder, made once the module it needs is loaded: with `centrifugo: true`, the
   * lookups module, which reads Centrifugo messages as well as Pusher frames. */
  static async create(options) {
    const d = new KickDecoder({ keepSecrets: options?.keepSecrets });
    if (flag(options, "centrifugo", false)) d._w = await (await extra()).centrifugo();
    return d;
  }

  decode(message) {
    const w = this._w ?? core;
    const [len] = w.put(String(message));
    if (len >= w.cap) fail(`message larger than ${w.cap} bytes`);
    // 0: the message holds a Centrifugo message, which the core module does not read.
    const n = w.f.kw_decode(len) || fail(`a Centrifugo message needs a decoder made by ${CREATE}`);
    return readRecords(w, n, this._keep)[1]
      .filter(([type]) => type !== "Error")
      .map(([, data, meta]) => ({ ...meta, data }));
  }
}

const CREATE = "`await KickDecoder.create({ centrifugo: true })`";

/** Every event name, its value its camelCase spelling, which `on()` takes too:
 * `Events.ChatMessage` is `"chatMessage"`. kick-live-connector's `Events` enum
 * (LOX-X/Kick-Live-Connector, `src/Events.ts`) is made the same way, and each of its names is
 * kickwire's own for the same event, so code written for it runs as it is. Filled by `init()`,
 * as it was when the module sent the names of Kick's events. */
export const Events = {};

// The API's own event names, beside Kick's (KINDS).
const OWN = "Connected Subscribed SubscriptionTimedOut SubscriptionError Reconnecting Disconnected Error StateChanged rawData Alert ViewerCount".split(" ");
const warned = new Set();

/** The name listeners of `name` are kept under: as it is when known, else with a capital first
 * letter when that is known (kick-live-connector's `chatMessage`); else as it is, with a warning
 * in the console, once per name: a listener no event will ever call is a typo to fix. */
function eventName(name) {
  name = String(name);
  const up = name.charAt(0).toUpperCase() + name.slice(1);
  if (Events[up] === name) return up;
  if (!(Events.hasOwnProperty(name) || warned.has(name))) {
    warned.add(name);
    console.warn(`kickwire: unknown event '${name}'`);
  }
  return name;
}

/** The six channels one chat's events come on, chat channel first: proto's
 * `kick::channels::ChannelKind::ALL` and their names (written here rather than asked of the
 * module, where they cost every page 0.3 KB gzipped). */
const chatChannels = ({ chatroomId: c, channelId: h }) =>
  [`chatrooms.${c}.v2`, `chatrooms.${c}`, `chatroom_${c}`, `channel.${h}`, `channel_${h}`, `predictions-channel-${h}`];

const TRANSPORTS = ["auto", "pusher", "centrifugo"];
// Kick's Pusher app, and the query that pusher-js 8.4.0 (Kick's own web client) sends.
const KICK_KEY = "32cbd69e4b950bf97679";
const APP_QUERY = "?protocol=7&client=js&version=8.4.0&flash=false";

/** `{ url, transport }`: a server of the user's own (`url`, checked to be ws:// or wss://),
 * or with none the app `key` (Kick's when empty) on Pusher's `cluster` (`us2` when empty).
 * The rules of proto's `url_transport` and `pusher_app_url`, written here rather than run in
 * the module, where they cost every page 1.2 KB gzipped: with `transport` 'auto', Centrifugo's
 * `/connection/websocket` and a Pusher `/app/` path are told from the URL and a bare
 * `ws://host:port` is a Pusher server; any other path needs `transport`. A Pusher server's
 * app path is added when the URL has none. */
function serverUrl(transport, url, key, cluster) {
  key ||= KICK_KEY;
  if (!url) return { url: `wss://ws-${cluster || "us2"}.pusher.com:443/app/${key}${APP_QUERY}`, transport: "pusher" };
  const app = url.includes("/app/");
  if (transport === "auto") {
    // The path: from the first `/` after `scheme://` to `?` or `#`.
    const path = url.slice(url.indexOf("://") + 3).split(/[?#]/)[0].replace(/^[^/]*/, "");
    transport = url.includes("/connection/websocket") ? "centrifugo"
      : app || path === "" || path === "/" ? "pusher"
      : fail("cannot tell the protocol of this URL: set transport to 'pusher' or 'centrifugo'");
  }
  // Trailing slashes cut by a loop: a regex of them backtracks on slashes not at the end.
  let end = url.length;
  while (url[end - 1] === "/") end--;
  return { url: transport === "pusher" && !app ? url.slice(0, end) + "/app/" + key + APP_QUERY : url, transport };
}

function checkOptions(o) {
  if (o !== undefined && (o === null || typeof o !== "object")) fail("options must be an object");
  o = { ...o };
  const transport = o.transport ?? "auto";
  if (!TRANSPORTS.includes(transport))
    fail(`transport must be 'auto', 'pusher' or 'centrifugo', not '${transport}'`);
  for (const k of ["url", "key", "cluster", "token"])
    if (o[k] != null && typeof o[k] !== "string") fail(`option '${k}' must be a string`);
  if (o.url != null && !/^wss?:\/\//.test(o.url)) fail(`url must be a ws:// or wss:// URL, not '${o.url}'`);
  if (o.channels != null && !(Array.isArray(o.channels) && o.channels.every((c) => typeof c === "string")))
    fail("channels must be an array of strings");
  return {
    transport,
    url: o.url ?? null,
    // Empty: Kick's app (the module knows its key and cluster).
    key: o.key ?? "",
    cluster: o.cluster ?? "",
    token: o.token ?? null,
    reconnect: flag(o, "reconnect", true),
    channels: o.channels ?? null,
    raw: !!o.raw,
    keepSecrets: flag(o, "keepSecrets", false),
    // Off when not given (undefined).
    alerts: flag(o, "alerts"),
    roomInfo: flag(o, "fetchRoomInfoOnConnect"),
    history: flag(o, "history"),
  };
}

function checkChannel(c) {
  if (typeof c === "string") {
    if (!c.trim()) fail("the channel slug is empty");
    return c.trim();
  }
  if (c && typeof c === "object") {
    const id = (k) => {
      const n = Number(c[k]);
      if (c[k] == null || c[k] === "") fail(`'${k}' is missing`);
      if (!Number.isSafeInteger(n) || n < 0) fail(`'${k}' must be a whole positive number`);
      return n;
    };
    return { chatroomId: id("chatroomId"), channelId: id("channelId") };
  }
  fail("channel must be a slug string or { chatroomId, channelId }");
}





/** A connection to one Kick channel's live events. */
export class KickConnection {
  /** `channel`: a slug or `{ chatroomId, channelId }`. Options: `transport` (`auto`,
   * `pusher`, `centrifugo`), `url`, `key`, `cluster`, `token`, `reconnect` (default true),
   * `channels` (names to join instead of all six), `raw` (also emit `rawData`),
   * `keepSecrets` (payloads and `rawData` keep Kick's signed URLs, redacted by default). */
  constructor(channel, options) {
    if (!core) fail("call `await init()` first");
    this._channel = checkChannel(channel);
    this._o = checkOptions(options);
    this._listeners = new Map();
    // An arrow, so that the extras get it as it is.
    this._emit = (name, ...args) => {
      for (const f of this._listeners.get(name) ?? []) {
        try {
          f(...args);
        } catch (e) {
          setTimeout(() => { throw e; }); // reported, and the connection goes on
        }
      }
    };
    this._slot = -1;
    // The module that holds the connection: this one until a Centrifugo connection starts.
    this._w = core;
    this._start = performance.now();
    this._client = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
  }

  /** Adds a listener: Kick events get `(data, { type, channel, transport })`, lifecycle
   * events (`Connected`, `Disconnected`, `Reconnecting`, `Error`, ...) one object, `rawData`
   * the message text. */
  on(name, callback) {
    name = eventName(name);
    if (!this._listeners.has(name)) this._listeners.set(name, []);
    this._listeners.get(name).push(callback);
    return this;
  }

  /** Removes a listener added with `on`. */
  off(name, callback) {
    name = eventName(name);
    const list = this._listeners.get(name);
    if (list) this._listeners.set(name, list.filter((f) => f !== callback));
    return this;
  }

  /** The channel as Kick's channel lookup describes it now: `{ channelId, chatroomId, slug,
   * username, live, livestreamId, title, viewers, category, followers }` (`null` for what Kick
   * left out). Needs a slug, and a page Kick answers (kick.com): rejects with an `Error`
   * otherwise. */
  getRoomInfo() {
    return extra().then((x) => x.getRoomInfo(this._channel, core.f));
  }

  /** `initialized`, `connecting`, `connected`, `unavailable`, `disconnected` or `failed`. */
  getState() {
    return this._slot < 0 ? this._last ?? "initialized" : TEXTS[this._w.f.kw_poll(this._slot, 2 /* STATE */)];
  }

  /** Connects; resolves `{ chatroomId, channelId, transport }` once connected, rejects with
   * an `Error` saying what went wrong. With `reconnect` on (the default) it waits through
   * retries for as long as they go on: watch `Reconnecting` to report them. */
  connect() {
    if (this._slot >= 0) return Promise.reject(new Error("kickwire: already connected"));
    return new Promise((resolve, reject) => {
      this._pending = { resolve, reject };
      this._begin().catch((e) => this._settle(e instanceof Error ? e : new Error(String(e))));
    });
  }

  /** Closes the connection for good. */
  disconnect() {
    this._stopped = true; // a connect() still looking things up stops at its next step
    this._settle(new Error("kickwire: disconnected before the connection was made"));
    if (this._slot < 0) return;
    this._w.f.kw_drive(this._slot, this._now(), 1 /* DISCONNECT */);
    this._pump();
  }

  _now() {
    return performance.now() - this._start;
  }


  _settle(result) {
    const p = this._pending;
    this._pending = null;
    if (!p) return;
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  async _begin() {
    const slot = core.f.kw_alloc();
    if (slot < 0) fail("too many connections on this page (8 at most): disconnect one first");
    this._slot = slot;
    this._stopped = false;
    try {
      const o = this._o;
      let reply;
      if (typeof this._channel === "string") [this._ids, reply] = await (await extra()).lookup(slot, this._channel);
      else this._ids = this._channel;
      if (o.roomInfo || o.alerts) {
        const x = await extra();
        if (o.roomInfo) this._info = x.connectInfo(this._channel, reply);
        if (o.alerts) this._alerts = await x.alerts(slot, () => this._now(), this._emit, o.keepSecrets);
      }
      const { url, transport } = await this._endpoint();
      // The recent chat before the live events (and through the alert machine first).
      if (o.history) await (await extra()).history(this._ids, transport, this._emit, this._alerts, parts, !o.keepSecrets && hide);
      // rawData's redaction (the lookups module's): loaded before the first message.
      if (o.raw && !o.keepSecrets) this._redactor = await (await extra()).centrifugo();
      if (this._stopped) fail("disconnected before the connection was made");
      // The connection's module: this one speaks Pusher only; Centrifugo's machine is in the
      // lookups module (kickwire_extras.js loads it), at the same slot number.
      const centrifugo = transport === "centrifugo";
      const w = (this._w = centrifugo ? await (await extra()).centrifugo() : core);
      if (this._stopped) fail("disconnected before the connection was made");
      const [urlLen] = w.put(url);
      const seed = Math.floor(Math.random() * 2 ** 52);
      const err = w.f.kw_start(slot, centrifugo, urlLen, o.reconnect, seed);
      // Refused: the number of its text, plus 1.
      if (err) fail(`${TEXTS[err - 1]}: ${url}`);
      const channels = o.channels ?? chatChannels(this._ids);
      for (const c of channels) {
        const e = w.f.kw_drive(slot, 0, 6 /* SUBSCRIBE */, 0, ...w.put(c));
        if (e) fail(`channel '${c}': ${TEXTS[e - 1]}`);
      }
      // Centrifugo's (the core module has no token to take): a Pusher connection ignores it.
      if (centrifugo && this._token) {
        const e = w.f.kw_drive(slot, this._now(), 7 /* SET_TOKEN */, 0, ...w.put(this._token));
        if (e) fail(TEXTS[e - 1]);
      }
      this._transport = transport;
      w.f.kw_drive(slot, this._now(), 0 /* CONNECT */);
      this._pump();
    } catch (e) {
      this._release();
      throw e;
    }
  }

  /** `{ url, transport }`: the user's server, Kick's Pusher app, or Kick's negotiation. */
  async _endpoint() {
    const o = this._o;
    const fixed = (transport, url) => serverUrl(transport, url, o.key, o.cluster);
    this._token = o.token;
    if (o.url || o.transport === "pusher") return fixed(o.url ? o.transport : "pusher", o.url);
    const accept = o.transport === "centrifugo" ? 2 : 3;
    try {
      return await (await extra()).negotiate(this._ids.channelId, accept, this._client);
    } catch (e) {
      // Kick's own Pusher app still answers pages from anywhere.
      if (o.transport === "auto") return fixed("pusher", "");
      fail(`Kick's transport negotiation failed (${e.message}); pages not served from kick.com need a relay or a self-hosted server (options.url)`);
    }
  }

  async _fetchToken() {
    // One fetch at a time: when the connection asks again while one is on its way (it gave up
    // waiting for it), that one's answer serves.
    if (this._fetching) return;
    this._fetching = true;
    try {
      if (!this._o.token) {
        this._token = await (await extra()).token(this._client);
      }
      if (this._slot < 0) return;
      const w = this._w;
      const e = w.f.kw_drive(this._slot, this._now(), 7 /* SET_TOKEN */, 0, ...w.put(this._token));
      if (e) fail(TEXTS[e - 1]);
    } catch (e) {
      this._emit("Error", error("token", e.message));
      // Said, and not the end: the connection asks again after a back-off.
      if (this._slot >= 0) this._w.f.kw_drive(this._slot, this._now(), 4 /* TOKEN_FAILED */);
    } finally {
      this._fetching = false;
    }
    this._pump();
  }

  /** Drains the connection's outputs: socket actions, lifecycle events, the next timer. */
  _pump() {
    const slot = this._slot;
    const w = this._w;
    if (slot < 0) return;
    for (let t; (t = w.f.kw_poll(slot, 0 /* TRANSMIT */)); ) {
      const kind = t & 3;
      const n = t >>> 2;
      if (kind === 1) this._open(w.text(n));
      else if (kind === 2) this._ws?.send(w.text(n));
      else if (kind === 3) this._close(n);
    }
    const events = [];
    for (let n; (n = w.f.kw_poll(slot, 1 /* EVENT */)); ) {
      // `[number, ...values]`: the event's name and keys are LIFE[number]'s words.
      const [k, ...values] = w.json(n);
      const [name, ...keys] = LIFE[k].split(" ");
      const data = {};
      keys.forEach((key, i) => (data[key] = said(values[i])));
      events.push([name, data]);
    }
    const state = this.getState();
    clearTimeout(this._timer);
    const at = w.f.kw_timer(slot);
    if (at >= 0)
      this._timer = setTimeout(() => {
        w.f.kw_drive(slot, this._now(), 3 /* TIMEOUT */);
        this._pump();
      }, Math.max(0, at - this._now()));
    const ended = state === "disconnected" || state === "failed";
    if (ended) this._release();
    for (const [name, data] of events) {
      if (name === "TokenRequired") {
        this._fetchToken();
        continue;
      }
      if (name === "Connected") {
        // The ids as checked or looked up (`{ chatroomId, channelId }` either way), and the
        // room with `fetchRoomInfoOnConnect` (else undefined).
        this._settle({ ...this._ids, transport: data.transport, roomInfo: this._info });
        // kick-live-connector's `ViewerCount` poll, when it has listeners (added before
        // `connect()`, as there) and is not running yet.
        if (!this._stopViewers && this._listeners.get("ViewerCount")?.length)
          this._stopViewers = extra().then((x) => x.viewerCount(this._channel, slot, this._emit));
      }
      if (name === "Disconnected" && !data.willRetry && ended)
        this._settle(new Error(`kickwire: connection refused (code ${data.code ?? "none"}): ${data.reason || "the connection could not be opened"}`));
      this._emit(name, data);
    }
  }

  _release() {
    // The poll stops, also one whose start is still on its way.
    this._stopViewers?.then((stop) => stop());
    this._alerts?.end();
    this._stopViewers = this._alerts = null;
    // The state it ended in (`failed` or `disconnected`) outlives the slot, freed here (the
    // socket's handlers, which call into it, are dropped just below, before anything runs).
    if (this._slot >= 0) {
      this._last = this.getState();
      // The slot in both modules (the same number; freeing one never used costs nothing).
      this._w.f.kw_free(this._slot);
      core.f.kw_free(this._slot);
    }
    if (this._last === "initialized" || this._last === "connecting") this._last = "disconnected";
    clearTimeout(this._timer);
    this._close(1000);
    this._slot = -1;
  }

  _close(code) {
    const ws = this._ws;
    this._ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close(code);
    } catch {
      ws.close();
    }
  }

  _open(url) {
    this._close(1000);
    const slot = this._slot;
    const w = this._w;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      w.f.kw_drive(slot, this._now(), 5 /* CLOSED */, -1, ...w.put(e.message));
      return;
    }
    this._ws = ws;
    ws.onopen = () => {
      w.f.kw_drive(slot, this._now(), 2 /* OPENED */);
      this._pump();
    };
    ws.onmessage = (e) => this._message(e.data);
    ws.onclose = (e) => {
      this._ws = null;
      // 1005/1006: no code was received.
      const code = e.code === 1005 || e.code === 1006 ? -1 : e.code;
      w.f.kw_drive(slot, this._now(), 5 /* CLOSED */, code, ...w.put(e.reason));
      this._pump();
    };
  }

  _message(data) {
    if (typeof data !== "string") return; // binary: neither protocol
    const { raw, keepSecrets } = this._o;
    const w = this._w;
    // rawData: the text as received with keepSecrets, else as the lookups module redacts it
    // (loaded by connect() for it), before this module reads it; a message too large for that
    // has none.
    let text = raw && data;
    if (raw && !keepSecrets) {
      const r = this._redactor;
      const [n] = r.put(data);
      text = n < r.cap ? r.text(r.f.kw_redact(n), r.inAt) : null;
    }
    const [len] = w.put(data);
    const [dropped, events, kick = []] =
      len >= w.cap
        ? [0, [["Error", error("message", `a message larger than ${w.cap} bytes was dropped`)]]]
        : readRecords(w, w.f.kw_message(this._slot, this._now(), len), keepSecrets);
    if (raw && text !== null) this._emit("rawData", text);
    for (const e of events) this._emit(...e);
    // Then the alerts the events make (the machine decides; one per happening).
    for (const [kind, , , , json] of kick) this._alerts?.event(kind, json);
    if (dropped) this._emit("Error", error("message", `${dropped} events of one message did not fit and were dropped`));
    this._pump();
  }
}
