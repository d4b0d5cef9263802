//! The LED task: the board logic renders a frame every [`FRAME`] and the RMT peripheral clocks
//! it out to the WS2812 strip. Alerts and the online state arrive through [`crate::bus`].

use embassy_time::{Duration, Instant, Ticker};
use esp_hal::Async;
use esp_hal_smartled::{RmtSmartLeds, buffer_size, color_order};
use kickwire_board::{Board, Config, Rgb};
use smart_leds::{RGB8, SmartLedsWriteAsync};

use crate::bus;
use crate::config::LED_COUNT;

/// 50 frames a second: smooth to the eye, and a 300-LED strip still takes only 9 ms to clock out.
pub const FRAME: Duration = Duration::from_millis(20);

/// The strip driver: RMT channel 0, 24 pulse codes per LED, GRB byte order (WS2812).
pub type Strip =
    RmtSmartLeds<'static, { buffer_size::<RGB8>(LED_COUNT) }, Async, RGB8, color_order::Grb>;

/// Renders and sends frames forever. A failed transmission is logged and the next frame tries
/// again: a glitch on the strip must not stop the board.
#[embassy_executor::task]
pub async fn led_task(mut strip: Strip) -> ! {
    let mut board = Board::<LED_COUNT>::new(Config::default());
    let mut ticker = Ticker::every(FRAME);
    let mut failures: u32 = 0;
    loop {
        let now = Instant::now().as_millis();
        if let Some(online) = bus::ONLINE.try_take() {
            board.set_online(online, now);
        }
        while let Ok(alert) = bus::ALERT.try_receive() {
            defmt::info!("leds: {:?}", alert);
            board.push(alert, now);
        }
        let frame = board.frame(now);
        if let Err(e) = strip
            .write(frame.iter().map(|c: &Rgb| RGB8::new(c.r, c.g, c.b)))
            .await
        {
            failures = failures.wrapping_add(1);
            if failures.is_power_of_two() {
                defmt::warn!(
                    "leds: write failed ({} times): {:?}",
                    failures,
                    defmt::Debug2Format(&e)
                );
            }
        }
        ticker.next().await;
    }
}
