// End-to-end test of examples/overlay in real headless Chromium (Playwright, Debian's
// /usr/bin/chromium), run by tests/tests/overlay_e2e.rs, which serves the page and owns the
// servers (sockudo for Pusher, the Centrifugo test server).
//
// Talks to the Rust test over stdio, one JSON object per line:
//   stdout  {"action": "publish" | "stop" | "start", ...}   the test does it, then answers
//   stdin   {"ok": true} | {"ok": false, "error": "..."}
//   stdout  {"scenario": NAME, "ok": BOOL, "ms": N, "error"?: "...", "detail"?: ...}   verdicts
//   stdout  {"done": true}                                   the end
// Anything for humans goes to stderr.
//
// Environment: OVERLAY_URL (the page), PUSHER_URL (ws://127.0.0.1:PORT), CENTRIFUGO_URL,
// CENTRIFUGO_TOKEN, SCREENSHOT (where to save the PNG).
//
// The expected texts below were copied by hand from tests/vectors/kick/*.jsonl (the
// `.expected.jsonl` files say the same), not computed from them.

import { CHROMIUM_ARGS, check, envFrom, giftChunk, protocol, same, subCopies } from "./harness.mjs";
import { chromium } from "playwright-core";

const env = envFrom("tests/tests/overlay_e2e.rs");
const OVERLAY_URL = env("OVERLAY_URL");
const PUSHER_URL = env("PUSHER_URL");
const CENTRIFUGO_URL = env("CENTRIFUGO_URL");
const CENTRIFUGO_TOKEN = env("CENTRIFUGO_TOKEN");
const SCREENSHOT = env("SCREENSHOT");
// The channel the overlay joins; the Rust side publishes every frame on its channels.
const CHATROOM = 2507974;
const CHANNEL = 2515504;

const { log, say, ask, publish, scenario, done } = protocol({
  tag: "overlay-e2e", script: "run.mjs", watchdogMs: 200_000, askMs: 40_000,
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
// About a third of a 1080p canvas, a usual size for a chat source.
const context = await browser.newContext({ viewport: { width: 480, height: 640 } });
context.setDefaultTimeout(20_000);

// Loopback only: the page may reach 127.0.0.1; Kick's emote CDN is answered here with a small
// picture (so emotes really load); anything else is refused and reported.
const escaped = [];
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.hostname === "127.0.0.1") return route.continue();
  const emote = /^\/emotes\/(\d+)\/fullsize$/.exec(url.pathname);
  if (url.origin === "https://files.kick.com" && emote) {
    const hue = Number(emote[1]) % 360;
    return route.fulfill({
      contentType: "image/svg+xml",
      body: `<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><circle cx="28" cy="28" r="26" fill="hsl(${hue},80%,55%)"/><circle cx="19" cy="22" r="5"/><circle cx="37" cy="22" r="5"/><path d="M15 35q13 14 26 0" stroke="#000" stroke-width="4" fill="none"/></svg>`,
    });
  }
  escaped.push(url.href);
  return route.abort();
});

// Records what the status pill and the alert box show, as they change (no hooks in the page).
await context.addInitScript(() => {
  window.__status = [];
  window.__alerts = [];
  window.__maxAlerts = 0;
  document.addEventListener("DOMContentLoaded", () => {
    const s = document.getElementById("status");
    const label = () => `${s.dataset.state}: ${s.querySelector(".label").textContent}`;
    new MutationObserver(() => {
      if (window.__status.at(-1) !== label()) window.__status.push(label());
    }).observe(s, { subtree: true, childList: true, characterData: true, attributes: true });
    const a = document.getElementById("alerts");
    new MutationObserver((records) => {
      window.__maxAlerts = Math.max(window.__maxAlerts, a.querySelectorAll(".alert").length);
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.classList?.contains("alert")) window.__alerts.push({ kind: n.dataset.kind, text: n.innerText.replace(/\s+/g, " ").trim(), at: Date.now() });
        }
      }
    }).observe(a, { childList: true });
  });
});

