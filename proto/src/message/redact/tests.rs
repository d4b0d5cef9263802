use super::*;
use std::string::{String, ToString};
use std::vec::Vec;

/// The redacted text and the count.
fn run(text: &str) -> (String, usize) {
    let mut bytes = text.as_bytes().to_vec();
    let r = redact(&mut bytes);
    bytes.truncate(r.len);
    (String::from_utf8(bytes).unwrap(), r.count)
}

#[test]
fn a_plain_payload_loses_its_playback_url() {
    // The channel object of the ChatMoveToSupportedChannelEvent vector, unescaped and shortened.
    let payload = r#"{"channel":{"id":1228709,"slug":"litneyspears","is_banned":false,"playback_url":"https:\/\/fa723fc1b171.us-west-2.playback.live-video.net\/api\/video\/v1\/us-west-2.196233775518.channel.JlhOxRLIUFVC.m3u8","vod_enabled":true}}"#;
    assert_eq!(
        run(payload),
        (
            r#"{"channel":{"id":1228709,"slug":"litneyspears","is_banned":false,"playback_url":"[redacted]","vod_enabled":true}}"#.into(),
            1
        )
    );
}

#[test]
fn inside_kicks_double_encoding_too() {
    let frame = r#"{"event":"App\\Events\\ChatMoveToSupportedChannelEvent","data":"{\"channel\":{\"slug\":\"litneyspears\",\"playback_url\":\"https:\\/\\/fa723fc1b171.us-west-2.playback.live-video.net\\/x.m3u8\",\"vod_enabled\":true}}","channel":"channel.1228709"}"#;
    assert_eq!(
        run(frame),
        (
            r#"{"event":"App\\Events\\ChatMoveToSupportedChannelEvent","data":"{\"channel\":{\"slug\":\"litneyspears\",\"playback_url\":\"[redacted]\",\"vod_enabled\":true}}","channel":"channel.1228709"}"#.into(),
            1
        )
    );
}

#[test]
fn a_centrifugo_publication_and_several_messages_per_frame() {
    let frame = concat!(
        r#"{"push":{"channel":"channel.1","pub":{"data":{"event":"App\\Events\\GiftsLeaderboardUpdated","data":"{\"channel\":{\"playback_url\":\"https:\\/\\/a.playback.live-video.net\\/b.m3u8\"}}"}}}}"#,
        "\n{}\n",
        r#"{"push":{"channel":"channel.1","pub":{"data":{"event":"X","data":{"playback_url":"https://c.playback.live-video.net/d.m3u8"}}}}}"#,
    );
    assert_eq!(
        run(frame),
        (
            concat!(
                r#"{"push":{"channel":"channel.1","pub":{"data":{"event":"App\\Events\\GiftsLeaderboardUpdated","data":"{\"channel\":{\"playback_url\":\"[redacted]\"}}"}}}}"#,
                "\n{}\n",
                r#"{"push":{"channel":"channel.1","pub":{"data":{"event":"X","data":{"playback_url":"[redacted]"}}}}}"#,
            )
            .into(),
            2
        )
    );
}

#[test]
fn a_presigned_picture_keeps_its_address_and_loses_its_query() {
    // ChatMessageSentEvent's sender picture (the vector's own URL, escaped as Kick sends it).
    let frame = r#"{"event":"App\\Events\\ChatMessageSentEvent","data":"{\"user\":{\"profile_pic\":\"https:\\/\\/kick-files-prod.s3.us-west-2.amazonaws.com\\/images\\/user\\/1\\/profile_image\\/conversion\\/462cfe47-thumb.webp?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAS3MDRZGPDOOAYROR%2F20250704%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20250704T050415Z&X-Amz-SignedHeaders=host&X-Amz-Expires=299&X-Amz-Signature=4dbf64a8b9d3ad89c30bc8c4fac2c284800f98e26c7ef842fceec03d7969b2ba\",\"verified\":false}}","channel":"chatrooms.1.v2"}"#;
    assert_eq!(
        run(frame),
        (
            r#"{"event":"App\\Events\\ChatMessageSentEvent","data":"{\"user\":{\"profile_pic\":\"https:\\/\\/kick-files-prod.s3.us-west-2.amazonaws.com\\/images\\/user\\/1\\/profile_image\\/conversion\\/462cfe47-thumb.webp\",\"verified\":false}}","channel":"chatrooms.1.v2"}"#.into(),
            1
        )
    );
}

