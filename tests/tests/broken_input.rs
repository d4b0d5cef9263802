//! Hand-checked edge cases of truncated and broken input, through the public API
//! (`kickwire_proto::decode`): an error item, never a panic, a stack overflow or a hang.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::kick::Event;
use kickwire_proto::{DecodeError, Layer, Message, SyntaxError, decode};
use kickwire_tests::escape::{php_escape, raw_escape};
use kickwire_tests::frames::{
    CHANNEL, CHAT, assert_rest_intact, chat, chat_frame, decode_all, only_error, pusher_frame,
    vector_line,
};

// ---------------------------------------------------------------------------------------------
// Truncated and broken input: an error item, never a panic.

/// `ChatMessageEvent.jsonl` line 2 (a public capture).
const CAPTURED_CHAT: &str = r##"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932\",\"chatroom_id\":1221707,\"content\":\"[emote:3989851:litneyspears4Max]on my way to show you love\",\"type\":\"message\",\"created_at\":\"2025-07-17T08:44:56+00:00\",\"sender\":{\"id\":3528468,\"username\":\"OhLookItsMax\",\"slug\":\"ohlookitsmax\",\"identity\":{\"color\":\"#FF9D00\",\"badges\":[{\"type\":\"vip\",\"text\":\"VIP\"},{\"type\":\"subscriber\",\"text\":\"Subscriber\",\"count\":26}]}},\"metadata\":{\"message_ref\":\"1752741896375\"}}","channel":"chatrooms.1221707.v2"}"##;

#[test]
fn captured_frame_matches_the_vector_file() {
    let line = vector_line("ChatMessageEvent.jsonl", 2).expect("tests/vectors has the capture");
    assert_eq!(line, CAPTURED_CHAT);
    let m = chat(CAPTURED_CHAT.as_bytes());
    assert_eq!(
        m.content.as_str(),
        "[emote:3989851:litneyspears4Max]on my way to show you love"
    );
    assert_eq!(m.sender.username.as_str(), "OhLookItsMax");
    assert_eq!(m.sender.identity.badges.len(), 2);
    assert_eq!(m.sender.identity.badges[1].count, Some(26));
}

#[test]
fn every_prefix_of_a_real_frame_is_an_error_or_nothing() {
    let frame = CAPTURED_CHAT.as_bytes();
    let mut unexpected_end = 0;
    let mut others = Vec::new();
    for cut in 0..frame.len() {
        let items = decode_all(&frame[..cut]);
        if cut == 0 {
            assert!(items.is_empty(), "empty input gives nothing");
            continue;
        }
        assert_eq!(items.len(), 1, "prefix of {cut} bytes: {items:?}");
        match &items[0] {
            Err(DecodeError::Syntax {
                layer: Layer::Envelope,
                error: SyntaxError::UnexpectedEnd,
                ..
            }) => {
                unexpected_end += 1;
            }
            Err(e @ DecodeError::Syntax { .. }) => others.push((cut, *e)),
            other => panic!("prefix of {cut} bytes: {other:?}"),
        }
    }
    // A frame cut anywhere is an unterminated object or string: "unexpected end" every time.
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(unexpected_end, frame.len() - 1);
}

