//! Build script: linker scripts, and the board's configuration from `KICKWIRE_*` environment
//! variables (see README.md), checked here so that a bad value fails the build with a clear
//! message instead of failing on the device. The result is `$OUT_DIR/config.rs`, included by
//! `src/config.rs`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// Kick's public Pusher endpoint (cluster us2, Kick's app key), what kick.com's own page uses.
const KICK_HOST: &str = "ws-us2.pusher.com";
/// The Pusher app path with Kick's key and the query pusher-js sends.
const KICK_APP_PATH: &str =
    "/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
/// GPIO of the WS2812 data line when none is given: GPIO8 is the on-board RGB LED of the
/// ESP32-C3-DevKitM-1 / DevKitC-02 and of many clones.
const DEFAULT_LED_PIN: u8 = 8;
/// LEDs when no count is given: a common 8-LED stick.
const DEFAULT_LED_COUNT: usize = 8;
/// The RMT buffer holds 24 pulse codes per LED; keep the strip within what the board's RAM and a
/// 50 Hz frame (30 µs per LED) allow.
const MAX_LED_COUNT: usize = 300;
/// The longest host name DNS allows.
const MAX_HOST: usize = 253;
/// The firmware's URL buffer (proto's `limits::URL`).
const MAX_URL: usize = 256;
/// How to get a pin, for error messages (README "TLS" has the same).
const PIN_HOWTO: &str = "openssl s_client -connect HOST:443 -servername HOST </dev/null 2>/dev/null \
     | openssl x509 -pubkey -noout | openssl pkey -pubin -outform der \
     | openssl dgst -sha256 -binary | base64";

const VARS: &[&str] = &[
    "KICKWIRE_WIFI_SSID",
    "KICKWIRE_WIFI_PASSWORD",
    "KICKWIRE_CHATROOM_ID",
    "KICKWIRE_CHANNEL_ID",
    "KICKWIRE_SERVER_URL",
    "KICKWIRE_SERVER_HOST",
    "KICKWIRE_SERVER_PORT",
    "KICKWIRE_SERVER_PATH",
    "KICKWIRE_TLS",
    "KICKWIRE_TLS_PIN",
    "KICKWIRE_TLS_PIN_BACKUP",
    "KICKWIRE_LED_COUNT",
    "KICKWIRE_LED_PIN",
];

/// Where the board connects, after defaults and checks.
struct Server {
    /// Whether any `KICKWIRE_SERVER_*`/`KICKWIRE_TLS` variable was set (else: Kick's default).
    explicit: bool,
    tls: bool,
    host: String,
    port: u16,
    /// Path and query, starting with `/`.
    path: String,
}

