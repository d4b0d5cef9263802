//! Chat messages and what happens to them: ChatMessage, MessageDeleted, PinnedMessageCreated,
//! PinnedMessageDeleted, ChatMessageSent.

use super::common::MessageRef;
use super::content::Parts;
use super::macros::kick_struct;
use super::time::Timestamp;
use crate::json::field::{object_fields, optional_object};
use crate::limits::{BADGES, GIFT_MESSAGE, ID, MESSAGE, RULES, SHORT, USERNAME};
use crate::text::{List, Text};

kick_struct! {
    /// One chat badge: `{"type":"subscriber","text":"Subscriber","count":26}`.
    pub struct Badge {
        /// Badge kind: `moderator`, `vip`, `og`, `founder`, `subscriber`, `sub_gifter`, ...
        #[cfg_attr(feature = "serde", serde(rename = "type"))]
        pub kind: Text<SHORT>,
        /// Label as Kick shows it.
        pub text: Text<SHORT>,
        /// Months subscribed or subs gifted, for the badges that count.
        pub count: Option<u32>,
    }
}
object_fields!(Badge { b"type" => kind, b"text" => text, b"count" => count });

kick_struct! {
    /// How a sender looks in chat.
    pub struct Identity {
        /// Username colour, `#RRGGBB`.
        pub color: Text<SHORT>,
        /// Badges in Kick's order; [`List::total`] counts all of them.
        pub badges: List<Badge, BADGES>,
    }
}
object_fields!(Identity { b"color" => color, b"badges" => badges });

kick_struct! {
    /// The author of a chat message.
    pub struct Sender {
        /// User id.
        pub id: u64,
        /// Display username.
        pub username: Text<USERNAME>,
        /// URL slug (differs from the username: `MARIA_O2` -> `maria-o2`).
        pub slug: Text<USERNAME>,
        /// Colour and badges.
        pub identity: Identity,
    }
}
object_fields!(Sender { b"id" => id, b"username" => username, b"slug" => slug, b"identity" => identity });
optional_object!(Sender);

kick_struct! {
    /// Who wrote the message a reply answers.
    pub struct OriginalSender {
        /// User id.
        pub id: u64,
        /// Username.
        pub username: Text<USERNAME>,
    }
}
object_fields!(OriginalSender { b"id" => id, b"username" => username });
optional_object!(OriginalSender);

kick_struct! {
    /// The message a reply answers.
    pub struct OriginalMessage {
        /// Message id.
        pub id: Text<ID>,
        /// Its text, emote tokens included.
        pub content: Text<MESSAGE>,
    }
}
object_fields!(OriginalMessage { b"id" => id, b"content" => content });
optional_object!(OriginalMessage);

kick_struct! {
    /// A celebration shared in chat (a subscription anniversary).
    pub struct Celebration {
        /// Celebration id (`chceleb_…`).
        pub id: Text<ID>,
        /// Kind, e.g. `subscription_renewed`.
        #[cfg_attr(feature = "serde", serde(rename = "type"))]
        pub kind: Text<SHORT>,
        /// Months subscribed in total.
        pub total_months: Option<u32>,
        /// When it happened.
        pub created_at: Option<Timestamp>,
    }
}
object_fields!(Celebration {
    b"id" => id,
    b"type" => kind,
    b"total_months" => total_months,
    b"created_at" => created_at,
});
optional_object!(Celebration);

kick_struct! {
    /// `metadata` of a chat message: reply context, celebration, client reference.
    pub struct ChatMetadata {
        /// For replies: who wrote the original message.
        pub original_sender: Option<OriginalSender>,
        /// For replies: the original message.
        pub original_message: Option<OriginalMessage>,
        /// For celebrations.
        pub celebration: Option<Celebration>,
        /// The sending client's reference (a millisecond timestamp as a string).
        pub message_ref: Option<Text<ID>>,
    }
}
object_fields!(ChatMetadata {
    b"original_sender" => original_sender,
    b"original_message" => original_message,
    b"celebration" => celebration,
    b"message_ref" => message_ref,
});
optional_object!(ChatMetadata);

kick_struct! {
    /// `ChatMessageEvent`: a message, a reply or a celebration.
    pub struct ChatMessage {
        /// Message id (a UUID).
        pub id: Text<ID>,
        /// Chatroom id.
        pub chatroom_id: u64,
        /// Text with `[emote:ID:NAME]` tokens; see [`ChatMessage::parts`]. Never truncated for a
        /// message within Kick's 500-character limit.
        pub content: Text<MESSAGE>,
        /// `message`, `reply` or `celebration`.
        /// (In JSON `message_type`: `type` names the event.)
        #[cfg_attr(feature = "serde", serde(rename = "message_type"))]
        pub kind: Text<SHORT>,
        /// When it was sent.
        pub created_at: Option<Timestamp>,
        /// Who sent it.
        pub sender: Sender,
        /// Reply / celebration details (`null` or absent on plain messages).
        pub metadata: Option<ChatMetadata>,
    }
}
object_fields!(ChatMessage {
    b"id" => id,
    b"chatroom_id" => chatroom_id,
    b"content" => content,
    b"type" => kind,
    b"created_at" => created_at,
    b"sender" => sender,
    b"metadata" => metadata,
});

