//! Kicks (the paid gift currency), gift leaderboards and channel-point rewards: KicksGifted,
//! KicksLeaderboardUpdated, GiftsLeaderboardUpdated, RewardRedeemed.

use super::common::ChannelRef;
use super::macros::kick_struct;
use super::time::Timestamp;
use crate::json::field::object_fields;
use crate::limits::{GIFT_MESSAGE, ID, LEADERBOARD, NAME, SHORT, TITLE, USERNAME};
use crate::text::{List, Text};

kick_struct! {
    /// One leaderboard row.
    pub struct LeaderboardEntry {
        /// User id.
        pub user_id: u64,
        /// Username.
        pub username: Text<USERNAME>,
        /// Subs or Kicks gifted.
        pub quantity: u64,
    }
}
object_fields!(LeaderboardEntry { b"user_id" => user_id, b"username" => username, b"quantity" => quantity });

/// A top-N leaderboard; [`List::total`] counts every row Kick sent.
pub type Leaderboard = List<LeaderboardEntry, LEADERBOARD>;

kick_struct! {
    /// `GiftsLeaderboardUpdated`: the sub-gift leaderboards after a gift.
    pub struct GiftsLeaderboardUpdated {
        /// The channel (older frames only; its secret `playback_url` is never kept).
        /// In JSON this is `channel_info`: `channel` names the channel the event came on.
        #[cfg_attr(feature = "serde", serde(rename = "channel_info"))]
        pub channel: Option<ChannelRef>,
        /// All-time leaderboard.
        pub leaderboard: Leaderboard,
        /// This week's.
        pub weekly_leaderboard: Leaderboard,
        /// This month's.
        pub monthly_leaderboard: Leaderboard,
        /// Who just gifted.
        pub gifter_id: Option<u64>,
        /// Their username (newer frames).
        pub gifter_username: Option<Text<USERNAME>>,
        /// How many subs they just gifted.
        pub gifted_quantity: Option<u32>,
    }
}
object_fields!(GiftsLeaderboardUpdated {
    b"channel" => channel,
    b"leaderboard" => leaderboard,
    b"weekly_leaderboard" => weekly_leaderboard,
    b"monthly_leaderboard" => monthly_leaderboard,
    b"gifter_id" => gifter_id,
    b"gifter_username" => gifter_username,
    b"gifted_quantity" => gifted_quantity,
});

kick_struct! {
    /// The sender of a Kicks gift.
    pub struct KicksSender {
        /// User id.
        pub id: u64,
        /// Username.
        pub username: Text<USERNAME>,
        /// Username colour.
        pub username_color: Text<SHORT>,
    }
}
object_fields!(KicksSender { b"id" => id, b"username" => username, b"username_color" => username_color });

kick_struct! {
    /// What was gifted.
    pub struct Gift {
        /// Gift id, e.g. `pack_it_up`.
        pub gift_id: Text<NAME>,
        /// Display name, e.g. `Pack It Up`.
        pub name: Text<NAME>,
        /// Price in Kicks.
        pub amount: u64,
        /// `BASIC`, `LEVEL_UP`, ...
        #[cfg_attr(feature = "serde", serde(rename = "type"))]
        pub kind: Text<SHORT>,
        /// `BASIC`, `MID`, ...
        pub tier: Text<SHORT>,
        /// Longest message allowed with it.
        pub character_limit: Option<u32>,
        /// How long the gift stays pinned, in nanoseconds as Kick sends it (a Go duration):
        /// `1200000000000` is 20 minutes. See [`Gift::pinned_millis`].
        pub pinned_time: Option<u64>,
    }
}
object_fields!(Gift {
    b"gift_id" => gift_id,
    b"name" => name,
    b"amount" => amount,
    b"type" => kind,
    b"tier" => tier,
    b"character_limit" => character_limit,
    b"pinned_time" => pinned_time,
});

impl Gift {
    /// [`pinned_time`](Self::pinned_time) in milliseconds.
    #[must_use]
    pub fn pinned_millis(&self) -> Option<u64> {
        self.pinned_time.map(|ns| ns / 1_000_000)
    }
}

kick_struct! {
    /// `KicksGifted`: a viewer sent a Kicks gift, maybe with a message.
    pub struct KicksGifted {
        /// Transaction id.
        pub gift_transaction_id: Text<ID>,
        /// The viewer's message (may be empty or absent).
        pub message: Text<GIFT_MESSAGE>,
        /// Who sent it.
        pub sender: KicksSender,
        /// What was sent.
        pub gift: Gift,
        /// When.
        pub created_at: Option<Timestamp>,
        /// When its pin ends.
        pub expires_at: Option<Timestamp>,
    }
}
object_fields!(KicksGifted {
    b"gift_transaction_id" => gift_transaction_id,
    b"message" => message,
    b"sender" => sender,
    b"gift" => gift,
    b"created_at" => created_at,
    b"expires_at" => expires_at,
});

kick_struct! {
    /// `KicksLeaderboardUpdated`: the Kicks leaderboards after a gift.
    pub struct KicksLeaderboardUpdated {
        /// All-time.
        pub gifts_lifetime: Leaderboard,
        /// This week.
        pub gifts_week: Leaderboard,
        /// This month.
        pub gifts_month: Leaderboard,
    }
}
object_fields!(KicksLeaderboardUpdated {
    b"gifts_lifetime" => gifts_lifetime,
    b"gifts_week" => gifts_week,
    b"gifts_month" => gifts_month,
});

kick_struct! {
    /// `RewardRedeemedEvent`: a viewer redeemed a channel-points reward.
    pub struct RewardRedeemed {
        /// The reward.
        pub reward_title: Text<TITLE>,
        /// User id.
        pub user_id: u64,
        /// Channel id.
        pub channel_id: u64,
        /// Username.
        pub username: Text<USERNAME>,
        /// What the viewer typed, if the reward asks for it.
        pub user_input: Text<GIFT_MESSAGE>,
        /// The reward's colour.
        pub reward_background_color: Text<SHORT>,
    }
}
object_fields!(RewardRedeemed {
    b"reward_title" => reward_title,
    b"user_id" => user_id,
    b"channel_id" => channel_id,
    b"username" => username,
    b"user_input" => user_input,
    b"reward_background_color" => reward_background_color,
});
