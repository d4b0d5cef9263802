//! What the Chromium tests share (the overlay's, the JS API's, the bundler's): their
//! prerequisites, running a node script with a time bound, the line protocol of the scripts that
//! ask for server actions and report one verdict per scenario, and publishing frames of the
//! vectors on the test chat's channels.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::centrifugo::CentrifugoServer;
use crate::process::{spawn_collect, wait_or_kill};
use crate::sockudo::Sockudo;
use crate::vectors_dir;

/// The chatroom the pages are given; every frame is published on its channels.
pub const CHATROOM: u64 = 2_507_974;
/// That chatroom's channel id.
pub const CHANNEL: u64 = 2_515_504;

/// The files of the built package (`bash wasm/build.sh`).
const PACKAGE_FILES: [&str; 5] = [
    "kickwire.js",
    "kickwire_core_bg.wasm",
    "kickwire_lookup_bg.wasm",
    "kickwire_extras.js",
    "kickwire_alerts_bg.wasm",
];

/// The repository's root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The package under test: `KICKWIRE_WASM_PKG` (another build), else `wasm/pkg`.
pub fn package_dir() -> PathBuf {
    std::env::var_os("KICKWIRE_WASM_PKG")
        .map_or_else(|| workspace().join("wasm/pkg"), PathBuf::from)
}

/// Asserts what every Chromium test needs, each with the command that provides it: node, the
/// npm `modules` of `npm_dir` (relative to the root), the built package and Chromium.
pub fn require(npm_dir: &str, modules: &[&str]) {
    let root = workspace();
    let pkg = package_dir();
    let install = format!(
        "{npm_dir}/node_modules is missing: (cd {npm_dir} && npm ci --no-audit --no-fund --ignore-scripts)"
    );
    for (present, what) in [
        (
            Command::new("node").arg("--version").output().is_ok(),
            "node is missing (Debian: apt-get install nodejs npm)",
        ),
        (
            modules
                .iter()
                .all(|m| root.join(npm_dir).join("node_modules").join(m).is_dir()),
            install.as_str(),
        ),
        (
            PACKAGE_FILES.iter().all(|f| pkg.join(f).is_file()),
            "wasm/pkg is missing: bash wasm/build.sh",
        ),
        (
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium is missing (Debian: apt-get install chromium)",
        ),
    ] {
        assert!(present, "{what}; bash scripts/test.sh installs everything");
    }
}

/// What a verdict script reported.
#[derive(Debug)]
pub struct Verdicts {
    /// One `{"scenario", "ok", ...}` per scenario, in order.
    pub verdicts: Vec<Value>,
    /// Its final `{"done": ...}` line, if it got there.
    pub done: Option<Value>,
    /// Whether it exited by itself.
    pub finished: bool,
    /// All of its stderr.
    pub log: String,
    /// How long it ran.
    pub elapsed: Duration,
}

impl Verdicts {
    /// Asserts that every scenario passed and that exactly `scenarios` were reported, in order.
    pub fn assert_all_passed(&self, script: &str, scenarios: &[&str]) {
        let Self {
            verdicts,
            done,
            finished,
            log,
            elapsed,
        } = self;
        let failed: Vec<&Value> = verdicts.iter().filter(|v| v["ok"] != true).collect();
        assert!(
            failed.is_empty(),
            "failed scenarios:\n{failed:#?}\n--- {script} stderr ---\n{log}"
        );
        let names: Vec<&str> = verdicts
            .iter()
            .filter_map(|v| v["scenario"].as_str())
            .collect();
        assert_eq!(
            names, scenarios,
            "scenarios reported (done: {done:?}, exited: {finished}, after {elapsed:.1?})\n--- {script} stderr ---\n{log}"
        );
        assert!(
            done.is_some(),
            "{script} did not finish\n--- stderr ---\n{log}"
        );
    }
}

