//! kickwire-proto on the firmware's ISA: builds `tests/qemu-rv` (its own cargo workspace, a
//! `no_std` binary for riscv32imc) and runs it on `qemu-system-riscv32 -machine virt`, then
//! checks what it printed:
//!
//! - every vector frame it decoded on the target (`EVENT`/`CONTROL` lines) against the
//!   hand-checked `.expected.jsonl` files, read here: each `path=value` fact the target prints
//!   must equal the value at that path of the expected object (and the path must be there);
//! - the Pusher, Centrifugo, 32-bit arithmetic and event-table checks it ran on the target
//!   (`CHECKS`, `FAIL` lines) and its exit code;
//! - the `MEMORY` line (RAM a board needs), printed to stderr so that CI logs show it.
//!
//! QEMU comes from Debian's `qemu-system-misc`: `bash scripts/qemu-rv.sh install` (CI runs it
//! before the tests). Without it this test fails and says so: it is never skipped.

use kickwire_tests::golden::{jsonl_lines, rel, walk};
use kickwire_tests::process::{spawn_collect, wait_or_kill};
use kickwire_tests::vectors_dir;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXPECTED_SUFFIX: &str = ".expected.jsonl";
/// Pusher protocol messages with no expected file: each must decode to a control message
/// named as its `event`.
const PROTOCOL_FILE: &str = "kick/protocol/server_to_client.jsonl";
const QEMU: &str = "qemu-system-riscv32";
const TARGET: &str = "riscv32imc-unknown-none-elf";
const BIN: &str = "kickwire-qemu-rv";
/// The build is a few seconds warm and under a minute cold (riscv-rt, proto, board).
const BUILD_LIMIT: Duration = Duration::from_secs(600);
/// The run takes well under a second; QEMU is killed after this.
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("qemu-rv")
}

/// Writes to the real stderr, past libtest's output capture, so CI logs show it.
fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Runs `cmd` to completion within `limit` (killed after it); returns (status, stdout, stderr).
fn run_bounded(mut cmd: Command, limit: Duration, what: &str) -> (bool, String, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    // Both pipes are read on threads, so a chatty child never blocks on a full pipe.
    let out = spawn_collect(child.stdout.take().expect("piped stdout"), false);
    let err = spawn_collect(child.stderr.take().expect("piped stderr"), false);
    let status = wait_or_kill(&mut child, limit);
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let Some(status) = status else {
        panic!("{what}: still running after {limit:?}, killed. Output so far:\n{out}");
    };
    (status.success(), out, err)
}

/// The QEMU command line of the cargo runner in tests/qemu-rv/.cargo/config.toml (one source
/// of truth for the machine, CPU and semihosting options).
fn runner() -> Vec<String> {
    let config = crate_dir().join(".cargo/config.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap_or_else(|e| panic!("read {}: {e}", config.display()));
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("runner = \""))
        .unwrap_or_else(|| panic!("{}: no `runner = \"...\"` line", config.display()));
    let cmd = line.strip_suffix('"').unwrap_or(line);
    cmd.split_whitespace().map(str::to_owned).collect()
}

fn qemu_present() -> bool {
    Command::new(QEMU)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Builds the target binary; returns its path and the build time.
fn build() -> (PathBuf, Duration) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release"])
        // Its own workspace and target dir: the outer test's cargo settings do not apply.
        .current_dir(crate_dir())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        // Host flags (say `-C target-cpu=native`) must not reach a riscv32imc build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    let started = Instant::now();
    let (ok, _out, err) = run_bounded(cmd, BUILD_LIMIT, "cargo build (tests/qemu-rv)");
    let took = started.elapsed();
    assert!(
        ok,
        "building tests/qemu-rv failed (is the target installed? `rustup target add {TARGET}`):\n{err}"
    );
    let elf = crate_dir()
        .join("target")
        .join(TARGET)
        .join("release")
        .join(BIN);
    assert!(elf.exists(), "no binary at {}", elf.display());
    (elf, took)
}

