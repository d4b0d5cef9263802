//! `kickwire login`: OAuth 2.1's authorization code flow with PKCE (S256) and `state`, the
//! browser sent back to one loopback redirect, `http://127.0.0.1:PORT/callback`, that this
//! command serves until the right request arrives or the wait ends.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kickwire_proto::http::official::{self, API_REQUEST_BUFFER, Authorize, Client};

use super::args::{client_secret, number, value};
use super::store::{self, Tokens};
use super::{challenge_of, now_secs, random_text, reply, send};
use crate::print;

/// The redirect's port: fixed, because a Kick app registers its redirect URI exactly
/// (`http://127.0.0.1:8910/callback` by default).
pub const DEFAULT_PORT: u16 = 8910;
/// What is asked for without `--scopes`: reading the user, writing chat, subscribing to events.
pub const DEFAULT_SCOPES: &str = "user:read,chat:write,events:subscribe";
/// How long to wait for the browser, by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// The parsed options of `login` (no `Debug`: they hold the client secret).
pub struct Options {
    client_id: String,
    client_secret: String,
    scopes: Vec<String>,
    port: u16,
    wait: Duration,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let (mut id, mut secret, mut scopes, mut port, mut wait) = (
            None,
            None,
            DEFAULT_SCOPES.to_string(),
            DEFAULT_PORT,
            DEFAULT_WAIT,
        );
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--client-id" => id = Some(value(&mut it, a)?),
                "--client-secret" => secret = Some(value(&mut it, a)?),
                "--scopes" => scopes = value(&mut it, a)?,
                "--port" => {
                    port = u16::try_from(number(&value(&mut it, a)?, a)?)
                        .map_err(|_| "--port wants a port number (1-65535)".to_string())?;
                }
                "--timeout" => wait = Duration::from_secs(number(&value(&mut it, a)?, a)?),
                s => return Err(format!("login: unexpected argument '{s}'")),
            }
        }
        let scopes: Vec<String> = scopes
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Self {
            client_id: id.ok_or("login needs --client-id (from your Kick app's settings)")?,
            client_secret: client_secret(secret).ok_or(
                "login needs --client-secret (or KICKWIRE_CLIENT_SECRET), from your Kick app's settings",
            )?,
            scopes,
            port,
            wait,
        })
    }
}

pub fn run(o: &Options) -> ExitCode {
    super::finish("login", login(o))
}

fn login(o: &Options) -> Result<(), String> {
    // Listen before showing the URL: the browser may come back at once.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, o.port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{} ({e}): pick another --port (and register that redirect URI with your app)", o.port))?;
    let redirect_uri = format!("http://127.0.0.1:{}/callback", o.port);
    let verifier = random_text()?;
    let state = random_text()?;
    let challenge = challenge_of(&verifier);
    let scopes: Vec<&str> = o.scopes.iter().map(String::as_str).collect();
    let mut buf = vec![0u8; API_REQUEST_BUFFER];
    let url = official::authorize_url(
        &Authorize {
            client_id: &o.client_id,
            redirect_uri: &redirect_uri,
            scopes: &scopes,
            state: &state,
            code_challenge: &challenge,
        },
        &mut buf,
    )
    .map_err(|e| e.to_string())?;
    print::err(&format!(
        "[kickwire] open this address in a browser and allow the app (its redirect URI must be {redirect_uri}); waiting up to {} s:",
        o.wait.as_secs()
    ));
    print::out(url).map_err(|e| e.to_string())?;
    let code = wait_for_code(&listener, &state, o.wait)?;
    let client = Client {
        id: &o.client_id,
        secret: &o.client_secret,
    };
    let req = official::token_by_code_request(&client, &code, &redirect_uri, &verifier, &mut buf)
        .map_err(|e| e.to_string())?;
    let got = send(&req, None).map_err(|e| format!("exchanging the code: {e}"))?;
    let t = official::parse_oauth_token(&reply(&got))
        .map_err(|e| format!("exchanging the code failed: {e}"))?;
    let tokens = Tokens {
        client_id: o.client_id.clone(),
        client_secret: o.client_secret.clone(),
        access_token: t.access_token.as_str().to_string(),
        refresh_token: t.refresh_token.as_str().to_string(),
        token_type: t.token_type.as_str().to_string(),
        scope: t.scope.as_str().to_string(),
        expires_at: t
            .expires_in
            .map(|s| now_secs().saturating_add(u64::from(s))),
    };
    let path = store::save(&tokens)?;
    print::err(&format!(
        "[kickwire] logged in (scopes: {}); tokens saved to {} (mode 0600; it holds the client secret too, to refresh them)",
        if tokens.scope.is_empty() {
            "not stated"
        } else {
            &tokens.scope
        },
        path.display()
    ));
    Ok(())
}

/// Serves the redirect until a request with the right `state` brings a code (or an error), or
/// `wait` ends. A request with another `state` is answered 400 and waited past: it is not the
/// browser this login sent.
fn wait_for_code(listener: &TcpListener, state: &str, wait: Duration) -> Result<String, String> {
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        let stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(e) => return Err(format!("accepting the redirect: {e}")),
        };
        if let Some(outcome) = answer(stream, state) {
            return outcome;
        }
    }
    Err(format!(
        "no redirect came back within {} s; run kickwire login again (and check the app's redirect URI)",
        wait.as_secs()
    ))
}

/// Reads one request to the redirect and answers it; `None` when it is not the one awaited.
fn answer(mut s: TcpStream, state: &str) -> Option<Result<String, String>> {
    let _ = s.set_nonblocking(false);
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8 * 1024 {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(chunk.get(..n).unwrap_or_default()),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("GET "))
        .and_then(|l| l.split(' ').next())
        .unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/callback" {
        respond(&mut s, 404, "Not the login redirect.");
        return None;
    }
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| percent_decode(v))
    };
    if param("state").as_deref() != Some(state) {
        respond(&mut s, 400, "Refused: the state does not match this login.");
        print::err(
            "[kickwire] refused a redirect whose state does not match this login; still waiting",
        );
        return None;
    }
    if let Some(error) = param("error") {
        respond(&mut s, 400, "Kick did not grant access; see the terminal.");
        let why = param("error_description").unwrap_or_default();
        return Some(Err(format!("Kick did not grant access: {error} {why}")));
    }
    match param("code").filter(|c| !c.is_empty()) {
        Some(code) => {
            respond(
                &mut s,
                200,
                "Logged in to kickwire. You can close this tab.",
            );
            Some(Ok(code))
        }
        None => {
            respond(&mut s, 400, "The redirect has no code.");
            Some(Err("the redirect came back without a code".into()))
        }
    }
}

fn respond(s: &mut TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let _ = write!(
        s,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

/// A query value decoded: `%XX` and `+` for a space (a bad escape is kept as written).
fn percent_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'%', Some(x)) => {
                out.push(x);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%2Fb+c%3d%zz%"), "a/b c=%zz%");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }
}
