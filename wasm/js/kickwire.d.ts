// kickwire: Kick.com live events in the browser. Typings of the API in kickwire.js; the types of
// Kick's event payloads (`KickPayloads` and one type per event) follow, generated from real
// frames by wasm/types/generate.sh (wasm/build.sh joins the two into the package's kickwire.d.ts).

/** What `init` can load the WebAssembly module from: its URL, a `fetch` request or response,
 * its bytes, or a compiled `WebAssembly.Module`. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module; call (and await) it once before anything else. Later calls do
 * nothing (after a failed load, a later call tries again). With no argument the module is
 * loaded from `kickwire_core_bg.wasm` next to kickwire.js.
 */
export default function init(module_or_path?: InitInput | Promise<InitInput>): Promise<void>;

/** A piece of a chat message's content: plain text, or an emote `[emote:ID:NAME]`. */
export type ContentPart = TextPart | EmotePart;

/** Plain text of a chat message. */
export interface TextPart {
  type: "text";
  /** The text, as sent. */
  text: string;
}

/** An emote of a chat message (`[emote:ID:NAME]` in its content). */
export interface EmotePart {
  type: "emote";
  /** Kick's emote id. */
  id: number;
  /** The emote's name, e.g. `KEKW`. */
  name: string;
  /** The emote's image: `https://files.kick.com/emotes/ID/fullsize`. */
  url: string;
}

/**
 * Splits a chat message's content into text and emotes, each emote with its image URL (what
 * kickwire adds as `parts` to `ChatMessage` payloads). `null` or `undefined` give `[]`.
 */
export function parts(content: string | null | undefined): ContentPart[];

/** The transport a connection uses: Pusher (Kick's classic one) or Centrifugo. */
export type Transport = "pusher" | "centrifugo";

/** A connection's state, as `getState()` and `StateChanged` give it. */
export type KickState = "initialized" | "connecting" | "connected" | "unavailable" | "disconnected" | "failed";

/** A channel by its ids, which needs no lookup on kick.com (ids may be numeric strings). */
export interface ChannelIds {
  /** The chatroom's id (chat events come on `chatrooms.<id>.v2`). */
  chatroomId: number | string;
  /** The channel's id (channel events come on `channel.<id>`). */
  channelId: number | string;
}

/** Options of `new KickConnection(channel, options)`; all are optional. */
export interface KickOptions {
  /** `auto` (default: what Kick's negotiation answers, Pusher if it cannot be reached),
   * `pusher` or `centrifugo`. */
  transport?: "auto" | Transport;
  /** A server of your own (`ws://` or `wss://`) instead of Kick's. */
  url?: string | null;
  /** The Pusher app key (default Kick's). */
  key?: string | null;
  /** The Pusher cluster (default Kick's, `us2`). */
  cluster?: string | null;
  /** A Centrifugo connection token; fetched from Kick when needed and not given. Pusher connections ignore it. */
  token?: string | null;
  /** Reconnect after the connection drops (default `true`). */
  reconnect?: boolean;
  /** The channel names to join instead of the chat's six default ones. */
  channels?: readonly string[] | null;
  /** Also emit every received message's text as `rawData` (default `false`). Unless
   * `keepSecrets`, `connect()` then loads the package's second module (its redaction of whole
   * texts), as a slug or a Centrifugo connection does. */
  raw?: boolean;
  /**
   * Keep Kick's secrets in payloads and `rawData` (default `false`). By default a channel's
   * `playback_url` (a signed stream URL: whoever has it can play the stream) reads
   * `"[redacted]"`, and presigned picture URLs (`X-Amz-Signature`, CloudFront signatures) lose
   * their query, before anything reaches a listener.
   */
  keepSecrets?: boolean;
  /**
   * Also emit `Alert`s (default `false`): one per real happening, Kick's copies merged (a sub
   * sent as up to five events, a host as two, a gift in chunks joined with its real total),
   * each chatter's first words marked. Loads the alert module (`kickwire_alerts_bg.wasm`) and
   * `kickwire_extras.js` on `connect()`; pages without alerts never load them.
   */
  alerts?: boolean;
  /**
   * As TikTok-Live-Connector's option (default `false`): `connect()` answers the channel's
   * `roomInfo` too, read from the reply of the slug's lookup (no second request), and rejects
   * when the channel is not live. Needs a slug, and a page Kick answers (kick.com).
   */
  fetchRoomInfoOnConnect?: boolean;
  /**
   * Start with the recent chat (default `false`): before the live events, `connect()` fetches
   * Kick's chat history (`web.kick.com/api/v1/chat/{channelId}/history`) and emits each message
   * as a `ChatMessage`, oldest first, with `meta.history` true; with `alerts`, the messages go
   * through the alert machine first (their `Alert`s have `history: true`), so the live copy of
   * one is not told again. Only pages on kick.com get an answer: elsewhere, and when Kick
   * refuses, one `Error` of source `history` says why and the live events go on.
   */
  history?: boolean;
}

