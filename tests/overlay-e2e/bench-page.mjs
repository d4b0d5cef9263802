// The in-page half of the browser benchmark (bench.mjs serves it and runs it in headless
// Chromium): events per second decoded and delivered by kickwire's KickDecoder, against
// pusher-js's way of reading a frame (JSON.parse of the frame, then of its `data` string).
// Both go over the same frames the same number of times, in interleaved rounds.
import init, { KickDecoder } from "/pkg/kickwire.js";

await init();

let sink = 0;
/** What a listener does with an event: look at its data. */
function touch(data) {
  if (data && typeof data === "object") sink += data.id === undefined ? 1 : 2;
  else sink += 3;
}

/** kickwire: every event of every frame, its data touched; answers the events seen. */
function kickwire(decoder, frames, reps) {
  let events = 0;
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < frames.length; i++) {
      const list = decoder.decode(frames[i]);
      for (let j = 0; j < list.length; j++) {
        touch(list[j].data);
        events++;
      }
    }
  }
  return events;
}

/** pusher-js: JSON.parse the frame, then its data string (pusher-js's `decodeMessage`). */
function jsonParse(frames, reps) {
  let events = 0;
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < frames.length; i++) {
      const frame = JSON.parse(frames[i]);
      let data = frame.data;
      if (typeof data === "string") {
        try {
          data = JSON.parse(data);
        } catch {}
      }
      touch(data);
      events++;
    }
  }
  return events;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Both decoders give the same data for every frame (kickwire adds `parts` to chat
 * messages), kickwire's with Kick's secrets kept: what is timed is the same decoding. Answers
 * the frames that differ. (The timed kickwire decoder is the default one, which also redacts
 * the secrets: more work than JSON.parse does, which leaves them in.) */
export function compare(frames) {
  const decoder = new KickDecoder({ keepSecrets: true });
  const differ = [];
  frames.forEach((f, i) => {
    const list = decoder.decode(f);
    const frame = JSON.parse(f);
    const want = JSON.stringify(typeof frame.data === "string" ? JSON.parse(frame.data) : frame.data);
    const got = list.map((e) => {
      const { parts, ...rest } = e.data ?? {};
      return JSON.stringify(e.type === "ChatMessage" ? rest : e.data);
    });
    if (got.length !== 1 || got[0] !== want || list[0].channel !== frame.channel)
      differ.push({ i, got: got.map((g) => g.slice(0, 120)), want: want.slice(0, 120) });
  });
  return differ;
}

/** Times `rounds` rounds of each (kickwire first in even rounds, JSON.parse first in odd
 * ones), `reps` passes over the frames per round, after a warm-up; reps is chosen so that a
 * kickwire round takes about `roundMs`. */
export function run(frames, { rounds = 15, roundMs = 150, warmupMs = 500 } = {}) {
  const decoder = new KickDecoder();
  // Warm-up (JIT): both, alternately, for about warmupMs in all.
  const start = performance.now();
  for (let i = 0; i < 10_000 && performance.now() - start < warmupMs; i++) {
    kickwire(decoder, frames, 1);
    jsonParse(frames, 1);
  }
  // Calibrate: passes per round.
  let t = performance.now();
  let passes = 0;
  while (passes < 100_000 && performance.now() - t < roundMs / 3) {
    kickwire(decoder, frames, 1);
    passes++;
  }
  const perPass = (performance.now() - t) / passes;
  const reps = Math.max(1, Math.round(roundMs / perPass));

  const kw = [];
  const js = [];
  let kwEvents = 0;
  let jsEvents = 0;
  const timeKw = () => {
    const t0 = performance.now();
    kwEvents = kickwire(decoder, frames, reps);
    kw.push(performance.now() - t0);
  };
  const timeJs = () => {
    const t0 = performance.now();
    jsEvents = jsonParse(frames, reps);
    js.push(performance.now() - t0);
  };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      timeKw();
      timeJs();
    } else {
      timeJs();
      timeKw();
    }
  }
  const kwMs = median(kw);
  const jsMs = median(js);
  return {
    frames: frames.length,
    reps,
    rounds,
    kwEvents,
    jsEvents,
    kwMs,
    jsMs,
    kwRounds: kw.map((x) => Math.round(x)),
    jsRounds: js.map((x) => Math.round(x)),
    kickwireEventsPerS: kwEvents / (kwMs / 1000),
    jsonParseEventsPerS: jsEvents / (jsMs / 1000),
    sink,
  };
}
