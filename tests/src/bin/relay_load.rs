//! The load benchmark of `kickwire relay` (not a test; `scripts/relay-load.sh` runs it): one
//! relay on loopback with many upstream chats from a real Pusher server (sockudo) and many
//! downstream clients on its endpoint. Prints events per second through the relay, the latency
//! from the moment an event is handed to the upstream server to its arrival at a client (p50,
//! p99, max), and the relay's resident memory.
//!
//! Two phases: *spread* (client `j` subscribes to chat `j mod chats`, events go round-robin to
//! every chat: what many single-chat overlays look like) and *hot* (every client also on chat
//! 0, events only there: one streamer's big audience). Latency includes sockudo's own hop
//! (HTTP API to its WebSocket), which a baseline measures in the same run: the same events
//! sent to a client connected to sockudo directly.
//!
//! ```text
//! relay_load --kickwire target/release/kickwire [--chats 1000] [--clients 1000] [--events 20000] [--hot 200]
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kickwire_tests::sockudo::{APP_ID, Options, Sockudo};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use tungstenite::Message;
use tungstenite::stream::MaybeTlsStream;

struct Args {
    kickwire: String,
    chats: usize,
    clients: usize,
    events: usize,
    hot: usize,
}

fn args() -> Args {
    let mut a = Args {
        kickwire: "target/release/kickwire".into(),
        chats: 1000,
        clients: 1000,
        events: 20_000,
        hot: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_default();
        let n = || v.parse().unwrap_or_else(|_| panic!("{k} wants a number"));
        match k.as_str() {
            "--kickwire" => a.kickwire = v.clone(),
            "--chats" => a.chats = n(),
            "--clients" => a.clients = n(),
            "--events" => a.events = n(),
            "--hot" => a.hot = n(),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn now_us() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_micros(),
    )
    .unwrap()
}

/// Chat `i`'s chatroom id (the channel id is a million more).
fn room(i: usize) -> usize {
    i + 1
}

/// Latencies (µs) and counts seen by the clients.
#[derive(Default)]
struct Seen {
    latencies: Mutex<Vec<u64>>,
    events: AtomicU64,
    last_us: AtomicU64,
}

/// A client on `url` subscribed to `channels`, recording every event until `stop`.
fn client(
    url: String,
    channels: Vec<String>,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
    ready: Arc<AtomicU64>,
) {
    let (mut ws, _) = loop {
        match tungstenite::connect(&url) {
            Ok(c) => break c,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    if let MaybeTlsStream::Plain(s) = ws.get_ref() {
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
    }
    for ch in &channels {
        let sub = serde_json::json!({"event": "pusher:subscribe", "data": {"channel": ch}});
        ws.send(Message::text(sub.to_string())).unwrap();
    }
    let mut subscribed = 0;
    let mut local = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match ws.read() {
            Ok(Message::Text(t)) => {
                let at = now_us();
                let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap_or_default();
                let event = v["event"].as_str().unwrap_or("");
                if event == "pusher_internal:subscription_succeeded" {
                    subscribed += 1;
                    if subscribed == channels.len() {
                        ready.fetch_add(1, Ordering::SeqCst);
                    }
                } else if !event.starts_with("pusher") {
                    let data: serde_json::Value =
                        serde_json::from_str(v["data"].as_str().unwrap_or("{}"))
                            .unwrap_or_default();
                    if let Some(sent) = data["sent_us"].as_u64() {
                        local.push(at.saturating_sub(sent));
                        seen.events.fetch_add(1, Ordering::Relaxed);
                        seen.last_us.fetch_max(at, Ordering::Relaxed);
                    }
                } else if event == "pusher:ping" {
                    let _ = ws.send(Message::text(r#"{"event":"pusher:pong","data":{}}"#));
                }
            }
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => {
                eprintln!("client: {e}");
                break;
            }
        }
    }
    seen.latencies.lock().unwrap().extend(local);
}

/// Starts `clients` clients (each on the channels `channels(j)` gives); returns once every
/// one is subscribed.
fn clients(
    url: &str,
    n: usize,
    channels: impl Fn(usize) -> Vec<String>,
    stop: &Arc<AtomicBool>,
) -> (Arc<Seen>, Vec<std::thread::JoinHandle<()>>) {
    let seen = Arc::new(Seen::default());
    let ready = Arc::new(AtomicU64::new(0));
    let handles = (0..n)
        .map(|j| {
            let (url, ch, seen, stop, ready) = (
                url.to_string(),
                channels(j),
                Arc::clone(&seen),
                Arc::clone(stop),
                Arc::clone(&ready),
            );
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || client(url, ch, seen, stop, ready))
                .unwrap()
        })
        .collect();
    let t = Instant::now();
    while ready.load(Ordering::SeqCst) < n as u64 {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "clients not subscribed: {}/{n}",
            ready.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (seen, handles)
}

/// Sends `events` events, `to(e)` naming each one's chat, through sockudo's HTTP API in batches
/// of ten from four threads.
fn trigger(server: &Arc<Sockudo>, events: usize, to: impl Fn(usize) -> usize + Sync) {
    let next = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let first = next.fetch_add(10, Ordering::SeqCst) as usize;
                if first >= events {
                    break;
                }
                let batch: Vec<serde_json::Value> = (first..(first + 10).min(events))
                    .map(|e| {
                        let data = serde_json::json!({
                            "id": format!("load-{e}"), "chatroom_id": room(to(e)),
                            "content": "a line of chat of the usual length, with an emote [emote:37226:KEKW]",
                            "type": "message", "sent_us": now_us(),
                            "sender": {"id": 1, "username": "load", "slug": "load", "identity": {"color": "#FF9D00", "badges": []}}
                        });
                        serde_json::json!({"channel": format!("chatrooms.{}.v2", room(to(e))),
                            "name": "App\\Events\\ChatMessageEvent", "data": data.to_string()})
                    })
                    .collect();
                let body = serde_json::json!({"batch": batch}).to_string();
                if let Err(e) = server.api_post(&format!("/apps/{APP_ID}/batch_events"), &body) {
                    eprintln!("trigger: {e}");
                }
            });
        }
    });
}

