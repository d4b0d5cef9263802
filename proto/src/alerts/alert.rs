//! What happened, once: the [`Alert`] a machine hands out, one per happening whatever number
//! of copies Kick sent of it. Its JSON form (feature `serde`) is in `json.rs`.

use crate::kick::{Outcome, PollOption};
use crate::limits::{
    ALERT_RECIPIENTS, GIFT_MESSAGE, ID, MESSAGE, NAME, OPTIONS, SHORT, TITLE, USERNAME,
};
use crate::text::{List, Text};

/// Declares an alert's struct with the derives they all carry; the JSON names are camelCase.
macro_rules! alert_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }
    };
}

/// One happening on the channel. Kick's copies of it (five for a sub, two for a host, the
/// chunks of a gift, a chat line sent again) are one alert.
///
/// Every alert has the same size (no allocation: the queue holds them inline), that of the
/// largest kind; a chat line is one of the largest, so boxing the rest would save nothing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(tag = "alert"))]
#[allow(clippy::large_enum_variant)]
pub enum Alert {
    /// A chat message.
    Chat(Chat),
    /// A subscription or a renewal.
    Subscription(Subscription),
    /// Gifted subscriptions, chunks joined.
    GiftedSubscriptions(GiftedSubscriptions),
    /// A Kicks gift.
    KicksGift(KicksGift),
    /// Another channel hosts this one.
    Host(Host),
    /// A channel-points reward redeemed.
    Reward(Reward),
    /// A ban or a timeout.
    Ban(Ban),
    /// A ban or timeout lifted.
    Unban(Unban),
    /// A chat message removed.
    MessageDeleted(MessageDeleted),
    /// The chat cleared.
    ChatClear,
    /// A message pinned above chat.
    Pinned(Pinned),
    /// The pin removed.
    Unpinned,
    /// A poll started or its votes changed.
    Poll(Poll),
    /// A prediction started, changed, locked or resolved.
    Prediction(Prediction),
    /// A channel goal created, progressing, reached or canceled.
    Goal(Goal),
    /// The stream went live.
    Live(Live),
    /// The stream ended.
    End,
    /// A viewer followed the channel: only Kick's webhooks tell it (the realtime feed has no
    /// follow event; see [`Alerts::handle_official`](crate::alerts::Alerts::handle_official)).
    Follow(Follow),
}

alert_struct! {
    /// A chat message, and whether it is its author's first since the stream went live.
    pub struct Chat {
        /// Message id.
        pub id: Text<ID>,
        /// Who wrote it.
        pub username: Text<USERNAME>,
        /// Text with `[emote:ID:NAME]` tokens (see [`kick::Parts`](crate::kick::Parts)).
        pub content: Text<MESSAGE>,
        /// The author's first message since the stream went live (or since the machine
        /// started); never claimed twice for one author (see
        /// [`limits::ALERT_USERS`](crate::limits::ALERT_USERS)).
        pub first_words: bool,
    }
}

alert_struct! {
    /// A subscription or a renewal.
    pub struct Subscription {
        /// Who subscribed.
        pub username: Text<USERNAME>,
        /// Months subscribed in total, when Kick says.
        pub months: Option<u32>,
    }
}

alert_struct! {
    /// Subscriptions gifted in one go, its chunks joined.
    pub struct GiftedSubscriptions {
        /// Who gifted.
        pub gifter: Text<USERNAME>,
        /// How many subs: the sum of the joined chunks' recipients, exact.
        pub count: u32,
        /// The first recipients; [`List::total`] is `count`.
        pub recipients: List<Text<USERNAME>, ALERT_RECIPIENTS>,
        /// How many of Kick's events were joined into this alert (1 for a gift in one piece).
        pub chunks: u32,
        /// Whether every chunk came (`false`: sent after the wait for a missing chunk, or at
        /// the end of a replay, with what had come).
        pub complete: bool,
    }
}

alert_struct! {
    /// A Kicks gift.
    pub struct KicksGift {
        /// Who sent it.
        pub sender: Text<USERNAME>,
        /// The gift's name, e.g. `Pack It Up`.
        pub gift: Text<NAME>,
        /// Its price in Kicks.
        pub amount: u64,
        /// The sender's message (may be empty).
        pub message: Text<GIFT_MESSAGE>,
    }
}

alert_struct! {
    /// Another channel hosts this one.
    pub struct Host {
        /// The hosting channel's username.
        pub host: Text<USERNAME>,
        /// Viewers it brings, when Kick says.
        pub viewers: Option<u64>,
        /// The host's message.
        pub message: Option<Text<GIFT_MESSAGE>>,
    }
}

