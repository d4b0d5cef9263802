use super::*;
use crate::json::reader::{EscapedStr, Reader};
use std::string::String;
use std::vec::Vec;

/// What the cursor sorts each envelope of `msg` into, as `kind:transport:name:channel`.
fn sorted(msg: &[u8]) -> Vec<String> {
    sorted_by::<true>(msg)
}

/// [`sorted`], by a whole walk or a Pusher-only one (`CENTRIFUGO` false).
fn sorted_by<const CENTRIFUGO: bool>(msg: &[u8]) -> Vec<String> {
    let mut cursor = Cursor::default();
    let mut out = Vec::new();
    while let Some(found) = cursor.walk::<CENTRIFUGO>(msg, None) {
        let line = match found {
            Found::Kick(e) | Found::Pusher(e) => {
                let role = if is_pusher_control(&e.name) {
                    "pusher"
                } else {
                    "kick"
                };
                let channel = e.channel.as_deref().unwrap_or("-");
                std::format!("{role}:{:?}:{}:{channel}", e.transport, e.name)
            }
            Found::Centrifugo(m) => std::format!("centrifugo:{m:?}"),
            Found::Unread => "unread".into(),
            Found::Bad(_) => "bad".into(),
        };
        out.push(line);
    }
    out
}

/// A message of every kind of envelope, one per line: Pusher's handshake, a Kick event, a line
/// that is no JSON, a Centrifugo publication and ping (`{}`), Pusher's subscription reply. A
/// macro, so that `concat!` can extend it.
macro_rules! every_envelope {
    () => {
        concat!(
            r#"{"event":"pusher:connection_established","data":"{}"}"#,
            "\n",
            r#"{"event":"App\\Events\\ChatMessageEvent","data":"{}","channel":"chatrooms.1.v2"}"#,
            "\n{\"a\":\n",
            r#"{"push":{"channel":"c1","pub":{"data":{"event":"KicksGifted","data":"{}"}}}}"#,
            "\n{}\n",
            r#"{"event":"pusher_internal:subscription_succeeded","channel":"c2"}"#,
        )
    };
}

#[test]
fn envelopes_are_sorted_by_role_and_a_bad_line_costs_only_itself() {
    let msg = every_envelope!();
    assert_eq!(
        sorted(msg.as_bytes()),
        [
            "pusher:Pusher:pusher:connection_established:-",
            "kick:Pusher:App\\Events\\ChatMessageEvent:chatrooms.1.v2",
            "bad",
            "kick:Centrifugo:KicksGifted:c1",
            "centrifugo:Ping",
            "pusher:Pusher:pusher_internal:subscription_succeeded:c2",
        ]
    );
}

#[test]
fn a_pusher_only_walk_sorts_pusher_frames_alike_and_leaves_centrifugo_messages_unread() {
    // `every_envelope!`, then a Centrifugo reply (with the `id` of its command),
    // an object of neither protocol, and a reply with no `id` (which only a whole walk takes).
    let msg = concat!(
        every_envelope!(),
        "\n",
        r#"{"id":1,"connect":{"client":"x","ping":25}}"#,
        "\n",
        r#"{"pad":"aaa"}"#,
        "\n",
        r#"{"subscribe":{}}"#,
    );
    assert_eq!(
        sorted_by::<false>(msg.as_bytes()),
        [
            "pusher:Pusher:pusher:connection_established:-",
            "kick:Pusher:App\\Events\\ChatMessageEvent:chatrooms.1.v2",
            "bad",
            "unread",
            "unread",
            "pusher:Pusher:pusher_internal:subscription_succeeded:c2",
            "unread",
            "bad",
            "bad",
        ]
    );
    // A whole walk of the same message: the Pusher frames sorted alike, the Centrifugo
    // messages read.
    let whole = sorted_by::<true>(msg.as_bytes());
    assert_eq!(whole.len(), 9, "{whole:?}");
    assert_eq!(whole[..3], sorted_by::<false>(msg.as_bytes())[..3]);
    assert_eq!(whole[3], "kick:Centrifugo:KicksGifted:c1");
    assert_eq!(whole[4], "centrifugo:Ping");
    assert!(
        whole[6].starts_with("centrifugo:Reply { id: 1, reply: Connect"),
        "{whole:?}"
    );
    assert_eq!(whole[7], "bad");
    assert_eq!(
        whole[8],
        "centrifugo:Reply { id: 0, reply: Subscribe, error: None }"
    );
}