/** A new page with the overlay; `setup(page)` runs first (routes of its own). */
async function openOverlay(query, setup) {
  const page = await context.newPage();
  await setup?.(page);
  const bad = { dialogs: [], errors: [], requests: [], console: [] };
  page.on("dialog", (d) => { bad.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => bad.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") {
      log("page console:", m.text());
      bad.console.push(m.text());
    }
  });
  page.on("request", (r) => bad.requests.push(r.url()));
  await page.goto(`${OVERLAY_URL}?${new URLSearchParams(query)}`, { timeout: 20_000 });
  return { page, bad };
}

/** Connected, with all six of the chatroom's channels joined (publishing earlier loses it). */
const connected = (page, timeout = 20_000) =>
  page.waitForFunction(() => {
    const s = document.getElementById("status");
    return s.dataset.state === "connected" && s.dataset.channels === "6";
  }, null, { timeout });

/** Every chat line as the viewer sees it. */
const chatLines = (page) =>
  page.$$eval("#chat .line", (lis) => lis.map((li) => ({
    id: li.dataset.id,
    user: li.querySelector(".name").textContent,
    color: getComputedStyle(li.querySelector(".name")).color,
    badges: [...li.querySelectorAll(".badge")].map((b) => b.textContent),
    reply: li.querySelector(".reply")?.textContent ?? null,
    text: li.querySelector(".text").textContent,
    emotes: [...li.querySelectorAll("img")].map((i) => ({ src: i.getAttribute("src"), alt: i.alt, loaded: i.complete && i.naturalWidth > 0 })),
  })));

const lineCount = (page, n) => page.waitForFunction((n) => document.querySelectorAll("#chat .line").length === n, n, { timeout: 10_000 });

const emote = (id, name) => ({ src: `https://files.kick.com/emotes/${id}/fullsize`, alt: name, loaded: true });

// ChatMessageEvent.jsonl lines 1, 2, 3, 5, 9 and 11, as they should appear.
const EXPECTED_CHAT = [
  { user: "tayloredbydrew", color: "rgb(255, 157, 0)", badges: [], reply: null, text: "more in premiere", emotes: [] },
  { user: "OhLookItsMax", color: "rgb(255, 157, 0)", badges: ["VIP", "SUB"], reply: null, text: "on my way to show you love", emotes: [emote(3989851, "litneyspears4Max")] },
  { user: "OhLookItsMax", color: "rgb(255, 157, 0)", badges: ["VIP", "SUB"], reply: "↪ justdavid787: this is like DeadSpace but weirder KEKLEO", text: "this is what someone deals with after Litney goes through Deadspace", emotes: [] },
  { user: "CrispyLegs", color: "rgb(242, 112, 138)", badges: ["MOD", "SUB", "GIFTER"], reply: null, text: "", emotes: [emote(4147814, "OuttaPocket")] },
  { user: "ChudQuietQuitting", color: "rgb(117, 253, 70)", badges: ["SUB", "GIFTER"], reply: null, text: "what does destiny have to do with Chud?", emotes: [] },
  { user: "UTAMARO1", color: "rgb(226, 110, 255)", badges: [], reply: null, text: "", emotes: [emote(37232, "PeepoClap"), emote(37232, "PeepoClap"), emote(37232, "PeepoClap")] },
];
const CHAT_FRAMES = [1, 2, 3, 5, 9, 11].map((line) => ({ file: "ChatMessageEvent.jsonl", line }));

async function expectChat(page, expected) {
  await lineCount(page, expected.length);
  // Emotes come from the route above; wait until each has loaded (or failed).
  await page.waitForFunction(() => [...document.querySelectorAll("#chat img")].every((i) => i.complete), null, { timeout: 10_000 });
  const lines = (await chatLines(page)).map(({ id, ...rest }) => rest);
  same(lines, expected, "chat lines");
}

const pusherQuery = { chatroom: CHATROOM, channelId: CHANNEL, url: PUSHER_URL, transport: "pusher", duration: 2, firstwords: 1 };
const { page, bad } = await openOverlay(pusherQuery);

await scenario("connect", async () => {
  // A package that fails to load only says so in the console: put that in the verdict.
  await connected(page).catch((e) => { throw new Error(`${e.message}\npage console: ${bad.console.join("\n")}`); });
  return { status: await page.evaluate(() => window.__status) };
});

await scenario("chat", async () => {
  await publish("pusher", ...CHAT_FRAMES);
  await expectChat(page, EXPECTED_CHAT);
  return { lines: EXPECTED_CHAT.length };
});

