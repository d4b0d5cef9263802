//! `redact` held to an independent model of what it must take out, on every text serde_json
//! reads as JSON.
//!
//! The model works on serde_json's values, not on bytes, and follows `redact`'s documented
//! rules (proto/src/message/redact.rs):
//! - the string value of a key of `SECRET_KEYS` becomes `REDACTED` (`""` when its text was
//!   shorter than that; left alone when empty or `REDACTED` already). A secret key's value that
//!   is a list stands for its first item, as the byte scanner reads it: the first string it
//!   meets before a `,`, `]`, `}` or another key is the value;
//! - any other string value that is a whole `http(s)://` URL (no ASCII whitespace in it) whose
//!   query names a parameter of `SIGNED_QUERY` (any case) loses its query, from its `?`;
//! - a string value of the outer text whose content starts (after blanks) with `{` or `[`
//!   holds JSON (Kick's double encoding): the same rules apply inside it, one level only.
//!
//! It checks that the redacted text is still JSON (redaction never breaks what it reads), that
//! it holds exactly what the model says, and the count of secrets removed. The one thing the
//! model cannot know from values is a secret's length as written (with its escapes), which
//! chooses between `REDACTED` and `""`: a secret of 10 bytes or more must become `REDACTED`, a
//! shorter one either.
//!
//! Skipped (nothing to compare): texts serde_json rejects, nesting deeper than 100, objects
//! with a key twice (serde_json keeps one value, `redact` redacts both, so the counts differ),
//! and a string that looks like JSON (starts with `{` or `[`) but is not: what `redact` reads
//! of broken JSON is its own business (proto's tests cover it), as long as it does not panic.
#![no_main]

use kickwire_proto::redact::{REDACTED, SECRET_KEYS, SIGNED_QUERY, redact};
use libfuzzer_sys::fuzz_target;
use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What the model expects of one value, with the strings that hold JSON read as JSON, so that
/// the redacted text can be compared whatever the escapes it was written with.
#[derive(Debug, PartialEq)]
enum Shape {
    Null,
    Bool(bool),
    Number(String),
    /// A string, with the alternative a short secret may also become.
    Str(String, Option<String>),
    /// A string holding JSON texts.
    Json(Vec<Shape>),
    List(Vec<Shape>),
    Object(Vec<(String, Shape)>),
}

/// The JSON texts of `text` (several, separated by blanks, as a WebSocket message may hold),
/// or `None` when serde_json does not read it all or it nests too deep.
fn texts(text: &str) -> Option<Vec<Value>> {
    let once = serde_json::Deserializer::from_str(text).into_iter::<OnceEach>();
    once.collect::<Result<Vec<_>, _>>().ok()?;
    let values: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .collect();
    let values = values.ok()?;
    (!values.is_empty() && values.iter().all(|v| depth(v) <= 100)).then_some(values)
}

/// A JSON value read only to refuse an object with a key twice.
struct OnceEach;

impl<'de> Deserialize<'de> for OnceEach {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OnceEachVisitor)
    }
}

struct OnceEachVisitor;

impl<'de> Visitor<'de> for OnceEachVisitor {
    type Value = OnceEach;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_i64<E>(self, _: i64) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_u64<E>(self, _: u64) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_f64<E>(self, _: f64) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_str<E>(self, _: &str) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_unit<E>(self) -> Result<OnceEach, E> {
        Ok(OnceEach)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OnceEach, A::Error> {
        while seq.next_element::<OnceEach>()?.is_some() {}
        Ok(OnceEach)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OnceEach, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key) {
                return Err(A::Error::custom("a key twice"));
            }
            map.next_value::<OnceEach>()?;
        }
        Ok(OnceEach)
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// `redact`'s test of a string holding JSON: its first byte that is not ASCII whitespace.
fn looks_like_json(s: &str) -> bool {
    s.bytes()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| b == b'{' || b == b'[')
}

