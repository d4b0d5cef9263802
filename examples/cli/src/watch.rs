//! `kickwire watch` and `kickwire record`: drive a `kickwire_proto::conn::Connection` through
//! the WebSocket link (`kickwire_link`) over a blocking socket until Ctrl-C.
//!
//! The loop is four named steps ([`Watch::run`]): carry out what the link asks, see whether
//! the run is over, stop when asked, wait for bytes or the next timer (the link's, or with
//! `--alerts` the end of a gift's wait for its missing chunks).

use std::fs::File;
use std::io::{self, Write as _};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kickwire_cli::alerts::Feed;
use kickwire_cli::describe;
use kickwire_link::blocking::{Clock, OsRng, Polled, Socket};
use kickwire_link::net::Connector;
use kickwire_link::{Buffers, Config as LinkConfig, Link, Receive, TooBig};
use kickwire_proto::Message as Decoded;
use kickwire_proto::conn::{Config, Connection, Event, Instant, Received, State};

use crate::capture::Capture;
use crate::target::{CONNECT_TIMEOUT, Target, TokenSource};
use crate::{lifecycle, print};

/// What the run prints or saves.
pub struct Output {
    /// One JSON object per event (Kick and lifecycle) instead of readable lines.
    pub json: bool,
    /// Save every received message to this capture file (`record`).
    pub record: Option<File>,
    /// Save messages verbatim, Kick's secrets included (`record --keep-secrets`).
    pub keep_secrets: bool,
    /// Stop after this many Kick events (`--max-events`).
    pub max_events: Option<u64>,
    /// Print nothing per event (`record` without `--print`).
    pub quiet: bool,
    /// `--alerts`: print the alerts the events make instead of the events, through this
    /// machine (already fed the chat history with `--history`).
    pub alerts: Option<Feed>,
}

/// The longest the loop sleeps between looks at Ctrl-C.
const TICK: Duration = Duration::from_millis(200);
/// The largest WebSocket message accepted: 1 MiB. Kick's largest real frames are a few KB; a
/// larger message from a broken or hostile server closes the socket with 1009 (message too
/// big), then the connection reconnects. The buffer is the one copy of a message there is.
const MAX_MESSAGE: usize = 1 << 20;
/// Bytes read at a time (a frame passes through in pieces).
const RX: usize = 16 * 1024;
/// The next frame to write and its text: the largest is Centrifugo's connect command with its
/// token (at most 2 KB of it).
const TX: usize = 16 * 1024;