fn main() {
    // Linker scripts: defmt's section first, then esp-hal's (order matters, see esp-hal docs).
    println!("cargo:rustc-link-arg=-Tdefmt.x");
    println!("cargo:rustc-link-arg=-Tlinkall.x");
    for var in VARS {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    if let Err(message) = run() {
        // A panic is how a build script fails with a message; it is shown as the build error.
        panic!(
            "\n\nkickwire firmware configuration error: {message}\n(see firmware/README.md, \"Configuration\")\n\n"
        );
    }
}

fn run() -> Result<(), String> {
    let ssid = var("KICKWIRE_WIFI_SSID");
    let password = var("KICKWIRE_WIFI_PASSWORD");
    if ssid.len() > 32 {
        return Err(format!(
            "KICKWIRE_WIFI_SSID is {} bytes; Wi-Fi allows 32",
            ssid.len()
        ));
    }
    if !password.is_empty() && !(8..=63).contains(&password.len()) {
        return Err(format!(
            "KICKWIRE_WIFI_PASSWORD is {} bytes; WPA2 passphrases are 8 to 63 (leave it empty for an open network)",
            password.len()
        ));
    }
    if ssid.is_empty() {
        println!(
            "cargo:warning=KICKWIRE_WIFI_SSID is not set: the firmware builds, but will not join any network"
        );
    }

    let chatroom = id("KICKWIRE_CHATROOM_ID")?;
    let channel = id("KICKWIRE_CHANNEL_ID")?;
    if chatroom.is_none() {
        println!(
            "cargo:warning=KICKWIRE_CHATROOM_ID is not set: the firmware will connect but subscribe to nothing"
        );
    }

    let server = server()?;
    let url = format!(
        "{}://{}:{}{}",
        if server.tls { "wss" } else { "ws" },
        server.host,
        server.port,
        server.path
    );
    if url.len() > MAX_URL {
        return Err(format!(
            "the server URL is {} bytes; the firmware allows {MAX_URL}",
            url.len()
        ));
    }
    // Cargo tells build scripts about features through the environment, not `cfg!`.
    let tls_built = env::var_os("CARGO_FEATURE_TLS").is_some();
    if server.tls && !tls_built && !server.explicit {
        println!(
            "cargo:warning=no server configured and this build has no TLS: the firmware builds, but will not connect (Kick needs wss: build with --features tls)"
        );
    }
    if server.tls && !tls_built && server.explicit {
        return Err(format!(
            "{url} needs TLS (wss), and this firmware is built without it: build with the `tls` \
             feature (`cargo build --release --features tls`), or use a plain ws:// relay or \
             self-hosted server (KICKWIRE_TLS=0 with KICKWIRE_SERVER_HOST/PORT, or KICKWIRE_SERVER_URL=ws://...)"
        ));
    }
    let pins = pins()?;
    let insecure_built = env::var_os("CARGO_FEATURE_TLS_INSECURE").is_some();
    let tls_insecure = tls_check(&url, server.tls && tls_built, &pins, insecure_built, &ssid)?;

    let led_count = match var("KICKWIRE_LED_COUNT").as_str() {
        "" => DEFAULT_LED_COUNT,
        s => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LED_COUNT).contains(&n) => n,
            _ => {
                return Err(format!(
                    "KICKWIRE_LED_COUNT={s:?}: expected 1 to {MAX_LED_COUNT}"
                ));
            }
        },
    };
    let led_pin = match var("KICKWIRE_LED_PIN").as_str() {
        "" => DEFAULT_LED_PIN,
        s => led_pin(s)?,
    };

    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Generated by build.rs from the KICKWIRE_* environment variables."
    );
    let _ = writeln!(out, "pub const WIFI_SSID: &str = {ssid:?};");
    let _ = writeln!(out, "pub const WIFI_PASSWORD: &str = {password:?};");
    let _ = writeln!(out, "pub const CHATROOM_ID: Option<u64> = {chatroom:?};");
    let _ = writeln!(out, "pub const CHANNEL_ID: Option<u64> = {channel:?};");
    let _ = writeln!(out, "pub const SERVER_URL: &str = {url:?};");
    let _ = writeln!(out, "pub const TLS: bool = {};", server.tls);
    let _ = writeln!(out, "pub const TLS_BUILT: bool = {tls_built};");
    let _ = writeln!(
        out,
        "/// SHA-256 of the SubjectPublicKeyInfo the server must show: primary, then backup."
    );
    let _ = writeln!(out, "pub const TLS_PINS: &[[u8; 32]] = &{pins:?};");
    let _ = writeln!(
        out,
        "/// `wss://` without authentication: feature `tls-insecure` and no pin."
    );
    let _ = writeln!(out, "pub const TLS_INSECURE: bool = {tls_insecure};");
    let _ = writeln!(out, "pub const LED_COUNT: usize = {led_count};");
    let _ = writeln!(out, "pub const LED_PIN: u8 = {led_pin};");
    // The pin is a distinct type per GPIO in esp-hal, so it is chosen by a macro, not a value.
    let _ = writeln!(
        out,
        "macro_rules! led_pin {{ ($p:expr) => {{ $p.GPIO{led_pin} }}; }}\npub(crate) use led_pin;"
    );
    let path = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?).join("config.rs");
    fs::write(&path, out).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// An environment variable, empty when unset.
fn var(name: &str) -> String {
    env::var(name).unwrap_or_default()
}

