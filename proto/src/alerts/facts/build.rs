//! The builders both adapters of [`facts`](super) end in: one per kind of happening, each
//! making the [`Fact`] (the alert and the key its copies share) from the fields the adapter
//! read. Keeping them apart from the adapters is what makes the two paths agree.

use crate::alerts::alert::{
    Alert, Ban, Chat, Goal, GoalStage, Host, KicksGift, Live, MessageDeleted, Pinned, Poll,
    Prediction, Reward, Subscription, Unban,
};
use crate::alerts::gifts::Chunk;
use crate::alerts::key::{Family, Key, KeyBuilder, Window, user_hash};
use crate::kick::{
    self, ChatroomClear, KicksGifted, MessageDeleted as Deleted, PollUpdate, PredictionEvent,
    RewardRedeemed, StreamEnd, StreamHost, StreamHosted, StreamerIsLive, Subscription as Sub,
    UserBanned, UserUnbanned,
};
use crate::limits::{ALERT_RECIPIENTS, GIFT_MESSAGE, ID, MESSAGE, USERNAME};
use crate::text::{List, Text};

use super::Fact;

/// The first [`ALERT_RECIPIENTS`] of a typed list, its total kept.
pub(super) fn cut<const N: usize>(
    names: &List<Text<USERNAME>, N>,
) -> List<Text<USERNAME>, ALERT_RECIPIENTS> {
    let mut out: List<Text<USERNAME>, ALERT_RECIPIENTS> = List::default();
    // `next_slot` counts what it is asked for: only the names that fit.
    for name in names.iter().take(ALERT_RECIPIENTS) {
        if let Some(slot) = out.next_slot() {
            slot.clone_from(name);
        }
    }
    let kept = u32::try_from(names.len().min(ALERT_RECIPIENTS)).unwrap_or(u32::MAX);
    out.count_more(names.total().saturating_sub(kept));
    out
}

pub(super) fn key(family: Family, window: Window) -> KeyBuilder {
    KeyBuilder::new(family, window)
}

/// A key from an id Kick gives, or none when the id is missing.
pub(super) fn id_key(family: Family, id: &str) -> Option<Key> {
    (!id.is_empty()).then(|| key(family, Window::Id).text(id).finish())
}

pub(super) fn chat(
    id: Text<ID>,
    sender: u64,
    username: Text<USERNAME>,
    content: Text<MESSAGE>,
) -> Fact {
    let k = id_key(Family::Chat, &id);
    let user = user_hash(sender, &username);
    let chat = Chat {
        id,
        username,
        content,
        first_words: false,
    };
    Fact::Chat(chat, k, user)
}

pub(super) fn pinned(
    id: &str,
    username: Text<USERNAME>,
    content: Text<MESSAGE>,
    duration: Option<u64>,
) -> Fact {
    let k = id_key(Family::Pinned, id).unwrap_or_else(|| {
        key(Family::Pinned, Window::Same)
            .name(&username)
            .text(&content)
            .finish()
    });
    Fact::Alert(
        Alert::Pinned(Pinned {
            username,
            content,
            duration,
        }),
        Some(k),
    )
}

pub(super) fn gift(
    recipients: List<Text<USERNAME>, ALERT_RECIPIENTS>,
    gifter: Text<USERNAME>,
    correlation: Option<&Text<ID>>,
    index: Option<u32>,
    total_chunks: Option<u32>,
    gifted_total: Option<u32>,
) -> Fact {
    let chunk = Chunk {
        gifter,
        recipients,
        index,
        total_chunks,
        gifted_total,
    };
    let correlation = correlation.and_then(|c| id_key(Family::Gift, c));
    Fact::Gift(chunk, correlation)
}

/// `ChatMessageSentEvent`: the chat's info line about a sub (an alert, with the months) or a
/// gift (a copy of the gift's events).
pub(super) fn info_line(action: &str, username: Text<USERNAME>, months: Option<u32>) -> Fact {
    match action {
        "subscribe" => subscription(&Sub {
            username,
            months,
            ..Sub::default()
        }),
        "gift" => Fact::Copy,
        _ => Fact::Nothing,
    }
}

pub(super) fn activity(kind: &str) -> Fact {
    if kind == "new_subscriber" {
        Fact::Copy
    } else {
        Fact::Nothing
    }
}

