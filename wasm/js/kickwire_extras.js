// kickwire's extras: what only some pages use, kept out of what every page loads. kickwire.js
// imports this file the first time a page asks for one of them, and hands it its module loader
// (`use`). In here:
// - Kick's HTTP lookups (a slug, Kick's transport negotiation, a guest token): the lookups
//   module (kickwire_lookup_bg.wasm) builds each request and reads each reply, this file only
//   carries them with `fetch`; only pages on kick.com get answers;
// - room info (`getRoomInfo()`, `fetchRoomInfoOnConnect`) and kick-live-connector's
//   `ViewerCount`, read from the reply of the channel lookup;
// - the recent chat (`history: true`): the lookups module builds the request and reads the
//   reply of Kick's history endpoint, this file sorts it and hands it on as `ChatMessage`s;
// - Centrifugo connections: the lookups module runs them too (`centrifugo()`), since the
//   module every page loads speaks Pusher only;
// - alerts (`alerts: true`): the alert machine, a module of its own (kickwire_alerts_bg.wasm,
//   the crate's `alerts` feature), fed every Kick event of the connection. It decides what is
//   one happening; this file only carries.
//
// What crosses between the two files has names without `_`: each file's `_` members are
// shortened on their own when minified.

// A module's `Wasm` (kickwire.js) from its URL; set by `use`.
let load;
// The modules, promises of them (a failed load may be tried again).
let lookups, alertsWasm;

/** Takes kickwire.js's module loader. */
export function use(loader) {
  load = loader;
}

function fail(message) {
  throw new Error("kickwire: " + message);
}

/** The promise `get()` holds, made by `make()` the first time; forgotten if it fails, so that
 * a later call tries again. */
function once(get, set, make) {
  return get() ?? set(make().catch((e) => {
    set(undefined);
    throw e;
  }));
}

function lookupModule() {
  // The URL written out, so that bundlers find the file and emit it.
  return once(() => lookups, (v) => (lookups = v), () => load(new URL("kickwire_lookup_bg.wasm", import.meta.url)));
}

/** Sends a request the module built (`{ method, url, headers, body }`) and hands the reply's
 * status, Cloudflare flag and body back through `read(status, cf, len)` (and the body's text to
 * `seen`, if given). */
async function fetchFor(wasm, request, read, seen) {
  if (request.error) fail(request.error);
  const { method, url, headers, body } = request.request;
  // Given up after 60 s (where the browser can): a token fetch that hangs must not hold up the
  // next one for ever (only one runs at a time), and one that answers late, after the
  // connection's own 30 s wait for a token, still serves its next attempt.
  const reply = await fetch(url, { method, headers, body, signal: AbortSignal.timeout?.(60_000) });
  const text = await reply.text();
  seen?.(text);
  const [len] = wasm.put(text);
  return wasm.json(read(reply.status, reply.headers.has("cf-mitigated"), len));
}

const NO_LOOKUP =
  "kick.com does not answer lookups from other sites: pass { chatroomId, channelId } instead";

/** The module that runs Centrifugo connections (the lookups module, built with the crate's
 * `centrifugo` feature): the module every page loads speaks Pusher only. */
export function centrifugo() {
  return lookupModule();
}

/** Looks `slug` up with Kick (in slot `slot` of the lookups module): `[{ chatroomId, channelId },
 * reply]`, the reply being the channel object Kick answered, parsed. */
export async function lookup(slot, slug) {
  const lk = await lookupModule();
  let r = lk.json(lk.f.kw_lookup(slot, ...lk.put(slug)));
  let body;
  for (let i = 0; i < 3 && r.request; i++) {
    try {
      r = await fetchFor(lk, r, (status, cf, len) => lk.f.kw_lookup_reply(slot, status, cf, len), (t) => (body = t));
    } catch (e) {
      fail(`looking up '${slug}' failed (${e.message}); ${NO_LOOKUP}`);
    }
  }
  // The module checked the reply (status, Cloudflare, the ids): it is a channel object.
  if (r.ids) return [{ chatroomId: r.ids[0], channelId: r.ids[1] }, JSON.parse(body)];
  fail(`looking up '${slug}' failed: ${r.error ?? "not found"}; ${NO_LOOKUP}`);
}

