//! Fixed-capacity values that keep track of what did not fit: [`Text`] and [`List`].

use core::ops::Deref;

/// A UTF-8 string of at most `N` bytes that remembers whether it had to be cut.
///
/// Filled by the decoder; a string longer than `N` keeps its longest prefix that ends on a char
/// boundary and reports [`is_truncated`](Self::is_truncated). Derefs to `str`.
///
/// ```
/// use kickwire_proto::Text;
/// let t: Text<4> = Text::from_str_truncating("héllo");
/// assert_eq!(t.as_str(), "hél"); // 'é' is 2 bytes: "hél" is 4 bytes
/// assert!(t.is_truncated());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text<const N: usize> {
    s: heapless::String<N>,
    truncated: bool,
}

impl<const N: usize> Text<N> {
    /// An empty text.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            s: heapless::String::new(),
            truncated: false,
        }
    }

    /// Copies `s`, cut at a char boundary if it is longer than `N` bytes.
    #[must_use]
    pub fn from_str_truncating(s: &str) -> Self {
        let mut t = Self::new();
        t.push_str(s);
        t
    }

    /// The text as a `&str`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.s.as_str()
    }

    /// Whether the original string was longer than `N` bytes and was cut.
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Empties the text and clears the truncation flag.
    pub fn clear(&mut self) {
        self.s.clear();
        self.truncated = false;
    }

    /// The capacity-erased view that all the appending goes through: one copy of the code for
    /// every `N`.
    #[inline]
    pub(crate) fn as_mut(&mut self) -> TextMut<'_> {
        TextMut {
            s: self.s.as_mut_view(),
            truncated: &mut self.truncated,
        }
    }

    /// Appends as much of `piece` as fits, cutting at a char boundary.
    #[inline]
    pub(crate) fn push_str(&mut self, piece: &str) {
        self.as_mut().push_str(piece);
    }

    /// Appends one char if it fits; otherwise the text is marked cut.
    #[inline]
    pub(crate) fn push_char(&mut self, c: char) {
        self.as_mut().push_char(c);
    }

    /// Appends bytes that should be UTF-8; invalid sequences become U+FFFD.
    #[cfg(test)]
    pub(crate) fn push_bytes_lossy(&mut self, bytes: &[u8]) {
        self.as_mut().push_bytes_lossy(bytes);
    }
}

/// `bytes` as text, if they are UTF-8. In the browser's modules through `utf8_chunks`, whose
/// validator reads byte by byte and weighs two thirds of `from_utf8`'s (that one reads ASCII a
/// word at a time: the speed the native decoder keeps); every check there goes that way, so the
/// modules carry the one validator (core module 64 bytes gzipped less).
pub(crate) fn utf8(bytes: &[u8]) -> Option<&str> {
    // The first chunk is all of `bytes` exactly when it ends in no invalid sequence.
    #[cfg(target_arch = "wasm32")]
    return match bytes.utf8_chunks().next() {
        None => Some(""),
        Some(chunk) if chunk.invalid().is_empty() => Some(chunk.valid()),
        Some(_) => None,
    };
    #[cfg(not(target_arch = "wasm32"))]
    core::str::from_utf8(bytes).ok()
}

/// A [`Text`] of any capacity, borrowed mutably: what the decoder writes through, so that the
/// appending code exists once rather than once per capacity.
pub(crate) struct TextMut<'a> {
    s: &'a mut heapless::string::StringView,
    truncated: &'a mut bool,
}

