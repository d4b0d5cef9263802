//! The baselines: how Kick clients built on serde decode a frame (pusher-js and
//! kick-live-connector style): parse the envelope, take its `data` string, parse that again into
//! the struct the event name selects.
//!
//! Every struct mirrors the fields kickwire-proto keeps for that event (same names, same
//! nesting), and is generic over its string type so the two baselines decode the same shapes:
//! `S = String` for serde_json into owned structs, `S = &str` for simd-json borrowed from its
//! (mutated) input buffer. Kick's inconsistent fields (a timestamp as a number or a string,
//! `"duration":"1200"`) use [`Scalar`], which takes any JSON scalar. Events kickwire does not
//! decode (unknown names, `pusher:*`) are not decoded here either.

use kickwire_proto::kick::EventKind;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

/// A string type a baseline decodes into.
pub trait Str<'de>: Deserialize<'de> + fmt::Debug + AsRef<str> {
    /// From a string borrowed from the input.
    fn borrowed(s: &'de str) -> Self;
    /// From a transient string (an unescaped copy); `None` if the type can only borrow.
    fn transient(s: &str) -> Option<Self>;
}

impl<'de> Str<'de> for String {
    fn borrowed(s: &'de str) -> Self {
        s.to_owned()
    }
    fn transient(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

impl<'de> Str<'de> for &'de str {
    fn borrowed(s: &'de str) -> Self {
        s
    }
    fn transient(_: &str) -> Option<Self> {
        None
    }
}

/// Any JSON value, keeping scalars (a Pusher `data` string, a timestamp sent as a number or a
/// string); objects and arrays are skipped.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug and black_box only
pub enum Scalar<S> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(S),
    Container,
}

impl<'de, S: Str<'de>> Deserialize<'de> for Scalar<S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<S>(PhantomData<S>);
        impl<'de, S: Str<'de>> Visitor<'de> for V<S> {
            type Value = Scalar<S>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::I64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::F64(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(S::borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                S::transient(v)
                    .map(Scalar::Str)
                    .ok_or_else(|| E::custom("string cannot be borrowed"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Container)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Container)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Structs generic over their string type `S`, all with the same derive and bound.
macro_rules! mirror {
    ($( $(#[$m:meta])* struct $name:ident { $($body:tt)* } )*) => {$(
        #[derive(Debug, Deserialize)]
        #[serde(bound(deserialize = "S: Str<'de>"))]
        #[allow(dead_code)]
        $(#[$m])*
        pub struct $name<S> { $($body)* }
    )*};
}

/// Structs without strings.
macro_rules! plain {
    ($( struct $name:ident { $($body:tt)* } )*) => {$(
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        pub struct $name { $($body)* }
    )*};
}

// --- envelopes ---------------------------------------------------------------------------------

mirror! {
    /// A Pusher frame or a Centrifugo message (`push.pub.data` holds Kick's `{event, data}`).
    struct Envelope {
        event: Option<S>,
        data: Option<Scalar<S>>,
        channel: Option<S>,
        id: Option<u64>,
        push: Option<Push<S>>,
    }
    struct Push {
        channel: Option<S>,
        #[serde(rename = "pub")]
        publication: Option<Publication<S>>,
    }
    struct Publication {
        data: Option<PubData<S>>,
        offset: Option<u64>,
    }
    struct PubData {
        event: Option<S>,
        data: Option<Scalar<S>>,
    }
}

// --- chat --------------------------------------------------------------------------------------

mirror! {
    struct Badge {
        #[serde(rename = "type")]
        kind: S,
        text: S,
        count: Option<u32>,
    }
    struct Identity {
        color: S,
        badges: Vec<Badge<S>>,
    }
    struct Sender {
        id: u64,
        username: S,
        slug: S,
        identity: Identity<S>,
    }
    struct OriginalSender {
        id: u64,
        username: S,
    }
    struct OriginalMessage {
        id: S,
        content: S,
    }
    struct Celebration {
        id: S,
        #[serde(rename = "type")]
        kind: S,
        total_months: Option<u32>,
        created_at: Option<S>,
    }
    struct ChatMetadata {
        original_sender: Option<OriginalSender<S>>,
        original_message: Option<OriginalMessage<S>>,
        celebration: Option<Celebration<S>>,
        message_ref: Option<S>,
    }
    struct ChatMessage {
        id: S,
        chatroom_id: u64,
        content: S,
        #[serde(rename = "type")]
        kind: S,
        created_at: Option<S>,
        sender: Sender<S>,
        metadata: Option<ChatMetadata<S>>,
    }
    struct MessageRef {
        id: S,
    }
    struct MessageDeleted {
        id: S,
        message: MessageRef<S>,
        #[serde(rename = "aiModerated")]
        ai_moderated: Option<bool>,
        #[serde(rename = "violatedRules", default)]
        violated_rules: Vec<S>,
    }
    struct PinnedMessageCreated {
        message: ChatMessage<S>,
        duration: Option<Scalar<S>>,
        #[serde(rename = "pinnedBy")]
        pinned_by: Option<Sender<S>>,
    }
    struct GiftedUser {
        username: S,
        #[serde(rename = "monthsSubscribed")]
        months_subscribed: Option<u32>,
    }
    struct SentMessage {
        id: S,
        message: Option<S>,
        #[serde(rename = "type")]
        kind: S,
        chatroom_id: u64,
        created_at: Option<Scalar<S>>,
        action: S,
        optional_message: Option<S>,
        months_subscribed: Option<u32>,
        subscriptions_count: Option<u32>,
        #[serde(rename = "giftedUsers", default)]
        gifted_users: Vec<GiftedUser<S>>,
    }
    struct SentUser {
        id: u64,
        username: S,
        role: S,
        verified: Option<bool>,
        is_founder: Option<bool>,
        months_subscribed: Option<u32>,
        quantity_gifted: Option<u32>,
    }
    struct ChatMessageSent {
        message: SentMessage<S>,
        user: SentUser<S>,
    }
}

// --- moderation --------------------------------------------------------------------------------

mirror! {
    struct UserRef {
        id: u64,
        username: S,
        slug: S,
    }
    struct UserBanned {
        id: S,
        user: UserRef<S>,
        banned_by: UserRef<S>,
        permanent: Option<bool>,
        duration: Option<u64>,
        expires_at: Option<S>,
    }
    struct UserUnbanned {
        id: S,
        user: UserRef<S>,
        unbanned_by: UserRef<S>,
        permanent: Option<bool>,
    }
    struct ChatroomClear {
        id: S,
    }
    struct SettingsChannel {
        id: u64,
        slug: S,
    }
    struct ChatSettings {
        channel_id: u64,
        rules: S,
        allow_links: Option<ChatSetting>,
        emotes_only_mode: Option<ChatSetting>,
        followers_only_mode: Option<ChatSetting>,
        minimum_account_age: Option<ChatSetting>,
        slow_mode: Option<ChatSetting>,
        subscribers_only_mode: Option<ChatSetting>,
    }
    struct ChatSettingsChanged {
        id: S,
        channel: SettingsChannel<S>,
        settings: ChatSettings<S>,
        created_at: Option<S>,
    }
}

plain! {
    struct ChatMode {
        enabled: bool,
        message_interval: Option<u64>,
        min_duration: Option<u64>,
        remaining_time: Option<u64>,
    }
    struct ChatroomUpdated {
        id: u64,
        slow_mode: Option<ChatMode>,
        subscribers_mode: Option<ChatMode>,
        followers_mode: Option<ChatMode>,
        emotes_mode: Option<ChatMode>,
        advanced_bot_protection: Option<ChatMode>,
        account_age: Option<ChatMode>,
    }
    struct ChatSetting {
        enabled: bool,
        duration_seconds: Option<u64>,
    }
    struct ChunkDetails {
        chunk_index: Option<u32>,
        total_chunks: Option<u32>,
    }
}

// --- polls and goals ---------------------------------------------------------------------------

mirror! {
    struct PollOption {
        id: u64,
        label: S,
        votes: u64,
    }
    struct Poll {
        title: S,
        options: Vec<PollOption<S>>,
        duration: Option<u64>,
        remaining: Option<u64>,
        result_display_duration: Option<u64>,
    }
    struct PollUpdate {
        poll: Poll<S>,
    }
    struct Goal {
        id: S,
        channel_id: S,
        #[serde(rename = "type")]
        kind: S,
        target_value: Option<u64>,
        current_value: Option<u64>,
        status: S,
        created_at: Option<S>,
        updated_at: Option<S>,
        achieved_at: Option<S>,
        end_date: Option<S>,
    }
}

// --- subscriptions and gifts -------------------------------------------------------------------

mirror! {
    struct ChannelRef {
        id: u64,
        user_id: Option<u64>,
        slug: Option<S>,
        is_banned: Option<bool>,
    }
    struct Subscription {
        chatroom_id: u64,
        username: S,
        months: Option<u32>,
    }
    struct ChannelSubscription {
        user_ids: Vec<u64>,
        username: S,
        channel_id: u64,
    }
    struct GiftedSubscriptions {
        chatroom_id: u64,
        gifted_usernames: Vec<S>,
        gifter_username: S,
        gifter_total: Option<u32>,
        gifted_total: Option<u32>,
        correlation_id: Option<S>,
        chunk_details: Option<ChunkDetails>,
    }
    struct LuckyUsersWhoGotGiftSubscriptions {
        channel: Option<ChannelRef<S>>,
        usernames: Vec<S>,
        gifter_username: S,
    }
    struct NewSubscriberUpdated {
        channel_id: u64,
        last_subscriber: S,
        count: Option<u64>,
    }
    struct LeaderboardEntry {
        user_id: u64,
        username: S,
        quantity: u64,
    }
    struct GiftsLeaderboardUpdated {
        channel: Option<ChannelRef<S>>,
        leaderboard: Vec<LeaderboardEntry<S>>,
        weekly_leaderboard: Vec<LeaderboardEntry<S>>,
        monthly_leaderboard: Vec<LeaderboardEntry<S>>,
        gifter_id: Option<u64>,
        gifter_username: Option<S>,
        gifted_quantity: Option<u32>,
    }
    struct KicksSender {
        id: u64,
        username: S,
        username_color: S,
    }
    struct Gift {
        gift_id: S,
        name: S,
        amount: u64,
        #[serde(rename = "type")]
        kind: S,
        tier: S,
        character_limit: Option<u32>,
        pinned_time: Option<u64>,
    }
    struct KicksGifted {
        gift_transaction_id: S,
        message: Option<S>,
        sender: KicksSender<S>,
        gift: Gift<S>,
        created_at: Option<S>,
        expires_at: Option<S>,
    }
    struct KicksLeaderboardUpdated {
        gifts_lifetime: Vec<LeaderboardEntry<S>>,
        gifts_week: Vec<LeaderboardEntry<S>>,
        gifts_month: Vec<LeaderboardEntry<S>>,
    }
    struct RewardRedeemed {
        reward_title: S,
        user_id: u64,
        channel_id: u64,
        username: S,
        user_input: S,
        reward_background_color: S,
    }
}

// --- the stream --------------------------------------------------------------------------------

mirror! {
    struct Category {
        id: u64,
        name: S,
        slug: S,
    }
    struct Livestream {
        id: u64,
        channel_id: Option<u64>,
        slug: Option<S>,
        session_title: S,
        is_live: Option<bool>,
        #[serde(alias = "viewers")]
        viewer_count: Option<u64>,
        language: Option<S>,
        is_mature: Option<bool>,
        created_at: Option<S>,
        category: Option<Category<S>>,
    }
    struct StreamerIsLive {
        livestream: Livestream<S>,
    }
    struct LivestreamUpdated {
        livestream: Livestream<S>,
    }
    struct EndedLivestream {
        id: u64,
        channel: Option<ChannelRef<S>>,
    }
    struct StreamEnd {
        livestream: EndedLivestream<S>,
    }
    struct StreamHost {
        chatroom_id: u64,
        optional_message: Option<S>,
        number_viewers: Option<u64>,
        host_username: S,
    }
    struct HostMessage {
        id: S,
        #[serde(rename = "numberOfViewers")]
        number_of_viewers: Option<u64>,
        #[serde(rename = "optionalMessage")]
        optional_message: Option<S>,
        #[serde(rename = "createdAt")]
        created_at: Option<S>,
    }
    struct HostUser {
        id: u64,
        username: S,
    }
    struct StreamHosted {
        message: HostMessage<S>,
        user: HostUser<S>,
    }
    struct HostedChannel {
        id: u64,
        username: S,
        slug: S,
        viewers_count: Option<u64>,
        is_live: Option<bool>,
        category: Option<S>,
    }
    struct ChatMoveToSupportedChannel {
        channel: Option<ChannelRef<S>>,
        slug: S,
        hosted: HostedChannel<S>,
    }
    struct FollowersUpdated {
        #[serde(rename = "followersCount")]
        followers_count: Option<u64>,
        channel_id: u64,
        username: Option<S>,
        created_at: Option<Scalar<S>>,
        followed: Option<bool>,
    }
    struct NewActivityFeed {
        channel_id: u64,
        #[serde(rename = "type")]
        kind: S,
        username: S,
        created_at: Option<Scalar<S>>,
    }
}

/// One decoded event, as the baselines see it.
#[derive(Debug)]
#[allow(dead_code)]
pub enum Event<S> {
    ChatMessage(ChatMessage<S>),
    MessageDeleted(MessageDeleted<S>),
    UserBanned(UserBanned<S>),
    UserUnbanned(UserUnbanned<S>),
    ChatroomClear(ChatroomClear<S>),
    ChatroomUpdated(ChatroomUpdated),
    ChatSettingsChanged(ChatSettingsChanged<S>),
    PinnedMessageCreated(PinnedMessageCreated<S>),
    PollUpdate(PollUpdate<S>),
    Subscription(Subscription<S>),
    ChannelSubscription(ChannelSubscription<S>),
    GiftedSubscriptions(GiftedSubscriptions<S>),
    LuckyUsersWhoGotGiftSubscriptions(LuckyUsersWhoGotGiftSubscriptions<S>),
    GiftsLeaderboardUpdated(GiftsLeaderboardUpdated<S>),
    KicksGifted(KicksGifted<S>),
    KicksLeaderboardUpdated(KicksLeaderboardUpdated<S>),
    RewardRedeemed(RewardRedeemed<S>),
    StreamerIsLive(StreamerIsLive<S>),
    StreamEnd(StreamEnd<S>),
    StreamHost(StreamHost<S>),
    StreamHosted(StreamHosted<S>),
    ChatMoveToSupportedChannel(ChatMoveToSupportedChannel<S>),
    FollowersUpdated(FollowersUpdated<S>),
    Goal(Goal<S>),
    NewSubscriberUpdated(NewSubscriberUpdated<S>),
    NewActivityFeed(NewActivityFeed<S>),
    ChatMessageSent(ChatMessageSent<S>),
    LivestreamUpdated(LivestreamUpdated<S>),
    /// `LiveStream\UpdatedLiveStreamEvent`: the livestream itself.
    UpdatedLiveStream(Livestream<S>),
    /// Events whose payload is checked but holds nothing (`[]`): pin deleted, poll deleted,
    /// predictions (no public capture; not in the corpus).
    Empty,
    /// An event name nobody knows: passed through, as kickwire does.
    Unknown,
}

/// What one frame decoded to, as the baselines see it.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug and black_box only
#[allow(clippy::large_enum_variant)] // boxing would add an allocation the baselines do not make
pub enum Frame<S> {
    /// A Kick event: its kind (the name looked up as kickwire does, so that the cross-check
    /// compares kinds) and its payload.
    Kick(EventKind, Event<S>),
    /// `pusher:*` / `pusher_internal:*` and Centrifugo control messages: not decoded further.
    Control,
}

/// The second decoding: parses the payload text into the struct `T` the event name selects.
pub trait Parse<'de> {
    type S: Str<'de>;
    fn parse<T: Deserialize<'de>>(self) -> Result<T, ()>;
}

/// What an envelope holds, once the event name is known.
pub fn is_control(name: &str) -> bool {
    name.starts_with("pusher:") || name.starts_with("pusher_internal:")
}

/// Decodes the payload of event `name` (the second decoding): the name is looked up as
/// kickwire looks it up (`EventKind::from_name`: the table of `proto/src/kick/events.rs`), then
/// parsed into the struct that mirrors the kind's.
pub fn event<'de, P: Parse<'de>>(name: &str, p: P) -> Result<Frame<P::S>, ()> {
    use EventKind as K;
    let kind = EventKind::from_name(name);
    let event = match kind {
        K::ChatMessage => Event::ChatMessage(p.parse()?),
        K::MessageDeleted => Event::MessageDeleted(p.parse()?),
        K::UserBanned => Event::UserBanned(p.parse()?),
        K::UserUnbanned => Event::UserUnbanned(p.parse()?),
        K::ChatroomClear => Event::ChatroomClear(p.parse()?),
        K::ChatroomUpdated => Event::ChatroomUpdated(p.parse()?),
        K::ChatSettingsChanged => Event::ChatSettingsChanged(p.parse()?),
        K::PinnedMessageCreated => Event::PinnedMessageCreated(p.parse()?),
        K::PollUpdate => Event::PollUpdate(p.parse()?),
        K::Subscription => Event::Subscription(p.parse()?),
        K::ChannelSubscription => Event::ChannelSubscription(p.parse()?),
        K::GiftedSubscriptions => Event::GiftedSubscriptions(p.parse()?),
        K::LuckyUsersWhoGotGiftSubscriptions => {
            Event::LuckyUsersWhoGotGiftSubscriptions(p.parse()?)
        }
        K::GiftsLeaderboardUpdated => Event::GiftsLeaderboardUpdated(p.parse()?),
        K::KicksGifted => Event::KicksGifted(p.parse()?),
        K::KicksLeaderboardUpdated => Event::KicksLeaderboardUpdated(p.parse()?),
        K::RewardRedeemed => Event::RewardRedeemed(p.parse()?),
        K::StreamerIsLive => Event::StreamerIsLive(p.parse()?),
        K::StreamEnd => Event::StreamEnd(p.parse()?),
        K::StreamHost => Event::StreamHost(p.parse()?),
        K::StreamHosted => Event::StreamHosted(p.parse()?),
        K::ChatMoveToSupportedChannel => Event::ChatMoveToSupportedChannel(p.parse()?),
        K::FollowersUpdated => Event::FollowersUpdated(p.parse()?),
        K::GoalCreated | K::GoalProgressUpdate | K::GoalAchieved | K::GoalCanceled => {
            Event::Goal(p.parse()?)
        }
        K::NewSubscriberUpdated => Event::NewSubscriberUpdated(p.parse()?),
        K::NewActivityFeed => Event::NewActivityFeed(p.parse()?),
        K::ChatMessageSent => Event::ChatMessageSent(p.parse()?),
        // `LiveStream\UpdatedLiveStream` carries the livestream itself.
        K::LivestreamUpdated if name.contains("LiveStream\\") => {
            Event::UpdatedLiveStream(p.parse()?)
        }
        K::LivestreamUpdated => Event::LivestreamUpdated(p.parse()?),
        K::PinnedMessageDeleted | K::PollDelete | K::PredictionCreated | K::PredictionUpdated => {
            p.parse::<IgnoredAny>()?;
            Event::Empty
        }
        K::Unknown => Event::Unknown,
        // A kind added to the table but not mirrored here: an error, so that the cross-check
        // reports it on the first frame of that kind instead of passing it as unknown.
        _ => return Err(()),
    };
    Ok(Frame::Kick(kind, event))
}

/// Whether [`event`] mirrors `kind` (parses its payload into a struct, or checks an empty
/// one), found by running it with a parser that only notes that it was asked.
pub fn mirrors(kind: EventKind) -> bool {
    struct Asked<'c>(&'c Cell<bool>);
    impl<'de> Parse<'de> for Asked<'_> {
        type S = String;
        fn parse<T: Deserialize<'de>>(self) -> Result<T, ()> {
            self.0.set(true);
            Err(())
        }
    }
    let asked = Cell::new(false);
    let name = kind.wire_names().first().copied().unwrap_or_default();
    let _ = event(name, Asked(&asked));
    asked.get()
}

// --- serde_json, owned -------------------------------------------------------------------------

struct JsonText<'x>(&'x str);

