//! The two buffers JavaScript and Rust share, so that no value crosses the boundary through an
//! allocator: JavaScript writes a received message or an argument into the input buffer and
//! reads answers from the output buffer, both through `WebAssembly.Memory` at the addresses
//! exported here.

use core::cell::{RefCell, RefMut};

/// A `RefCell` that may live in a `static`: this module runs on one thread (wasm32 without
/// the `atomics` feature, checked below), so nothing is ever shared between threads, and every
/// access still goes through `RefCell`'s borrow check. `std`'s `Mutex` would do the same, but
/// it needs `std`, whose panic and allocator machinery is most of a small module's size.
pub(crate) struct Local<T>(RefCell<T>);

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
compile_error!("kickwire-wasm keeps its state in single-threaded statics: build without atomics");

// SAFETY: see `Local`: one thread only, so `Sync` is never exercised across threads.
#[allow(unsafe_code)]
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(RefCell::new(value))
    }

    /// The value. Calls into the module never overlap (JavaScript is single-threaded and the
    /// exports call no JavaScript), so it is never borrowed twice; were it, the call traps as a
    /// panic would (panic = "abort"), without `borrow_mut`'s panic message and location.
    pub(crate) fn get(&self) -> RefMut<'_, T> {
        match self.0.try_borrow_mut() {
            Ok(value) => value,
            Err(_) => trap(),
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn trap() -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(not(target_arch = "wasm32"))]
fn trap() -> ! {
    panic!("a shared buffer borrowed twice")
}

/// Room for one received WebSocket message (Kick's are under 16 KB; Centrifugo may batch).
pub(crate) const INPUT_CAP: usize = 128 * 1024;
/// Room for the answers to one call: event records, a frame to send, an error text.
pub(crate) const OUTPUT_CAP: usize = 32 * 1024;

static INPUT: Local<[u8; INPUT_CAP]> = Local::new([0; INPUT_CAP]);
static OUTPUT: Local<[u8; OUTPUT_CAP]> = Local::new([0; OUTPUT_CAP]);

pub(crate) fn input() -> RefMut<'static, [u8; INPUT_CAP]> {
    INPUT.get()
}

pub(crate) fn output() -> RefMut<'static, [u8; OUTPUT_CAP]> {
    OUTPUT.get()
}

/// The input bytes `0..len` as text (JavaScript wrote them with `TextEncoder`: valid UTF-8).
/// Checked by `utf8_chunks`, as proto checks text in this module: one validator, and the
/// smaller one (`from_utf8`'s reads ASCII a word at a time).
#[cfg(any(feature = "core", feature = "lookups"))]
pub(crate) fn input_str(buf: &[u8], len: u32) -> &str {
    let b = buf.get(..len as usize).unwrap_or_default();
    match b.utf8_chunks().next() {
        Some(chunk) if chunk.invalid().is_empty() => chunk.valid(),
        _ => "",
    }
}

/// What [`kw_buffer`] answers: the address of the input buffer in the module's memory.
pub const INPUT_AT: u32 = 0;
/// The address of the output buffer.
pub const OUTPUT_AT: u32 = 1;
/// The size of the input buffer: longer messages cannot be handed in.
pub const INPUT_SIZE: u32 = 2;

/// Where the buffers are (`what`: [`INPUT_AT`], [`OUTPUT_AT`] or [`INPUT_SIZE`], which any other
/// number is too). One export for the three, which JavaScript asks once per module.
#[allow(unsafe_code)] // an export by name: see the crate docs
#[unsafe(no_mangle)]
pub extern "C" fn kw_buffer(what: u32) -> u32 {
    match what {
        INPUT_AT => input().as_ptr() as u32,
        OUTPUT_AT => output().as_ptr() as u32,
        _ => INPUT_CAP as u32,
    }
}