impl TextMut<'_> {
    /// Empties the text and clears the truncation flag.
    pub(crate) fn clear(&mut self) {
        self.s.clear();
        *self.truncated = false;
    }

    /// Appends as much of `piece` as fits, cutting at a char boundary.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn push_str(&mut self, piece: &str) {
        if *self.truncated {
            return;
        }
        if self.s.push_str(piece).is_ok() {
            return;
        }
        self.push_cut(piece);
    }

    /// The part of [`push_str`](Self::push_str) for a piece that does not fit.
    #[cold]
    #[inline(never)]
    fn push_cut(&mut self, piece: &str) {
        let room = self.s.capacity().saturating_sub(self.s.len());
        let mut cut = room.min(piece.len());
        while !piece.is_char_boundary(cut) {
            cut = cut.saturating_sub(1);
        }
        if let Some(head) = piece.get(..cut) {
            // Cannot fail: `head` fits in the remaining room by construction.
            let _ = self.s.push_str(head);
        }
        *self.truncated = true;
    }

    /// Appends one char if it fits; otherwise the text is marked cut.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn push_char(&mut self, c: char) {
        if *self.truncated {
            return;
        }
        // One arm per length, so that the copy of the encoded char has a length known where it
        // is compiled: a few stores rather than a call to `memcpy` for every escaped char.
        let mut buf = [0u8; 4];
        let pushed = match c.len_utf8() {
            1 => self.s.push(c),
            2 => self.s.push_str(c.encode_utf8(&mut buf)),
            3 => self.s.push_str(c.encode_utf8(&mut buf)),
            _ => self.s.push_str(c.encode_utf8(&mut buf)),
        };
        if pushed.is_err() {
            *self.truncated = true;
        }
    }

    /// Appends bytes that should be UTF-8; invalid sequences become U+FFFD. In the browser's
    /// modules by `utf8_chunks`, the one validator there (see [`utf8`]); it splits as the
    /// native form below does.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn push_bytes_lossy(&mut self, bytes: &[u8]) {
        for chunk in bytes.utf8_chunks() {
            self.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                self.push_str("\u{FFFD}");
            }
        }
    }

    /// Appends bytes that should be UTF-8; invalid sequences become U+FFFD.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn push_bytes_lossy(&mut self, bytes: &[u8]) {
        match core::str::from_utf8(bytes) {
            Ok(s) => self.push_str(s),
            Err(_) => self.push_invalid(bytes),
        }
    }

    /// The part of [`push_bytes_lossy`](Self::push_bytes_lossy) for invalid UTF-8.
    #[cfg(not(target_arch = "wasm32"))]
    #[cold]
    #[inline(never)]
    fn push_invalid(&mut self, mut bytes: &[u8]) {
        // `from_utf8`'s error says where the valid run ends and how long the bad sequence is
        // (none: cut short at the end), which is how `utf8_chunks` splits the text too; the
        // browser's module then carries one UTF-8 validator, not a second one in
        // `utf8_chunks`.
        loop {
            match core::str::from_utf8(bytes) {
                Ok(s) => return self.push_str(s),
                Err(e) => {
                    let (valid, rest) = bytes
                        .split_at_checked(e.valid_up_to())
                        .unwrap_or((bytes, &[]));
                    self.push_str(core::str::from_utf8(valid).unwrap_or_default());
                    self.push_str("\u{FFFD}");
                    let bad = e.error_len().unwrap_or(rest.len());
                    bytes = rest.get(bad..).unwrap_or_default();
                }
            }
        }
    }
}

impl<const N: usize> Deref for Text<N> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> AsRef<str> for Text<N> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> PartialEq<str> for Text<N> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl<const N: usize> PartialEq<&str> for Text<N> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<const N: usize> core::fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.as_str(), f)?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl<const N: usize> core::fmt::Display for Text<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "defmt")]
impl<const N: usize> defmt::Format for Text<N> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str());
    }
}

#[cfg(feature = "serde")]
impl<const N: usize> serde::Serialize for Text<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A list of at most `N` items that keeps the exact number the peer sent.
///
/// When the peer sends more than `N` items, the first `N` are kept and [`total`](Self::total)
/// still counts every one: a gift of 120 subs reports 120. Derefs to `[T]`.
#[derive(Clone, PartialEq, Eq)]
pub struct List<T, const N: usize> {
    items: heapless::Vec<T, N>,
    total: u32,
}

impl<T, const N: usize> Default for List<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> List<T, N> {
    /// An empty list.
    pub(crate) const fn new() -> Self {
        Self {
            items: heapless::Vec::new(),
            total: 0,
        }
    }

    /// The items kept (at most `N`).
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// How many items the peer sent, kept or not.
    #[must_use]
    pub const fn total(&self) -> u32 {
        self.total
    }

    /// Whether items were dropped because the list was full.
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        usize::try_from(self.total).map_or(true, |t| t > self.items.len())
    }

    /// Empties the list and its count: the same as `List::default()`, without building one.
    pub(crate) fn clear(&mut self) {
        self.items.clear();
        self.total = 0;
    }

    /// Counts `n` more items that are not kept (a joined list whose parts were cut).
    pub(crate) fn count_more(&mut self, n: u32) {
        self.total = self.total.saturating_add(n);
    }

    /// Counts one more item and returns a slot for it if one is left.
    pub(crate) fn next_slot(&mut self) -> Option<&mut T>
    where
        T: Default,
    {
        self.total = self.total.saturating_add(1);
        self.items.push(T::default()).ok()?;
        self.items.last_mut()
    }
}

