//! The key facts of each Kick event, as `path=value` columns whose paths are those of the
//! event's JSON form (`kickwire replay --json`, the `.expected.jsonl` files): the host looks
//! each path up in the hand-checked expected object and compares. Lists give their length
//! (`path.#`) and their first item.
//!
//! [`run`] passes every kind of the event table through [`event`], so that a kind added to
//! the table fails here until its facts are written, whether a vector of it exists or not.

use kickwire_proto::kick::{ChatMessage, Event, EventKind, Leaderboard, Livestream, UserRef};

use crate::check::Checks;
use crate::out::Line;
use crate::{check, check_eq};

/// The column [`event`] writes for an event it has no facts for (the host fails on it).
const UNHANDLED: &str = "UNHANDLED-KIND";

/// Every kind of `EventKind::ALL`, decoded from `{}` (which each takes) on the target: it must
/// come back as that kind, and [`event`] must know it.
pub fn run() -> Checks {
    let mut c = Checks::new("events");
    for kind in EventKind::ALL {
        match Event::decode_kind(kind, kind.type_name(), b"{}") {
            Ok(e) => {
                check_eq!(c, e.kind(), kind);
                let mut l = Line::new("FACTS");
                event(&mut l, &e);
                check!(
                    c,
                    !l.as_str().contains(UNHANDLED),
                    "no facts for {:?}",
                    kind
                );
            }
            Err(err) => check!(c, false, "{:?} from {{}}: {}", kind, err),
        }
    }
    c
}