/// The frame files the target must have embedded (the rule of tests/qemu-rv/build.rs), with
/// their line counts.
fn expected_files() -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for p in walk(&vectors_dir()) {
        let r = rel(&p);
        let is_frames = r.ends_with(".jsonl") && !r.ends_with(EXPECTED_SUFFIX);
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let paired = name.is_some_and(|n| {
            p.with_file_name(n.replace(".jsonl", EXPECTED_SUFFIX))
                .exists()
        });
        if is_frames && (paired || r == PROTOCOL_FILE) {
            files.insert(r, p);
        }
    }
    files
}

/// A JSON value in the target's literal syntax (see tests/qemu-rv/src/out.rs).
fn literal(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items.iter().map(literal).collect();
            format!("[{}]", parts?.join(","))
        }
        Value::Object(_) => return None,
    })
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value at a dotted `path` of `v` in literal syntax: `a.b`, `list.0.name`, and `list.#`
/// for a list's length. `Err` says why there is none.
fn lookup(v: &Value, path: &str) -> Result<String, String> {
    let mut cur = v;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        if *seg == "#" && i + 1 == segments.len() {
            return match cur {
                Value::Array(a) => Ok(a.len().to_string()),
                other => Err(format!("not a list: {other}")),
            };
        }
        cur = match cur {
            Value::Object(m) => m
                .get(*seg)
                .ok_or_else(|| format!("no `{seg}` in the expected object"))?,
            Value::Array(a) => seg
                .parse::<usize>()
                .ok()
                .and_then(|n| a.get(n))
                .ok_or_else(|| format!("no item `{seg}` in the expected list"))?,
            other => return Err(format!("`{seg}` under a non-object: {other}")),
        };
    }
    literal(cur).ok_or_else(|| "an object, not a value".into())
}

/// Compares one `EVENT` line's columns (after `file:line`) with the expected object.
fn check_event(cols: &[&str], expected: &Value, errors: &mut Vec<String>) {
    let Some((kind, facts)) = cols.split_first() else {
        errors.push("EVENT line without a type".into());
        return;
    };
    if expected.get("control") == Some(&Value::Bool(true)) {
        errors.push(format!(
            "expected a control message, the target decoded a {kind}"
        ));
        return;
    }
    match expected.get("type").and_then(Value::as_str) {
        Some(t) if t == *kind => {}
        other => errors.push(format!("type: target {kind}, expected {other:?}")),
    }
    let mut seen = BTreeSet::new();
    for fact in facts {
        let Some((path, value)) = fact.split_once('=') else {
            errors.push(format!("column without `=`: {fact}"));
            continue;
        };
        seen.insert(path);
        match lookup(expected, path) {
            Ok(want) if want == *value => {}
            Ok(want) => errors.push(format!("{path}: target {value}, expected {want}")),
            Err(why) => errors.push(format!("{path}={value}: {why}")),
        }
    }
    if !seen.contains("channel") {
        errors.push("no channel fact".into());
    }
    // A kind whose expected object has fields beyond type and channel must show some.
    let expected_fields = expected.as_object().map_or(0, |m| {
        m.keys()
            .filter(|k| !matches!(k.as_str(), "type" | "channel" | "absent"))
            .count()
    });
    if expected_fields > 0 && seen.len() < 2 {
        errors.push(format!("only {} fact(s) printed for a {kind}", seen.len()));
    }
}

/// The target's lines, grouped: frame lines by `file:line`, and the others by tag.
struct Output<'a> {
    frames: BTreeMap<String, (&'a str, Vec<&'a str>)>,
    files: BTreeMap<String, usize>,
    tagged: BTreeMap<&'a str, Vec<&'a str>>,
    problems: Vec<String>,
}

