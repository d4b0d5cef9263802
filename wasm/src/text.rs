//! Error texts and reason phrases for JavaScript. The lookups module writes its own as JSON
//! strings from proto's [`Describe`] pieces (its `Display` would bring `core::fmt`, several KB
//! of wasm). The connections' (reasons to reconnect, bad messages, refused commands) cross as
//! numbers instead ([`said`], [`usage`]): JavaScript holds their texts (`TEXTS` in
//! js/kickwire.js), and the module every page loads has neither the texts nor the code that
//! wrote them (0.3 KB gzipped off what every page loads; the tests below check every text
//! against proto's).

#[cfg(feature = "lookups")]
use kickwire_proto::describe::{Describe, Piece};
#[cfg(any(feature = "core", feature = "centrifugo"))]
use kickwire_proto::{
    DecodeError, Layer, SyntaxError,
    conn::{Reason, UsageError},
};

use crate::json::Json;

/// A transport's name in the JavaScript API.
pub(crate) const fn transport(t: kickwire_proto::Transport) -> &'static str {
    t.as_str()
}

/// Writes `d`'s message as a JSON string.
#[cfg(feature = "lookups")]
pub(crate) fn describe(j: &mut Json<'_>, d: &dyn Describe) {
    j.raw("\"");
    d.describe(&mut |p| match p {
        Piece::Text(s) => j.str_body(s),
        Piece::Number(n) => {
            j.num(n);
        }
    });
    j.raw("\"");
}

/// Writes `{"error":"…"}` with `e`'s message.
#[cfg(feature = "lookups")]
pub(crate) fn error_object(j: &mut Json<'_>, e: &dyn Describe) {
    j.raw("{\"error\":");
    describe(j, e);
    j.raw("}");
}

/// A message as JavaScript composes it: `TEXTS[text]` of js/kickwire.js with its `#` replaced
/// by `number` and its `$` by `TEXTS[inner]` (`say` there).
#[cfg(any(feature = "core", feature = "centrifugo"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Said {
    /// The template's place in `TEXTS`.
    pub(crate) text: u8,
    /// What replaces its `#`.
    pub(crate) number: Option<u64>,
    /// The place in `TEXTS` of what replaces its `$`.
    pub(crate) inner: Option<u8>,
}

/// Where the texts of each kind start in `TEXTS`: the states first (`kw_poll`'s `STATE` numbers, so
/// that `TEXTS` serves as `STATES` too), then the reasons, the decode errors, the syntax
/// errors, the usage errors and, last, the text of anything newer than this table (proto's
/// enums are `#[non_exhaustive]`).
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) mod at {
    /// `connection lost` and the reasons after it.
    pub(crate) const REASON: u8 = 6;
    /// The decode errors.
    pub(crate) const DECODE: u8 = REASON + 9;
    /// The syntax errors (a decode error's inner text).
    pub(crate) const SYNTAX: u8 = DECODE + 6;
    /// The usage errors.
    pub(crate) const USAGE: u8 = SYNTAX + 6;
    /// `unknown error`.
    pub(crate) const UNKNOWN: u8 = USAGE + 7;
}

#[cfg(any(feature = "core", feature = "centrifugo"))]
const fn text(text: u8) -> Said {
    Said {
        text,
        number: None,
        inner: None,
    }
}

/// A state: its name (`TEXTS` starts with the states, in `kw_poll`'s order (its `STATE`)).
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn state(s: kickwire_proto::conn::State) -> Said {
    text(crate::names::state_index(s) as u8)
}

/// A reason to reconnect.
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn reason(r: &Reason) -> Said {
    let (i, number) = match *r {
        Reason::Closed(None) => (0, None),
        Reason::Closed(Some(c)) => (1, Some(u64::from(c))),
        Reason::OpenFailed => (2, None),
        Reason::TokenUnavailable => (3, None),
        Reason::HandshakeTimeout => (4, None),
        Reason::PingTimeout => (5, None),
        Reason::ServerRequest(c) => (6, Some(u64::from(c))),
        Reason::TokenExpired => (7, None),
        Reason::BadHandshake => (8, None),
        _ => return text(at::UNKNOWN),
    };
    Said {
        number,
        ..text(at::REASON + i)
    }
}

