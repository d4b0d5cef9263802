//! A bounded soak: 100,000 chat events through the real Pusher-protocol server (sockudo on
//! 127.0.0.1) to `kickwire watch --json`, each carrying its sequence number. Reports lost,
//! duplicated and reordered events (the goal is none) and the CLI's peak memory.
//!
//! Events are published at a steady `KICKWIRE_SOAK_RATE` per second (default 2,000: forty
//! times a busy Kick chat). Unpaced, the HTTP API publishes about 11,000 events/s, more than
//! the debug-build CLI prints (about 3,000/s), and sockudo then does what Pusher does with a
//! slow consumer: it buffers 1,000 messages and drops the connection (`disconnect_on_buffer_full`),
//! losing what was in flight. The soak measures kickwire, not that policy, so it is paced, and
//! any reconnect is reported.
//!
//! Ignored by default (about a minute); `scripts/test.sh` runs it with `--ignored --nocapture`
//! so that its figures land in the CI log. `KICKWIRE_SOAK_EVENTS` changes the count.

mod common;

use std::time::{Duration, Instant};

use common::Cli;
use kickwire_tests::sockudo::{APP_ID, Options, Sockudo};

const CHANNEL: &str = "chatrooms.2507974.v2";
/// Events per HTTP API request (Pusher's batch limit).
const BATCH: usize = 10;

fn chat(seq: usize) -> String {
    format!(
        r##"{{"id":"soak-{seq}","chatroom_id":2507974,"content":"seq {seq} [emote:37226:KEKW] ça va 😀","type":"message","created_at":"2026-11-23T12:00:00+00:00","sender":{{"id":1,"username":"soaker","slug":"soaker","identity":{{"color":"#FF9D00","badges":[{{"type":"subscriber","text":"Subscriber","count":3}}]}}}}}}"##
    )
}

#[test]
#[ignore = "about a minute; scripts/test.sh runs it"]
fn soak_100k_events_none_lost_duplicated_or_reordered() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let total = env("KICKWIRE_SOAK_EVENTS", 100_000);
    let rate = env("KICKWIRE_SOAK_RATE", 2_000).max(BATCH);
    let server = Sockudo::start(Options::default());
    let url = format!("ws://127.0.0.1:{}", server.port());
    let max = total.to_string();
    let cli = Cli::start(&[
        "watch",
        "--url",
        &url,
        "--subscribe",
        CHANNEL,
        "--json",
        "--max-events",
        &max,
    ]);
    assert!(
        cli.until(Duration::from_secs(15), |v| v["type"] == "Subscribed")
            .0,
        "not subscribed"
    );

    let started = Instant::now();
    // Publish from a thread while this one reads, so neither side waits for the other.
    let publisher = {
        let batches: Vec<String> = (0..total)
            .collect::<Vec<_>>()
            .chunks(BATCH)
            .map(|seqs| {
                let batch: Vec<_> = seqs
                    .iter()
                    .map(|&s| serde_json::json!({"channel": CHANNEL, "name": "App\\Events\\ChatMessageEvent", "data": chat(s)}))
                    .collect();
                serde_json::json!({ "batch": batch }).to_string()
            })
            .collect();
        let server = &server;
        std::thread::scope(|scope| {
            let handle = scope.spawn(move || {
                for (i, body) in batches.iter().enumerate() {
                    // Pace: batch i is due at i * BATCH / rate seconds.
                    let due = Duration::from_secs_f64((i * BATCH) as f64 / rate as f64);
                    if let Some(wait) = due.checked_sub(started.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    server
                        .api_post(&format!("/apps/{APP_ID}/batch_events"), body)
                        .unwrap_or_else(|e| panic!("batch {i}: {e:?}"));
                }
                started.elapsed()
            });
            // Read every event line; bounded by a quiet period after the last one.
            let mut seen = vec![false; total];
            let (mut received, mut duplicated, mut reordered, mut max_seq) =
                (0usize, 0usize, 0usize, None::<usize>);
            let mut reconnects = 0usize;
            let mut peak_kib = 0u64;
            while received < total {
                let Some(line) = cli.line(Duration::from_secs(10)) else {
                    break;
                };
                if received % 1000 == 0 {
                    peak_kib = peak_kib.max(cli.peak_rss_kib().unwrap_or(0));
                }
                let v: serde_json::Value = serde_json::from_str(&line).unwrap();
                if v["type"] == "Reconnecting" {
                    reconnects += 1;
                    eprintln!("soak: {v}");
                }
                if v["type"] != "ChatMessage" {
                    continue;
                }
                let content = v["content"].as_str().unwrap();
                let seq: usize = content.split(' ').nth(1).unwrap().parse().unwrap();
                received += 1;
                if std::mem::replace(&mut seen[seq], true) {
                    duplicated += 1;
                }
                if max_seq.is_some_and(|m| seq < m) {
                    reordered += 1;
                }
                max_seq = Some(max_seq.map_or(seq, |m| m.max(seq)));
            }
            peak_kib = peak_kib.max(cli.peak_rss_kib().unwrap_or(0));
            let publish_time = handle.join().unwrap();
            let elapsed = started.elapsed();
            let lost = seen.iter().filter(|s| !**s).count();
            eprintln!(
                "SOAK events={total} rate={rate}/s received={received} lost={lost} duplicated={duplicated} \
                 reordered={reordered} reconnects={reconnects} publish_s={:.1} total_s={:.1} events_per_s={:.0} \
                 cli_peak_rss_kib={peak_kib}",
                publish_time.as_secs_f64(),
                elapsed.as_secs_f64(),
                received as f64 / elapsed.as_secs_f64()
            );
            (lost, duplicated, reordered)
        })
    };
    let (code, stderr) = cli.wait(Duration::from_secs(20));
    assert_eq!(publisher, (0, 0, 0), "lost, duplicated, reordered");
    assert_eq!(code, Some(0), "{stderr}");
}
