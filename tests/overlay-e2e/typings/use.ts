// Must type-check under --strict: the package's API as a TypeScript user writes it
// (tests/tests/typings.rs). Field names and types are Kick's, as in tests/vectors/kick.
import init, {
  Events,
  KickConnection,
  KickDecoder,
  parts,
  type ChatMessage,
  type ContentPart,
  type ConnectResult,
  type DecodedEvent,
  type EventMeta,
  type KickEventName,
  type KickDecoderOptions,
  type KickOptions,
  type KickPayloads,
  type KickState,
  type KickwireError,
  type Alert,
  type RoomInfo,
  type ViewerCount,
} from "../../../wasm/pkg/kickwire.js";

await init();
await init(new URL("./kickwire_core_bg.wasm", import.meta.url));

const options: KickOptions = { transport: "pusher", reconnect: true, raw: true, channels: ["chatrooms.2507974.v2"], keepSecrets: false };
const kick = new KickConnection({ chatroomId: 2507974, channelId: "2515504" }, options);
new KickConnection("xqc");
new KickConnection("xqc", { transport: "centrifugo", token: "jwt", url: "wss://relay.example/ws" });

// Kick events: (Kick's payload, meta), and `on` chains.
const onChat = (m: ChatMessage, meta: EventMeta<"ChatMessage">) => {
  const who: string = m.sender.username;
  const color: string = m.sender.identity.color;
  const at: number = Date.parse(m.created_at);
  const badge: number | undefined = m.sender.identity.badges[0]?.count;
  const level: number | undefined = m.sender.identity.badges_v2?.[0]?.metadata?.level;
  const replyTo: string | undefined = m.metadata?.original_sender?.username;
  const months: number | undefined = m.metadata?.celebration?.total_months;
  const emotes: string[] = m.parts.flatMap((p) => (p.type === "emote" ? [p.url] : []));
  const on: "ChatMessage" = meta.type;
  const transport: "pusher" | "centrifugo" = meta.transport;
  console.log(who, color, at, badge, level, replyTo, months, emotes, on, meta.channel, transport);
};
kick
  .on("ChatMessage", onChat)
  .on("GiftedSubscriptions", (g) => {
    const names: string[] = g.gifted_usernames;
    const gifter: string = g.gifter_username;
    console.log(gifter, names.length, g.gifted_total ?? names.length);
  })
  .on("KicksGifted", (k, meta) => console.log(k.sender.username, k.gift.name, k.gift.amount, k.message ?? "", meta.channel))
  .on("UserBanned", (b) => console.log(b.user.username, b.banned_by.slug, b.permanent === true, b.expires_at))
  .on("UserUnBanned", (u) => console.log(u.user.username, u.unbanned_by.username))
  .on("MessageDeleted", (d) => console.log(d.message.id, d.aiModerated, d.violatedRules.join()))
  .on("Subscription", (s) => console.log(s.username, s.months + 1))
  .on("StreamerIsLive", (l) => console.log(l.livestream.session_title, l.livestream.channel_id))
  .on("StreamEnd", (e) => console.log(e.livestream.id, e.livestream.channel.is_banned))
  .on("StreamHost", (h) => console.log(h.host_username, h.number_viewers))
  .on("PollUpdate", (p) => console.log(p.poll.title, p.poll.options.map((o) => `${o.label}: ${o.votes}`)))
  .on("PinnedMessageDeleted", (d) => console.log(d.length))
  .on("ChatroomClear", (c) => console.log(Object.keys(c)))
  .on("Unknown", (data, meta) => {
    const wire: string = meta.name;
    console.log(wire, meta.channel, data);
  });

