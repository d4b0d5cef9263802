//! The stream itself: StreamerIsLive, StreamEnd (StopStreamBroadcast), LivestreamUpdated,
//! StreamHost, StreamHosted, ChatMoveToSupportedChannel, FollowersUpdated, NewActivityFeed.

use super::common::ChannelRef;
use super::macros::kick_struct;
use super::time::Timestamp;
use crate::error::SyntaxError;
use crate::json::field::{Field, Members, object_fields, optional_object};
use crate::json::reader::{Kind, Reader};
use crate::limits::{GIFT_MESSAGE, ID, NAME, SHORT, TITLE, USERNAME};
use crate::text::Text;

kick_struct! {
    /// A livestream's category.
    pub struct Category {
        /// Category id.
        pub id: u64,
        /// Name, e.g. `Slots & Casino`.
        pub name: Text<NAME>,
        /// Slug.
        pub slug: Text<NAME>,
    }
}
object_fields!(Category { b"id" => id, b"name" => name, b"slug" => slug });
optional_object!(Category);

kick_struct! {
    /// A livestream as the stream events describe it.
    pub struct Livestream {
        /// Livestream id.
        pub id: u64,
        /// Channel id.
        pub channel_id: Option<u64>,
        /// Slug of the livestream.
        pub slug: Option<Text<NAME>>,
        /// Title.
        pub session_title: Text<TITLE>,
        /// Whether it is live.
        pub is_live: Option<bool>,
        /// Current viewers (`viewer_count` or `viewers`).
        pub viewer_count: Option<u64>,
        /// Language.
        pub language: Option<Text<SHORT>>,
        /// Mature content.
        pub is_mature: Option<bool>,
        /// When it started.
        pub created_at: Option<Timestamp>,
        /// Category.
        pub category: Option<Category>,
    }
}
object_fields!(Livestream {
    b"id" => id,
    b"channel_id" => channel_id,
    b"slug" => slug,
    b"session_title" => session_title,
    b"is_live" => is_live,
    b"viewer_count" | b"viewers" => viewer_count,
    b"language" => language,
    b"is_mature" => is_mature,
    b"created_at" => created_at,
    b"category" => category,
});
optional_object!(Livestream);

kick_struct! {
    /// `StreamerIsLive`: the stream started.
    pub struct StreamerIsLive {
        /// The new livestream.
        pub livestream: Livestream,
    }
}
object_fields!(StreamerIsLive { b"livestream" => livestream });

kick_struct! {
    /// `livestream` of [`StreamEnd`].
    pub struct EndedLivestream {
        /// Livestream id.
        pub id: u64,
        /// Its channel.
        pub channel: Option<ChannelRef>,
    }
}
object_fields!(EndedLivestream { b"id" => id, b"channel" => channel });

kick_struct! {
    /// `StopStreamBroadcast`: the stream ended.
    pub struct StreamEnd {
        /// The livestream that ended.
        pub livestream: EndedLivestream,
    }
}
object_fields!(StreamEnd { b"livestream" => livestream });

kick_struct! {
    /// `LivestreamUpdated` (`{"livestream":{…}}`) and `LiveStream\UpdatedLiveStreamEvent` (the
    /// same fields, not wrapped): title, category or viewers changed.
    pub struct LivestreamUpdated {
        /// The livestream now.
        pub livestream: Livestream,
    }
}

impl Field for LivestreamUpdated {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Object {
            return r.skip_value();
        }
        r.object(|r, key| match key {
            b"livestream" => self.livestream.read(r),
            _ => self.livestream.read_member(r, key),
        })
    }
}

kick_struct! {
    /// `StreamHostEvent`: another channel hosts this one (chatroom side).
    pub struct StreamHost {
        /// Chatroom id.
        pub chatroom_id: u64,
        /// The host's message.
        pub optional_message: Option<Text<GIFT_MESSAGE>>,
        /// Viewers brought.
        pub number_viewers: Option<u64>,
        /// Who hosts.
        pub host_username: Text<USERNAME>,
    }
}
object_fields!(StreamHost {
    b"chatroom_id" => chatroom_id,
    b"optional_message" => optional_message,
    b"number_viewers" => number_viewers,
    b"host_username" => host_username,
});