/** Options of `new KickDecoder(options)` and `KickDecoder.create(options)`. */
export interface KickDecoderOptions {
  /** Keep Kick's secrets in the payloads (default `false`), as `KickOptions.keepSecrets`. */
  keepSecrets?: boolean;
  /**
   * Also decode Centrifugo messages (default `false`). Only `KickDecoder.create` takes it:
   * it loads the lookups module (`kickwire_lookup_bg.wasm`), which reads them; the module
   * every page loads reads Pusher frames only.
   */
  centrifugo?: boolean;
}

/** What `connect()` resolves to once connected. */
export interface ConnectResult {
  chatroomId: number;
  channelId: number;
  transport: Transport;
  /** With `fetchRoomInfoOnConnect`: the channel when it connected. */
  roomInfo?: RoomInfo;
}

/** A channel as Kick's channel lookup describes it (`getRoomInfo()`); `null` where Kick left
 * the value out. */
export interface RoomInfo {
  channelId: number | null;
  chatroomId: number | null;
  slug: string | null;
  /** The owner's username, case kept. */
  username: string | null;
  /** Whether the channel is live now. */
  live: boolean;
  /** The livestream's id while live. */
  livestreamId: number | null;
  /** The stream's title (`session_title`) while live. */
  title: string | null;
  /** Viewers now, while live. */
  viewers: number | null;
  /** The stream's first category's name, e.g. `Just Chatting`. */
  category: string | null;
  followers: number | null;
}

/** `ViewerCount`, as kick-live-connector sends it: polled every 60 s from Kick's channel lookup
 * while live (needs a slug and a page Kick answers; else an `Error` of source `lookup`). */
export interface ViewerCount {
  livestream_id: number | null;
  viewers: number | null;
}

/** A chat message, once (a copy on another channel name or after a reconnect is not told
 * again). */
export interface ChatAlert {
  alert: "Chat";
  id: string;
  username: string;
  content: string;
  /** The chatter's first message since the stream went live (or since the page connected). */
  firstWords: boolean;
  /** Made by a message of the recent chat (the `history` option), not a live one. */
  history?: true;
}

/** A subscription or renewal, once for Kick's up to five events of it. */
export interface SubscriptionAlert {
  alert: "Subscription";
  username: string;
  /** Months subscribed, when Kick said. */
  months: number | null;
}

/** A follow. Only Kick's official webhooks tell follows, so a page sees this alert only from a
 * `kickwire relay --webhooks` (on `kickwire-alerts.{room}`), never from Kick's realtime feed. */
export interface FollowAlert {
  alert: "Follow";
  username: string;
}

/** Gifted subscriptions, once per gift: its chunks joined. */
export interface GiftedSubscriptionsAlert {
  alert: "GiftedSubscriptions";
  gifter: string;
  /** The exact number of subscriptions gifted (Kick's total), whatever number of names
   * `recipients` kept. */
  count: number;
  /** The first recipients' names (up to 8). */
  recipients: string[];
  /** How many of Kick's chunks were joined. */
  chunks: number;
  /** `false` when a chunk never came: told 2 s after the last one with what came. */
  complete: boolean;
}

/** A Kicks gift. */
export interface KicksGiftAlert {
  alert: "KicksGift";
  sender: string;
  gift: string;
  amount: number;
  message: string;
}

/** A host (raid), once for Kick's two events of it. */
export interface HostAlert {
  alert: "Host";
  host: string;
  viewers: number | null;
  message: string | null;
}

/** A channel-points reward redeemed. */
export interface RewardAlert {
  alert: "Reward";
  username: string;
  title: string;
  input: string;
}

/** A ban or timeout. */
export interface BanAlert {
  alert: "Ban";
  username: string;
  by: string;
  permanent: boolean;
  /** Minutes, for a timeout. */
  duration: number | null;
}

/** A ban lifted. */
export interface UnbanAlert {
  alert: "Unban";
  username: string;
  by: string;
}

/** A chat message deleted. */
export interface MessageDeletedAlert {
  alert: "MessageDeleted";
  id: string;
}

/** A message pinned. */
export interface PinnedAlert {
  alert: "Pinned";
  username: string;
  content: string;
  /** Seconds. */
  duration: number | null;
}

/** A poll, as it stands. */
export interface PollAlert {
  alert: "Poll";
  title: string;
  options: { id: number; label: string; votes: number }[];
  /** Seconds left. */
  remaining: number | null;
}

