//! The `Connection` of one slot, driven from JavaScript: inputs, commands and the drain of its
//! outputs, each one exported call with plain numbers. Texts travel through the shared
//! buffers.

use core::time::Duration;

use kickwire_proto::Transport;
use kickwire_proto::conn::{Config, EncodeError, Event, Instant, Transmit};

use crate::json::Json;
use crate::records::Records;
use crate::shared::{self, input_str};
use crate::slots::{self, Conn, Slot};
use crate::{names, text};

fn at(now: f64) -> Instant {
    Instant::from_millis(if now > 0.0 { now as u64 } else { 0 })
}

/// Starts a connection in slot `i` to the URL in the input (`0..url_len`): Centrifugo when
/// `centrifugo` is not 0, else Pusher; reconnecting after drops when `reconnect` is not 0 (flags
/// cross as numbers: a Rust `bool` may only ever be 0 or 1, which JavaScript cannot promise).
/// Answers 0, or a refused URL's text as `text::usage` numbers it (a private function).
#[allow(unsafe_code)] // an export by name: see the crate docs
#[allow(clippy::field_reassign_with_default)] // see `config` below
#[unsafe(no_mangle)]
pub extern "C" fn kw_start(
    i: u32,
    centrifugo: u32,
    url_len: u32,
    reconnect: u32,
    seed: f64,
) -> u32 {
    let input = shared::input();
    let url = input_str(&input[..], url_len);
    // The defaults changed in place, not `Config { .., ..Config::default() }`, whose copy of
    // every other field, one load and store each, cost every page 0.1 KB gzipped.
    let mut config = Config::default();
    config.reconnect = reconnect != 0;
    config.rng_seed = seed as u64;
    let transport = if centrifugo != 0 {
        Transport::Centrifugo
    } else {
        Transport::Pusher
    };
    match Conn::with_capacities(transport, url, config) {
        Ok(c) => {
            slots::put(i, Slot::Live(c));
            0
        }
        Err(e) => text::usage(&e),
    }
}

/// What [`kw_drive`] tells a connection: `Connection::connect`.
pub const CONNECT: u32 = 0;
/// `Connection::disconnect`.
pub const DISCONNECT: u32 = 1;
/// The socket opened (`Connection::handle_open`).
pub const OPENED: u32 = 2;
/// A timer fired (`Connection::handle_timeout`): when [`kw_timer`] said.
pub const TIMEOUT: u32 = 3;
/// The token fetch asked for by `TokenRequired` failed (`Connection::token_failed`): the
/// connection asks again after a back-off, with a `Reconnecting` whose reason is `no
/// connection token` when it had no token to connect with. Centrifugo's only: the module
/// every page loads, whose connections speak Pusher, does nothing with it.
pub const TOKEN_FAILED: u32 = 4;
/// The socket closed with `code` (negative: none) and the reason in the input (`0..len`):
/// `Connection::handle_closed`.
pub const CLOSED: u32 = 5;
/// Joins the channel named in the input (`0..len`): `Connection::subscribe`.
pub const SUBSCRIBE: u32 = 6;
/// Hands in the token in the input (`0..len`): `Connection::set_token`. Centrifugo's only:
/// the module every page loads, whose connections speak Pusher, does nothing with it.
pub const SET_TOKEN: u32 = 7;

/// Tells the connection in slot `i` what happened at `now` or what to do (`what`: [`CONNECT`],
/// [`DISCONNECT`], [`OPENED`], [`TIMEOUT`], [`TOKEN_FAILED`], [`CLOSED`], [`SUBSCRIBE`] or
/// [`SET_TOKEN`]; any other number does nothing). `code` is [`CLOSED`]'s, and `len` the
/// length of the text in the input that the last three read. Answers 0, or for a command
/// refused ([`SUBSCRIBE`], [`SET_TOKEN`]) `text::usage`'s number of the error.
///
/// One export for these eight rather than one each: each export repeated the slot's lookup
/// and the table's borrow (0.16 KB gzipped of what every page loads).
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_drive(i: u32, now: f64, what: u32, code: i32, len: u32) -> u32 {
    let now = at(now);
    let input = shared::input();
    let text = input_str(&input[..], len);
    slots::with_conn(i, |c| {
        let refused = match what {
            SUBSCRIBE => c.subscribe(text),
            #[cfg(feature = "centrifugo")]
            SET_TOKEN => c.set_token(now, text),
            _ => {
                match what {
                    CONNECT => c.connect(now),
                    DISCONNECT => c.disconnect(now),
                    OPENED => c.handle_open(now),
                    TIMEOUT => c.handle_timeout(now),
                    #[cfg(feature = "centrifugo")]
                    TOKEN_FAILED => c.token_failed(now),
                    CLOSED => c.handle_closed(now, u16::try_from(code).ok(), text),
                    _ => {}
                }
                Ok(())
            }
        };
        match refused {
            Err(e) => text::usage(&e),
            Ok(()) => 0,
        }
    })
    .unwrap_or(0)
}

/// Hands in the message in the input (`0..len`), decoded in place there, and writes a record
/// per Kick event to the output (see [`crate::records`]). Answers the records' length.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_message(i: u32, now: f64, len: u32) -> u32 {
    let mut input = shared::input();
    let mut output = shared::output();
    let mut records = Records::new(&mut output[..]);
    let Some(message) = input.get_mut(..len as usize) else {
        return records.finish();
    };
    slots::with_conn(i, |c| {
        let mut received = c.handle_message(at(now), message);
        while let Some(e) = received.next_raw() {
            records.push(e.kind, e.transport, &e.channel, &e.name, e.payload);
        }
    });
    records.finish()
}

