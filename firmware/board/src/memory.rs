//! The buffers the firmware gives the TCP socket and the [`link`](crate::link), and the
//! capacities of its connection, kept here so that the firmware and the memory report
//! (`tests/qemu-rv`, which measures them on RV32 with the [`Link`] itself) cannot disagree.
//!
//! The goal for the connection, buffers, alert machine and alert queue together is 24 KB
//! (24,576 bytes); the `MEMORY` line of `tests/qemu-rv` measures them on RV32.

use kickwire_proto::Transport;
use kickwire_proto::kick::channels::ChannelKind;
use kickwire_proto::limits::{events_for, transmits_for};

/// Channels the board keeps subscribed: the six of one Kick chat.
pub const CHANNELS: usize = ChannelKind::ALL.len();
/// Lifecycle events its connection queues: what one input can bring over Pusher with
/// [`CHANNELS`] channels, no more (the board speaks Pusher only; see `firmware/README.md`).
pub const EVENTS: usize = events_for(Transport::Pusher, CHANNELS);
/// Frames its connection queues: Pusher's needs with [`CHANNELS`] channels.
pub const TRANSMITS: usize = transmits_for(Transport::Pusher, CHANNELS);
/// Room for a Centrifugo token: none, Pusher needs no token (2 KiB saved).
pub const TOKEN: usize = 0;

/// The board's connection, with the capacities above (less than half the default's RAM).
/// Build it with [`Connection::with_capacities`](kickwire_proto::conn::Connection::with_capacities).
pub type Connection = kickwire_proto::conn::Connection<CHANNELS, EVENTS, TRANSMITS, TOKEN>;

/// The board's link, driving a [`Connection`].
pub type Link<'b, R> = crate::link::Link<'b, R, CHANNELS, EVENTS, TRANSMITS, TOKEN>;

/// The TCP socket's receive buffer (its window): the link empties it as fast as it fills, so a
/// 7.6 KB frame only takes a few more round trips than with a larger one.
pub const TCP_RX: usize = 2048;
/// The TCP socket's send buffer: the upgrade request (about 280 bytes to Kick's Pusher
/// endpoint) and subscribe frames of about 100.
pub const TCP_TX: usize = 512;
/// The link's receive buffer: the 101 response head (a few hundred bytes; proxies add
/// headers, hence the margin) and control frames.
pub const LINK_RX: usize = 1536;
/// One whole WebSocket message. Kick's frames are 0.4-3 KB, the largest seen 7.6 KB; bigger
/// ones are dropped and counted, and the connection goes on.
pub const LINK_MESSAGE: usize = 8 * 1024;
/// One outgoing frame, or the upgrade request. A Centrifugo `connect` with a long token does
/// not fit; the board speaks Pusher (see `firmware/README.md`).
pub const LINK_TX: usize = 512;

/// Alerts the board's machine ([`Alerts`]) queues: 2. The board takes them out after every
/// event ([`Machine`](crate::Machine)), and one event makes at most two (a waiting gift told
/// to make room for a new one, and the new one when it comes whole), so none is ever dropped.
/// Each queued alert is as large as a chat line with its text (about 2.1 KB): the machine's
/// largest part.
pub const MACHINE_ALERTS: usize = 2;
/// Chat message ids remembered: 16. A chat line sent again (on a second channel name, or
/// after a reconnect) comes within a few messages of the first; a copy missed only makes one
/// more flicker.
pub const MACHINE_CHATS: usize = 16;
/// Keys of other happenings remembered (subs, hosts, gifts told): 16. Kick's copies of one
/// happening arrive within a second or two, long before 16 others.
pub const MACHINE_KEYS: usize = 16;
/// Gifts joined at once: 2. Two gifters whose chunks interleave are rare; a third gift tells
/// the oldest with what it has (one burst, sized by the chunks that came).
pub const MACHINE_GIFTS: usize = 2;
/// Chatters remembered for first words: none. The board does not show first words, and the
/// set would cost 8 bytes a chatter.
pub const MACHINE_USERS: usize = 0;

/// The board's alert machine: proto's, with the capacities above (a board that drains after
/// each event and shows no chat text or first words).
pub type Alerts = kickwire_proto::alerts::Alerts<
    MACHINE_ALERTS,
    MACHINE_CHATS,
    MACHINE_KEYS,
    MACHINE_GIFTS,
    MACHINE_USERS,
>;
