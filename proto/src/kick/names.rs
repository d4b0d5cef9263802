//! Kick's event names, in one table. Kick sends most with an `App\Events\` prefix and some
//! without (`KicksGifted`, `GiftedSubscriptionsEvent`); both spellings map to one [`EventKind`].

/// The prefix Laravel puts on broadcast event names.
pub const PREFIX: &str = "App\\Events\\";

/// Which event a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[allow(missing_docs)] // each variant is named for the event it stands for
pub enum EventKind {
    ChatMessage,
    MessageDeleted,
    UserBanned,
    UserUnbanned,
    ChatroomClear,
    ChatroomUpdated,
    ChatSettingsChanged,
    PinnedMessageCreated,
    PinnedMessageDeleted,
    PollUpdate,
    PollDelete,
    Subscription,
    ChannelSubscription,
    GiftedSubscriptions,
    LuckyUsersWhoGotGiftSubscriptions,
    GiftsLeaderboardUpdated,
    KicksGifted,
    KicksLeaderboardUpdated,
    RewardRedeemed,
    StreamerIsLive,
    StreamEnd,
    StreamHost,
    StreamHosted,
    ChatMoveToSupportedChannel,
    FollowersUpdated,
    GoalCreated,
    GoalProgressUpdate,
    GoalAchieved,
    GoalCanceled,
    PredictionCreated,
    PredictionUpdated,
    NewSubscriberUpdated,
    NewActivityFeed,
    ChatMessageSent,
    LivestreamUpdated,
    /// Any other name.
    Unknown,
}

impl EventKind {
    /// Looks up a wire name, with or without the `App\Events\` prefix and the `Event` suffix.
    ///
    /// ```
    /// use kickwire_proto::kick::EventKind;
    /// assert_eq!(EventKind::from_name("App\\Events\\ChatMessageEvent"), EventKind::ChatMessage);
    /// assert_eq!(EventKind::from_name("GiftedSubscriptionsEvent"), EventKind::GiftedSubscriptions);
    /// assert_eq!(EventKind::from_name("App\\Events\\StopStreamBroadcast"), EventKind::StreamEnd);
    /// assert_eq!(EventKind::from_name("pusher:ping"), EventKind::Unknown);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Self {
        let base = name.strip_prefix(PREFIX).unwrap_or(name);
        let base = base.strip_suffix("Event").unwrap_or(base);
        match base {
            "ChatMessage" => Self::ChatMessage,
            "MessageDeleted" => Self::MessageDeleted,
            "UserBanned" => Self::UserBanned,
            "UserUnbanned" => Self::UserUnbanned,
            "ChatroomClear" => Self::ChatroomClear,
            "ChatroomUpdated" => Self::ChatroomUpdated,
            "ChatSettingsChanged" => Self::ChatSettingsChanged,
            "PinnedMessageCreated" => Self::PinnedMessageCreated,
            "PinnedMessageDeleted" => Self::PinnedMessageDeleted,
            "PollUpdate" => Self::PollUpdate,
            "PollDelete" => Self::PollDelete,
            "Subscription" => Self::Subscription,
            "ChannelSubscription" => Self::ChannelSubscription,
            "GiftedSubscriptions" => Self::GiftedSubscriptions,
            "LuckyUsersWhoGotGiftSubscriptions" => Self::LuckyUsersWhoGotGiftSubscriptions,
            "GiftsLeaderboardUpdated" => Self::GiftsLeaderboardUpdated,
            "KicksGifted" => Self::KicksGifted,
            "KicksLeaderboardUpdated" => Self::KicksLeaderboardUpdated,
            "RewardRedeemed" => Self::RewardRedeemed,
            "StreamerIsLive" => Self::StreamerIsLive,
            "StopStreamBroadcast" => Self::StreamEnd,
            "StreamHost" => Self::StreamHost,
            "StreamHosted" => Self::StreamHosted,
            "ChatMoveToSupportedChannel" => Self::ChatMoveToSupportedChannel,
            "FollowersUpdated" => Self::FollowersUpdated,
            "GoalCreated" => Self::GoalCreated,
            "GoalProgressUpdate" | "GoalProgressUpdated" => Self::GoalProgressUpdate,
            "GoalAchieved" => Self::GoalAchieved,
            "GoalCanceled" | "GoalCancelled" => Self::GoalCanceled,
            "PredictionCreated" => Self::PredictionCreated,
            "PredictionUpdated" => Self::PredictionUpdated,
            "NewSubscriberUpdated" => Self::NewSubscriberUpdated,
            "NewActivityFeed" => Self::NewActivityFeed,
            "ChatMessageSent" => Self::ChatMessageSent,
            "LivestreamUpdated" | "LiveStream\\UpdatedLiveStream" => Self::LivestreamUpdated,
            _ => Self::Unknown,
        }
    }
}
