//! The command line.

use std::path::PathBuf;
use std::time::Duration;

use kickwire_proto::conn::{self, PusherUrl};
use kickwire_proto::http::{KICK_PUSHER_CLUSTER, KICK_PUSHER_KEY};
use kickwire_proto::kick::channels::{ChannelKind, Ids};

pub const USAGE: &str = "\
kickwire-alert-sim: the kickwire alert board, simulated in the terminal

usage: kickwire-alert-sim --chatroom ID [--channel ID] [OPTIONS]

  --chatroom ID        the chat's chatroom id (subscribes chatrooms.ID.v2, chatrooms.ID, chatroom_ID)
  --channel ID         the channel id too (adds channel.ID, channel_ID, predictions-channel-ID)
  --url URL            a Pusher server, ws:// or wss:// (default: Kick's, wss://ws-us2.pusher.com);
                       a bare ws://host:port gets the app path with Kick's key
  --leds N             LEDs on the strip (default 30; 1-64, or 72, 90, 96, 100, 120, 144, 150,
                       180, 200, 240, 288, 300)
  --fps N              frames drawn per second (default 30, 1-120)
  --brightness N       the board's brightness cap, 0-255 (default 96)
  --duration SECS      stop after this long (default: run until Ctrl-C / killed)
  --png DIR            also write every frame as DIR/frame-NNNNNN.png
  --frames FILE        also write one JSON line per frame (and per connection event) to FILE
  --quiet              do not draw the strip in the terminal
  -h, --help           this text

Kick's copies of one happening light the strip once: a sub's five events are one pulse, a
gift's chunks one burst sized by the whole gift (a gift missing a chunk bursts 2 s after its
last one, with what came).
";

/// The LED counts the simulator is built for (the board's strip length is a const generic).
pub const LED_COUNTS: &[usize] = &[72, 90, 96, 100, 120, 144, 150, 180, 200, 240, 288, 300];
/// Every count up to this one is supported as well.
pub const LED_MAX_ANY: usize = 64;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The Pusher WebSocket URL.
    pub url: String,
    /// The channels to subscribe.
    pub channels: Vec<String>,
    pub leds: usize,
    pub fps: u32,
    pub brightness: u8,
    pub duration: Option<Duration>,
    pub png: Option<PathBuf>,
    pub frames: Option<PathBuf>,
    pub quiet: bool,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    Run(Options),
    Help,
}

fn number<T: std::str::FromStr>(value: &str, option: &str, what: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{option}: '{value}' is not {what}"))
}

/// Reads the arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut args = args.into_iter();
    let mut url = None;
    let mut chatroom: Option<u64> = None;
    let mut channel: Option<u64> = None;
    let mut o = Options {
        url: String::new(),
        channels: Vec::new(),
        leds: 30,
        fps: 30,
        brightness: 96,
        duration: None,
        png: None,
        frames: None,
        quiet: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value (see --help)"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--url" => url = Some(value("--url")?),
            "--chatroom" => chatroom = Some(number(&value("--chatroom")?, "--chatroom", "an id")?),
            "--channel" => channel = Some(number(&value("--channel")?, "--channel", "an id")?),
            "--leds" => o.leds = number(&value("--leds")?, "--leds", "a number")?,
            "--fps" => o.fps = number(&value("--fps")?, "--fps", "a number")?,
            "--brightness" => {
                o.brightness = number(&value("--brightness")?, "--brightness", "0-255")?
            }
            "--duration" => {
                let v = value("--duration")?;
                let secs: f64 = number(&v, "--duration", "a number of seconds")?;
                if !(secs.is_finite() && secs > 0.0 && secs < 1e9) {
                    return Err(format!(
                        "--duration: '{v}' is not a positive number of seconds"
                    ));
                }
                o.duration = Some(Duration::from_secs_f64(secs));
            }
            "--png" => o.png = Some(value("--png")?.into()),
            "--frames" => o.frames = Some(value("--frames")?.into()),
            "--quiet" => o.quiet = true,
            other => return Err(format!("unknown argument '{other}' (see --help)")),
        }
    }
    if !(1..=LED_MAX_ANY).contains(&o.leds) && !LED_COUNTS.contains(&o.leds) {
        return Err(format!(
            "--leds: {} is not a supported strip length (1-{LED_MAX_ANY}, or one of {LED_COUNTS:?})",
            o.leds
        ));
    }
    if !(1..=120).contains(&o.fps) {
        return Err(format!("--fps: {} is not from 1 to 120", o.fps));
    }
    let Some(room) = chatroom else {
        return Err("give the chat to watch: --chatroom ID (and optionally --channel ID)".into());
    };
    let kinds = ChannelKind::ALL
        .into_iter()
        .filter(|k| channel.is_some() || k.uses_chatroom_id());
    let ids = Ids::new(room, channel.unwrap_or(0));
    o.channels = kinds.map(|k| k.name(ids).as_str().to_string()).collect();
    o.url = server_url(url.as_deref())?;
    Ok(Parsed::Run(o))
}

/// The URL to open: Kick's Pusher app by default; a user's URL must be a Pusher one.
fn server_url(url: Option<&str>) -> Result<String, String> {
    let mut buf = [0u8; 1024];
    let Some(url) = url else {
        let kick = PusherUrl::cluster(KICK_PUSHER_KEY, KICK_PUSHER_CLUSTER);
        return kick
            .write(&mut buf)
            .map(str::to_string)
            .map_err(|e| e.to_string());
    };
    if kickwire_board::link::Url::parse(url).is_err() && !url.starts_with("ws") {
        return Err(format!("--url: '{url}' is not a ws:// or wss:// URL"));
    }
    if let Err(e) = kickwire_board::link::Url::parse(url) {
        return Err(format!("--url: '{url}': {e}"));
    }
    match conn::url_transport(url) {
        Some(kickwire_proto::Transport::Pusher) => {}
        Some(kickwire_proto::Transport::Centrifugo) => {
            return Err(format!(
                "--url: '{url}' is a Centrifugo endpoint; the alert board speaks Pusher"
            ));
        }
        None => {
            return Err(format!(
                "--url: '{url}' is not a Pusher URL (ws://host:port, or .../app/KEY?protocol=7)"
            ));
        }
    }
    conn::pusher_app_url(url, KICK_PUSHER_KEY, &mut buf)
        .map(str::to_string)
        .map_err(|e| format!("--url: {e}"))
}
