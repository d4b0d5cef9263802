//! The one-pass reader against the two-pass one on every real frame of `tests/vectors/kick/`,
//! each frame's `data` also written again the ways other JSON encoders write a string (`\/`,
//! non-ASCII as `\uXXXX`, astral chars as surrogate pairs): where the one-pass reader succeeds,
//! the event is the one the two-pass path decodes; and on these frames it must succeed.

extern crate std;

use std::string::String;
use std::vec::Vec;
use std::{format, println};

use super::cursor::{Cursor, Found};
use super::redact::Secrets;
use super::typed::{Message, decode, fill_kick, read_kick};
use crate::envelope::Transport;
use crate::json::reader::Reader;
use crate::kick::EventKind;

/// How a `data` string is written again from its text.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// As found in the capture.
    AsCaptured,
    /// Only `"` and `\` (and control chars) escaped.
    Minimal,
    /// PHP's `json_encode` default: `\/` too, non-ASCII as `\uXXXX`, astral as pairs.
    Php,
}

/// `text` as a JSON string's contents, in `style`.
fn encode(text: &str, style: Style) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if matches!(style, Style::Php) => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if !c.is_ascii() && matches!(style, Style::Php) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Every real frame under `tests/vectors/kick/` (the `*.jsonl` beside their `.expected`).
fn vector_frames() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/kick");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".jsonl") && !name.ends_with(".expected.jsonl")
        })
        .collect();
    files.sort();
    let mut frames = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            if !line.trim().is_empty() {
                frames.push((format!("{name}:{}", i + 1), line.as_bytes().to_vec()));
            }
        }
    }
    frames
}

