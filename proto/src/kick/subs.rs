//! Subscriptions and gifted subscriptions: Subscription, ChannelSubscription,
//! GiftedSubscriptions, LuckyUsersWhoGotGiftSubscriptions, NewSubscriberUpdated.

use super::common::ChannelRef;
use super::macros::kick_struct;
use super::payload::object_into;
use crate::error::DecodeError;
use crate::json::field::{object_fields, optional_object};
use crate::json::reader::Reader;
use crate::limits::{GIFT_RECIPIENTS, ID, USER_IDS, USERNAME};
use crate::text::{List, Text};

kick_struct! {
    /// `SubscriptionEvent`: someone subscribed or renewed.
    pub struct Subscription {
        /// Chatroom id.
        pub chatroom_id: u64,
        /// Who subscribed.
        pub username: Text<USERNAME>,
        /// Months subscribed in total.
        pub months: Option<u32>,
    }
}
object_fields!(Subscription { b"chatroom_id" => chatroom_id, b"username" => username, b"months" => months });

kick_struct! {
    /// `ChannelSubscriptionEvent`: the channel-side notice of new subscribers.
    pub struct ChannelSubscription {
        /// The subscribers' user ids; [`List::total`] counts all of them.
        pub user_ids: List<u64, USER_IDS>,
        /// A username (empty for gifts to several users).
        pub username: Text<USERNAME>,
        /// Channel id.
        pub channel_id: u64,
    }
}
object_fields!(ChannelSubscription { b"user_ids" => user_ids, b"username" => username, b"channel_id" => channel_id });

kick_struct! {
    /// `chunk_details` of a big gift sent in several events. Kick has only been seen sending
    /// `null` here; the member names are read leniently.
    pub struct ChunkDetails {
        /// This chunk's index.
        pub chunk_index: Option<u32>,
        /// How many chunks the gift has.
        pub total_chunks: Option<u32>,
    }
}
object_fields!(ChunkDetails {
    b"chunk_index" | b"index" | b"current_chunk" => chunk_index,
    b"total_chunks" | b"chunks_total" | b"total" => total_chunks,
});
optional_object!(ChunkDetails);

kick_struct! {
    /// `GiftedSubscriptionsEvent`: someone gifted subs. Big gifts come in chunks that share a
    /// `correlation_id`.
    pub struct GiftedSubscriptions {
        /// Chatroom id.
        pub chatroom_id: u64,
        /// Recipients; the first [`GIFT_RECIPIENTS`] are kept, see `gifted_count`.
        pub gifted_usernames: List<Text<USERNAME>, GIFT_RECIPIENTS>,
        /// The exact number of recipients in this event, even beyond the list's capacity.
        pub gifted_count: u32,
        /// Who gifted.
        pub gifter_username: Text<USERNAME>,
        /// Subs the gifter has gifted in this channel so far.
        pub gifter_total: Option<u32>,
        /// Subs in the whole gift (all chunks).
        pub gifted_total: Option<u32>,
        /// Shared by the chunks of one gift.
        pub correlation_id: Option<Text<ID>>,
        /// Which chunk this is.
        pub chunk_details: Option<ChunkDetails>,
    }
}
object_fields!(GiftedSubscriptions {
    b"chatroom_id" => chatroom_id,
    b"gifted_usernames" => gifted_usernames,
    b"gifter_username" => gifter_username,
    b"gifter_total" => gifter_total,
    b"gifted_total" => gifted_total,
    b"correlation_id" => correlation_id,
    b"chunk_details" => chunk_details,
});

impl GiftedSubscriptions {
    /// Reads a payload, then fills the derived `gifted_count`: this event's reader in the event
    /// table.
    pub(crate) fn read_payload<const E: bool>(
        &mut self,
        r: &mut Reader<'_, E>,
    ) -> Result<(), DecodeError> {
        object_into(self, r)?;
        self.gifted_count = self.gifted_usernames.total();
        Ok(())
    }
}

kick_struct! {
    /// `LuckyUsersWhoGotGiftSubscriptionsEvent`: the recipients of a gift, channel side.
    pub struct LuckyUsersWhoGotGiftSubscriptions {
        /// The channel (without its secret `playback_url`).
        /// In JSON this is `channel_info`: `channel` names the channel the event came on.
        #[cfg_attr(feature = "serde", serde(rename = "channel_info"))]
        pub channel: Option<ChannelRef>,
        /// Recipients; [`List::total`] counts all of them.
        pub usernames: List<Text<USERNAME>, GIFT_RECIPIENTS>,
        /// Who gifted.
        pub gifter_username: Text<USERNAME>,
    }
}
object_fields!(LuckyUsersWhoGotGiftSubscriptions {
    b"channel" => channel,
    b"usernames" => usernames,
    b"gifter_username" => gifter_username,
});

kick_struct! {
    /// `NewSubscriberUpdatedEvent`: the channel's subscriber count changed.
    pub struct NewSubscriberUpdated {
        /// Channel id.
        pub channel_id: u64,
        /// The newest subscriber.
        pub last_subscriber: Text<USERNAME>,
        /// Subscribers now.
        pub count: Option<u64>,
    }
}
object_fields!(NewSubscriberUpdated { b"channel_id" => channel_id, b"last_subscriber" => last_subscriber, b"count" => count });
