// What run.mjs (the overlay) and api.mjs (the JS API) share: the stdio protocol with their Rust
// test, one JSON object per line (actions asked and answered, a verdict per scenario, the
// end), assertions, Chromium's launch flags, and the alert frames both publish: one sub's real
// copies, and gift chunks composed from a real frame.
//
//   stdout  {"action": ..., ...}                 the Rust test does it, then answers
//   stdin   {"ok": true} | {"ok": false, "error": "..."}
//   stdout  {"scenario": NAME, "ok": BOOL, "ms": N, "error"?: "...", "detail"?: ...}
//   stdout  {"done": true, "passed": N, "failed": N}
// Anything for humans goes to stderr.

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/** `env(name)`: a variable the Rust test (`rustTest`) must set. */
export const envFrom = (rustTest) => (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (${rustTest} sets it)`);
  return v;
};

/** Chromium's flags for these tests: headless, and no traffic of its own. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The protocol for one script: `tag` prefixes its log lines; it gives up after `watchdogMs`;
 * `ask` waits `askMs` at most for an answer. */
export function protocol({ tag, script, watchdogMs, askMs }) {
  const log = (...a) => console.error(`[${tag}]`, ...a);
  const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

  // Whatever happens, end within the Rust test's patience.
  setTimeout(() => {
    say({ scenario: "watchdog", ok: false, error: `${script} took over ${watchdogMs / 1000} s` });
    process.exit(2);
  }, watchdogMs).unref();

  const replies = [];
  let waiting = null;
  createInterface({ input: process.stdin }).on("line", (line) => {
    const r = JSON.parse(line);
    if (waiting) { const w = waiting; waiting = null; w(r); } else replies.push(r);
  });

  async function ask(request, timeoutMs = askMs) {
    say(request);
    const reply = await new Promise((resolve, reject) => {
      if (replies.length) return resolve(replies.shift());
      const timer = setTimeout(() => { waiting = null; reject(new Error(`no answer to ${request.action} within ${timeoutMs} ms`)); }, timeoutMs);
      waiting = (r) => { clearTimeout(timer); resolve(r); };
    });
    if (!reply.ok) throw new Error(`${request.action} failed: ${reply.error}`);
    return reply;
  }

  /** Publishes frames: `{file, line, replace?}` (a vector line) or `{event, kind, data}`. */
  const publish = (server, ...frames) => ask({ action: "publish", server, frames });

  const verdicts = [];
  async function scenario(name, fn) {
    const started = Date.now();
    try {
      const detail = await fn();
      say({ scenario: name, ok: true, ms: Date.now() - started, detail });
      verdicts.push(true);
    } catch (e) {
      log(`${name} FAILED:`, e);
      say({ scenario: name, ok: false, ms: Date.now() - started, error: String(e?.stack ?? e) });
      verdicts.push(false);
    }
  }

  /** The last line: how many passed and failed. */
  const done = () => say({ done: true, passed: verdicts.filter(Boolean).length, failed: verdicts.filter((v) => !v).length });

  return { log, say, ask, publish, scenario, done };
}

/** Lets `context` reach 127.0.0.1 only: anything else is aborted and listed in the array this
 * returns (routes added later, like a page's own, are asked first). */
export async function loopbackOnly(context) {
  const escaped = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    escaped.push(url.href);
    return route.abort();
  });
  return escaped;
}

export function check(cond, what) {
  if (!cond) throw new Error(what);
}

export function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}:\n  expected ${e}\n  got      ${a}`);
}

// A chunk of one gift, composed from the real GiftedSubscriptionsEvent.jsonl line 3 (Kl_Vava's
// gift to ebii03, correlation id 700002820790407) as proto/src/alerts/tests.rs composes it: its
// recipients, gifted_total and chunk_details replaced (and its correlation id, for a second
// gift). Answers `on(kind)`: its frame spec on the test chat's channel of that kind (the Rust
// side publishes it). Kick's captures hold whole gifts only (tests/vectors/kick/SOURCES.md).
const GIFT = JSON.parse(readFileSync(new URL("../vectors/kick/GiftedSubscriptionsEvent.jsonl", import.meta.url), "utf8").split("\n")[2]);
export function giftChunk(names, total, index, chunks, correlation = "700002820790407") {
  const data = GIFT.data
    .replace(`["ebii03"]`, JSON.stringify(names))
    .replace(`"gifted_total":1`, `"gifted_total":${total}`)
    .replace(`"chunk_details":null`, `"chunk_details":{"chunk_index":${index},"total_chunks":${chunks}}`)
    .replace(`"700002820790407"`, `"${correlation}"`);
  check(data.includes(`"chunk_index":${index}`) && data.includes(`"${correlation}"`), `composed chunk: ${data}`);
  return (kind) => ({ event: GIFT.event, kind, data });
}

/** micke747's one sub as Kick sent it (2026-09-27, GiftDeck's samples in SOURCES.md): five
 * events on three channel names, as frame specs (`replace`: pairs of data replacements for each). */
export const subCopies = (replace = []) => [
  { file: "SubscriptionEvent.jsonl", line: 3, replace },
  { file: "ChannelSubscriptionEvent.jsonl", line: 4, replace },
  { file: "NewSubscriberUpdatedEvent.jsonl", line: 1, replace },
  { file: "NewActivityFeedEvent.jsonl", line: 1, replace },
  { file: "ChatMessageSentEvent.jsonl", line: 2, replace },
];