impl ChatMessage {
    /// The text and emotes of [`content`](Self::content), in order.
    #[must_use]
    pub fn parts(&self) -> Parts<'_> {
        Parts::new(&self.content)
    }

    /// Whether this message replies to another (see `metadata.original_message`).
    #[must_use]
    pub fn is_reply(&self) -> bool {
        self.kind == "reply"
    }
}

kick_struct! {
    /// `MessageDeletedEvent`: remove a message from view.
    pub struct MessageDeleted {
        /// Id of the deletion.
        pub id: Text<ID>,
        /// The deleted message.
        pub message: MessageRef,
        /// Whether Kick's automatic moderation deleted it.
        #[cfg_attr(feature = "serde", serde(rename = "aiModerated"))]
        pub ai_moderated: Option<bool>,
        /// The rules it broke, per the automatic moderation.
        #[cfg_attr(feature = "serde", serde(rename = "violatedRules"))]
        pub violated_rules: List<Text<SHORT>, RULES>,
    }
}
object_fields!(MessageDeleted {
    b"id" => id,
    b"message" => message,
    b"aiModerated" | b"ai_moderated" => ai_moderated,
    b"violatedRules" | b"violated_rules" => violated_rules,
});

kick_struct! {
    /// `PinnedMessageCreatedEvent`: a message pinned above chat.
    pub struct PinnedMessageCreated {
        /// The pinned message.
        pub message: ChatMessage,
        /// How long it stays pinned, in seconds (Kick sends `"1200"` as a string).
        pub duration: Option<u64>,
        /// Who pinned it, when Kick says.
        #[cfg_attr(feature = "serde", serde(rename = "pinnedBy"))]
        pub pinned_by: Option<Sender>,
    }
}
object_fields!(PinnedMessageCreated {
    b"message" => message,
    b"duration" => duration,
    b"pinnedBy" | b"pinned_by" => pinned_by,
});

kick_struct! {
    /// `PinnedMessageDeletedEvent`: the pin is gone (Kick's payload is the literal `[]`).
    pub struct PinnedMessageDeleted {}
}

kick_struct! {
    /// One recipient in [`ChatMessageSent`] gift messages.
    pub struct GiftedUser {
        /// Recipient's username.
        pub username: Text<USERNAME>,
        /// Their months subscribed.
        #[cfg_attr(feature = "serde", serde(rename = "monthsSubscribed"))]
        pub months_subscribed: Option<u32>,
    }
}
object_fields!(GiftedUser { b"username" => username, b"monthsSubscribed" | b"months_subscribed" => months_subscribed });

kick_struct! {
    /// The `message` of a [`ChatMessageSent`] event.
    pub struct SentMessage {
        /// Message id.
        pub id: Text<ID>,
        /// Text, if any.
        pub message: Option<Text<MESSAGE>>,
        /// Usually `info`.
        #[cfg_attr(feature = "serde", serde(rename = "type"))]
        pub kind: Text<SHORT>,
        /// Chatroom id.
        pub chatroom_id: u64,
        /// When.
        pub created_at: Option<Timestamp>,
        /// `gift`, `subscribe`, ...
        pub action: Text<SHORT>,
        /// The user's optional message.
        pub optional_message: Option<Text<GIFT_MESSAGE>>,
        /// Months subscribed.
        pub months_subscribed: Option<u32>,
        /// Subscriptions gifted.
        pub subscriptions_count: Option<u32>,
        /// Gift recipients; [`List::total`] counts all of them.
        #[cfg_attr(feature = "serde", serde(rename = "giftedUsers"))]
        pub gifted_users: List<GiftedUser, 16>,
    }
}
object_fields!(SentMessage {
    b"id" => id,
    b"message" => message,
    b"type" => kind,
    b"chatroom_id" => chatroom_id,
    b"created_at" => created_at,
    b"action" => action,
    b"optional_message" => optional_message,
    b"months_subscribed" => months_subscribed,
    b"subscriptions_count" => subscriptions_count,
    b"giftedUsers" | b"gifted_users" => gifted_users,
});

kick_struct! {
    /// The `user` of a [`ChatMessageSent`] event.
    pub struct SentUser {
        /// User id.
        pub id: u64,
        /// Username.
        pub username: Text<USERNAME>,
        /// `user`, `moderator`, ...
        pub role: Text<SHORT>,
        /// Verified account.
        pub verified: Option<bool>,
        /// Founder of the channel.
        pub is_founder: Option<bool>,
        /// Months subscribed.
        pub months_subscribed: Option<u32>,
        /// Subs gifted so far.
        pub quantity_gifted: Option<u32>,
    }
}
object_fields!(SentUser {
    b"id" => id,
    b"username" => username,
    b"role" => role,
    b"verified" => verified,
    b"is_founder" => is_founder,
    b"months_subscribed" => months_subscribed,
    b"quantity_gifted" => quantity_gifted,
});

kick_struct! {
    /// `ChatMessageSentEvent`: an informational chat line about a sub or gift.
    pub struct ChatMessageSent {
        /// The line.
        pub message: SentMessage,
        /// Who it is about.
        pub user: SentUser,
    }
}
object_fields!(ChatMessageSent { b"message" => message, b"user" => user });