await scenario("first-words", async () => {
  // firstwords=1: the chat scenario's lines by tayloredbydrew, OhLookItsMax (twice), CrispyLegs,
  // ChudQuietQuitting and UTAMARO1: every chatter's first line stands out, OhLookItsMax's
  // second does not.
  await page.waitForFunction(() => document.querySelectorAll("#chat .line.first-words").length >= 5, null, { timeout: 10_000 });
  same(await page.$$eval("#chat .line", (lis) => lis.map((li) => li.classList.contains("first-words"))),
    [true, true, false, true, true, true], "first-words lines");
});

await scenario("gifted-alert", async () => {
  // GiftedSubscriptionsEvent.jsonl line 3: Kl_Vava gifted 1 sub to ebii03.
  await publish("pusher", { file: "GiftedSubscriptionsEvent.jsonl", line: 3 });
  const alert = page.locator("#alerts .alert[data-kind=gift]");
  await alert.waitFor({ timeout: 10_000 });
  same(await alert.locator(".alert-main").textContent(), "Kl_Vava gifted 1 sub", "alert text");
  same(await alert.locator(".alert-sub").textContent(), "to ebii03", "alert recipients");
  // The screenshot for CI: chat lines and this alert, over a transparent page.
  const png = await page.screenshot({ path: SCREENSHOT, omitBackground: true });
  // Transparent around the content: the top-left corner and the empty middle of the left edge.
  // Decoded in a blank page: the overlay's CSP (rightly) refuses data: images.
  const blank = await context.newPage();
  const alpha = await blank.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const at = (x, y) => g.getImageData(x, y, 1, 1).data[3];
    return { size: [img.width, img.height], topLeft: at(2, 2), leftMiddle: at(2, Math.floor(img.height / 3)) };
  }, png.toString("base64"));
  await blank.close();
  same([alpha.topLeft, alpha.leftMiddle], [0, 0], "screenshot alpha where there is no content");
  return { screenshot: SCREENSHOT, ...alpha };
});

await scenario("alert-queue", async () => {
  await page.evaluate(() => { window.__maxAlerts = 0; });
  const before = await page.evaluate(() => window.__alerts.length);
  await publish("pusher",
    // GiftedSubscriptionsEvent.jsonl line 1 (court to bigboss_23), with four more recipients:
    // the count comes from the list.
    { file: "GiftedSubscriptionsEvent.jsonl", line: 1, replace: [["[\"bigboss_23\"]", "[\"bigboss_23\",\"a1\",\"a2\",\"a3\",\"a4\"]"]] },
    { file: "SubscriptionEvent.jsonl", line: 3 },
    { file: "KicksGifted.jsonl", line: 1 },
    { file: "reconstructed/StreamHostEvent.jsonl", line: 1 });
  // Four alerts of 2 s (duration=2) after the one on screen: about 12 s.
  await page.waitForFunction((n) => window.__alerts.length >= n, before + 4, { timeout: 25_000 });
  const shown = (await page.evaluate(() => window.__alerts)).slice(before);
  same(shown.map((a) => [a.kind, a.text]), [
    ["gift", "GIFTED SUBS court gifted 5 subs"],
    ["sub", "NEW SUB micke747 subscribed 38 months"],
    ["kicks", "KICKS alalisa11 sent Pack It Up (1000 Kicks) لازم يكون فقرة تنظيف الغرفة شطف ومسح"],
    ["host", "HOST BrandonDLive is hosting with 30 viewers"],
  ], "alerts, in order");
  same(await page.evaluate(() => window.__maxAlerts), 1, "alerts on screen at once");
  const gaps = shown.slice(1).map((a, i) => a.at - shown[i].at);
  check(gaps.every((g) => g >= 1_900), `alerts overlapped: ${gaps} ms apart`);
  return { gapsMs: gaps };
});

/** The pop-ups shown from the moment `before` (their count then) until `n` more came. */
async function popups(before, n) {
  await page.waitForFunction((n) => window.__alerts.length >= n, before + n, { timeout: 25_000 });
  return (await page.evaluate(() => window.__alerts)).slice(before).map((a) => [a.kind, a.text]);
}

