//! The simulator's loop: the board's link and connection over a blocking std socket
//! (`kickwire_link::blocking`), the board's frames drawn at a steady rate.
//!
//! The loop is named steps ([`Sim::run`]): carry out what the link asks, see whether the run
//! is over, close when it is time, draw a frame when one is due, wait for bytes or a timer.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kickwire_board::memory::{LINK_MESSAGE, LINK_RX, LINK_TX};
use kickwire_board::{Alert, Config as BoardConfig, Machine};
use kickwire_link::blocking::{Clock, OsRng, Polled, Socket};
use kickwire_link::net::Connector;
use kickwire_link::{self as link, Buffers, Link, Receive};
use kickwire_proto::Transport;
use kickwire_proto::conn::{self, Connection, Event, Received, State};

use crate::options::Options;
use crate::output::{Frames, Pngs, Terminal};
use crate::strip::{self, Strip};

/// The longest the loop sleeps or blocks on a read.
const TICK: Duration = Duration::from_millis(200);
/// Bound on the TCP connect, the TLS handshake and each write.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Bound on the actions carried out in one go (the link stops long before).
const MAX_ACTIONS: usize = 10_000;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Frames drawn.
    pub frames: u64,
    /// Alerts shown: one per happening the board reacts to, Kick's copies of it merged (a
    /// sub's five events are one, a gift's chunks are one).
    pub alerts: u64,
    /// Kick events that were copies of a happening already shown (the machine's `copies`
    /// and `duplicates`).
    pub copies: u32,
    /// Times the connection came up.
    pub connects: u64,
    /// Messages the link dropped (too big, or binary).
    pub dropped_messages: u32,
    /// Alerts the board's queue dropped.
    pub dropped_alerts: u32,
}

/// What the status line shows.
struct Status {
    state: State,
    subscribed: usize,
    last: String,
}

/// Where the outputs go.
struct Outputs {
    terminal: Option<Terminal>,
    frames: Option<Frames>,
    pngs: Option<Pngs>,
}

impl Outputs {
    fn open(o: &Options) -> Result<Self, String> {
        Ok(Self {
            terminal: (!o.quiet).then(Terminal::new),
            frames: match &o.frames {
                Some(p) => {
                    Some(Frames::create(p).map_err(|e| format!("--frames {}: {e}", p.display()))?)
                }
                None => None,
            },
            pngs: match &o.png {
                Some(d) => {
                    Some(Pngs::create(d).map_err(|e| format!("--png {}: {e}", d.display()))?)
                }
                None => None,
            },
        })
    }

    fn event(&mut self, t_ms: u64, text: &str) -> Result<(), String> {
        if self.terminal.is_some() {
            // Above the status line, which the next frame redraws.
            let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}{text}", if tty { "\r\x1b[K" } else { "" });
        }
        if let Some(f) = self.frames.as_mut() {
            f.event(t_ms, text)
                .map_err(|e| format!("cannot write the frames file: {e}"))?;
        }
        Ok(())
    }

    fn frame(
        &mut self,
        now: u64,
        status: &Status,
        leds: &[kickwire_board::Rgb],
    ) -> Result<(), String> {
        if let Some(t) = self.terminal.as_mut() {
            let last = if status.last.is_empty() {
                "no alert yet"
            } else {
                &status.last
            };
            let line = format!(
                "{} · {} channel(s) · {last}",
                status.state.as_str(),
                status.subscribed
            );
            t.draw(now, leds, &line);
        }
        if let Some(f) = self.frames.as_mut() {
            f.frame(now, status.state.as_str(), status.subscribed, leds)
                .map_err(|e| format!("cannot write the frames file: {e}"))?;
        }
        if let Some(p) = self.pngs.as_mut() {
            p.frame(leds)
                .map_err(|e| format!("cannot write a PNG frame: {e}"))?;
        }
        Ok(())
    }
}

/// The board's alert machine, fed the Kick events of the messages the link processes, and the
/// alerts it made until the loop takes them.
#[derive(Default)]
struct Incoming {
    machine: Machine,
    /// When the messages being processed arrived (set before each poll of the link).
    now: conn::Instant,
    alerts: Vec<Alert>,
}

