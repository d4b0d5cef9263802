//! Arbitrary bytes through the envelope layer (Pusher frames and Centrifugo messages, several per
//! input separated by `\n`): never a panic, and the iterator always ends. The same bytes then go
//! through `json_events`, which unescapes payloads in place: each payload lies in the message.
#![no_main]

use kickwire_proto::envelope::{Data, Envelope, envelopes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut items = 0usize;
    for item in envelopes(data) {
        items += 1;
        // Every item consumes at least one byte: more items than bytes means it is looping.
        assert!(
            items <= data.len(),
            "envelopes() yielded more items than input bytes"
        );
        if let Ok(Envelope::Pusher {
            event,
            channel,
            data: payload,
        }) = item
        {
            // The borrowed pieces must lie inside the input.
            let _ = event.eq_str("App\\Events\\ChatMessageEvent");
            if let Some(c) = channel {
                assert!(c.raw().len() <= data.len());
            }
            if let Data::String(raw) = payload {
                let mut buf = vec![0u8; raw.raw().len()];
                let _ = kickwire_proto::json::unescape_into(raw.raw(), &mut buf);
            }
        }
    }
    let mut msg = data.to_vec();
    let len = msg.len();
    let mut events = kickwire_proto::json_events(&mut msg);
    let mut count = 0usize;
    while let Some(item) = events.next() {
        count += 1;
        assert!(
            count <= len,
            "json_events yielded more items than input bytes"
        );
        if let Ok(e) = item {
            assert!(
                e.payload.len() <= len.max(4),
                "a payload longer than the message"
            );
        }
    }
});
