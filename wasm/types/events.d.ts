
// ----- Event payloads: generated from the JSON kickwire produces for every event name (fields
// and nesting from decoding an empty payload; value types from the real frames in
// tests/vectors/kick). Times are unix milliseconds. -----

export interface ContentPart { type: "text" | "emote"; text?: string; id?: number; name?: string; url?: string; }
/** `ChatMessage`. */
export interface ChatMessage {
  type: "ChatMessage";
  channel: string;
  id: string;
  chatroom_id: number;
  content: string;
  message_type: string;
  created_at: null | number;
  sender: {
    id: number;
    username: string;
    slug: string;
    identity: {
      color: string;
      badges: Array<{
        type: string;
        text: string;
        count: null | number;
      }>;
    };
  };
  metadata: null | {
    original_sender: null | {
      id: number;
      username: string;
    };
    original_message: null | {
      id: string;
      content: string;
    };
    celebration: null | {
      id: string;
      type: string;
      total_months: number;
      created_at: number;
    };
    message_ref: null | string;
  };
  /** The content split into text and emotes (image at `url`). */
  parts: ContentPart[];
}
/** `MessageDeleted`. */
export interface MessageDeleted {
  type: "MessageDeleted";
  channel: string;
  id: string;
  message: {
    id: string;
  };
  aiModerated: boolean | null;
  violatedRules: Array<string>;
}
/** `UserBanned`. */
export interface UserBanned {
  type: "UserBanned";
  channel: string;
  id: string;
  user: {
    id: number;
    username: string;
    slug: string;
  };
  banned_by: {
    id: number;
    username: string;
    slug: string;
  };
  permanent: boolean | null;
  duration: null | number;
  expires_at: null | number;
}
/** `UserUnBanned`. */
export interface UserUnBanned {
  type: "UserUnBanned";
  channel: string;
  id: string;
  user: {
    id: number;
    username: string;
    slug: string;
  };
  unbanned_by: {
    id: number;
    username: string;
    slug: string;
  };
  permanent: boolean | null;
}
/** `ChatroomClear`. */
export interface ChatroomClear {
  type: "ChatroomClear";
  channel: string;
  id: string;
}
/** `ChatroomUpdated`. */
export interface ChatroomUpdated {
  type: "ChatroomUpdated";
  channel: string;
  id: number;
  slow_mode: null | {
    enabled: boolean;
    message_interval: number;
  };
  subscribers_mode: null | {
    enabled: boolean;
  };
  followers_mode: null | {
    enabled: boolean;
    min_duration: number;
  };
  emotes_mode: null | {
    enabled: boolean;
  };
  advanced_bot_protection: null | {
    enabled: boolean;
    remaining_time: number;
  };
  account_age: null | {
    enabled: boolean;
    min_duration: number;
  };
}
/** `ChatSettingsChanged`. */
export interface ChatSettingsChanged {
  type: "ChatSettingsChanged";
  channel: string;
  id: string;
  channel_info: {
    id: number;
    slug: string;
  };
  settings: {
    channel_id: number;
    rules: string;
    allow_links: null | {
      enabled: boolean;
    };
    emotes_only_mode: null | {
      enabled: boolean;
    };
    followers_only_mode: null | {
      enabled: boolean;
      duration_seconds: number;
    };
    minimum_account_age: null | {
      enabled: boolean;
      duration_seconds: number;
    };
    slow_mode: null | {
      enabled: boolean;
      duration_seconds: number;
    };
    subscribers_only_mode: null | {
      enabled: boolean;
    };
  };
  created_at: null | number;
}
/** `PinnedMessageCreated`. */
export interface PinnedMessageCreated {
  type: "PinnedMessageCreated";
  channel: string;
  message: {
    id: string;
    chatroom_id: number;
    content: string;
    message_type: string;
    created_at: null | number;
    sender: {
      id: number;
      username: string;
      slug: string;
      identity: {
        color: string;
        badges: Array<{
          type: string;
          text: string;
          count: null | number;
        }>;
      };
    };
    metadata: null | {
      original_sender: unknown;
      original_message: unknown;
      celebration: unknown;
      message_ref: string;
    };
  };
  duration: null | number;
  pinnedBy: null | {
    id: number;
    username: string;
    slug: string;
    identity: {
      color: string;
      badges: Array<{
        type: string;
        text: string;
        count: null | number;
      }>;
    };
  };
}
/** `PinnedMessageDeleted`. */
export interface PinnedMessageDeleted {
  type: "PinnedMessageDeleted";
  channel: string;
}
/** `PollUpdate`. */
export interface PollUpdate {
  type: "PollUpdate";
  channel: string;
  poll: {
    title: string;
    options: Array<{
      id: number;
      label: string;
      votes: number;
    }>;
    duration: null | number;
    remaining: null | number;
    result_display_duration: null | number;
  };
}
/** `PollDelete`. */
export interface PollDelete {
  type: "PollDelete";
  channel: string;
}
/** `Subscription`. */
export interface Subscription {
  type: "Subscription";
  channel: string;
  chatroom_id: number;
  username: string;
  months: null | number;
}
/** `ChannelSubscription`. */
export interface ChannelSubscription {
  type: "ChannelSubscription";
  channel: string;
  user_ids: Array<number>;
  username: string;
  channel_id: number;
}
/** `GiftedSubscriptions`. */
export interface GiftedSubscriptions {
  type: "GiftedSubscriptions";
  channel: string;
  chatroom_id: number;
  gifted_usernames: Array<string>;
  gifted_count: number;
  gifter_username: string;
  gifter_total: null | number;
  gifted_total: null | number;
  correlation_id: null | string;
  chunk_details: unknown;
}
/** `LuckyUsersWhoGotGiftSubscriptions`. */
export interface LuckyUsersWhoGotGiftSubscriptions {
  type: "LuckyUsersWhoGotGiftSubscriptions";
  channel: string;
  channel_info: null | {
    id: number;
    user_id: number;
    slug: string;
    is_banned: boolean;
  };
  usernames: Array<string>;
  gifter_username: string;
}
/** `GiftsLeaderboardUpdated`. */
export interface GiftsLeaderboardUpdated {
  type: "GiftsLeaderboardUpdated";
  channel: string;
  channel_info: null | {
    id: number;
    user_id: number;
    slug: string;
    is_banned: boolean;
  };
  leaderboard: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
  weekly_leaderboard: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
  monthly_leaderboard: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
  gifter_id: null | number;
  gifter_username: null | string;
  gifted_quantity: null | number;
}
/** `KicksGifted`. */
export interface KicksGifted {
  type: "KicksGifted";
  channel: string;
  gift_transaction_id: string;
  message: string;
  sender: {
    id: number;
    username: string;
    username_color: string;
  };
  gift: {
    gift_id: string;
    name: string;
    amount: number;
    type: string;
    tier: string;
    character_limit: null | number;
    pinned_time: null | number;
  };
  created_at: null | number;
  expires_at: null | number;
}
/** `KicksLeaderboardUpdated`. */
export interface KicksLeaderboardUpdated {
  type: "KicksLeaderboardUpdated";
  channel: string;
  gifts_lifetime: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
  gifts_week: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
  gifts_month: Array<{
    user_id: number;
    username: string;
    quantity: number;
  }>;
}
/** `RewardRedeemed`. */
export interface RewardRedeemed {
  type: "RewardRedeemed";
  channel: string;
  reward_title: string;
  user_id: number;
  channel_id: number;
  username: string;
  user_input: string;
  reward_background_color: string;
}
/** `StreamerIsLive`. */
export interface StreamerIsLive {
  type: "StreamerIsLive";
  channel: string;
  livestream: {
    id: number;
    channel_id: null | number;
    slug: unknown;
    session_title: string;
    is_live: unknown;
    viewer_count: unknown;
    language: unknown;
    is_mature: unknown;
    created_at: null | number;
    category: unknown;
  };
}
/** `StreamEnd`. */
export interface StreamEnd {
  type: "StreamEnd";
  channel: string;
  livestream: {
    id: number;
    channel: null | {
      id: number;
      user_id: unknown;
      slug: string;
      is_banned: boolean;
    };
  };
}
/** `StreamHost`. */
export interface StreamHost {
  type: "StreamHost";
  channel: string;
  chatroom_id: number;
  optional_message: unknown;
  number_viewers: null | number;
  host_username: string;
}
/** `StreamHosted`. */
export interface StreamHosted {
  type: "StreamHosted";
  channel: string;
  message: {
    id: string;
    numberOfViewers: null | number;
    optionalMessage: unknown;
    createdAt: null | number;
  };
  user: {
    id: number;
    username: string;
  };
}
/** `ChatMoveToSupportedChannel`. */
export interface ChatMoveToSupportedChannel {
  type: "ChatMoveToSupportedChannel";
  channel: string;
  channel_info: null | {
    id: number;
    user_id: number;
    slug: string;
    is_banned: boolean;
  };
  slug: string;
  hosted: {
    id: number;
    username: string;
    slug: string;
    viewers_count: null | number;
    is_live: boolean | null;
    category: null | string;
  };
}
/** `FollowersUpdated`. */
export interface FollowersUpdated {
  type: "FollowersUpdated";
  channel: string;
  followersCount: null | number;
  channel_id: number;
  username: unknown;
  created_at: null | number;
  followed: boolean | null;
}
/** `GoalCreated`. */
export interface GoalCreated {
  type: "GoalCreated";
  channel: string;
  id: string;
  channel_id: string;
  goal_type: string;
  target_value: unknown;
  current_value: unknown;
  status: string;
  created_at: unknown;
  updated_at: unknown;
  achieved_at: unknown;
  end_date: unknown;
}
/** `GoalProgressUpdate`. */
export interface GoalProgressUpdate {
  type: "GoalProgressUpdate";
  channel: string;
  id: string;
  channel_id: string;
  goal_type: string;
  target_value: null | number;
  current_value: null | number;
  status: string;
  created_at: null | number;
  updated_at: null | number;
  achieved_at: unknown;
  end_date: unknown;
}
/** `GoalAchieved`. */
export interface GoalAchieved {
  type: "GoalAchieved";
  channel: string;
  id: string;
  channel_id: string;
  goal_type: string;
  target_value: unknown;
  current_value: unknown;
  status: string;
  created_at: unknown;
  updated_at: unknown;
  achieved_at: unknown;
  end_date: unknown;
}
/** `GoalCanceled`. */
export interface GoalCanceled {
  type: "GoalCanceled";
  channel: string;
  id: string;
  channel_id: string;
  goal_type: string;
  target_value: unknown;
  current_value: unknown;
  status: string;
  created_at: unknown;
  updated_at: unknown;
  achieved_at: unknown;
  end_date: unknown;
}
/** `PredictionCreated`. */
export interface PredictionCreated {
  type: "PredictionCreated";
  channel: string;
  prediction: {
    id: string;
    channel_id: unknown;
    title: string;
    state: string;
    outcomes: unknown[];
    duration: unknown;
    winning_outcome_id: unknown;
    created_at: unknown;
    updated_at: unknown;
    locked_at: unknown;
  };
}
/** `PredictionUpdated`. */
export interface PredictionUpdated {
  type: "PredictionUpdated";
  channel: string;
  prediction: {
    id: string;
    channel_id: unknown;
    title: string;
    state: string;
    outcomes: unknown[];
    duration: unknown;
    winning_outcome_id: unknown;
    created_at: unknown;
    updated_at: unknown;
    locked_at: unknown;
  };
}
/** `NewSubscriberUpdated`. */
export interface NewSubscriberUpdated {
  type: "NewSubscriberUpdated";
  channel: string;
  channel_id: number;
  last_subscriber: string;
  count: null | number;
}
/** `NewActivityFeed`. */
export interface NewActivityFeed {
  type: "NewActivityFeed";
  channel: string;
  channel_id: number;
  activity_type: string;
  username: string;
  created_at: null | number;
}
/** `ChatMessageSent`. */
export interface ChatMessageSent {
  type: "ChatMessageSent";
  channel: string;
  message: {
    id: string;
    message: null | string;
    type: string;
    chatroom_id: number;
    created_at: null | number;
    action: string;
    optional_message: unknown;
    months_subscribed: null | number;
    subscriptions_count: null | number;
    giftedUsers: Array<{
      username: string;
      monthsSubscribed: number;
    }>;
  };
  user: {
    id: number;
    username: string;
    role: string;
    verified: boolean | null;
    is_founder: boolean | null;
    months_subscribed: unknown;
    quantity_gifted: null | number;
  };
}
/** `LivestreamUpdated`. */
export interface LivestreamUpdated {
  type: "LivestreamUpdated";
  channel: string;
  livestream: {
    id: number;
    channel_id: null | number;
    slug: null | string;
    session_title: string;
    is_live: boolean | null;
    viewer_count: null | number;
    language: null | string;
    is_mature: boolean | null;
    created_at: null | number;
    category: null | {
      id: number;
      name: string;
      slug: string;
    };
  };
}
/** An event this version does not know, passed through by name. */
export interface Unknown { type: "Unknown"; channel: string; name: string; }

