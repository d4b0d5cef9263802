//! One upstream connection per relayed chat, each on its own thread: `watch`'s connection
//! (the same URL, transport and token logic), with every Kick event handed to the shared
//! [`Forwarder`] instead of printed, and the chat's alerts machine fed with what it forwards.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use kickwire_cli::alerts::json_value;
use kickwire_cli::relay::forward::Forwarder;
use kickwire_link::blocking::{Clock, OsRng, Polled, Socket};
use kickwire_link::net::Connector;
use kickwire_link::{Buffers, Config as LinkConfig, Link, Receive, TooBig};
use kickwire_proto::alerts::Alerts;
use kickwire_proto::conn::{Connection, Event, Instant, Received, State};
use kickwire_proto::{JsonEvent, redact};

use crate::target::{CONNECT_TIMEOUT, Target};
use crate::{lifecycle, print, watch};

/// The longest a thread sleeps between looks at the stop flag.
const TICK: Duration = Duration::from_millis(500);
/// As `watch`: the largest message (1 MiB), bytes read at a time, the largest frame written.
const MAX_MESSAGE: usize = 1 << 20;
const RX: usize = 16 * 1024;
const TX: usize = 16 * 1024;

/// What `/metrics` and the status line know of one upstream.
#[derive(Debug)]
pub struct Status {
    /// The chat as the user named it (`slug` or `chatroom/channel`).
    pub label: String,
    /// The chat's chatroom and channel ids, when known.
    pub room: Option<u64>,
    pub channel: Option<u64>,
    pub transport: &'static str,
    pub connected: AtomicBool,
    /// Connections opened (the first and every reconnect).
    pub connects: AtomicU64,
    /// Kick events received on this upstream, copies included.
    pub events: AtomicU64,
}

/// The relay's alert machine: proto's default capacities but for the ids and keys. Kick's
/// webhooks come minutes late, and a webhook copy is caught only while the realtime alert's
/// id or pairing key is still remembered: 1,024 chat ids (several minutes of a busy chat) and
/// 256 keys (an alert both ways can tell takes two for 10 minutes). 51 KB a chat, against 32.
pub type RelayAlerts = Alerts<
    { kickwire_proto::limits::ALERTS },
    1024,
    256,
    { kickwire_proto::limits::ALERT_GIFTS },
    { kickwire_proto::limits::ALERT_USERS },
>;

/// One chat's alert machine, shared by its upstream thread and the webhook server (a sub seen
/// on both ways in is one alert), and the room its alerts go out for.
pub struct ChatAlerts {
    pub room: u64,
    /// Boxed: about 51 KB.
    pub machine: Mutex<Box<RelayAlerts>>,
}

impl ChatAlerts {
    /// A machine that has seen nothing, for `room`.
    pub fn new(room: u64) -> Self {
        Self {
            room,
            machine: Mutex::new(Box::new(RelayAlerts::with_capacities())),
        }
    }

