//! Error types. Each says whose fault it is: a [`SyntaxError`] or [`DecodeError`] means the peer
//! sent something we cannot use (the caller drops that message and goes on with the next one);
//! none of them is ever a panic.

/// What was wrong with the JSON text of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SyntaxError {
    /// The text ended inside a value: a truncated message.
    UnexpectedEnd,
    /// A byte that cannot start or continue a value here.
    UnexpectedByte,
    /// An unknown escape (`\x`) or a `\u` not followed by four hex digits.
    BadEscape,
    /// A number that does not follow the JSON grammar.
    BadNumber,
    /// Arrays and objects nested deeper than [`limits::MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH).
    TooDeep,
    /// Something other than whitespace after the value.
    TrailingBytes,
}

impl SyntaxError {
    /// A short static description, for logs without a formatter.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::UnexpectedEnd => "unexpected end of JSON (truncated message?)",
            Self::UnexpectedByte => "unexpected byte in JSON",
            Self::BadEscape => "invalid escape sequence in JSON string",
            Self::BadNumber => "invalid JSON number",
            Self::TooDeep => "JSON nested too deeply",
            Self::TrailingBytes => "bytes after the JSON value",
        }
    }
}

impl core::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for SyntaxError {}

/// Which layer of a message a [`DecodeError`] was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Layer {
    /// The transport envelope (Pusher frame or Centrifugo message).
    Envelope,
    /// The event payload: the JSON inside the envelope's `data`.
    Payload,
}

/// What was wrong with one message, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum DecodeError {
    /// The JSON of `layer` is malformed; `offset` is the byte offset in that layer's text.
    Syntax {
        /// Envelope or payload.
        layer: Layer,
        /// The syntax problem.
        error: SyntaxError,
        /// Byte offset where it was noticed.
        offset: usize,
    },
    /// The message is valid JSON but not an object, or lacks its `event` name.
    NotAnEvent,
    /// The payload is larger than the scratch buffer given to the decoder.
    PayloadTooLarge {
        /// Bytes the payload needs before unescaping.
        required: usize,
    },
    /// The payload of a known event is valid JSON but not an object.
    PayloadNotAnObject,
    /// A Centrifugo message, given to a reader of Pusher frames only
    /// ([`pusher_json_events`](crate::pusher_json_events)), which does not read it.
    Centrifugo,
}

impl crate::describe::Describe for DecodeError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::Syntax {
                layer,
                error,
                offset,
            } => {
                out(Text(match layer {
                    Layer::Envelope => "envelope: ",
                    Layer::Payload => "payload: ",
                }));
                out(Text(error.as_str()));
                out(Text(" at byte "));
                out(Number(*offset as u64));
            }
            Self::NotAnEvent => out(Text("not a Pusher or Centrifugo event message")),
            Self::PayloadTooLarge { required } => {
                out(Text("payload needs "));
                out(Number(*required as u64));
                out(Text(" bytes of scratch space"));
            }
            Self::PayloadNotAnObject => out(Text("event payload is not a JSON object")),
            Self::Centrifugo => out(Text(
                "a Centrifugo message, not read by a Pusher-only reader",
            )),
        }
    }
}

crate::describe::display_by_describe!(DecodeError);

impl core::error::Error for DecodeError {}