/// Waits until `want` events arrived or nothing arrived for 5 s; then the figures.
fn settle(seen: &Seen, want: u64, start_us: u64) -> (u64, f64) {
    let mut last = (seen.events.load(Ordering::Relaxed), Instant::now());
    loop {
        let n = seen.events.load(Ordering::Relaxed);
        if n >= want || last.1.elapsed() > Duration::from_secs(5) {
            let span = seen
                .last_us
                .load(Ordering::Relaxed)
                .saturating_sub(start_us)
                .max(1);
            return (n, n as f64 / (span as f64 / 1e6));
        }
        if n != last.0 {
            last = (n, Instant::now());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn percentiles(seen: &Seen) -> String {
    let mut l = seen.latencies.lock().unwrap().clone();
    l.sort_unstable();
    let at = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    format!(
        "p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        at(0.50) as f64 / 1000.0,
        at(0.99) as f64 / 1000.0,
        l.last().copied().unwrap_or(0) as f64 / 1000.0
    )
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(field)
                    .map(|v| v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0))
            })
        })
        .unwrap_or(0)
}

/// One phase: clients on `url`, `events` events, each delivered `per_event` times.
struct Phase<'a, C, T> {
    name: &'a str,
    url: &'a str,
    events: usize,
    /// The channels of client `j`.
    channels: C,
    /// The chat of event `e`.
    to: T,
    per_event: u64,
    /// The relay's process, for its memory (none for the baselines).
    relay: Option<u32>,
}

