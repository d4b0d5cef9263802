// The browser package from a bundler: builds this directory's tiny app (index.html, main.js,
// which does `import init, { KickDecoder, KickConnection, parts } from "kickwire"`) with Vite
// into dist/, serves dist/ on 127.0.0.1 (node:http), opens it in headless Chromium
// (playwright-core, Debian's /usr/bin/chromium) and checks:
//   - the decoder's answer for a real Kick frame (tests/vectors/kick/ChatMessageEvent.jsonl,
//     line 2, embedded in main.js): values written here by hand from that line;
//   - both .wasm files come from the bundle output (dist/assets, hashed names), served as
//     application/wasm, byte for byte the package's; the lookup module (its .wasm) only after the app connects by slug, and that connect() rejects as a lookup that found
//     nothing (kick.com's answers, 404 then 404, come from Playwright's page.route);
//   - no page errors, and no request leaves 127.0.0.1 except the route-fulfilled kick.com ones.
// Prints `BUNDLER ok vite=<version> assets=<files>` and exits 0, or says what failed and exits 1.
// Run by tests/tests/bundler.rs. Environment: KICKWIRE_WASM_PKG (another build of the package;
// default wasm/pkg, see vite.config.js).

import { createServer } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build, version as viteVersion } from "vite";
import { chromium } from "playwright-core";
// Shared with the other Chromium tests (it needs no package of its own).
import { CHROMIUM_ARGS, loopbackOnly } from "../overlay-e2e/harness.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const DIST = join(HERE, "dist");
const PKG = process.env.KICKWIRE_WASM_PKG
  ? resolve(process.env.KICKWIRE_WASM_PKG)
  : resolve(HERE, "../../wasm/pkg");

const log = (...a) => console.error("[bundler]", ...a);
const watchdog = setTimeout(() => {
  console.error("[bundler] FAILED: run.mjs took over 120 s");
  process.exit(2);
}, 120_000);
watchdog.unref();

const failures = [];
function check(cond, what) {
  if (!cond) failures.push(what);
  return !!cond;
}
function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return check(a === e, `${what}:\n  expected ${e}\n  got      ${a}`);
}

// ----- Hand-checked expectations: tests/vectors/kick/ChatMessageEvent.jsonl, line 2 -----

const USERNAME = "OhLookItsMax";
const CONTENT = "[emote:3989851:litneyspears4Max]on my way to show you love";
const PARTS = [
  { type: "emote", id: 3989851, name: "litneyspears4Max", url: "https://files.kick.com/emotes/3989851/fullsize" },
  { type: "text", text: "on my way to show you love" },
];
// The slug the app connects with; it has a `_`, so a 404 is retried once with `-`.
const LOOKUPS = ["https://kick.com/api/v2/channels/some_slug", "https://kick.com/api/v2/channels/some-slug"];
// wasm/js/kickwire.js's message for a lookup that found nothing (proto's "not found (HTTP 404)").
const NOT_FOUND =
  "kickwire: looking up 'some_slug' failed: not found (HTTP 404); " +
  "kick.com does not answer lookups from other sites: pass { chatroomId, channelId } instead";

// ----- 1. vite build -----

log(`vite ${viteVersion}: building ${HERE} with kickwire = ${PKG}/kickwire.js`);
await build({ configFile: join(HERE, "vite.config.js"), logLevel: "warn" });
const assets = readdirSync(join(DIST, "assets")).sort();
log("built:", assets.join(", "));
const asset = (re) => assets.filter((f) => re.test(f));
const CORE_WASM = asset(/^kickwire_core_bg-[\w-]+\.wasm$/);
const LOOKUP_WASM = asset(/^kickwire_lookup_bg-[\w-]+\.wasm$/);
for (const [list, what, pkgFile] of [
  [CORE_WASM, "the core .wasm", "kickwire_core_bg.wasm"],
  [LOOKUP_WASM, "the lookup .wasm", "kickwire_lookup_bg.wasm"],
]) {
  if (!check(list.length === 1, `dist/assets should hold one file for ${what}, holds ${JSON.stringify(list)}`)) continue;
  check(readFileSync(join(DIST, "assets", list[0])).equals(readFileSync(join(PKG, pkgFile))),
      `dist/assets/${list[0]} differs from ${PKG}/${pkgFile}`);
}
if (failures.length) finish();
const coreWasmPath = `/assets/${CORE_WASM[0]}`;
const lookupWasmPath = `/assets/${LOOKUP_WASM[0]}`;

// ----- 2. dist/ over http on 127.0.0.1 -----

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
};
const served = []; // paths, in the order they were asked for
const site = createServer((req, res) => {
  let path = new URL(req.url, "http://127.0.0.1").pathname;
  served.push(path);
  if (path === "/") path = "/index.html";
  const rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, "");
  if (!rel.startsWith("..") && !rel.includes(sep + "..")) {
    try {
      const body = readFileSync(join(DIST, rel));
      const ext = rel.slice(rel.lastIndexOf("."));
      res.writeHead(200, { "content-type": TYPES[ext] ?? "application/octet-stream", "cache-control": "no-store" });
      return res.end(body);
    } catch {}
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("not found");
});
await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
const ORIGIN = `http://127.0.0.1:${site.address().port}`;

// ----- 3. headless Chromium -----

