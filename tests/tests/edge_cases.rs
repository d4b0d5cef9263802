//! Hand-checked edge cases through the public API only: `kickwire_proto::decode` on whole
//! WebSocket messages, and `json::{unescape_in_place, unescape_into}`.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::json::{UnescapeError, unescape_in_place, unescape_into};
use kickwire_proto::kick::{ChatMessage, Event, Part};
use kickwire_proto::{DecodeError, Layer, Message, SyntaxError, Transport, decode, limits};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Helpers: escapers, frame builders, decoding.

/// A string escaped as PHP's `json_encode` does by default (what Kick's backend sends): `\/`,
/// every non-ASCII char as `\uXXXX` (astral chars as a surrogate pair), `"`, `\` and control
/// chars escaped.
fn php_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => write!(out, "\\u{:04x}", u32::from(c)).unwrap(),
            c if c.is_ascii() => out.push(c),
            c => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(out, "\\u{unit:04x}").unwrap();
                }
            }
        }
    }
    out
}

/// A string escaped with UTF-8 kept (JavaScript's `JSON.stringify`, Go): only `"`, `\` and
/// control chars are escaped.
fn raw_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => write!(out, "\\u{:04x}", u32::from(c)).unwrap(),
            c => out.push(c),
        }
    }
    out
}

type Escaper = fn(&str) -> String;
const ESCAPERS: [(&str, Escaper); 2] = [("php", php_escape), ("raw", raw_escape)];

const CHAT: &str = "App\\Events\\ChatMessageEvent";
const CHANNEL: &str = "chatrooms.5976096.v2";

/// A Pusher frame for `event` whose payload is the JSON text `inner`, double encoded: `inner`
/// escaped into the `data` string with `esc`.
fn pusher_frame(event: &str, inner: &str, esc: Escaper) -> String {
    format!(
        r#"{{"event":"{}","data":"{}","channel":"{CHANNEL}"}}"#,
        esc(event),
        esc(inner)
    )
}

/// The payload of a chat message whose `content` member is `content_json` (already escaped).
/// Same shape as the synthetic vectors.
fn chat_payload(content_json: &str) -> String {
    format!(
        r##"{{"id":"00000000-0000-4000-8000-000000000003","chatroom_id":5976096,"content":"{content_json}","type":"message","created_at":"2026-09-27T16:11:55+00:00","sender":{{"id":21608136,"username":"abbasnjah","slug":"abbasnjah","identity":{{"color":"#FFD899","badges":[]}}}},"metadata":{{"message_ref":"1790525515401"}}}}"##
    )
}

/// A chat-message frame with `content`, escaped with `esc` at both levels.
fn chat_frame(content: &str, esc: Escaper) -> String {
    pusher_frame(CHAT, &chat_payload(&esc(content)), esc)
}

/// 2026-09-27T16:11:55Z in unix milliseconds:
/// days 1970-01-01 → 2026-01-01: 56 years × 365 + 14 leap days (1972..=2024) = 20 454;
/// 2026-01-01 → 09-27: 31+28+31+30+31+30+31+31 = 243, + 26 = 269; total 20 723 days;
/// 20 723 × 86 400 = 1 790 467 200 s, + 16:11:55 (57 600 + 660 + 55 = 58 315 s)
/// = 1 790 525 515 s (the vectors' message_ref, 1790525515401, is 401 ms later).
const CREATED_MS: i64 = 1_790_525_515_000;

/// Everything of [`chat_payload`] but the content came through.
fn assert_rest_intact(m: &ChatMessage) {
    assert_eq!(m.id.as_str(), "00000000-0000-4000-8000-000000000003");
    assert_eq!(m.chatroom_id, 5_976_096);
    assert_eq!(m.kind.as_str(), "message");
    assert_eq!(m.created_at.map(|t| t.unix_millis()), Some(CREATED_MS));
    assert_eq!(m.sender.id, 21_608_136);
    assert_eq!(m.sender.username.as_str(), "abbasnjah");
    assert_eq!(m.sender.identity.color.as_str(), "#FFD899");
    let meta = m.metadata.as_ref().expect("metadata");
    assert_eq!(
        meta.message_ref.as_ref().map(|r| r.as_str()),
        Some("1790525515401")
    );
}

