//! Every fixed capacity in the crate, with the reason for its size.
//!
//! Strings are measured in UTF-8 bytes. A string longer than its capacity is cut at a char
//! boundary and flagged ([`Text::is_truncated`](crate::Text::is_truncated)); a list longer than
//! its capacity keeps its first items and the exact total ([`List::total`](crate::List::total)).

use crate::envelope::Transport;

/// Chat message text. Kick limits a message to 500 characters; at 4 UTF-8 bytes for the widest
/// char (emoji, astral scripts) 2000 bytes hold any message Kick accepts, whatever its script.
pub const MESSAGE: usize = 2000;
/// Usernames and slugs: Kick allows 3-25 ASCII letters, digits and `_`; margin for renames.
pub const USERNAME: usize = 32;
/// String ids: UUIDs (36), ULIDs with a prefix (`chgoal_01M2…`, 33), numeric strings.
pub const ID: usize = 48;
/// Colours (`#FF9D00`), badge types and texts, gift tiers, event sub-types: short ASCII words.
pub const SHORT: usize = 32;
/// Badges shown beside one sender: the most seen in captures is 4 (mod, VIP, OG, subscriber).
pub const BADGES: usize = 8;
/// Recipients named in one gifted-subscriptions event. Kick sends big gifts in chunks; a list
/// beyond this keeps its first 100 names and the exact count.
pub const GIFT_RECIPIENTS: usize = 100;
/// User ids in one channel-subscription event (the largest capture has 7).
pub const USER_IDS: usize = 32;
/// Rows of one gifts or Kicks leaderboard: Kick shows a top 10.
pub const LEADERBOARD: usize = 10;
/// Titles (stream session title, poll title, prediction title, reward title): Kick caps them
/// near 100 characters; 4 bytes each.
pub const TITLE: usize = 400;
/// A poll option or prediction outcome label.
pub const LABEL: usize = 128;
/// Poll options (Kick allows up to 6) and prediction outcomes.
pub const OPTIONS: usize = 8;
/// A Kicks gift message (`character_limit` is 150) or a reward's user input (≤ 150 chars).
pub const GIFT_MESSAGE: usize = 600;
/// Gift names, gift ids, categories, languages and similar labels.
pub const NAME: usize = 64;
/// Categories of one livestream in a channel reply (`livestream.categories`): Kick gives a
/// stream one category; the array leaves room for more, so a few are kept and the rest counted.
pub const CATEGORIES: usize = 4;
/// A Pusher or Centrifugo channel name (`predictions-channel-123456789` is 29 bytes).
pub const CHANNEL: usize = 64;
/// An event name kept for [`Event::Unknown`](crate::kick::Event::Unknown).
pub const EVENT_NAME: usize = 96;
/// Rules violated by a deleted message (AI moderation).
pub const RULES: usize = 4;
/// Nesting of arrays and objects skipped in one JSON text (give or take the one or two levels
/// the typed readers open themselves) (Kick's payloads nest 6 deep;
/// serde_json's default limit is 128). Must be a multiple of 64.
pub const MAX_JSON_DEPTH: usize = 128;
/// Scratch space that always suffices to decode one payload: the largest WebSocket message we
/// accept. Kick's frames are 0.4-3 KB, the worst real-ish case 7.6 KB; 16 KiB leaves room.
pub const MAX_PAYLOAD: usize = 16 * 1024;
/// A Pusher `socket_id` (`9653343560.2258681798`) or a Centrifugo client id (a UUID).
pub const SOCKET_ID: usize = 48;
/// A close reason or a server error message kept in a lifecycle event (WebSocket close reasons
/// are at most 123 bytes).
pub const REASON: usize = 128;
/// Channels one connection can hold (Kick has six per chatroom), by default: a
/// [`Connection`](crate::conn::Connection)'s first capacity parameter.
pub const CHANNELS: usize = 8;
/// Lifecycle events a [`Connection`](crate::conn::Connection) queues for its driver, by
/// default: [`events_for`] the busier transport (Centrifugo) and [`CHANNELS`], plus four to
/// spare. Its second capacity parameter.
pub const EVENTS: usize = CHANNELS.saturating_add(12);
/// Frames a [`Connection`](crate::conn::Connection) queues for its driver, by default:
/// [`transmits_for`] Centrifugo and [`CHANNELS`], plus one to spare. Its third capacity
/// parameter.
pub const TRANSMITS: usize = CHANNELS.saturating_mul(2).saturating_add(6);