impl<C: Fn(usize) -> Vec<String>, T: Fn(usize) -> usize + Sync> Phase<'_, C, T> {
    /// Runs it and prints its line.
    fn run(&self, server: &Arc<Sockudo>, a: &Args) {
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, handles) = clients(self.url, a.clients, &self.channels, &stop);
        let start = now_us();
        let t = Instant::now();
        trigger(server, self.events, &self.to);
        let sent_in = t.elapsed();
        let want = self.events as u64 * self.per_event;
        let (n, rate) = settle(&seen, want, start);
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            let _ = h.join();
        }
        let rss = self.relay.map_or(String::new(), |pid| {
            format!(
                " relay_rss_kib={} relay_peak_rss_kib={}",
                rss_kib(pid, "VmRSS:"),
                rss_kib(pid, "VmHWM:")
            )
        });
        println!(
            "RELAY_LOAD phase={} clients={} events_sent={} deliveries={n}/{want} deliveries_per_s={rate:.0} trigger_s={:.2} {}{rss}",
            self.name,
            a.clients,
            self.events,
            sent_in.as_secs_f64(),
            percentiles(&seen),
        );
    }
}

fn main() {
    let a = args();
    let server = Arc::new(Sockudo::start(Options {
        max_connections: u32::try_from(a.chats + a.clients + 100).unwrap(),
        ..Options::default()
    }));
    let upstream = format!("ws://127.0.0.1:{}", server.port());
    let mut cmd = Command::new(&a.kickwire);
    cmd.args([
        "relay",
        "--url",
        &upstream,
        "--listen",
        "127.0.0.1:0",
        "--status",
        "0",
        "--no-alerts",
    ]);
    for i in 0..a.chats {
        cmd.args([
            "--chatroom",
            &room(i).to_string(),
            "--channel",
            &(1_000_000 + room(i)).to_string(),
        ]);
    }
    let mut relay: Child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the relay");
    let pid = relay.id();
    let err = BufReader::new(relay.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for l in err.lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let mut addr: Option<SocketAddr> = None;
    let mut connected = 0;
    let t = Instant::now();
    while connected < a.chats {
        let l = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("relay output");
        if let Some(rest) = l.split("Pusher endpoint at ws://").nth(1) {
            addr = rest.split('/').next().and_then(|s| s.parse().ok());
        }
        if l.contains("] connected") {
            connected += 1;
        }
    }
    std::thread::spawn(move || while rx.recv().is_ok() {});
    let addr = addr.expect("endpoint address");
    println!(
        "RELAY_LOAD upstream chats={} connected_in_s={:.1} relay_rss_kib={}",
        a.chats,
        t.elapsed().as_secs_f64(),
        rss_kib(pid, "VmRSS:")
    );
    let key = server.key().to_string();
    let relay_url = format!("ws://{addr}/app/{key}?protocol=7");
    let direct_url = format!("{}/app/{key}?protocol=7", upstream);
    let chats = a.chats;
    let spread = |j: usize| vec![format!("chatrooms.{}.v2", room(j % chats))];
    let spread_to = |e: usize| e % chats;
    // Baseline first: the same clients and events straight from sockudo.
    let hot = |_: usize| vec!["chatrooms.1.v2".to_string()];
    let phases = [
        ("spread-direct-baseline", &direct_url, None),
        ("spread-relay", &relay_url, Some(pid)),
    ];
    for (name, url, relay) in phases {
        let p = Phase {
            name,
            url,
            events: a.events,
            channels: spread,
            to: spread_to,
            per_event: 1,
            relay,
        };
        p.run(&server, &a);
    }
    let phases = [
        ("hot-direct-baseline", &direct_url, None),
        ("hot-relay", &relay_url, Some(pid)),
    ];
    for (name, url, relay) in phases {
        let p = Phase {
            name,
            url,
            events: a.hot,
            channels: hot,
            to: |_| 0,
            per_event: a.clients as u64,
            relay,
        };
        p.run(&server, &a);
    }
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
    let _ = relay.wait();
}
