//! A few fields of a payload, read in place, without decoding the whole event.
//!
//! The typed structs of [`kick`](crate::kick) hold every field of an event and are several KB;
//! a driver that needs three numbers (an LED board: how many subs were gifted, how many
//! months) can leave them out and read those numbers from the payload's JSON text
//! ([`json_events`](crate::json_events)).
//! The values read here are the ones typed decoding would give: numbers as
//! [`Object::u64`] reads them, arrays counted in full. The payload's JSON grammar is checked;
//! escapes inside strings are checked only in what is read, so a payload that typed decoding
//! refuses for a bad escape in a field it reads (`"\g"`) can still be probed.
//!
//! ```
//! use kickwire_proto::json::probe;
//! let payload = br#"{"gifted_usernames":["a","b","c"],"gifter_username":"court","gift":{"amount":"100"}}"#;
//! let gift = probe::object(payload)?;
//! assert_eq!(gift.array_len("gifted_usernames"), Some(3));
//! assert_eq!(gift.object("gift").and_then(|g| g.u64("amount")), Some(100));
//! assert_eq!(gift.u64("months"), None);
//! # Ok::<(), kickwire_proto::DecodeError>(())
//! ```

use super::field::{digits_u64, read_numeric};
use super::reader::{Kind, Reader};
use crate::error::{DecodeError, Layer};

/// A JSON object checked to be well-formed, whose members can be looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object<'a> {
    /// The object's text, from `{` to `}`.
    raw: &'a [u8],
}

/// `payload` as an object: the whole of it must be one well-formed JSON object (whitespace
/// around it aside), as for typed decoding.
///
/// # Errors
/// [`DecodeError::Syntax`] for malformed JSON (or JSON nested deeper than
/// [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH)), [`DecodeError::PayloadNotAnObject`]
/// for any other value.
pub fn object(payload: &[u8]) -> Result<Object<'_>, DecodeError> {
    let mut r = Reader::new(payload);
    let syntax = |r: &Reader<'_>, error| DecodeError::Syntax {
        layer: Layer::Payload,
        error,
        offset: r.offset(),
    };
    let kind = r.peek_kind().map_err(|e| syntax(&r, e))?;
    let raw = r.raw_value().map_err(|e| syntax(&r, e))?;
    r.finish().map_err(|e| syntax(&r, e))?;
    if kind == Kind::Object {
        Ok(Object { raw })
    } else {
        Err(DecodeError::PayloadNotAnObject)
    }
}

impl<'a> Object<'a> {
    /// The object's JSON text, as in the payload.
    #[must_use]
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value of member `key`, as JSON text; the last one when the key repeats (as typed
    /// decoding reads it). Keys are compared as written: an escaped key never matches.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&'a [u8]> {
        let mut found = None;
        let mut r = Reader::new(self.raw);
        // The object was checked when it was made, so this cannot fail; if it somehow did,
        // what was found so far is still right.
        let _ = r.object(|r, k| {
            if k == key.as_bytes() {
                found = Some(r.raw_value()?);
                Ok(())
            } else {
                r.skip_value()
            }
        });
        found
    }

    /// Member `key` as an unsigned integer, read as typed decoding reads one: a JSON number
    /// or a string holding one, its fraction dropped. `None` when absent, `null`, negative,
    /// not a number or past `u64::MAX`.
    #[must_use]
    pub fn u64(&self, key: &str) -> Option<u64> {
        let mut r = Reader::new(self.get(key)?);
        read_numeric(&mut r, digits_u64, Some).ok().flatten()
    }

    /// Member `key` when it is an object.
    #[must_use]
    pub fn object(&self, key: &str) -> Option<Object<'a>> {
        let raw = self.get(key)?;
        (Reader::new(raw).peek_kind().ok()? == Kind::Object).then_some(Object { raw })
    }

    /// How many items member `key` has when it is an array: all of them, also beyond the
    /// capacity of the typed list that would hold them.
    #[must_use]
    pub fn array_len(&self, key: &str) -> Option<usize> {
        let mut r = Reader::new(self.get(key)?);
        if r.peek_kind().ok()? != Kind::Array {
            return None;
        }
        let mut n: usize = 0;
        r.array(|r| {
            n = n.saturating_add(1);
            r.skip_value()
        })
        .ok()?;
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::SyntaxError;

    #[test]
    fn payload_must_be_one_object() {
        assert_eq!(object(b"[]"), Err(DecodeError::PayloadNotAnObject));
        assert_eq!(object(b"null"), Err(DecodeError::PayloadNotAnObject));
        assert!(matches!(
            object(br#"{"a":1"#),
            Err(DecodeError::Syntax {
                layer: Layer::Payload,
                error: SyntaxError::UnexpectedEnd,
                ..
            })
        ));
        assert!(matches!(
            object(br#"{"a":1} x"#),
            Err(DecodeError::Syntax {
                layer: Layer::Payload,
                ..
            })
        ));
        assert_eq!(object(b" {} ").map(|o| o.raw()), Ok(&b"{}"[..]));
    }

    #[test]
    fn members() {
        let o = object(br#"{"n":38,"s":" 12 ","f":2.9,"neg":-1,"big":18446744073709551616,"nul":null,"n":39,"esc\u0061":1,"list":[1,"x",{"a":[2]},null],"obj":{"amount":5},"str":"\u0031"}"#).unwrap();
        assert_eq!(o.u64("n"), Some(39)); // the last of two
        assert_eq!(o.u64("s"), Some(12)); // a numeric string, trimmed
        assert_eq!(o.u64("f"), Some(2));
        assert_eq!(o.u64("neg"), None);
        assert_eq!(o.u64("big"), None);
        assert_eq!(o.u64("nul"), None);
        assert_eq!(o.u64("absent"), None);
        assert_eq!(o.u64("esca"), None); // an escaped key is not the same key
        assert_eq!(o.u64("str"), None); // a string with escapes is not read as a number
        assert_eq!(o.array_len("list"), Some(4));
        assert_eq!(o.array_len("obj"), None);
        assert_eq!(o.object("obj").and_then(|g| g.u64("amount")), Some(5));
        assert_eq!(o.object("list"), None);
        assert_eq!(o.get("obj"), Some(&br#"{"amount":5}"#[..]));
    }
}