/// The fewest lifecycle events a connection with room for `channels` must be able to queue:
/// what one input can queue when the driver drains after every input, as the
/// [`conn`](crate::conn) module docs say (repeated bad messages and server errors are counted
/// in one event, and a channel's newer event replaces its older one).
/// - Pusher: a state change and `Connected` (the handshake), one event per channel
///   (`Subscribed`, `SubscriptionTimedOut`), one bad-message and one server-error report:
///   `channels + 4`. The inputs that end a socket queue fewer: `Disconnected`, a state change
///   and `Reconnecting`, after a server error and a bad message at most.
/// - Centrifugo: the same, and a drop in the same input (`Disconnected`, a state change,
///   `Reconnecting`, `TokenRequired`): `channels + 8`.
///
/// [`Connection::with_capacities`](crate::conn::Connection::with_capacities) refuses less.
///
/// ```
/// use kickwire_proto::{Transport, limits};
/// assert_eq!(limits::events_for(Transport::Pusher, 6), 10);
/// assert!(limits::EVENTS >= limits::events_for(Transport::Centrifugo, limits::CHANNELS));
/// ```
#[must_use]
pub const fn events_for(transport: Transport, channels: usize) -> usize {
    match transport {
        Transport::Pusher => channels.saturating_add(4),
        Transport::Centrifugo => channels.saturating_add(8),
    }
}

/// The fewest frames a connection with room for `channels` must be able to queue, whatever
/// the driver does (frames for a socket are withdrawn when it closes; a ping or a pong
/// already waiting answers for the next ones; a channel's subscribe is queued once):
/// - Pusher: a close of the old socket and an open, one subscribe and one unsubscribe per
///   channel, a ping and a pong: `2 * channels + 4`.
/// - Centrifugo: the same and a `connect` or a `refresh`: `2 * channels + 5`.
///
/// [`Connection::with_capacities`](crate::conn::Connection::with_capacities) refuses less.
#[must_use]
pub const fn transmits_for(transport: Transport, channels: usize) -> usize {
    let frames = channels.saturating_mul(2).saturating_add(4);
    match transport {
        Transport::Pusher => frames,
        Transport::Centrifugo => frames.saturating_add(1),
    }
}
/// A WebSocket URL from Kick's realtime negotiation ([`crate::http::Endpoint`]).
/// `wss://realtime.us-west-2.platform.kick.com/connection/websocket` is 63 bytes; 256 leaves room
/// for a longer host or a query string. A longer URL is refused, never cut (a cut URL would
/// connect somewhere else).
pub const URL: usize = 256;
/// A guest connection token (a JWT) from `web.kick.com/api/v1/realtime/auth/connection`
/// ([`crate::http::GuestToken`]). A Centrifugo JWT with a few claims is 200-600 bytes; 2 KiB
/// leaves room for more claims. A longer token is refused, never cut (a cut token is useless).
/// A [`Connection`](crate::conn::Connection) keeps it inline: its fourth capacity parameter,
/// which a Pusher-only device sets to 0.
pub const TOKEN: usize = 2048;
/// Kick's `message` (or its OAuth server's `error: error_description`) kept in an
/// [`ApiError`](crate::http::official::ApiError), cut if longer: its documented messages
/// ("Channel not found", "Invalid request", "Unauthorized") are under 20 bytes; 80 keeps the
/// error under clippy's 128-byte bound for a `Result`'s error, so results stay cheap to return.
pub const API_MESSAGE: usize = 80;
/// The scopes an OAuth token reply grants, space-separated
/// ([`OAuthToken`](crate::http::official::OAuthToken)): all eleven of Kick's scopes together are
/// 179 bytes.
pub const SCOPES: usize = 256;

// Alerts (`crate::alerts`): the capacities of an [`Alerts`](crate::alerts::Alerts) machine, its
// const generic parameters in this order, and the windows its duplicates are caught in.

