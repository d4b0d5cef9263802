//! `--webhooks ADDR`: a small HTTP/1.1 server for Kick's signed webhook deliveries
//! (`POST /kick/webhook`), `GET /healthz` and `GET /metrics`.
//!
//! Every request is judged by [`kickwire_cli::webhook::Webhook`] (route, size, headers,
//! signature, seen ids, replay window, in that order); what it rejects never reaches a client.
//! A verified delivery goes out on `kickwire-official.{broadcaster_user_id}`, the event type as
//! the event's name and the body, exactly as signed, as its data. One thread per request
//! (Kick's deliveries are few), at most [`MAX_CONCURRENT`] at once; every read has a timeout
//! and the body is read only after its declared length was judged.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kickwire_cli::relay::forward::Forwarder;
use kickwire_cli::relay::metrics::CONTENT_TYPE;
use kickwire_cli::webhook::{Delivery, MAX_BODY, Request, Verdict};
use kickwire_proto::Timestamp;

use super::status::Parts;
use crate::print;

/// Requests served at once; more are answered 503 at once.
pub const MAX_CONCURRENT: usize = 64;
/// The longest request head read (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds `addr` and serves on a thread of its own until the process ends.
pub fn serve(addr: SocketAddr, parts: Arc<Parts>) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || accept(&listener, &parts))?;
    Ok(local)
}

fn accept(listener: &TcpListener, parts: &Arc<Parts>) {
    let busy = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if busy.fetch_add(1, Ordering::SeqCst) >= MAX_CONCURRENT {
            busy.fetch_sub(1, Ordering::SeqCst);
            let _ = respond(&mut stream, 503, "text/plain", b"busy\n");
            continue;
        }
        let (parts, mine) = (Arc::clone(parts), Arc::clone(&busy));
        let spawned = std::thread::Builder::new()
            .name("webhook request".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                if let Err(e) = handle(&mut stream, &parts) {
                    print::err(&format!("[relay webhooks] request failed: {e}"));
                }
                mine.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            busy.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One request: read, judged, answered.
fn handle(stream: &mut TcpStream, parts: &Parts) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut buf = Vec::with_capacity(4096);
    let head = loop {
        if let Some(head) = parse_head(&buf)? {
            break head;
        }
        if buf.len() >= MAX_HEAD {
            return respond(stream, 431, "text/plain", b"request head too large\n");
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(()); // the client went away before a whole head
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    };
    match (
        head.method.as_str(),
        head.path.split('?').next().unwrap_or(""),
    ) {
        ("GET", "/healthz") => return respond(stream, 200, "text/plain", b"ok\n"),
        ("GET", "/metrics") => {
            let text = parts.metrics();
            return respond(stream, 200, CONTENT_TYPE, text.as_bytes());
        }
        _ => {}
    }
    let (Some(webhook), Some(forwarder)) = (parts.webhook.get(), parts.forwarder.get()) else {
        return respond(stream, 503, "text/plain", b"starting\n");
    };
    let webhook = || webhook.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(v) = webhook().judge_head(&head.method, &head.path, head.content_length) {
        return respond(stream, v.status(), "text/plain", b"refused\n");
    }
    // Judged above: at most MAX_BODY bytes are read (a missing length reads no body).
    let want = usize::try_from(head.content_length.unwrap_or(0)).unwrap_or(MAX_BODY);
    let mut body = buf.split_off(head.len.min(buf.len()));
    body.truncate(want);
    if body.len() < want {
        let mut rest = vec![0u8; want - body.len()];
        stream.read_exact(&mut rest)?;
        body.extend_from_slice(&rest);
    }
    let headers: Vec<(&str, &str)> = head
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let request = Request {
        method: &head.method,
        path: &head.path,
        headers: &headers,
        body: &body,
    };
    let verdict = webhook().judge(&request, now());
    if let Verdict::Deliver(d) = verdict {
        let channel = format!("kickwire-official.{}", d.broadcaster_user_id);
        forwarder.publish(&channel, d.event_type, &String::from_utf8_lossy(d.body));
        feed_alerts(parts, forwarder, &d);
    }
    let answer: &[u8] = match verdict {
        Verdict::Deliver(_) => b"delivered\n",
        Verdict::Duplicate => b"seen already\n",
        Verdict::Unroutable => b"no broadcaster.user_id: not delivered\n",
        Verdict::Reject(r) => r.name().as_bytes(),
    };
    respond(stream, verdict.status(), "text/plain", answer)
}

/// A delivery for a relayed chat goes through its alert machine too: a sub Kick sends both
/// ways is one alert, a follow (webhooks only) an alert of its own.
fn feed_alerts(parts: &Parts, forwarder: &Forwarder, d: &Delivery<'_>) {
    let chat = parts
        .chat_alerts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&d.broadcaster_user_id)
        .cloned();
    let (Some(chat), Some(clock)) = (chat, parts.clock.get()) else {
        return;
    };
    let mut machine = chat.lock();
    // A body the machine cannot read makes no alert; the delivery was published all the same.
    let _ = machine.handle_official(clock.now(), d.event_type, d.body);
    chat.publish(&mut machine, forwarder);
}

/// The server's clock as the judge wants it.
fn now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_unix_millis(ms)
}

/// A request head, owned.
struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    content_length: Option<u64>,
    /// Its length in bytes: the body follows.
    len: usize,
}

/// The head, once `buf` holds all of it; an error for a malformed one.
fn parse_head(buf: &[u8]) -> io::Result<Option<Head>> {
    let mut slots = [httparse::EMPTY_HEADER; 48];
    let mut req = httparse::Request::new(&mut slots);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
    };
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let content_length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.trim().parse::<u64>())
        .transpose()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(Some(Head {
        method: req.method.unwrap_or("").to_string(),
        path: req.path.unwrap_or("").to_string(),
        headers,
        content_length,
        len,
    }))
}

fn respond(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}
