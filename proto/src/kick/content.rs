//! Chat content: text and `[emote:ID:NAME]` tokens, split without allocating.

/// One piece of a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Part<'a> {
    /// Plain text, as written.
    Text(&'a str),
    /// An emote token. Its image is at `https://files.kick.com/emotes/{id}/fullsize`.
    Emote {
        /// Emote id.
        id: u64,
        /// Emote name, e.g. `KEKW`.
        name: &'a str,
    },
}

/// Iterator over the [`Part`]s of a chat message's content.
///
/// A token must be exactly `[emote:` + decimal id + `:` + a non-empty name without `]` + `]`;
/// anything else (a stray `[`, a bad id) stays text, so nothing is ever lost.
///
/// ```
/// use kickwire_proto::kick::{Part, Parts};
/// let parts: Vec<Part> = Parts::new("hi [emote:37226:KEKW]!").collect();
/// assert_eq!(parts, [Part::Text("hi "), Part::Emote { id: 37226, name: "KEKW" }, Part::Text("!")]);
/// ```
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    rest: &'a str,
}

impl<'a> Parts<'a> {
    /// Splits `content`.
    #[must_use]
    pub const fn new(content: &'a str) -> Self {
        Self { rest: content }
    }
}

const OPEN: &str = "[emote:";

/// Parses a token at the start of `s`; returns the part and the token's length.
fn emote_at(s: &str) -> Option<(Part<'_>, usize)> {
    let body = s.strip_prefix(OPEN)?;
    let end = body.find(']')?;
    let inner = body.get(..end)?;
    let (id, name) = inner.split_once(':')?;
    if id.is_empty() || name.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = id.parse().ok()?;
    Some((
        Part::Emote { id, name },
        OPEN.len().checked_add(end)?.checked_add(1)?,
    ))
}

impl<'a> Iterator for Parts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        if let Some((part, len)) = emote_at(self.rest) {
            self.rest = self.rest.get(len..).unwrap_or("");
            return Some(part);
        }
        // Text runs to the next token that parses (skipping `[`s that start none).
        let mut from = self.rest.chars().next().map_or(1, char::len_utf8);
        let end = loop {
            match self.rest.get(from..).and_then(|s| s.find(OPEN)) {
                Some(i) => {
                    let at = from.saturating_add(i);
                    if self.rest.get(at..).and_then(emote_at).is_some() {
                        break at;
                    }
                    // `[` is one byte, so the next char starts right after it.
                    from = at.saturating_add(1);
                }
                None => break self.rest.len(),
            }
        };
        let (text, rest) = self.rest.split_at_checked(end)?;
        self.rest = rest;
        Some(Part::Text(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> std::vec::Vec<Part<'_>> {
        Parts::new(s).collect()
    }

    #[test]
    fn splits_text_and_emotes() {
        assert_eq!(
            parts("[emote:3989851:litneyspears4Max]on my way"),
            [
                Part::Emote {
                    id: 3_989_851,
                    name: "litneyspears4Max"
                },
                Part::Text("on my way")
            ]
        );
        assert_eq!(
            parts("[emote:1:A][emote:2:B]"),
            [
                Part::Emote { id: 1, name: "A" },
                Part::Emote { id: 2, name: "B" }
            ]
        );
        assert_eq!(parts(""), []);
    }

    #[test]
    fn malformed_tokens_stay_text() {
        for s in [
            "[emote:x:KEKW]",
            "[emote:1:]",
            "[emote::A]",
            "[emote:12:abc",
            "a[b] [emote:",
        ] {
            assert_eq!(parts(s), [Part::Text(s)], "{s}");
        }
        assert_eq!(
            parts("[emote:x] [emote:5:Y]"),
            [Part::Text("[emote:x] "), Part::Emote { id: 5, name: "Y" }]
        );
    }

    #[test]
    fn non_latin_text() {
        assert_eq!(
            parts("ともくん[emote:7:É]😭"),
            [
                Part::Text("ともくん"),
                Part::Emote { id: 7, name: "É" },
                Part::Text("😭")
            ]
        );
    }
}
