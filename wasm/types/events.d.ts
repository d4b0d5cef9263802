
// ----- Event payloads (written by hand from the objects kickwire produces; the same field
// names as `kickwire replay --json`, which are Kick's own). -----

/** Every event: its name and the channel it came on. */
export interface KickEventBase { type: string; channel: string; }
export interface Badge { type: string; text: string; count: number | null; }
export interface Identity { color: string; badges: Badge[]; }
export interface Sender { id: number; username: string; slug: string; identity: Identity; }
export interface ContentPart { type: "text" | "emote"; text?: string; id?: number; name?: string; url?: string; }
export interface ChatMessage extends KickEventBase {
  type: "ChatMessage"; id: string; chatroom_id: number | null; content: string;
  message_type: string; created_at: number | null; sender: Sender;
  metadata: { original_sender?: { id: number; username: string } | null; original_message?: { id: string; content: string } | null; message_ref?: string | null } | null;
  /** The content split into text and emotes (image at `url`). */
  parts: ContentPart[];
}
export interface MessageDeleted extends KickEventBase { type: "MessageDeleted"; id: string; message: { id: string }; }
export interface UserRef { id?: number | null; username: string; slug?: string; }
export interface UserBanned extends KickEventBase { type: "UserBanned"; id: string; user: UserRef; banned_by: UserRef; permanent: boolean | null; duration: number | null; expires_at: number | null; }
export interface UserUnBanned extends KickEventBase { type: "UserUnBanned"; id: string; user: UserRef; unbanned_by: UserRef; permanent: boolean | null; }
export interface Subscription extends KickEventBase { type: "Subscription"; chatroom_id: number | null; username: string; months: number | null; }
export interface GiftedSubscriptions extends KickEventBase {
  type: "GiftedSubscriptions"; chatroom_id: number | null; gifted_usernames: string[];
  /** The exact number of recipients, even when the list was cut. */
  gifted_count: number; gifter_username: string; gifter_total: number | null;
}
export interface KicksGifted extends KickEventBase { type: "KicksGifted"; gift_transaction_id: string; message: string; sender: { id: number; username: string; username_color: string }; gift: { gift_id: string; name: string; amount: number; type: string; tier: string; character_limit: number | null; pinned_time: number | null }; }
export interface StreamerIsLive extends KickEventBase { type: "StreamerIsLive"; livestream: { id: number | null; channel_id: number | null; session_title: string; created_at: number | null }; }
export interface StreamEnd extends KickEventBase { type: "StreamEnd"; livestream: { id: number | null; channel: { id: number | null; is_banned: boolean | null } } | null; }
export interface StreamHost extends KickEventBase { type: "StreamHost"; chatroom_id: number | null; optional_message: string; number_viewers: number | null; host_username: string; }
/** Any other event: Kick's fields as they come (see the CLI's JSON for the exact shape). */
export interface OtherKickEvent extends KickEventBase { [field: string]: unknown; }

/** Lifecycle events. */
export interface Connected { transport: "pusher" | "centrifugo"; socketId: string; }
export interface Subscribed { channel: string; }
export interface SubscriptionError { channel: string; code: number | null; message: string; }
export interface Reconnecting { afterMs: number; reason: string; }
export interface Disconnected { code: number | null; reason: string; willRetry: boolean; }
export interface KickwireError { source: "server" | "message" | "token"; code?: number | null; message: string; }
export interface StateChanged { previous: State; current: State; }
export type State = "initialized" | "connecting" | "connected" | "unavailable" | "disconnected" | "failed";

/** Event name -> payload type, for `on(name, callback)`. */
export interface KickEvents {
  ChatMessage: ChatMessage; MessageDeleted: MessageDeleted; UserBanned: UserBanned;
  UserUnBanned: UserUnBanned; Subscription: Subscription; GiftedSubscriptions: GiftedSubscriptions;
  KicksGifted: KicksGifted; StreamerIsLive: StreamerIsLive; StreamEnd: StreamEnd; StreamHost: StreamHost;
  PinnedMessageCreated: OtherKickEvent; PinnedMessageDeleted: OtherKickEvent; PollUpdate: OtherKickEvent;
  PollDelete: OtherKickEvent; LuckyUsersWhoGotGiftSubscriptions: OtherKickEvent;
  GiftsLeaderboardUpdated: OtherKickEvent; ChatMoveToSupportedChannel: OtherKickEvent;
  ChatroomClear: OtherKickEvent; ChatroomUpdated: OtherKickEvent; ChatSettingsChanged: OtherKickEvent;
  ChannelSubscription: OtherKickEvent; KicksLeaderboardUpdated: OtherKickEvent; RewardRedeemed: OtherKickEvent;
  StreamHosted: OtherKickEvent; FollowersUpdated: OtherKickEvent; NewSubscriberUpdated: OtherKickEvent;
  NewActivityFeed: OtherKickEvent; ChatMessageSent: OtherKickEvent; LivestreamUpdated: OtherKickEvent;
  Unknown: OtherKickEvent;
  Connected: Connected; Subscribed: Subscribed; SubscriptionError: SubscriptionError;
  Reconnecting: Reconnecting; Disconnected: Disconnected; Error: KickwireError;
  StateChanged: StateChanged; rawData: string;
}