impl Receive for Incoming {
    // Events left as JSON, as the firmware takes them: Kick's copies of one happening merged,
    // a gift's chunks joined into one burst.
    fn events(&mut self, mut received: Received<'_, '_>) {
        while let Some(event) = received.next_raw() {
            self.machine
                .handle_json(self.now, &event, |a| self.alerts.push(a));
        }
    }
}

/// Runs until the duration ends (or forever).
///
/// # Errors
/// A message for what cannot work: a bad option value, an output file that cannot be written.
pub fn run(o: &Options) -> Result<Summary, String> {
    run_until(o, &AtomicBool::new(false))
}

/// [`run`], also ending (with a clean close) soon after `stop` is set: for tests and
/// embedders.
///
/// # Errors
/// As [`run`].
pub fn run_until(o: &Options, stop: &AtomicBool) -> Result<Summary, String> {
    let clock = Clock::start();
    let config = conn::Config {
        rng_seed: clock.seed(),
        ..conn::Config::default()
    };
    let mut conn = Connection::new(Transport::Pusher, &o.url, config)
        .map_err(|e| format!("--url {}: {e}", o.url))?;
    for ch in &o.channels {
        conn.subscribe(ch)
            .map_err(|e| format!("cannot subscribe to '{ch}': {e}"))?;
    }
    // The firmware's own buffer sizes, so that running the simulator tests them too.
    let (mut rx, mut msg, mut tx) = (
        vec![0u8; LINK_RX],
        vec![0u8; LINK_MESSAGE],
        vec![0u8; LINK_TX],
    );
    let buffers = Buffers {
        rx: &mut rx,
        message: &mut msg,
        tx: &mut tx,
    };
    let mut link =
        Link::new(conn, OsRng, buffers, link::Config::default()).map_err(|e| e.to_string())?;
    let mut sim = Sim::new(o, clock)?;
    sim.out
        .event(sim.ms(), &format!("connecting to {}", o.url))?;
    link.connection_mut().connect(clock.now());
    sim.run(&mut link, stop)?;
    if let Some(t) = sim.out.terminal.as_ref() {
        t.finish();
    }
    sim.summary.dropped_messages = link.dropped_messages();
    sim.summary.dropped_alerts = sim.board.dropped();
    let stats = sim.incoming.machine.stats();
    sim.summary.copies = stats.copies.saturating_add(stats.duplicates);
    Ok(sim.summary)
}

/// One run: the board, its outputs, the socket and the clock.
struct Sim {
    clock: Clock,
    socket: Socket,
    board: Box<dyn Strip>,
    out: Outputs,
    status: Status,
    summary: Summary,
    incoming: Incoming,
    /// Milliseconds between frames.
    period: u64,
    next_frame_ms: u64,
    /// When `--duration` ends the run.
    end_ms: Option<u64>,
    /// The close is under way.
    closing: bool,
}

impl Sim {
    fn new(o: &Options, clock: Clock) -> Result<Self, String> {
        let board_config = BoardConfig {
            max_brightness: o.brightness,
        };
        let board = strip::new(o.leds, board_config)
            .ok_or_else(|| format!("--leds: {} is not a supported strip length", o.leds))?;
        Ok(Self {
            clock,
            socket: Socket::new(Connector::new(CONNECT_TIMEOUT)),
            board,
            out: Outputs::open(o)?,
            status: Status {
                state: State::Initialized,
                subscribed: 0,
                last: String::new(),
            },
            summary: Summary::default(),
            incoming: Incoming::default(),
            period: 1000 / u64::from(o.fps.max(1)),
            next_frame_ms: 0,
            end_ms: o
                .duration
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            closing: false,
        })
    }

    fn ms(&self) -> u64 {
        self.clock.now().as_millis()
    }

    /// The loop, until the close asked for (`stop`, `--duration`) is done.
    fn run(&mut self, link: &mut Link<'_, OsRng>, stop: &AtomicBool) -> Result<(), String> {
        loop {
            self.carry_out(link)?;
            if self.closed(link) {
                return Ok(());
            }
            if self.time_to_close(stop) {
                self.closing = true;
                link.connection_mut().disconnect(self.clock.now());
                continue; // write the close frame, then leave
            }
            self.draw_if_due()?;
            self.wait(link);
        }
    }

