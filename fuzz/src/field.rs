//! What kickwire-proto's lenient field readers must read from a [`Json`] value, as the proto
//! docs describe them (`json/field.rs` module docs, `limits`, `Text`). `None` from these means
//! "cannot be told from a [`Json`]" (the literal's exact text is gone), and the caller skips
//! that comparison.
//!
//! The rules, from the docs:
//! - ids (`Option<u64>`): a number's integer part if it is non-negative and fits ("fractions are
//!   dropped"), or a string of ASCII digits (spaces around allowed); nothing else;
//! - booleans (`Option<bool>`): `true`/`false`, a number (non-zero is true), or the strings
//!   `"true"`, `"false"`, `"1"`, `"0"`;
//! - text (`Text<N>`): a string's decoded text, a number as written, `true`/`false` as words,
//!   empty for `null` and containers; longer than `N` bytes: cut at a char boundary and flagged;
//! - times (`Option<Timestamp>`): a number (its unit told by its size) or a string in one of
//!   Kick's forms.

use kickwire_proto::Timestamp;

use crate::json::{Json, Number};

/// Below this, a float keeps its integer part exactly and a fraction well away from 0 and 1
/// tells the integer part of the literal it was parsed from.
const EXACT: f64 = (1u64 << 40) as f64;

/// The integer part of a float that came from a literal with a clear fraction (e.g. `12.5`,
/// `1.25e1`); `None` when the literal's integer part cannot be told from the float.
fn integer_part(f: f64) -> Option<f64> {
    let frac = f.abs().fract();
    (f.abs() < EXACT && frac > 1e-3 && frac < 1.0 - 1e-3).then(|| f.trunc())
}

/// `Option<u64>`: `Some(read)` when the value is known, `None` when it cannot be told.
pub fn id(v: Option<&Json>) -> Option<Option<u64>> {
    Some(match v {
        None | Some(Json::Null | Json::Bool(_) | Json::Array(_) | Json::Object(_)) => None,
        Some(Json::Number(Number::Unsigned(n))) => Some(*n),
        Some(Json::Number(Number::Negative(_))) => None,
        Some(Json::Number(Number::Float(f))) => {
            if f.is_sign_negative() {
                None
            } else {
                // A float within u64 range may still be an integer literal too big for u64.
                return integer_part(*f).map(|i| Some(i as u64));
            }
        }
        Some(Json::String { text, escaped }) => {
            if *escaped {
                None // an escaped string is never read as a number
            } else {
                let t = text.trim_ascii();
                let digits = t.bytes().take_while(u8::is_ascii_digit).count();
                match t.as_bytes().get(digits) {
                    // A digit string: its value, or nothing when it overflows.
                    None if digits > 0 => t.parse().ok(),
                    // `12.5` or `1e3` in a string: not specified, not compared.
                    Some(b'.' | b'e' | b'E') if digits > 0 => return None,
                    _ => None,
                }
            }
        }
    })
}

/// `Option<u32>`: as [`id`], saturated to `u32::MAX`.
pub fn count(v: Option<&Json>) -> Option<Option<u32>> {
    id(v).map(|n| n.map(|n| u32::try_from(n).unwrap_or(u32::MAX)))
}

/// `Option<bool>`.
pub fn flag(v: Option<&Json>) -> Option<Option<bool>> {
    Some(match v {
        Some(Json::Bool(b)) => Some(*b),
        Some(Json::Number(Number::Unsigned(n))) => Some(*n != 0),
        Some(Json::Number(Number::Negative(_))) => None,
        Some(Json::Number(Number::Float(f))) => {
            if f.is_sign_negative() {
                None
            } else {
                return integer_part(*f).map(|i| Some(i != 0.0));
            }
        }
        Some(Json::String {
            text,
            escaped: false,
        }) => match text.trim_ascii() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        // None of the four words has an escape, so an escaped string is none of them.
        Some(Json::String { escaped: true, .. }) => None,
        None | Some(Json::Null | Json::Array(_) | Json::Object(_)) => None,
    })
}

