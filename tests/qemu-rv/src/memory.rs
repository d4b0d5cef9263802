//! The RAM a board needs for kickwire-proto, measured on the target (`size_of` on RV32, where
//! pointers and `usize` are 4 bytes), printed as one line:
//!
//! `MEMORY connection=… message=… rx=… tx=… alerts=… proto_at_limits=… board_connection=…
//! board_link=… board_buffers=… board_machine=… board=… total=… goal=24576 within_goal=…
//! alert_capacity=… alert_machine=… alert_machine_small=…`
//!
//! - `connection`: one `conn::Connection` with the default capacities (channels, token,
//!   queues, timers).
//! - `board_connection`: the board's (`kickwire_board::memory::Connection`: Pusher only, six
//!   channels, queues as long as Pusher needs, no token), which its link holds.
//! - `message`: one typed `Message`, reused for every event (`Received::next_into`): what a
//!   driver that decodes typed events keeps. The board does not: its link hands out JSON
//!   events and its alert machine reads the few fields it needs of each.
//! - `rx`: the receive buffer: the largest message accepted (`limits::MAX_PAYLOAD`) plus the
//!   4-byte header of an unmasked server frame of that size. `handle_message` decodes in place,
//!   so this is also the decode scratch: no second buffer.
//! - `tx`: the largest frame the connection sends (a Centrifugo `connect` carrying a token of
//!   `limits::TOKEN` bytes, measured by encoding one) plus the 8-byte header of a masked
//!   client frame.
//! - `alerts`: a `heapless::Deque` of `kickwire_board::Alert` as deep as the board's queue
//!   (`kickwire_board::QUEUE_CAPACITY`, printed as `alert_capacity`): the alerts in flight
//!   from the network task to the LED task (the firmware's channel holds as many).
//! - `board_machine`: the board's alert machine (`kickwire_board::Machine`: proto's
//!   `alerts::Alerts` with `kickwire_board::memory`'s capacities, a queue of 2 and no
//!   first-words set), which merges Kick's copies before the strip lights. In the total.
//! - `alert_machine`: a `kickwire_proto::alerts::Alerts` with the default capacities (a queue
//!   of `limits::ALERTS`, 1,024 chatters for first words); `alert_machine_small`: one with
//!   the capacities of `crate::alerts::Board` (a queue of 2, 16 + 16 keys, 2 gifts, 128
//!   chatters), which the checks here run. Reported, not in the totals.
//! - `board`: the `kickwire_board::Board` itself, its priority queue and what is playing (its
//!   size does not depend on the strip's length).

use kickwire_board::{Alert, Board, QUEUE_CAPACITY};
use kickwire_proto::conn::{Config, Connection, Instant, Transmit};
use kickwire_proto::limits::{MAX_PAYLOAD, TOKEN};
use kickwire_proto::{Message, Transport};

use crate::out::Line;

/// The goal for the above.
pub const GOAL: usize = 24 * 1024;
/// Server-to-client frame header for a 126..=65535-byte payload: 2 bytes + 16-bit length.
const RX_HEADER: usize = 4;
/// Client-to-server frame header for the same: 2 bytes + 16-bit length + 4-byte mask.
const TX_HEADER: usize = 8;

/// The longest text the connection ever sends: a connect with the longest token it accepts.
fn largest_transmit() -> usize {
    let Ok(mut conn) = Connection::new(
        Transport::Centrifugo,
        "ws://127.0.0.1:8000/connection/websocket",
        Config::default(),
    ) else {
        return 0;
    };
    let token = [b'a'; TOKEN];
    let token = core::str::from_utf8(&token).unwrap_or("");
    let _ = conn.set_token(Instant::from_millis(0), token);
    conn.connect(Instant::from_millis(0));
    let mut buf = [0u8; TOKEN + 256];
    let _ = conn.poll_transmit(&mut buf); // the open
    conn.handle_open(Instant::from_millis(1));
    match conn.poll_transmit(&mut buf) {
        Ok(Some(Transmit::Text(t))) => t.len(),
        _ => 0,
    }
}

