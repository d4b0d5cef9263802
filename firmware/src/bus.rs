//! The fixed-capacity channels between the tasks. Nothing here allocates; a full channel drops
//! (and counts) instead of blocking the network loop, which must keep reading the socket.

use core::cell::Cell;

use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use embassy_sync::signal::Signal;
use kickwire_board::Alert;

/// Alerts in flight from the network loop to the LED task. The LED task empties it every frame
/// (20 ms) into the board's own priority queue, so 16 covers a burst of 16 events in one frame.
pub const ALERTS: usize = 16;

/// Network loop -> LED task: the board's reaction to each Kick event.
pub static ALERT: Channel<CriticalSectionRawMutex, Alert, ALERTS> = Channel::new();

/// Network loop -> LED task: whether the link to the server is up. A signal, not a queue: only
/// the latest state matters, and a newer one replaces one not yet seen.
pub static ONLINE: Signal<CriticalSectionRawMutex, bool> = Signal::new();

/// Alerts dropped because [`ALERT`] was full (the LED task stalled). A critical-section cell:
/// the ESP32-C3 (RV32IMC) has no atomic read-modify-write instructions.
pub static ALERTS_DROPPED: Mutex<CriticalSectionRawMutex, Cell<u32>> = Mutex::new(Cell::new(0));

/// Hands an alert to the LED task without waiting.
pub fn send_alert(alert: Alert) {
    if ALERT.try_send(alert).is_err() {
        let dropped = ALERTS_DROPPED.lock(|n| {
            n.set(n.get().wrapping_add(1));
            n.get()
        });
        defmt::warn!(
            "alert channel full, dropped {:?} ({} so far)",
            alert,
            dropped
        );
    }
}