alert_struct! {
    /// A channel-points reward redeemed.
    pub struct Reward {
        /// Who redeemed it.
        pub username: Text<USERNAME>,
        /// The reward.
        pub title: Text<TITLE>,
        /// What they typed, if the reward asks for it.
        pub input: Text<GIFT_MESSAGE>,
    }
}

alert_struct! {
    /// A ban or a timeout.
    pub struct Ban {
        /// Who was banned.
        pub username: Text<USERNAME>,
        /// Who banned them (empty or a bot for Kick's own moderation).
        pub by: Text<USERNAME>,
        /// A ban, not a timeout ([`UserBanned::is_permanent`](crate::kick::UserBanned::is_permanent)).
        pub permanent: bool,
        /// A timeout's length in minutes.
        pub duration: Option<u64>,
    }
}

alert_struct! {
    /// A ban or timeout lifted.
    pub struct Unban {
        /// Who was unbanned.
        pub username: Text<USERNAME>,
        /// Who lifted it.
        pub by: Text<USERNAME>,
    }
}

alert_struct! {
    /// A chat message removed.
    pub struct MessageDeleted {
        /// The removed message's id (a [`Chat`]'s `id`).
        pub id: Text<ID>,
    }
}

alert_struct! {
    /// A message pinned above chat.
    pub struct Pinned {
        /// Who wrote the message.
        pub username: Text<USERNAME>,
        /// Its text.
        pub content: Text<MESSAGE>,
        /// How long it stays pinned, in seconds.
        pub duration: Option<u64>,
    }
}

alert_struct! {
    /// A poll now.
    pub struct Poll {
        /// The question.
        pub title: Text<TITLE>,
        /// Options with their votes; [`List::total`] counts all of them.
        pub options: List<PollOption, OPTIONS>,
        /// Seconds left.
        pub remaining: Option<u64>,
    }
}

alert_struct! {
    /// A prediction now.
    pub struct Prediction {
        /// The question.
        pub title: Text<TITLE>,
        /// `ACTIVE`, `LOCKED`, `RESOLVED`, `CANCELLED`...
        pub state: Text<SHORT>,
        /// Outcomes; [`List::total`] counts all of them.
        pub outcomes: List<Outcome, OPTIONS>,
        /// The winning outcome's id, once resolved.
        pub winning_outcome_id: Option<Text<ID>>,
    }
}

/// Which goal event an [`Alert::Goal`] comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum GoalStage {
    /// `GoalCreated`.
    Created,
    /// `GoalProgressUpdate`.
    #[default]
    Progress,
    /// `GoalAchieved`.
    Achieved,
    /// `GoalCanceled`.
    Canceled,
}

alert_struct! {
    /// A channel goal now.
    pub struct Goal {
        /// Which goal event this is.
        pub stage: GoalStage,
        /// `followers`, `subscribers`, ... (JSON `goalType`).
        pub goal_type: Text<SHORT>,
        /// Progress.
        pub current: Option<u64>,
        /// Target.
        pub target: Option<u64>,
        /// The channel's follower count, from a `followers` goal's progress: Kick no longer
        /// sends `FollowersUpdated`, and this is where the count is now.
        pub followers: Option<u64>,
    }
}

alert_struct! {
    /// The stream went live.
    pub struct Live {
        /// Its title.
        pub title: Text<TITLE>,
    }
}

alert_struct! {
    /// A viewer followed the channel.
    pub struct Follow {
        /// Who followed.
        pub username: Text<USERNAME>,
    }
}

impl Alert {
    /// The alert's kind as its JSON `"alert"` member names it (`"Chat"`, `"Host"`, ...).
    #[must_use]
    pub const fn kind_name(&self) -> &'static str {
        match self {
            Self::Chat(_) => "Chat",
            Self::Subscription(_) => "Subscription",
            Self::GiftedSubscriptions(_) => "GiftedSubscriptions",
            Self::KicksGift(_) => "KicksGift",
            Self::Host(_) => "Host",
            Self::Reward(_) => "Reward",
            Self::Ban(_) => "Ban",
            Self::Unban(_) => "Unban",
            Self::MessageDeleted(_) => "MessageDeleted",
            Self::ChatClear => "ChatClear",
            Self::Pinned(_) => "Pinned",
            Self::Unpinned => "Unpinned",
            Self::Poll(_) => "Poll",
            Self::Prediction(_) => "Prediction",
            Self::Goal(_) => "Goal",
            Self::Live(_) => "Live",
            Self::End => "End",
            Self::Follow(_) => "Follow",
        }
    }
}