fn decode_all(message: &[u8]) -> Vec<Result<Message, DecodeError>> {
    let mut scratch = vec![0u8; limits::MAX_PAYLOAD.max(message.len())];
    decode(message, &mut scratch).collect()
}

/// The one Kick event a message holds.
fn only_event(message: &[u8]) -> Event {
    let mut items = decode_all(message);
    assert_eq!(items.len(), 1, "expected one item, got {items:?}");
    match items.remove(0) {
        Ok(Message::Kick { event, .. }) => event,
        other => panic!("expected a Kick event, got {other:?}"),
    }
}

fn chat(message: &[u8]) -> ChatMessage {
    match only_event(message) {
        Event::ChatMessage(m) => m,
        other => panic!("expected a ChatMessage, got {other:?}"),
    }
}

/// The one error a message gives.
fn only_error(message: &[u8]) -> DecodeError {
    let mut items = decode_all(message);
    assert_eq!(items.len(), 1, "expected one item, got {items:?}");
    match items.remove(0) {
        Err(e) => e,
        Ok(m) => panic!("expected an error, got {m:?}"),
    }
}

/// `n` Unicode scalar values taken from `pattern`, repeated.
fn scalars(pattern: &str, n: usize) -> String {
    pattern.chars().cycle().take(n).collect()
}

/// A vector file, from `tests/vectors/` (anywhere below it) or else the shared vectors beside
/// the repository (`../shared/vectors/`).
fn vector_file(name: &str) -> Option<PathBuf> {
    fn find(dir: &Path, name: &str) -> Option<PathBuf> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in &entries {
            if p.is_file() && p.file_name().is_some_and(|f| f == name) {
                return Some(p.clone());
            }
        }
        entries
            .iter()
            .filter(|p| p.is_dir())
            .find_map(|p| find(p, name))
    }
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    find(&kickwire_tests::vectors_dir(), name).or_else(|| find(&shared, name))
}

fn vector_line(name: &str, line: usize) -> Option<String> {
    let path = vector_file(name)?;
    let text = std::fs::read_to_string(&path).ok()?;
    text.lines().nth(line - 1).map(str::to_owned)
}

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
    // The same worst case as captured in the shared vectors (7 655 bytes, with badges_v2).
    let Some(line) = vector_line("synthetic_edge_cases.jsonl", 3) else {
        eprintln!("synthetic_edge_cases.jsonl not found; covered by the built frame above");
        return;
    };
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
// Exact round trips of the characters that matter to escaping.

