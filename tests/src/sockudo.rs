//! A real Pusher-protocol server for integration tests: [sockudo] 5.2.0, run on loopback.
//!
//! Each [`Sockudo`] is one server process with its own free port, its own temp directory
//! (config and log) and one app (`id` [`APP_ID`], key [`APP_KEY`], the key Kick uses). Tests talk
//! to it over WebSocket ([`Sockudo::ws_url`]) and publish through the signed HTTP API
//! ([`Sockudo::trigger`]), exactly as Kick's backend publishes to Pusher.
//!
//! The binary is built once, outside the repository, by `bash scripts/sockudo.sh install`
//! (`cargo install sockudo --version 5.2.0 --no-default-features --features local`). It is
//! looked up at `$KICKWIRE_SOCKUDO`, else `$SOCKUDO_ROOT/bin/sockudo`, else
//! `~/.cache/pusher-it/sockudo-5.2.0/bin/sockudo` (the script's default root).
//!
//! Safety rails, because sockudo's own defaults are not test-friendly: it listens on
//! `0.0.0.0:6001` with a metrics server on `0.0.0.0:9601`, environment variables override its
//! config file, a config file that fails to parse is only logged, and a busy port makes it exit
//! with status 0. So the server is started with a cleared environment plus
//! `HOST=127.0.0.1 PORT=<port> METRICS_ENABLED=false`, in a fresh directory (no stray
//! `./config/config.toml`), and it counts as ready only when `GET /up/1001` answers 200, which
//! needs the app from *our* config. Every wait is bounded.
//!
//! [sockudo]: https://crates.io/crates/sockudo

use hmac::{Hmac, KeyInit, Mac};
use kickwire_link::http::request;
use kickwire_link::net::Connector;
use md5::{Digest, Md5};
use sha2::Sha256;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The sockudo version the harness is written against (`sockudo --version` prints
/// `sockudo 5.2.0`).
pub const VERSION: &str = "5.2.0";
/// The app id of the one app the server knows (`/apps/1001/events`, `/up/1001`).
pub const APP_ID: &str = "1001";
/// The app key: Kick's public Pusher key, so URLs look like production ones.
pub const APP_KEY: &str = "32cbd69e4b950bf97679";
/// The app secret, for signing HTTP API requests and private-channel auth. Test-only.
pub const APP_SECRET: &str = "kickwire-local-test-secret";

/// How long [`Sockudo::start`] and [`Sockudo::start_again`] wait for `GET /up/1001` = 200.
/// Start to ready is about 30 ms on an idle box; 15 s absorbs a loaded CI runner.
pub const READY_TIMEOUT: Duration = Duration::from_secs(15);
/// How long [`Sockudo::stop`] waits after SIGTERM before SIGKILL.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Bound on one HTTP exchange with the server (connect, write, read the whole response).
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(5);
/// Polling period of every wait loop here.
const POLL: Duration = Duration::from_millis(20);
/// Fresh ports tried by [`Sockudo::start`]: another process can take the port between our
/// probe and sockudo's bind, and sockudo then exits (with status 0).
const START_ATTEMPTS: u32 = 3;

/// What to configure in a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seconds of client silence before the server sends `pusher:ping`; announced as
    /// `activity_timeout` in `pusher:connection_established`. Pusher's production value is
    /// 120; use 1-3 for ping/pong tests. After a ping the server waits a fixed 30 s for the pong
    /// (sockudo's `PONG_TIMEOUT`), then closes with 4201.
    pub activity_timeout_s: u32,
    /// The app's connection limit (the load benchmark of `kickwire relay` opens more than the
    /// default 1,000).
    pub max_connections: u32,
}

impl Default for Options {
    /// Pusher's production values.
    fn default() -> Self {
        Self {
            activity_timeout_s: 120,
            max_connections: 1000,
        }
    }
}

/// A non-2xx answer, or a transport failure, from the server's HTTP API.
#[derive(Debug)]
pub enum ApiError {
    /// Could not connect, write or read (each within [`HTTP_TIMEOUT`]), or the response was
    /// not HTTP.
    Io(io::Error),
    /// The server answered with a status outside 200..=299.
    Status {
        /// The HTTP status code (401 for a bad signature, 413 for data over 10 KB, ...).
        status: u16,
        /// The response body (sockudo sends a JSON error object).
        body: String,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "HTTP API request failed: {e}"),
            Self::Status { status, body } => write!(f, "HTTP API answered {status}: {body}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Status { .. } => None,
        }
    }
}