    /// Everything the link has to say, in order: its actions carried out on the socket, the
    /// alerts of each message pushed to the board, its lifecycle events shown.
    fn carry_out(&mut self, link: &mut Link<'_, OsRng>) -> Result<(), String> {
        for _ in 0..MAX_ACTIONS {
            let now = self.ms();
            self.incoming.now = self.clock.now();
            // A gift missing a chunk is shown when its wait ends.
            let incoming = &mut self.incoming;
            incoming
                .machine
                .handle_timeout(incoming.now, |a| incoming.alerts.push(a));
            let polled = self.socket.poll(link, self.clock.now(), &mut self.incoming);
            self.push_alerts(now)?;
            match polled {
                None => break,
                Some(Polled::ConnectFailed(why)) => self.out.event(now, &why)?,
                Some(Polled::Event(e)) => self.lifecycle(&e, now)?,
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn push_alerts(&mut self, now: u64) -> Result<(), String> {
        for alert in std::mem::take(&mut self.incoming.alerts) {
            self.summary.alerts += 1;
            self.board.push(alert, now);
            self.status.last = format!("{alert:?}");
            self.out.event(now, &format!("alert: {alert:?}"))?;
        }
        Ok(())
    }

    /// The close is done: the connection is down for good.
    fn closed(&self, link: &Link<'_, OsRng>) -> bool {
        let down = matches!(
            link.connection().state(),
            State::Disconnected | State::Failed
        );
        self.closing && down
    }

    /// `stop` set or `--duration` over, and no close under way yet.
    fn time_to_close(&self, stop: &AtomicBool) -> bool {
        let over = self.end_ms.is_some_and(|end| self.ms() >= end);
        !self.closing && (stop.load(Ordering::Relaxed) || over)
    }

    /// A frame when one is due, to every output.
    fn draw_if_due(&mut self) -> Result<(), String> {
        let now = self.ms();
        if now < self.next_frame_ms {
            return Ok(());
        }
        let leds = self.board.frame(now);
        self.summary.frames += 1;
        self.out.frame(now, &self.status, &leds)?;
        self.next_frame_ms = self
            .next_frame_ms
            .saturating_add(self.period)
            .max(now.saturating_add(1));
        Ok(())
    }

    /// Waits for bytes, the link's next timer, the end of a gift's wait for its chunks, the
    /// next frame or the end of `--duration`.
    fn wait(&mut self, link: &mut Link<'_, OsRng>) {
        let mut wake = self.next_frame_ms;
        for t in [link.poll_timeout(), self.incoming.machine.poll_timeout()]
            .into_iter()
            .flatten()
        {
            wake = wake.min(t.as_millis());
        }
        if let Some(end) = self.end_ms.filter(|_| !self.closing) {
            wake = wake.min(end);
        }
        let wait = Duration::from_millis(wake.saturating_sub(self.ms()))
            .clamp(Duration::from_millis(1), TICK);
        let clock = self.clock;
        self.socket.wait(link, wait, || clock.now());
    }

    /// A lifecycle event: the board's online pixel, the status line, the log.
    fn lifecycle(&mut self, e: &Event, now: u64) -> Result<(), String> {
        let text = match e {
            Event::StateChanged { current, .. } => {
                self.status.state = *current;
                self.board.set_online(*current == State::Connected, now);
                format!("state: {}", current.as_str())
            }
            Event::Connected { socket_id, .. } => {
                self.summary.connects += 1;
                format!("connected (socket {})", socket_id.as_str())
            }
            Event::Subscribed { channel } => {
                self.status.subscribed += 1;
                format!("subscribed to {}", channel.as_str())
            }
            Event::Disconnected {
                code,
                reason,
                will_retry,
            } => {
                self.status.subscribed = 0;
                disconnected(*code, reason.as_str(), *will_retry)
            }
            Event::Reconnecting { after, reason } => {
                format!("reconnecting in {} ms: {reason}", after.as_millis())
            }
            other => format!("{other:?}"),
        };
        self.out.event(now, &text)
    }
}

/// `disconnected (code 1006, no reason), will retry`.
fn disconnected(code: Option<u16>, reason: &str, will_retry: bool) -> String {
    format!(
        "disconnected (code {}, {}){}",
        code.map_or("none".to_string(), |c| c.to_string()),
        if reason.is_empty() {
            "no reason"
        } else {
            reason
        },
        if will_retry { ", will retry" } else { "" }
    )
}