fn parse(stdout: &str) -> Output<'_> {
    let mut o = Output {
        frames: BTreeMap::new(),
        files: BTreeMap::new(),
        tagged: BTreeMap::new(),
        problems: Vec::new(),
    };
    for line in stdout.lines() {
        if line.ends_with("\tCUT") {
            o.problems.push(format!("line cut on the target: {line}"));
        }
        let cols: Vec<&str> = line.split('\t').collect();
        match cols.as_slice() {
            [tag @ ("EVENT" | "CONTROL" | "BAD"), at, rest @ ..] => {
                if o.frames
                    .insert((*at).to_owned(), (*tag, rest.to_vec()))
                    .is_some()
                {
                    o.problems.push(format!("{at}: printed twice"));
                }
            }
            ["FILE", name, frames] => {
                let n = frames
                    .strip_prefix("frames=")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(usize::MAX);
                o.files.insert((*name).to_owned(), n);
            }
            [tag, ..] => o.tagged.entry(*tag).or_default().push(line),
            [] => {}
        }
    }
    o
}

fn check_frames(
    o: &Output<'_>,
    files: &BTreeMap<String, PathBuf>,
    errors: &mut Vec<String>,
) -> usize {
    let mut checked = 0;
    let embedded: BTreeSet<&String> = o.files.keys().collect();
    let wanted: BTreeSet<&String> = files.keys().collect();
    if embedded != wanted {
        errors.push(format!(
            "files embedded on the target differ from the vectors: only on target {:?}, missing {:?}",
            embedded.difference(&wanted).collect::<Vec<_>>(),
            wanted.difference(&embedded).collect::<Vec<_>>()
        ));
    }
    for (name, path) in files {
        let frames = jsonl_lines(path);
        if o.files.get(name) != Some(&frames.len()) {
            errors.push(format!(
                "{name}: {} frame lines here, target saw {:?}",
                frames.len(),
                o.files.get(name)
            ));
        }
        let expected = if name == PROTOCOL_FILE {
            None
        } else {
            let exp_path = path.with_file_name(
                path.file_name()
                    .map(|n| n.to_string_lossy().replace(".jsonl", EXPECTED_SUFFIX))
                    .unwrap_or_default(),
            );
            let lines = jsonl_lines(&exp_path);
            if lines.len() != frames.len() {
                errors.push(format!(
                    "{name}: {} frames but {} expected lines",
                    frames.len(),
                    lines.len()
                ));
            }
            Some(lines)
        };
        for (i, frame) in frames.iter().enumerate() {
            let at = format!("{name}:{}", i + 1);
            let mut errs = Vec::new();
            match o.frames.get(&at) {
                None => errs.push("no line from the target".into()),
                Some(("BAD", rest)) => errs.push(format!("target: {}", rest.join(" "))),
                Some((tag, cols)) => match &expected {
                    // The protocol file: a control message named as the frame's `event`.
                    None => {
                        let v: Value = serde_json::from_str(frame)
                            .unwrap_or_else(|e| panic!("{at}: not JSON: {e}"));
                        let want = v["event"].as_str().unwrap_or("?");
                        if *tag != "CONTROL" || cols.first() != Some(&want) {
                            errs.push(format!("target {tag} {cols:?}, expected CONTROL {want}"));
                        }
                    }
                    Some(lines) => {
                        let exp: Value = lines
                            .get(i)
                            .and_then(|l| serde_json::from_str(l).ok())
                            .unwrap_or(Value::Null);
                        if *tag == "CONTROL" {
                            if exp.get("control") != Some(&Value::Bool(true)) {
                                errs.push(format!(
                                    "target decoded a control message {cols:?}, expected {exp}"
                                ));
                            }
                        } else {
                            check_event(cols, &exp, &mut errs);
                        }
                    }
                },
            }
            checked += 1;
            errors.extend(errs.into_iter().map(|e| format!("{at}: {e}")));
        }
    }
    checked
}