#[test]
fn unsigned_urls_and_viewers_text_stay() {
    let cases = [
        // An emote picture: a URL with a query, but no signature in it.
        r#"{"image_url":"https://files.kick.com/emotes/1/fullsize?v=2"}"#,
        // A signature parameter in text that is not a whole URL.
        r#"{"content":"see https://x.example/a?signature=1 here"}"#,
        // A blank right after `http://` (the eighth byte, which the scheme test reads): text
        // that starts like a URL, not one (found by the `redact` fuzz target's model).
        r#"{"content":"http:// x?signature=1"}"#,
        r#"{"content":"http://\tx?signature=1"}"#,
        // A chat message whose text looks like a secret: one level too deep to be structure.
        r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"content\":\"{\\\"playback_url\\\":\\\"https:\\\/\\\/x\\\"}\"}","channel":"c"}"#,
        // The key as a value, not a key.
        r#"{"a":"playback_url","b":"https://x"}"#,
        // A secret key with a value that is not a string.
        r#"{"playback_url":null,"next":"https://y"}"#,
        r#"{"playback_url":{"url":"z"}}"#,
    ];
    for text in cases {
        assert_eq!(run(text), (text.into(), 0), "{text}");
    }
}

#[test]
fn escapes_in_the_key_and_the_value_are_read_as_json_reads_them() {
    assert_eq!(
        run(r#"{"playback\u005furl":"https:\/\/x.example\/long-enough"}"#),
        (r#"{"playback\u005furl":"[redacted]"}"#.into(), 1)
    );
    // A query mark written as \u003f is still the query's start.
    assert_eq!(
        run(r#"{"p":"https://x.example/a\u003fX-Amz-Signature=ab"}"#),
        (r#"{"p":"https://x.example/a"}"#.into(), 1)
    );
    // An escaped quote inside the value does not end it early.
    assert_eq!(
        run(r#"{"playback_url":"a\"b\\\"c long value","k":1}"#),
        (r#"{"playback_url":"[redacted]","k":1}"#.into(), 1)
    );
}

#[test]
fn texts_that_name_no_secret_are_not_scanned() {
    // The quick look: no secret key, no signature parameter after a `?` or `&`, and no ASCII
    // character hidden in a \u escape means nothing to redact, whatever else the text holds.
    for text in [
        &br#"{"content":"\u0645\u0631\u062d\u0628\u0627 https:\/\/x.example\/a?b=c"}"#[..],
        // Keys are compared exactly, by the full scan too; parameters only after `?` or `&`.
        br#"{"PLAYBACK_URL":"x"}"#,
        br#"{"content":"sign the policy: signature, key-pair-id, x-amz-signature"}"#,
    ] {
        assert!(
            !might_hold_secret(text),
            "{}",
            String::from_utf8_lossy(text)
        );
        assert!(!might_change_typed_escaped(text));
        assert_eq!(redact_all(&mut text.to_vec()).count, 0);
    }
    for text in [
        &br#"{"u":"https://x?X-Amz-Credential=1"}"#[..],
        br#"{"u":"https://x?a=1&Policy=2"}"#,
        br#"{"u":"https://x?sIgNaTuRe=1"}"#,
        br#"{"playback\u005furl":"x"}"#,
        br#"{"data":"{\"k\":\"\\u0070layback_url\"}"}"#,
    ] {
        assert!(might_hold_secret(text), "{}", String::from_utf8_lossy(text));
    }
    // The look for the one-pass reader's typed events finds a signed query at any depth of
    // escapes. It leaves a secret key alone (no typed field keeps its value) and ASCII behind
    // `\u00` to that reader, which refuses it (`json::escaped`'s tests).
    for text in [
        &br#"{"u":"https://x?X-Amz-Credential=1"}"#[..],
        br#"{"u":"https://x?a=1&Policy=2"}"#,
        br#"{\"u\":\"https:\/\/x?sIgNaTuRe=1\"}"#,
        br#"{\"playback_url\":\"https:\/\/x.m3u8?token=1&Key-Pair-Id=2\"}"#,
    ] {
        assert!(
            might_change_typed_escaped(text),
            "{}",
            String::from_utf8_lossy(text)
        );
    }
    for text in [
        &br#"{\"playback_url\":\"https:\/\/x.m3u8?token=1\"}"#[..],
        br#"{\"playback\\u005furl\":1}"#,
    ] {
        assert!(
            !might_change_typed_escaped(text),
            "{}",
            String::from_utf8_lossy(text)
        );
    }
}

#[test]
fn the_quick_look_finds_a_secret_wherever_it_falls() {
    for pad in 0..17 {
        // Each as short as it can be: a byte less is nothing.
        for secret in ["playback_url", "?x-amz-signature", "&Policy", r"\u007"] {
            let text = std::format!("{}{secret}{}", " ".repeat(pad), " ".repeat(pad % 3));
            assert!(might_hold_secret(text.as_bytes()), "{text:?}");
            let cut = &text.as_bytes()[..pad + secret.len() - 1];
            assert!(
                !might_hold_secret(cut),
                "{:?}",
                String::from_utf8_lossy(cut)
            );
        }
    }
}

#[test]
fn a_short_secret_becomes_empty_so_the_text_never_grows() {
    assert_eq!(
        run(r#"{"playback_url":"abc"}"#),
        (r#"{"playback_url":""}"#.into(), 1)
    );
    assert_eq!(
        run(r#"{"playback_url":""}"#),
        (r#"{"playback_url":""}"#.into(), 0)
    );
}

#[test]
fn broken_json_is_redacted_as_far_as_it_reads_and_kept_after() {
    assert_eq!(
        run(r#"{"playback_url":"https://secret.example/x.m3u8","b":"unterminated"#),
        (
            r#"{"playback_url":"[redacted]","b":"unterminated"#.into(),
            1
        )
    );
    for text in [
        "",
        "\"",
        "\\",
        "{\"a\\u12",
        "{\"playback_url\":\"\\",
        "\u{80}\u{ffff}",
    ] {
        assert_eq!(run(text), (text.into(), 0), "{text:?}");
    }
}

#[test]
fn several_secrets_in_one_text_are_all_removed_in_one_pass() {
    let one = r#"{"playback_url":"https://a.example/1.m3u8","pic":"https://b.example/p.webp?Signature=s&Key-Pair-Id=k"}"#;
    let text: Vec<&str> = core::iter::repeat_n(one, 50).collect();
    let text = text.join("\n");
    let (out, count) = run(&text);
    assert_eq!(count, 100);
    let want: Vec<&str> = core::iter::repeat_n(
        r#"{"playback_url":"[redacted]","pic":"https://b.example/p.webp"}"#,
        50,
    )
    .collect();
    assert_eq!(out, want.join("\n"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn texts() -> impl Strategy<Value = String> {
        // Pieces that make up Kick-like frames, in any order and nesting.
        let piece = prop_oneof![
            Just(r#"{"playback_url":"https://a.example/x.m3u8"}"#.to_string()),
            Just(r#""data":"{\"playback_url\":\"https:\\/\\/b\\/c.m3u8\"}""#.to_string()),
            Just(r#""pic":"https://c.example/p?X-Amz-Signature=1""#.to_string()),
            Just(r#""pic":"https://d.example/p?a=1&Key-Pair-Id=2""#.to_string()),
            Just(r#"\"#.to_string()),
            Just(r#"""#.to_string()),
            Just(":".to_string()),
            Just(",".to_string()),
            "[ -~]{0,8}",
            any::<String>(),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    /// `text` with some of its ASCII characters written as JSON `\u00XX` escapes, as a
    /// sender may write any character (`which` picks them).
    fn escaped(text: &str, which: &[bool]) -> String {
        let mut out = String::new();
        for (i, c) in text.chars().enumerate() {
            let hide = which.get(i % which.len().max(1)).copied().unwrap_or(false);
            if hide && (c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '?' || c == '&') {
                out.push_str(&std::format!("\\u{:04x}", u32::from(c)));
                continue;
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn the_quick_look_never_skips_a_secret(
            text in texts(),
            which in prop::collection::vec(any::<bool>(), 1..8),
            upper in any::<bool>(),
        ) {
            // Secret names escaped or in another case must still be found: the quick look
            // only skips texts the full scan would leave as they are.
            let text = escaped(&text, &which);
            let text = if upper { text.to_uppercase() } else { text };
            let mut quick = text.clone().into_bytes();
            let mut full = text.into_bytes();
            let (q, f) = (redact(&mut quick), redact_all(&mut full));
            prop_assert_eq!(q, f);
            prop_assert_eq!(&quick[..q.len], &full[..f.len]);
        }

        #[test]
        fn never_grows_and_a_second_pass_changes_nothing(text in texts()) {
            let mut bytes = text.clone().into_bytes();
            let first = redact(&mut bytes);
            prop_assert!(first.len <= text.len());
            bytes.truncate(first.len);
            let once = bytes.clone();
            let second = redact(&mut bytes);
            prop_assert_eq!(second.count, 0);
            prop_assert_eq!(&bytes[..second.len], &once[..]);
            // Text without a secret comes back as it went in.
            if first.count == 0 {
                prop_assert_eq!(once, text.into_bytes());
            }
        }
    }
}
