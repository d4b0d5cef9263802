// kickwire OBS overlay: Kick chat and alerts from kickwire's browser client, no server of
// your own. Configured entirely by URL parameters (see README.md next to this file).
//
// Safety rule for the whole file: everything that comes from Kick (names, messages, gift
// names, badge texts) goes into the page as text (textContent / createTextNode), never as
// HTML, and the only image URLs are built here from numeric emote ids.

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const chat = $("chat");
const alerts = $("alerts");
const status = $("status");
// The package's `parts` (text and emotes of chat content), once it is loaded.
let parts;

/** Whole number from a parameter, clamped; `fallback` when missing or not a number. */
function intParam(name, fallback, min, max) {
  const n = Number.parseInt(params.get(name) ?? "", 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

const MAX_LINES = intParam("max", 30, 1, 500);
// `firstwords=1`: a chatter's first message since the stream went live stands out.
const FIRST_WORDS = params.get("firstwords") === "1";
// `history=1`: start with the recent chat (Kick answers pages on kick.com only).
const HISTORY = params.get("history") === "1";
const ALERT_MS = intParam("duration", 6, 1, 60) * 1000;
// A gift bomb arrives as one event, so a long queue means something odd; keep memory bounded.
const MAX_QUEUED_ALERTS = 50;
document.documentElement.dataset.theme = params.get("theme") === "light" ? "light" : "dark";

/** `el(tag, className, text)`: an element, with its text set as text. */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

// ----- connection status -----

let countdown = null;

function setStatus(state, label, detail = "") {
  clearInterval(countdown);
  countdown = null;
  status.dataset.state = state;
  status.querySelector(".label").textContent = label;
  // Why it is disconnected, shown under the label (an OBS source has no tooltips).
  status.querySelector(".detail").textContent = state === "disconnected" ? detail : "";
  status.title = detail || label;
}

/** "reconnecting in N s", counting down; "connecting" once the attempt starts. */
function reconnectingIn(ms, reason) {
  const until = Date.now() + ms;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    status.querySelector(".label").textContent = left > 0 ? `reconnecting in ${left} s` : "reconnecting";
  };
  setStatus("reconnecting", "", reason);
  tick();
  countdown = setInterval(tick, 250);
}

// ----- chat -----

const BADGE_LABELS = {
  broadcaster: "STREAMER", moderator: "MOD", vip: "VIP", og: "OG", founder: "FOUNDER",
  subscriber: "SUB", sub_gifter: "GIFTER", verified: "VERIFIED", staff: "STAFF", bot: "BOT",
};

function badges(list) {
  const box = el("span", "badges");
  for (const b of Array.isArray(list) ? list : []) {
    const type = String(b?.type ?? "");
    const span = el("span", "badge", BADGE_LABELS[type] ?? b?.text ?? type);
    // Only [a-z_] reaches the attribute the stylesheet colours by.
    span.dataset.type = type.toLowerCase().replace(/[^a-z_]/g, "");
    span.title = b?.count ? `${b.text} (${b.count})` : String(b?.text ?? type);
    box.append(span);
  }
  return box;
}

/** The message body from the client's `parts` (text and emotes). */
function body(m) {
  const span = el("span", "text");
  span.dir = "auto"; // Arabic, Hebrew... lay out right to left
  const parts = Array.isArray(m.parts) ? m.parts : [{ type: "text", text: m.content }];
  for (const p of parts) {
    // Only a numeric id becomes a URL; the part's own `url` is not trusted as is.
    if (p?.type === "emote" && Number.isSafeInteger(p.id) && p.id >= 0) {
      const img = el("img", "emote");
      img.src = `https://files.kick.com/emotes/${p.id}/fullsize`;
      img.alt = img.title = String(p.name ?? "");
      // Offline, or Kick's CDN refuses: the emote's name instead of a broken image.
      img.addEventListener("error", () => img.replaceWith(document.createTextNode(img.alt)));
      span.append(img);
    } else {
      span.append(document.createTextNode(String(p?.text ?? "")));
    }
  }
  return span;
}

// Chat messages waiting for the alert machine's word: it tells each message once (`Chat`
// alert, same id), so a message Kick sends twice (the recent chat and its live copy, or a copy
// after a reconnect) makes one line. The alert follows its message at once; what is left here
// was a copy, and the oldest entries go first.
const held = new Map();
const MAX_HELD = 64;

function holdChat(m) {
  held.delete(String(m.id ?? ""));
  held.set(String(m.id ?? ""), m);
  if (held.size > MAX_HELD) held.delete(held.keys().next().value);
}

function addChat(m, firstWords) {
  const sender = m.sender ?? {};
  const li = el("li", "line");
  li.dataset.id = String(m.id ?? "");
  li.dataset.userId = String(sender.id ?? "");
  li.dataset.user = String(sender.username ?? "").toLowerCase();
  const original = m.metadata?.original_sender;
  if (original?.username) {
    // A reply: whom it answers, and the start of what they said.
    const reply = el("div", "reply", `↪ ${original.username}`);
    // The quoted text is raw content: its emotes ([emote:ID:NAME]) shown as their names.
    const said = parts(m.metadata.original_message?.content)
      .map((p) => (p.type === "emote" ? p.name : p.text))
      .join("");
    if (said) reply.append(el("span", "said", `: ${said}`));
    li.append(reply);
  }
  const name = el("span", "name", sender.username ?? "?");
  const color = sender.identity?.color;
  if (/^#[0-9a-f]{6}$/i.test(color ?? "")) name.style.color = color;
  if (FIRST_WORDS && firstWords) li.classList.add("first-words");
  li.append(badges(sender.identity?.badges), name, el("span", "colon", ": "), body(m));
  chat.append(li);
  while (chat.children.length > MAX_LINES) chat.firstElementChild.remove();
}

/** Removes the chat lines for which `match(li)` is true. */
function removeLines(match) {
  for (const li of [...chat.children]) if (match(li)) li.remove();
}

// ----- alerts: queued, shown one at a time -----

const queue = [];
let showing = false;

function queueAlert(kind, title, main, sub) {
  if (queue.length >= MAX_QUEUED_ALERTS) queue.shift();
  queue.push({ kind, title, main, sub });
  if (!showing) nextAlert();
}

function nextAlert() {
  const a = queue.shift();
  showing = Boolean(a);
  if (!a) return;
  const box = el("div", "alert");
  box.dataset.kind = a.kind;
  box.append(el("div", "alert-title", a.title));
  // `main` is a list of [text, emphasised?] pieces: names and numbers stand out.
  const main = el("div", "alert-main");
  for (const [text, strong] of a.main) main.append(strong ? el("b", "", text) : document.createTextNode(text));
  box.append(main);
  if (a.sub) {
    const sub = el("div", "alert-sub", a.sub);
    sub.dir = "auto";
    box.append(sub);
  }
  alerts.replaceChildren(box);
  setTimeout(() => {
    box.classList.add("leaving"); // fades out (overlay.css), then the next one
    setTimeout(() => { box.remove(); nextAlert(); }, 400);
  }, ALERT_MS);
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** One pop-up per real happening: kickwire's alert machine (`alerts: true`) has merged Kick's
 * copies (a sub sent as up to five events, a host as two) and joined a gift's chunks, with
 * Kick's real total. */
function onAlert(a) {
  switch (a.alert) {
    case "Subscription":
      return queueAlert("sub", "NEW SUB", [[a.username, true], [" subscribed", false]],
        a.months > 1 ? `${a.months} months` : "");
    case "GiftedSubscriptions":
      // `count` is the gift's real total; `recipients` the first names only.
      return queueAlert("gift", "GIFTED SUBS",
        [[a.gifter || "Anonymous", true], [" gifted ", false], [plural(a.count, "sub", "subs"), true]],
        a.count <= 3 && a.recipients.length === a.count ? `to ${a.recipients.join(", ")}` : "");
    case "KicksGift":
      return queueAlert("kicks", "KICKS", [[a.sender, true], [" sent ", false], [a.gift || "a gift", true],
        [` (${plural(a.amount, "Kick", "Kicks")})`, false]], a.message);
    case "Host":
      return queueAlert("host", "HOST", [[a.host, true], [" is hosting with ", false],
        [plural(a.viewers ?? 0, "viewer", "viewers"), true]], a.message);
    case "Chat": {
      // The message came just before its alert (same id): its line now, once.
      const m = held.get(a.id);
      held.delete(a.id);
      if (m) addChat(m, a.firstWords);
    }
  }
}

// ----- the connection -----

function connectionArgs() {
  const chatroomId = params.get("chatroom");
  const channelId = params.get("channelId");
  const slug = params.get("channel");
  const channel = chatroomId && channelId ? { chatroomId, channelId } : slug;
  if (!channel) throw new Error("add ?channel=SLUG, or ?chatroom=N&channelId=N, to the URL");
  const options = { history: HISTORY };
  for (const name of ["url", "transport", "key", "token"]) {
    if (params.get(name)) options[name] = params.get(name);
  }
  return [channel, options];
}

/** The package: `?pkg=path/to/kickwire.js`, same origin only (the page's CSP says so too). */
function packageUrl() {
  const url = new URL(params.get("pkg") || "./pkg/kickwire.js", location.href);
  if (url.origin !== location.origin) throw new Error(`pkg must be on this site: ${url}`);
  return url.href;
}

async function main() {
  const [channel, options] = connectionArgs();
  const { default: init, KickConnection, parts: split } = await import(packageUrl());
  parts = split;
  await init();
  const kick = new KickConnection(channel, { ...options, alerts: true });
  let subscribed = 0;

  // Kick events: listeners get `(data, meta)`, `data` being Kick's own payload (its field
  // names, as Kick sent it; chat messages also get `parts`), `meta` `{ type, channel,
  // transport }`. Lifecycle events (Connected, Reconnecting...) get one object.

  // A chat line is drawn when the alert machine tells the message (onAlert), once.
  kick.on("ChatMessage", holdChat);
  kick.on("MessageDeleted", (d) => removeLines((li) => li.dataset.id === String(d.message?.id)));
  kick.on("UserBanned", (b) => {
    // By id when both sides have one, else by name (Kick's names are case-insensitive).
    const id = b.user?.id ? String(b.user.id) : "";
    const name = String(b.user?.username ?? "").toLowerCase();
    removeLines((li) => (id && li.dataset.userId ? li.dataset.userId === id : li.dataset.user === name));
  });
  kick.on("ChatroomClear", () => chat.replaceChildren());

  // Subs, gifts, Kicks and hosts: one `Alert` each, whatever number of events Kick sent.
  kick.on("Alert", onAlert);

  kick.on("Connected", (c) => {
    subscribed = 0;
    setStatus("connected", "connected", `connected (${c.transport})`);
  });
  // How many channels were joined since the last connect, as data-channels on the status (the
  // end-to-end test waits for all six before it publishes: Pusher keeps nothing for late
  // subscribers).
  kick.on("Subscribed", () => { status.dataset.channels = String(++subscribed); });
  kick.on("Reconnecting", (r) => reconnectingIn(r.afterMs, r.reason));
  kick.on("Disconnected", (d) => {
    delete status.dataset.channels;
    if (!d.willRetry) setStatus("disconnected", "disconnected", d.reason || `closed (${d.code})`);
  });
  kick.on("Error", (e) => {
    console.warn("kickwire:", e.source, e.message);
    // No recent chat (a page not on kick.com, or Kick refused): said once, under the status.
    if (e.source === "history") status.querySelector(".note").textContent = e.message;
  });
  // OBS reloads the source when it is hidden or its settings change: leave cleanly.
  addEventListener("pagehide", () => kick.disconnect());

  setStatus("connecting", "connecting");
  await kick.connect();
}

main().catch((e) => {
  console.error(e);
  setStatus("disconnected", "disconnected", String(e?.message ?? e));
});
