//! What tells one happening from another: a 64-bit hash of its family and the fields that
//! identify it, and the window in which a second event with the same key is a copy.
//!
//! Hashes, not strings, are remembered: 8 bytes whatever the names' lengths. FNV-1a is enough
//! here: the inputs are not chosen to collide (a collision would hide one alert), and two of
//! a few hundred keys colliding in 64 bits is a chance of about 10^-15.

use crate::limits::{
    ALERT_COPY_WINDOW_MS, ALERT_ID_WINDOW_MS, ALERT_PAIR_WINDOW_MS, ALERT_SAME_WINDOW_MS,
};

/// The kinds of happening, each a separate key space (a sub and a host by the same name are
/// two happenings).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Family {
    Chat,
    Subscription,
    Gift,
    GiftShape,
    Kicks,
    Host,
    Reward,
    Ban,
    Unban,
    Deleted,
    Clear,
    Pinned,
    Unpinned,
    Poll,
    Prediction,
    Goal,
    Live,
    End,
    Follow,
    /// A webhook redemption (its id): its status updates are one happening.
    Redemption,
    /// An alert waiting for its copy from the other way in (`pair.rs`).
    Pair,
}

/// How long a key catches copies: see the windows in [`limits`](crate::limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// The key is an id Kick gives.
    Id,
    /// The key is made from content.
    Copy,
    /// Nothing tells two such events apart.
    Same,
    /// An alert waiting for its copy from the other way in (`pair.rs`).
    Pair,
}

impl Window {
    pub(crate) const fn millis(self) -> u64 {
        match self {
            Self::Id => ALERT_ID_WINDOW_MS,
            Self::Copy => ALERT_COPY_WINDOW_MS,
            Self::Same => ALERT_SAME_WINDOW_MS,
            Self::Pair => ALERT_PAIR_WINDOW_MS,
        }
    }
}

/// A happening's key and its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key {
    pub(crate) hash: u64,
    pub(crate) window: Window,
}

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;
/// Written after each text: never a byte of UTF-8, so `("ab","c")` and `("a","bc")` differ.
const END: u8 = 0xff;

/// Builds a [`Key`] field by field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyBuilder {
    hash: u64,
    window: Window,
}

impl KeyBuilder {
    pub(crate) fn new(family: Family, window: Window) -> Self {
        Self {
            hash: OFFSET,
            window,
        }
        .byte(family as u8)
    }

    fn byte(mut self, b: u8) -> Self {
        self.hash = (self.hash ^ u64::from(b)).wrapping_mul(PRIME);
        self
    }

    /// A text as written (ids).
    pub(crate) fn text(self, s: &str) -> Self {
        s.bytes().fold(self, Self::byte).byte(END)
    }

    /// A username, ASCII letters in either case alike: Kick's names are case-insensitive and
    /// its copies do not always agree on the case.
    pub(crate) fn name(self, s: &str) -> Self {
        s.bytes()
            .fold(self, |k, b| k.byte(b.to_ascii_lowercase()))
            .byte(END)
    }

    pub(crate) fn number(self, n: Option<u64>) -> Self {
        match n {
            None => self.byte(0),
            Some(n) => n.to_le_bytes().into_iter().fold(self.byte(1), Self::byte),
        }
    }

    pub(crate) fn finish(self) -> Key {
        Key {
            hash: self.hash,
            window: self.window,
        }
    }
}

/// The hash a username is remembered by when its user id is unknown (first words).
pub(crate) fn user_hash(id: u64, username: &str) -> u64 {
    let k = KeyBuilder::new(Family::Chat, Window::Id);
    if id == 0 {
        k.name(username).finish().hash
    } else {
        k.number(Some(id)).finish().hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_known_input() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the reference's test vector); the builder
        // starts from the family byte, so hash its steps by hand from the offset.
        let mut k = KeyBuilder {
            hash: OFFSET,
            window: Window::Id,
        };
        k = k.byte(b'a');
        assert_eq!(k.hash, 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn fields_and_families_are_kept_apart() {
        let k = |f, a: &str, b: &str| {
            KeyBuilder::new(f, Window::Copy)
                .text(a)
                .text(b)
                .finish()
                .hash
        };
        assert_ne!(k(Family::Host, "ab", "c"), k(Family::Host, "a", "bc"));
        assert_ne!(k(Family::Host, "a", "b"), k(Family::Subscription, "a", "b"));
        let name = |s| KeyBuilder::new(Family::Host, Window::Copy).name(s).finish();
        assert_eq!(name("BrandonDLive"), name("brandondlive"));
        let n = |v| {
            KeyBuilder::new(Family::Host, Window::Copy)
                .number(v)
                .finish()
        };
        assert_ne!(n(None), n(Some(0)));
        assert_ne!(n(Some(30)), n(Some(40)));
    }
}