/// `Text<N>`, before any cut.
pub fn text(v: Option<&Json>) -> Option<String> {
    Some(match v {
        None | Some(Json::Null | Json::Array(_) | Json::Object(_)) => String::new(),
        Some(Json::String { text, .. }) => text.clone(),
        Some(Json::Bool(b)) => b.to_string(),
        Some(Json::Number(Number::Unsigned(n))) => n.to_string(),
        Some(Json::Number(Number::Negative(n))) => n.to_string(),
        Some(Json::Number(Number::Float(_))) => return None,
    })
}

/// `Option<Timestamp>`.
pub fn time(v: Option<&Json>) -> Option<Option<Timestamp>> {
    Some(match v {
        None | Some(Json::Null | Json::Bool(_) | Json::Array(_) | Json::Object(_)) => None,
        Some(Json::Number(Number::Unsigned(n))) => {
            i64::try_from(*n).ok().map(Timestamp::from_unix_number)
        }
        Some(Json::Number(Number::Negative(n))) => Some(Timestamp::from_unix_number(*n)),
        Some(Json::Number(Number::Float(f))) => {
            return integer_part(*f).map(|i| Some(Timestamp::from_unix_number(i as i64)));
        }
        Some(Json::String {
            text,
            escaped: false,
        }) => Timestamp::parse_str(text),
        // Read from the raw (escaped) text: not told by the decoded one.
        Some(Json::String { escaped: true, .. }) => return None,
    })
}

/// Checks a `Text<cap>` read (`ours`, `truncated`) against the full text `want`: equal when it
/// fits, else flagged and cut at a char boundary less than 4 bytes short of `cap`.
pub fn assert_text(what: &str, ours: &str, truncated: bool, want: &str, cap: usize) {
    if want.len() <= cap {
        assert_eq!(ours, want, "{what}");
        assert!(!truncated, "{what}: fits but flagged truncated");
    } else {
        assert!(truncated, "{what}: over capacity but not flagged");
        assert!(want.starts_with(ours), "{what}: not a prefix of {want:?}");
        assert!(
            ours.len() <= cap && cap - ours.len() < 4,
            "{what}: cut too short"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn of(json: &str) -> Json {
        parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn ids() {
        let v =
            of(r#"[7," 42 ","4x","-1",-1,1.5,1.25e1,1e3,"1.5",99999999999999999999,"9","\u0039"]"#);
        let v = v.as_array().unwrap();
        let got: Vec<_> = v.iter().map(|j| id(Some(j))).collect();
        assert_eq!(
            got,
            [
                Some(Some(7)),
                Some(Some(42)),
                Some(None),
                Some(None),
                Some(None),
                Some(Some(1)),
                Some(Some(12)),
                None,
                None,
                None,
                Some(Some(9)),
                Some(None),
            ]
        );
        assert_eq!(id(None), Some(None));
    }

    #[test]
    fn flags_texts_times() {
        let v = of(r#"[true," 1 ","0",2,"yes",null]"#);
        let got: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|j| flag(Some(j)))
            .collect();
        assert_eq!(
            got,
            [
                Some(Some(true)),
                Some(Some(true)),
                Some(Some(false)),
                Some(Some(true)),
                Some(None),
                Some(None)
            ]
        );
        let v = of(r#"["a\"b",12,-3,false,{}]"#);
        let got: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|j| text(Some(j)))
            .collect();
        assert_eq!(
            got,
            [
                Some("a\"b".into()),
                Some("12".into()),
                Some("-3".into()),
                Some("false".into()),
                Some(String::new())
            ]
        );
        assert_eq!(
            time(Some(&of("1790000000"))),
            Some(Some(Timestamp::from_unix_millis(1_790_000_000_000)))
        );
    }
}
