//! Alerts as JSON (feature `serde`): one object per alert, its kind in `"alert"` and its
//! fields flat beside it, camelCase where a name has two words (`firstWords`, `goalType`), as
//! lifecycle events are written (`conn/event_json.rs`): what the CLI prints with `--json` and
//! the browser hands to JavaScript. The shape is derived on the types (`alert.rs`); this file
//! holds its rules and the test of each kind against hand-written JSON.
//!
//! ```
//! use kickwire_proto::alerts::{Alert, Subscription};
//! let sub = Alert::Subscription(Subscription {
//!     username: kickwire_proto::Text::from_str_truncating("micke747"),
//!     months: Some(38),
//! });
//! assert_eq!(
//!     serde_json::to_string(&sub).unwrap(),
//!     r#"{"alert":"Subscription","username":"micke747","months":38}"#
//! );
//! ```
//!
//! - A gift's `recipients` are the first names kept; `count` is the exact number.
//! - Absent values are `null` (a sub's `months`, a host's `viewers`), never left out, so every
//!   alert of a kind has the same members.
//! - Poll options and prediction outcomes are written as the events write them
//!   (`{"id","label","votes"}`, `{"id","title","vote_count","total_vote_amount"}`).

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::kick::{Outcome, PollOption};
    use crate::{List, Text};
    use serde_json::{Value, json};

    fn t<const N: usize>(s: &str) -> Text<N> {
        Text::from_str_truncating(s)
    }

    fn list<T: Default, const N: usize>(items: std::vec::Vec<T>, total: u32) -> List<T, N> {
        let mut l = List::default();
        let n = items.len() as u32;
        for item in items {
            *l.next_slot().unwrap() = item;
        }
        l.count_more(total - n);
        l
    }

    fn check(alert: Alert, expected: &str) {
        let got: Value = serde_json::to_value(&alert).unwrap();
        let expected: Value = serde_json::from_str(expected).unwrap();
        assert_eq!(got, expected);
        assert_eq!(got["alert"], json!(alert.kind_name()));
    }

    #[test]
    fn chat() {
        check(
            Alert::Chat(Chat {
                id: t("bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"),
                username: t("OhLookItsMax"),
                content: t("hi [emote:37226:KEKW]"),
                first_words: true,
            }),
            r#"{"alert":"Chat","id":"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932","username":"OhLookItsMax","content":"hi [emote:37226:KEKW]","firstWords":true}"#,
        );
    }

    #[test]
    fn subscription() {
        check(
            Alert::Subscription(Subscription {
                username: t("feepsyy"),
                months: None,
            }),
            r#"{"alert":"Subscription","username":"feepsyy","months":null}"#,
        );
    }

    #[test]
    fn gifted_subscriptions() {
        check(
            Alert::GiftedSubscriptions(GiftedSubscriptions {
                gifter: t("Kl_Vava"),
                count: 50,
                recipients: list(std::vec![t("ebii03"), t("giftee01")], 50),
                chunks: 2,
                complete: false,
            }),
            r#"{"alert":"GiftedSubscriptions","gifter":"Kl_Vava","count":50,"recipients":["ebii03","giftee01"],"chunks":2,"complete":false}"#,
        );
    }

    #[test]
    fn kicks_gift() {
        check(
            Alert::KicksGift(KicksGift {
                sender: t("BestSlime"),
                gift: t("Full Send"),
                amount: 100,
                message: t(""),
            }),
            r#"{"alert":"KicksGift","sender":"BestSlime","gift":"Full Send","amount":100,"message":""}"#,
        );
    }

    #[test]
    fn host() {
        check(
            Alert::Host(Host {
                host: t("Dapt"),
                viewers: Some(40),
                message: Some(t("gg")),
            }),
            r#"{"alert":"Host","host":"Dapt","viewers":40,"message":"gg"}"#,
        );
    }

    #[test]
    fn reward() {
        check(
            Alert::Reward(Reward {
                username: t("u"),
                title: t("Hydrate"),
                input: t("now"),
            }),
            r#"{"alert":"Reward","username":"u","title":"Hydrate","input":"now"}"#,
        );
    }

    #[test]
    fn ban_and_unban() {
        check(
            Alert::Ban(Ban {
                username: t("JohnsonAndJohnson1"),
                by: t("covid1942"),
                permanent: false,
                duration: Some(10),
            }),
            r#"{"alert":"Ban","username":"JohnsonAndJohnson1","by":"covid1942","permanent":false,"duration":10}"#,
        );
        check(
            Alert::Unban(Unban {
                username: t("a"),
                by: t("b"),
            }),
            r#"{"alert":"Unban","username":"a","by":"b"}"#,
        );
    }

    #[test]
    fn message_deleted_clear_pins_and_end() {
        check(
            Alert::MessageDeleted(MessageDeleted { id: t("m1") }),
            r#"{"alert":"MessageDeleted","id":"m1"}"#,
        );
        check(Alert::ChatClear, r#"{"alert":"ChatClear"}"#);
        check(
            Alert::Pinned(Pinned {
                username: t("court"),
                content: t("pinned"),
                duration: Some(1200),
            }),
            r#"{"alert":"Pinned","username":"court","content":"pinned","duration":1200}"#,
        );
        check(Alert::Unpinned, r#"{"alert":"Unpinned"}"#);
        check(Alert::End, r#"{"alert":"End"}"#);
        check(
            Alert::Follow(Follow {
                username: t("follower_name"),
            }),
            r#"{"alert":"Follow","username":"follower_name"}"#,
        );
        check(
            Alert::Live(Live { title: t("LIVE") }),
            r#"{"alert":"Live","title":"LIVE"}"#,
        );
    }

    #[test]
    fn poll_prediction_goal() {
        check(
            Alert::Poll(Poll {
                title: t("Which?"),
                options: list(
                    std::vec![PollOption {
                        id: 0,
                        label: t("A"),
                        votes: 3,
                    }],
                    1,
                ),
                remaining: Some(20),
            }),
            r#"{"alert":"Poll","title":"Which?","options":[{"id":0,"label":"A","votes":3}],"remaining":20}"#,
        );
        check(
            Alert::Prediction(Prediction {
                title: t("Win?"),
                state: t("RESOLVED"),
                outcomes: list(
                    std::vec![Outcome {
                        id: t("o1"),
                        title: t("Yes"),
                        vote_count: Some(2),
                        total_vote_amount: None,
                    }],
                    1,
                ),
                winning_outcome_id: Some(t("o1")),
            }),
            r#"{"alert":"Prediction","title":"Win?","state":"RESOLVED","outcomes":[{"id":"o1","title":"Yes","vote_count":2,"total_vote_amount":null}],"winningOutcomeId":"o1"}"#,
        );
        check(
            Alert::Goal(Goal {
                stage: GoalStage::Progress,
                goal_type: t("followers"),
                current: Some(247_533),
                target: Some(300_000),
                followers: Some(247_533),
            }),
            r#"{"alert":"Goal","stage":"Progress","goalType":"followers","current":247533,"target":300000,"followers":247533}"#,
        );
    }

    #[test]
    fn stats() {
        let s = Stats {
            duplicates: 1,
            copies: 2,
            chunks_dropped: 3,
            gifts_flushed: 4,
            alerts_dropped: 5,
            unmarked: 6,
            unreadable: 7,
        };
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            json!({"duplicates":1,"copies":2,"chunksDropped":3,"giftsFlushed":4,"alertsDropped":5,"unmarked":6,"unreadable":7})
        );
    }
}
