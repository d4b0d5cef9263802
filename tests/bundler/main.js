// The bundler test app: the browser package imported by its name, as a user of a bundler
// would, and built by Vite (run.mjs). It decodes one real Kick frame with KickDecoder, and on
// a click of #connect connects to a channel by slug, which loads the lookup module
// (kickwire_lookup_bg.wasm) from the bundle output. Results go into the DOM as JSON.
import init, { KickDecoder, KickConnection, parts } from "kickwire";

// tests/vectors/kick/ChatMessageEvent.jsonl, line 2: a Pusher frame exactly as Kick sent it.
// Copied verbatim (String.raw keeps its backslashes).
const FRAME = String.raw`{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932\",\"chatroom_id\":1221707,\"content\":\"[emote:3989851:litneyspears4Max]on my way to show you love\",\"type\":\"message\",\"created_at\":\"2025-07-17T08:44:56+00:00\",\"sender\":{\"id\":3528468,\"username\":\"OhLookItsMax\",\"slug\":\"ohlookitsmax\",\"identity\":{\"color\":\"#FF9D00\",\"badges\":[{\"type\":\"vip\",\"text\":\"VIP\"},{\"type\":\"subscriber\",\"text\":\"Subscriber\",\"count\":26}]}},\"metadata\":{\"message_ref\":\"1752741896375\"}}","channel":"chatrooms.1221707.v2"}`;

function show(id, state, value) {
  const el = document.getElementById(id);
  el.textContent = JSON.stringify(value);
  el.dataset.state = state;
}

const failed = (e) => ({ name: e?.name, message: String(e?.message ?? e), stack: e?.stack });

async function decode() {
  await init();
  const events = new KickDecoder().decode(FRAME);
  const content = events[0]?.data?.content;
  show("decoded", "done", { events, parts: parts(content) });
}

async function connectBySlug() {
  // The slug lookup runs in the lookup module; kick.com's answers (404, then 404 for the
  // dashed slug) come from the test's Playwright route. The server URL is never dialled.
  const kick = new KickConnection("some_slug", { url: "ws://127.0.0.1:1", reconnect: false });
  try {
    const info = await kick.connect();
    show("lookup", "done", { resolved: true, info });
  } catch (e) {
    show("lookup", "done", { resolved: false, isError: e instanceof Error, message: e.message, state: kick.getState() });
  }
}

decode().catch((e) => show("decoded", "error", failed(e)));
document.getElementById("connect").addEventListener("click", () => {
  connectBySlug().catch((e) => show("lookup", "error", failed(e)));
});
