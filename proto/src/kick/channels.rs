//! The channels to subscribe for one Kick chat, and their names.
//!
//! Kick publishes one chat's events on six channels, named after the *chatroom id* or the
//! *channel id* (two different numbers; see [`Ids`]). Events have moved between them over time,
//! so a client subscribes to all six, on Pusher and on Centrifugo alike (`docs/ARCHITECTURE.md`, "Six channel names";
//! the same six in SevenTV/chatterino7 `src/providers/kick/KickLiveUpdates.cpp`):
//!
//! | channel | named after | carries (as seen) |
//! |---|---|---|
//! | `chatrooms.{room}.v2` | chatroom | chat, deletions, bans, subs, clears, pins, polls |
//! | `chatrooms.{room}` | chatroom | hosts, in an older shape |
//! | `chatroom_{room}` | chatroom | gifted subs, reward redemptions |
//! | `channel.{chan}` | channel | live / offline, hosts leaving |
//! | `channel_{chan}` | channel | Kicks, leaderboards |
//! | `predictions-channel-{chan}` | channel | predictions |
//!
//! ```
//! use kickwire_proto::kick::channels::{ChannelKind, Ids};
//!
//! let ids = Ids::new(2_507_974, 2_515_504);
//! let names: Vec<_> = ids.channels().collect();
//! assert_eq!(names[0].as_str(), "chatrooms.2507974.v2");
//! assert_eq!(names[5].as_str(), "predictions-channel-2515504");
//! // And back: which chat a channel name belongs to.
//! assert_eq!(ChannelKind::parse("channel_2515504"), Some((ChannelKind::ChannelUnderscore, 2_515_504)));
//! ```

use crate::limits::CHANNEL;
use crate::text::Text;
use crate::write::{U64_DIGITS, u64_str};

/// The two numbers that name one Kick chat's channels.
///
/// A channel (`kick.com/{slug}`) has a *channel id* and a *chatroom id*: two numbers, usually
/// different, easily confused. Both come from the channel-info lookup
/// ([`crate::http::parse_channel_info`]) or from the user directly: Cloudflare often refuses the
/// lookup to non-browser clients, so every client should accept the ids as well.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ids {
    /// The chatroom id (`chatroom.id` in the channel info; `chatroom_id` in chat events).
    pub chatroom_id: u64,
    /// The channel id (`id` in the channel info; what the realtime negotiation wants).
    pub channel_id: u64,
}

impl Ids {
    /// Both ids.
    #[must_use]
    pub const fn new(chatroom_id: u64, channel_id: u64) -> Self {
        Self {
            chatroom_id,
            channel_id,
        }
    }

    /// The six channel names to subscribe, the chat channel (`chatrooms.{room}.v2`) first.
    #[must_use]
    pub const fn channels(&self) -> Channels {
        Channels {
            ids: *self,
            next: 0,
        }
    }

    /// The name of one of the channels.
    #[must_use]
    pub fn channel(&self, kind: ChannelKind) -> Text<CHANNEL> {
        kind.name(*self)
    }
}

/// One of the six channels of a chat. See the [module docs](self) for what each carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum ChannelKind {
    /// `chatrooms.{room}.v2`: the chat itself.
    ChatroomV2,
    /// `chatrooms.{room}`.
    Chatroom,
    /// `chatroom_{room}`.
    ChatroomUnderscore,
    /// `channel.{chan}`.
    Channel,
    /// `channel_{chan}`.
    ChannelUnderscore,
    /// `predictions-channel-{chan}`.
    Predictions,
}

impl ChannelKind {
    /// All six, in the order [`Ids::channels`] yields them. The browser package writes the
    /// same six names in its JavaScript (`chatChannels` in `wasm/js/kickwire.js`): a change
    /// here must be made there too.
    pub const ALL: [Self; 6] = [
        Self::ChatroomV2,
        Self::Chatroom,
        Self::ChatroomUnderscore,
        Self::Channel,
        Self::ChannelUnderscore,
        Self::Predictions,
    ];

    /// The text before the number, and the text after it.
    const fn affixes(self) -> (&'static str, &'static str) {
        match self {
            Self::ChatroomV2 => ("chatrooms.", ".v2"),
            Self::Chatroom => ("chatrooms.", ""),
            Self::ChatroomUnderscore => ("chatroom_", ""),
            Self::Channel => ("channel.", ""),
            Self::ChannelUnderscore => ("channel_", ""),
            Self::Predictions => ("predictions-channel-", ""),
        }
    }