/// Writes the facts of `e` onto `l`.
pub fn event(l: &mut Line, e: &Event) {
    match e {
        Event::ChatMessage(m) => chat(l, "", m),
        Event::MessageDeleted(d) => {
            l.str("id", &d.id)
                .str("message.id", &d.message.id)
                .opt_bool("aiModerated", d.ai_moderated)
                .strs("violatedRules", d.violated_rules.iter().map(|r| r.as_str()));
        }
        Event::UserBanned(b) => {
            l.str("id", &b.id);
            user(l, "user", &b.user);
            user(l, "banned_by", &b.banned_by);
            l.opt_bool("permanent", b.permanent)
                .opt_u64("duration", b.duration)
                .time("expires_at", b.expires_at);
        }
        Event::UserUnbanned(u) => {
            l.str("id", &u.id);
            user(l, "user", &u.user);
            user(l, "unbanned_by", &u.unbanned_by);
            l.opt_bool("permanent", u.permanent);
        }
        Event::ChatroomClear(c) => {
            l.str("id", &c.id);
        }
        Event::ChatroomUpdated(c) => {
            l.u64("id", c.id);
            match &c.slow_mode {
                Some(m) => l
                    .bool("slow_mode.enabled", m.enabled)
                    .opt_u64("slow_mode.message_interval", m.message_interval),
                None => l.null("slow_mode"),
            };
            match &c.account_age {
                Some(m) => l
                    .bool("account_age.enabled", m.enabled)
                    .opt_u64("account_age.min_duration", m.min_duration),
                None => l.null("account_age"),
            };
        }
        Event::ChatSettingsChanged(c) => {
            l.str("id", &c.id)
                .u64("settings.channel_id", c.settings.channel_id)
                .time("created_at", c.created_at);
            match &c.settings.slow_mode {
                Some(s) => l.bool("settings.slow_mode.enabled", s.enabled),
                None => l.null("settings.slow_mode"),
            };
        }
        Event::PinnedMessageCreated(p) => {
            chat(l, "message.", &p.message);
            l.opt_u64("duration", p.duration);
            match &p.pinned_by {
                Some(s) => l.str("pinnedBy.username", &s.username),
                None => l.null("pinnedBy"),
            };
        }
        Event::PinnedMessageDeleted(_) => {}
        Event::PollUpdate(p) => {
            l.str("poll.title", &p.poll.title)
                .len("poll.options", p.poll.options.as_slice().len())
                .opt_u64("poll.duration", p.poll.duration);
            if let Some(o) = p.poll.options.as_slice().first() {
                l.u64("poll.options.0.id", o.id)
                    .str("poll.options.0.label", &o.label)
                    .u64("poll.options.0.votes", o.votes);
            }
        }
        Event::Subscription(s) => {
            l.u64("chatroom_id", s.chatroom_id)
                .str("username", &s.username)
                .opt_u64("months", s.months.map(u64::from));
        }
        Event::ChannelSubscription(s) => {
            l.u64s("user_ids", s.user_ids.iter().copied())
                .str("username", &s.username)
                .u64("channel_id", s.channel_id);
        }
        Event::GiftedSubscriptions(g) => {
            l.u64("chatroom_id", g.chatroom_id)
                .strs(
                    "gifted_usernames",
                    g.gifted_usernames.iter().map(|u| u.as_str()),
                )
                .u64("gifted_count", u64::from(g.gifted_count))
                .str("gifter_username", &g.gifter_username)
                .opt_u64("gifter_total", g.gifter_total.map(u64::from))
                .opt_u64("gifted_total", g.gifted_total.map(u64::from))
                .opt_str("correlation_id", g.correlation_id.as_deref());
        }
        Event::LuckyUsersWhoGotGiftSubscriptions(g) => {
            l.strs("usernames", g.usernames.iter().map(|u| u.as_str()))
                .str("gifter_username", &g.gifter_username);
            match &g.channel {
                Some(c) => l.u64("channel_info.id", c.id),
                None => l.null("channel_info"),
            };
        }
        Event::GiftsLeaderboardUpdated(g) => {
            board(l, "leaderboard", &g.leaderboard);
            board(l, "weekly_leaderboard", &g.weekly_leaderboard);
            l.opt_u64("gifter_id", g.gifter_id)
                .opt_str("gifter_username", g.gifter_username.as_deref())
                .opt_u64("gifted_quantity", g.gifted_quantity.map(u64::from));
        }
        Event::KicksGifted(k) => {
            l.str("gift_transaction_id", &k.gift_transaction_id)
                .str("message", &k.message)
                .u64("sender.id", k.sender.id)
                .str("sender.username", &k.sender.username)
                .str("gift.gift_id", &k.gift.gift_id)
                .u64("gift.amount", k.gift.amount)
                .opt_u64("gift.pinned_time", k.gift.pinned_time)
                .time("created_at", k.created_at)
                .time("expires_at", k.expires_at);
        }
        Event::KicksLeaderboardUpdated(k) => {
            board(l, "gifts_lifetime", &k.gifts_lifetime);
            board(l, "gifts_month", &k.gifts_month);
        }
        Event::RewardRedeemed(r) => {
            l.str("reward_title", &r.reward_title)
                .u64("user_id", r.user_id)
                .u64("channel_id", r.channel_id)
                .str("username", &r.username)
                .str("user_input", &r.user_input);
        }
        Event::StreamerIsLive(s) => livestream(l, &s.livestream),
        Event::LivestreamUpdated(s) => livestream(l, &s.livestream),
        Event::StreamEnd(s) => {
            l.u64("livestream.id", s.livestream.id);
            match &s.livestream.channel {
                Some(c) => l
                    .u64("livestream.channel.id", c.id)
                    .opt_u64("livestream.channel.user_id", c.user_id),
                None => l.null("livestream.channel"),
            };
        }
        Event::StreamHost(h) => {
            l.u64("chatroom_id", h.chatroom_id)
                .opt_str("optional_message", h.optional_message.as_deref())
                .opt_u64("number_viewers", h.number_viewers)
                .str("host_username", &h.host_username);
        }
        Event::StreamHosted(h) => {
            l.str("message.id", &h.message.id)
                .opt_u64("message.numberOfViewers", h.message.number_of_viewers)
                .time("message.createdAt", h.message.created_at)
                .u64("user.id", h.user.id)
                .str("user.username", &h.user.username);
        }
        Event::ChatMoveToSupportedChannel(c) => {
            l.str("slug", &c.slug)
                .u64("hosted.id", c.hosted.id)
                .str("hosted.username", &c.hosted.username)
                .opt_u64("hosted.viewers_count", c.hosted.viewers_count)
                .opt_str("hosted.category", c.hosted.category.as_deref());
        }
        Event::FollowersUpdated(f) => {
            l.opt_u64("followersCount", f.followers_count)
                .u64("channel_id", f.channel_id)
                .opt_str("username", f.username.as_deref())
                .time("created_at", f.created_at)
                .opt_bool("followed", f.followed);
        }
        Event::GoalCreated(g)
        | Event::GoalProgressUpdate(g)
        | Event::GoalAchieved(g)
        | Event::GoalCanceled(g) => {
            l.str("id", &g.id)
                .str("channel_id", &g.channel_id)
                .opt_u64("target_value", g.target_value)
                .opt_u64("current_value", g.current_value)
                .time("created_at", g.created_at)
                .time("updated_at", g.updated_at)
                .time("achieved_at", g.achieved_at)
                .str("goal_type", &g.kind);
        }
        Event::PredictionCreated(_) | Event::PredictionUpdated(_) | Event::PollDelete(_) => {}
        Event::NewSubscriberUpdated(n) => {
            l.u64("channel_id", n.channel_id)
                .str("last_subscriber", &n.last_subscriber)
                .opt_u64("count", n.count);
        }
        Event::NewActivityFeed(n) => {
            l.u64("channel_id", n.channel_id)
                .str("username", &n.username)
                .str("activity_type", &n.kind)
                .time("created_at", n.created_at);
        }
        Event::ChatMessageSent(s) => {
            l.str("message.id", &s.message.id)
                .str("message.type", &s.message.kind)
                .u64("message.chatroom_id", s.message.chatroom_id)
                .time("message.created_at", s.message.created_at)
                .opt_u64(
                    "message.subscriptions_count",
                    s.message.subscriptions_count.map(u64::from),
                )
                .len(
                    "message.giftedUsers",
                    s.message.gifted_users.as_slice().len(),
                )
                .u64("user.id", s.user.id)
                .str("user.username", &s.user.username);
        }
        Event::Unknown(u) => {
            l.str("name", &u.name);
        }
        _ => {
            l.col(UNHANDLED);
        }
    }
}

