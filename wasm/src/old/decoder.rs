//! `KickDecoder`: decoding without a connection, for pages that already receive Kick's
//! messages some other way (a userscript on kick.com hooking its socket, a relay).

use js_sys::Array;
use kickwire_proto::{Message, decode, limits};
use wasm_bindgen::prelude::*;

use crate::convert;

/// Decodes WebSocket messages (Pusher frames or Centrifugo messages) into event objects.
#[wasm_bindgen]
pub struct KickDecoder {
    scratch: Vec<u8>,
    json: Vec<u8>,
    decoded: Box<Message>,
}

impl Default for KickDecoder {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl KickDecoder {
    /// A decoder with its own buffers (reused by every call).
    #[wasm_bindgen(constructor)]
    pub fn new() -> KickDecoder {
        KickDecoder {
            scratch: vec![0; limits::MAX_PAYLOAD],
            json: vec![0; 16 * 1024],
            decoded: Box::default(),
        }
    }

    /// The Kick events in one message, as the objects `KickConnection` delivers (transport
    /// messages and messages that cannot be used are skipped).
    pub fn decode(&mut self, message: &str) -> Array {
        let out = Array::new();
        let mut messages = decode(message.as_bytes(), &mut self.scratch);
        while let Some(result) = messages.next_into(&mut self.decoded) {
            if let (Ok(()), Message::Kick { channel, event, .. }) = (result, &*self.decoded) {
                out.push(&convert::event(channel, event, &mut self.json));
            }
        }
        out
    }
}
