//! The fact of one of Kick's webhook deliveries (its `Kick-Event-Type` and its JSON body, as
//! Kick's developer docs, "Webhook Payloads", write each type, version 1), built with the same
//! builders as the realtime events' so both ways make the same alert.
//!
//! | webhook type | alert | key | why |
//! |---|---|---|---|
//! | `chat.message.sent` | `Chat` | `message_id` (the chat ids) | taken to be the realtime `ChatMessageEvent`'s `id` (see below) |
//! | `channel.followed` | `Follow` | follower's name, 2 min | only webhooks tell follows; follow, unfollow, follow is one alert |
//! | `channel.subscription.new`, `.renewal` | `Subscription`, `duration` as months | paired: subscriber | realtime subs are keyed by the name alone |
//! | `channel.subscription.gifts` | `GiftedSubscriptions`, the giftees, 1 chunk | paired: gifter, count | no correlation id in the webhook |
//! | `kicks.gifted` | `KicksGift` | paired: sender, gift, amount | no transaction id in the webhook |
//! | `moderation.banned` | `Ban`, `expires_at` null: a ban | paired: user, ban or timeout | no ban id in the webhook |
//! | `channel.reward.redemption.updated` | `Reward` | redemption `id`, 10 min; paired: user, title, input | each status (`pending`, `accepted`, `rejected`) is delivered: one redemption |
//! | `livestream.status.updated` | `Live` or `End` by `is_live` | paired: the kind | no livestream id in the webhook |
//! | `livestream.metadata.updated`, others | nothing | | |
//!
//! "Paired": the alert is matched, once, with the realtime feed's alert of the same content
//! within [`ALERT_PAIR_WINDOW_MS`](crate::limits::ALERT_PAIR_WINDOW_MS) (`alerts/pair.rs`),
//! and has no other key. Webhook retries are not caught here: the caller drops a delivery whose
//! `Kick-Event-Message-Id` it has seen (the CLI's webhook judge does).
//!
//! What is taken on trust, and what it costs if wrong:
//! - Kick's docs show `message_id` only as a placeholder; the official API deletes and replies
//!   to a message by that id, as the realtime `MessageDeletedEvent` names a message by the
//!   `ChatMessageEvent`'s `id` (a UUID), so they are taken to be one id. If not, a chat line
//!   seen on both ways is shown twice.
//! - The chat ids are a ring of [`ALERT_CHAT_IDS`](crate::limits::ALERT_CHAT_IDS): a webhook
//!   line more than that many lines late (a busy chat, a delivery minutes late) is shown again.
//! - An anonymous gifter's name is `null` in the webhook (read as empty); what the realtime
//!   feed names them is not known, so such a gift may be told twice. A realtime gift told
//!   incomplete (a chunk missing) has another count than its webhook: told twice as well.

use super::{Fact, Obj, build};
use crate::DecodeError;
use crate::Timestamp;
use crate::alerts::alert::{Alert, Follow, Live};
use crate::alerts::gifts::Chunk;
use crate::alerts::key::{Family, Window};
use crate::kick::{KicksGifted, RewardRedeemed, Subscription as Sub, UserBanned, UserRef};
use crate::limits::{ALERT_RECIPIENTS, GIFT_MESSAGE, ID, MESSAGE, NAME, TITLE, USERNAME};
use crate::text::{List, Text};

