// Must NOT type-check: each line ending in `// TSnnnn` is that error, and tsc must report no
// other (tests/tests/typings.rs). Payload fields and types are Kick's, as in tests/vectors/kick.
import { KickConnection, KickDecoder, type Connected, type EventMeta } from "../../../wasm/pkg/kickwire.js";

const kick = new KickConnection("xqc", {});
kick.on("ChatMessage", (m) => console.log(m.no_such_field)); // TS2339
kick.on("ChatMessage", (m) => { const at: number = m.created_at; console.log(at); }); // TS2322
kick.on("GiftedSubscriptions", (g) => console.log(g.gifted_count)); // TS2339
kick.on("GiftedSubscriptions", (g) => { const n: string = g.gifted_usernames; console.log(n); }); // TS2322
kick.on("KicksGifted", (k) => console.log(k.gift.amount.toUpperCase())); // TS2339
kick.on("ChatMessage", (m, meta) => console.log(m.id, meta.name)); // TS2339
kick.on("NoSuchEvent", () => {}); // TS2345
kick.on("Connected", (c: Connected, meta: EventMeta) => console.log(c, meta)); // TS2345
kick.on("rawData", (raw: number) => console.log(raw)); // TS2345
kick.on("Disconnected", (d) => console.log(d.willRetry.length)); // TS2339
kick.on("Error", (e) => { const n: string = e.repeats; console.log(n); }); // TS2322
kick.on("SubscriptionTimedOut", (s) => console.log(s.code)); // TS2339
new KickDecoder({ keepSecrets: "yes" }); // TS2322
await KickDecoder.create({ centrifugo: 1 }); // TS2322
KickDecoder.create().decode("{}"); // TS2339
kick.off("ChatMessage", (text: string) => console.log(text)); // TS2345
const state: "open" = kick.getState(); // TS2322
new KickConnection("xqc", { transport: "websocket" }); // TS2322
new KickConnection(2507974); // TS2345
const transport: "ws" = (await kick.connect()).transport; // TS2322
for (const e of new KickDecoder().decode("{}")) if (e.type === "Subscription") console.log(e.data.content); // TS2339
kick.on("Alert", (a) => console.log(a.gifter)); // TS2339
kick.on("Alert", (a) => { if (a.alert === "GiftedSubscriptions") { const n: string = a.count; console.log(n); } }); // TS2322
kick.on("chatmessage", () => {}); // TS2345
new KickConnection("xqc", { alerts: "yes" }); // TS2322
new KickConnection("xqc", { history: 50 }); // TS2322
kick.on("ChatMessage", (m, meta) => { const h: false | undefined = meta.history; console.log(h); }); // TS2322
kick.on("Error", (e) => { if (e.source === "chat-history") console.log(e); }); // TS2367
const viewers: string = (await kick.getRoomInfo()).viewers; // TS2322
console.log(state, transport, viewers);
