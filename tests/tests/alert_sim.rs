//! The alert-board simulator (`examples/alert-sim`: the board logic, the WebSocket link and
//! the proto connection over std TCP) against a real Pusher-protocol server, sockudo on
//! 127.0.0.1: a gifted-subs event published through the server's HTTP API shows as a burst in
//! the recorded LED frames, and after a server restart the simulator reconnects and shows the
//! next one. Kick's copies of one happening light the strip once: a gift in chunks is one
//! burst sized by the whole gift, a sub's five events one pulse.
//!
//! The simulator runs in-process (`kickwire_alert_sim::run_until`, the binary's own loop) and
//! writes `--frames`: one JSON line per frame (`t_ms`, connection `state`, `subscribed`
//! channels, `leds` as `#rrggbb`) and per connection event. Every wait is bounded.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kickwire_alert_sim::{Parsed, Summary, parse, run_until};
use kickwire_tests::copies::{
    GIFT_CHATROOM, Published, SUB_CHANNEL, SUB_CHATROOM, gift_chunks, micke747_sub,
};
use kickwire_tests::poll_until;
use kickwire_tests::sockudo::{Options, Sockudo};
use serde_json::Value;

/// The chatroom of the first GiftedSubscriptionsEvent vector.
const CHATROOM: &str = "2507974";
/// The simulator subscribes the chatroom's three channels (no `--channel`).
const CHANNELS: u64 = 3;
const LEDS: usize = 30;
/// The Kick event name, as Kick publishes it.
const GIFT_EVENT: &str = "App\\Events\\GiftedSubscriptionsEvent";
/// The poll period of the waits.
const POLL: Duration = Duration::from_millis(25);

/// The first GiftedSubscriptionsEvent vector: its channel and its `data` string, verbatim
/// (one gift: `gifted_usernames` has one name, per the `.expected` file's `gifted_count: 1`).
fn gift_vector() -> (String, String) {
    let path = kickwire_tests::vectors_dir().join("kick/GiftedSubscriptionsEvent.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let frame: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let channel = frame["channel"].as_str().unwrap().to_string();
    let data = frame["data"].as_str().unwrap().to_string();
    assert_eq!(channel, format!("chatrooms.{CHATROOM}.v2"));
    (channel, data)
}

#[derive(Debug, Clone)]
struct Frame {
    t_ms: u64,
    state: String,
    subscribed: u64,
    /// LEDs with any channel above zero.
    lit: usize,
}

fn frames(path: &Path) -> Vec<Frame> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        // The last line may be half written.
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "frame")
        .map(|v| {
            let leds = v["leds"].as_array().unwrap();
            assert_eq!(leds.len(), LEDS);
            Frame {
                t_ms: v["t_ms"].as_u64().unwrap(),
                state: v["state"].as_str().unwrap().to_string(),
                subscribed: v["subscribed"].as_u64().unwrap(),
                lit: leds
                    .iter()
                    .filter(|c| c.as_str() != Some("#000000"))
                    .count(),
            }
        })
        .collect()
}