/// The fact of a webhook delivery of type `event_type` with `body`.
///
/// # Errors
/// What typed decoding gives for a body that is not JSON, or not an object (whatever the
/// type: a body Kick signed that is not an object is not one of its events).
pub(crate) fn of_official(event_type: &str, body: &[u8]) -> Result<Fact, DecodeError> {
    let o = Obj::of(body)?;
    Ok(match event_type {
        "chat.message.sent" => {
            let sender = o.object("sender");
            build::chat(
                o.read::<Text<ID>>("message_id"),
                sender.read("user_id"),
                sender.read("username"),
                o.read::<Text<MESSAGE>>("content"),
            )
        }
        "channel.followed" => {
            let username: Text<USERNAME> = o.object("follower").read("username");
            let key = build::key(Family::Follow, Window::Copy)
                .name(&username)
                .finish();
            Fact::Alert(Alert::Follow(Follow { username }), Some(key))
        }
        "channel.subscription.new" | "channel.subscription.renewal" => {
            unkeyed(build::subscription(&Sub {
                username: o.object("subscriber").read("username"),
                months: o.read("duration"),
                ..Sub::default()
            }))
        }
        "channel.subscription.gifts" => {
            let giftees: List<UserRef, ALERT_RECIPIENTS> = o.read("giftees");
            let mut recipients: List<Text<USERNAME>, ALERT_RECIPIENTS> = List::default();
            for giftee in giftees.iter() {
                if let Some(slot) = recipients.next_slot() {
                    slot.clone_from(&giftee.username);
                }
            }
            let kept = u32::try_from(recipients.len()).unwrap_or(u32::MAX);
            recipients.count_more(giftees.total().saturating_sub(kept));
            let chunk = Chunk {
                // `null` when the gifter is anonymous: an empty name.
                gifter: o.object("gifter").read("username"),
                recipients,
                ..Chunk::default()
            };
            Fact::Alert(Alert::GiftedSubscriptions(chunk.into_alert()), None)
        }
        "kicks.gifted" => {
            let gift = o.object("gift");
            let mut k = KicksGifted::default();
            k.sender.username = o.object("sender").read("username");
            k.gift.name = gift.read::<Text<NAME>>("name");
            k.gift.amount = gift.read("amount");
            k.message = gift.read::<Text<GIFT_MESSAGE>>("message");
            unkeyed(build::kicks(&k))
        }
        "moderation.banned" => {
            let meta = o.object("metadata");
            let created: Option<Timestamp> = meta.read("created_at");
            let expires: Option<Timestamp> = meta.read("expires_at");
            let mut b = UserBanned::default();
            b.user.username = o.object("banned_user").read("username");
            b.banned_by.username = o.object("moderator").read("username");
            b.permanent = Some(expires.is_none());
            b.duration = expires.zip(created).map(|(e, c)| minutes(c, e));
            unkeyed(build::ban(&b))
        }
        "channel.reward.redemption.updated" => {
            let id: Text<ID> = o.read("id");
            let r = RewardRedeemed {
                username: o.object("redeemer").read("username"),
                reward_title: o.object("reward").read::<Text<TITLE>>("title"),
                user_input: o.read("user_input"),
                ..RewardRedeemed::default()
            };
            match build::reward(&r) {
                Fact::Alert(alert, _) => Fact::Alert(alert, build::id_key(Family::Redemption, &id)),
                other => other,
            }
        }
        "livestream.status.updated" => match o.read::<Option<bool>>("is_live") {
            Some(true) => Fact::Live(
                Live {
                    title: o.read("title"),
                },
                None,
            ),
            Some(false) => Fact::Alert(Alert::End, None),
            None => Fact::Nothing,
        },
        _ => Fact::Nothing,
    })
}

/// A fact without its realtime key: the webhook's copy is matched by its pair key instead, and
/// a realtime content key would catch it only within its own (shorter) window, leaving the
/// realtime alert's pair key behind for a later look-alike.
fn unkeyed(fact: Fact) -> Fact {
    match fact {
        Fact::Alert(alert, _) => Fact::Alert(alert, None),
        other => other,
    }
}

/// Whole minutes from `from` to `to`, to the nearest (a timeout's length, as the realtime
/// `UserBannedEvent` gives it); 0 when `to` is not after `from`.
fn minutes(from: Timestamp, to: Timestamp) -> u64 {
    let ms = to.unix_millis().saturating_sub(from.unix_millis()).max(0);
    u64::try_from(ms.saturating_add(30_000) / 60_000).unwrap_or(0)
}