/** A prediction, as it stands. */
export interface PredictionAlert {
  alert: "Prediction";
  title: string;
  state: string;
  outcomes: { id: string; title: string; vote_count: number | null; total_vote_amount: number | null }[];
  winningOutcomeId: string | null;
}

/** A goal's stage. */
export interface GoalAlert {
  alert: "Goal";
  stage: "Created" | "Progress" | "Achieved" | "Canceled";
  goalType: string;
  current: number | null;
  target: number | null;
  followers: number | null;
}

/** The stream went live. */
export interface LiveAlert {
  alert: "Live";
  title: string;
}

/** Alerts that carry nothing but their kind: the chat cleared, the pin removed, the stream
 * ended. */
export interface BareAlert {
  alert: "ChatClear" | "Unpinned" | "End";
}

/** `Alert` (with the `alerts` option): one per real happening. Narrow on `alert`. */
export type Alert =
  | ChatAlert
  | SubscriptionAlert
  | FollowAlert
  | GiftedSubscriptionsAlert
  | KicksGiftAlert
  | HostAlert
  | RewardAlert
  | BanAlert
  | UnbanAlert
  | MessageDeletedAlert
  | PinnedAlert
  | PollAlert
  | PredictionAlert
  | GoalAlert
  | LiveAlert
  | BareAlert;

/** Where a Kick event came from: the second argument of a Kick event's listener. */
export interface EventMeta<K extends KickEventName = KickEventName> {
  /** The event's name, as listeners use it. */
  type: K;
  /** The channel it came on, e.g. `chatrooms.2507974.v2`. */
  channel: string;
  /** The transport it came over (for the recent chat: the connection's). */
  transport: Transport;
  /** The message came from Kick's chat history (the `history` option), not live. */
  history?: true;
}

/** Where an event kickwire does not know came from; `name` is its name on the wire. */
export interface UnknownEventMeta {
  type: "Unknown";
  channel: string;
  transport: Transport;
  /** The event's wire name, e.g. `App\Events\SomethingNewEvent`. */
  name: string;
}

/** `Connected`: the connection is up. */
export interface Connected {
  transport: Transport;
  /** The server's id for this connection (Pusher's socket id, Centrifugo's client id). */
  socketId: string;
}

/** `Disconnected`: the socket closed. */
export interface Disconnected {
  /** The close code, `null` when there was none. */
  code: number | null;
  reason: string;
  /** Whether a reconnection (`Reconnecting`) follows. */
  willRetry: boolean;
}

/** `Reconnecting`: a new attempt starts after `afterMs` milliseconds. */
export interface Reconnecting {
  afterMs: number;
  /**
   * Why, in words: `connection lost`, `closed with code N`, `cannot connect`, `no connection
   * token` (Centrifugo: the token fetch failed, with an `Error` of source `token` saying why,
   * or took over 30 s), `no handshake in time`, `no ping/pong in time`, `server asked to
   * reconnect (N)`, `token expired`, `bad handshake`.
   */
  reason: string;
}

/** `Error`: something went wrong that does not end the connection by itself. */
export interface KickwireError {
  /** `server`: the server reported an error; `message`: a received message could not be
   * read (or did not fit); `token`: getting a Centrifugo token failed (the connection asks
   * again after a back-off: a `Reconnecting` follows). */
  source: "server" | "message" | "token" | "lookup" | "history";
  /** ... `lookup`: a `ViewerCount` poll failed (the poll stops); `history`: the recent chat
   * (the `history` option) could not be had, and the connection goes on without it. */
  /** The server's error code (`null` for none); only with `source: "server"`. */
  code?: number | null;
  /** What went wrong (for a burst, the first). */
  message: string;
  /** How many more errors of the same source came before this one was reported, counted
   * here instead of each reported (0 for one on its own). */
  repeats: number;
}

/** `StateChanged`: the connection's state changed. */
export interface StateChanged {
  previous: KickState;
  current: KickState;
}

/** `Subscribed`: a channel was joined. */
export interface Subscribed {
  channel: string;
}

/** `SubscriptionTimedOut`: the server did not answer a channel's subscribe within 10 s; it
 * has been sent again. */
export interface SubscriptionTimedOut {
  channel: string;
}

/** `SubscriptionError`: the server refused a channel. */
export interface SubscriptionError {
  channel: string;
  /** The server's code, `null` for none. */
  code: number | null;
  message: string;
}

/** Connection lifecycle events, by name, with the one object their listeners get. */
export interface LifecycleEvents {
  Connected: Connected;
  Disconnected: Disconnected;
  Reconnecting: Reconnecting;
  Error: KickwireError;
  StateChanged: StateChanged;
  Subscribed: Subscribed;
  SubscriptionTimedOut: SubscriptionTimedOut;
  SubscriptionError: SubscriptionError;
}