/// `KICKWIRE_TLS_PIN` and `KICKWIRE_TLS_PIN_BACKUP`, decoded: none, the primary, or both.
fn pins() -> Result<Vec<[u8; 32]>, String> {
    let primary = pin("KICKWIRE_TLS_PIN")?;
    let backup = pin("KICKWIRE_TLS_PIN_BACKUP")?;
    match (primary, backup) {
        (None, None) => Ok(Vec::new()),
        (Some(primary), None) => Ok(vec![primary]),
        (None, Some(_)) => Err(
            "KICKWIRE_TLS_PIN_BACKUP is set but KICKWIRE_TLS_PIN is not: set the primary pin \
             (the key the server uses now) first"
                .to_owned(),
        ),
        (Some(primary), Some(backup)) => {
            if primary == backup {
                println!(
                    "cargo:warning=KICKWIRE_TLS_PIN_BACKUP equals KICKWIRE_TLS_PIN: it backs \
                     nothing up (pin a second key, kept offline or at another CA)"
                );
            }
            Ok(vec![primary, backup])
        }
    }
}

/// One pin: the base64 of a SHA-256 (44 characters, `=` at the end), as HPKP's `pin-sha256`;
/// curl's `sha256//` prefix is allowed. Empty: none.
fn pin(name: &str) -> Result<Option<[u8; 32]>, String> {
    let value = var(name);
    let text = value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let base64 = text.strip_prefix("sha256//").unwrap_or(text);
    match decode_base64(base64).map(<[u8; 32]>::try_from) {
        Some(Ok(hash)) => Ok(Some(hash)),
        _ => Err(format!(
            "{name}={text:?}: expected the base64 of a SHA-256 (44 characters ending in '='), \
             the hash of the server's public key (SubjectPublicKeyInfo) as printed by\n  {PIN_HOWTO}"
        )),
    }
}

/// Standard base64 with its padding (RFC 4648 section 4); `None` for anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 {
        return None;
    }
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in body.bytes() {
        let value = ALPHABET.iter().position(|&c| c == byte)?;
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    // The bits left over must be zero (the canonical encoding).
    if bits & ((1 << count) - 1) != 0 {
        return None;
    }
    Some(out)
}

/// The rule for `wss://`: the server must be authenticated by a pin, unless the build chose
/// not to (`tls-insecure`). A firmware without Wi-Fi credentials never connects, so it builds
/// without a pin too (with a warning): that is the firmware CI builds for its size and lints.
/// Returns whether the firmware runs TLS without authentication.
fn tls_check(
    url: &str,
    wss: bool,
    pins: &[[u8; 32]],
    insecure_built: bool,
    ssid: &str,
) -> Result<bool, String> {
    if !wss {
        if !pins.is_empty() {
            println!(
                "cargo:warning=KICKWIRE_TLS_PIN is set but this firmware does not use TLS \
                 ({url}, or no `tls` feature): the pin is not used"
            );
        }
        return Ok(false);
    }
    if !pins.is_empty() {
        return Ok(false);
    }
    if insecure_built {
        println!(
            "cargo:warning={url} without KICKWIRE_TLS_PIN, feature `tls-insecure`: the traffic \
             is encrypted but the server is NOT authenticated"
        );
        return Ok(true);
    }
    if ssid.is_empty() {
        println!(
            "cargo:warning={url} has no KICKWIRE_TLS_PIN: this firmware builds only because it \
             joins no network (no KICKWIRE_WIFI_SSID); it would refuse every server"
        );
        return Ok(false);
    }
    Err(format!(
        "{url} needs a pin: set KICKWIRE_TLS_PIN to the base64 SHA-256 of the server's public \
         key (and KICKWIRE_TLS_PIN_BACKUP to a second key's), as printed by\n  {PIN_HOWTO}\n\
         or build with `--features tls-insecure` to connect WITHOUT authenticating the server"
    ))
}

/// An optional positive decimal id.
fn id(name: &str) -> Result<Option<u64>, String> {
    match var(name).trim() {
        "" => Ok(None),
        s => match s.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!("{name}={s:?}: expected a positive decimal number")),
        },
    }
}

/// `1/true/yes/on` or `0/false/no/off`.
fn flag(name: &str, s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!(
            "{name}={s:?}: expected 1/0, true/false, yes/no or on/off"
        )),
    }
}