/** Kick's transport negotiation for channel `channelId` by client `client` (`accept`: 2 for
 * Centrifugo only, 3 for either): `{ url, transport }`, or an `Error`. */
export async function negotiate(channelId, accept, client) {
  const lk = await lookupModule();
  const r = await fetchFor(lk, lk.json(lk.f.kw_negotiate(channelId, accept, ...lk.put(client))), lk.f.kw_negotiated);
  if (r.error) fail(r.error);
  return r;
}

/** Kick's guest token for client `client`, or an `Error`. */
export async function token(client) {
  const lk = await lookupModule();
  const r = await fetchFor(lk, lk.json(lk.f.kw_token_request(...lk.put(client))), lk.f.kw_token);
  if (r.error) fail(r.error);
  return r.token;
}

/** The reply of Kick's channel lookup (`GET kick.com/api/v2/channels/{slug}`), as
 * `getRoomInfo()` answers it. The members and their shapes are those proto's `http::channel`
 * reads and tests (`id`, `slug`, `user.username`, `chatroom.id`, `livestream` an object or
 * `null`, `livestream.is_live`), and beside them, read here only: `livestream.session_title`,
 * `livestream.viewer_count`, `livestream.categories[0].name` and `followers_count` (kicksdk
 * 0.2.0 `src/website.rs` reads the same). Kick's signed `playback_url` is never copied. */
export function roomInfo(c) {
  const s = c?.livestream;
  return {
    channelId: c?.id ?? null,
    chatroomId: c?.chatroom?.id ?? c?.chatroom_id ?? null,
    slug: c?.slug ?? null,
    username: c?.user?.username ?? null,
    // As proto reads it: live is a livestream object whose is_live is not false.
    live: !!s && s.is_live !== false,
    livestreamId: s?.id ?? null,
    title: s?.session_title ?? null,
    viewers: s?.viewer_count ?? null,
    category: s?.categories?.[0]?.name ?? null,
    followers: c?.followers_count ?? null,
  };
}

/** `getRoomInfo()` of a connection to `channel`; `f` is the core module's exports (a free slot
 * for the lookup, so that it runs beside any other). */
export async function getRoomInfo(channel, f) {
  if (typeof channel !== "string") fail("getRoomInfo() needs the channel's slug, not its ids");
  const slot = f.kw_alloc();
  if (slot < 0) fail("too many connections on this page (8 at most): disconnect one first");
  try {
    return roomInfo((await lookup(slot, channel))[1]);
  } finally {
    f.kw_free(slot);
  }
}

/** `fetchRoomInfoOnConnect`, as TikTok-Live-Connector's option: `connect()` answers the room
 * too, read from the lookup's `reply` (no second request), and refuses a channel that is not
 * live. */
export function connectInfo(channel, reply) {
  if (typeof channel !== "string") fail("fetchRoomInfoOnConnect needs the channel's slug, not its ids");
  const info = roomInfo(reply);
  if (!info.live) fail(`'${channel}' is not live`);
  return info;
}

/** Kick's `ViewerCount` as kick-live-connector sends it (`{ livestream_id, viewers }`), from the
 * lookup of `channel` (in slot `slot`): now, then every 60 s (kick-live-connector's period)
 * until the function answered is called (each through `emit("ViewerCount", count)`). Where Kick
 * does not answer the page, an `Error` of source `lookup` says so once and the poll stops, as
 * kick-live-connector's does on an error. An offline channel sends nothing. */
