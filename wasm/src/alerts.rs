//! Kickwire's alert machine ([`kickwire_proto::alerts::Alerts`]) for pages that ask for
//! alerts (`new KickConnection(channel, { alerts: true })`), built as a third module that
//! JavaScript loads only for them: pages without alerts do not pay for its code.
//!
//! JavaScript forwards every Kick event the connection delivered (its kind, as the record
//! numbered it, and its payload's JSON text, put in the input) and reads back the alerts it
//! made, as a JSON array in the output. The machine's one timer (a gift waiting for a missing
//! chunk) is driven as the connection's is: [`kw_alert_timer`] says when, [`kw_alert_timeout`]
//! is called then.

use core::mem::ManuallyDrop;

use kickwire_proto::JsonEvent;
use kickwire_proto::Transport;
use kickwire_proto::alerts::Alerts;
use kickwire_proto::conn::Instant;
use kickwire_proto::kick::EventKind;

use crate::json::Json;
use crate::shared::{self, Local};
use crate::slots::SLOTS;

mod write;

/// A connection's machine, or none. A tag first, `Free` being 0, as in [`crate::slots`]: the
/// empty table costs nothing in the module file.
#[allow(clippy::large_enum_variant)] // stored in place on purpose: no allocator
#[repr(u8)]
enum Slot {
    Free,
    Live(Alerts),
}

static TABLE: Local<[Slot; SLOTS]> = Local::new([const { Slot::Free }; SLOTS]);

fn at(now: f64) -> Instant {
    Instant::from_millis(if now > 0.0 { now as u64 } else { 0 })
}

/// Runs `f` on slot `i`'s machine (made on first use), then writes the alerts it has ready to
/// the output as a JSON array: answers its length, 0 for none.
fn drive(i: u32, f: impl FnOnce(&mut Alerts)) -> u32 {
    let mut table = TABLE.get();
    let Some(slot) = table.get_mut(i as usize) else {
        return 0;
    };
    if let Slot::Free = slot {
        // Written over, not dropped: see `kw_alert_end`.
        let _free = ManuallyDrop::new(core::mem::replace(slot, Slot::Live(Alerts::new())));
    }
    let Slot::Live(alerts) = slot else { return 0 };
    f(alerts);
    let mut out = shared::output();
    let mut j = Json::new(&mut out[..]);
    let mut first = true;
    while let Some(alert) = alerts.poll_alert() {
        j.raw(if first { "[" } else { "," });
        first = false;
        write::alert(&mut j, &alert);
    }
    if first {
        return 0;
    }
    j.raw("]");
    // Too many for the output at once (32 KiB: not with the machine's queue of 8): none is
    // better than a cut text.
    j.finish()
}

/// Hands slot `i`'s machine the Kick event of kind `kind` (its number in `KINDS` of
/// js/kickwire.js) whose payload is in the input (`0..len`), received at `now`: with Kick's
/// secrets taken out first ([`kw_redact`](crate::redact::kw_redact)) unless the page keeps them.
/// Answers the length of the alerts' JSON array in the output (0: none yet).
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_alert_event(i: u32, now: f64, kind: u32, len: u32) -> u32 {
    let input = shared::input();
    let payload = input.get(..len as usize).unwrap_or_default();
    let event = JsonEvent {
        // Neither the transport nor the names change what an event means to the machine.
        transport: Transport::Pusher,
        kind: EventKind::ALL
            .get(kind as usize)
            .copied()
            .unwrap_or(EventKind::Unknown),
        name: Default::default(),
        channel: Default::default(),
        payload,
    };
    drive(i, |a| {
        // A payload that is not JSON: counted by the machine; JavaScript already said so.
        let _ = a.handle_json(at(now), &event);
    })
}

/// When slot `i`'s machine wants [`kw_alert_timeout`], in the caller's milliseconds; -1 for
/// never.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_alert_timer(i: u32) -> f64 {
    match TABLE.get().get(i as usize) {
        Some(Slot::Live(a)) => a.poll_timeout().map_or(-1.0, |t| t.as_millis() as f64),
        _ => -1.0,
    }
}

/// The timer of slot `i`'s machine fired: answers the alerts' JSON length, as
/// [`kw_alert_event`] does.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_alert_timeout(i: u32, now: f64) -> u32 {
    drive(i, |a| a.handle_timeout(at(now)))
}

/// The connection of slot `i` ended: the gifts still waiting are told now (answered as
/// [`kw_alert_event`] does), and the slot is free for the next connection.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_alert_end(i: u32, now: f64) -> u32 {
    let n = drive(i, |a| a.finish(at(now)));
    if let Some(slot) = TABLE.get().get_mut(i as usize) {
        // Written over, not dropped: a machine owns nothing to give back (no allocator), and
        // its drop glue (heapless's loops over its queues, dropping entries that have nothing
        // to drop) cost the module 0.15 KB gzipped.
        let _ended = ManuallyDrop::new(core::mem::replace(slot, Slot::Free));
    }
    n
}

#[cfg(test)]
mod same_json;