impl<'x> Parse<'x> for JsonText<'x> {
    type S = String;
    fn parse<T: Deserialize<'x>>(self) -> Result<T, ()> {
        serde_json::from_str(self.0).map_err(|_| ())
    }
}

/// serde_json into owned structs: the envelope, then `data` parsed again by event name.
pub fn serde_json_decode(frame: &[u8]) -> Result<Frame<String>, ()> {
    let env: Envelope<String> = serde_json::from_slice(frame).map_err(|_| ())?;
    let (name, data) = match (env.event, env.data, env.push) {
        (Some(name), data, _) => (name, data),
        (
            None,
            _,
            Some(Push {
                publication: Some(Publication { data: Some(d), .. }),
                ..
            }),
        ) => match d.event {
            Some(name) => (name, d.data),
            None => return Ok(Frame::Control),
        },
        _ => return Ok(Frame::Control),
    };
    if is_control(&name) {
        return Ok(Frame::Control);
    }
    match data {
        Some(Scalar::Str(text)) => event(&name, JsonText(&text)),
        // Inline JSON or no data: nothing Kick sends for a known event.
        _ => event(&name, JsonText("null")),
    }
}

// --- simd-json, borrowed -----------------------------------------------------------------------

/// Buffers simd-json reuses across frames (its documented fast path), and the two mutable
/// copies it needs: the frame, and the `data` text.
pub struct SimdState {
    pub buffers: simd_json::Buffers,
    pub frame: Vec<u8>,
    pub data: Vec<u8>,
}

