//! Kick's HTTP endpoints faked on 127.0.0.1: canned replies by path, every request's path
//! logged. The CLI is pointed at it with `KICKWIRE_HTTP_BASE` (see `kickwire --help`).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned reply.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// Cloudflare's challenge as Kick's clients meet it: 403, `cf-mitigated: challenge`, the
    /// "Just a moment..." page (header per developers.cloudflare.com, "Detect a Challenge Page
    /// response").
    pub fn cloudflare() -> Self {
        Self {
            status: 403,
            headers: vec![
                ("Content-Type".into(), "text/html; charset=UTF-8".into()),
                ("cf-mitigated".into(), "challenge".into()),
            ],
            body: b"<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body></body></html>".to_vec(),
        }
    }
}

/// The server: replies by path (404 for any other), and the paths asked for.
pub struct FakeKick {
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl FakeKick {
    pub fn start(routes: &[(&str, Reply)]) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let routes: HashMap<String, Reply> = routes
            .iter()
            .map(|(p, r)| ((*p).to_string(), r.clone()))
            .collect();
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        // Lives as long as the test process; each connection is one bounded exchange.
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                serve(stream, &routes, &seen);
            }
        });
        Self { port, log }
    }

    /// The base to put in `KICKWIRE_HTTP_BASE`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The paths requested so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split(' ').nth(1).unwrap_or("").to_string();
    log.lock().unwrap().push(path.clone());
    let reply = routes
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::json(404, r#"{"message":"Not Found"}"#));
    write_reply(&mut stream, &reply);
}

/// Writes `reply` as a whole HTTP/1.1 response that closes the connection.
pub fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&reply.body);
}