export function viewerCount(channel, slot, emit) {
  let timer;
  let stopped = false;
  const poll = async () => {
    try {
      if (typeof channel !== "string") fail("ViewerCount needs the channel's slug, not its ids");
      const r = roomInfo((await lookup(slot, channel))[1]);
      if (stopped) return;
      if (r.live) emit("ViewerCount", { livestream_id: r.livestreamId, viewers: r.viewers });
      timer = setTimeout(poll, 60_000);
    } catch (e) {
      if (!stopped) emit("Error", { source: "lookup", message: `no viewer count: ${e.message}`, repeats: 0 });
    }
  };
  poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The recent chat of a connection's channel (its ids; `history: true`), before the live events: each
 * message, oldest first, to `emit("ChatMessage", data, meta)` with `meta.history` true and its
 * `parts` added (`parts`: kickwire.js's) and Kick's secrets taken out (`hide`: kickwire.js's
 * reviver, false when the page keeps them), and to the alert machine first when there is one
 * (`alerts`), so that the live copy of a message (Kick sends the recent chat in both) is merged
 * by its id and not told twice. Where Kick refuses (pages not on kick.com, Cloudflare), one
 * `Error` of source `history` says why, and the live events go on. */
export async function history({ channelId, chatroomId }, transport, emit, alerts, parts, hide) {
  let list = [];
  let r;
  try {
    const lk = await lookupModule();
    const request = lk.json(lk.f.kw_history_request(channelId));
    // The reply is read in pages when its messages do not fit the module's output at once.
    let text, st;
    for (let skip = 0; skip != null; skip = r.next) {
      r = text === undefined
        ? await fetchFor(lk, request, (status, cf, len) => lk.f.kw_history(...(st = [status, cf]), len, 0), (t) => (text = t))
        : lk.json(lk.f.kw_history(...st, ...lk.put(text), skip));
      // Errors without fail()'s "kickwire: ": the Error event's message says it.
      if (!r) throw Error("the chat history does not fit the module's output");
      if (r.error) throw Error(r.error);
      list.push(...r.messages);
    }
  } catch (e) {
    return emit("Error", { source: "history", message: `no chat history: ${e.message} (Kick answers pages on kick.com only)`, repeats: 0 });
  }
  // Kick's secrets out, as out of a live payload (`hide`: kickwire.js's reviver; none when
  // the page keeps them).
  if (hide) list = JSON.parse(JSON.stringify(list), hide);
  // Kick does not promise an order: oldest first (a stable sort, undated ones first).
  const at = (m) => Date.parse(m.created_at) || 0;
  list.sort((a, b) => at(a) - at(b));
  const meta = { type: "ChatMessage", channel: `chatrooms.${chatroomId}.v2`, transport, history: true };
  for (const m of list) {
    const json = JSON.stringify(m);
    m.parts = parts(m.content);
    // As a live message: its event, then the alert it makes.
    emit("ChatMessage", m, { ...meta });
    alerts?.event(r.kind, json, true);
  }
}

/** The alert machine of connection `slot`: `event(kind, json)` hands it each Kick event
 * delivered (kind as numbered in the records, payload as JSON text, Kick's secrets taken out
 * there unless `keep`), `end()` tells the gifts
 * still waiting and frees its slot. Each alert goes to `emit("Alert", alert)`. The machine's timer (a gift
 * waiting for a missing chunk, 2 s) is driven here as kickwire.js drives the connection's:
 * after every call, the next deadline (`kw_alert_timer`) is set again. */
export async function alerts(slot, now, emit, keep) {
  const w = await once(() => alertsWasm, (v) => (alertsWasm = v), () => load(new URL("kickwire_alerts_bg.wasm", import.meta.url)));
  let timer;
  // `len`: the alerts' JSON in the module's output, read before any listener runs.
  // `history`: the alerts are marked as made by the recent chat.
  const out = (len, history) => {
    const told = w.json(len) ?? [];
    clearTimeout(timer);
    const at = w.f.kw_alert_timer(slot);
    if (at >= 0) timer = setTimeout(() => out(w.f.kw_alert_timeout(slot, now())), Math.max(0, at - now()));
    for (const a of told) emit("Alert", history ? { ...a, history } : a);
  };
  // A machine an earlier connection of this slot left is dropped first.
  w.f.kw_alert_end(slot, now());
  return {
    event: (kind, json, history) => {
      const [len] = w.put(json);
      out(w.f.kw_alert_event(slot, now(), kind, keep ? len : w.f.kw_redact(len)), history);
    },
    end: () => {
      out(w.f.kw_alert_end(slot, now()));
      clearTimeout(timer);
    },
  };
}
