//! The buffers the firmware gives the TCP socket and the [`link`](crate::link), and the
//! capacities of its connection, kept here so that the firmware and the memory report
//! (`tests/qemu-rv`, which measures them on RV32 with the [`Link`] itself) cannot disagree.
//!
//! The goal for the connection, buffers and alert queue together is 24 KB; the `MEMORY` line
//! of `tests/qemu-rv` measures them on RV32.

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