/// Alerts an [`Alerts`](crate::alerts::Alerts) machine queues for its driver, by default. One
/// event gives at most one alert, after the gifts whose window it closes (at most
/// [`ALERT_GIFTS`]): a driver that drains after every event needs `1 + ALERT_GIFTS`; 8 leaves
/// room for one that drains after every message (a Centrifugo frame can hold several events).
/// A board that drains after each event picks 2 to 4. When full, a queued chat line goes first
/// (the least useful alert), then the oldest alert; each drop is counted.
pub const ALERTS: usize = 8;
/// Chat message ids an alert machine remembers, to show a message once when a reconnect or a
/// second channel name brings it again. Copies on another channel name arrive within
/// milliseconds and a replay after a reconnect within seconds; 64 ids cover the last 64 lines,
/// a few seconds of the busiest chats and minutes of most. 16 bytes each (a 64-bit hash and
/// when it was seen): 1 KiB.
pub const ALERT_CHAT_IDS: usize = 64;
/// Keys of other happenings an alert machine remembers (subs, hosts, gifts, bans, Kicks, ...):
/// at most five copies make one happening and each is a key once, so 32 keys hold the last
/// 32 happenings, far more than arrive within [`ALERT_COPY_WINDOW_MS`]. 16 bytes each.
pub const ALERT_KEYS: usize = 32;
/// Gifts being joined from their chunks at once. A big gift arrives in chunks within a second
/// or two; two gifters rarely overlap and four never have in captures. When a fifth starts,
/// the oldest is sent with the chunks it has (nothing is lost but its wait).
pub const ALERT_GIFTS: usize = 4;
/// Chunks one gift can be joined from. Kick's chunks have only been seen holding the whole
/// gift; at 100 names a chunk (Kick's largest gift option) 16 chunks hold 1,600 subs. A chunk
/// beyond them is not counted (and is counted in
/// [`Stats::chunks_dropped`](crate::alerts::Stats::chunks_dropped)): counting a copy of it
/// twice would be worse.
pub const ALERT_GIFT_CHUNKS: usize = 16;
/// Recipients named in one gift alert; the count stays exact beyond them
/// ([`List::total`](crate::List::total)). An alert names a handful ("to a, b, c and 47
/// others"); a chunk of 100 names would make every queued alert 3 KB larger.
pub const ALERT_RECIPIENTS: usize = 8;
/// Chatters whose first message since the stream went live an alert machine can tell, by
/// default: 64-bit hashes, 8 bytes each, 8 KiB. A busy stream has a few hundred distinct
/// chatters in a session, a very busy one thousands. When the set is full no one else is
/// marked (a chatter's first words would otherwise be claimed twice) and each unmarked
/// message is counted ([`Stats::unmarked`](crate::alerts::Stats::unmarked)); the set empties
/// when the stream goes live again.
pub const ALERT_USERS: usize = 1024;
/// How long a gift waits for its missing chunks after the last one came, in milliseconds.
/// Kick sends a gift's chunks back to back; 2 s is many times their spread and short enough
/// for an alert to feel immediate.
pub const ALERT_GIFT_WINDOW_MS: u64 = 2_000;
/// How long a key made from an id Kick gives (a message id, a ban id, a transaction id, a
/// gift's correlation id, a livestream id) catches copies, in milliseconds: 10 minutes,
/// longer than any reconnect's replay. Ids are unique, so a long window costs nothing but
/// the ring's room.
pub const ALERT_ID_WINDOW_MS: u64 = 600_000;
/// How long a key made from content (a subscriber's name, a host's name and viewers, a
/// reward, a poll's votes) catches copies, in milliseconds: 2 minutes. Kick's copies of one
/// happening arrive within a second; a reconnect replays within a minute. The same content
/// later is a new happening (a resub a month on, a second host).
pub const ALERT_COPY_WINDOW_MS: u64 = 120_000;
/// How long an alert told from one way in (Kick's realtime feed, or its signed webhooks) waits
/// for its copy from the other, in milliseconds: 10 minutes. Webhook deliveries have been
/// reported minutes late (Kick's developer docs' issue tracker), and the webhook judge of the
/// CLI refuses a delivery stamped more than 10 minutes off by default, so an accepted copy
/// comes within about this long. A copy is matched once (see `alerts/pair.rs`), so the long window
/// cannot merge two real happenings that look alike (two equal Kicks gifts in a row). It costs
/// no memory but one more [`ALERT_KEYS`] slot per alert of the kinds both ways tell (subs,
/// gifts, Kicks, bans, rewards, live, end), held up to this long: a webhook copy finds its
/// pair while fewer than `KEYS` keys came after it (such an alert leaves two, others one, a
/// poll one per change of its votes). A relay for a busy channel picks a larger `KEYS`
/// ([`Alerts::with_capacities`](crate::alerts::Alerts::with_capacities)).
pub const ALERT_PAIR_WINDOW_MS: u64 = 600_000;
/// How long an event with nothing to tell it apart (an unpin: Kick's payload is `[]`) catches
/// its copies on other channel names, in milliseconds: they arrive together.
pub const ALERT_SAME_WINDOW_MS: u64 = 5_000;