/// The frame with its `data` string's text written again in `style`.
fn restyled(frame: &[u8], style: Style) -> Vec<u8> {
    let Style::AsCaptured = style else {
        let mut v: serde_json::Value = serde_json::from_slice(frame).unwrap();
        if let Some(data) = v.get("data").and_then(|d| d.as_str()).map(String::from) {
            // Re-encode the envelope by hand so that only `data`'s escaping changes.
            let event = v["event"]
                .as_str()
                .unwrap_or_default()
                .replace('\\', "\\\\");
            let mut out = format!(r#"{{"event":"{event}","data":"{}""#, encode(&data, style));
            if let Some(channel) = v.get_mut("channel").and_then(|c| c.as_str()) {
                out.push_str(&format!(r#","channel":"{channel}""#));
            }
            out.push('}');
            return out.into_bytes();
        }
        return frame.to_vec();
    };
    frame.to_vec()
}

#[test]
fn the_one_pass_reader_decodes_every_vector_as_the_two_pass_one() {
    let mut scratch = std::vec![0u8; 1 << 16];
    let (mut one_pass, mut with_secrets) = (0, 0);
    for (name, frame) in vector_frames() {
        for style in [Style::AsCaptured, Style::Minimal, Style::Php] {
            let frame = restyled(&frame, style);
            let mut cursor = Cursor::default();
            while let Some(found) = cursor.walk::<true>(&frame, None) {
                let Found::Kick(event) = found else { continue };
                let kind = event.kind();
                let raw = event.data.escaped(&frame).unwrap_or_default();
                if kind == EventKind::Unknown || raw.is_empty() {
                    continue;
                }
                let channel = event.channel.clone().unwrap_or_default();
                let mut two = Message::default();
                let payload = event
                    .data
                    .decoded(&frame, &mut scratch, Secrets::Keep)
                    .unwrap();
                let two_result = fill_kick(
                    event.transport,
                    kind,
                    &event.name,
                    channel.clone(),
                    payload,
                    &mut two,
                );
                let mut one = Message::default();
                let one_result = read_kick(
                    event.transport,
                    kind,
                    &event.name,
                    channel,
                    &mut Reader::escaped(raw),
                    &mut one,
                );
                // Real frames are well-formed: the one-pass reader takes every one.
                assert_eq!(one_result, Ok(()), "{name} ({style:?}): {two_result:?}");
                assert_eq!(two_result, Ok(()), "{name} ({style:?})");
                assert_eq!(one, two, "{name} ({style:?})");
                // And `decode`, whose walk reads it in place (then redacts what must be).
                let mut scratch2 = std::vec![0u8; 1 << 16];
                let mut decoded = Message::default();
                let mut messages = decode(&frame, &mut scratch2).keep_secrets();
                assert_eq!(messages.next_into(&mut decoded), Some(Ok(())), "{name}");
                assert_eq!(decoded, two, "{name} ({style:?}) through decode");
                one_pass += 1;
                if Secrets::Redact.may_change(raw) {
                    with_secrets += 1;
                }
            }
        }
    }
    println!("{one_pass} payloads read in one pass ({with_secrets} with a secret to take out)");
    // 3 styles of each of the 69 Pusher frames in the vectors (`grep -c '"data":"'` over the
    // frame files; every one is of a known event): none may fall to the two-pass path.
    assert_eq!(one_pass, 3 * 69);
}

#[test]
fn a_signed_query_behind_a_u_escape_is_still_taken_out() {
    // The quick look before the one-pass read does not stop at `\u00` escapes: the one-pass
    // reader refuses ASCII behind them, so such a payload is read the two-pass way, where the
    // full look and the redaction see through them. A chat vector whose line holds a presigned
    // URL (as a viewer may paste one), the `?` and `&` of its query then hidden at the
    // payload's level (`\\u003f`) or at the frame's (`\u003f`).
    let frame = vector_frames()
        .into_iter()
        .map(|(_, frame)| String::from_utf8(frame).unwrap())
        .find(|f| f.contains("on my way to show you love"))
        .expect("the ChatMessageEvent vector");
    let frame = frame.replace(
        "[emote:3989851:litneyspears4Max]on my way to show you love",
        "https://x.example/a?X-Amz-Signature=ab&Policy=cd",
    );
    let read = |frame: &str, secrets: Secrets| {
        let mut scratch = std::vec![0u8; 1 << 16];
        let mut out = Message::default();
        let mut messages = decode(frame.as_bytes(), &mut scratch);
        if secrets == Secrets::Keep {
            messages = messages.keep_secrets();
        }
        assert_eq!(messages.next_into(&mut out), Some(Ok(())));
        format!("{out:?}")
    };
    // The line is kept, its query is the secret.
    let kept = read(&frame, Secrets::Keep);
    assert!(kept.contains("?X-Amz-Signature=ab"), "{kept}");
    let plain = read(&frame, Secrets::Redact);
    assert!(
        plain.contains("https://x.example/a") && !plain.contains("X-Amz-"),
        "{plain}"
    );
    for (question, and) in [(r"\\u003f", r"\\u0026"), (r"\u003f", r"\u0026")] {
        let hiding = frame
            .replace("?X-Amz-", &format!("{question}X-Amz-"))
            .replace("&Policy", &format!("{and}Policy"));
        assert_ne!(hiding, frame);
        assert_eq!(read(&hiding, Secrets::Keep), kept, "{question}");
        assert_eq!(read(&hiding, Secrets::Redact), plain, "{question}");
    }
}

#[test]
fn an_event_name_is_looked_up_as_it_lies_or_decoded_first() {
    use crate::json::reader::EscapedStr;
    // (the name between its quotes as a frame writes it, the kind it names).
    let cases: [(&[u8], EventKind); 7] = [
        (br"App\\Events\\ChatMessageEvent", EventKind::ChatMessage),
        (br"App\\Events\\StopStreamBroadcast", EventKind::StreamEnd),
        (br"App\\Events\\NoSuchEvent", EventKind::Unknown),
        // An escape past the prefix: the name is decoded first, then looked up.
        (
            br"App\\Events\\Chat\u004dessageEvent",
            EventKind::ChatMessage,
        ),
        (br"App\/Events\/ChatMessageEvent", EventKind::Unknown),
        // Without the prefix, as `EventKind::from_name` takes it too.
        (br"ChatMessageEvent", EventKind::ChatMessage),
        // A bad escape: what decoded before it ("App") names nothing.
        (br"App\Events\ChatMessageEvent", EventKind::Unknown),
    ];
    for (raw, want) in cases {
        let name = EscapedStr::new(raw, raw.contains(&b'\\'));
        assert_eq!(
            super::typed::kind_of(name),
            want,
            "{}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn a_frame_read_in_place_takes_its_transport_and_channel_into_a_reused_message() {
    // Hand-checked: decoded one after another into the same `out`, each frame leaves its own
    // transport and channel there (the fast path of `next_into` writes only those two once
    // the hook has read the event): a channel after `data`, before it, escaped, absent (none
    // is left of the last), and a Pusher frame after a Centrifugo publication.
    let frames: [(&str, Transport, &str); 5] = [
        (
            r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"1\",\"content\":\"hi\"}","channel":"chatrooms.1.v2"}"#,
            Transport::Pusher,
            "chatrooms.1.v2",
        ),
        (
            r#"{"channel":"chatrooms.2.v2","event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"2\"}"}"#,
            Transport::Pusher,
            "chatrooms.2.v2",
        ),
        (
            r#"{"push":{"channel":"c1","pub":{"data":{"event":"KicksGifted","data":"{}"}}}}"#,
            Transport::Centrifugo,
            "c1",
        ),
        (
            r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"3\"}","channel":"chat\/rooms.\u0033"}"#,
            Transport::Pusher,
            "chat/rooms.3",
        ),
        (
            r#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"4\"}"}"#,
            Transport::Pusher,
            "",
        ),
    ];
    let mut out = Message::default();
    let mut scratch = [0u8; 256];
    for (frame, transport, channel) in frames {
        let mut messages = decode(frame.as_bytes(), &mut scratch);
        assert_eq!(messages.next_into(&mut out), Some(Ok(())), "{frame}");
        let Message::Kick {
            transport: t,
            channel: c,
            event,
        } = &out
        else {
            panic!("{frame}: {out:?}")
        };
        assert_eq!((*t, c.as_str()), (transport, channel), "{frame}");
        // The same as a fresh decoding of the frame alone.
        let fresh = decode(frame.as_bytes(), &mut [0u8; 256])
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(out, fresh, "{frame}");
        if let crate::kick::Event::ChatMessage(m) = event {
            assert!(!m.id.is_empty(), "{frame}");
        }
    }
}

#[test]
fn a_bare_quote_after_the_payloads_backslash_ends_the_data_string() {
    // Hand-checked: in `\"a\\"}`, `\\` is the payload's backslash and the quote after it is
    // bare: the end of the `data` string, whose payload `{"id":"a\` is then cut short. The
    // one-pass reader must not take that quote for the escaped char and read on past the
    // string's end (here into a frame that is valid JSON only read that way).
    let frame =
        br#"{"event":"App\\Events\\ChatMessageEvent","data":"{\"id\":\"a\\"}\"}","channel":"c"}"#;
    let mut scratch = [0u8; 256];
    let got = decode(frame, &mut scratch).next();
    assert!(matches!(got, Some(Err(_))), "{got:?}");
}
