//! Chat text split into text and emotes by `kickwire_proto::kick::Parts`, directly and through
//! a decoded `ChatMessageEvent` (`ChatMessage::parts`).
//!
//! Input: the chat text (invalid UTF-8 replaced by U+FFFD).
//!
//! Checked, against the token grammar of the `Parts` docs (`[emote:` + decimal id + `:` + a
//! non-empty name without `]` + `]`, the id fitting `u64`):
//! - the parts tile the input: each borrows the next bytes of the input, in order, with none
//!   left over ("nothing is ever lost"), and the iterator ends within one item per byte;
//! - every emote is a whole token at its place, its id the token's digits and its name the
//!   token's name;
//! - no text part is empty, two never follow each other, and none holds the start of a token
//!   (a text runs to the next token that parses, so the first token always wins);
//! - written back as Kick writes tokens (`[emote:{id}:{name}]`), the parts give back the input
//!   when its ids have no leading zeros, and split again into the same parts in any case;
//! - a chat message event whose `content` is the input gives the same parts.
#![no_main]

use kickwire_proto::kick::{Event, Part, Parts};
use kickwire_proto::limits::MESSAGE;
use libfuzzer_sys::fuzz_target;

const OPEN: &str = "[emote:";

/// The token at the start of `s` by the documented grammar: its length, digits and name.
fn token(s: &str) -> Option<(usize, &str, &str)> {
    let body = s.strip_prefix(OPEN)?;
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (id, after) = body.split_at(digits);
    let name_and_rest = after.strip_prefix(':')?;
    let name_len = name_and_rest.find(']')?;
    let name = &name_and_rest[..name_len];
    if digits == 0 || name.is_empty() || id.parse::<u64>().is_err() {
        return None;
    }
    Some((OPEN.len() + digits + 1 + name_len + 1, id, name))
}

/// Where `part` starts in `input` (it must borrow from it).
fn offset_in(input: &str, part: &str) -> usize {
    let (base, at) = (input.as_ptr() as usize, part.as_ptr() as usize);
    assert!(
        at >= base && at + part.len() <= base + input.len(),
        "a part that does not borrow from the input"
    );
    at - base
}

fn written_back(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Emote { id, name } => out.push_str(&format!("[emote:{id}:{name}]")),
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let input: &str = &input;

    let mut parts = Vec::new();
    for p in Parts::new(input) {
        parts.push(p);
        assert!(parts.len() <= input.len(), "more parts than bytes");
    }

    let mut at = 0;
    let mut canonical = true;
    for (i, p) in parts.iter().enumerate() {
        match *p {
            Part::Text(t) => {
                assert!(!t.is_empty(), "an empty text part");
                assert_eq!(offset_in(input, t), at, "a text part out of place");
                if i > 0 {
                    assert!(
                        !matches!(parts[i - 1], Part::Text(_)),
                        "two text parts in a row"
                    );
                }
                for (j, _) in t.match_indices(OPEN) {
                    assert!(
                        token(&input[at + j..]).is_none(),
                        "a token left in text at byte {}",
                        at + j
                    );
                }
                at += t.len();
            }
            Part::Emote { id, name } => {
                let (len, digits, want) =
                    token(&input[at..]).unwrap_or_else(|| panic!("no token at byte {at}"));
                assert_eq!(offset_in(input, name), offset_in(input, want), "name");
                assert_eq!(name, want);
                assert_eq!(id, digits.parse::<u64>().expect("checked by token()"));
                canonical &= digits == id.to_string();
                at += len;
            }
        }
    }
    assert_eq!(at, input.len(), "the parts do not cover the input");

    let back = written_back(&parts);
    if canonical {
        assert_eq!(back, input);
    }
    assert_eq!(
        Parts::new(&back).collect::<Vec<_>>(),
        parts,
        "written back, split again"
    );

    // Through the decoder: `content` unescaped, then split the same way.
    if input.len() <= MESSAGE {
        let payload = serde_json::json!({ "id": "m", "content": input, "type": "message" });
        let payload = serde_json::to_vec(&payload).expect("serializes");
        match Event::decode("App\\Events\\ChatMessageEvent", &payload) {
            Ok(Event::ChatMessage(m)) => {
                assert_eq!(m.content.as_str(), input);
                assert_eq!(m.parts().collect::<Vec<_>>(), parts);
            }
            other => panic!("a chat message with this content gave {other:?}"),
        }
    }
});
