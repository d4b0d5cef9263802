//! `kickwire watch` and `kickwire record`: drive a `kickwire_proto::conn::Connection` over a
//! blocking WebSocket until Ctrl-C.

use std::fs::File;
use std::io;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant as StdInstant};

use kickwire_cli::describe;
use kickwire_proto::Message as Decoded;
use kickwire_proto::conn::{Config, Connection, EncodeError, Event, Instant, State, Transmit};
use tungstenite::{Message, WebSocket};

use crate::capture::Capture;
use crate::net::Stream;
use crate::target::{Target, TokenSource};
use crate::{lifecycle, print, websocket};

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
}

/// The longest the loop sleeps between looks at Ctrl-C.
const TICK: Duration = Duration::from_millis(200);

pub fn run(target: Target, mut out: Output) -> ExitCode {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // A second Ctrl-C while closing exits at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let start = StdInstant::now();
    let now =
        || Instant::from_millis(u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX));
    let config = Config {
        rng_seed: u64::from(std::process::id()) ^ (start.elapsed().as_nanos() as u64),
        ..Config::default()
    };
    let mut conn = match Connection::new(target.transport, &target.url, config) {
        Ok(c) => c,
        Err(e) => {
            print::err(&format!("kickwire: {e}: {}", target.url));
            return ExitCode::from(2);
        }
    };
    for ch in &target.channels {
        if let Err(e) = conn.subscribe(ch) {
            print::err(&format!("kickwire: cannot subscribe to '{ch}': {e}"));
            return ExitCode::from(2);
        }
    }
    if let TokenSource::Fixed(t) = &target.token {
        let _ = conn.set_token(now(), t);
    }
    status(
        &out,
        &format!(
            "connecting to {} ({})",
            target.url,
            lifecycle::transport_name(conn.transport())
        ),
    );
    conn.connect(now());

    let mut capture = out.record.take().map(|f| Capture::new(f, out.keep_secrets));
    let mut ws: Option<WebSocket<Stream>> = None;
    let mut buf = vec![0u8; 8 * 1024];
    // The message being decoded (decoding works in place); reused, at most 1 MiB.
    let mut message = Vec::new();
    let mut kick_events: u64 = 0;
    let mut received: u64 = 0;
    let mut decoded = Decoded::default();
    // Writing to stdout failed (the reader went away): stop as on Ctrl-C.
    let stdout_gone = |r: io::Result<()>| {
        if r.is_err() {
            stop.store(true, Ordering::SeqCst);
        }
    };
    loop {
        // 1. Do what the connection asks of the socket.
        loop {
            let t = match conn.poll_transmit(&mut buf) {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(EncodeError::BufferTooSmall { required }) => {
                    buf.resize(required, 0);
                    continue;
                }
                Err(e) => {
                    print::err(&format!("kickwire: {e}"));
                    return ExitCode::FAILURE;
                }
            };
            match t {
                Transmit::Open { url } => {
                    let url = url.to_string();
                    match websocket::open(&url, target.origin.as_deref()) {
                        Ok(s) => {
                            ws = Some(s);
                            conn.handle_open(now());
                        }
                        Err(e) => {
                            status(&out, &format!("cannot connect: {e}"));
                            conn.handle_closed(now(), None, &e);
                        }
                    }
                }
                Transmit::Text(text) => {
                    let text = text.to_string();
                    if let Some(s) = ws.as_mut()
                        && let Err(e) = s.send(Message::text(text))
                    {
                        ws = None;
                        conn.handle_closed(now(), None, &format!("send failed: {e}"));
                    }
                }
                Transmit::Close { code } => {
                    if let Some(s) = ws.take() {
                        websocket::close(s, code);
                    }
                }
            }
        }
        // 2. Report what happened.
        while let Some(e) = conn.poll_event() {
            if let Event::TokenRequired { refresh } = e {
                stdout_gone(supply_token(&mut conn, &target.token, refresh, &out, now));
                continue;
            }
            stdout_gone(report(&out, &e));
        }
        if matches!(conn.state(), State::Disconnected | State::Failed) {
            let code = if stop.load(Ordering::SeqCst) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
            if !stop.load(Ordering::SeqCst) {
                print::err("kickwire: the server refused the connection for good; not retrying");
            }
            summary(received, kick_events);
            return code;
        }
        if stop.load(Ordering::SeqCst) || out.max_events.is_some_and(|m| kick_events >= m) {
            stop.store(true, Ordering::SeqCst);
            conn.disconnect(now());
            continue; // drain the close, then leave through the Disconnected state above
        }
        // 3. Wait for a message or the next timer.
        let wait = conn
            .poll_timeout()
            .map_or(TICK, |t| {
                Duration::from_millis(t.as_millis().saturating_sub(now().as_millis()))
            })
            .min(TICK);
        match ws.as_mut() {
            None => std::thread::sleep(wait),
            Some(s) => {
                let _ = s
                    .get_ref()
                    .tcp()
                    .set_read_timeout(Some(wait.max(Duration::from_millis(1))));
                match s.read() {
                    Ok(Message::Text(text)) => {
                        received += 1;
                        if let Some(c) = capture.as_mut()
                            && let Err(e) = c.write(text.as_str())
                        {
                            print::err(&format!("kickwire: cannot write the capture file: {e}"));
                            return ExitCode::FAILURE;
                        }
                        message.clear();
                        message.extend_from_slice(text.as_bytes());
                        drop(text);
                        let mut incoming = conn.handle_message(now(), &mut message);
                        while incoming.next_into(&mut decoded).is_some() {
                            kick_events += 1;
                            stdout_gone(print_kick(&out, &decoded));
                        }
                    }
                    Ok(Message::Close(frame)) => {
                        ws = None;
                        let (code, reason) = frame.map_or((None, String::new()), |f| {
                            (Some(u16::from(f.code)), f.reason.to_string())
                        });
                        conn.handle_closed(now(), code, &reason);
                    }
                    Ok(_) => {} // binary (not in either protocol), ping/pong (tungstenite answers)
                    Err(tungstenite::Error::Io(e))
                        if matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) =>
                    {
                        // Nothing arrived; tungstenite may owe the server a pong.
                        let _ = s.flush();
                    }
                    Err(tungstenite::Error::Capacity(e)) => {
                        if let Some(s) = ws.take() {
                            let reason = websocket::refuse_too_big(s, &e);
                            conn.handle_closed(now(), Some(1009), &reason);
                        }
                    }
                    Err(e) => {
                        ws = None;
                        conn.handle_closed(now(), None, &e.to_string());
                    }
                }
            }
        }
        let t = now();
        if conn.poll_timeout().is_some_and(|d| d <= t) {
            conn.handle_timeout(t);
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
    now: impl Fn() -> Instant,
) -> io::Result<()> {
    let failure = match source.fetch() {
        Ok(token) => match conn.set_token(now(), &token) {
            Ok(()) => return Ok(()),
            Err(e) => format!("the token was refused: {e}"),
        },
        Err(msg) => msg,
    };
    conn.token_failed(now());
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

fn print_kick(out: &Output, m: &Decoded) -> io::Result<()> {
    match m {
        _ if out.quiet => Ok(()),
        Decoded::Kick { channel, event, .. } if out.json => {
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

fn summary(received: u64, events: u64) {
    print::err(&format!(
        "kickwire: {received} messages received, {events} Kick events"
    ));
}
