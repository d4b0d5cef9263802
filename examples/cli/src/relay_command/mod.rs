//! `kickwire relay`: one upstream connection per Kick chat, each event forwarded once (Kick's
//! copies caught by fingerprint, secrets taken out) to the embedded Pusher endpoint
//! (`--listen`) and/or a Pusher HTTP API engine (`--publish`); the chat's alerts on
//! `kickwire-alerts.{room}`; Kick's signed webhooks verified and published on
//! `kickwire-official.{broadcaster_user_id}` (`--webhooks`); `/healthz` and `/metrics` on
//! both addresses.

mod options;
mod status;
mod upstream;
mod webhooks;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kickwire_cli::endpoint::{self, Endpoint};
use kickwire_cli::publish::{self, Publisher};
use kickwire_cli::relay::forward::Forwarder;
use kickwire_cli::relay::sink::Sink;
use kickwire_cli::webhook::{self, PublicKey, Webhook};
use kickwire_link::blocking::Clock;

pub use options::Options;

use crate::{print, target, watch};
use status::Parts;
use upstream::ChatAlerts;

/// How long the relay waits for the engine to take what is queued when it stops.
const PUBLISH_DRAIN: Duration = Duration::from_secs(5);

/// Runs the relay until Ctrl-C.
pub fn run(opts: &Options) -> ExitCode {
    let stop = watch::stop_on_ctrl_c();
    let parts = Arc::new(Parts::default());
    let threads = match start(opts, &parts, &stop) {
        Ok(t) => t,
        Err(msg) => {
            print::err(&format!("kickwire relay: {msg}"));
            return ExitCode::FAILURE;
        }
    };
    let mut last = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(200));
        if !opts.status_every.is_zero() && last.elapsed() >= opts.status_every {
            last = Instant::now();
            print::err(&format!("[relay] {}", parts.line()));
        }
    }
    print::err("[relay] stopping: closing the upstreams");
    for t in threads {
        let _ = t.join();
    }
    if let Some(p) = parts.publisher.get() {
        let left = p.shutdown(PUBLISH_DRAIN).left;
        if left > 0 {
            print::err(&format!(
                "[relay] {left} events not taken by the engine before the stop"
            ));
        }
    }
    if let Some(e) = parts.endpoint.get() {
        e.shutdown();
    }
    print::err(&format!("[relay] stopped: {}", parts.line()));
    ExitCode::SUCCESS
}

/// Starts every part: the sinks, the upstreams, the webhook server; the upstreams' threads.
fn start(
    opts: &Options,
    parts: &Arc<Parts>,
    stop: &Arc<AtomicBool>,
) -> Result<Vec<JoinHandle<()>>, String> {
    let clock = Clock::start();
    let _ = parts.clock.set(clock);
    let mut sinks: Vec<Arc<dyn Sink>> = Vec::new();
    if let Some(addr) = opts.listen {
        let config = endpoint::Config {
            http_handler: Some(parts.http()),
            ..endpoint::Config::default()
        };
        let e = Arc::new(
            Endpoint::bind(addr, config).map_err(|e| format!("cannot listen on {addr}: {e}"))?,
        );
        let local = e.local_addr();
        print::err(&format!(
            "[relay] Pusher endpoint at ws://{local}/app/<any key> (also /healthz, /metrics)"
        ));
        if !local.ip().is_loopback() {
            print::err(
                "[relay] listening beyond this machine: anyone who reaches it can subscribe",
            );
        }
        sinks.push(Arc::clone(&e) as Arc<dyn Sink>);
        let _ = parts.endpoint.set(e);
    }
    if let Some(p) = &opts.publish {
        let config = publish::Config::new(&p.url, &p.app_id, &p.app_key, &p.app_secret);
        let publisher = Arc::new(Publisher::start(config).map_err(|e| format!("--publish: {e}"))?);
        print::err(&format!("[relay] publishing into {}", p.url));
        sinks.push(Arc::clone(&publisher) as Arc<dyn Sink>);
        let _ = parts.publisher.set(publisher);
    }
    let forwarder = Arc::new(Forwarder::new(sinks));
    let _ = parts.forwarder.set(Arc::clone(&forwarder));
    if let Some(addr) = opts.webhooks {
        let webhook = Webhook::new(webhook::Config {
            replay_window: opts.webhook_window,
            ..webhook::Config::new(webhook_key(opts)?)
        });
        let _ = parts.webhook.set(Arc::new(Mutex::new(webhook)));
        let local = webhooks::serve(addr, Arc::clone(parts))
            .map_err(|e| format!("cannot listen on {addr} for webhooks: {e}"))?;
        print::err(&format!(
            "[relay] webhooks at http://{local}/kick/webhook (also /healthz, /metrics)"
        ));
    }
    let mut threads = Vec::new();
    let upstreams = opts.upstreams();
    for chat in &opts.chats {
        let mut alerts = None;
        for (i, url) in upstreams.iter().enumerate() {
            let label = match upstreams.len() {
                1 => chat.label(),
                _ => format!("{} #{}", chat.label(), i + 1),
            };
            let t = target::resolve(&opts.target_options(chat, *url))?;
            if t.ids.is_some_and(|ids| !opts.in_shard(ids.channel_id)) {
                print::err(&format!("[relay {label}] in another shard: skipped"));
                continue;
            }
            // One alert machine per chat, whichever upstream an event comes on.
            if alerts.is_none() && opts.alerts {
                alerts = t.ids.map(|ids| Arc::new(ChatAlerts::new(ids.chatroom_id)));
                if let (Some(chat), Some(user)) = (&alerts, t.broadcaster) {
                    // Kick's webhooks name the chat by its owner: their deliveries meet its
                    // alerts here.
                    parts
                        .chat_alerts
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(user, Arc::clone(chat));
                }
            }
            let (s, handle) = upstream::spawn(
                label,
                t,
                Arc::clone(&forwarder),
                alerts.clone(),
                clock,
                Arc::clone(stop),
            )?;
            parts
                .upstreams
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(s);
            threads.push(handle);
        }
    }
    Ok(threads)
}

/// Kick's key, or the PEM file given.
fn webhook_key(opts: &Options) -> Result<PublicKey, String> {
    let Some(path) = &opts.webhook_public_key else {
        return Ok(PublicKey::kick());
    };
    let pem = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    PublicKey::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))
}