fn events(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "event")
        .map(|v| v["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The time of the last frame recorded so far: the simulator's clock, "now".
fn last_t(path: &Path) -> u64 {
    frames(path).last().map_or(0, |f| f.t_ms)
}

/// Waits until a frame after `after_ms` shows the connection up with every channel.
fn wait_subscribed(path: &Path, after_ms: u64, timeout: Duration) -> bool {
    wait_channels(path, after_ms, timeout, CHANNELS)
}

/// Waits until a frame after `after_ms` shows the connection up with `channels` channels.
fn wait_channels(path: &Path, after_ms: u64, timeout: Duration, channels: u64) -> bool {
    poll_until(timeout, POLL, || {
        frames(path)
            .iter()
            .any(|f| f.t_ms > after_ms && f.state == "connected" && f.subscribed == channels)
    })
}

/// The most LEDs lit in one frame from `from_ms` to `to_ms`.
fn most_lit(path: &Path, from_ms: u64, to_ms: u64) -> usize {
    frames(path)
        .iter()
        .filter(|f| f.t_ms >= from_ms && f.t_ms <= to_ms)
        .map(|f| f.lit)
        .max()
        .unwrap_or(0)
}

struct Sim {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<Summary, String>>>,
    frames: PathBuf,
    _dir: TempDir,
}

impl Sim {
    fn start(url: &str) -> Self {
        Self::watching(url, &["--chatroom", CHATROOM])
    }

    /// A simulator on `url` subscribed to the channels `ids` name (`--chatroom N`, and
    /// `--channel N` for all six).
    fn watching(url: &str, ids: &[&str]) -> Self {
        let dir = TempDir::new();
        let frames = dir.0.join("frames.jsonl");
        let args = [
            ids,
            &[
                "--url",
                url,
                "--leds",
                "30",
                "--fps",
                "50",
                "--quiet",
                "--frames",
                frames.to_str().unwrap(),
                // A backstop only: the test stops it much earlier.
                "--duration",
                "120",
            ],
        ]
        .concat();
        let Ok(Parsed::Run(options)) = parse(args.iter().map(|s| s.to_string())) else {
            panic!("bad arguments");
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || run_until(&options, &flag));
        Self {
            stop,
            thread: Some(thread),
            frames,
            _dir: dir,
        }
    }

    /// Stops the simulator (a clean close) and returns its summary, within 10 s.
    fn finish(mut self) -> Summary {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take().unwrap();
        assert!(
            poll_until(Duration::from_secs(10), POLL, || thread.is_finished()),
            "the simulator did not stop"
        );
        thread.join().unwrap().unwrap()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("kickwire-alert-sim-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            eprintln!("simulator output kept in {}", self.0.display());
        }
    }
}

/// Publishes the gift and waits for the burst: a frame within 2.5 s (of the simulator's
/// clock) with at least 2 LEDs lit. Hand-checked from the engine's documented burst: one
/// gift lights about 12 % of the strip in each sparkle (3.5 of 30 LEDs on average, at least
/// one always) for 1.6 s, while a connected board with nothing to show is dark; the offline
/// status pixel is a single LED, so 2 lit LEDs can only be the burst.
fn gift_shows(server: &Sockudo, sim: &Sim, since_ms: u64, data: &str) -> (u64, usize) {
    let (channel, _) = gift_vector();
    let before = last_t(&sim.frames);
    // Dark before the trigger, since the connection came up.
    let dark = frames(&sim.frames)
        .iter()
        .filter(|f| f.t_ms > since_ms && f.state == "connected" && f.subscribed == CHANNELS)
        .map(|f| f.lit)
        .max();
    assert_eq!(dark, Some(0), "the strip is not dark before the gift");
    server.trigger(&channel, GIFT_EVENT, data).unwrap();
    let shown = poll_until(Duration::from_secs(5), POLL, || {
        most_lit(&sim.frames, before, before + 2_500) >= 2
    });
    let lit = most_lit(&sim.frames, before, before + 2_500);
    if let Some(first) = frames(&sim.frames)
        .iter()
        .find(|f| f.t_ms >= before && f.lit > 0)
    {
        eprintln!(
            "alert_sim: first lit frame {} ms after the last frame before the trigger",
            first.t_ms - before
        );
    }
    assert!(
        shown,
        "no burst within 2.5 s of the trigger (most lit: {lit}); events: {:?}",
        events(&sim.frames)
    );
    (before, lit)
}

#[test]
fn a_gift_bursts_on_the_strip_and_survives_a_server_restart() {
    let mut server = Sockudo::start(Options::default());
    let sim = Sim::start(&server.ws_url());
    assert!(
        wait_subscribed(&sim.frames, 0, Duration::from_secs(15)),
        "not connected and subscribed; events: {:?}",
        events(&sim.frames)
    );

    let (_, data) = gift_vector();
    let (t1, lit1) = gift_shows(&server, &sim, 0, &data);
    assert!(
        events(&sim.frames).contains(&"alert: GiftedSubs { count: 1 }".to_string()),
        "{:?}",
        events(&sim.frames)
    );
    // Let the burst end (1.6 s for one gift), so the next check starts from a dark strip.
    let t_dark = t1 + 2_000;
    assert!(poll_until(Duration::from_secs(5), POLL, || last_t(
        &sim.frames
    ) > t_dark
        + 200));
    assert_eq!(most_lit(&sim.frames, t_dark, u64::MAX), 0);

    // Restart the server: sockudo closes every socket with 4200 on SIGTERM.
    let t_stop = last_t(&sim.frames);
    server.stop();
    let down = || {
        frames(&sim.frames)
            .iter()
            .find(|f| f.t_ms > t_stop && f.state != "connected")
            .map(|f| f.t_ms)
    };
    assert!(
        poll_until(Duration::from_secs(5), POLL, || down().is_some()),
        "the simulator did not notice the server going away"
    );
    let t_down = down().unwrap();
    server.start_again();
    // Back-off is 1-16 s plus up to 1 s of jitter; the first retries come within a few s.
    assert!(
        wait_subscribed(&sim.frames, t_down, Duration::from_secs(30)),
        "did not reconnect; events: {:?}",
        events(&sim.frames)
    );
    // Another gift (to nikko, not bigboss_23): the same frame again would be a copy of the
    // first, shown once (a whole gift is known by its gifter and recipients for 2 min).
    let other = data.replace("bigboss_23", "nikko");
    assert_ne!(other, data);
    let (t2, lit2) = gift_shows(&server, &sim, t_down, &other);
    assert!(t2 > t_stop);

    let summary = sim.finish();
    assert_eq!(summary.connects, 2, "{summary:?}");
    assert_eq!(summary.alerts, 2, "{summary:?}");
    assert_eq!(summary.dropped_messages, 0);
    eprintln!(
        "alert_sim: burst {lit1} LEDs at {t1} ms; restart at {t_stop} ms; burst {lit2} LEDs at {t2} ms; {summary:?}"
    );
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    let err = |args: &[&str]| match parse(args.iter().map(|s| s.to_string())) {
        Err(e) => e,
        Ok(p) => panic!("{args:?} accepted: {p:?}"),
    };
    assert!(err(&[]).contains("--chatroom"));
    assert!(err(&["--chatroom", "x"]).contains("'x' is not an id"));
    assert!(err(&["--chatroom", "1", "--leds", "0"]).contains("not a supported strip length"));
    assert!(err(&["--chatroom", "1", "--fps", "500"]).contains("not from 1 to 120"));
    assert!(err(&["--chatroom", "1", "--url", "https://x"]).contains("not a ws:// or wss://"));
    assert!(err(&["--chatroom", "1", "--duration", "-1"]).contains("positive"));
    assert!(err(&["--chatroom", "1", "--bogus"]).contains("unknown argument"));
    assert!(err(&["--chatroom", "1", "--url"]).contains("needs a value"));
    // The defaults: Kick's Pusher app over TLS, the chatroom's three channels.
    let Ok(Parsed::Run(o)) = parse(["--chatroom", "2507974"].iter().map(|s| s.to_string())) else {
        panic!()
    };
    assert_eq!(
        o.url,
        "wss://ws-us2.pusher.com:443/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
    );
    assert_eq!(
        o.channels,
        [
            "chatrooms.2507974.v2",
            "chatrooms.2507974",
            "chatroom_2507974"
        ]
    );
    assert_eq!((o.leds, o.fps), (30, 30));
    let Ok(Parsed::Run(o)) = parse(
        [
            "--chatroom",
            "1",
            "--channel",
            "2",
            "--url",
            "ws://127.0.0.1:6001",
        ]
        .iter()
        .map(|s| s.to_string()),
    ) else {
        panic!()
    };
    assert_eq!(o.channels.len(), 6);
    assert_eq!(
        o.url,
        "ws://127.0.0.1:6001/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false"
    );
}

/// The alert lines of the simulator's event log (`alert: ...`).
fn alert_lines(path: &Path) -> Vec<String> {
    events(path)
        .into_iter()
        .filter(|e| e.starts_with("alert: "))
        .collect()
}

/// Publishes `frames` in order (each on its own channel under its own event name), waits for
/// the strip to light, then for `settle_ms` more of the simulator's clock (time for a second
/// reaction to show, were one coming), and returns the alert lines logged.
fn publish_and_settle(
    server: &Sockudo,
    sim: &Sim,
    frames: &[Published],
    settle_ms: u64,
) -> Vec<String> {
    let before = last_t(&sim.frames);
    for f in frames {
        server.trigger(&f.channel, &f.event, &f.data).unwrap();
    }
    assert!(
        poll_until(Duration::from_secs(5), POLL, || {
            most_lit(&sim.frames, before, before + 2_500) >= 2
        }),
        "the strip did not light; events: {:?}",
        events(&sim.frames)
    );
    let lit = last_t(&sim.frames);
    assert!(poll_until(Duration::from_secs(10), POLL, || {
        last_t(&sim.frames) > lit + settle_ms
    }));
    alert_lines(&sim.frames)
}

#[test]
fn a_chunked_gift_is_one_burst_sized_by_its_total() {
    let server = Sockudo::start(Options::default());
    let chatroom = GIFT_CHATROOM.to_string();
    let sim = Sim::watching(&server.ws_url(), &["--chatroom", &chatroom]);
    assert!(
        wait_subscribed(&sim.frames, 0, Duration::from_secs(15)),
        "not connected and subscribed; events: {:?}",
        events(&sim.frames)
    );
    // The three chunks, the middle one also on a second channel name (a copy). A second
    // burst, were one coming, would show within the gift's wait of 2 s.
    let [c0, c1, c2] = gift_chunks();
    let again = c1.on(&format!("chatrooms.{chatroom}.v2"));
    let shown = publish_and_settle(&server, &sim, &[c0, c1, again, c2], 2_500);
    // One burst for the whole gift, sized by its 5 (not 2, 2 and 1).
    assert_eq!(
        shown,
        ["alert: GiftedSubs { count: 5 }"],
        "{:?}",
        events(&sim.frames)
    );
    let summary = sim.finish();
    assert_eq!((summary.alerts, summary.copies), (1, 1), "{summary:?}");
}

#[test]
fn a_subs_five_events_are_one_pulse() {
    let server = Sockudo::start(Options::default());
    let (chatroom, channel) = (SUB_CHATROOM.to_string(), SUB_CHANNEL.to_string());
    let sim = Sim::watching(
        &server.ws_url(),
        &["--chatroom", &chatroom, "--channel", &channel],
    );
    assert!(
        wait_channels(&sim.frames, 0, Duration::from_secs(15), 6),
        "not connected and subscribed; events: {:?}",
        events(&sim.frames)
    );
    // The five are published in one go; a second pulse would come as their copies arrive.
    let shown = publish_and_settle(&server, &sim, &micke747_sub(), 1_000);
    assert_eq!(
        shown,
        ["alert: Subscription { months: 38 }"],
        "{:?}",
        events(&sim.frames)
    );
    let summary = sim.finish();
    // Three events are only ever copies, the second with the months a duplicate.
    assert_eq!((summary.alerts, summary.copies), (1, 4), "{summary:?}");
}