/** The listener type of every event name `on` and `off` accept. */
export type KickListeners = {
  /** A Kick event: its payload as Kick sent it (`JSON.parse` of its `data`), and where it came from. */
  [K in KickEventName]: (data: KickPayloads[K], meta: EventMeta<K>) => void;
} & {
  [K in keyof LifecycleEvents]: (event: LifecycleEvents[K]) => void;
} & {
  /** An event kickwire does not know: its payload, and its wire name in `meta.name`. */
  Unknown: (data: unknown, meta: UnknownEventMeta) => void;
  /** Each received message's text (with the `raw` option), its secrets redacted unless
   * `keepSecrets`; a message over 128 KiB, which is dropped, has none unless `keepSecrets`. */
  rawData: (text: string) => void;
  /** With the `alerts` option: one per real happening. */
  Alert: (alert: Alert) => void;
  /** kick-live-connector's viewer count (listeners added before `connect()`). */
  ViewerCount: (count: ViewerCount) => void;
};

/** Every event name `on` and `off` accept. */
export type KickListenerName = keyof KickListeners;

/** The same listeners under kick-live-connector's camelCase names (`chatMessage`,
 * `giftedSubscriptions`, `viewerCount`...), which `on` and `off` also accept. */
export type KlcListeners = { [K in KickListenerName as Uncapitalize<K>]: KickListeners[K] };

/** Listeners under either spelling. */
export type AnyListeners = KickListeners & KlcListeners;

/** Every event name `on` and `off` accept, in either spelling. */
export type AnyListenerName = keyof AnyListeners;

/** Every event name `on` accepts, its value the camelCase spelling `on` also takes
 * (`Events.ChatMessage` is `"chatMessage"`): kick-live-connector's `Events` enum has the same
 * names and values for the events it has. Filled by `init()`. */
export declare const Events: { readonly [K in KickListenerName]: Uncapitalize<K> };

/** A connection to one Kick channel's live events. */
export class KickConnection {
  /**
   * Sets up a connection (`connect()` opens it). `channel` is a channel slug (looked up on
   * kick.com, which only answers pages served from kick.com) or its ids. Throws an `Error` for
   * a bad channel or option, or when `init()` has not been awaited.
   */
  constructor(channel: string | ChannelIds, options?: KickOptions);

  /** Adds a listener for the event `name` (kickwire's name or kick-live-connector's camelCase
   * one, `chatMessage`); answers the connection, so calls chain. A name no event has is
   * warned about in the console, once. */
  on<K extends AnyListenerName>(name: K, callback: AnyListeners[K]): this;

  /** Removes a listener added with `on` (the same function); answers the connection. */
  off<K extends AnyListenerName>(name: K, callback: AnyListeners[K]): this;

  /** The channel now, from Kick's channel lookup. Rejects with an `Error` for a channel given
   * by ids, or where Kick does not answer the page (anywhere but kick.com). */
  getRoomInfo(): Promise<RoomInfo>;

  /** Connects: resolves once connected; rejects with an `Error` saying what went wrong (a
   * failed lookup, a refused connection, a connection already made). */
  connect(): Promise<ConnectResult>;

  /** Closes the connection for good (no reconnection). */
  disconnect(): void;

  /** The connection's state now. */
  getState(): KickState;
}

/** One Kick event `KickDecoder.decode` found: its meta fields with its payload as `data`. */
export type DecodedEvent =
  | { [K in KickEventName]: EventMeta<K> & { data: KickPayloads[K] } }[KickEventName]
  | (UnknownEventMeta & { data: unknown });

/** Decodes whole WebSocket messages with no connection, e.g. recorded ones. */
export class KickDecoder {
  /**
   * A decoder of Pusher frames. Throws an `Error` when `init()` has not been awaited, for a
   * bad option, or for `centrifugo: true` (use `KickDecoder.create`).
   */
  constructor(options?: KickDecoderOptions);

  /**
   * A decoder, once the module it needs is loaded: with `centrifugo: true`, the lookups
   * module, and the decoder reads Centrifugo messages as well as Pusher frames. Rejects as
   * the constructor throws, or when the module cannot be loaded.
   */
  static create(options?: KickDecoderOptions): Promise<KickDecoder>;

  /**
   * The Kick events of one message (a Pusher frame or a Centrifugo message), in order; a
   * transport message (ping, handshake, reply) or a malformed one gives `[]`. Narrow on `type`
   * to get each payload's type. Throws an `Error` for a message larger than the input buffer,
   * and, unless the decoder was made by `KickDecoder.create({ centrifugo: true })`, for a
   * message that holds a Centrifugo message (a ping or a reply included).
   */
  decode(message: string): DecodedEvent[];
}
