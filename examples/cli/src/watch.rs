//! `kickwire watch` and `kickwire record`: drive a `kickwire_proto::conn::Connection` over a
//! blocking WebSocket until Ctrl-C.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant as StdInstant};

use kickwire_proto::Message as Decoded;
use kickwire_proto::conn::{Config, Connection, Event, Instant, State, Transmit};
use serde_json::json;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Message, WebSocket};

use crate::net::{self, Stream};
use crate::target::{Target, TokenSource};

/// What the run prints or saves.
pub struct Output {
    /// One JSON object per event (Kick and lifecycle) instead of readable lines.
    pub json: bool,
    /// Save every received message to this capture file (`record`).
    pub record: Option<File>,
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
    let conn = if target.centrifugo {
        Connection::centrifugo(&target.url, config)
    } else {
        Connection::pusher(&target.url, config)
    };
    let mut conn = match conn {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kickwire: {e}: {}", target.url);
            return ExitCode::from(2);
        }
    };
    for ch in &target.channels {
        if let Err(e) = conn.subscribe(ch) {
            eprintln!("kickwire: cannot subscribe to '{ch}': {e}");
            return ExitCode::from(2);
        }
    }
    if let TokenSource::Fixed(t) = &target.token {
        let _ = conn.set_token(now(), t);
    }
    status(
        &out,
        &format!("connecting to {} ({})", target.url, transport_name(&conn)),
    );
    conn.connect(now());

    let mut record = out.record.take().map(BufWriter::new);
    let mut ws: Option<WebSocket<Stream>> = None;
    let mut buf = vec![0u8; 8 * 1024];
    let mut kick_events: u64 = 0;
    let mut received: u64 = 0;
    let mut decoded = Decoded::default();
    loop {
        // 1. Do what the connection asks of the socket.
        loop {
            let t = match conn.poll_transmit(&mut buf) {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(kickwire_proto::conn::EncodeError::BufferTooSmall { required }) => {
                    buf.resize(required, 0);
                    continue;
                }
                Err(e) => {
                    eprintln!("kickwire: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match t {
                Transmit::Open { url } => {
                    let url = url.to_string();
                    match open(&url, &target.origin) {
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
                    if let Some(mut s) = ws.take() {
                        let _ = s.close(Some(CloseFrame {
                            code: CloseCode::from(code),
                            reason: "".into(),
                        }));
                        let _ = s.flush();
                        let _ = s.get_ref().tcp().shutdown(std::net::Shutdown::Both);
                    }
                }
            }
        }
        // 2. Report what happened.
        while let Some(e) = conn.poll_event() {
            if let Event::TokenRequired { refresh } = e {
                match target.token.fetch() {
                    Ok(token) => {
                        if let Err(err) = conn.set_token(now(), &token) {
                            eprintln!("kickwire: token refused: {err}");
                            return ExitCode::FAILURE;
                        }
                    }
                    Err(msg) if refresh => {
                        status(&out, &format!("cannot refresh the token: {msg}"))
                    }
                    Err(msg) => {
                        eprintln!("kickwire: cannot get a connection token: {msg}");
                        return ExitCode::FAILURE;
                    }
                }
                continue;
            }
            lifecycle(&out, &e);
        }
        if matches!(conn.state(), State::Disconnected | State::Failed) {
            let code = if stop.load(Ordering::SeqCst) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
            if !stop.load(Ordering::SeqCst) {
                eprintln!("kickwire: the server refused the connection for good; not retrying");
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
                        if let Some(w) = record.as_mut() {
                            // One WebSocket message per line: what `replay` reads.
                            let line = text.as_str().trim_end_matches(['\r', '\n']);
                            if writeln!(w, "{line}").and_then(|()| w.flush()).is_err() {
                                eprintln!("kickwire: cannot write the capture file");
                                return ExitCode::FAILURE;
                            }
                        }
                        let mut bytes = text.as_bytes().to_vec();
                        let mut incoming = conn.handle_message(now(), &mut bytes);
                        while incoming.next_into(&mut decoded).is_some() {
                            kick_events += 1;
                            print_kick(&out, &decoded);
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
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        // Nothing arrived; tungstenite may owe the server a pong.
                        let _ = s.flush();
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

fn open(url: &str, origin: &Option<String>) -> Result<WebSocket<Stream>, String> {
    use tungstenite::client::IntoClientRequest;
    let parsed = net::Url::parse(url)?;
    let stream = net::connect(&parsed).map_err(|e| e.to_string())?;
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    if let Some(v) = origin.as_deref().and_then(|o| o.parse().ok()) {
        request.headers_mut().insert("Origin", v);
    }
    match tungstenite::client(request, stream) {
        Ok((ws, _)) => Ok(ws),
        Err(tungstenite::HandshakeError::Failure(e)) => {
            Err(format!("WebSocket handshake with {}: {e}", parsed.host))
        }
        Err(tungstenite::HandshakeError::Interrupted(_)) => Err(format!(
            "WebSocket handshake with {} timed out",
            parsed.host
        )),
    }
}

fn transport_name(conn: &Connection) -> &'static str {
    match conn.transport() {
        kickwire_proto::Transport::Pusher => "pusher",
        kickwire_proto::Transport::Centrifugo => "centrifugo",
    }
}

fn print_kick(out: &Output, m: &Decoded) {
    if out.quiet {
        return;
    }
    if let Decoded::Kick { channel, event, .. } = m {
        if out.json {
            println!("{}", kickwire_cli::describe::json(channel, event));
        } else {
            println!("{}", kickwire_cli::describe::line(channel, event));
        }
    }
}

fn status(out: &Output, msg: &str) {
    if !out.json || out.quiet {
        eprintln!("[kickwire] {msg}");
    }
}

fn summary(received: u64, events: u64) {
    eprintln!("kickwire: {received} messages received, {events} Kick events");
}

/// The JSON object of a lifecycle event (`None`: not printed in JSON mode).
pub fn lifecycle_json(e: &Event) -> Option<serde_json::Value> {
    Some(match e {
        Event::Connected {
            transport,
            socket_id,
        } => json!({
            "type": "Connected",
            "transport": match transport { kickwire_proto::Transport::Pusher => "pusher", _ => "centrifugo" },
            "socket_id": socket_id.as_str(),
        }),
        Event::Subscribed { channel } => json!({"type": "Subscribed", "channel": channel.as_str()}),
        Event::SubscriptionError {
            channel,
            code,
            message,
        } => json!({
            "type": "SubscriptionError", "channel": channel.as_str(), "code": code, "message": message.as_str(),
        }),
        Event::Reconnecting { after, reason } => json!({
            "type": "Reconnecting", "after_ms": after.as_millis() as u64, "reason": reason.to_string(),
        }),
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => json!({
            "type": "Disconnected", "code": code, "reason": reason.as_str(), "will_retry": will_retry,
        }),
        Event::ServerError { code, message, .. } => json!({
            "type": "Error", "source": "server", "code": code, "message": message.as_str(),
        }),
        Event::BadMessage { error: err, .. } => {
            json!({"type": "Error", "source": "message", "message": err.to_string()})
        }
        _ => return None,
    })
}

fn lifecycle(out: &Output, e: &Event) {
    if out.json && !out.quiet {
        if let Some(v) = lifecycle_json(e) {
            println!("{v}");
        }
        return;
    }
    let msg = match e {
        Event::StateChanged { current, .. } => format!("state: {}", current.as_str()),
        Event::Connected { socket_id, .. } => format!("connected (socket {})", socket_id.as_str()),
        Event::Subscribed { channel } => format!("subscribed to {}", channel.as_str()),
        Event::SubscriptionError {
            channel,
            code,
            message,
        } => {
            format!(
                "subscription to {} refused ({code:?}): {}",
                channel.as_str(),
                message.as_str()
            )
        }
        Event::Reconnecting { after, reason } => {
            format!("reconnecting in {:.1} s ({})", after.as_secs_f64(), reason)
        }
        Event::Disconnected {
            code,
            reason,
            will_retry,
        } => format!(
            "disconnected (code {}{}){}",
            code.map_or("none".to_string(), |c| c.to_string()),
            if reason.is_empty() {
                String::new()
            } else {
                format!(": {}", reason.as_str())
            },
            if *will_retry { "" } else { ", not retrying" }
        ),
        Event::ServerError { code, message, .. } => {
            format!("server error {code:?}: {}", message.as_str())
        }
        Event::BadMessage { error: err, .. } => format!("bad message skipped: {err}"),
        other => format!("{other:?}"),
    };
    status(out, &msg);
}
