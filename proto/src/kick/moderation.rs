//! Moderation and chat settings: UserBanned, UserUnbanned, ChatroomClear, ChatroomUpdated,
//! ChatSettingsChanged.

use super::common::UserRef;
use super::macros::kick_struct;
use super::time::Timestamp;
use crate::json::field::{object_fields, optional_object};
use crate::limits::{ID, TITLE, USERNAME};
use crate::text::Text;

kick_struct! {
    /// `UserBannedEvent`: a permanent ban or a timeout.
    ///
    /// Kick marks a timeout with `"permanent": false` plus `duration` (minutes) and `expires_at`;
    /// older frames carry neither and are permanent bans. See [`UserBanned::is_permanent`].
    pub struct UserBanned {
        /// Id of the ban.
        pub id: Text<ID>,
        /// Who was banned.
        pub user: UserRef,
        /// Who banned them (id `0` for bots and Kick's own moderation).
        pub banned_by: UserRef,
        /// `false` for a timeout.
        pub permanent: Option<bool>,
        /// Timeout length in minutes.
        pub duration: Option<u64>,
        /// When a timeout ends.
        pub expires_at: Option<Timestamp>,
    }
}
object_fields!(UserBanned {
    b"id" => id,
    b"user" => user,
    b"banned_by" => banned_by,
    b"permanent" => permanent,
    b"duration" => duration,
    b"expires_at" => expires_at,
});

impl UserBanned {
    /// A ban, as opposed to a timeout: `permanent` is true, or absent with no duration or expiry.
    #[must_use]
    pub fn is_permanent(&self) -> bool {
        self.permanent
            .unwrap_or(self.duration.is_none() && self.expires_at.is_none())
    }
}

kick_struct! {
    /// `UserUnbannedEvent`: a ban or timeout was lifted.
    pub struct UserUnbanned {
        /// Id of the unban.
        pub id: Text<ID>,
        /// Who was unbanned.
        pub user: UserRef,
        /// Who lifted it.
        pub unbanned_by: UserRef,
        /// Whether the lifted ban was permanent.
        pub permanent: Option<bool>,
    }
}
object_fields!(UserUnbanned {
    b"id" => id,
    b"user" => user,
    b"unbanned_by" => unbanned_by,
    b"permanent" => permanent,
});

kick_struct! {
    /// `ChatroomClearEvent`: a moderator cleared the chat.
    pub struct ChatroomClear {
        /// Id of the clear action.
        pub id: Text<ID>,
    }
}
object_fields!(ChatroomClear { b"id" => id });

kick_struct! {
    /// One chat mode in [`ChatroomUpdated`]: on/off plus the setting that goes with it.
    pub struct ChatMode {
        /// Whether the mode is on.
        pub enabled: bool,
        /// Slow mode: seconds between messages.
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        pub message_interval: Option<u64>,
        /// Followers mode / account age: minimum minutes.
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        pub min_duration: Option<u64>,
        /// Bot protection: seconds left.
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        pub remaining_time: Option<u64>,
    }
}
object_fields!(ChatMode {
    b"enabled" => enabled,
    b"message_interval" => message_interval,
    b"min_duration" => min_duration,
    b"remaining_time" => remaining_time,
});
optional_object!(ChatMode);

kick_struct! {
    /// `ChatroomUpdatedEvent`: the chat modes now in force (absent modes are `None`).
    pub struct ChatroomUpdated {
        /// Chatroom id.
        pub id: u64,
        /// Slow mode.
        pub slow_mode: Option<ChatMode>,
        /// Subscribers-only mode.
        pub subscribers_mode: Option<ChatMode>,
        /// Followers-only mode.
        pub followers_mode: Option<ChatMode>,
        /// Emotes-only mode.
        pub emotes_mode: Option<ChatMode>,
        /// Advanced bot protection.
        pub advanced_bot_protection: Option<ChatMode>,
        /// Minimum account age.
        pub account_age: Option<ChatMode>,
    }
}
object_fields!(ChatroomUpdated {
    b"id" => id,
    b"slow_mode" => slow_mode,
    b"subscribers_mode" => subscribers_mode,
    b"followers_mode" => followers_mode,
    b"emotes_mode" => emotes_mode,
    b"advanced_bot_protection" => advanced_bot_protection,
    b"account_age" => account_age,
});

kick_struct! {
    /// One setting in [`ChatSettingsChanged`].
    pub struct ChatSetting {
        /// Whether it is on.
        pub enabled: bool,
        /// Its duration in seconds, for the settings that have one.
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        pub duration_seconds: Option<u64>,
    }
}
object_fields!(ChatSetting { b"enabled" => enabled, b"duration_seconds" => duration_seconds });
optional_object!(ChatSetting);

kick_struct! {
    /// The `settings` of [`ChatSettingsChanged`].
    pub struct ChatSettings {
        /// Channel id.
        pub channel_id: u64,
        /// Chat rules text.
        pub rules: Text<TITLE>,
        /// Links allowed.
        pub allow_links: Option<ChatSetting>,
        /// Emotes-only mode.
        pub emotes_only_mode: Option<ChatSetting>,
        /// Followers-only mode (minimum follow time).
        pub followers_only_mode: Option<ChatSetting>,
        /// Minimum account age.
        pub minimum_account_age: Option<ChatSetting>,
        /// Slow mode (seconds between messages).
        pub slow_mode: Option<ChatSetting>,
        /// Subscribers-only mode.
        pub subscribers_only_mode: Option<ChatSetting>,
    }
}
object_fields!(ChatSettings {
    b"channel_id" => channel_id,
    b"rules" => rules,
    b"allow_links" => allow_links,
    b"emotes_only_mode" => emotes_only_mode,
    b"followers_only_mode" => followers_only_mode,
    b"minimum_account_age" => minimum_account_age,
    b"slow_mode" => slow_mode,
    b"subscribers_only_mode" => subscribers_only_mode,
});

kick_struct! {
    /// `{"id","slug"}` of the channel in [`ChatSettingsChanged`].
    pub struct SettingsChannel {
        /// Channel id.
        pub id: u64,
        /// Channel slug.
        pub slug: Text<USERNAME>,
    }
}
object_fields!(SettingsChannel { b"id" => id, b"slug" => slug });

kick_struct! {
    /// `ChatSettingsChanged`: the newer (2026) form of the chat-mode update.
    pub struct ChatSettingsChanged {
        /// Id of the change.
        pub id: Text<ID>,
        /// The channel.
        /// In JSON this is `channel_info`: `channel` names the channel the event came on.
        #[cfg_attr(feature = "serde", serde(rename = "channel_info"))]
        pub channel: SettingsChannel,
        /// The settings now in force.
        pub settings: ChatSettings,
        /// When.
        pub created_at: Option<Timestamp>,
    }
}
object_fields!(ChatSettingsChanged {
    b"id" => id,
    b"channel" => channel,
    b"settings" => settings,
    b"created_at" => created_at,
});