impl SimdState {
    pub fn new() -> Self {
        Self {
            buffers: simd_json::Buffers::new(16 * 1024),
            frame: Vec::with_capacity(16 * 1024),
            data: Vec::with_capacity(16 * 1024),
        }
    }
}

struct SimdText<'b> {
    text: &'b mut [u8],
    buffers: &'b mut simd_json::Buffers,
}

impl<'b> Parse<'b> for SimdText<'b> {
    type S = &'b str;
    fn parse<T: Deserialize<'b>>(self) -> Result<T, ()> {
        simd_json::serde::from_slice_with_buffers(self.text, self.buffers).map_err(|_| ())
    }
}

/// simd-json borrowed: copies the frame (simd-json parses in place), parses the envelope, copies
/// the unescaped `data` text and parses it into borrowed structs; calls `f` with the event.
pub fn simd_json_decode<R>(
    frame: &[u8],
    st: &mut SimdState,
    f: impl FnOnce(Result<Frame<&str>, ()>) -> R,
) -> R {
    st.frame.clear();
    st.frame.extend_from_slice(frame);
    let env: Envelope<&str> =
        match simd_json::serde::from_slice_with_buffers(&mut st.frame, &mut st.buffers) {
            Ok(e) => e,
            Err(_) => return f(Err(())),
        };
    let (name, data) = match (env.event, env.data, env.push) {
        (Some(name), data, _) => (name, data),
        (
            None,
            _,
            Some(Push {
                publication: Some(Publication { data: Some(d), .. }),
                ..
            }),
        ) => match d.event {
            Some(name) => (name, d.data),
            None => return f(Ok(Frame::Control)),
        },
        _ => return f(Ok(Frame::Control)),
    };
    if is_control(name) {
        return f(Ok(Frame::Control));
    }
    st.data.clear();
    match data {
        Some(Scalar::Str(text)) => st.data.extend_from_slice(text.as_bytes()),
        _ => st.data.extend_from_slice(b"null"),
    }
    let result = event(
        name,
        SimdText {
            text: &mut st.data,
            buffers: &mut st.buffers,
        },
    );
    f(result)
}

impl<S: AsRef<str>> ChatMessage<S> {
    pub fn content_str(&self) -> &str {
        self.content.as_ref()
    }
    pub fn sender_username(&self) -> &str {
        self.sender.username.as_ref()
    }
}