/// The server, from `KICKWIRE_SERVER_URL` or the host/port/path/TLS pieces, Kick's by default.
fn server() -> Result<Server, String> {
    let url = var("KICKWIRE_SERVER_URL");
    let pieces = [
        "KICKWIRE_SERVER_HOST",
        "KICKWIRE_SERVER_PORT",
        "KICKWIRE_SERVER_PATH",
        "KICKWIRE_TLS",
    ];
    let server = if url.is_empty() {
        let host = var("KICKWIRE_SERVER_HOST");
        let tls = match var("KICKWIRE_TLS").as_str() {
            "" => host.is_empty(), // Kick's endpoint is wss only; a host of one's own defaults to ws.
            s => flag("KICKWIRE_TLS", s)?,
        };
        let port = match var("KICKWIRE_SERVER_PORT").as_str() {
            "" => {
                if tls {
                    443
                } else {
                    80
                }
            }
            s => port(s)?,
        };
        Server {
            explicit: pieces.iter().any(|p| !var(p).is_empty()),
            tls,
            host: if host.is_empty() {
                KICK_HOST.to_owned()
            } else {
                host
            },
            port,
            path: var("KICKWIRE_SERVER_PATH"),
        }
    } else {
        if let Some(set) = pieces.iter().find(|p| !var(p).is_empty()) {
            return Err(format!(
                "set KICKWIRE_SERVER_URL or {set} and its siblings, not both"
            ));
        }
        parse_url(&url)?
    };
    check_host(&server.host)?;
    let path = app_path(&server.path)?;
    Ok(Server { path, ..server })
}

/// `ws://host[:port][/path]` or `wss://...`.
fn parse_url(url: &str) -> Result<Server, String> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("wss://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("ws://") {
        (false, rest)
    } else {
        return Err(format!(
            "KICKWIRE_SERVER_URL={url:?}: expected ws://host[:port][/path] or wss://..."
        ));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, self::port(p)?),
        None => (authority, if tls { 443 } else { 80 }),
    };
    Ok(Server {
        explicit: true,
        tls,
        host: host.to_owned(),
        port,
        path: path.to_owned(),
    })
}

fn port(s: &str) -> Result<u16, String> {
    match s.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!("port {s:?}: expected 1 to 65535")),
    }
}

/// A DNS name or dotted IPv4 address: letters, digits, `-` and `.` (no IPv6, no userinfo).
fn check_host(host: &str) -> Result<(), String> {
    let ok = !host.is_empty()
        && host.len() <= MAX_HOST
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "server host {host:?}: expected a DNS name or an IPv4 address"
        ))
    }
}

/// The request path: as given when it names a Pusher app (`/app/KEY...`), else `path` with
/// Kick's app path appended (a self-hosted server or relay at the root or under a prefix).
fn app_path(path: &str) -> Result<String, String> {
    if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(format!(
            "server path {path:?} contains spaces or control characters"
        ));
    }
    if !path.is_empty() && !path.starts_with('/') {
        return Err(format!("server path {path:?} must start with '/'"));
    }
    if path.contains("/app/") {
        Ok(path.to_owned())
    } else {
        Ok(format!("{}{KICK_APP_PATH}", path.trim_end_matches('/')))
    }
}

/// A GPIO for the LED data line. GPIO11-17 drive the SPI flash (or are its supply pin), and
/// GPIO18/19 are the USB-JTAG port that carries the logs and flashing.
fn led_pin(s: &str) -> Result<u8, String> {
    let pin = s
        .trim_start_matches("GPIO")
        .trim_start_matches("gpio")
        .parse::<u8>()
        .map_err(|_| format!("KICKWIRE_LED_PIN={s:?}: expected a GPIO number such as 8"))?;
    match pin {
        0..=10 | 20 | 21 => Ok(pin),
        11..=17 => Err(format!(
            "KICKWIRE_LED_PIN={pin}: GPIO11-17 belong to the SPI flash on the ESP32-C3"
        )),
        18 | 19 => Err(format!(
            "KICKWIRE_LED_PIN={pin}: GPIO18/19 are the USB port used for flashing and logs"
        )),
        _ => Err(format!("KICKWIRE_LED_PIN={pin}: the ESP32-C3 has GPIO0-21")),
    }
}
