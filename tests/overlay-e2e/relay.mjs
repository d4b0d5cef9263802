// The browser client and the OBS overlay through `kickwire relay`, in real headless Chromium
// (Playwright, Debian's /usr/bin/chromium). Run by examples/cli/tests/relay_browser.rs, which
// owns sockudo (the relay's upstream) and the relay, and publishes into sockudo what this script
// asks for, as Kick's backend would. The pages only ever talk to the relay.
//
// Same stdio protocol as run.mjs and api.mjs (harness.mjs), one JSON object per line.
// Environment: PKG_DIR (the package), OVERLAY_DIR (examples/overlay), RELAY_URL
// (ws://127.0.0.1:PORT, the relay's endpoint).
//
// Expected texts were copied by hand from tests/vectors/kick/ChatMessageEvent.jsonl (lines 1, 3
// and 9: lines without emotes, whose pictures would be fetched from Kick's CDN).

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import { CHROMIUM_ARGS, envFrom, loopbackOnly, protocol, same } from "./harness.mjs";
import { chromium } from "playwright-core";

const env = envFrom("examples/cli/tests/relay_browser.rs");
const PKG_DIR = env("PKG_DIR");
const OVERLAY_DIR = env("OVERLAY_DIR");
const RELAY_URL = env("RELAY_URL");
const CHATROOM = 2507974;
const CHANNEL = 2515504;

const { log, publish, scenario, done } = protocol({
  tag: "relay-browser", script: "relay.mjs", watchdogMs: 100_000, askMs: 30_000,
});

// ----- the site: the overlay at /, the package at /pkg/, a blank page for the API -----

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".html": "text/html; charset=utf-8" };
const site = createServer((req, res) => {
  const path = new URL(req.url, "http://127.0.0.1").pathname;
  if (path === "/api.html") {
    res.writeHead(200, { "content-type": TYPES[".html"] });
    return res.end(`<!doctype html><meta charset="utf-8"><title>kickwire through the relay</title>`);
  }
  const [dir, rel] = path.startsWith("/pkg/")
    ? [PKG_DIR, normalize(path.slice(5))]
    : [OVERLAY_DIR, normalize(path === "/" ? "index.html" : path.slice(1))];
  if (!rel.startsWith("..") && !rel.includes(sep + "..")) {
    try {
      const body = readFileSync(join(dir, rel));
      res.writeHead(200, { "content-type": TYPES[rel.slice(rel.lastIndexOf("."))] ?? "application/octet-stream", "cache-control": "no-store" });
      return res.end(body);
    } catch {}
  }
  res.writeHead(404).end();
});
await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
const ORIGIN = `http://127.0.0.1:${site.address().port}`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
const context = await browser.newContext();
context.setDefaultTimeout(20_000);
const escaped = await loopbackOnly(context);

// ----- the overlay, pointed at the relay with url= -----

const overlay = await context.newPage();
overlay.on("console", (m) => { if (m.type() === "error") log("overlay console:", m.text()); });
const lines = () => overlay.$$eval("#chat .line", (lis) => lis.map((li) => ({
  user: li.querySelector(".name").textContent, text: li.querySelector(".text").textContent,
})));

await scenario("overlay-connects-to-the-relay", async () => {
  const q = new URLSearchParams({ chatroom: CHATROOM, channelId: CHANNEL, url: RELAY_URL });
  await overlay.goto(`${ORIGIN}/?${q}`);
  await overlay.waitForFunction(() => {
    const s = document.getElementById("status");
    return s.dataset.state === "connected" && s.dataset.channels === "6";
  });
});

// ----- the browser client's API on a blank page, pointed at the relay with { url } -----

const page = await context.newPage();
await page.goto(`${ORIGIN}/api.html`);

await scenario("api-connects-to-the-relay", async () => {
  const subscribed = await page.evaluate(async ([url, chatroomId, channelId]) => {
    const mod = await import("/pkg/kickwire.js");
    await mod.default();
    window.T = { chats: [], subscribed: [] };
    const kick = new mod.KickConnection({ chatroomId, channelId }, { url });
    kick.on("ChatMessage", (data) => T.chats.push({ user: data.sender.username, content: data.content }));
    kick.on("Subscribed", (x) => T.subscribed.push(x.channel));
    await kick.connect();
    return T.subscribed.length;
  }, [RELAY_URL, CHATROOM, CHANNEL]);
  await page.waitForFunction(() => T.subscribed.length === 6);
  return { subscribedAtConnect: subscribed };
});

await scenario("chat-reaches-both-once", async () => {
  await publish("pusher",
    { file: "ChatMessageEvent.jsonl", line: 1 },
    { file: "ChatMessageEvent.jsonl", line: 3 },
    { file: "ChatMessageEvent.jsonl", line: 9 });
  await overlay.waitForFunction(() => document.querySelectorAll("#chat .line").length >= 3);
  await page.waitForFunction(() => T.chats.length >= 3);
  // A copy, were one coming, would show within this second.
  await new Promise((r) => setTimeout(r, 1000));
  const EXPECTED = [
    { user: "tayloredbydrew", text: "more in premiere" },
    { user: "OhLookItsMax", text: "this is what someone deals with after Litney goes through Deadspace" },
    { user: "ChudQuietQuitting", text: "what does destiny have to do with Chud?" },
  ];
  same(await lines(), EXPECTED, "overlay chat lines");
  same(await page.evaluate(() => T.chats), [
    { user: "tayloredbydrew", content: "more in premiere" },
    { user: "OhLookItsMax", content: "this is what someone deals with after Litney goes through Deadspace" },
    { user: "ChudQuietQuitting", content: "what does destiny have to do with Chud?" },
  ], "API ChatMessage events");
});

await scenario("loopback-only", async () => same(escaped, [], "requests beyond 127.0.0.1"));

await browser.close();
site.close();
done();