impl From<io::Error> for ApiError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// One running (or stopped) sockudo server on `127.0.0.1`. Dropping it kills the process and
/// removes its temp directory (kept, with its path and log printed, when the thread is
/// panicking, so a failed test can be inspected).
#[derive(Debug)]
pub struct Sockudo {
    bin: PathBuf,
    dir: PathBuf,
    options: Options,
    port: u16,
    child: Option<Child>,
}

impl Sockudo {
    /// Where the binary is expected: `$KICKWIRE_SOCKUDO`, else `$SOCKUDO_ROOT/bin/sockudo`,
    /// else `~/.cache/pusher-it/sockudo-5.2.0/bin/sockudo` (as `scripts/sockudo.sh` installs it).
    #[must_use]
    pub fn binary_path() -> PathBuf {
        if let Some(p) = std::env::var_os("KICKWIRE_SOCKUDO").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        let root = std::env::var_os("SOCKUDO_ROOT")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
                PathBuf::from(home)
                    .join(".cache/pusher-it")
                    .join(format!("sockudo-{VERSION}"))
            });
        root.join("bin/sockudo")
    }

    /// Starts a server on a free loopback port and waits (at most [`READY_TIMEOUT`]) until it
    /// serves app 1001.
    ///
    /// # Panics
    /// If the binary is missing (run `bash scripts/sockudo.sh install`), or the server does not
    /// become ready; the message includes the server log.
    #[must_use]
    pub fn start(options: Options) -> Self {
        let bin = Self::binary_path();
        assert!(
            bin.is_file(),
            "sockudo {VERSION} not found at {} (set KICKWIRE_SOCKUDO to override); \
             install it with `bash scripts/sockudo.sh install` (a cold build takes 10-20 min)",
            bin.display()
        );
        let dir = fresh_temp_dir();
        let mut server = Self {
            bin,
            dir,
            options,
            port: 0,
            child: None,
        };
        let mut last_error = String::new();
        for attempt in 1..=START_ATTEMPTS {
            server.port = free_port();
            server.write_config();
            match server.spawn_and_wait() {
                Ok(()) => return server,
                Err(e) => {
                    last_error = format!("attempt {attempt} on port {}: {e}", server.port);
                    server.kill();
                    // Only a lost port race is worth another port; anything else is a real
                    // failure.
                    if !e.contains("Address already in use") {
                        break;
                    }
                }
            }
        }
        panic!(
            "sockudo did not start: {last_error}\n--- sockudo log ({}) ---\n{}",
            server.log_path().display(),
            server.log()
        );
    }

    /// Starts the server again after [`stop`](Self::stop), on the same port with the same
    /// config, and waits until it is ready (at most [`READY_TIMEOUT`]). The log is appended to.
    ///
    /// # Panics
    /// If the server is still running, or does not become ready.
    pub fn start_again(&mut self) {
        assert!(
            self.child.is_none(),
            "start_again: the server is still running; stop() it first"
        );
        if let Err(e) = self.spawn_and_wait() {
            self.kill();
            panic!(
                "sockudo did not start again on port {}: {e}\n--- sockudo log ---\n{}",
                self.port,
                self.log()
            );
        }
    }

    /// Stops the server as an orchestrator would: SIGTERM, which makes sockudo close every
    /// WebSocket with `pusher:error` 4200 + close 4200 ("Server shutting down"), then at most
    /// [`STOP_TIMEOUT`] for it to exit, then SIGKILL. Returns the exit status (`None` if it had
    /// to be killed). A no-op returning `None` when it is not running.
    pub fn stop(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        // std has no SIGTERM and the crate does not link libc: the `kill` utility sends it.
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if sent {
            let deadline = Instant::now() + STOP_TIMEOUT;
            while Instant::now() < deadline {
                match child.try_wait() {
                    Ok(Some(status)) => return Some(status),
                    Ok(None) => thread::sleep(POLL),
                    Err(_) => break,
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Whether the server process is alive (it may still be starting or draining).
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// `ws://127.0.0.1:PORT/app/KEY?protocol=7&client=js&version=8.4.0&flash=false`: the URL
    /// pusher-js 8.4.0 (Kick's web client) opens, pointed at this server.
    #[must_use]
    pub fn ws_url(&self) -> String {
        format!(
            "ws://127.0.0.1:{}/app/{APP_KEY}?protocol=7&client=js&version=8.4.0&flash=false",
            self.port
        )
    }

    /// The app key ([`APP_KEY`]).
    #[must_use]
    pub fn key(&self) -> &'static str {
        APP_KEY
    }

    /// The app secret ([`APP_SECRET`]), for signing private-channel auth in tests.
    #[must_use]
    pub fn secret(&self) -> &'static str {
        APP_SECRET
    }

    /// The loopback port of both the WebSocket endpoint and the HTTP API.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Publishes one event through the HTTP API (`POST /apps/1001/events`), as Kick's backend
    /// does: `data` is the event data, sent as a JSON *string*, so subscribers receive it
    /// verbatim in the frame's `data` member. Returns the response body (`{"ok":true}`).
    ///
    /// # Errors
    /// [`ApiError::Status`] with the status and body for a non-2xx answer (413 for data over
    /// 10 KB), [`ApiError::Io`] if the server cannot be reached within the time bound.
    pub fn trigger(&self, channel: &str, event_name: &str, data: &str) -> Result<String, ApiError> {
        let body = serde_json::json!({ "name": event_name, "channel": channel, "data": data });
        self.api_post(&format!("/apps/{APP_ID}/events"), &body.to_string())
    }

    /// Sends a signed `POST` to any HTTP API path of the app (for example
    /// `/apps/1001/users/<id>/terminate_connections`, body `{}`). Returns the response body.
    ///
    /// # Errors
    /// As [`trigger`](Self::trigger).
    pub fn api_post(&self, path: &str, body: &str) -> Result<String, ApiError> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let target = signed_target(
            APP_KEY,
            APP_SECRET,
            "POST",
            path,
            body.as_bytes(),
            timestamp,
        );
        let (status, body) = self.http("POST", &target, Some(body.as_bytes()))?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(ApiError::Status { status, body })
        }
    }

    /// The server's log (stdout and stderr of every start), for failure messages.
    #[must_use]
    pub fn log(&self) -> String {
        fs::read(self.log_path())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|e| format!("(no log: {e})"))
    }

    /// The temp directory holding `sockudo.toml` and `sockudo.log`.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("sockudo.log")
    }

    fn config_path(&self) -> PathBuf {
        self.dir.join("sockudo.toml")
    }

    fn write_config(&self) {
        let text = config_toml(self.port, self.options);
        fs::write(self.config_path(), text)
            .unwrap_or_else(|e| panic!("write {}: {e}", self.config_path().display()));
    }

    /// Spawns the process and waits until `/up/1001` answers 200. On error the child may be
    /// left in `self.child` (the caller kills it).
    fn spawn_and_wait(&mut self) -> Result<(), String> {
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|e| format!("open log: {e}"))?;
        let log_start = log.metadata().map_or(0, |m| m.len());
        let _ = writeln!(
            log,
            "=== kickwire harness: starting sockudo on 127.0.0.1:{}",
            self.port
        );
        let stderr = log.try_clone().map_err(|e| format!("clone log: {e}"))?;
        // A cleared environment: sockudo reads dozens of variables (HOST, PORT, REDIS_*,
        // SOCKUDO_DEFAULT_APP_*, RUST_LOG...) that override the file; a stray one in CI must
        // not rebind or reshape the server. The three pinned ones repeat the config on purpose:
        // if the file ever fails to load, sockudo still binds only to loopback, without metrics.
        let child = Command::new(&self.bin)
            .arg("--config")
            .arg(self.config_path())
            .current_dir(&self.dir)
            .env_clear()
            .env("HOST", "127.0.0.1")
            .env("PORT", self.port.to_string())
            .env("METRICS_ENABLED", "false")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("spawn {}: {e}", self.bin.display()))?;
        self.child = Some(child);
        self.wait_ready(log_start)
    }

    fn wait_ready(&mut self, log_start: u64) -> Result<(), String> {
        let started = Instant::now();
        let deadline = started + READY_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                let tail = self.log_since(log_start);
                return Err(format!(
                    "sockudo exited ({status}) before it was ready: {tail}"
                ));
            }
            match self.http("GET", &format!("/up/{APP_ID}"), None) {
                Ok((200, _)) => return Ok(()),
                // 404: the server runs but has no app 1001, i.e. our config did not load
                // (sockudo only logs that and goes on with its defaults). Waiting won't help.
                Ok((404, body)) => {
                    return Err(format!(
                        "sockudo is up but does not know app {APP_ID} (config not loaded?): {body}"
                    ));
                }
                // Connection refused while it binds, or 503 while it starts: poll again.
                Ok(_) | Err(_) => {}
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "GET /up/{APP_ID} did not answer 200 within {READY_TIMEOUT:?}"
                ));
            }
            thread::sleep(POLL);
        }
    }

    fn log_since(&self, offset: u64) -> String {
        let log = self.log();
        let start = usize::try_from(offset).unwrap_or(0).min(log.len());
        log.get(start..).unwrap_or(&log).to_owned()
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// One HTTP/1.1 exchange on 127.0.0.1 with `Connection: close` (kickwire-link's client),
    /// each step bounded by [`HTTP_TIMEOUT`]. Returns the status and the (de-chunked) body.
    fn http(&self, method: &str, target: &str, body: Option<&[u8]>) -> io::Result<(u16, String)> {
        let url = format!("http://127.0.0.1:{}{target}", self.port);
        let headers: &[(&str, &str)] = match body {
            Some(_) => &[("Content-Type", "application/json")],
            None => &[],
        };
        let connector = Connector::plain_only(HTTP_TIMEOUT);
        let reply = request(&connector, method, &url, headers, body.unwrap_or_default())
            .map_err(io::Error::other)?;
        Ok((
            reply.status,
            String::from_utf8_lossy(&reply.body).into_owned(),
        ))
    }
}

