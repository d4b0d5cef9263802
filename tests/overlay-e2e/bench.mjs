// The browser benchmark: kickwire's KickDecoder against pusher-js's way of reading frames
// (JSON.parse of the frame, then of its `data`), in headless Chromium (Playwright, Debian's
// /usr/bin/chromium), over every real frame of tests/vectors/kick/*.jsonl.
//
// Serves wasm/pkg (built by wasm/build.sh; wasm/bench.sh builds it when missing) and a page
// on 127.0.0.1, runs bench-page.mjs in it and prints one line:
//
//   BROWSER_BENCH frames=N kickwire_events_per_s=.. json_parse_events_per_s=.. kickwire_vs_json_parse=RATIO
//
// RATIO > 1 means kickwire is faster. Details (rounds, medians) go to stderr. Nothing about
// speed is asserted: a shared machine is too noisy for that. It fails only when the two do
// not decode the same data, or the page cannot run.
//
// Environment: KICKWIRE_PKG (default wasm/pkg), BENCH_ROUNDS (15), BENCH_ROUND_MS (150).

import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const pkg = resolve(process.env.KICKWIRE_PKG ?? join(root, "wasm/pkg"));
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 150);
const log = (...a) => console.error("[bench]", ...a);

// Whatever happens, end.
setTimeout(() => {
  log("took over 240 s: stopped");
  process.exit(2);
}, 240_000).unref();

// ----- the corpus: every real frame (one per line), not the .expected files -----

const vectors = join(root, "tests/vectors/kick");
const frames = readdirSync(vectors)
  .filter((f) => f.endsWith(".jsonl") && !f.endsWith(".expected.jsonl"))
  .sort()
  .flatMap((f) => readFileSync(join(vectors, f), "utf8").split("\n"))
  .filter((l) => l.trim() !== "");
if (frames.length === 0) throw new Error(`no frames in ${vectors}`);

// ----- the server -----

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const PAGE = `<!doctype html><meta charset="utf-8"><title>kickwire bench</title>
<script type="module">
  import("/bench-page.mjs").then((m) => { window.bench = m; }, (e) => { window.benchError = String(e?.stack ?? e); });
</script>`;

function file(path) {
  try {
    if (statSync(path).isFile()) return readFileSync(path);
  } catch {}
  return null;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  let body = null;
  let type = "text/html";
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === "/") body = PAGE;
  else if (url.pathname === "/bench-page.mjs") {
    body = file(join(here, "bench-page.mjs"));
    type = TYPES[".mjs"];
  } else if (url.pathname.startsWith("/pkg/")) {
    const path = resolve(pkg, "." + url.pathname.slice(4));
    if (path.startsWith(pkg + "/")) body = file(path);
    type = TYPES[extname(path)] ?? "application/octet-stream";
  }
  if (body === null) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

// ----- the browser -----

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS, timeout: 30_000 });
let code = 0;
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => log("page error:", e));
  page.on("console", (m) => log("page:", m.text()));
  await page.goto(base);
  await page.waitForFunction(() => window.bench || window.benchError, null, { timeout: 30_000 });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(`the bench page did not load: ${error}`);

  const differ = await page.evaluate((f) => window.bench.compare(f), frames);
  if (differ.length) throw new Error(`kickwire and JSON.parse disagree on ${differ.length} frames: ${JSON.stringify(differ.slice(0, 3))}`);

  const r = await page.evaluate(([f, o]) => window.bench.run(f, o), [frames, { rounds, roundMs }]);
  log(`${r.frames} frames x ${r.reps} passes per round, ${r.rounds} rounds (interleaved)`);
  log(`kickwire:   median ${r.kwMs.toFixed(1)} ms per round (${r.kwEvents} events); rounds ${r.kwRounds.join(" ")}`);
  log(`JSON.parse: median ${r.jsMs.toFixed(1)} ms per round (${r.jsEvents} events); rounds ${r.jsRounds.join(" ")}`);
  if (r.kwEvents !== r.jsEvents) throw new Error(`kickwire delivered ${r.kwEvents} events, JSON.parse ${r.jsEvents}`);
  console.log(
    `BROWSER_BENCH frames=${r.frames} kickwire_events_per_s=${Math.round(r.kickwireEventsPerS)}` +
      ` json_parse_events_per_s=${Math.round(r.jsonParseEventsPerS)}` +
      ` kickwire_vs_json_parse=${(r.kickwireEventsPerS / r.jsonParseEventsPerS).toFixed(2)}`,
  );
} catch (e) {
  log("FAILED:", e);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