let browser;
try {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);

  // Loopback only: anything else is aborted and reported. kick.com is answered before this by
  // the page's route below, with the replies scripted there and nothing else.
  const escaped = await loopbackOnly(context);
  const page = await context.newPage();

  const kickScript = LOOKUPS.map((url) => ({ method: "GET", url }));
  const kickRequests = [];
  await page.route(/^https:\/\/(web\.)?kick\.com\//, (route) => {
    const req = route.request();
    const i = kickScript.findIndex((r) => r.method === req.method() && r.url === req.url());
    if (i < 0) return route.fallback();
    kickScript.splice(i, 1);
    kickRequests.push(`${req.method()} ${req.url()}`);
    // Kick's answer for a channel that does not exist, readable by this page (CORS).
    return route.fulfill({ status: 404, headers: { "content-type": "application/json", "access-control-allow-origin": "*" },
      body: `{"message":"Not found"}` });
  });

  const pageErrors = [];
  const consoleErrors = [];
  const responses = new Map(); // path on 127.0.0.1 -> content-type
  page.on("pageerror", (e) => pageErrors.push(String(e?.stack ?? e)));
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const where = m.location()?.url ?? "";
    log(`page console ${m.type()}: ${m.text()} (${where})`);
    // Chromium reports each 404 the page fetched; the scripted kick.com ones are expected.
    const kick404 = m.text().includes("status of 404") && LOOKUPS.includes(where);
    if (!kick404) consoleErrors.push(`${m.type()}: ${m.text()} (${where})`);
  });
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.hostname === "127.0.0.1") responses.set(url.pathname, r.headers()["content-type"]);
  });

  await page.goto(`${ORIGIN}/`);

  // The decoder's answer, written into #decoded by main.js.
  await page.waitForSelector("#decoded:not([data-state=pending])");
  const decodedState = await page.getAttribute("#decoded", "data-state");
  const decoded = JSON.parse(await page.textContent("#decoded"));
  if (same(decodedState, "done", `#decoded (${JSON.stringify(decoded)})`)) {
    const [ev, ...more] = decoded.events;
    same(more, [], "events beyond the first");
    same(ev?.type, "ChatMessage", "event type");
    same(ev?.channel, "chatrooms.1221707.v2", "event channel");
    same(ev?.transport, "pusher", "event transport");
    same(ev?.data?.sender?.username, USERNAME, "sender username");
    same(ev?.data?.content, CONTENT, "content");
    same(ev?.data?.parts, PARTS, "the event's parts");
    same(decoded.parts, PARTS, "parts(content)");
    same([ev?.data?.id, ev?.data?.chatroom_id], ["bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932", 1221707], "message id and chatroom_id");
  }
  // Before any slug: the core .wasm from dist, the lookup module not at all.
  const before = served.slice();
  same(before.filter((p) => p === coreWasmPath), [coreWasmPath], "core .wasm requests before connecting");
  same(before.filter((p) => p.includes("kickwire_lookup")), [], "lookup module requests before connecting by slug");

  // Connect by slug: the lookup module loads from dist, Kick answers 404 twice.
  await page.click("#connect");
  await page.waitForSelector("#lookup:not([data-state=pending])");
  const lookupState = await page.getAttribute("#lookup", "data-state");
  const lookup = JSON.parse(await page.textContent("#lookup"));
  if (same(lookupState, "done", `#lookup (${JSON.stringify(lookup)})`)) {
    same([lookup.resolved, lookup.isError, lookup.message], [false, true, NOT_FOUND], "connect() by slug");
    check(["disconnected", "failed"].includes(lookup.state), `state after the failed lookup: ${lookup.state}`);
  }
  same(kickRequests, LOOKUPS.map((u) => `GET ${u}`), "kick.com lookups, in order");
  same(kickScript, [], "scripted kick.com replies never asked for");
  const after = served.slice(before.length);
  same(after.filter((p) => p.includes("kickwire_lookup")).sort(), [lookupWasmPath],
    "lookup module requests after connecting by slug");
  same(served.filter((p) => p.endsWith(".wasm")).sort(), [coreWasmPath, lookupWasmPath].sort(), "all .wasm requests");
  check(served.every((p) => p === "/" || p === "/index.html" || p.startsWith("/assets/")), `requests outside dist: ${JSON.stringify(served)}`);
  // MIME types as served (the package reads the .wasm bytes whatever the type; a server should
  // still say application/wasm).
  for (const p of [coreWasmPath, lookupWasmPath]) same(responses.get(p), "application/wasm", `content-type of ${p}`);
  for (const p of served.filter((x) => x.endsWith(".js")))
    check(/^text\/javascript/.test(responses.get(p) ?? ""), `content-type of ${p}: ${responses.get(p)}`);
  // And the page's own view: the resource entries are the hashed dist files.
  const entries = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((n) => n.endsWith(".wasm")).sort());
  same(entries, [coreWasmPath, lookupWasmPath].sort(), "the page's .wasm resource entries");

  same(pageErrors, [], "page errors");
  same(consoleErrors, [], "console errors and warnings");
  same(escaped, [], "requests that would have left 127.0.0.1");
} catch (e) {
  failures.push(`run failed: ${e?.stack ?? e}`);
} finally {
  await browser?.close().catch(() => {});
  site.close();
}
finish();

function finish() {
  if (failures.length) {
    for (const f of failures) console.error("[bundler] FAILED:", f);
    process.exit(1);
  }
  console.log(`BUNDLER ok vite=${viteVersion} assets=${assets.join(",")}`);
  process.exit(0);
}
