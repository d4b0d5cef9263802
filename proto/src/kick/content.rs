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
    content: &'a str,
    /// Where the next part starts.
    pos: usize,
    /// The first `]` at or after the last place one was looked for, or `Some(None)` when
    /// there is none (`None`: not looked for yet). Tokens are looked for front to back, so a
    /// `]` is searched for once, not once per `[emote:` before it: a message full of unclosed
    /// tokens is split in linear time.
    close: Option<Option<usize>>,
    /// Bytes the `]` searches went over (tests check the bound).
    #[cfg(test)]
    scanned: usize,
}

impl<'a> Parts<'a> {
    /// Splits `content`.
    #[must_use]
    pub const fn new(content: &'a str) -> Self {
        Self {
            content,
            pos: 0,
            close: None,
            #[cfg(test)]
            scanned: 0,
        }
    }

    /// The first `]` at or after `at` (which never goes back between calls).
    fn close_after(&mut self, at: usize) -> Option<usize> {
        match self.close {
            Some(Some(c)) if c >= at => return Some(c),
            Some(None) => return None,
            _ => {}
        }
        let rest = self.content.get(at..).unwrap_or("");
        let found = rest.find(']');
        #[cfg(test)]
        {
            self.scanned += found.map_or(rest.len(), |i| i + 1);
        }
        let close = found.and_then(|i| at.checked_add(i));
        self.close = Some(close);
        close
    }

    /// The token starting at `at`, if one does, and where it ends.
    fn emote_at(&mut self, at: usize) -> Option<(Part<'a>, usize)> {
        let content = self.content;
        content.get(at..)?.strip_prefix(OPEN)?;
        let start = at.checked_add(OPEN.len())?;
        let end = self.close_after(start)?;
        let inner = content.get(start..end)?;
        let (id, name) = inner.split_once(':')?;
        if id.is_empty() || name.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id = id.parse().ok()?;
        Some((Part::Emote { id, name }, end.checked_add(1)?))
    }
}

const OPEN: &str = "[emote:";

impl<'a> Iterator for Parts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        let content = self.content;
        let start = self.pos;
        if start >= content.len() {
            return None;
        }
        if let Some((part, end)) = self.emote_at(start) {
            self.pos = end;
            return Some(part);
        }
        // Text runs to the next token that parses (skipping `[`s that start none).
        let mut from = content
            .get(start..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8)
            .saturating_add(start);
        let end = loop {
            match content.get(from..).and_then(|s| s.find(OPEN)) {
                Some(i) => {
                    let at = from.saturating_add(i);
                    if self.emote_at(at).is_some() {
                        break at;
                    }
                    // `[` is one byte, so the next char starts right after it.
                    from = at.saturating_add(1);
                }
                None => break content.len(),
            }
        };
        self.pos = end;
        content.get(start..end).map(Part::Text)
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
    fn a_message_full_of_unclosed_tokens_is_split_in_linear_time() {
        // 128 KiB of token starts that never close, or close only at the very end: each `]`
        // is searched for once, not once per `[emote:` (which was quadratic).
        for tail in ["", "]", "[emote:9:end]"] {
            let mut text = std::string::String::new();
            while text.len() < 128 * 1024 {
                text.push_str("[emote:");
                text.push_str("[emote:a:");
            }
            text.push_str(tail);
            let mut it = Parts::new(&text);
            let got: std::vec::Vec<Part<'_>> = it.by_ref().collect();
            match tail {
                // Every earlier start fails on its id (`[emote` or `a`): all text, then the
                // one good token.
                "[emote:9:end]" => assert_eq!(
                    got,
                    [
                        Part::Text(&text[..text.len() - tail.len()]),
                        Part::Emote { id: 9, name: "end" }
                    ]
                ),
                _ => assert_eq!(got, [Part::Text(&text)], "{tail}"),
            }
            assert!(
                it.scanned <= text.len(),
                "{} bytes scanned for {}",
                it.scanned,
                text.len()
            );
        }
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