await scenario("sub-copies", async () => {
  const before = await page.evaluate(() => window.__alerts.length);
  // micke747's one sub as Kick sent it (2026-09-27): five events on three channel names, the
  // name changed in each (alert-queue showed micke747's already, and the machine rightly tells
  // a sub once), then a host as a marker: once its pop-up is shown, the sub's copies have all
  // been handled.
  await publish("pusher", ...subCopies([["micke747", "overlay_sub"]]),
    { file: "reconstructed/StreamHostEvent.jsonl", line: 2 });
  same(await popups(before, 2), [
    ["sub", "NEW SUB overlay_sub subscribed 38 months"],
    ["host", "HOST Dapt is hosting with 40 viewers"],
  ], "one pop-up for the sub, then the marker's");
});

await scenario("chunked-gift", async () => {
  const before = await page.evaluate(() => window.__alerts.length);
  // A gift of 5 in three chunks, out of order, each also on a second channel name; then a
  // marker (a Kicks gift no scenario showed yet: a host again would rightly be told once).
  const c = [giftChunk(["ebii03", "giftee01"], 5, 0, 3, "700002820790501"), giftChunk(["giftee02", "giftee03"], 5, 1, 3, "700002820790501"),
    giftChunk(["giftee04"], 5, 2, 3, "700002820790501")];
  await publish("pusher", ...[1, 2, 0].flatMap((i) => [c[i]("chatroom_"), c[i]("chatrooms.v2")]),
    { file: "KicksGifted.jsonl", line: 2 });
  same(await popups(before, 2), [
    ["gift", "GIFTED SUBS Kl_Vava gifted 5 subs"],
    ["kicks", "KICKS BestSlime sent Full Send (100 Kicks)"],
  ], "one pop-up for the gift, with its total");
});

await scenario("message-deleted", async () => {
  // MessageDeletedEvent.jsonl line 1 deletes 7ba14761-...; it came from abbasnjah's channel
  // (chatrooms.5976096.v2) and ChatMessageEvent.jsonl line 10 is abbasnjah's message there:
  // published under the deleted message's id.
  const id = "7ba14761-bbc7-44a9-a2d7-5c22b1407226";
  await publish("pusher", { file: "ChatMessageEvent.jsonl", line: 10, replace: [["eb952e8d-8798-4a5e-b288-12ba43e66b34", id]] });
  await lineCount(page, 7);
  const added = (await chatLines(page)).at(-1);
  same([added.id, added.user, added.text], [id, "abbasnjah", "البكسل بس عندي يا شات"], "the message to delete");
  await publish("pusher", { file: "MessageDeletedEvent.jsonl", line: 1 });
  await lineCount(page, 6);
  const left = await chatLines(page);
  check(!left.some((l) => l.id === id), "the deleted message is still there");
  same(left.map((l) => l.user), EXPECTED_CHAT.map((l) => l.user), "the other lines");
});

await scenario("user-banned", async () => {
  // UserBannedEvent.jsonl line 1, aimed at OhLookItsMax (two lines on screen) instead of
  // JohnsonAndJohnson1 (none).
  await publish("pusher", {
    file: "UserBannedEvent.jsonl", line: 1,
    replace: [["{\"id\":25556531,\"username\":\"JohnsonAndJohnson1\",\"slug\":\"johnsonandjohnson1\"}", "{\"id\":3528468,\"username\":\"OhLookItsMax\",\"slug\":\"ohlookitsmax\"}"]],
  });
  await lineCount(page, 4);
  same((await chatLines(page)).map((l) => l.user), ["tayloredbydrew", "CrispyLegs", "ChudQuietQuitting", "UTAMARO1"], "lines left");
});

await scenario("html-is-text", async () => {
  // ChatMessageEvent.jsonl line 1 with an HTML payload as its content.
  const payload = "<img src=x onerror=alert(1)>";
  await publish("pusher", { file: "ChatMessageEvent.jsonl", line: 1, replace: [["more in premiere", payload], ["b2af4980", "0000xss0"]] });
  await lineCount(page, 5);
  const line = page.locator("#chat .line").last();
  same(await line.locator(".text").textContent(), payload, "the message, as text");
  same(await line.locator("img").count(), 0, "img elements in the line");
  same(await page.locator("img:not(.emote)").count(), 0, "non-emote img elements in the page");
  await page.waitForTimeout(500); // an onerror would have fired by now
  same(bad.dialogs, [], "dialogs");
  same(bad.requests.filter((u) => new URL(u).pathname.endsWith("/x")), [], "requests for src=x");
});