/// The Kick event of a one-envelope message.
fn kick(msg: &[u8]) -> Named {
    match Cursor::default().next(msg, None) {
        Some(Found::Kick(e)) => e,
        other => panic!("{other:?}"),
    }
}

// A Centrifugo publication whose data is inline JSON (no second encoding), with a secret.
const INLINE: &[u8] = br#"{"push":{"channel":"c","pub":{"data":{"event":"X","data":{"playback_url":"https://a.live-video.net/b.m3u8","n":1}}}}}"#;
const INLINE_REDACTED: &[u8] = br#"{"playback_url":"[redacted]","n":1}"#;
const INLINE_KEPT: &[u8] = br#"{"playback_url":"https://a.live-video.net/b.m3u8","n":1}"#;

#[test]
fn inline_json_with_a_secret_is_copied_to_scratch_and_redacted() {
    let mut scratch = [0u8; 128];
    let payload = kick(INLINE)
        .data
        .decoded(INLINE, &mut scratch, Secrets::Redact);
    assert_eq!(payload, Ok(INLINE_REDACTED));
    let payload = kick(INLINE)
        .data
        .decoded(INLINE, &mut scratch, Secrets::Keep);
    assert_eq!(payload, Ok(INLINE_KEPT));
}

#[test]
fn inline_json_is_read_where_it_is_unless_it_must_be_redacted() {
    // No scratch at all: inline JSON that names no secret is never copied...
    let msg = br#"{"push":{"channel":"c","pub":{"data":{"event":"X","data":{"n":1}}}}}"#;
    let payload = kick(msg).data.decoded(msg, &mut [], Secrets::Redact);
    assert_eq!(payload, Ok(&br#"{"n":1}"#[..]));
    // ...and one that must be redacted needs room for its copy.
    let mut small = [0u8; 10];
    let payload = kick(INLINE)
        .data
        .decoded(INLINE, &mut small, Secrets::Redact);
    let required = INLINE_KEPT.len();
    assert_eq!(payload, Err(DecodeError::PayloadTooLarge { required }));
}

#[test]
fn a_string_payload_is_redacted_after_unescaping_in_place_or_into_scratch() {
    let msg = br#"{"event":"App\\Events\\X","data":"{\"playback_url\":\"https:\\/\\/a.live-video.net\\/b.m3u8\",\"n\":1}","channel":"c"}"#;
    let redacted = br#"{"playback_url":"[redacted]","n":1}"#;
    let kept = br#"{"playback_url":"https:\/\/a.live-video.net\/b.m3u8","n":1}"#;
    let mut scratch = [0u8; 128];
    // A hook that reads the payload in place leaves the redaction to `decoded` all the same.
    let mut hook = |_: EscapedStr<'_>, r: &mut Reader<'_, true>| r.skip_value().is_ok();
    let found = Cursor::default().next(msg, Some(&mut hook));
    let Some(Found::Kick(e)) = found else {
        panic!("{found:?}")
    };
    assert!(e.data.read());
    assert_eq!(
        e.data.decoded(msg, &mut scratch, Secrets::Redact),
        Ok(&redacted[..])
    );
    assert_eq!(
        kick(msg).data.decoded(msg, &mut scratch, Secrets::Keep),
        Ok(&kept[..])
    );

    let mut copy = msg.to_vec();
    let at = kick(msg).data.in_place(&mut copy, Secrets::Redact).unwrap();
    assert_eq!(slice(&copy, at), redacted);
    let mut copy = msg.to_vec();
    let at = kick(msg).data.in_place(&mut copy, Secrets::Keep).unwrap();
    assert_eq!(slice(&copy, at), kept);
}

#[test]
fn no_data_is_null_and_broken_escapes_are_errors_of_the_envelope() {
    let msg = br#"{"event":"X","channel":"c"}"#;
    assert_eq!(
        kick(msg).data.decoded(msg, &mut [], Secrets::Redact),
        Ok(&b"null"[..])
    );
    let msg = br#"{"event":"X","data":"{\q}"}"#;
    let mut scratch = [0u8; 16];
    let error = kick(msg).data.decoded(msg, &mut scratch, Secrets::Redact);
    assert!(
        matches!(
            error,
            Err(DecodeError::Syntax {
                layer: Layer::Envelope,
                offset: 0,
                ..
            })
        ),
        "{error:?}"
    );
    let error = kick(msg).data.in_place(&mut msg.to_vec(), Secrets::Redact);
    assert!(
        matches!(
            error,
            Err(DecodeError::Syntax {
                layer: Layer::Envelope,
                offset: 21,
                ..
            })
        ),
        "{error:?}"
    );
}

#[test]
fn a_channel_reads_the_same_whether_the_hook_read_data_or_not() {
    let long = "c".repeat(CHANNEL + 6);
    let cases: [(String, &str, bool); 6] = [
        // Kick's order: the channel after `data`, taken from the text the reader checked.
        (
            r#"{"event":"App\\Events\\X","data":"{}","channel":"chatrooms.1.v2"}"#.into(),
            "chatrooms.1.v2",
            false,
        ),
        // Raw UTF-8 after `data`, and escapes after `data` (decoded, not taken as written).
        (
            r#"{"event":"X","data":"{}","channel":"chaîne"}"#.into(),
            "chaîne",
            false,
        ),
        (
            r#"{"event":"X","data":"{}","channel":"a\/b\u00e9"}"#.into(),
            "a/bé",
            false,
        ),
        // Before `data`: outside the checked text.
        (
            r#"{"event":"X","channel":"ch\u00e9","data":"{}"}"#.into(),
            "ché",
            false,
        ),
        // Raw UTF-8 in `data`: the checked text goes on past it.
        (
            "{\"event\":\"X\",\"data\":\"{\\\"a\\\":\\\"\u{e9}\\\"}\",\"channel\":\"c1\"}".into(),
            "c1",
            false,
        ),
        // Longer than a channel is kept: cut, and said so.
        (
            std::format!(r#"{{"event":"X","data":"{{}}","channel":"{long}"}}"#),
            &long[..CHANNEL],
            true,
        ),
    ];
    for (msg, want, cut) in &cases {
        let mut hook = |_: EscapedStr<'_>, r: &mut Reader<'_, true>| r.skip_value().is_ok();
        let read = Cursor::default().next(msg.as_bytes(), Some(&mut hook));
        let unread = Cursor::default().next(msg.as_bytes(), None);
        for (found, hooked) in [(read, true), (unread, false)] {
            let Some(Found::Kick(e)) = found else {
                panic!("{msg}: {found:?}")
            };
            assert_eq!(e.data.read(), hooked, "{msg}");
            let channel = e.channel.unwrap_or_default();
            assert_eq!((&*channel, channel.is_truncated()), (*want, *cut), "{msg}");
        }
    }
    // Bytes that are not UTF-8 in `data`: the channel after it is still read.
    let msg = b"{\"event\":\"X\",\"data\":\"{\\\"a\\\":\\\"\xff\\\"}\",\"channel\":\"c2\"}";
    let mut hook = |_: EscapedStr<'_>, r: &mut Reader<'_, true>| r.skip_value().is_ok();
    let Some(Found::Kick(e)) = Cursor::default().next(msg, Some(&mut hook)) else {
        panic!()
    };
    assert!(e.data.read());
    assert_eq!(e.channel.as_deref(), Some("c2"));
}

#[test]
fn at_end_is_where_next_envelope_gives_none() {
    for (msg, ends) in [
        (&b""[..], 0),
        (b" \r\n\t", 0),
        (b"{}", 1),
        (b"{} \n", 1),
        (b"{}\n{}\n", 2),
        (b"x\n{}", 2),
    ] {
        let mut cursor = Cursor::default();
        let mut found = 0;
        while !cursor.at_end(msg) {
            assert!(cursor.next_envelope::<true>(msg, None).is_some(), "{msg:?}");
            found += 1;
            assert!(found <= 2, "{msg:?}");
        }
        assert!(cursor.next_envelope::<true>(msg, None).is_none(), "{msg:?}");
        assert_eq!(found, ends, "{msg:?}");
    }
    // Past the end of a shorter message: nothing left either.
    let mut cursor = Cursor::default();
    assert!(cursor.next_envelope::<true>(b"{}", None).is_some());
    assert!(cursor.at_end(b""));
}
