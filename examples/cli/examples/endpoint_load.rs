//! Load check of the relay's Pusher endpoint (not a test: it asserts nothing about time).
//!
//! This process runs one endpoint and publishes; a child process (this program again, with
//! `--clients`) runs `CLIENTS` WebSocket clients (tungstenite, one small thread each: the load
//! generator may use threads, the endpoint may not), client `i` subscribed to channel
//! `i % CHANNELS`. `EVENTS` events go round-robin over the channels at `RATE` events/s (0: as
//! fast as `publish` goes), each carrying its publish time (the wall clock, shared by both
//! processes); each client records the delay to its receipt. Printed: deliveries/s,
//! p50/p99/max latency, the endpoint's counters, and the peak RSS of the endpoint's process
//! alone (the clients live in the child).
//!
//! ```text
//! cargo run --release -p kickwire-cli --example endpoint_load -- [CLIENTS CHANNELS EVENTS RATE]
//! ```
//! Defaults: 1000 1000 200000 20000 (the issue's 1,000 channels x 1,000 clients).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kickwire_cli::endpoint::{Config, Endpoint};
use tungstenite::Message;

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--clients") {
        return clients(&args[1], args[2].parse().unwrap(), args[3].parse().unwrap());
    }
    let arg = |i: usize, default: u64| args.get(i).map_or(default, |a| a.parse().expect("numbers"));
    let (clients, channels, events, rate) =
        (arg(0, 1000), arg(1, 1000), arg(2, 200_000), arg(3, 20_000));

    let endpoint = Endpoint::bind("127.0.0.1:0".parse().unwrap(), Config::default()).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--clients",
            &endpoint.local_addr().to_string(),
            &clients.to_string(),
            &channels.to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    eprintln!("{ready}");

    let start = Instant::now();
    for k in 0..events {
        if rate > 0 && k % 64 == 0 {
            let due = start + Duration::from_secs_f64(k as f64 / rate as f64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        let channel = format!("load-{}", k % channels);
        endpoint.publish(
            &channel,
            "App\\Events\\ChatMessageEvent",
            &now_ns().to_string(),
        );
    }
    let published_in = start.elapsed();
    for c in 0..channels {
        endpoint.publish(&format!("load-{c}"), "end", "end");
    }
    println!(
        "published {events} events in {published_in:.2?} ({:.0}/s, asked {rate}/s); expected deliveries {}",
        events as f64 / published_in.as_secs_f64(),
        events * clients / channels
    );
    for line in lines.map_while(Result::ok) {
        println!("{line}");
    }
    child.wait().unwrap();
    println!("{:?}", endpoint.stats());
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
    {
        println!("endpoint process (endpoint + publisher, no clients) {line}");
    }
}

/// The child: `count` clients; prints "ready", then the delivery figures once every client
/// has seen its channel's "end" event.
fn clients(addr: &str, count: usize, channels: usize) {
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let threads: Vec<_> = (0..count)
        .map(|i| {
            let ready_tx = ready_tx.clone();
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let stream = TcpStream::connect(addr).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(60)))
                        .unwrap();
                    let (mut ws, _) =
                        tungstenite::client::client(format!("ws://{addr}/app/key"), stream)
                            .unwrap();
                    ws.read().unwrap(); // connection_established
                    let subscribe = format!(
                        r#"{{"event":"pusher:subscribe","data":{{"channel":"load-{}"}}}}"#,
                        i % channels
                    );
                    ws.send(Message::text(subscribe)).unwrap();
                    ws.read().unwrap(); // subscription_succeeded
                    ready_tx.send(()).unwrap();
                    let mut latencies = Vec::new();
                    while let Ok(Message::Text(text)) = ws.read() {
                        let received = now_ns();
                        // `..."data":"<publish time in ns>"}`; the "end" event does not parse.
                        let sent = text
                            .as_str()
                            .rsplit_once(r#""data":""#)
                            .and_then(|(_, t)| t.trim_end_matches("\"}").parse::<u64>().ok());
                        let Some(sent) = sent else { break };
                        latencies.push(received.saturating_sub(sent));
                    }
                    latencies
                })
                .unwrap()
        })
        .collect();
    let start = Instant::now();
    for _ in 0..count {
        ready_rx
            .recv_timeout(Duration::from_secs(120))
            .expect("clients not ready");
    }
    println!(
        "{count} clients on {channels} channels ready in {:.2?}",
        start.elapsed()
    );
    let mut latencies: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let ms = |ns: u64| ns as f64 / 1e6;
    println!("delivered {}", latencies.len());
    println!(
        "latency publish -> client: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(pct(1.0))
    );
}