pub fn run(target: Target, mut out: Output) -> ExitCode {
    let stop = stop_on_ctrl_c();
    let clock = Clock::start();
    let conn = match connection(&target, &clock) {
        Ok(c) => c,
        Err(code) => return code,
    };
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
    let mut link = match Link::new(conn, OsRng, buffers, config) {
        Ok(link) => link,
        Err(e) => {
            print::err(&format!("kickwire: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let transport = lifecycle::transport_name(link.connection().transport());
    status(&out, &format!("connecting to {} ({transport})", target.url));
    link.connection_mut().connect(clock.now());
    let capture = out.record.take().map(|f| Capture::new(f, out.keep_secrets));
    let alerts = out.alerts.take();
    let watch = Watch {
        printer: Printer::new(&out, capture, alerts, Arc::clone(&stop)),
        out,
        stop,
        clock,
        socket: Socket::new(Connector::new(CONNECT_TIMEOUT)),
        token: &target.token,
    };
    watch.run(&mut link)
}

/// A flag Ctrl-C sets; a second Ctrl-C while closing exits at once.
pub fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    stop
}

/// The connection for `target`: its channels subscribed, its fixed token set. Exit code 2 when
/// the URL or a channel name is refused.
pub fn connection(target: &Target, clock: &Clock) -> Result<Connection, ExitCode> {
    let config = Config {
        rng_seed: clock.seed(),
        ..Config::default()
    };
    let mut conn = Connection::new(target.transport, &target.url, config).map_err(|e| {
        print::err(&format!("kickwire: {e}: {}", target.url));
        ExitCode::from(2)
    })?;
    for ch in &target.channels {
        conn.subscribe(ch).map_err(|e| {
            print::err(&format!("kickwire: cannot subscribe to '{ch}': {e}"));
            ExitCode::from(2)
        })?;
    }
    if let TokenSource::Fixed(t) = &target.token {
        let _ = conn.set_token(clock.now(), t);
    }
    Ok(conn)
}

/// One run: the socket, the clock, where the events go.
struct Watch<'t> {
    out: Output,
    /// Set by Ctrl-C, by `--max-events`, or when stdout goes away.
    stop: Arc<AtomicBool>,
    clock: Clock,
    socket: Socket,
    printer: Printer,
    token: &'t TokenSource,
}

impl Watch<'_> {
    /// The loop, until the connection is closed for good (or the capture cannot be written).
    fn run(mut self, link: &mut Link<'_, OsRng>) -> ExitCode {
        loop {
            self.carry_out(link);
            if let Some(code) = self.outcome(link) {
                return code;
            }
            if self.stop_asked() {
                // Drain the close, then leave through the Disconnected state above.
                link.connection_mut().disconnect(self.clock.now());
                continue;
            }
            self.wait(link);
        }
    }

    /// Polls the link until it has nothing left to do: each action carried out on the
    /// socket, each lifecycle event reported, a token asked for fetched.
    fn carry_out(&mut self, link: &mut Link<'_, OsRng>) {
        self.printer.now = self.clock.now();
        let told = self.printer.gifts_due();
        self.stop_if_stdout_gone(told);
        while let Some(polled) = self.socket.poll(link, self.clock.now(), &mut self.printer) {
            let written = match polled {
                Polled::ConnectFailed(why) => {
                    status(&self.out, &format!("cannot connect: {why}"));
                    Ok(())
                }
                Polled::Event(Event::TokenRequired { refresh }) => {
                    let conn = link.connection_mut();
                    supply_token(conn, self.token, refresh, &self.out, &self.clock)
                }
                Polled::Event(e) => report(&self.out, &e),
                _ => Ok(()),
            };
            self.stop_if_stdout_gone(written);
        }
    }

    /// How the run ends, once it has: the capture cannot be written (failure), or the
    /// connection is closed for good (success after a stop, failure when the server refused).
    fn outcome(&mut self, link: &Link<'_, OsRng>) -> Option<ExitCode> {
        if let Some(e) = &self.printer.capture_error {
            print::err(&format!("kickwire: cannot write the capture file: {e}"));
            return Some(ExitCode::FAILURE);
        }
        if !matches!(
            link.connection().state(),
            State::Disconnected | State::Failed
        ) {
            return None;
        }
        let stopped = self.stop.load(Ordering::SeqCst);
        if !stopped {
            print::err("kickwire: the server refused the connection for good; not retrying");
        }
        // Gifts still waiting for a chunk are told with what came (stdout may be gone: the
        // run ends either way).
        if let Some(feed) = self.printer.alerts.as_mut() {
            let _ = feed.finish(self.clock.now(), &mut io::stdout().lock());
        }
        summary(
            self.printer.received,
            self.printer.kick_events,
            self.printer.alerts.as_ref().map(|f| f.told),
        );
        Some(if stopped {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }

    /// Ctrl-C, `--max-events` reached, or stdout gone: time to close.
    fn stop_asked(&self) -> bool {
        let enough = (self.out.max_events).is_some_and(|m| self.printer.kick_events >= m);
        if enough {
            self.stop.store(true, Ordering::SeqCst);
        }
        self.stop.load(Ordering::SeqCst)
    }

    /// Waits for bytes, the link's next timer or the end of a gift's wait for its chunks, at
    /// most [`TICK`] (to look at Ctrl-C again).
    fn wait(&mut self, link: &mut Link<'_, OsRng>) {
        let now = self.clock.now().as_millis();
        let gift = self.printer.alerts.as_ref().and_then(Feed::poll_timeout);
        let wait = [link.poll_timeout(), gift]
            .into_iter()
            .flatten()
            .min()
            .map_or(TICK, |t| {
                Duration::from_millis(t.as_millis().saturating_sub(now))
            })
            .min(TICK);
        let clock = self.clock;
        self.socket.wait(link, wait, || clock.now());
    }

    /// Writing to stdout failed (the reader went away): stop as on Ctrl-C.
    fn stop_if_stdout_gone(&self, written: io::Result<()>) {
        if written.is_err() {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
}

/// Where the messages go: the capture file, then the Kick events printed.
struct Printer {
    json: bool,
    quiet: bool,
    capture: Option<Capture>,
    /// Why the capture could not be written (the run ends).
    capture_error: Option<io::Error>,
    /// Messages received and Kick events in them.
    received: u64,
    kick_events: u64,
    /// The event being decoded (reused: several KB).
    decoded: Decoded,
    stop: Arc<AtomicBool>,
    /// `--alerts`: the machine the events go through.
    alerts: Option<Feed>,
    /// When the messages being processed arrived (set before each poll of the link).
    now: Instant,
}

impl Printer {
    fn new(
        out: &Output,
        capture: Option<Capture>,
        alerts: Option<Feed>,
        stop: Arc<AtomicBool>,
    ) -> Self {
        Self {
            json: out.json,
            quiet: out.quiet,
            capture,
            capture_error: None,
            received: 0,
            kick_events: 0,
            decoded: Decoded::default(),
            stop,
            alerts,
            now: Instant::default(),
        }
    }

    /// `--alerts`: prints the gifts whose wait for a missing chunk ended by now.
    fn gifts_due(&mut self) -> io::Result<()> {
        match self.alerts.as_mut() {
            Some(feed) if !self.quiet => feed.timeout(self.now, &mut io::stdout().lock()),
            _ => Ok(()),
        }
    }
}

impl Receive for Printer {
    fn message(&mut self, text: &[u8]) {
        self.received += 1;
        if let Some(c) = self.capture.as_mut()
            && let Err(e) = c.write(text)
        {
            self.capture_error.get_or_insert(e);
        }
    }

    fn events(&mut self, mut received: Received<'_, '_>) {
        while received.next_into(&mut self.decoded).is_some() {
            self.kick_events += 1;
            let printed = match (self.alerts.as_mut(), &self.decoded) {
                (Some(feed), Decoded::Kick { event, .. }) if !self.quiet => {
                    let mut out = io::stdout().lock();
                    feed.event(self.now, event, false, &mut out)
                        .and_then(|()| out.flush())
                }
                (Some(_), _) => Ok(()),
                (None, m) => print_kick(self.json, self.quiet, m),
            };
            if printed.is_err() {
                self.stop.store(true, Ordering::SeqCst);
            }
        }
    }
}

/// Fetches the token the connection asked for. A failure is reported and handed back to the
/// connection, which asks again after a back-off: never a reason to stop.
fn supply_token(
    conn: &mut Connection,
    source: &TokenSource,
    refresh: bool,
    out: &Output,
    clock: &Clock,
) -> io::Result<()> {
    let failure = match source.fetch() {
        Ok(token) => match conn.set_token(clock.now(), &token) {
            Ok(()) => return Ok(()),
            Err(e) => format!("the token was refused: {e}"),
        },
        Err(msg) => msg,
    };
    conn.token_failed(clock.now());
    if out.json && !out.quiet {
        return print::out_json(&lifecycle::token_error_json(&failure));
    }
    status(out, &lifecycle::token_error_line(refresh, &failure));
    Ok(())
}

fn report(out: &Output, e: &Event) -> io::Result<()> {
    if out.json && !out.quiet {
        return lifecycle::json(e).map_or(Ok(()), |v| print::out_json(&v));
    }
    status(out, &lifecycle::line(e));
    Ok(())
}

fn print_kick(json: bool, quiet: bool, m: &Decoded) -> io::Result<()> {
    match m {
        _ if quiet => Ok(()),
        Decoded::Kick { channel, event, .. } if json => {
            print::out_json(&describe::json_value(channel, event))
        }
        Decoded::Kick { channel, event, .. } => print::out(&describe::line(channel, event)),
        _ => Ok(()),
    }
}

fn status(out: &Output, msg: &str) {
    if !out.json || out.quiet {
        print::err(&format!("[kickwire] {msg}"));
    }
}

fn summary(received: u64, events: u64, alerts: Option<u64>) {
    let alerts = alerts.map_or_else(String::new, |n| format!(", {n} alerts"));
    print::err(&format!(
        "kickwire: {received} messages received, {events} Kick events{alerts}"
    ));
}