// Lifecycle events: one object.
kick
  .on("Connected", (c) => console.log(c.transport, c.socketId))
  .on("Disconnected", (d) => console.log(d.code ?? "no code", d.reason, d.willRetry))
  .on("Reconnecting", (r) => console.log(r.afterMs, r.reason))
  .on("Error", (e: KickwireError) => console.log(e.source, e.code, e.message, e.repeats + 1))
  .on("StateChanged", (s) => {
    const now: KickState = s.current;
    console.log(s.previous, now);
  })
  .on("Subscribed", (s) => console.log(s.channel))
  .on("SubscriptionTimedOut", (s) => console.log(s.channel.length))
  .on("SubscriptionError", (s) => console.log(s.channel, s.code, s.message))
  .on("rawData", (raw) => console.log(raw.length));
kick.off("ChatMessage", onChat);

const connected: ConnectResult = await kick.connect();
const ids: number = connected.chatroomId + connected.channelId;
const transport: "pusher" | "centrifugo" = (await kick.connect()).transport;
const state: KickState = kick.getState();
if (state === "connected") kick.disconnect();
console.log(ids, transport);

// The decoder: a union discriminated on `type`.
const frame = String.raw`{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":2507974,\"username\":\"x\",\"months\":2}","channel":"chatrooms.2507974.v2"}`;
const decoderOptions: KickDecoderOptions = { keepSecrets: true };
const decoded: DecodedEvent[] = new KickDecoder(decoderOptions).decode(frame);
// Centrifugo messages too, once the lookups module is loaded.
const both: KickDecoder = await KickDecoder.create({ centrifugo: true, keepSecrets: false });
decoded.push(...both.decode(frame));
for (const e of decoded) {
  if (e.type === "Subscription") console.log(e.data.months, e.channel, e.transport);
  else if (e.type === "ChatMessage") console.log(e.data.parts.length, e.data.content);
  else if (e.type === "Unknown") console.log(e.name, e.data);
}

// parts() on its own.
const split: ContentPart[] = parts("hi [emote:37226:KEKW]");
for (const p of split) console.log(p.type === "text" ? p.text : `${p.name}#${p.id} ${p.url}`);

// The payload map.
const names: KickEventName[] = ["ChatMessage", "KicksGifted"];
const gifted: KickPayloads["GiftedSubscriptions"]["gifted_usernames"] = ["a", "b"];
console.log(names, gifted);

// Alerts: a union discriminated on `alert`.
const alerting = new KickConnection("xqc", { alerts: true, fetchRoomInfoOnConnect: true });
alerting.on("Alert", (a: Alert) => {
  if (a.alert === "GiftedSubscriptions") console.log(a.gifter, a.count + 1, a.recipients.join(), a.complete);
  else if (a.alert === "Subscription") console.log(a.username, a.months ?? 0);
  else if (a.alert === "Host") console.log(a.host, a.viewers, a.message);
  else if (a.alert === "Chat") console.log(a.firstWords === true, a.content);
  else if (a.alert === "End") console.log("ended");
});
const room: RoomInfo | undefined = (await alerting.connect()).roomInfo;
const info: RoomInfo = await alerting.getRoomInfo();
console.log(room?.title, info.live, info.viewers, info.category, info.followers);

// kick-live-connector's names: its Events values, and its camelCase spelling in on().
alerting
  .on(Events.ChatMessage, (m) => console.log(m.sender.username))
  .on("giftedSubscriptions", (g) => console.log(g.gifter_username))
  .on(Events.ViewerCount, (v: ViewerCount) => console.log(v.viewers, v.livestream_id))
  .on("viewerCount", (v) => console.log(v.viewers))
  .off("chatMessage", () => {});
// The recent chat: history messages are ChatMessages marked in their meta, their alerts too,
// and a refused history is an Error of its own source.
const recent = new KickConnection({ chatroomId: 1, channelId: 2 }, { history: true, alerts: true });
recent
  .on("ChatMessage", (m, meta) => console.log(meta.history === true ? "earlier" : "live", m.content))
  .on("Alert", (a) => { if (a.alert === "Chat" && a.history) console.log(a.id); })
  .on("Error", (e) => { if (e.source === "history") console.log(e.message); });
const klc: "chatMessage" = Events.ChatMessage;
console.log(klc);
