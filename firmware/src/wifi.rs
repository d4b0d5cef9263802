//! The Wi-Fi task: join the configured network as a station and rejoin forever after any drop.
//! The network stack notices the link state on its own (DHCP restarts on link up), so this
//! task only has to keep the station associated.

use embassy_time::{Duration, Timer};
use esp_radio::wifi::sta::StationConfig;
use esp_radio::wifi::{AuthenticationMethodConfig, Config, WifiController};

use crate::config;

/// Wait between failed attempts to join; the access point may be rebooting.
const RETRY: Duration = Duration::from_secs(5);

/// The station configuration from the build-time SSID and password (an empty password: an
/// open network). `None` when they do not fit the driver's types (build.rs checks the lengths,
/// so this is a second line of defence, not an expected path).
pub fn station_config() -> Option<Config> {
    let ssid = config::WIFI_SSID.try_into().ok()?;
    let auth = if config::WIFI_PASSWORD.is_empty() {
        AuthenticationMethodConfig::Open
    } else {
        // WPA/WPA2 mixed: accepts WPA2-only access points too (and WPA3 transition mode).
        AuthenticationMethodConfig::WpaWpa2Personal(config::WIFI_PASSWORD.try_into().ok()?)
    };
    Some(Config::Station(
        StationConfig::default()
            .with_ssid(ssid)
            .with_authentication(auth),
    ))
}

/// Keeps the station connected: connect, wait for the drop, wait a little, connect again.
#[embassy_executor::task]
pub async fn wifi_task(mut controller: WifiController<'static>) -> ! {
    loop {
        defmt::info!("wifi: joining {=str}", config::WIFI_SSID);
        match controller.connect_async().await {
            Ok(info) => {
                defmt::info!("wifi: joined, channel {}", info.channel);
                // Returns at once with an error if the station is not connected any more.
                match controller.wait_for_disconnect_async().await {
                    Ok(info) => defmt::warn!("wifi: dropped ({:?})", info.reason),
                    Err(e) => defmt::warn!("wifi: link lost ({:?})", e),
                }
            }
            Err(e) => defmt::warn!("wifi: join failed: {:?}", e),
        }
        Timer::after(RETRY).await;
    }
}
