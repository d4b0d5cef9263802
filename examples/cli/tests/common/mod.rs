//! Running the real `kickwire` binary with its output read line by line, every wait bounded.

#![allow(dead_code)] // each test binary uses a part

pub mod fake_kick;
pub mod relay;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `kickwire` with its stdout lines arriving on a channel.
pub struct Cli {
    pub child: Child,
    lines: Receiver<String>,
    err_lines: Receiver<String>,
    /// Taken by [`wait`](Self::wait); `None` after.
    stderr: Option<std::thread::JoinHandle<String>>,
}

/// A `Child` dropped is not killed: a test that panics, or ends without `wait`ing its CLI, would
/// leave `kickwire` running after the test run (a `relay` did, in CI). So a dropped `Cli` kills
/// and reaps its process; after [`wait`](Cli::wait) that is a no-op.
impl Drop for Cli {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Cli {
    pub fn start(args: &[&str]) -> Self {
        Self::start_with(args, Stdio::null(), &[])
    }

    /// Starts it with `env` added to its environment.
    pub fn start_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_with(args, Stdio::null(), env)
    }

    /// Starts it with a pipe to its stdin, handed back to the test.
    pub fn start_with_stdin(args: &[&str]) -> (Self, ChildStdin) {
        let mut cli = Self::start_with(args, Stdio::piped(), &[]);
        let stdin = cli.child.stdin.take().unwrap();
        (cli, stdin)
    }

    fn start_with(args: &[&str], stdin: Stdio, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kickwire"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kickwire");
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let err = child.stderr.take().unwrap();
        let (err_tx, err_lines) = channel();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                s.push_str(&line);
                s.push('\n');
                let _ = err_tx.send(line);
            }
            s
        });
        Self {
            child,
            lines,
            err_lines,
            stderr: Some(stderr),
        }
    }

    /// The next stdout line, or `None` after `limit` (or at the end of output).
    pub fn line(&self, limit: Duration) -> Option<String> {
        self.lines.recv_timeout(limit).ok()
    }

    /// Reads stderr lines until one satisfies `want` (returning every line read), within
    /// `limit`. ([`wait`](Self::wait) still returns the whole of stderr.)
    pub fn err_until(
        &self,
        limit: Duration,
        mut want: impl FnMut(&str) -> bool,
    ) -> (bool, Vec<String>) {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Ok(line) = self.err_lines.recv_timeout(left) else {
                break;
            };
            let done = want(&line);
            seen.push(line);
            if done {
                return (true, seen);
            }
        }
        (false, seen)
    }

    /// Reads stderr lines until `n` of them contain `part` (returning every line read),
    /// within `limit`.
    pub fn err_count(&self, limit: Duration, part: &str, n: usize) -> (bool, Vec<String>) {
        let mut seen = 0;
        self.err_until(limit, |l| {
            seen += usize::from(l.contains(part));
            seen >= n
        })
    }

    /// Reads JSON lines until one satisfies `want` (returning every line read), within `limit`.
    pub fn until(
        &self,
        limit: Duration,
        want: impl Fn(&serde_json::Value) -> bool,
    ) -> (bool, Vec<serde_json::Value>) {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Some(line) = self.line(left) else { break };
            let v: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let done = want(&v);
            seen.push(v);
            if done {
                return (true, seen);
            }
        }
        (false, seen)
    }

    /// Waits (bounded) for the process to exit; its status and stderr.
    pub fn wait(mut self, limit: Duration) -> (Option<i32>, String) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                break s.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
        (status, stderr.unwrap_or_default())
    }

    /// The peak resident memory of the process so far (Linux `VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Sends SIGINT, as Ctrl-C does.
    pub fn interrupt(&self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
    }
}

/// The control characters a terminal could take as commands (everything `char::is_control`
/// calls one, U+0000-U+001F and U+007F-U+009F, but tab and the newline that ends a line) found
/// in `text`, with their positions. Empty: safe to print.
pub fn controls(text: &str) -> Vec<(usize, char)> {
    text.char_indices()
        .filter(|&(_, c)| c.is_control() && c != '\t' && c != '\n')
        .collect()
}

/// A Pusher frame as Kick sends it: `data` is the payload's JSON text, in a string.
pub fn pusher_frame(event: &str, payload: &serde_json::Value, channel: &str) -> String {
    serde_json::json!({"event": event, "data": payload.to_string(), "channel": channel}).to_string()
}

/// A Kick chat message frame (the shape of the `ChatMessageEvent` vectors).
pub fn chat_frame(content: &str, username: &str, channel: &str) -> String {
    let payload = serde_json::json!({
        "id": "m1", "chatroom_id": 1, "content": content, "type": "message",
        "created_at": "2026-01-01T00:00:00+00:00",
        "sender": {"id": 7, "username": username, "slug": "someone",
                   "identity": {"color": "#FF9D00", "badges": []}},
    });
    pusher_frame("App\\Events\\ChatMessageEvent", &payload, channel)
}

/// `watch --url URL --subscribe CHANNEL --max-events N`, then `extra`.
pub fn watch_args<'a>(
    url: &'a str,
    channel: &'a str,
    max_events: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "watch",
        "--url",
        url,
        "--subscribe",
        channel,
        "--max-events",
        max_events,
    ];
    args.extend_from_slice(extra);
    args
}
