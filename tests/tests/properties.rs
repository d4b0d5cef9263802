//! Property tests of the two JSON string escapings Kick's frames come in (PHP's `json_encode`
//! default and "raw": see `kickwire_tests::escape`), and of whole double-encoded chat frames
//! built with either.

use kickwire_proto::json::{unescape_in_place, unescape_into};
use kickwire_proto::kick::Event;
use kickwire_proto::{Message, decode, limits};
use kickwire_tests::escape::{php_escape, php_escape_upper, raw_escape};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Escaping {
    Php,
    PhpUpper,
    Raw,
}

impl Escaping {
    fn escape(self, s: &str) -> String {
        match self {
            Self::Php => php_escape(s),
            Self::PhpUpper => php_escape_upper(s),
            Self::Raw => raw_escape(s),
        }
    }
}

fn escaping() -> impl Strategy<Value = Escaping> {
    prop_oneof![
        Just(Escaping::Php),
        Just(Escaping::PhpUpper),
        Just(Escaping::Raw)
    ]
}

/// Any string: arbitrary chars (controls, quotes, backslashes, `/`, astral), weighted so the
/// interesting ASCII ones are common.
fn any_text(max_chars: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => any::<char>(),
        2 => prop::sample::select(vec!['"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'u', '<', '>']),
        1 => prop::sample::select(vec!['😭', '\u{FFFD}', '\u{10000}', '\u{10FFFF}', '\u{D7FF}', '\u{E000}', '\u{FEFF}', 'é']),
    ];
    prop::collection::vec(ch, 0..=max_chars).prop_map(|v| v.into_iter().collect())
}

fn unescape(escaped: &str) -> Vec<u8> {
    let mut buf = escaped.as_bytes().to_vec();
    let n = unescape_in_place(&mut buf).expect("well-formed escapes");
    assert!(n <= escaped.len());
    buf.truncate(n);
    // `unescape_into` agrees.
    let mut dst = vec![0u8; escaped.len()];
    let m = unescape_into(escaped.as_bytes(), &mut dst).expect("well-formed escapes");
    assert_eq!(&dst[..m], &buf[..]);
    buf
}

/// The payload of a chat message with `content` escaped into it with `esc`.
fn chat_payload(content: &str, esc: Escaping) -> String {
    format!(
        r##"{{"id":"0c6c45ad-c54b-4faa-acc8-3bd2071226b0","chatroom_id":1221707,"content":"{}","type":"message","created_at":"2025-07-17T08:44:56+00:00","sender":{{"id":3528468,"username":"OhLookItsMax","slug":"ohlookitsmax","identity":{{"color":"#FF9D00","badges":[{{"type":"vip","text":"VIP"}}]}}}},"metadata":{{"message_ref":"1752741896375"}}}}"##,
        esc.escape(content)
    )
}

/// A Pusher frame: the payload escaped a second time, with `outer`, into the `data` string.
fn chat_frame(content: &str, inner: Escaping, outer: Escaping) -> String {
    format!(
        r#"{{"event":"{}","data":"{}","channel":"chatrooms.1221707.v2"}}"#,
        outer.escape("App\\Events\\ChatMessageEvent"),
        outer.escape(&chat_payload(content, inner))
    )
}

/// The same event as a Centrifugo publication (the Kick frame is the publication's data object).
fn centrifugo_publication(content: &str, inner: Escaping, outer: Escaping) -> String {
    format!(
        r#"{{"push":{{"channel":"chatrooms.1221707.v2","pub":{{"data":{{"event":"{}","data":"{}"}},"offset":3}}}}}}"#,
        outer.escape("App\\Events\\ChatMessageEvent"),
        outer.escape(&chat_payload(content, inner))
    )
}

fn decoded_content(message: &str) -> (String, bool) {
    let mut scratch = vec![0u8; limits::MAX_PAYLOAD.max(message.len())];
    let items: Vec<_> = decode(message.as_bytes(), &mut scratch).collect();
    assert_eq!(items.len(), 1, "{items:?}");
    match &items[0] {
        Ok(Message::Kick {
            channel,
            event: Event::ChatMessage(m),
            ..
        }) => {
            assert_eq!(channel.as_str(), "chatrooms.1221707.v2");
            assert_eq!(m.id.as_str(), "0c6c45ad-c54b-4faa-acc8-3bd2071226b0");
            assert_eq!(m.chatroom_id, 1_221_707);
            assert_eq!(m.sender.username.as_str(), "OhLookItsMax");
            assert_eq!(m.sender.identity.badges.len(), 1);
            assert_eq!(
                m.metadata
                    .as_ref()
                    .and_then(|x| x.message_ref.as_ref())
                    .map(|r| r.as_str()),
                Some("1752741896375")
            );
            (m.content.as_str().to_owned(), m.content.is_truncated())
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (1) PHP-style escaping decodes back to the string.
    #[test]
    fn php_escaped_strings_round_trip(s in any_text(300), upper in any::<bool>()) {
        let escaped = if upper { php_escape_upper(&s) } else { php_escape(&s) };
        prop_assert!(escaped.is_ascii());
        prop_assert_eq!(unescape(&escaped), s.as_bytes());
    }

    /// (2) Raw escaping (UTF-8 kept) decodes back to the string.
    #[test]
    fn raw_escaped_strings_round_trip(s in any_text(300)) {
        let escaped = raw_escape(&s);
        prop_assert_eq!(unescape(&escaped), s.as_bytes());
    }

    /// Escaping twice and unescaping twice is the identity too (what the two levels of a
    /// frame do to a string), in any mix of the escapings.
    #[test]
    fn doubly_escaped_strings_round_trip(s in any_text(200), inner in escaping(), outer in escaping()) {
        let twice = outer.escape(&inner.escape(&s));
        let once = unescape(&twice);
        let once = String::from_utf8(once).expect("the first level gives back UTF-8");
        prop_assert_eq!(unescape(&once), s.as_bytes());
    }

    /// (3) A whole chat frame, double encoded with either escaping at either level, decodes to
    /// the content it was built from, untruncated, for any content within Kick's 500 chars.
    #[test]
    fn chat_frames_decode_to_their_content(
        content in any_text(500),
        inner in escaping(),
        outer in escaping(),
    ) {
        prop_assert!(content.chars().count() <= 500);
        let (got, truncated) = decoded_content(&chat_frame(&content, inner, outer));
        prop_assert_eq!(&got, &content);
        prop_assert!(!truncated);
        let (got, truncated) = decoded_content(&centrifugo_publication(&content, inner, outer));
        prop_assert_eq!(&got, &content);
        prop_assert!(!truncated);
    }

    /// 500 chars from the widest range (4-byte UTF-8, 12-byte PHP escapes) always fit.
    #[test]
    fn five_hundred_astral_chars_always_fit(
        content in prop::collection::vec(prop::char::range('\u{10000}', '\u{10FFFF}'), 500)
            .prop_map(|v| v.into_iter().collect::<String>()),
        inner in escaping(),
        outer in escaping(),
    ) {
        prop_assert_eq!(content.len(), limits::MESSAGE);
        let (got, truncated) = decoded_content(&chat_frame(&content, inner, outer));
        prop_assert_eq!(&got, &content);
        prop_assert!(!truncated);
    }

    /// Beyond the capacity: the longest prefix that fits in 2 000 bytes, cut at a char
    /// boundary, and flagged.
    #[test]
    fn long_content_is_cut_to_its_longest_fitting_prefix(
        content in prop::collection::vec(any::<char>(), 480..=900).prop_map(|v| v.into_iter().collect::<String>()),
        inner in escaping(),
        outer in escaping(),
    ) {
        let (got, truncated) = decoded_content(&chat_frame(&content, inner, outer));
        let mut want = String::new();
        for c in content.chars() {
            if want.len() + c.len_utf8() > limits::MESSAGE {
                break;
            }
            want.push(c);
        }
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(truncated, content.len() > limits::MESSAGE);
    }
}