#[test]
fn script_tags_quotes_and_backslashes_come_back_exactly() {
    let contents = [
        // Synthetic vector line 1.
        r#"he said "hi" \ C:\path\ [emote:37226:KEKW] </script>"#,
        r#"</script><script>alert("x")</script>"#,
        r#"\"\\\/\u0041 \n literally, plus "\" and \\\\ and a lone \"#,
        "tab\there, newline\nthere, CR\r, NUL\u{0}, bell\u{7}, DEL\u{7f}",
        r#"{"json":"inside","n":[1,2]} 'single' `back` ///"#,
        "",
    ];
    for content in contents {
        for (esc_name, esc) in ESCAPERS {
            let frame = chat_frame(content, esc);
            if esc_name == "php" && content.contains("</script>") {
                // PHP never lets `</` appear in its output.
                assert!(!frame.contains("</script>"));
            }
            let m = chat(frame.as_bytes());
            assert_eq!(m.content.as_str(), content, "{esc_name}");
            assert!(!m.content.is_truncated());
            assert_rest_intact(&m);
        }
    }
    // The emote token survives the escaping.
    let m = chat(chat_frame(contents[0], php_escape).as_bytes());
    let parts: Vec<Part<'_>> = m.parts().collect();
    assert_eq!(
        parts,
        [
            Part::Text(r#"he said "hi" \ C:\path\ "#),
            Part::Emote {
                id: 37_226,
                name: "KEKW"
            },
            Part::Text(" </script>"),
        ]
    );
}

#[test]
fn synthetic_vector_line_1_quotes_and_script() {
    let Some(line) = vector_line("synthetic_edge_cases.jsonl", 1) else {
        eprintln!("synthetic_edge_cases.jsonl not found; covered by the built frames above");
        return;
    };
    let m = chat(line.as_bytes());
    assert_eq!(
        m.content.as_str(),
        r#"he said "hi" \ C:\path\ [emote:37226:KEKW] </script>"#
    );
}

// ---------------------------------------------------------------------------------------------
// Surrogates: pairs combine, lone halves become U+FFFD, the rest of the message is intact.

#[test]
fn odd_surrogates_in_the_payload_become_replacement_chars() {
    // (content as written in the payload JSON, expected content)
    let cases = [
        (r"abc\ud83d", "abc\u{FFFD}"), // high surrogate at the end of the string
        (r"\ud83d", "\u{FFFD}"),       // ... and nothing else
        (r"\ude2dabc", "\u{FFFD}abc"), // low surrogate alone
        (r"before\ude2dafter", "before\u{FFFD}after"),
        (r"x\ud83dy", "x\u{FFFD}y"),        // high followed by raw text
        (r"x\ud83d\u0041y", "x\u{FFFD}Ay"), // high followed by a non-surrogate escape
        (r"x\ud83d\ny", "x\u{FFFD}\ny"),    // ... a short escape
        (r#"x\ud83d\"y"#, "x\u{FFFD}\"y"),  // ... an escaped quote
        (r"x\ud83d\ud83d\ude2dy", "x\u{FFFD}😭y"), // high, then a whole pair
        (r"\ude2d\ud83d", "\u{FFFD}\u{FFFD}"), // a pair in the wrong order
        (r"\ud83d\ude2d\ude2d", "😭\u{FFFD}"), // a pair, then a low
        (r"\uD83D\uDE2D", "😭"),            // upper-case hex
        (r"\udbff\udfff", "\u{10FFFF}"),    // the last pair
        (r"\ud800\udc00", "\u{10000}"),     // the first pair
    ];
    for (written, want) in cases {
        // Only the second encoding (quotes and backslashes) is applied to the payload.
        let frame = pusher_frame(CHAT, &chat_payload(written), raw_escape);
        let m = chat(frame.as_bytes());
        assert_eq!(m.content.as_str(), want, "{written}");
        assert_rest_intact(&m);
    }
}

#[test]
fn surrogate_pairs_split_across_the_two_encoding_levels() {
    // The frame's data string is written by hand here: `\\u` is an escape of the payload (the
    // inner level), `\u` one of the data string itself (the outer level). Each level is decoded
    // to UTF-8 on its own, so a surrogate cannot pair with one from the other level: each half
    // is lone where it is decoded and becomes U+FFFD. (A browser, which keeps UTF-16 between
    // its two `JSON.parse` calls, would pair the first two cases into 😭; no real encoder splits
    // a pair across levels.)
    let cases = [
        // inner high, outer low
        (r"x\\ud83d\ude2dy", "x\u{FFFD}\u{FFFD}y"),
        // outer high, inner low
        (r"x\ud83d\\ude2dy", "x\u{FFFD}\u{FFFD}y"),
        // inner high, then raw text
        (r"x\\ud83dy", "x\u{FFFD}y"),
        // outer high, then raw text
        (r"x\ud83dy", "x\u{FFFD}y"),
        // a whole pair at the outer level (UTF-8 payload, escaped frame): fine
        (r"x\ud83d\ude2dy", "x😭y"),
        // a whole pair at the inner level: fine
        (r"x\\ud83d\\ude2dy", "x😭y"),
    ];
    for (data_content, want) in cases {
        let data = raw_escape(&chat_payload("@CONTENT@")).replace("@CONTENT@", data_content);
        let frame = format!(
            r#"{{"event":"App\\Events\\ChatMessageEvent","data":"{data}","channel":"{CHANNEL}"}}"#
        );
        let m = chat(frame.as_bytes());
        assert_eq!(m.content.as_str(), want, "{data_content}");
        assert_rest_intact(&m);
    }
}

#[test]
fn surrogate_or_broken_escape_at_the_very_end_of_the_data() {
    let payload = raw_escape(&chat_payload("ok"));
    // A lone high surrogate after the payload's closing brace, at the outer level: the payload
    // decodes to `{...}` + U+FFFD, which is trailing garbage in the payload.
    let frame = format!(
        r#"{{"event":"{}","data":"{payload}\ud83d","channel":"c"}}"#,
        raw_escape(CHAT)
    );
    assert!(matches!(
        only_error(frame.as_bytes()),
        DecodeError::Syntax {
            layer: Layer::Payload,
            error: SyntaxError::TrailingBytes,
            ..
        }
    ));
    // The same, at the inner level (`\\ud83d`, the payload ends in `\ud83d` outside a string).
    let frame = format!(
        r#"{{"event":"{}","data":"{payload}\\ud83d","channel":"c"}}"#,
        raw_escape(CHAT)
    );
    assert!(matches!(
        only_error(frame.as_bytes()),
        DecodeError::Syntax {
            layer: Layer::Payload,
            error: SyntaxError::TrailingBytes,
            ..
        }
    ));
    // A `\u` cut short at the end of the data string: a bad escape of the data string.
    let frame = format!(
        r#"{{"event":"{}","data":"{payload}\ud8","channel":"c"}}"#,
        raw_escape(CHAT)
    );
    assert!(matches!(
        only_error(frame.as_bytes()),
        DecodeError::Syntax {
            layer: Layer::Envelope,
            error: SyntaxError::BadEscape,
            ..
        }
    ));
    // A high surrogate as the last thing inside the content, at the outer level.
    let data = raw_escape(&chat_payload("@C@")).replace("@C@", r"tail\ud83d");
    let frame = format!(
        r#"{{"event":"{}","data":"{data}","channel":"c"}}"#,
        raw_escape(CHAT)
    );
    let m = chat(frame.as_bytes());
    assert_eq!(m.content.as_str(), "tail\u{FFFD}");
    assert_rest_intact(&m);
}

#[test]
fn unescape_functions_by_hand() {
    // 500 × `\ud83d\ude2d` (12 bytes each, 6 000) → 500 × 4 = 2 000 bytes, in place.
    let mut buf = r"\ud83d\ude2d".repeat(500).into_bytes();
    assert_eq!(buf.len(), 6_000);
    let n = unescape_in_place(&mut buf).unwrap();
    assert_eq!(n, 2_000);
    assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), "😭".repeat(500));

    // `unescape_into` needs the source's length, not the decoded length.
    let src = br#"<\/script> \"q\" \\ \u00e9\ud83d"#;
    let mut exact = vec![0u8; src.len()];
    let n = unescape_into(src, &mut exact).unwrap();
    assert_eq!(
        std::str::from_utf8(&exact[..n]).unwrap(),
        "</script> \"q\" \\ é\u{FFFD}"
    );
    let mut short = vec![0u8; src.len() - 1];
    assert_eq!(
        unescape_into(src, &mut short),
        Err(UnescapeError::BufferTooSmall {
            required: src.len()
        })
    );

    // Errors, and what is not an error.
    let mut bad = *br"ok\x";
    assert_eq!(unescape_in_place(&mut bad), Err(SyntaxError::BadEscape));
    let mut cut = *br"ok\u12";
    assert_eq!(unescape_in_place(&mut cut), Err(SyntaxError::BadEscape));
    let mut trailing = *b"ok\\";
    assert_eq!(
        unescape_in_place(&mut trailing),
        Err(SyntaxError::UnexpectedEnd)
    );
    let mut nul = *br"\u0000";
    assert_eq!(unescape_in_place(&mut nul), Ok(1));
    assert_eq!(nul[0], 0);
    // Raw bytes, valid UTF-8 or not, are copied as they are.
    let mut raw = *b"\xff\xc3 \\n";
    let n = unescape_in_place(&mut raw).unwrap();
    assert_eq!(&raw[..n], b"\xff\xc3 \n");
}

