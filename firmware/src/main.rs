//! # kickwire firmware: the ESP32-C3 alert board
//!
//! Glue only: the board logic lives in `kickwire-board` and the WebSocket link in
//! `kickwire-link` (both tested on the host), the protocol in `kickwire-proto`. Three tasks talk through fixed-capacity channels
//! ([`bus`]):
//! - [`wifi::wifi_task`] keeps the station joined to the configured network;
//! - [`net::net_task`] runs DHCP/DNS/TCP (and TLS with the `tls` feature: [`transport`]) and
//!   the Pusher connection, and turns Kick events into
//!   [`kickwire_board::Alert`]s (plus [`net::stack_task`], embassy-net's own runner);
//! - [`leds::led_task`] renders the board at 50 Hz to a WS2812 strip on the RMT peripheral.
//!
//! Configuration is fixed at build time from `KICKWIRE_*` environment variables (`build.rs`,
//! README.md).
#![no_std]
#![no_main]

mod bus;
mod config;
mod leds;
mod net;
#[cfg(feature = "tls")]
mod tls;
mod transport;
mod wifi;

use embassy_executor::Spawner;
use esp_hal::clock::CpuClock;
use esp_hal::rmt::Rmt;
use esp_hal::rng::Rng;
use esp_hal::time::Rate;
use esp_hal::timer::timg::TimerGroup;
use esp_hal_smartled::{RmtSmartLeds, WS2812_TIMING};
use esp_radio::wifi::{ControllerConfig, Interface, WifiController};
use static_cell::StaticCell;
use {esp_backtrace as _, esp_println as _};

// The app descriptor the ESP-IDF second-stage bootloader checks before it starts the app.
esp_bootloader_esp_idf::esp_app_desc!();

/// Sockets embassy-net may hold at once: the server's TCP socket and the DNS query. DHCP has
/// its own.
const SOCKETS: usize = 3;

static NET_RESOURCES: StaticCell<embassy_net::StackResources<SOCKETS>> = StaticCell::new();

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let peripherals = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));
    // The Wi-Fi driver allocates (its blobs need malloc): 64 KiB in the RAM the bootloader
    // leaves behind, plus 36 KiB more, as esp-radio's own quick start sets up.
    esp_alloc::heap_allocator!(#[esp_hal::ram(reclaimed)] size: 64 * 1024);
    esp_alloc::heap_allocator!(size: 36 * 1024);

    let timg0 = TimerGroup::new(peripherals.TIMG0);
    // The scheduler must run before the radio starts.
    esp_rtos::start(timg0.timer0, peripherals.FROM_CPU_INTR0);

    defmt::info!(
        "kickwire firmware {=str}: {} LEDs on GPIO{}, server {=str}",
        env!("CARGO_PKG_VERSION"),
        config::LED_COUNT,
        config::LED_PIN,
        config::SERVER_URL
    );

    // LEDs first: the strip shows the offline status while Wi-Fi comes up.
    let rmt = defmt::unwrap!(Rmt::new(peripherals.RMT, Rate::from_mhz(80))).into_async();
    let strip: leds::Strip = match RmtSmartLeds::new(
        WS2812_TIMING,
        rmt.channel0,
        config::led_pin!(peripherals),
        Rate::from_mhz(80),
    ) {
        Ok(strip) => strip,
        Err(e) => defmt::panic!("leds: RMT setup failed: {}", defmt::Debug2Format(&e)),
    };
    spawner.spawn(defmt::unwrap!(leds::led_task(strip)));

    // Wi-Fi and the network stack.
    let mut controller_config = ControllerConfig::default();
    if let Some(station) = wifi::station_config() {
        controller_config = controller_config.with_initial_config(station);
    }
    let controller = defmt::unwrap!(WifiController::new(peripherals.WIFI, controller_config));
    let interface = Interface::station();
    let rng = Rng::new();
    let seed = (u64::from(rng.random()) << 32) | u64::from(rng.random());
    let (stack, runner) = embassy_net::new(
        interface,
        embassy_net::Config::dhcpv4(Default::default()),
        NET_RESOURCES.init(embassy_net::StackResources::new()),
        seed,
    );
    spawner.spawn(defmt::unwrap!(net::stack_task(runner)));

    if config::wifi_configured() {
        spawner.spawn(defmt::unwrap!(wifi::wifi_task(controller)));
    } else {
        // Keep the controller (dropping it stops the radio) but do not join anything.
        core::mem::forget(controller);
        defmt::error!(
            "wifi: not configured (build with KICKWIRE_WIFI_SSID and KICKWIRE_WIFI_PASSWORD)"
        );
    }
    spawner.spawn(defmt::unwrap!(net::net_task(stack, rng)));

    // Everything runs in the tasks; the main task only sleeps.
    loop {
        embassy_time::Timer::after(embassy_time::Duration::from_secs(3600)).await;
    }
}
