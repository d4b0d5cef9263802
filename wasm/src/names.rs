//! Names JavaScript sees: kick-live-connector's event names, the transports and the states,
//! sent once at start-up so that records can carry small numbers instead.

use kickwire_proto::conn::State;
use kickwire_proto::kick::EventKind;

use crate::json::Json;
use crate::shared;

/// Every known event with the name listeners use: kick-live-connector's where it has one
/// (`UserUnBanned`, spelled as it spells it), else Kick's own without `Event`.
const KINDS: [(EventKind, &str); 35] = [
    (EventKind::ChatMessage, "ChatMessage"),
    (EventKind::MessageDeleted, "MessageDeleted"),
    (EventKind::UserBanned, "UserBanned"),
    (EventKind::UserUnbanned, "UserUnBanned"),
    (EventKind::ChatroomClear, "ChatroomClear"),
    (EventKind::ChatroomUpdated, "ChatroomUpdated"),
    (EventKind::ChatSettingsChanged, "ChatSettingsChanged"),
    (EventKind::PinnedMessageCreated, "PinnedMessageCreated"),
    (EventKind::PinnedMessageDeleted, "PinnedMessageDeleted"),
    (EventKind::PollUpdate, "PollUpdate"),
    (EventKind::PollDelete, "PollDelete"),
    (EventKind::Subscription, "Subscription"),
    (EventKind::ChannelSubscription, "ChannelSubscription"),
    (EventKind::GiftedSubscriptions, "GiftedSubscriptions"),
    (
        EventKind::LuckyUsersWhoGotGiftSubscriptions,
        "LuckyUsersWhoGotGiftSubscriptions",
    ),
    (
        EventKind::GiftsLeaderboardUpdated,
        "GiftsLeaderboardUpdated",
    ),
    (EventKind::KicksGifted, "KicksGifted"),
    (
        EventKind::KicksLeaderboardUpdated,
        "KicksLeaderboardUpdated",
    ),
    (EventKind::RewardRedeemed, "RewardRedeemed"),
    (EventKind::StreamerIsLive, "StreamerIsLive"),
    (EventKind::StreamEnd, "StreamEnd"),
    (EventKind::StreamHost, "StreamHost"),
    (EventKind::StreamHosted, "StreamHosted"),
    (
        EventKind::ChatMoveToSupportedChannel,
        "ChatMoveToSupportedChannel",
    ),
    (EventKind::FollowersUpdated, "FollowersUpdated"),
    (EventKind::GoalCreated, "GoalCreated"),
    (EventKind::GoalProgressUpdate, "GoalProgressUpdate"),
    (EventKind::GoalAchieved, "GoalAchieved"),
    (EventKind::GoalCanceled, "GoalCanceled"),
    (EventKind::PredictionCreated, "PredictionCreated"),
    (EventKind::PredictionUpdated, "PredictionUpdated"),
    (EventKind::NewSubscriberUpdated, "NewSubscriberUpdated"),
    (EventKind::NewActivityFeed, "NewActivityFeed"),
    (EventKind::ChatMessageSent, "ChatMessageSent"),
    (EventKind::LivestreamUpdated, "LivestreamUpdated"),
];

/// The name of events kickwire does not know (their wire name comes with them).
const UNKNOWN: &str = "Unknown";

const STATES: [State; 6] = [
    State::Initialized,
    State::Connecting,
    State::Connected,
    State::Unavailable,
    State::Disconnected,
    State::Failed,
];

/// The number a record carries for `kind`: its place in [`KINDS`], or `KINDS.len()` for
/// unknown names.
pub(crate) fn kind_index(kind: EventKind) -> u8 {
    KINDS
        .iter()
        .position(|(k, _)| *k == kind)
        .unwrap_or(KINDS.len()) as u8
}

/// The number [`kw_state`](crate::conn::kw_state) answers for `state`.
pub(crate) fn state_index(state: State) -> u32 {
    STATES.iter().position(|s| *s == state).unwrap_or(0) as u32
}

/// Writes `{"kinds":[...],"states":[...]}` to the output: the tables behind the numbers.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_names() -> u32 {
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    j.raw("{\"kinds\":[");
    for (_, name) in KINDS {
        j.str(name).raw(",");
    }
    j.str(UNKNOWN).raw("],\"states\":[");
    for (i, s) in STATES.iter().enumerate() {
        if i > 0 {
            j.raw(",");
        }
        j.str(s.as_str());
    }
    j.raw("]}");
    j.finish()
}

/// Writes the JSON array of the channel names one chat's events come on (proto's
/// `Ids::channels`): what a connection joins unless told otherwise.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_channels(chatroom_id: f64, channel_id: f64) -> u32 {
    let ids = kickwire_proto::kick::channels::Ids::new(chatroom_id as u64, channel_id as u64);
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    let mut sep = "[";
    for kind in kickwire_proto::kick::channels::ChannelKind::ALL {
        j.raw(sep).str(&kind.name(ids));
        sep = ",";
    }
    j.raw("]");
    j.finish()
}