await scenario("chatroom-clear", async () => {
  // No captured ChatroomClearEvent exists; its data is just the event id (proto's moderation.rs).
  await publish("pusher", { event: "App\\Events\\ChatroomClearEvent", kind: "chatrooms.v2", data: "{\"id\":\"e2e-clear-1\"}" });
  await lineCount(page, 0);
});

await scenario("reconnect", async () => {
  const before = await page.evaluate(() => window.__status.length);
  const t0 = Date.now();
  await ask({ action: "stop" });
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "reconnecting", null, { timeout: 15_000 });
  const sawReconnecting = Date.now() - t0;
  await ask({ action: "start" });
  // The back-off may have grown to 4-8 s (plus jitter) while the server was down.
  await connected(page, 40_000);
  const reconnected = Date.now() - t0;
  const states = (await page.evaluate(() => window.__status)).slice(before);
  check(states.some((s) => /^reconnecting: reconnecting( in \d+ s)?$/.test(s)), `no "reconnecting" shown: ${states}`);
  same(states.at(-1), "connected: connected", "last status");
  // Later events arrive: ChatMessageEvent.jsonl line 4.
  await publish("pusher", { file: "ChatMessageEvent.jsonl", line: 4 });
  await lineCount(page, 1);
  const [l] = await chatLines(page);
  same([l.user, l.text, l.badges], ["jerkpupputo", "🎉", ["FOUNDER", "SUB"]], "the line after the reconnect");
  return { states, sawReconnectingMs: sawReconnecting, reconnectedMs: reconnected };
});

await scenario("pusher-page-clean", async () => {
  same(bad.errors, [], "page errors");
  same(bad.dialogs, [], "dialogs");
});

// ----- history=1: the recent chat first -----

const HISTORY_API = `https://web.kick.com/api/v1/chat/${CHANNEL}/history`;
// ChatMessageEvent.jsonl line 2's message as Kick's history endpoint holds it (`chat_id`, the
// reply shape of tests/vectors/kick/reconstructed/chat_history_reply.json), and a later one,
// written by hand; newest first, as Kick does not promise an order.
const HISTORY_BODY = JSON.stringify({ data: { messages: [
  { id: "0f6b1c52-5a8e-4a47-9d55-2d7e4a9b6c01", chat_id: 1221707, content: "gg [emote:37226:KEKW]", type: "message",
    created_at: "2025-07-17T08:45:10+00:00", sender: { id: 42, username: "Later_One", slug: "later-one", identity: { color: "#75FD46", badges: [] } },
    metadata: { message_ref: "1752741910000" } },
  { id: "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932", chat_id: 1221707, content: "[emote:3989851:litneyspears4Max]on my way to show you love",
    type: "message", created_at: "2025-07-17T08:44:56+00:00",
    sender: { id: 3528468, username: "OhLookItsMax", slug: "ohlookitsmax", identity: { color: "#FF9D00",
      badges: [{ type: "vip", text: "VIP" }, { type: "subscriber", text: "Subscriber", count: 26 }] } },
    metadata: { message_ref: "1752741896375" } },
], cursor: "1752741000000" }, message: "success" });
const LATER_LINE = { user: "Later_One", color: "rgb(117, 253, 70)", badges: [], reply: null, text: "gg ", emotes: [emote(37226, "KEKW")] };

await scenario("history", async () => {
  let asked = 0;
  const h = await openOverlay({ ...pusherQuery, history: 1 }, (p) => p.route(HISTORY_API, (route) => {
    asked++;
    return route.fulfill({ status: 200, contentType: "application/json", headers: { "access-control-allow-origin": "*" }, body: HISTORY_BODY });
  }));
  await connected(h.page);
  // Oldest first: OhLookItsMax's, then the later one.
  await expectChat(h.page, [EXPECTED_CHAT[1], LATER_LINE]);
  // OhLookItsMax's message live (same id), then ChatMessageEvent.jsonl line 1 as a marker:
  // once its line is there, the live copy was handled, and made no second line.
  await publish("pusher", { file: "ChatMessageEvent.jsonl", line: 2 }, { file: "ChatMessageEvent.jsonl", line: 1 });
  await expectChat(h.page, [EXPECTED_CHAT[1], LATER_LINE, EXPECTED_CHAT[0]]);
  same(asked, 1, "history requests");
  same(await h.page.locator("#status .note").textContent(), "", "the status note");
  same([h.bad.errors, h.bad.console], [[], []], "page errors and console warnings");
  await h.page.close();
});