/// Keyed by the subscriber alone: three of a sub's five copies lack the months, and within
/// the window one user subscribes once.
pub(super) fn subscription(s: &Sub) -> Fact {
    let k = key(Family::Subscription, Window::Copy)
        .name(&s.username)
        .finish();
    let alert = Alert::Subscription(Subscription {
        username: s.username.clone(),
        months: s.months,
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn host(
    host: &Text<USERNAME>,
    viewers: Option<u64>,
    message: Option<&Text<GIFT_MESSAGE>>,
) -> Fact {
    let k = key(Family::Host, Window::Copy)
        .name(host)
        .number(viewers)
        .finish();
    let alert = Alert::Host(Host {
        host: host.clone(),
        viewers,
        message: message.cloned(),
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn stream_host(h: &StreamHost) -> Fact {
    host(
        &h.host_username,
        h.number_viewers,
        h.optional_message.as_ref(),
    )
}

pub(super) fn stream_hosted(h: &StreamHosted) -> Fact {
    host(
        &h.user.username,
        h.message.number_of_viewers,
        h.message.optional_message.as_ref(),
    )
}

pub(super) fn kicks(k: &KicksGifted) -> Fact {
    let alert = Alert::KicksGift(KicksGift {
        sender: k.sender.username.clone(),
        gift: k.gift.name.clone(),
        amount: k.gift.amount,
        message: k.message.clone(),
    });
    Fact::Alert(alert, id_key(Family::Kicks, &k.gift_transaction_id))
}

pub(super) fn reward(r: &RewardRedeemed) -> Fact {
    let k = key(Family::Reward, Window::Copy)
        .name(&r.username)
        .text(&r.reward_title)
        .text(&r.user_input)
        .finish();
    let alert = Alert::Reward(Reward {
        username: r.username.clone(),
        title: r.reward_title.clone(),
        input: r.user_input.clone(),
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn ban(b: &UserBanned) -> Fact {
    let k = id_key(Family::Ban, &b.id).unwrap_or_else(|| {
        key(Family::Ban, Window::Copy)
            .name(&b.user.username)
            .number(b.duration)
            .finish()
    });
    let alert = Alert::Ban(Ban {
        username: b.user.username.clone(),
        by: b.banned_by.username.clone(),
        permanent: b.is_permanent(),
        duration: b.duration,
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn unban(u: &UserUnbanned) -> Fact {
    let k = id_key(Family::Unban, &u.id).unwrap_or_else(|| {
        key(Family::Unban, Window::Copy)
            .name(&u.user.username)
            .finish()
    });
    let alert = Alert::Unban(Unban {
        username: u.user.username.clone(),
        by: u.unbanned_by.username.clone(),
    });
    Fact::Alert(alert, Some(k))
}

/// Keyed by the message deleted: deleting it twice is one happening.
pub(super) fn deleted(d: &Deleted) -> Fact {
    let id = &d.message.id;
    let alert = Alert::MessageDeleted(MessageDeleted { id: id.clone() });
    Fact::Alert(alert, id_key(Family::Deleted, id))
}

pub(super) fn clear(c: &ChatroomClear) -> Fact {
    let k =
        id_key(Family::Clear, &c.id).unwrap_or_else(|| key(Family::Clear, Window::Same).finish());
    Fact::Alert(Alert::ChatClear, Some(k))
}

pub(super) fn unpinned() -> Fact {
    Fact::Alert(
        Alert::Unpinned,
        Some(key(Family::Unpinned, Window::Same).finish()),
    )
}

/// Keyed by the question and the votes: the same poll state sent again is a copy.
pub(super) fn poll(p: &PollUpdate) -> Fact {
    let p = &p.poll;
    let k = p
        .options
        .iter()
        .fold(key(Family::Poll, Window::Copy).text(&p.title), |k, o| {
            k.text(&o.label).number(Some(o.votes))
        })
        .number(p.remaining)
        .finish();
    let alert = Alert::Poll(Poll {
        title: p.title.clone(),
        options: p.options.clone(),
        remaining: p.remaining,
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn prediction(p: &PredictionEvent) -> Fact {
    let p = &p.prediction;
    let k = p
        .outcomes
        .iter()
        .fold(
            key(Family::Prediction, Window::Copy)
                .text(&p.id)
                .text(&p.title)
                .text(&p.state),
            |k, o| {
                k.text(&o.id)
                    .number(o.vote_count)
                    .number(o.total_vote_amount)
            },
        )
        .text(p.winning_outcome_id.as_deref().unwrap_or(""))
        .finish();
    let alert = Alert::Prediction(Prediction {
        title: p.title.clone(),
        state: p.state.clone(),
        outcomes: p.outcomes.clone(),
        winning_outcome_id: p.winning_outcome_id.clone(),
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn goal(stage: GoalStage, g: &kick::Goal) -> Fact {
    let k = key(Family::Goal, Window::Copy)
        .number(Some(stage as u64))
        .text(&g.id)
        .number(g.current_value)
        .number(g.target_value)
        .finish();
    let alert = Alert::Goal(Goal {
        stage,
        goal_type: g.kind.clone(),
        current: g.current_value,
        target: g.target_value,
        followers: g.current_value.filter(|_| g.kind == "followers"),
    });
    Fact::Alert(alert, Some(k))
}

pub(super) fn live(l: &StreamerIsLive) -> Fact {
    let s = &l.livestream;
    let k = key(Family::Live, Window::Id).number(Some(s.id)).finish();
    Fact::Live(
        Live {
            title: s.session_title.clone(),
        },
        Some(k),
    )
}

pub(super) fn end(e: &StreamEnd) -> Fact {
    let k = key(Family::End, Window::Id)
        .number(Some(e.livestream.id))
        .finish();
    Fact::Alert(Alert::End, Some(k))
}
