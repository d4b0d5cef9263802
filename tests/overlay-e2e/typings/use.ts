// Must type-check: the package's API as a TypeScript user writes it (tests/tests/typings.rs).
import init, { KickConnection, KickDecoder, type KickEvents, type KickEvent } from "../../../wasm/pkg/kickwire.js";

await init();
const kick = new KickConnection({ chatroomId: 2507974, channelId: 2515504 }, { transport: "pusher" });
kick.on("ChatMessage", (m) => {
  const who: string = m.sender.username;
  const url: string | undefined = m.parts[0]?.url;
  const badge: number | null | undefined = m.sender.identity.badges[0]?.count;
  const replyTo: string | undefined = m.metadata?.original_sender?.username;
  console.log(who, url, badge, replyTo);
});
kick.on("GiftedSubscriptions", (g) => console.log(g.gifter_username, g.gifted_count + 1));
kick.on("UserUnBanned", (u) => console.log(u.user.username, u.unbanned_by.username));
kick.on("KicksGifted", (k) => console.log(k.gift.name, k.gift.amount));
kick.on("Reconnecting", (r) => console.log(r.afterMs, r.reason));
kick.on("Disconnected", (d) => console.log(d.code, d.willRetry));
kick.on("rawData", (raw) => console.log(raw.length));
const state: string = kick.getState();
const events: KickEvent[] = [];
for (const e of new KickDecoder().decode("{}")) events.push(e as KickEvent);
const gifted: KickEvents["GiftedSubscriptions"]["gifted_count"] = 3;
console.log(state, events, gifted);
