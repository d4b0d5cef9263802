//! Hand-checked edge cases of Kick's loose typing, through the public API
//! (`kickwire_proto::decode`): ids as numeric strings, booleans in every form, timestamps in
//! every form, durations as strings or numbers.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::kick::{ChatMessage, Event};
use kickwire_tests::escape::php_escape;
use kickwire_tests::frames::{
    CHAT, assert_rest_intact, chat, chat_payload, only_event, pusher_frame,
};

// ---------------------------------------------------------------------------------------------
// Kick's loose typing.

/// 2025-07-17T08:44:56Z in unix seconds:
/// days 1970-01-01 → 2025-01-01: 55 years × 365 + 14 leap days (1972..=2024) = 20 089;
/// 2025-01-01 → 07-17: 31+28+31+30+31+30 = 181, + 16 = 197; total 20 286 days;
/// 20 286 × 86 400 = 1 752 710 400 s, + 08:44:56 (28 800 + 2 640 + 56 = 31 496 s)
/// = 1 752 741 896 s. (The captured frame's message_ref is 1752741896375: the same second.)
const T_SECS: i64 = 1_752_741_896;
const T_MS: i64 = T_SECS * 1000;

fn chat_with(members: &str) -> ChatMessage {
    chat(pusher_frame(CHAT, &format!("{{{members}}}"), php_escape).as_bytes())
}

#[test]
fn ids_as_numeric_strings() {
    let m = chat_with(
        r#""chatroom_id":"5976096","sender":{"id":"21608136","username":"x"},"content":"hi""#,
    );
    assert_eq!(m.chatroom_id, 5_976_096);
    assert_eq!(m.sender.id, 21_608_136);
    let m = chat_with(r#""chatroom_id":" 42 ","sender":{"id":21608136}"#);
    assert_eq!((m.chatroom_id, m.sender.id), (42, 21_608_136));
    // Not a number: left at the default, the rest still read.
    let m = chat_with(r#""chatroom_id":"abc","content":"still here""#);
    assert_eq!((m.chatroom_id, m.content.as_str()), (0, "still here"));
    // A numeric id where a string is expected is kept as written.
    let m = chat_with(r#""id":12345,"sender":{"username":987}"#);
    assert_eq!(
        (m.id.as_str(), m.sender.username.as_str()),
        ("12345", "987")
    );
}

#[test]
fn booleans_as_words_numbers_and_strings() {
    let cases = [
        ("true", Some(true)),
        ("1", Some(true)),
        (r#""true""#, Some(true)),
        (r#""1""#, Some(true)),
        ("false", Some(false)),
        ("0", Some(false)),
        (r#""false""#, Some(false)),
        (r#""0""#, Some(false)),
        ("null", None),
        (r#""maybe""#, None),
    ];
    for (json, want) in cases {
        let payload = format!(
            r#"{{"followersCount":"1234","channel_id":"4598","username":null,"created_at":{T_SECS},"followed":{json}}}"#
        );
        let Event::FollowersUpdated(f) = only_event(
            pusher_frame("App\\Events\\FollowersUpdated", &payload, php_escape).as_bytes(),
        ) else {
            panic!("not FollowersUpdated");
        };
        assert_eq!(f.followed, want, "followed: {json}");
        assert_eq!(f.followers_count, Some(1234));
        assert_eq!(f.channel_id, 4598);
        assert_eq!(f.username, None);
        assert_eq!(f.created_at.map(|t| t.unix_millis()), Some(T_MS));

        // And in a nested object (a channel's `is_banned`).
        let payload = format!(
            r#"{{"channel":{{"id":"4598","user_id":"1","slug":"s","is_banned":{json}}},"usernames":["a"],"gifter_username":"g"}}"#
        );
        let Event::LuckyUsersWhoGotGiftSubscriptions(l) = only_event(
            pusher_frame(
                "App\\Events\\LuckyUsersWhoGotGiftSubscriptionsEvent",
                &payload,
                php_escape,
            )
            .as_bytes(),
        ) else {
            panic!("not LuckyUsers");
        };
        let channel = l.channel.expect("channel");
        assert_eq!(channel.is_banned, want, "is_banned: {json}");
        assert_eq!((channel.id, channel.user_id), (4598, Some(1)));
    }
}

#[test]
fn timestamps_in_every_form_are_the_same_instant() {
    // All are 2025-07-17T08:44:56Z = 1 752 741 896 s (see T_SECS).
    let forms = [
        r#""2025-07-17T08:44:56+00:00""#, // ISO 8601 with offset (Laravel)
        r#""2025-07-17T10:44:56+02:00""#, // 10:44 at +02:00 is 08:44 UTC
        r#""2025-07-17T03:44:56-05:00""#, // 03:44 at -05:00 is 08:44 UTC
        r#""2025-07-17T09:44:56+0100""#,  // offset without a colon
        r#""2025-07-17T08:44:56.000000000Z""#, // RFC 3339, nanoseconds, Z (Go)
        r#""2025-07-17T08:44:56Z""#,
        r#""2025-07-17 08:44:56""#, // SQL style, taken as UTC
        "1752741896",               // unix seconds
        r#""1752741896""#,
        "1752741896000", // unix milliseconds
        r#""1752741896000""#,
    ];
    for form in forms {
        let m = chat_with(&format!(r#""created_at":{form}"#));
        assert_eq!(m.created_at.map(|t| t.unix_millis()), Some(T_MS), "{form}");
    }
    // Fractions keep their milliseconds: .375123456 s → 375 ms (the capture's message_ref).
    let m = chat_with(r#""created_at":"2025-07-17T08:44:56.375123456Z""#);
    assert_eq!(
        m.created_at.map(|t| t.unix_millis()),
        Some(1_752_741_896_375)
    );
    let m = chat_with(r#""created_at":1752741896375"#);
    assert_eq!(
        m.created_at.map(|t| t.unix_millis()),
        Some(1_752_741_896_375)
    );
    // Not a time: `None`, and the rest of the message is still read.
    for bad in [
        r#""yesterday""#,
        r#""2025-13-17T08:44:56Z""#,
        "null",
        "{}",
        "true",
    ] {
        let m = chat_with(&format!(r#""created_at":{bad},"content":"after""#));
        assert_eq!(m.created_at, None, "{bad}");
        assert_eq!(m.content.as_str(), "after");
    }
}

#[test]
fn pinned_duration_as_string_or_number() {
    for duration in [r#""1200""#, "1200", "1200.0"] {
        let payload = format!(
            r#"{{"message":{},"duration":{duration}}}"#,
            chat_payload("pinned")
        );
        let Event::PinnedMessageCreated(p) = only_event(
            pusher_frame(
                "App\\Events\\PinnedMessageCreatedEvent",
                &payload,
                php_escape,
            )
            .as_bytes(),
        ) else {
            panic!("not PinnedMessageCreated");
        };
        assert_eq!(p.duration, Some(1200), "{duration}");
        assert_eq!(p.message.content.as_str(), "pinned");
        assert_rest_intact(&p.message);
    }
}