/// What was wrong with a received message.
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn decode_error(e: &DecodeError) -> Said {
    let (i, number, inner) = match *e {
        DecodeError::Syntax {
            layer,
            error,
            offset,
        } => {
            let layer = match layer {
                Layer::Envelope => 0,
                Layer::Payload => 1,
                _ => return text(at::UNKNOWN),
            };
            let error = match error {
                SyntaxError::UnexpectedEnd => 0,
                SyntaxError::UnexpectedByte => 1,
                SyntaxError::BadEscape => 2,
                SyntaxError::BadNumber => 3,
                SyntaxError::TooDeep => 4,
                SyntaxError::TrailingBytes => 5,
                _ => return text(at::UNKNOWN),
            };
            (layer, Some(offset as u64), Some(at::SYNTAX + error))
        }
        DecodeError::NotAnEvent => (2, None, None),
        DecodeError::PayloadTooLarge { required } => (3, Some(required as u64), None),
        DecodeError::PayloadNotAnObject => (4, None, None),
        DecodeError::Centrifugo => (5, None, None),
        _ => return text(at::UNKNOWN),
    };
    Said {
        text: at::DECODE + i,
        number,
        inner,
    }
}

/// A refused command: what `kw_start` and `kw_drive` (`SUBSCRIBE`, `SET_TOKEN`) answer, the text's
/// place in `TEXTS` plus 1 (0 is success).
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn usage(e: &UsageError) -> u32 {
    let i = match e {
        UsageError::UrlTooLong => 0,
        UsageError::NotAWebSocketUrl => 1,
        UsageError::BadChannelName => 2,
        UsageError::TooManyChannels => 3,
        UsageError::TokenTooLong => 4,
        UsageError::QueuesTooSmall => 5,
        UsageError::NoRoomForToken => 6,
        _ => return u32::from(at::UNKNOWN) + 1,
    };
    u32::from(at::USAGE) + i + 1
}

