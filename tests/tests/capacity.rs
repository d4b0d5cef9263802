//! Hand-checked edge cases of capacity, through the public API (`kickwire_proto::decode`):
//! Kick's 500-character messages always fit, longer ones are cut at a char boundary and flagged,
//! lists keep their first items and the exact count, and a payload too large for the scratch
//! buffer is an error that leaves the next message decodable.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::kick::Event;
use kickwire_proto::{DecodeError, Message, decode, limits};
use kickwire_tests::escape::{ESCAPERS, php_escape};
use kickwire_tests::frames::{
    assert_rest_intact, chat, chat_frame, only_event, pusher_frame, scalars, vector_line,
};

// ---------------------------------------------------------------------------------------------
// Capacity: Kick's 500-character messages always fit.

#[test]
fn php_escaped_worst_case_500_emoji_is_not_truncated() {
    let content = "😭".repeat(500);
    let frame = chat_frame(&content, php_escape);
    // PHP writes 😭 (U+1F62D) as the pair `\ud83d\ude2d` (12 bytes) in the payload, and the
    // second encoding doubles each backslash: `\\ud83d\\ude2d`, 14 bytes in the frame.
    // 500 × 14 = 7 000 bytes of content, ~7.6 KB with the rest of the frame.
    assert!(
        frame.contains(r#""content\":\"\\ud83d\\ude2d\\ud83d"#),
        "{}",
        &frame[..200]
    );
    assert!(
        (7_000..8_000).contains(&frame.len()),
        "frame is {} bytes",
        frame.len()
    );
    assert!(frame.len() <= limits::MAX_PAYLOAD);

    let m = chat(frame.as_bytes());
    assert_eq!(m.content.as_str(), content);
    assert_eq!(m.content.chars().count(), 500);
    assert!(m.content.chars().all(|c| c == '😭'));
    // 500 × 4 UTF-8 bytes: exactly the capacity.
    assert_eq!(m.content.len(), 2_000);
    assert_eq!(m.content.len(), limits::MESSAGE);
    assert!(!m.content.is_truncated());
    assert_rest_intact(&m);
}

#[test]
fn synthetic_vector_line_3_is_500_emoji() {
    // The same worst case as the vector file holds (7 655 bytes, with badges_v2).
    let line = vector_line("synthetic_edge_cases.jsonl", 3).expect("tests/vectors has it");
    assert!(line.contains(r"\\ud83d\\ude2d"));
    assert!((7_000..8_000).contains(&line.len()), "{}", line.len());
    let m = chat(line.as_bytes());
    assert_eq!(m.content.as_str(), "😭".repeat(500));
    assert!(!m.content.is_truncated());
    assert_eq!(m.id.as_str(), "00000000-0000-4000-8000-000000000003");
}

#[test]
fn five_hundred_chars_of_any_script_are_never_truncated() {
    // Lengths are Unicode scalar values, as Kick counts them; UTF-8 bytes in the comments.
    let cases = [
        // 3 bytes each: 1 500 bytes.
        ("CJK", scalars("漢字仮名交じり文日本語中文한국어", 500)),
        // 2 bytes each (spaces 1): < 1 000 bytes.
        ("Arabic", scalars("البكسل بس عندي يا شات ", 500)),
        // Precomposed (2 bytes) and combining (e + U+0301) accents.
        (
            "Latin",
            scalars("Ça déjà été, señor Ångström! ÿœßĳ e\u{301}o\u{308} ", 500),
        ),
        // Astral scripts, 4 bytes each: exactly 2 000 bytes.
        ("astral", scalars("𝕏𐌰𝄞𓀀🀄", 500)),
        // ZWJ sequences: 👨‍👩‍👧‍👦 is 7 scalars (4 emoji + 3 ZWJ), 🏳️‍🌈 has a VS16; cut anywhere.
        (
            "emoji+ZWJ",
            scalars(
                "👨\u{200d}👩\u{200d}👧\u{200d}👦👩🏽\u{200d}💻🏳\u{fe0f}\u{200d}🌈❤\u{fe0f}\u{200d}🔥🧑\u{200d}🤝\u{200d}🧑😭",
                500,
            ),
        ),
        (
            "mixed",
            scalars("a漢ب😭é👨\u{200d}👩\u{200d}👧 \"\\/<>\n", 500),
        ),
    ];
    for (label, content) in &cases {
        assert_eq!(content.chars().count(), 500, "{label}");
        assert!(
            content.len() <= limits::MESSAGE,
            "{label}: {} bytes",
            content.len()
        );
        for (esc_name, esc) in ESCAPERS {
            let m = chat(chat_frame(content, esc).as_bytes());
            assert_eq!(m.content.as_str(), content, "{label} / {esc_name}");
            assert!(!m.content.is_truncated(), "{label} / {esc_name}");
            assert_rest_intact(&m);
        }
    }
}

#[test]
fn over_capacity_is_cut_at_a_char_boundary_and_flagged() {
    for (esc_name, esc) in ESCAPERS {
        // 600 × 4 bytes = 2 400 > 2 000: the first 500 fit exactly.
        let m = chat(chat_frame(&"😭".repeat(600), esc).as_bytes());
        assert_eq!(m.content.as_str(), "😭".repeat(500), "{esc_name}");
        assert!(m.content.is_truncated(), "{esc_name}");
        assert_rest_intact(&m); // members after `content` are still read

        // 1 + 600 × 4: after "a" and 499 emoji (1 + 1 996 = 1 997 bytes) the next would end at
        // 2 001 > 2 000, so the cut is at 1 997, not inside the 500th emoji.
        let m = chat(chat_frame(&format!("a{}", "😭".repeat(600)), esc).as_bytes());
        assert_eq!(
            m.content.as_str(),
            format!("a{}", "😭".repeat(499)),
            "{esc_name}"
        );
        assert_eq!(m.content.len(), 1_997);
        assert!(m.content.is_truncated());

        // 1 + 700 × 3: 1 + 666 × 3 = 1 999 bytes fit, the 667th would end at 2 002.
        let m = chat(chat_frame(&format!("a{}", "漢".repeat(700)), esc).as_bytes());
        assert_eq!(
            m.content.as_str(),
            format!("a{}", "漢".repeat(666)),
            "{esc_name}"
        );
        assert_eq!(m.content.len(), 1_999);
        assert!(m.content.is_truncated());

        // Exactly 2 000 ASCII bytes is not truncated; 2 001 is.
        let m = chat(chat_frame(&"x".repeat(2_000), esc).as_bytes());
        assert!(!m.content.is_truncated());
        let m = chat(chat_frame(&"x".repeat(2_001), esc).as_bytes());
        assert_eq!(m.content.len(), 2_000);
        assert!(m.content.is_truncated());
    }
}

// ---------------------------------------------------------------------------------------------
// Lists beyond their capacity.

#[test]
fn gift_of_120_keeps_100_names_and_the_exact_count() {
    let names: Vec<String> = (0..120).map(|i| format!("user_{i:03}")).collect();
    let payload = format!(
        r#"{{"chatroom_id":2507974,"gifted_usernames":{},"gifter_username":"court","gifted_total":120,"gifter_total":500}}"#,
        serde_json::to_string(&names).unwrap()
    );
    let Event::GiftedSubscriptions(g) = only_event(
        pusher_frame(
            "App\\Events\\GiftedSubscriptionsEvent",
            &payload,
            php_escape,
        )
        .as_bytes(),
    ) else {
        panic!("not a gift");
    };
    assert_eq!(g.gifted_count, 120);
    assert_eq!(g.gifted_usernames.total(), 120);
    assert_eq!(g.gifted_usernames.len(), 100);
    assert_eq!(limits::GIFT_RECIPIENTS, 100);
    assert!(g.gifted_usernames.is_truncated());
    for (i, name) in g.gifted_usernames.iter().enumerate() {
        assert_eq!(name.as_str(), names[i], "in order");
    }
    assert_eq!(
        g.gifted_usernames.last().map(|n| n.as_str()),
        Some("user_099")
    );
    assert_eq!(g.gifter_username.as_str(), "court");
    assert_eq!(g.gifted_total, Some(120));
    assert_eq!(g.gifter_total, Some(500));
}

// ---------------------------------------------------------------------------------------------
// The scratch buffer.

#[test]
fn a_payload_too_large_for_the_scratch_buffer_is_reported_and_the_next_message_decodes() {
    // Two Centrifugo-style lines of Pusher frames in one message: a subscription whose data
    // string is 64 raw bytes, then a ping. Its payload has a newline between two members,
    // written `\n` in the data string: whitespace the one-pass reader leaves to the two-pass
    // path, which unescapes into scratch. With 40 bytes of scratch it is too large (its raw
    // length, 64, always suffices), and the second still decodes.
    let sub = r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":4598,\n\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.4598.v2"}"#;
    let data_len = r#"{\"chatroom_id\":4598,\n\"username\":\"micke747\",\"months\":38}"#.len();
    assert_eq!(data_len, 64);
    let message = format!("{sub}\n{}", r#"{"event":"pusher:pong","data":"{}"}"#);
    let mut scratch = [0u8; 40];
    let items: Vec<_> = decode(message.as_bytes(), &mut scratch).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], Err(DecodeError::PayloadTooLarge { required: 64 }));
    assert!(
        matches!(&items[1], Ok(Message::Control { name, .. }) if name.as_str() == "pusher:pong")
    );
    // The same payload written without that escape is read where it lies: no scratch at all.
    let plain = sub.replace("\\n", "");
    let Some(Ok(Message::Kick {
        event: Event::Subscription(s),
        ..
    })) = decode(plain.as_bytes(), &mut []).next()
    else {
        panic!("expected the subscription read in one pass");
    };
    assert_eq!((s.username.as_str(), s.months), ("micke747", Some(38)));
    // With the raw length it fits (unescaping never grows the text, so that always suffices).
    let mut exact = [0u8; 64];
    let Some(Ok(Message::Kick {
        event: Event::Subscription(s),
        ..
    })) = decode(sub.as_bytes(), &mut exact).next()
    else {
        panic!("expected the subscription");
    };
    assert_eq!((s.username.as_str(), s.months), ("micke747", Some(38)));
}