    /// The machine, whoever panicked while holding it (it stays a consistent machine).
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Box<RelayAlerts>> {
        self.machine.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes every alert the machine has ready on `kickwire-alerts.{room}`.
    pub fn publish(&self, machine: &mut RelayAlerts, forwarder: &Forwarder) {
        while let Some(alert) = machine.poll_alert() {
            forwarder.alert(self.room, &json_value(&alert, false).to_string());
        }
    }
}

/// Starts the upstream of `target` on its own thread; it runs until `stop` is set (then it
/// closes cleanly) or the server refuses it for good. `alerts`: the chat's alert machine.
pub fn spawn(
    label: String,
    target: Target,
    forwarder: Arc<Forwarder>,
    alerts: Option<Arc<ChatAlerts>>,
    clock: Clock,
    stop: Arc<AtomicBool>,
) -> Result<(Arc<Status>, JoinHandle<()>), String> {
    let status = Arc::new(Status {
        label: label.clone(),
        room: target.ids.map(|i| i.chatroom_id),
        channel: target.ids.map(|i| i.channel_id),
        transport: lifecycle::transport_name(target.transport),
        connected: AtomicBool::new(false),
        connects: AtomicU64::new(0),
        events: AtomicU64::new(0),
    });
    let conn =
        watch::connection(&target, &clock).map_err(|_| format!("{label}: cannot connect"))?;
    let shared = Arc::clone(&status);
    let handle = std::thread::Builder::new()
        .name(format!("upstream {label}"))
        // Each thread holds only its buffers (on the heap) and a small stack.
        .stack_size(256 * 1024)
        .spawn(move || {
            let relayed = Relayed {
                forwarder,
                alerts,
                status: shared,
                now: Instant::default(),
            };
            run(conn, &target, relayed, clock, &stop);
        })
        .map_err(|e| format!("{label}: cannot start a thread: {e}"))?;
    Ok((status, handle))
}

/// The connection's loop, as `watch`'s: carry out what the link asks, stop when asked, wait
/// for bytes or the next timer.
fn run(conn: Connection, target: &Target, mut relayed: Relayed, clock: Clock, stop: &AtomicBool) {
    let (mut rx, mut message, mut tx) = (vec![0u8; RX], vec![0u8; MAX_MESSAGE], vec![0u8; TX]);
    let buffers = Buffers {
        rx: &mut rx,
        message: &mut message,
        tx: &mut tx,
    };
    let config = LinkConfig {
        origin: target.origin.as_deref(),
        too_big: TooBig::Close,
        ..LinkConfig::default()
    };
    let label = relayed.status.label.clone();
    let mut link = match Link::new(conn, OsRng, buffers, config) {
        Ok(link) => link,
        Err(e) => {
            print::err(&format!("[relay {label}] cannot start: {e}"));
            return;
        }
    };
    let mut socket = Socket::new(Connector::new(CONNECT_TIMEOUT));
    link.connection_mut().connect(clock.now());
    let mut closing = false;
    loop {
        relayed.now = clock.now();
        relayed.alerts_due();
        while let Some(polled) = socket.poll(&mut link, clock.now(), &mut relayed) {
            relayed.polled(polled, &mut link, target, &clock);
        }
        if matches!(
            link.connection().state(),
            State::Disconnected | State::Failed
        ) {
            if !closing {
                print::err(&format!(
                    "[relay {label}] the server refused the connection for good; not retrying"
                ));
            }
            relayed.finish(clock.now());
            return;
        }
        if stop.load(Ordering::SeqCst) && !closing {
            closing = true;
            link.connection_mut().disconnect(clock.now());
            continue;
        }
        let now = clock.now().as_millis();
        let gift = relayed
            .alerts
            .as_ref()
            .and_then(|a| a.lock().poll_timeout());
        let wait = [link.poll_timeout(), gift]
            .into_iter()
            .flatten()
            .min()
            .map_or(TICK, |t| {
                Duration::from_millis(t.as_millis().saturating_sub(now))
            })
            .min(TICK);
        socket.wait(&mut link, wait, || clock.now());
    }
}

/// Where one upstream's messages go.
struct Relayed {
    forwarder: Arc<Forwarder>,
    /// The chat's alerts machine, unless `--no-alerts` (or its chatroom is not known).
    alerts: Option<Arc<ChatAlerts>>,
    status: Arc<Status>,
    /// When the messages being handled arrived.
    now: Instant,
}

impl Relayed {
    /// A lifecycle event or socket failure: noted for the status, reported on stderr.
    fn polled(
        &mut self,
        polled: Polled,
        link: &mut Link<'_, OsRng>,
        target: &Target,
        clock: &Clock,
    ) {
        let label = &self.status.label;
        let what = match polled {
            Polled::ConnectFailed(why) => format!("cannot connect: {why}"),
            Polled::Event(Event::TokenRequired { .. }) => match target.token.fetch() {
                Ok(token) => match link.connection_mut().set_token(clock.now(), &token) {
                    Ok(()) => return,
                    Err(e) => {
                        link.connection_mut().token_failed(clock.now());
                        format!("the token was refused: {e}")
                    }
                },
                Err(why) => {
                    link.connection_mut().token_failed(clock.now());
                    format!("no token: {why}")
                }
            },
            Polled::Event(e) => {
                match &e {
                    Event::Connected { .. } => {
                        self.status.connected.store(true, Ordering::Relaxed);
                        self.status.connects.fetch_add(1, Ordering::Relaxed);
                    }
                    Event::Reconnecting { .. } | Event::Disconnected { .. } => {
                        self.status.connected.store(false, Ordering::Relaxed);
                    }
                    _ => {}
                }
                lifecycle::line(&e)
            }
            _ => return,
        };
        print::err(&format!("[relay {label}] {what}"));
    }

    /// Gifts whose wait for a missing chunk is over.
    fn alerts_due(&mut self) {
        if let Some(chat) = &self.alerts {
            let mut machine = chat.lock();
            machine.handle_timeout(self.now);
            chat.publish(&mut machine, &self.forwarder);
        }
    }

    /// The end of the run: gifts still waiting go out with what came.
    fn finish(&mut self, now: Instant) {
        if let Some(chat) = &self.alerts {
            let mut machine = chat.lock();
            machine.finish(now);
            chat.publish(&mut machine, &self.forwarder);
        }
    }

    /// One Kick event: redacted, forwarded unless a copy, fed to the alerts machine.
    fn event(&mut self, event: &JsonEvent<'_>) {
        self.status.events.fetch_add(1, Ordering::Relaxed);
        let mut payload = event.payload.to_vec();
        let len = redact::redact(&mut payload).len;
        payload.truncate(len);
        let text = String::from_utf8_lossy(&payload);
        let channel = event.channel.as_str();
        let fresh = self
            .forwarder
            .event(self.now.as_millis(), channel, event.name.as_str(), &text);
        if fresh && let Some(chat) = &self.alerts {
            let redacted = JsonEvent {
                payload: &payload,
                ..event.clone()
            };
            let mut machine = chat.lock();
            // An event the machine cannot read makes no alert; it was forwarded all the same.
            let _ = machine.handle_json(self.now, &redacted);
            chat.publish(&mut machine, &self.forwarder);
        }
    }
}

impl Receive for Relayed {
    fn message(&mut self, _text: &[u8]) {}

    fn events(&mut self, mut received: Received<'_, '_>) {
        while let Some(event) = received.next_raw() {
            self.event(&event);
        }
    }
}