/// Writes `s` as `,[text,number,inner]` (what is absent left out at the end; `null` for a
/// number absent before an inner text, which no message has): a value after the first of the
/// array it is in (see [`Json::then_str`]).
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn write(j: &mut Json<'_>, s: Said) {
    j.raw(",[").num(u64::from(s.text));
    if s.number.is_some() || s.inner.is_some() {
        j.then_opt(s.number);
    }
    if let Some(inner) = s.inner {
        j.then_num(u64::from(inner));
    }
    j.raw("]");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The API's JavaScript, which holds the texts.
    const KICKWIRE_JS: &str = include_str!("../js/kickwire.js");

    /// `TEXTS` of kickwire.js: `const TEXTS = "…".split("|");`.
    pub(crate) fn texts() -> Vec<&'static str> {
        let start = "const TEXTS = \"";
        let at = KICKWIRE_JS.find(start).expect("kickwire.js has TEXTS");
        let rest = &KICKWIRE_JS[at + start.len()..];
        let (words, after) = rest.split_once('"').expect("the table's string ends");
        assert!(after.starts_with(".split(\"|\");"), "TEXTS: {after:.20}");
        words.split('|').collect()
    }

    /// What `say` of kickwire.js makes of `s` (`String.prototype.replace` with a string
    /// pattern: the first occurrence only; what is absent is `undefined`).
    pub(crate) fn say(s: Said) -> String {
        let texts = texts();
        let number = s.number.map_or("undefined".to_string(), |n| n.to_string());
        let inner = s.inner.map_or("undefined", |i| texts[usize::from(i)]);
        texts[usize::from(s.text)]
            .replacen('#', &number, 1)
            .replacen('$', inner, 1)
    }

    /// Every reason, decode error and usage error proto has (their enums are
    /// `#[non_exhaustive]`, so a new variant cannot stop this from compiling: `unknown error`
    /// is then its text, which the test of its variant added here would catch).
    fn reasons() -> Vec<Reason> {
        vec![
            Reason::Closed(None),
            Reason::Closed(Some(4200)),
            Reason::OpenFailed,
            Reason::TokenUnavailable,
            Reason::HandshakeTimeout,
            Reason::PingTimeout,
            Reason::ServerRequest(4100),
            Reason::TokenExpired,
            Reason::BadHandshake,
        ]
    }

    fn decode_errors() -> Vec<DecodeError> {
        let mut all = vec![
            DecodeError::NotAnEvent,
            DecodeError::PayloadTooLarge { required: 20000 },
            DecodeError::PayloadNotAnObject,
            DecodeError::Centrifugo,
        ];
        for layer in [Layer::Envelope, Layer::Payload] {
            for error in [
                SyntaxError::UnexpectedEnd,
                SyntaxError::UnexpectedByte,
                SyntaxError::BadEscape,
                SyntaxError::BadNumber,
                SyntaxError::TooDeep,
                SyntaxError::TrailingBytes,
            ] {
                all.push(DecodeError::Syntax {
                    layer,
                    error,
                    offset: 37,
                });
            }
        }
        all
    }

    const USAGE_ERRORS: [UsageError; 7] = [
        UsageError::UrlTooLong,
        UsageError::NotAWebSocketUrl,
        UsageError::BadChannelName,
        UsageError::TooManyChannels,
        UsageError::TokenTooLong,
        UsageError::QueuesTooSmall,
        UsageError::NoRoomForToken,
    ];

    #[test]
    fn the_javascript_says_what_proto_says() {
        for r in reasons() {
            assert_eq!(say(reason(&r)), r.to_string(), "{r:?}");
        }
        for e in decode_errors() {
            assert_eq!(say(decode_error(&e)), e.to_string(), "{e:?}");
        }
        for e in USAGE_ERRORS {
            let i = usage(&e);
            assert!(i > 0, "{e:?}");
            assert_eq!(say(text((i - 1) as u8)), e.to_string(), "{e:?}");
        }
        // Each text once, every one used, the last for what the table does not know yet.
        let texts = texts();
        assert_eq!(texts.len(), usize::from(at::UNKNOWN) + 1);
        assert_eq!(texts[usize::from(at::UNKNOWN)], "unknown error");
        let mut used: Vec<u8> = reasons().iter().map(|r| reason(r).text).collect();
        for e in decode_errors() {
            let s = decode_error(&e);
            used.push(s.text);
            used.extend(s.inner);
        }
        used.extend(USAGE_ERRORS.iter().map(|e| (usage(e) - 1) as u8));
        used.extend(0..at::REASON); // the states
        used.push(at::UNKNOWN);
        used.sort_unstable();
        used.dedup();
        assert_eq!(used, (0..=at::UNKNOWN).collect::<Vec<_>>());
        // The states first, in `kw_poll`'s order (its `STATE`).
        for (i, state) in crate::names::STATES.into_iter().enumerate() {
            assert_eq!(texts[i], state.as_str());
            assert_eq!(say(super::state(state)), state.as_str());
            assert_eq!(crate::names::state_index(state) as usize, i);
        }
    }

    #[test]
    fn a_message_is_written_as_javascript_reads_it() {
        let write_one = |s: Said| {
            let mut buf = [0u8; 32];
            let mut j = Json::new(&mut buf);
            write(&mut j, s);
            let n = j.finish() as usize;
            String::from_utf8(buf[..n].to_vec()).unwrap()
        };
        // Each with the comma before it: a value after the first of its array.
        assert_eq!(write_one(reason(&Reason::OpenFailed)), ",[8]");
        assert_eq!(write_one(reason(&Reason::Closed(Some(4200)))), ",[7,4200]");
        let e = DecodeError::Syntax {
            layer: Layer::Payload,
            error: SyntaxError::BadNumber,
            offset: 12,
        };
        assert_eq!(write_one(decode_error(&e)), ",[16,12,24]");
        assert_eq!(
            say(decode_error(&e)),
            "payload: invalid JSON number at byte 12"
        );
    }
}