#[test]
fn every_prefix_of_a_real_payload_is_a_payload_error() {
    let payload = r##"{"id":"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932","chatroom_id":1221707,"content":"[emote:3989851:litneyspears4Max]on my way to show you love","type":"message","created_at":"2025-07-17T08:44:56+00:00","sender":{"id":3528468,"username":"OhLookItsMax","slug":"ohlookitsmax","identity":{"color":"#FF9D00","badges":[{"type":"vip","text":"VIP"},{"type":"subscriber","text":"Subscriber","count":26}]}},"metadata":{"message_ref":"1752741896375"}}"##;
    assert_eq!(
        pusher_frame(CHAT, payload, raw_escape)
            .replace("chatrooms.5976096.v2", "chatrooms.1221707.v2"),
        CAPTURED_CHAT
    );
    for cut in 0..payload.len() {
        let frame = pusher_frame(CHAT, &payload[..cut], raw_escape);
        match only_error(frame.as_bytes()) {
            DecodeError::Syntax {
                layer: Layer::Payload,
                error: SyntaxError::UnexpectedEnd,
                offset,
            } => {
                assert!(offset <= cut, "offset {offset} past the end {cut}");
            }
            other => panic!("payload cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn invalid_utf8_in_strings_becomes_replacement_chars() {
    let frame = chat_frame("@C@", raw_escape);
    let (head, tail) = frame.split_once("@C@").unwrap();
    // Raw 0xFF (never valid), 0xC3 alone (a 2-byte lead without its continuation), and
    // 0xE2 0x82 (a 3-byte sequence cut short) each become one U+FFFD.
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(b"a\xffb \xc3x \xe2\x82 end\xc3");
    bytes.extend_from_slice(tail.as_bytes());
    let m = chat(&bytes);
    assert_eq!(
        m.content.as_str(),
        "a\u{FFFD}b \u{FFFD}x \u{FFFD} end\u{FFFD}"
    );
    assert!(!m.content.is_truncated());
    assert_rest_intact(&m);

    // Mixed with escapes (PHP style), and in the channel name.
    let frame = chat_frame("é@C@é", php_escape).replace(CHANNEL, "chatrooms.@C@.v2");
    let mut bytes = Vec::new();
    for (i, piece) in frame.split("@C@").enumerate() {
        if i > 0 {
            bytes.push(0xFF);
        }
        bytes.extend_from_slice(piece.as_bytes());
    }
    let items = decode_all(&bytes);
    let [
        Ok(Message::Kick {
            channel,
            event: Event::ChatMessage(m),
            ..
        }),
    ] = &items[..]
    else {
        panic!("{items:?}");
    };
    assert_eq!(channel.as_str(), "chatrooms.\u{FFFD}.v2");
    assert_eq!(m.content.as_str(), "é\u{FFFD}é");
    assert_rest_intact(m);
}

/// xorshift64 (Marsaglia 2003): deterministic bytes without a rand crate.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn one_megabyte_of_random_garbage_gives_only_errors() {
    let garbage = XorShift(0x9E37_79B9_7F4A_7C15).bytes(1 << 20);
    let items = decode_all(&garbage);
    // After an error the decoder resumes at the next newline: at most one item per byte, and
    // in practice about one per line (a random byte is `\n` once in 256).
    assert!(!items.is_empty());
    assert!(items.len() <= garbage.len());
    for (i, item) in items.iter().enumerate() {
        assert!(item.is_err(), "item {i} of garbage decoded: {item:?}");
    }
}

#[test]
fn one_megabyte_of_json_shaped_garbage_never_panics() {
    // Garbage built from JSON tokens reaches deeper into the parsers than random bytes.
    const TOKENS: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"\"",
        b"\\",
        b"\\\"",
        b"\\\\",
        b"\\u",
        b"d83d",
        b"\\ud83d",
        b"\\ude2d",
        b"\n",
        b" ",
        b"0",
        b"-1",
        b"1.5e3",
        b"true",
        b"false",
        b"null",
        b"\"event\"",
        b"\"data\"",
        b"\"channel\"",
        b"\"push\"",
        b"\"pub\"",
        b"\"content\"",
        br#""App\\Events\\ChatMessageEvent""#,
        br#""{\"content\":\""#,
        b"\xff",
        "😭".as_bytes(),
        b"\"id\"",
        b"\"connect\"",
        b"\"error\"",
    ];
    let mut rng = XorShift(0x0123_4567_89AB_CDEF);
    let mut garbage = Vec::with_capacity((1 << 20) + 64);
    while garbage.len() < 1 << 20 {
        garbage.extend_from_slice(TOKENS[(rng.next() % TOKENS.len() as u64) as usize]);
    }
    let items = decode_all(&garbage);
    assert!(items.len() <= garbage.len());
    // Also with a scratch buffer too small for most payloads.
    let mut tiny = [0u8; 16];
    assert!(decode(&garbage, &mut tiny).count() <= garbage.len());
}

/// Runs `f` on a thread with a small stack: a recursive parser would overflow it on 10 000
/// levels of nesting (even at 64 bytes a level that is 640 KB).
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn assert_too_deep(message: &[u8], layer: Layer) {
    match only_error(message) {
        DecodeError::Syntax {
            layer: l,
            error: SyntaxError::TooDeep,
            ..
        } if l == layer => {}
        other => panic!("expected {layer:?} TooDeep, got {other:?}"),
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    with_small_stack(|| {
        // 1 MB of `[`: one error, TooDeep after 128 levels.
        let brackets = vec![b'['; 1 << 20];
        assert_too_deep(&brackets, Layer::Envelope);

        let deep_arrays = "[".repeat(10_000);
        let deep_objects = r#"{"a":"#.repeat(10_000);
        for deep in [&deep_arrays, &deep_objects] {
            // In the envelope: as `data`, as an unknown member, in a Centrifugo push.
            let frame = format!(r#"{{"event":"{}","data":{deep}"#, raw_escape(CHAT));
            assert_too_deep(frame.as_bytes(), Layer::Envelope);
            let frame = format!(r#"{{"event":"{}","x":{deep}"#, raw_escape(CHAT));
            assert_too_deep(frame.as_bytes(), Layer::Envelope);
            let frame = format!(r#"{{"push":{{"channel":"c","pub":{{"data":{deep}"#);
            assert_too_deep(frame.as_bytes(), Layer::Envelope);

            // In the payload: at the top, as the content, inside a member read into a struct,
            // inside a list of structs, and as the payload of an event that reads none of it.
            let payloads = [
                deep.clone(),
                format!(r#"{{"content":{deep}"#),
                format!(r#"{{"sender":{{"identity":{deep}"#),
                format!(r#"{{"sender":{{"identity":{{"badges":[{deep}"#),
                format!(r#"{{"metadata":{{"original_message":{{"id":{deep}"#),
            ];
            for p in &payloads {
                assert_too_deep(pusher_frame(CHAT, p, raw_escape).as_bytes(), Layer::Payload);
            }
            let frame = pusher_frame("App\\Events\\PinnedMessageDeletedEvent", deep, raw_escape);
            assert_too_deep(frame.as_bytes(), Layer::Payload);
        }

        // Within the limit is fine: 128 levels of arrays skipped as an unknown member; 200 is not.
        let ok = format!(
            r#"{{"x":{}{},"content":"fine"}}"#,
            "[".repeat(128),
            "]".repeat(128)
        );
        assert_eq!(
            chat(pusher_frame(CHAT, &ok, raw_escape).as_bytes())
                .content
                .as_str(),
            "fine"
        );
        let too = format!(
            r#"{{"x":{}{},"content":"fine"}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_too_deep(
            pusher_frame(CHAT, &too, raw_escape).as_bytes(),
            Layer::Payload,
        );
    });
}