kick_struct! {
    /// `message` of [`StreamHosted`].
    pub struct HostMessage {
        /// Id.
        pub id: Text<ID>,
        /// Viewers brought.
        #[cfg_attr(feature = "serde", serde(rename = "numberOfViewers"))]
        pub number_of_viewers: Option<u64>,
        /// The host's message.
        #[cfg_attr(feature = "serde", serde(rename = "optionalMessage"))]
        pub optional_message: Option<Text<GIFT_MESSAGE>>,
        /// When.
        #[cfg_attr(feature = "serde", serde(rename = "createdAt"))]
        pub created_at: Option<Timestamp>,
    }
}
object_fields!(HostMessage {
    b"id" => id,
    b"numberOfViewers" | b"number_of_viewers" => number_of_viewers,
    b"optionalMessage" | b"optional_message" => optional_message,
    b"createdAt" | b"created_at" => created_at,
});

kick_struct! {
    /// `user` of [`StreamHosted`].
    pub struct HostUser {
        /// User id.
        pub id: u64,
        /// Username.
        pub username: Text<USERNAME>,
    }
}
object_fields!(HostUser { b"id" => id, b"username" => username });

kick_struct! {
    /// `StreamHostedEvent`: another channel hosts this one (the same host as [`StreamHost`],
    /// sent on the other channel name: show one alert, not two).
    pub struct StreamHosted {
        /// The host message.
        pub message: HostMessage,
        /// Who hosts.
        pub user: HostUser,
    }
}
object_fields!(StreamHosted { b"message" => message, b"user" => user });

kick_struct! {
    /// `hosted` of [`ChatMoveToSupportedChannel`]: the channel chat moves to.
    pub struct HostedChannel {
        /// Id.
        pub id: u64,
        /// Username.
        pub username: Text<USERNAME>,
        /// Slug.
        pub slug: Text<USERNAME>,
        /// Its viewers.
        pub viewers_count: Option<u64>,
        /// Whether it is live.
        pub is_live: Option<bool>,
        /// Its category name.
        pub category: Option<Text<NAME>>,
    }
}
object_fields!(HostedChannel {
    b"id" => id,
    b"username" => username,
    b"slug" => slug,
    b"viewers_count" => viewers_count,
    b"is_live" => is_live,
    b"category" => category,
});

kick_struct! {
    /// `ChatMoveToSupportedChannelEvent`: the streamer raided another channel; chat moves there.
    pub struct ChatMoveToSupportedChannel {
        /// This channel (its secret `playback_url` is never kept).
        /// In JSON this is `channel_info`: `channel` names the channel the event came on.
        #[cfg_attr(feature = "serde", serde(rename = "channel_info"))]
        pub channel: Option<ChannelRef>,
        /// Slug of the channel chat moves to.
        pub slug: Text<USERNAME>,
        /// The channel chat moves to.
        pub hosted: HostedChannel,
    }
}
object_fields!(ChatMoveToSupportedChannel { b"channel" => channel, b"slug" => slug, b"hosted" => hosted });

kick_struct! {
    /// `FollowersUpdated`: someone followed or unfollowed.
    pub struct FollowersUpdated {
        /// Followers now.
        #[cfg_attr(feature = "serde", serde(rename = "followersCount"))]
        pub followers_count: Option<u64>,
        /// Channel id.
        pub channel_id: u64,
        /// Who, when Kick says (usually `null`).
        pub username: Option<Text<USERNAME>>,
        /// When.
        pub created_at: Option<Timestamp>,
        /// `true` for a follow, `false` for an unfollow.
        pub followed: Option<bool>,
    }
}
object_fields!(FollowersUpdated {
    b"followersCount" | b"followers_count" => followers_count,
    b"channel_id" => channel_id,
    b"username" => username,
    b"created_at" => created_at,
    b"followed" => followed,
});

kick_struct! {
    /// `NewActivityFeedEvent`: an entry for the streamer's activity feed.
    pub struct NewActivityFeed {
        /// Channel id.
        pub channel_id: u64,
        /// Kind, e.g. `new_subscriber`.
        /// (In JSON `activity_type`: `type` names the event.)
        #[cfg_attr(feature = "serde", serde(rename = "activity_type"))]
        pub kind: Text<SHORT>,
        /// Who.
        pub username: Text<USERNAME>,
        /// When.
        pub created_at: Option<Timestamp>,
    }
}
object_fields!(NewActivityFeed {
    b"channel_id" => channel_id,
    b"type" => kind,
    b"username" => username,
    b"created_at" => created_at,
});