    /// Whether the number in the name is the chatroom id (else it is the channel id).
    #[must_use]
    pub const fn uses_chatroom_id(self) -> bool {
        matches!(
            self,
            Self::ChatroomV2 | Self::Chatroom | Self::ChatroomUnderscore
        )
    }

    /// This channel's name for a chat. Always fits: the longest is 40 bytes.
    #[must_use]
    pub fn name(self, ids: Ids) -> Text<CHANNEL> {
        let (prefix, suffix) = self.affixes();
        let id = if self.uses_chatroom_id() {
            ids.chatroom_id
        } else {
            ids.channel_id
        };
        let mut digits = [0u8; U64_DIGITS];
        let mut t = Text::new();
        t.push_str(prefix);
        t.push_str(u64_str(id, &mut digits));
        t.push_str(suffix);
        t
    }

    /// Reads a channel name back: its kind and its number (a chatroom id or a channel id, as
    /// [`uses_chatroom_id`](Self::uses_chatroom_id) says). `None` for any other name, a number
    /// with anything but ASCII digits, or one beyond `u64`.
    #[must_use]
    pub fn parse(name: &str) -> Option<(Self, u64)> {
        Self::ALL.into_iter().find_map(|kind| {
            let (prefix, suffix) = kind.affixes();
            let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
            parse_u64(digits).map(|id| (kind, id))
        })
    }
}

/// The channel names of one chat, from [`Ids::channels`]: six [`Text`]s, chat channel first.
#[derive(Debug, Clone)]
pub struct Channels {
    ids: Ids,
    next: usize,
}

impl Iterator for Channels {
    type Item = Text<CHANNEL>;

    fn next(&mut self) -> Option<Text<CHANNEL>> {
        let kind = ChannelKind::ALL.get(self.next).copied()?;
        self.next = self.next.saturating_add(1);
        Some(kind.name(self.ids))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = ChannelKind::ALL.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Channels {}
impl core::iter::FusedIterator for Channels {}

/// Parses ASCII digits only (no sign, no spaces); `None` when empty or beyond `u64`.
fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |v, d| {
        let digit = d.checked_sub(b'0').filter(|d| *d <= 9)?;
        crate::json::field::push_digit(v, digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    #[test]
    fn the_six_names_in_order() {
        let names: Vec<_> = Ids::new(2_507_974, 2_515_504).channels().collect();
        let names: Vec<&str> = names.iter().map(Text::as_str).collect();
        assert_eq!(
            names,
            [
                "chatrooms.2507974.v2",
                "chatrooms.2507974",
                "chatroom_2507974",
                "channel.2515504",
                "channel_2515504",
                "predictions-channel-2515504",
            ]
        );
        assert_eq!(Ids::default().channels().len(), 6);
    }

    #[test]
    fn extreme_ids_fit() {
        let ids = Ids::new(u64::MAX, 0);
        let v2 = ids.channel(ChannelKind::ChatroomV2);
        assert_eq!(v2.as_str(), "chatrooms.18446744073709551615.v2");
        assert!(!v2.is_truncated());
        let p = Ids::new(0, u64::MAX).channel(ChannelKind::Predictions);
        assert_eq!(p.as_str(), "predictions-channel-18446744073709551615");
        assert!(!p.is_truncated());
        assert_eq!(ids.channel(ChannelKind::Channel).as_str(), "channel.0");
    }

    #[test]
    fn names_parse_back() {
        let ids = Ids::new(41, 97);
        for kind in ChannelKind::ALL {
            let name = kind.name(ids);
            let want = if kind.uses_chatroom_id() { 41 } else { 97 };
            assert_eq!(ChannelKind::parse(&name), Some((kind, want)), "{name:?}");
        }
        for bad in [
            "",
            "chatrooms.",
            "chatrooms..v2",
            "chatrooms.12.v3",
            "chatrooms.-1",
            "channel_1 ",
            "channel_18446744073709551616",
            "private-chatroom_1",
            "presence-channel.1",
        ] {
            assert_eq!(ChannelKind::parse(bad), None, "{bad:?}");
        }
        // `chatrooms.12.v2` is the v2 channel, not `chatrooms.{"12.v2"}`.
        assert_eq!(
            ChannelKind::parse("chatrooms.12.v2"),
            Some((ChannelKind::ChatroomV2, 12))
        );
    }
}
