//! What the relay knows of itself: the parts it started (filled in as they start), the
//! Prometheus text of `/metrics` made from them, and the status line on stderr.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use kickwire_cli::endpoint::{self, Endpoint};
use kickwire_cli::publish::{self, Publisher};
use kickwire_cli::relay::forward::Forwarder;
use kickwire_cli::relay::metrics::{CONTENT_TYPE, Metrics};
use kickwire_cli::webhook::{Reason, Webhook};
use kickwire_link::blocking::Clock;

use super::upstream::{ChatAlerts, Status};

/// The relay's parts, each set once when it starts.
#[derive(Default)]
pub struct Parts {
    pub upstreams: Mutex<Vec<Arc<Status>>>,
    pub forwarder: OnceLock<Arc<Forwarder>>,
    pub endpoint: OnceLock<Arc<Endpoint>>,
    pub publisher: OnceLock<Arc<Publisher>>,
    pub webhook: OnceLock<Arc<Mutex<Webhook>>>,
    /// The relay's clock (the alert machines' time).
    pub clock: OnceLock<Clock>,
    /// Each relayed chat's alert machine by its owner's user id (what webhooks name).
    pub chat_alerts: Mutex<HashMap<u64, Arc<ChatAlerts>>>,
}

impl Parts {
    /// The `GET /healthz` and `GET /metrics` answers, for the endpoint's plain HTTP requests.
    pub fn http(self: &Arc<Self>) -> endpoint::HttpHandler {
        let parts = Arc::clone(self);
        Arc::new(
            move |req: &endpoint::Request| match (req.method.as_str(), req.path.as_str()) {
                ("GET", "/healthz") => endpoint::Response::text(200, "ok\n"),
                ("GET", "/metrics") => endpoint::Response::new(200, CONTENT_TYPE, parts.metrics()),
                _ => endpoint::Response::text(404, "not found\n"),
            },
        )
    }

    /// The Prometheus text of every part started.
    pub fn metrics(&self) -> String {
        let mut m = Metrics::default();
        self.upstream_metrics(&mut m);
        if let Some(f) = self.forwarder.get() {
            let c = &f.counts;
            // `received` first: see `Counts` (every event it counts has its outcome counted).
            let n = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::SeqCst);
            m.counter(
                "kickwire_events_received_total",
                "Kick events received upstream, copies included.",
                &[],
                n(&c.received),
            );
            m.counter(
                "kickwire_events_forwarded_total",
                "Kick events forwarded (once each).",
                &[],
                n(&c.forwarded),
            );
            m.counter(
                "kickwire_event_copies_total",
                "Kick events not forwarded: copies of one already forwarded.",
                &[],
                n(&c.copies),
            );
            m.counter(
                "kickwire_alerts_total",
                "Alerts published on kickwire-alerts.{room}.",
                &[],
                n(&c.alerts),
            );
        }
        if let Some(e) = self.endpoint.get() {
            endpoint_metrics(&mut m, &e.stats());
        }
        if let Some(p) = self.publisher.get() {
            publisher_metrics(&mut m, &p.stats());
        }
        if let Some(w) = self.webhook.get() {
            let w = w.lock().unwrap_or_else(PoisonError::into_inner);
            webhook_metrics(&mut m, w.counts());
        }
        m.text()
    }

    fn upstream_metrics(&self, m: &mut Metrics) {
        let ups = self
            .upstreams
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let labels = |s: &Status| {
            [
                ("chat", s.label.clone()),
                (
                    "chatroom",
                    s.room.map_or_else(String::new, |r| r.to_string()),
                ),
                (
                    "channel",
                    s.channel.map_or_else(String::new, |c| c.to_string()),
                ),
                ("transport", s.transport.to_string()),
            ]
        };
        for s in ups.iter() {
            let l = labels(s);
            let l: Vec<(&str, &str)> = l.iter().map(|(k, v)| (*k, v.as_str())).collect();
            m.gauge(
                "kickwire_upstream_connected",
                "1 while the chat's upstream connection is connected.",
                &l,
                u64::from(s.connected.load(Ordering::Relaxed)),
            );
        }
        for s in ups.iter() {
            let l = labels(s);
            let l: Vec<(&str, &str)> = l.iter().map(|(k, v)| (*k, v.as_str())).collect();
            m.counter(
                "kickwire_upstream_connects_total",
                "Connections opened to the upstream (the first and every reconnect).",
                &l,
                s.connects.load(Ordering::Relaxed),
            );
        }
        for s in ups.iter() {
            let l = labels(s);
            let l: Vec<(&str, &str)> = l.iter().map(|(k, v)| (*k, v.as_str())).collect();
            m.counter(
                "kickwire_upstream_events_total",
                "Kick events received on the chat's upstream, copies included.",
                &l,
                s.events.load(Ordering::Relaxed),
            );
        }
    }

    /// One line for stderr: upstreams connected, events in and out, clients, drops.
    pub fn line(&self) -> String {
        let ups = self
            .upstreams
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let up = ups
            .iter()
            .filter(|s| s.connected.load(Ordering::Relaxed))
            .count();
        let mut line = format!("upstreams {up}/{} connected", ups.len());
        if let Some(f) = self.forwarder.get() {
            let c = &f.counts;
            let _ = write!(
                line,
                ", events in {} out {} copies {}, alerts {}",
                c.received.load(Ordering::Relaxed),
                c.forwarded.load(Ordering::Relaxed),
                c.copies.load(Ordering::Relaxed),
                c.alerts.load(Ordering::Relaxed)
            );
        }
        if let Some(e) = self.endpoint.get() {
            let s = e.stats();
            let _ = write!(
                line,
                ", clients {} (slow dropped {})",
                s.clients_now, s.slow_clients_dropped
            );
        }
        if let Some(p) = self.publisher.get() {
            let s = p.stats();
            let _ = write!(
                line,
                ", published {} queued {} dropped {}",
                s.published,
                s.queued,
                s.dropped_total()
            );
        }
        line
    }
}

