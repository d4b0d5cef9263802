//! Hand-checked edge cases of what one WebSocket message holds, through the public API
//! (`kickwire_proto::decode`): several Centrifugo publications with a bad one among them, the
//! same items through `next_into`, and names nobody knows passed through.
//!
//! Every expected value here is written out by hand (the arithmetic is in the comments), not
//! taken from the decoder.

use kickwire_proto::kick::Event;
use kickwire_proto::{DecodeError, Layer, Message, Transport, decode};
use kickwire_tests::frames::{
    CHANNEL, CHAT, assert_rest_intact, chat_payload, decode_all, publication,
};

// ---------------------------------------------------------------------------------------------
// Centrifugo: several messages in one WebSocket message.

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