impl Drop for Sockudo {
    fn drop(&mut self) {
        // SIGKILL, not stop(): nothing needs a graceful drain at the end of a test, and Drop
        // must be quick and must not wait on the server.
        self.kill();
        if thread::panicking() {
            eprintln!(
                "sockudo (port {}) kept its files for inspection in {}",
                self.port,
                self.dir.display()
            );
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `path?auth_key=..&auth_timestamp=..&auth_version=1.0&body_md5=..&auth_signature=..`: a
/// Pusher HTTP API request target signed as the REST API docs say: HMAC-SHA256 with the app
/// secret over `METHOD\nPATH\nQUERY`, where QUERY holds the auth parameters sorted by name
/// (not URL-escaped) and `body_md5` is the hex MD5 of the exact body bytes.
#[must_use]
pub fn signed_target(
    key: &str,
    secret: &str,
    method: &str,
    path: &str,
    body: &[u8],
    timestamp: u64,
) -> String {
    let body_md5 = hex(&Md5::digest(body));
    // Already in name order: auth_key < auth_timestamp < auth_version < body_md5.
    let query =
        format!("auth_key={key}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={body_md5}");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(format!("{method}\n{path}\n{query}").as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    format!("{path}?{query}&auth_signature={signature}")
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The server config: the reference `sockudo.toml` made per-instance (port, activity timeout),
/// with everything that could listen elsewhere pinned to loopback or off.
fn config_toml(port: u16, options: Options) -> String {
    format!(
        r#"# Written by kickwire-tests (tests/src/sockudo.rs) for one test server. Loopback only.
host = "127.0.0.1"
port = {port}
mode = "development"
debug = false
path_prefix = "/"
activity_timeout = {activity}
# Seconds to keep the listener after SIGTERM; connections get 4200 first regardless. Short, so
# stop() is quick.
shutdown_grace_period = 1

[adapter]
driver = "local"

# The defaults (20 WebSocket connects per minute per IP, 100 API calls per minute) would throttle
# reconnect tests.
[rate_limiter]
enabled = false

# Enabled by default on 0.0.0.0:9601.
[metrics]
enabled = false
host = "127.0.0.1"
port = 9601

# Plain text in the log file.
[logging]
colors_enabled = false
include_target = true

# Pusher's 10 KB limit on event data (sockudo's default is 100 KB): HTTP 413 above it.
[event_limits]
max_payload_in_kb = 10

[app_manager]
driver = "memory"

[[app_manager.array.apps]]
id = "{APP_ID}"
key = "{APP_KEY}"
secret = "{APP_SECRET}"
enabled = true

[app_manager.array.apps.policy.limits]
max_connections = {max_connections}
max_client_events_per_second = 10
max_event_payload_in_kb = 10

[app_manager.array.apps.policy.features]
enable_client_messages = true
enable_user_authentication = true
"#,
        activity = options.activity_timeout_s,
        max_connections = options.max_connections,
    )
}

/// A port that was free a moment ago: bind `127.0.0.1:0`, read the port, release it.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// A new, empty directory under the system temp dir, unique to this process and call.
fn fresh_temp_dir() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // Bounded: a name collision needs a leftover directory from a process with our pid.
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!(
            "kickwire-sockudo-{}-{n}-{nanos}",
            std::process::id()
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return dir,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => panic!("create {}: {e}", dir.display()),
        }
    }
    panic!("no free temp directory name under {}", base.display());
}
