//! Small shapes shared by several events: user and channel references.

use super::macros::kick_struct;
use crate::json::field::{object_fields, optional_object};
use crate::limits::{ID, USERNAME};
use crate::text::Text;

kick_struct! {
    /// A user as moderation events name one: `{"id","username","slug"}`.
    pub struct UserRef {
        /// User id (`0` for Kick's own system actions).
        pub id: u64,
        /// Display username.
        pub username: Text<USERNAME>,
        /// URL slug; differs from the username (`kemushi_kz` -> `kemushi-kz`).
        pub slug: Text<USERNAME>,
    }
}
object_fields!(UserRef { b"id" => id, b"username" => username, b"slug" => slug });

kick_struct! {
    /// A channel as events embed one (`channel.id`, `user_id`, `slug`). Kick's channel objects
    /// also carry `playback_url`, a signed stream URL: it is a secret and is never kept.
    pub struct ChannelRef {
        /// Channel id.
        pub id: u64,
        /// The owner's user id.
        pub user_id: Option<u64>,
        /// Channel slug.
        pub slug: Text<USERNAME>,
        /// Whether the channel is banned.
        pub is_banned: Option<bool>,
    }
}
object_fields!(ChannelRef {
    b"id" => id,
    b"user_id" => user_id,
    b"slug" => slug,
    b"is_banned" => is_banned,
});
optional_object!(ChannelRef);

kick_struct! {
    /// `{"id": "..."}`: a reference to a message by id.
    pub struct MessageRef {
        /// The message id (a UUID).
        pub id: Text<ID>,
    }
}
object_fields!(MessageRef { b"id" => id });
