//! Hand-checked edge cases of escaping, through the public API (`kickwire_proto::decode` on
//! whole WebSocket messages, and `json::{unescape_in_place, unescape_into}`): the characters
//! that matter come back exactly, surrogate pairs combine and lone halves become U+FFFD.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::json::{UnescapeError, unescape_in_place, unescape_into};
use kickwire_proto::kick::Part;
use kickwire_proto::{DecodeError, Layer, SyntaxError};
use kickwire_tests::escape::{ESCAPERS, php_escape, raw_escape};
use kickwire_tests::frames::{
    CHANNEL, CHAT, assert_rest_intact, chat, chat_frame, chat_payload, only_error, pusher_frame,
    vector_line,
};

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
    let line = vector_line("synthetic_edge_cases.jsonl", 1).expect("tests/vectors has it");
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