/** Lifecycle events. */
export interface Connected { transport: "pusher" | "centrifugo"; socketId: string; }
export interface Subscribed { channel: string; }
export interface SubscriptionError { channel: string; code: number | null; message: string; }
export interface Reconnecting { afterMs: number; reason: string; }
export interface Disconnected { code: number | null; reason: string; willRetry: boolean; }
export interface KickwireError { source: "server" | "message" | "token"; code?: number | null; message: string; }
export type State = "initialized" | "connecting" | "connected" | "unavailable" | "disconnected" | "failed";
export interface StateChanged { previous: State; current: State; }

/** Event name -> payload type, for `on(name, callback)`. */
export interface KickEvents {
  ChatMessage: ChatMessage;
  MessageDeleted: MessageDeleted;
  UserBanned: UserBanned;
  UserUnBanned: UserUnBanned;
  ChatroomClear: ChatroomClear;
  ChatroomUpdated: ChatroomUpdated;
  ChatSettingsChanged: ChatSettingsChanged;
  PinnedMessageCreated: PinnedMessageCreated;
  PinnedMessageDeleted: PinnedMessageDeleted;
  PollUpdate: PollUpdate;
  PollDelete: PollDelete;
  Subscription: Subscription;
  ChannelSubscription: ChannelSubscription;
  GiftedSubscriptions: GiftedSubscriptions;
  LuckyUsersWhoGotGiftSubscriptions: LuckyUsersWhoGotGiftSubscriptions;
  GiftsLeaderboardUpdated: GiftsLeaderboardUpdated;
  KicksGifted: KicksGifted;
  KicksLeaderboardUpdated: KicksLeaderboardUpdated;
  RewardRedeemed: RewardRedeemed;
  StreamerIsLive: StreamerIsLive;
  StreamEnd: StreamEnd;
  StreamHost: StreamHost;
  StreamHosted: StreamHosted;
  ChatMoveToSupportedChannel: ChatMoveToSupportedChannel;
  FollowersUpdated: FollowersUpdated;
  GoalCreated: GoalCreated;
  GoalProgressUpdate: GoalProgressUpdate;
  GoalAchieved: GoalAchieved;
  GoalCanceled: GoalCanceled;
  PredictionCreated: PredictionCreated;
  PredictionUpdated: PredictionUpdated;
  NewSubscriberUpdated: NewSubscriberUpdated;
  NewActivityFeed: NewActivityFeed;
  ChatMessageSent: ChatMessageSent;
  LivestreamUpdated: LivestreamUpdated;
  Unknown: Unknown;
  Connected: Connected; Subscribed: Subscribed; SubscriptionError: SubscriptionError;
  Reconnecting: Reconnecting; Disconnected: Disconnected; Error: KickwireError;
  StateChanged: StateChanged; rawData: string;
}
/** Any Kick event. */
export type KickEvent = ChatMessage | MessageDeleted | UserBanned | UserUnBanned | ChatroomClear | ChatroomUpdated | ChatSettingsChanged | PinnedMessageCreated | PinnedMessageDeleted | PollUpdate | PollDelete | Subscription | ChannelSubscription | GiftedSubscriptions | LuckyUsersWhoGotGiftSubscriptions | GiftsLeaderboardUpdated | KicksGifted | KicksLeaderboardUpdated | RewardRedeemed | StreamerIsLive | StreamEnd | StreamHost | StreamHosted | ChatMoveToSupportedChannel | FollowersUpdated | GoalCreated | GoalProgressUpdate | GoalAchieved | GoalCanceled | PredictionCreated | PredictionUpdated | NewSubscriberUpdated | NewActivityFeed | ChatMessageSent | LivestreamUpdated | Unknown;

/** Typed listeners: merged into the `KickConnection` class declared above. */
export interface KickConnection {
  on<K extends keyof KickEvents>(name: K, callback: (event: KickEvents[K]) => void): void;
  off<K extends keyof KickEvents>(name: K, callback: (event: KickEvents[K]) => void): void;
}