/// What [`kw_poll`] answers: the next thing to do with the socket, written to the output: 0
/// for nothing, else `kind + 4 * n` with kind 1 (open the URL of `n` bytes), 2 (send the text
/// of `n` bytes) or 3 (close with code `n`).
pub const TRANSMIT: u32 = 0;
/// The next lifecycle event as `[number,values…]` JSON in the output (`write_event`): its
/// length, 0 for none.
pub const EVENT: u32 = 1;
/// The state, as its place in `TEXTS` of js/kickwire.js (which starts with the states; see
/// [`crate::names`]).
pub const STATE: u32 = 2;

/// What the connection in slot `i` has for JavaScript (`what`: [`TRANSMIT`], [`EVENT`] or
/// [`STATE`], which any other number is too); 0 for a slot with no connection. One export for the three, as [`kw_drive`] is
/// for what JavaScript tells it.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_poll(i: u32, what: u32) -> u32 {
    let mut output = shared::output();
    slots::with_conn(i, |c| match what {
        TRANSMIT => match c.poll_transmit(&mut output[..]) {
            Ok(Some(Transmit::Open { url })) => 1 + 4 * url.len() as u32,
            Ok(Some(Transmit::Text(t))) => 2 + 4 * t.len() as u32,
            Ok(Some(Transmit::Close { code })) => 3 + 4 * u32::from(code),
            Ok(None) => 0,
            // Larger than the output: cannot happen, the output (32 KB) holds any frame the
            // limits allow many times over (a URL of 256 bytes, a token of 2 KB, channels of
            // 64). Were it to, proto keeps the frame queued, so asking again would spin for
            // ever and freeze the page (this was a loop that did): nothing is sent instead.
            Err(EncodeError::BufferTooSmall { .. }) | Err(_) => 0,
        },
        EVENT => loop {
            let Some(e) = c.poll_event() else { return 0 };
            let mut j = Json::new(&mut output[..]);
            if write_event(&mut j, &e) {
                return j.finish();
            }
        },
        _ => names::state_index(c.state()),
    })
    .unwrap_or(0)
}

/// Writes `e` as `[number,values…]`: the number is the event's place in `LIFE` of
/// js/kickwire.js, which holds its name and its fields' keys (written here, they cost every
/// page 0.06 KB gzipped more), and the values follow in the order of those keys, a text of
/// `TEXTS` as its numbers ([`text::write`]). `false` for events JavaScript does not see.
///
/// A function of its own, not inlined into [`kw_poll`]: 0.03 KB gzipped less.
#[inline(never)]
fn write_event(j: &mut Json<'_>, e: &Event) -> bool {
    // The number first, written by one call rather than in each arm's opening text (and the
    // two events of a channel alone then share their arm): 0.02 KB gzipped less.
    let number = match e {
        Event::StateChanged { .. } => 0,
        Event::Connected { .. } => 1,
        Event::Subscribed { .. } => 2,
        Event::SubscriptionTimedOut { .. } => 3,
        Event::SubscriptionError { .. } => 4,
        Event::Reconnecting { .. } => 5,
        Event::Disconnected { .. } => 6,
        Event::ServerError { .. } => 7,
        Event::BadMessage { .. } => 8,
        // Centrifugo's only (see below).
        #[cfg(feature = "centrifugo")]
        Event::TokenRequired { .. } => 9,
        _ => return false,
    };
    // Each value after the number is written with the comma before it (`then_*`, and
    // `text::write`).
    j.raw("[").num(number);
    match e {
        Event::StateChanged { previous, current } => {
            text::write(j, text::state(*previous));
            text::write(j, text::state(*current));
        }
        Event::Connected {
            transport,
            socket_id,
        } => {
            j.then_str(text::transport(*transport)).then_str(socket_id);
        }
        Event::Subscribed { channel } | Event::SubscriptionTimedOut { channel } => {
            j.then_str(channel);
        }
        Event::SubscriptionError {
            channel,
            code,
            message,
        } => {
            j.then_str(channel)
                .then_opt(code.map(u64::from))
                .then_str(message);
        }
        Event::Reconnecting { after, reason } => {
            j.then_num(millis(*after));
            text::write(j, text::reason(reason));
        }
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => {
            j.then_opt(code.map(u64::from))
                .then_str(reason)
                .raw(if *will_retry { ",true" } else { ",false" });
        }
        Event::ServerError {
            code,
            message,
            repeats,
        } => {
            j.raw(",\"server\"")
                .then_opt(code.map(u64::from))
                .then_str(message)
                .then_num(u64::from(*repeats));
        }
        Event::BadMessage { error, repeats } => {
            j.raw(",\"message\"");
            text::write(j, text::decode_error(error));
            j.then_num(u64::from(*repeats));
        }
        // Centrifugo's only: the module every page loads speaks Pusher, whose machine never
        // asks for a token.
        #[cfg(feature = "centrifugo")]
        Event::TokenRequired { refresh } => {
            j.raw(if *refresh { ",true" } else { ",false" });
        }
        _ => {}
    }
    j.raw("]");
    true
}

/// Milliseconds in `d`, saturating: proto's count (with no `u128` multiplication, which is a
/// library call here).
fn millis(d: Duration) -> u64 {
    Instant::from_millis(0).after(d).as_millis()
}

/// When to call [`kw_drive`] with [`TIMEOUT`] next, in the caller's milliseconds; -1 for never.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_timer(i: u32) -> f64 {
    slots::with_conn(i, |c| c.poll_timeout())
        .flatten()
        .map_or(-1.0, |t| t.as_millis() as f64)
}

#[cfg(test)]
mod same_json;