impl<T, const N: usize> Deref for List<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T: core::fmt::Debug, const N: usize> core::fmt::Debug for List<T, N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.items.iter()).finish()?;
        if self.is_truncated() {
            write!(f, " (of {})", self.total)?;
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl<T: defmt::Format, const N: usize> defmt::Format for List<T, N> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=[?]} (of {=u32})", self.items.as_slice(), self.total);
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize, const N: usize> serde::Serialize for List<T, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cuts_at_char_boundary() {
        let t: Text<5> = Text::from_str_truncating("ab😭");
        assert_eq!(t.as_str(), "ab");
        assert!(t.is_truncated());
        let t: Text<6> = Text::from_str_truncating("ab😭");
        assert_eq!(t.as_str(), "ab😭");
        assert!(!t.is_truncated());
    }

    #[test]
    fn chars_of_every_length_are_pushed_whole_or_not_at_all() {
        // 1 + 2 + 3 + 4 bytes: "a", "é" (U+00E9), "€" (U+20AC), "😭" (U+1F62D).
        let mut t: Text<10> = Text::new();
        for c in ['a', 'é', '€', '😭'] {
            t.push_char(c);
        }
        assert_eq!((t.as_str(), t.is_truncated()), ("aé€😭", false));
        // One byte short: the last char is left out, not cut, and the text says it was cut;
        // nothing is added after that, even what would fit.
        let mut t: Text<9> = Text::new();
        for c in ['a', 'é', '€', '😭', 'b'] {
            t.push_char(c);
        }
        assert_eq!((t.as_str(), t.is_truncated()), ("aé€", true));
        let mut t: Text<2> = Text::new();
        for c in ['a', 'é', 'b'] {
            t.push_char(c);
        }
        assert_eq!((t.as_str(), t.is_truncated()), ("a", true));
    }

    #[test]
    fn lossy_bytes() {
        let mut t: Text<16> = Text::new();
        t.push_bytes_lossy(b"a\xffb");
        assert_eq!(t.as_str(), "a\u{FFFD}b");
    }

    /// `push_invalid` as it was written before: `utf8_chunks`, a valid run then U+FFFD for
    /// each bad sequence.
    fn chunked<const N: usize>(bytes: &[u8]) -> Text<N> {
        let mut t = Text::new();
        let mut m = t.as_mut();
        for chunk in bytes.utf8_chunks() {
            m.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                m.push_str("\u{FFFD}");
            }
        }
        t
    }

    #[test]
    fn lossy_bytes_split_as_utf8_chunks_splits_them() {
        use std::vec::Vec;
        // Every sequence of up to four of these bytes: ASCII, continuation bytes at both ends
        // of their range, every kind of lead byte (overlong, surrogate and out-of-range ones
        // included), and bytes that are never UTF-8.
        const BYTES: &[u8] = &[
            b'a', 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0,
            0xf4, 0xf5, 0xff,
        ];
        let mut inputs: Vec<Vec<u8>> = std::vec![Vec::new()];
        let mut last = inputs.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| BYTES.iter().map(move |b| [&s[..], &[*b]].concat()))
                .collect();
            inputs.extend(last.iter().cloned());
        }
        inputs.push("é😭\u{FFFD}".as_bytes().to_vec());
        inputs.push(b"ok \xf0\x9f\x98 cut, \xe2\x82\xac whole, \xed\xa0\x80 surrogate".to_vec());
        for bytes in &inputs {
            let mut t: Text<64> = Text::new();
            t.push_bytes_lossy(bytes);
            assert_eq!(t, chunked::<64>(bytes), "{bytes:x?}");
            assert_eq!(
                t.as_str(),
                std::string::String::from_utf8_lossy(bytes),
                "{bytes:x?}"
            );
            // And cut where the text fills up, as before.
            let mut t: Text<5> = Text::new();
            t.push_bytes_lossy(bytes);
            assert_eq!(t, chunked::<5>(bytes), "{bytes:x?}");
        }
    }

    #[test]
    fn list_counts_beyond_capacity() {
        let mut l: List<u8, 2> = List::default();
        for i in 0..5u8 {
            if let Some(slot) = l.next_slot() {
                *slot = i;
            }
        }
        assert_eq!(l.as_slice(), &[0, 1]);
        assert_eq!(l.total(), 5);
        assert!(l.is_truncated());
    }
}