await scenario("history-refused", async () => {
  // A page not on kick.com: Kick's reply has no CORS header, so fetch() fails (made here by
  // aborting the request, which fetch() sees the same way).
  const h = await openOverlay({ ...pusherQuery, history: 1 }, (p) => p.route(HISTORY_API, (route) => route.abort("failed")));
  await connected(h.page);
  const why = "no chat history: Failed to fetch (Kick answers pages on kick.com only)";
  same(await h.page.locator("#status .note").textContent(), why, "the status says why");
  same(h.bad.console.filter((t) => t.includes("no chat history")), [`kickwire: history ${why}`], "said once in the console");
  // The live chat works: ChatMessageEvent.jsonl line 1.
  await publish("pusher", { file: "ChatMessageEvent.jsonl", line: 1 });
  await expectChat(h.page, [EXPECTED_CHAT[0]]);
  same(h.bad.errors, [], "page errors");
  await h.page.close();
});

await scenario("centrifugo-chat", async () => {
  const c = await openOverlay({ chatroom: CHATROOM, channelId: CHANNEL, url: CENTRIFUGO_URL, transport: "centrifugo", token: CENTRIFUGO_TOKEN });
  await connected(c.page);
  await publish("centrifugo", ...CHAT_FRAMES);
  await expectChat(c.page, EXPECTED_CHAT);
  same(c.bad.errors, [], "page errors");
  const status = await c.page.locator("#status").getAttribute("title");
  same(status, "connected (centrifugo)", "status tooltip");
  await c.page.close();
});

await scenario("long-message", async () => {
  // A reply of about 100 KB, near the largest message the package takes (128 KiB): its
  // content and the quoted one are thousands of `[emote:` starts that no `]` closes, the kind
  // of text a backtracking emote pattern takes quadratic time over. The overlay must show them
  // as they are, and the one real emote at the end of the quote by its name.
  const content = "[emote:1:".repeat(6000) + " hi";
  const quoted = "[emote:".repeat(6000) + "[emote:5:Yo] ok";
  const data = JSON.stringify({
    id: "long-1", chatroom_id: CHATROOM, content, type: "reply", created_at: "2025-07-17T08:44:56+00:00",
    sender: { id: 11, username: "longwinded", slug: "longwinded", identity: { color: "#FF9D00", badges: [] } },
    metadata: { original_sender: { id: 12, username: "quoted" }, original_message: { id: "q-1", content: quoted } },
  });
  const c = await openOverlay({ chatroom: CHATROOM, channelId: CHANNEL, url: CENTRIFUGO_URL, transport: "centrifugo", token: CENTRIFUGO_TOKEN });
  await connected(c.page);
  await publish("centrifugo", { event: "App\\Events\\ChatMessageEvent", kind: "chatrooms.v2", data });
  await lineCount(c.page, 1);
  const [line] = await chatLines(c.page);
  same([line.user, line.emotes, line.text.length], ["longwinded", [], content.length], "the line");
  check(line.text === content, "the line's text is the content as sent");
  check(line.reply === `↪ quoted: ${"[emote:".repeat(6000)}Yo ok`, `the reply: ${line.reply.slice(0, 60)}… (${line.reply.length} chars)`);
  same(c.bad.errors, [], "page errors");
  await c.page.close();
});

await scenario("config-error", async () => {
  // No channel given: the status says so, in the light theme asked for.
  const c = await openOverlay({ theme: "light" });
  await c.page.waitForFunction(() => document.getElementById("status").dataset.state === "disconnected", null, { timeout: 10_000 });
  same(await c.page.locator("#status .detail").textContent(), "add ?channel=SLUG, or ?chatroom=N&channelId=N, to the URL", "the reason");
  same(await c.page.evaluate(() => document.documentElement.dataset.theme), "light", "theme");
  await c.page.close();
});

await scenario("loopback-only", async () => {
  same(escaped, [], "requests that would have left 127.0.0.1");
});

await browser.close();
done();
process.exit(0);