#[test]
fn proto_on_rv32imc_under_qemu() {
    assert!(
        qemu_present(),
        "{QEMU} is not installed: run `bash scripts/qemu-rv.sh install` \
         (Debian package qemu-system-misc); this test is never skipped"
    );
    let (elf, build_time) = build();

    let mut args = runner();
    assert!(!args.is_empty(), "empty runner");
    let program = args.remove(0);
    let mut cmd = Command::new(&program);
    cmd.args(&args).arg(&elf);
    let started = Instant::now();
    let (ok, stdout, stderr) = run_bounded(cmd, RUN_LIMIT, "qemu-system-riscv32");
    let run_time = started.elapsed();

    let o = parse(&stdout);
    let memory = o.tagged.get("MEMORY").and_then(|l| l.first()).copied();
    say(&format!(
        "qemu-rv: build {:.1} s, run {:.2} s",
        build_time.as_secs_f64(),
        run_time.as_secs_f64()
    ));
    say(memory.unwrap_or("MEMORY line missing"));

    let mut errors = o.problems.clone();
    if !ok {
        errors.push(format!(
            "the target exited non-zero; QEMU stderr:\n{stderr}"
        ));
    }
    let target = o
        .tagged
        .get("TARGET")
        .and_then(|l| l.first())
        .copied()
        .unwrap_or("");
    if !target.contains("usize_bits=32") {
        errors.push(format!("not a 32-bit target? {target:?}"));
    }
    for fail in o.tagged.get("FAIL").into_iter().flatten() {
        errors.push((*fail).to_owned());
    }
    let checks = o.tagged.get("CHECKS").cloned().unwrap_or_default();
    for section in ["pusher", "centrifugo", "arith", "events", "alerts"] {
        let line = checks
            .iter()
            .find(|l| l.split('\t').nth(1) == Some(section));
        match line {
            Some(l) if l.ends_with("\tfailed=0") && !l.contains("\tpassed=0\t") => {}
            other => errors.push(format!("checks of {section}: {other:?}")),
        }
    }
    if memory.is_none() {
        errors.push("no MEMORY line".into());
    }
    let result = o.tagged.get("RESULT").and_then(|l| l.first()).copied();
    if !result.is_some_and(|r| r.ends_with("\tfailed=0")) {
        errors.push(format!("RESULT: {result:?}"));
    }

    let files = expected_files();
    assert!(
        !files.is_empty(),
        "no vector files under {}",
        vectors_dir().display()
    );
    let checked = check_frames(&o, &files, &mut errors);
    for p in o.frames.keys() {
        let file = p.rsplit_once(':').map_or("", |(f, _)| f);
        if !files.contains_key(file) {
            errors.push(format!("{p}: a frame of a file the vectors do not have"));
        }
    }

    say(&format!(
        "qemu-rv: {checked} vector frames compared with their expected files; {}",
        checks.join("; ").replace('\t', " ")
    ));
    assert!(
        errors.is_empty(),
        "{} problem(s) on the RV32IMC target:\n{}\n--- target output ---\n{stdout}",
        errors.len(),
        errors.join("\n")
    );
    assert!(checked > 0, "no frames checked");
}

#[test]
fn literal_syntax_matches_the_targets() {
    // The escaping both sides use, by hand.
    assert_eq!(
        quoted("a\"b\\c\nd\te\u{1}é😭"),
        r#""a\"b\\c\nd\te\u0001é😭""#
    );
    let v: Value =
        serde_json::from_str(r#"{"a":{"b":[{"c":4294967296}],"n":null,"l":["x","y"]}}"#).unwrap();
    assert_eq!(lookup(&v, "a.b.0.c").as_deref(), Ok("4294967296"));
    assert_eq!(lookup(&v, "a.b.#").as_deref(), Ok("1"));
    assert_eq!(lookup(&v, "a.n").as_deref(), Ok("null"));
    assert_eq!(lookup(&v, "a.l").as_deref(), Ok(r#"["x","y"]"#));
    assert!(lookup(&v, "a.missing").is_err());
    assert!(lookup(&v, "a").is_err()); // an object is not a fact
}