/// Where the query of a signed URL starts, when `s` is one (see the module docs).
fn signed_query(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let head = b.get(..8).unwrap_or(b).to_ascii_lowercase();
    if !(head.starts_with(b"https://") || head.starts_with(b"http://")) {
        return None;
    }
    if b.iter().any(u8::is_ascii_whitespace) {
        return None;
    }
    // The scheme's own bytes cannot start the query.
    let q = 8 + b.get(8..)?.iter().position(|&c| c == b'?')?;
    let query = s.get(q + 1..)?;
    let signed = query.split('&').any(|param| {
        param
            .split_once('=')
            .is_some_and(|(name, _)| SIGNED_QUERY.iter().any(|n| n.eq_ignore_ascii_case(name)))
    });
    signed.then_some(q)
}

/// The model: what `redact` must make of `v`, and how many secrets it takes out.
/// `outer`: `v` is in the text itself (its strings may hold JSON); `secret`: `v` is the value
/// of a secret key (or the first item of such a list).
fn model(v: &Value, outer: bool, secret: bool, count: &mut usize) -> Option<Shape> {
    Some(match v {
        Value::Null => Shape::Null,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Number(n) => Shape::Number(n.to_string()),
        Value::String(s) if secret => {
            if s.is_empty() || s == REDACTED {
                Shape::Str(s.clone(), None)
            } else {
                *count += 1;
                let short = (s.len() < REDACTED.len()).then(String::new);
                Shape::Str(REDACTED.to_owned(), short)
            }
        }
        Value::String(s) => {
            if let Some(q) = signed_query(s) {
                *count += 1;
                Shape::Str(s.get(..q)?.to_owned(), None)
            } else if outer && looks_like_json(s) {
                let inner = texts(s)?;
                Shape::Json(
                    inner
                        .iter()
                        .map(|v| model(v, false, false, count))
                        .collect::<Option<_>>()?,
                )
            } else {
                Shape::Str(s.clone(), None)
            }
        }
        Value::Array(items) => Shape::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| model(v, outer, secret && i == 0, count))
                .collect::<Option<_>>()?,
        ),
        Value::Object(members) => Shape::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let secret = SECRET_KEYS.contains(&k.as_str());
                    Some((k.clone(), model(v, outer, secret, count)?))
                })
                .collect::<Option<_>>()?,
        ),
    })
}

/// The redacted text read back into the same shape.
fn read_back(v: &Value, outer: bool) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Number(n) => Shape::Number(n.to_string()),
        // `[redacted]` looks like JSON and is not: a string, as is any other such.
        Value::String(s) => match texts(s).filter(|_| outer && looks_like_json(s)) {
            Some(inner) => Shape::Json(inner.iter().map(|v| read_back(v, false)).collect()),
            None => Shape::Str(s.clone(), None),
        },
        Value::Array(items) => Shape::List(items.iter().map(|v| read_back(v, outer)).collect()),
        Value::Object(members) => Shape::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), read_back(v, outer)))
                .collect(),
        ),
    }
}

/// Whether `got` is what `want` allows (a short secret may be either of its two forms).
fn allowed(want: &Shape, got: &Shape) -> bool {
    match (want, got) {
        (Shape::Str(a, alt), Shape::Str(b, _)) => a == b || alt.as_ref() == Some(b),
        (Shape::Json(a), Shape::Json(b)) | (Shape::List(a), Shape::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| allowed(a, b))
        }
        (Shape::Object(a), Shape::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && allowed(a, b))
        }
        // Anything else compares as it is (a string that held JSON and reads back as a plain
        // one is a failure: JSON must stay JSON).
        _ => want == got,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut text = data.to_vec();
    let r = redact(&mut text);
    assert!(r.len <= data.len(), "redaction grew the text");
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Some(values) = texts(input) else { return };
    let mut count = 0;
    let Some(want) = values
        .iter()
        .map(|v| model(v, true, false, &mut count))
        .collect::<Option<Vec<_>>>()
    else {
        return; // a string that looks like JSON and is not: see the module docs
    };
    let out = std::str::from_utf8(&text[..r.len]).expect("redaction broke UTF-8");
    let back = texts(out).unwrap_or_else(|| panic!("redaction broke JSON: {out}"));
    let got: Vec<Shape> = back.iter().map(|v| read_back(v, true)).collect();
    assert!(
        want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| allowed(w, g)),
        "redacted {input}\n into {out}\nmodel  {want:?}\ngot    {got:?}"
    );
    assert_eq!(r.count, count, "count of secrets: {input} -> {out}");
});
