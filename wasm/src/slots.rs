//! Room for the connections of one page: a fixed number of slots, each a channel lookup in
//! progress or a live `Connection`, so that no allocator is needed.

#[cfg(any(feature = "core", feature = "centrifugo"))]
use kickwire_proto::conn::Connection;
#[cfg(feature = "lookups")]
use kickwire_proto::http::ChannelLookup;

use core::mem::ManuallyDrop;

use crate::shared::Local;

/// The connection a slot holds. The module every page loads (`core` alone) speaks Pusher
/// only: with no room for a token (proto's `TOKEN` 0), proto leaves Centrifugo's machine out of
/// its code, which pages that never use Centrifugo (all but those on kick.com) would load for
/// nothing. The module with the `centrifugo` feature (the lookups module, see `wasm/build.sh`)
/// holds proto's default connection, which speaks both. The queues are the defaults either way.
#[cfg(feature = "centrifugo")]
pub(crate) type Conn = Connection;
/// See above: Pusher only.
#[cfg(all(feature = "core", not(feature = "centrifugo")))]
pub(crate) type Conn = Connection<
    { kickwire_proto::limits::CHANNELS },
    { kickwire_proto::limits::EVENTS },
    { kickwire_proto::limits::TRANSMITS },
    0,
>;

/// Connections one page can hold at once (each takes about 9 KB of the module's memory).
pub(crate) const SLOTS: usize = 8;

#[allow(clippy::large_enum_variant)]
// stored in place on purpose: no allocator
// A tag first, `Free` being 0: the empty table is all zero bytes and costs nothing in the
// module file (with a niche-packed tag it was 70 KB of `.data`).
#[repr(u8)]
pub(crate) enum Slot {
    Free,
    /// Taken: a `KickConnection` that has not started its connection yet.
    Taken,
    #[cfg(feature = "lookups")]
    Lookup(ChannelLookup),
    #[cfg(any(feature = "core", feature = "centrifugo"))]
    Live(Conn),
}

static TABLE: Local<[Slot; SLOTS]> = Local::new([const { Slot::Free }; SLOTS]);

/// Runs `f` on slot `i`; `None` for a slot number out of range.
#[cfg(any(feature = "core", feature = "centrifugo", feature = "lookups"))]
pub(crate) fn with<R>(i: u32, f: impl FnOnce(&mut Slot) -> R) -> Option<R> {
    let mut table = TABLE.get();
    table.get_mut(i as usize).map(f)
}

/// Puts `new` in slot `i` (nothing for a slot number out of range). Neither what the slot held
/// nor an unused `new` is dropped (`ManuallyDrop`): they own nothing to give back (no
/// allocator, no handles; the module's memory is the table itself), and their drop glue
/// (heapless's loops over each queue of a connection, dropping entries that have nothing to
/// drop, which the compiler did not see through) cost every page 0.2 KB gzipped.
pub(crate) fn put(i: u32, new: Slot) {
    let new = ManuallyDrop::new(new);
    let mut table = TABLE.get();
    if let Some(s) = table.get_mut(i as usize) {
        let _old = ManuallyDrop::new(core::mem::replace(s, ManuallyDrop::into_inner(new)));
    }
}

/// Runs `f` on the live connection in slot `i`, if there is one.
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn with_conn<R>(i: u32, f: impl FnOnce(&mut Conn) -> R) -> Option<R> {
    with(i, |s| match s {
        Slot::Live(c) => Some(f(c)),
        _ => None,
    })
    .flatten()
}

/// Takes a free slot: its number, or -1 when all are in use.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_alloc() -> i32 {
    let free = TABLE.get().iter().position(|s| matches!(s, Slot::Free));
    match free {
        Some(i) => {
            put(i as u32, Slot::Taken);
            i as i32
        }
        None => -1,
    }
}

/// Gives slot `i` back.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_free(i: u32) {
    put(i, Slot::Free);
}