/// Runs a verdict script (`command`, whose stdio this takes over) for at most `limit`. Each
/// stdout line is JSON: `{"action", ...}` is done by `act` and answered on stdin with
/// `{"ok": true}` or `{"ok": false, "error"}`; `{"scenario", "ok", ...}` is a verdict;
/// `{"done"}` ends it.
pub fn run_verdict_script(
    mut command: Command,
    script: &str,
    limit: Duration,
    mut act: impl FnMut(&Value) -> Result<(), String>,
) -> Verdicts {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run node {script}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let lines = spawn_lines(child.stdout.take().expect("stdout"));
    let stderr = spawn_collect(child.stderr.take().expect("stderr"), true);

    let mut verdicts: Vec<Value> = Vec::new();
    let mut done = None;
    let deadline = started + limit;
    while done.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = lines.recv_timeout(left) else {
            break; // the script ended, or the time is up: reported by the caller's asserts
        };
        let Ok(msg) = serde_json::from_str::<Value>(&line) else {
            eprintln!("{script} (not JSON): {line}");
            continue;
        };
        if msg.get("action").is_some() {
            let reply = match act(&msg) {
                Ok(()) => json!({"ok": true}),
                Err(e) => json!({"ok": false, "error": e}),
            };
            // The script may already be gone; its verdicts say why.
            let _ = writeln!(stdin, "{reply}");
        } else if msg.get("scenario").is_some() {
            eprintln!("{msg}");
            verdicts.push(msg);
        } else if msg.get("done").is_some() {
            done = Some(msg);
        }
    }
    let finished = wait_or_kill(&mut child, Duration::from_secs(10)).is_some();
    let log = stderr.join().unwrap_or_default();
    let elapsed = started.elapsed();
    eprintln!("{script}: {} verdicts in {elapsed:.1?}", verdicts.len());
    Verdicts {
        verdicts,
        done,
        finished,
        log,
        elapsed,
    }
}

/// The `publish` action: `{"server": "pusher" | "centrifugo", "frames": [spec, ...]}`, each
/// frame published as Kick's backend would (see [`frame`] for the specs).
pub fn publish(
    msg: &Value,
    sockudo: &Sockudo,
    centrifugo: &CentrifugoServer,
) -> Result<(), String> {
    let server = msg["server"].as_str().unwrap_or_default();
    let frames = msg["frames"].as_array().ok_or("no frames")?;
    for f in frames {
        let (event, channel, data) = frame(f)?;
        match server {
            "pusher" => sockudo
                .trigger(&channel, &event, &data)
                .map(drop)
                .map_err(|e| e.to_string())?,
            "centrifugo" => {
                // Kick's Centrifugo publications carry the Pusher-style pair.
                let publication = json!({"event": event, "data": data}).to_string();
                if centrifugo.publish(&channel, &publication) == 0 {
                    return Err(format!("no Centrifugo subscriber on {channel}"));
                }
            }
            other => return Err(format!("unknown server '{other}'")),
        }
    }
    Ok(())
}

/// `(event, channel, data)` of a frame spec: `{file, line, replace?}` (a line of a vector file,
/// 1-based, with string replacements in its data) or `{event, kind, data}`.
fn frame(spec: &Value) -> Result<(String, String, String), String> {
    if let Some(file) = spec["file"].as_str() {
        if file.contains("..") {
            return Err(format!("bad file {file}"));
        }
        let text = std::fs::read_to_string(vectors_dir().join("kick").join(file))
            .map_err(|e| format!("{file}: {e}"))?;
        let n = spec["line"].as_u64().ok_or("no line")?;
        let line = text
            .lines()
            .nth(usize::try_from(n).unwrap_or(usize::MAX).wrapping_sub(1))
            .ok_or(format!("{file} has no line {n}"))?;
        let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let mut data = v["data"].as_str().ok_or("no data")?.to_string();
        for pair in spec["replace"].as_array().into_iter().flatten() {
            let (from, to) = (pair[0].as_str(), pair[1].as_str());
            let (Some(from), Some(to)) = (from, to) else {
                return Err(format!("bad replace {pair}"));
            };
            if !data.contains(from) {
                return Err(format!("{file}:{n} has no {from:?}"));
            }
            data = data.replace(from, to);
        }
        let event = v["event"].as_str().ok_or("no event")?.to_string();
        let channel = ours(v["channel"].as_str().ok_or("no channel")?)?;
        Ok((event, channel, data))
    } else {
        let s = |k: &str| {
            spec[k]
                .as_str()
                .map(str::to_string)
                .ok_or(format!("no {k}"))
        };
        Ok((s("event")?, ours(&s("kind")?)?, s("data")?))
    }
}

/// The test chatroom's channel of the same kind as a vector's (`chatroom_23580962` ->
/// `chatroom_2507974`); a bare kind (`chatrooms.v2`, `channel.`) works too.
fn ours(channel: &str) -> Result<String, String> {
    let name = if channel.starts_with("chatrooms.") {
        if channel.ends_with(".v2") {
            format!("chatrooms.{CHATROOM}.v2")
        } else {
            format!("chatrooms.{CHATROOM}")
        }
    } else if channel.starts_with("chatroom_") {
        format!("chatroom_{CHATROOM}")
    } else if channel.starts_with("channel.") {
        format!("channel.{CHANNEL}")
    } else if channel.starts_with("channel_") {
        format!("channel_{CHANNEL}")
    } else {
        return Err(format!("no channel of the test chat like {channel}"));
    };
    Ok(name)
}

/// Lines of `out`, as they come, on a channel (closed when the stream ends).
fn spawn_lines(out: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
