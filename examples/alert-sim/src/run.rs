//! The simulator's loop: the board's link and connection over a blocking std socket, the
//! board's frames drawn at a steady rate.

use std::io::{ErrorKind, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant as StdInstant};

use kickwire_board::link::{self, Action, Buffers, Link, Url};
use kickwire_board::memory::{LINK_MESSAGE, LINK_RX, LINK_TX};
use kickwire_board::{Alert, Config as BoardConfig};
use kickwire_proto::Transport;
use kickwire_proto::conn::{self, Connection, Event, Instant, State};

use crate::net::{self, Stream};
use crate::options::Options;
use crate::output::{Frames, Pngs, Terminal};
use crate::strip::{self, Strip};

/// The longest the loop sleeps or blocks on a read.
const TICK: Duration = Duration::from_millis(200);

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Frames drawn.
    pub frames: u64,
    /// Kick events received that the board reacts to.
    pub alerts: u64,
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
}

/// The socket, through the link: what an `Action` asked for.
enum Done {
    Nothing,
    Connected(Stream),
    ConnectFailed(String),
    WriteFailed(String),
    Closed,
    Event(Box<Event>),
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
    let start = StdInstant::now();
    let ms = || u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    let config = conn::Config {
        rng_seed: u64::from(std::process::id()) ^ (start.elapsed().as_nanos() as u64),
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
    let mut link = Link::new(conn, rand_core::OsRng, buffers, link::Config::default())
        .map_err(|e| e.to_string())?;
    let board_config = BoardConfig {
        max_brightness: o.brightness,
    };
    let mut board: Box<dyn Strip> = strip::new(o.leds, board_config)
        .ok_or_else(|| format!("--leds: {} is not a supported strip length", o.leds))?;
    let mut out = Outputs {
        terminal: (!o.quiet).then(Terminal::new),
        frames: match &o.frames {
            Some(p) => {
                Some(Frames::create(p).map_err(|e| format!("--frames {}: {e}", p.display()))?)
            }
            None => None,
        },
        pngs: match &o.png {
            Some(d) => Some(Pngs::create(d).map_err(|e| format!("--png {}: {e}", d.display()))?),
            None => None,
        },
    };
    let end_ms = o
        .duration
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut status = Status {
        state: State::Initialized,
        subscribed: 0,
        last: String::new(),
    };
    let mut summary = Summary::default();
    let mut socket: Option<Stream> = None;
    let mut next_frame_ms = 0u64;
    let mut closing = false;
    out.event(ms(), &format!("connecting to {}", o.url))?;
    link.connection_mut().connect(Instant::from_millis(ms()));
    loop {
        // 1. Everything the link has to say, in order.
        for _ in 0..10_000 {
            let now = ms();
            let mut alerts = Vec::new();
            let done = match link.poll(Instant::from_millis(now), |raw| {
                alerts.extend(Alert::from_json(raw));
            }) {
                None => None,
                Some(Action::Connect(url)) => Some(connect(&url)),
                Some(Action::Write(bytes)) => Some(match socket.as_mut() {
                    Some(s) => match s.write_all(bytes).and_then(|()| s.flush()) {
                        Ok(()) => Done::Nothing,
                        Err(e) => Done::WriteFailed(format!("write failed: {e}")),
                    },
                    None => Done::Nothing,
                }),
                Some(Action::Close) => Some(Done::Closed),
                Some(Action::Event(e)) => Some(Done::Event(Box::new(e))),
            };
            for alert in alerts {
                summary.alerts += 1;
                board.push(alert, now);
                status.last = format!("{alert:?}");
                out.event(now, &format!("alert: {alert:?}"))?;
            }
            let Some(done) = done else { break };
            let at = Instant::from_millis(now);
            match done {
                Done::Nothing => {}
                Done::Connected(s) => {
                    socket = Some(s);
                    link.handle_connected(at);
                }
                Done::ConnectFailed(why) => {
                    out.event(now, &why)?;
                    link.handle_connect_failed(at, &why);
                }
                Done::WriteFailed(why) => {
                    socket = None;
                    link.handle_closed(at, &why);
                }
                Done::Closed => {
                    if let Some(s) = socket.take() {
                        let _ = s.tcp().shutdown(std::net::Shutdown::Both);
                    }
                }
                Done::Event(e) => {
                    lifecycle(&e, now, &mut status, &mut summary, &mut *board, &mut out)?
                }
            }
        }
        let now = ms();
        if closing
            && matches!(
                link.connection().state(),
                State::Disconnected | State::Failed
            )
        {
            break;
        }
        let stopped = stop.load(Ordering::Relaxed);
        if !closing && (stopped || end_ms.is_some_and(|end| now >= end)) {
            closing = true;
            link.connection_mut().disconnect(Instant::from_millis(now));
            continue; // write the close frame, then leave
        }
        // 2. A frame when one is due.
        if now >= next_frame_ms {
            let leds = board.frame(now);
            summary.frames += 1;
            if let Some(t) = out.terminal.as_mut() {
                let line = format!(
                    "{} · {} channel(s) · {}",
                    status.state.as_str(),
                    status.subscribed,
                    if status.last.is_empty() {
                        "no alert yet"
                    } else {
                        &status.last
                    }
                );
                t.draw(now, &leds, &line);
            }
            if let Some(f) = out.frames.as_mut() {
                f.frame(now, status.state.as_str(), status.subscribed, &leds)
                    .map_err(|e| format!("cannot write the frames file: {e}"))?;
            }
            if let Some(p) = out.pngs.as_mut() {
                p.frame(&leds)
                    .map_err(|e| format!("cannot write a PNG frame: {e}"))?;
            }
            let period = 1000 / u64::from(o.fps.max(1));
            next_frame_ms = next_frame_ms
                .saturating_add(period)
                .max(now.saturating_add(1));
        }
        // 3. Wait for bytes, the next timer or the next frame.
        let mut wake = next_frame_ms;
        if let Some(t) = link.poll_timeout() {
            wake = wake.min(t.as_millis());
        }
        if let Some(end) = end_ms.filter(|_| !closing) {
            wake = wake.min(end);
        }
        let wait =
            Duration::from_millis(wake.saturating_sub(ms())).clamp(Duration::from_millis(1), TICK);
        match socket.as_mut() {
            None => std::thread::sleep(wait),
            Some(s) => {
                let _ = s.tcp().set_read_timeout(Some(wait));
                let buf = link.read_buf();
                if buf.is_empty() {
                    std::thread::sleep(wait);
                } else {
                    match s.read(buf) {
                        Ok(0) => {
                            socket = None;
                            link.handle_closed(Instant::from_millis(ms()), "closed by the server");
                        }
                        Ok(n) => link.handle_read(n),
                        Err(e)
                            if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                        Err(e) => {
                            socket = None;
                            link.handle_closed(
                                Instant::from_millis(ms()),
                                &format!("read failed: {e}"),
                            );
                        }
                    }
                }
            }
        }
        // 4. Timers.
        let now = Instant::from_millis(ms());
        if link.poll_timeout().is_some_and(|t| t <= now) {
            link.handle_timeout(now);
        }
    }
    if let Some(t) = out.terminal.as_ref() {
        t.finish();
    }
    summary.dropped_messages = link.dropped_messages();
    summary.dropped_alerts = board.dropped();
    Ok(summary)
}

/// Opens the socket the link asked for.
fn connect(url: &Url<'_>) -> Done {
    match net::connect(url) {
        Ok(s) => Done::Connected(s),
        Err(e) => Done::ConnectFailed(e.to_string()),
    }
}

/// A lifecycle event: the board's online pixel, the status line, the log.
fn lifecycle(
    e: &Event,
    now: u64,
    status: &mut Status,
    summary: &mut Summary,
    board: &mut dyn Strip,
    out: &mut Outputs,
) -> Result<(), String> {
    let text = match e {
        Event::StateChanged { current, .. } => {
            status.state = *current;
            board.set_online(*current == State::Connected, now);
            format!("state: {}", current.as_str())
        }
        Event::Connected { socket_id, .. } => {
            summary.connects += 1;
            format!("connected (socket {})", socket_id.as_str())
        }
        Event::Subscribed { channel } => {
            status.subscribed += 1;
            format!("subscribed to {}", channel.as_str())
        }
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => {
            status.subscribed = 0;
            format!(
                "disconnected (code {}, {}){}",
                code.map_or("none".to_string(), |c| c.to_string()),
                if reason.is_empty() {
                    "no reason"
                } else {
                    reason.as_str()
                },
                if *will_retry { ", will retry" } else { "" }
            )
        }
        Event::Reconnecting { after, reason } => {
            format!("reconnecting in {} ms: {reason}", after.as_millis())
        }
        other => format!("{other:?}"),
    };
    out.event(now, &text)
}