/// A stand-in for the board's hardware RNG (`esp_hal::rng::Rng` holds no state either), so
/// the `Link` measured here has the firmware's layout.
#[derive(Clone)]
struct HardwareRng;

impl rand_core::RngCore for HardwareRng {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.fill(0);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        dest.fill(0);
        Ok(())
    }
}

/// Prints the `MEMORY` line; returns the total.
///
/// Two views: what proto alone needs at its limits (`connection`, `message`, `rx` and `tx` as
/// above), and what the firmware really allocates (`board_*`: the link, which holds the
/// connection, the buffer sizes of `kickwire_board::memory`, the alert machine, the alerts in
/// flight and the board with its queue). The goal is checked against the second.
pub fn report() -> usize {
    use kickwire_board::memory::{LINK_MESSAGE, LINK_RX, LINK_TX, TCP_RX, TCP_TX};
    let connection = core::mem::size_of::<Connection>();
    let message = core::mem::size_of::<Message>();
    let rx = MAX_PAYLOAD + RX_HEADER;
    let tx = largest_transmit() + TX_HEADER;
    let alerts = core::mem::size_of::<heapless::Deque<Alert, QUEUE_CAPACITY>>();
    let proto_total = connection + message + rx + tx + alerts;
    let board_connection = core::mem::size_of::<kickwire_board::memory::Connection>();
    let link = core::mem::size_of::<kickwire_board::memory::Link<'static, HardwareRng>>();
    let buffers = TCP_RX + TCP_TX + LINK_RX + LINK_MESSAGE + LINK_TX;
    let board = core::mem::size_of::<Board<30>>();
    let machine = core::mem::size_of::<kickwire_board::Machine>();
    let total = link + buffers + machine + alerts + board;
    Line::new("MEMORY")
        .col_fmt(format_args!("connection={connection}"))
        .col_fmt(format_args!("message={message}"))
        .col_fmt(format_args!("rx={rx}"))
        .col_fmt(format_args!("tx={tx}"))
        .col_fmt(format_args!("alerts={alerts}"))
        .col_fmt(format_args!("proto_at_limits={proto_total}"))
        .col_fmt(format_args!("board_connection={board_connection}"))
        .col_fmt(format_args!("board_link={link}"))
        .col_fmt(format_args!("board_buffers={buffers}"))
        .col_fmt(format_args!("board_machine={machine}"))
        .col_fmt(format_args!("board={board}"))
        .col_fmt(format_args!("total={total}"))
        .col_fmt(format_args!("goal={GOAL}"))
        .col_fmt(format_args!("within_goal={}", total <= GOAL))
        .col_fmt(format_args!("alert_capacity={QUEUE_CAPACITY}"))
        .col_fmt(format_args!(
            "alert_machine={}",
            core::mem::size_of::<kickwire_proto::alerts::Alerts>()
        ))
        .col_fmt(format_args!(
            "alert_machine_small={}",
            core::mem::size_of::<crate::alerts::Board>()
        ))
        .print();
    // Where the default connection's bytes go: its lifecycle-event queue holds
    // `limits::EVENTS` of these, and it keeps a Centrifugo token of up to `TOKEN` bytes inline.
    Line::new("MEMORY_DETAIL")
        .col_fmt(format_args!(
            "conn_event={}",
            core::mem::size_of::<kickwire_proto::conn::Event>()
        ))
        .col_fmt(format_args!(
            "kick_event={}",
            core::mem::size_of::<kickwire_proto::kick::Event>()
        ))
        .col_fmt(format_args!("token={TOKEN}"))
        .col_fmt(format_args!(
            "alert={}",
            core::mem::size_of::<kickwire_proto::alerts::Alert>()
        ))
        .print();
    total
}
