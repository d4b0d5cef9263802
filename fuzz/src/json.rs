//! JSON read by serde_json into a value that keeps what a comparison with our readers needs.
//!
//! [`Json`] keeps members in document order (our readers let the last of two aliases win, as
//! written), says which strings had escapes (our numeric and boolean readers look at a string's
//! raw bytes and so read an escaped one differently, by design), and which form a number had.
//! [`parse`] refuses (returns `None` for) what a comparison cannot use:
//! - anything serde_json rejects (invalid UTF-8, lone surrogates, raw control characters,
//!   numbers out of `f64` range, trailing bytes): we are more lenient there, by design;
//! - duplicate keys in any object (we merge nested duplicates, serde_json keeps the last);
//! - keys written with escapes (we match keys on their raw bytes; Kick never escapes them);
//! - nesting deeper than 100 (the two depth limits are not counted alike).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON number, as serde_json saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer literal (no fraction, no exponent) that fits `u64`.
    Unsigned(u64),
    /// A negative integer literal that fits `i64` (serde_json reads `-0` as the float -0.0).
    Negative(i64),
    /// Anything else: a fraction, an exponent, or an integer too big for the above.
    Float(f64),
}

/// A JSON value; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String {
        /// The decoded text.
        text: String,
        /// Whether the literal had a `\` escape.
        escaped: bool,
    },
    Array(Vec<Json>),
    /// Members in document order; keys are unique and were written without escapes.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object; `None` for a non-object or an absent key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Self::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The last present member among `keys` in document order (what a reader that maps several
    /// aliases to one field ends up with).
    pub fn get_last_of(&self, keys: &[&str]) -> Option<&Json> {
        match self {
            Self::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| keys.contains(&k.as_str()))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// `Some(self)` for an object.
    pub fn as_object(&self) -> Option<&Json> {
        matches!(self, Self::Object(_)).then_some(self)
    }

    /// The members of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String { text, .. } => Some(text),
            _ => None,
        }
    }

    fn depth(&self) -> usize {
        match self {
            Self::Array(items) => 1 + items.iter().map(Self::depth).max().unwrap_or(0),
            Self::Object(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// The whole of `bytes` as one JSON text; `None` for what a comparison cannot use (see the
/// [module docs](self)).
pub fn parse(bytes: &[u8]) -> Option<Json> {
    serde_json::from_slice::<Json>(bytes)
        .ok()
        .filter(|v| v.depth() <= 100)
}

/// The first JSON value in `bytes`, whatever follows it (what a reader that never looks past
/// the value sees); `None` as for [`parse`].
pub fn parse_prefix(bytes: &[u8]) -> Option<Json> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Json::deserialize(&mut de).ok().filter(|v| v.depth() <= 100)
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(Number::Unsigned(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        // serde_json calls this for negative integer literals only (`-0` is a float).
        Ok(Json::Number(Number::Negative(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(Number::Float(v)))
    }

    // From a slice, serde_json lends strings without escapes and copies decoded ones.
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json, E> {
        Ok(Json::String {
            text: v.to_owned(),
            escaped: false,
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String {
            text: v.to_owned(),
            escaped: true,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Json>()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members: Vec<(String, Json)> = Vec::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            if members.iter().any(|(m, _)| m == k) {
                return Err(de::Error::custom("duplicate key"));
            }
            let v = map.next_value::<Json>()?;
            members.push((k.to_owned(), v));
        }
        Ok(Json::Object(members))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// An object key written without escapes (serde_json can lend only those).
struct Key<'de>(&'de str);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key without escapes")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_and_refused() {
        let v = parse(br#"{"a":"x\"y","b":"xy","n":[1,-2,1.5,1e3,-0]}"#).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Json::String {
                text: "x\"y".into(),
                escaped: true
            })
        );
        assert_eq!(
            v.get("b"),
            Some(&Json::String {
                text: "xy".into(),
                escaped: false
            })
        );
        let n = v.get("n").and_then(Json::as_array).unwrap();
        assert_eq!(n[0], Json::Number(Number::Unsigned(1)));
        assert_eq!(n[1], Json::Number(Number::Negative(-2)));
        assert_eq!(n[2], Json::Number(Number::Float(1.5)));
        assert_eq!(n[3], Json::Number(Number::Float(1000.0)));
        assert!(matches!(n[4], Json::Number(Number::Float(z)) if z == 0.0 && z.is_sign_negative()));
        assert!(parse(br#"{"a":1,"a":2}"#).is_none());
        assert!(parse(br#"{"x":{"a":1,"a":2}}"#).is_none());
        assert!(parse(br#"{"\u0061":1}"#).is_none());
        assert!(parse(b"{} x").is_none());
        assert!(parse_prefix(b"{} x").is_some());
        let v = parse(br#"{"key":1,"app_key":2}"#).unwrap();
        assert_eq!(
            v.get_last_of(&["app_key", "key"]),
            Some(&Json::Number(Number::Unsigned(2)))
        );
    }
}