// ---------------------------------------------------------------------------------------------
// Truncated and broken input: an error item, never a panic.

/// `ChatMessageEvent.jsonl` line 2 (a public capture).
const CAPTURED_CHAT: &str = r##"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932\",\"chatroom_id\":1221707,\"content\":\"[emote:3989851:litneyspears4Max]on my way to show you love\",\"type\":\"message\",\"created_at\":\"2025-07-17T08:44:56+00:00\",\"sender\":{\"id\":3528468,\"username\":\"OhLookItsMax\",\"slug\":\"ohlookitsmax\",\"identity\":{\"color\":\"#FF9D00\",\"badges\":[{\"type\":\"vip\",\"text\":\"VIP\"},{\"type\":\"subscriber\",\"text\":\"Subscriber\",\"count\":26}]}},\"metadata\":{\"message_ref\":\"1752741896375\"}}","channel":"chatrooms.1221707.v2"}"##;

#[test]
fn captured_frame_matches_the_vector_file() {
    if let Some(line) = vector_line("ChatMessageEvent.jsonl", 2) {
        assert_eq!(line, CAPTURED_CHAT);
    }
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
// Centrifugo: several messages in one WebSocket message.

fn publication(event: &str, payload: &str, offset: u64) -> String {
    format!(
        r#"{{"push":{{"channel":"{CHANNEL}","pub":{{"data":{{"event":"{}","data":"{}"}},"offset":{offset}}}}}}}"#,
        raw_escape(event),
        raw_escape(payload)
    )
}

fn assert_centrifugo_batch(bad_line: &str) {
    let message = [
        "{}".to_owned(),
        publication(CHAT, &chat_payload("first"), 7),
        bad_line.to_owned(),
        publication(
            "App\\Events\\SubscriptionEvent",
            r#"{"chatroom_id":5976096,"username":"micke747","months":38}"#,
            8,
        ),
    ]
    .join("\n");
    let items = decode_all(message.as_bytes());
    assert_eq!(items.len(), 4, "bad line {bad_line:?}: {items:#?}");
    assert!(
        matches!(&items[0], Ok(Message::Control { transport: Transport::Centrifugo, name }) if name.as_str() == "ping"),
        "{:?}",
        items[0]
    );
    let Ok(Message::Kick {
        transport: Transport::Centrifugo,
        channel,
        event: Event::ChatMessage(m),
    }) = &items[1]
    else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(channel.as_str(), CHANNEL);
    assert_eq!(m.content.as_str(), "first");
    assert_rest_intact(m);
    assert!(
        matches!(
            &items[2],
            Err(DecodeError::Syntax {
                layer: Layer::Envelope,
                ..
            })
        ),
        "bad line {bad_line:?}: {:?}",
        items[2]
    );
    let Ok(Message::Kick {
        transport: Transport::Centrifugo,
        event: Event::Subscription(s),
        ..
    }) = &items[3]
    else {
        panic!("bad line {bad_line:?}: {:?}", items[3]);
    };
    assert_eq!((s.username.as_str(), s.months), ("micke747", Some(38)));
}

#[test]
fn centrifugo_batch_with_a_malformed_line() {
    // Malformed in the middle of the line: the error is found on that line.
    assert_centrifugo_batch(r#"{"push":{"channel":"c",,"pub":{}}}"#);
    assert_centrifugo_batch(r#"{"push":{"channel":"c","pub":{"data":nope}}}"#);
    assert_centrifugo_batch("\u{1}garbage");
}

#[test]
fn centrifugo_batch_with_a_truncated_line() {
    // A message cut short must not take the next line with it: JSON whitespace includes `\n`,
    // so a parser that resumed where it noticed the error would have read into the next
    // message and lost it.
    // Cut inside a string: the string runs on into the next line.
    assert_centrifugo_batch(
        r#"{"push":{"channel":"chatrooms.5976096.v2","pub":{"data":{"event":"App"#,
    );
    // Cut between members: the next line's `{` is where a `,` or `}` should be.
    assert_centrifugo_batch(r#"{"push":{"channel":"c","pub":{"data":{}}"#);
}

#[test]
fn next_into_a_reused_message_gives_the_same_items() {
    // The copy-free path: one `Message` reused for every envelope, across an error.
    let message = [
        "{}".to_owned(),
        publication(CHAT, &chat_payload("first"), 7),
        r#"{"push":{"channel":"c","pub":{"data":{"event":"App"#.to_owned(),
        publication(CHAT, &chat_payload("second"), 8),
        publication(
            "App\\Events\\SubscriptionEvent",
            r#"{"chatroom_id":1,"username":"u","months":2}"#,
            9,
        ),
        publication(CHAT, &chat_payload("third"), 10),
    ]
    .join("\n");
    let want = decode_all(message.as_bytes());
    assert_eq!(want.len(), 6);
    let mut scratch = vec![0u8; message.len()];
    let mut messages = decode(message.as_bytes(), &mut scratch);
    let mut out = Message::default();
    let mut got = Vec::new();
    while let Some(r) = messages.next_into(&mut out) {
        got.push(r.map(|()| out.clone()));
    }
    assert_eq!(got, want);
    let contents: Vec<_> = got
        .iter()
        .filter_map(|r| match r {
            Ok(Message::Kick {
                event: Event::ChatMessage(m),
                ..
            }) => Some(m.content.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(contents, ["first", "second", "third"]);
}

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

// ---------------------------------------------------------------------------------------------
// Names nobody knows.

#[test]
fn unknown_event_names_pass_through() {
    let frame = r#"{"event":"App\\Events\\SomethingNewEvent","data":"{\"x\":1}","channel":"chatrooms.1.v2"}"#;
    let items = decode_all(frame.as_bytes());
    let [
        Ok(Message::Kick {
            transport: Transport::Pusher,
            channel,
            event: Event::Unknown(u),
        }),
    ] = &items[..]
    else {
        panic!("{items:?}");
    };
    assert_eq!(u.name.as_str(), "App\\Events\\SomethingNewEvent");
    assert_eq!(channel.as_str(), "chatrooms.1.v2");
    assert_eq!(Event::Unknown(u.clone()).type_name(), "Unknown");

    // Its payload is not read at all: even a broken one is no error.
    let frame = r#"{"event":"BrandNew","data":"\\x{[","channel":"c"}"#;
    let items = decode_all(frame.as_bytes());
    assert!(
        matches!(&items[..], [Ok(Message::Kick { event: Event::Unknown(u), .. })] if u.name.as_str() == "BrandNew"),
        "{items:?}"
    );

    // Through Centrifugo too.
    let items = decode_all(publication("App\\Events\\SomethingNewEvent", "{}", 1).as_bytes());
    assert!(
        matches!(
            &items[..],
            [Ok(Message::Kick { transport: Transport::Centrifugo, event: Event::Unknown(u), .. })]
                if u.name.as_str() == "App\\Events\\SomethingNewEvent"
        ),
        "{items:?}"
    );

    // Pusher's own events are control messages, not unknown Kick events.
    let items = decode_all(
        br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\"}"}"#,
    );
    assert!(
        matches!(
            &items[..],
            [Ok(Message::Control { transport: Transport::Pusher, name })] if name.as_str() == "pusher:connection_established"
        ),
        "{items:?}"
    );
}

#[test]
fn a_payload_too_large_for_the_scratch_buffer_is_reported_and_the_next_message_decodes() {
    // Two Centrifugo-style lines of Pusher frames in one message: a subscription whose data
    // string is 62 raw bytes, then a ping. With 40 bytes of scratch the first is too large
    // (its raw length, 62, always suffices), and the second still decodes.
    let sub = r#"{"event":"App\\Events\\SubscriptionEvent","data":"{\"chatroom_id\":4598,\"username\":\"micke747\",\"months\":38}","channel":"chatrooms.4598.v2"}"#;
    let data_len = r#"{\"chatroom_id\":4598,\"username\":\"micke747\",\"months\":38}"#.len();
    assert_eq!(data_len, 62);
    let message = format!("{sub}\n{}", r#"{"event":"pusher:pong","data":"{}"}"#);
    let mut scratch = [0u8; 40];
    let items: Vec<_> = decode(message.as_bytes(), &mut scratch).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], Err(DecodeError::PayloadTooLarge { required: 62 }));
    assert!(
        matches!(&items[1], Ok(Message::Control { name, .. }) if name.as_str() == "pusher:pong")
    );
    // With exactly the decoded length (62 less 8 escaped quotes: 54) it fits.
    let mut exact = [0u8; 54];
    let Some(Ok(Message::Kick {
        event: Event::Subscription(s),
        ..
    })) = decode(sub.as_bytes(), &mut exact).next()
    else {
        panic!("expected the subscription");
    };
    assert_eq!((s.username.as_str(), s.months), ("micke747", Some(38)));
}