fn chat(l: &mut Line, prefix: &str, m: &ChatMessage) {
    let mut key = Key::new(prefix);
    l.str(key.of("id"), &m.id)
        .u64(key.of("chatroom_id"), m.chatroom_id)
        .str(key.of("content"), &m.content)
        .str(key.of("message_type"), &m.kind)
        .time(key.of("created_at"), m.created_at)
        .u64(key.of("sender.id"), m.sender.id)
        .str(key.of("sender.username"), &m.sender.username)
        .str(key.of("sender.identity.color"), &m.sender.identity.color)
        .len(
            key.of("sender.identity.badges"),
            m.sender.identity.badges.as_slice().len(),
        );
    match &m.metadata {
        Some(md) => l.opt_str(key.of("metadata.message_ref"), md.message_ref.as_deref()),
        None => l.null(key.of("metadata")),
    };
}

fn user(l: &mut Line, prefix: &str, u: &UserRef) {
    let mut key = Key::new(prefix);
    key.raw(".");
    l.u64(key.of("id"), u.id)
        .str(key.of("username"), &u.username);
}

fn board(l: &mut Line, name: &str, b: &Leaderboard) {
    l.len(name, b.as_slice().len());
    if let Some(first) = b.as_slice().first() {
        let mut key = Key::new(name);
        key.raw(".0.");
        l.u64(key.of("user_id"), first.user_id)
            .str(key.of("username"), &first.username)
            .u64(key.of("quantity"), first.quantity);
    }
}

fn livestream(l: &mut Line, s: &Livestream) {
    l.u64("livestream.id", s.id)
        .opt_u64("livestream.channel_id", s.channel_id)
        .opt_str("livestream.slug", s.slug.as_deref())
        .str("livestream.session_title", &s.session_title)
        .opt_u64("livestream.viewer_count", s.viewer_count)
        .time("livestream.created_at", s.created_at);
    match &s.category {
        Some(c) => l.str("livestream.category.name", &c.name),
        None => l.null("livestream.category"),
    };
}

/// Builds `prefix` + `name` keys without allocating.
struct Key {
    buf: heapless::String<96>,
    prefix_len: usize,
}

impl Key {
    fn new(prefix: &str) -> Self {
        let mut buf = heapless::String::new();
        let _ = buf.push_str(prefix);
        let prefix_len = buf.len();
        Self { buf, prefix_len }
    }

    fn raw(&mut self, s: &str) {
        let _ = self.buf.push_str(s);
        self.prefix_len = self.buf.len();
    }

    fn of(&mut self, name: &str) -> &str {
        self.buf.truncate(self.prefix_len);
        let _ = self.buf.push_str(name);
        self.buf.as_str()
    }
}