fn endpoint_metrics(m: &mut Metrics, s: &endpoint::Stats) {
    m.gauge(
        "kickwire_clients",
        "Clients connected to the endpoint now.",
        &[],
        s.clients_now,
    );
    m.counter(
        "kickwire_clients_total",
        "Clients accepted by the endpoint since the start.",
        &[],
        s.clients_total,
    );
    m.gauge(
        "kickwire_subscriptions",
        "Channel subscriptions of the connected clients.",
        &[],
        s.subscriptions_now,
    );
    m.counter(
        "kickwire_frames_out_total",
        "Frames sent to clients.",
        &[],
        s.frames_out,
    );
    m.counter(
        "kickwire_clients_dropped_total",
        "Clients closed by the endpoint, by reason.",
        &[("reason", "slow")],
        s.slow_clients_dropped,
    );
    m.counter(
        "kickwire_clients_dropped_total",
        "",
        &[("reason", "activity_timeout")],
        s.activity_timeouts,
    );
    m.counter(
        "kickwire_clients_dropped_total",
        "",
        &[("reason", "over_capacity")],
        s.refused_over_capacity,
    );
    m.counter(
        "kickwire_client_bad_messages_total",
        "Client messages the endpoint could not read.",
        &[],
        s.bad_client_messages,
    );
}

fn publisher_metrics(m: &mut Metrics, s: &publish::Stats) {
    let queued = u64::try_from(s.queued).unwrap_or(u64::MAX);
    m.gauge(
        "kickwire_publish_queued",
        "Events waiting to be published into the engine.",
        &[],
        queued,
    );
    m.counter(
        "kickwire_publish_events_total",
        "Events the engine accepted.",
        &[],
        s.published,
    );
    m.counter(
        "kickwire_publish_requests_total",
        "HTTP requests sent to the engine.",
        &[],
        s.requests,
    );
    m.counter(
        "kickwire_publish_retries_total",
        "Requests sent again after a failure.",
        &[],
        s.retries,
    );
    let up = u64::from(matches!(s.engine, publish::Engine::Up));
    m.gauge(
        "kickwire_publish_engine_up",
        "1 while the engine answers.",
        &[],
        up,
    );
    let help = "Events not published, by reason.";
    m.counter(
        "kickwire_publish_dropped_total",
        help,
        &[("reason", "queue_full")],
        s.dropped(publish::DropReason::QueueFull),
    );
    m.counter(
        "kickwire_publish_dropped_total",
        help,
        &[("reason", "too_large")],
        s.dropped(publish::DropReason::TooLarge),
    );
    m.counter(
        "kickwire_publish_dropped_total",
        help,
        &[("reason", "invalid_name")],
        s.dropped(publish::DropReason::InvalidName),
    );
    for (reason, n) in &s.dropped {
        if let publish::DropReason::Rejected(_) = reason {
            let label = reason.label();
            m.counter(
                "kickwire_publish_dropped_total",
                help,
                &[("reason", &label)],
                *n,
            );
        }
    }
}

fn webhook_metrics(m: &mut Metrics, c: &kickwire_cli::webhook::Counts) {
    let help = "Webhook requests, by what became of them.";
    m.counter(
        "kickwire_webhooks_total",
        help,
        &[("result", "delivered")],
        c.delivered,
    );
    m.counter(
        "kickwire_webhooks_total",
        help,
        &[("result", "duplicate")],
        c.duplicates,
    );
    m.counter(
        "kickwire_webhooks_total",
        help,
        &[("result", "unroutable")],
        c.unroutable,
    );
    for r in Reason::ALL {
        m.counter(
            "kickwire_webhooks_total",
            help,
            &[("result", r.name())],
            c.rejected(r),
        );
    }
}
