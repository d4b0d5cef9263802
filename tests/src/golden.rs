//! Golden-vector machinery shared by the tests: walking `tests/vectors/`, reading `.jsonl`
//! files, and comparing decoded output with the hand-written `.expected.jsonl` objects (see
//! `tests/vectors.rs` for the format).

use crate::vectors_dir;
use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// The suffix of an expected-output file.
pub const EXPECTED_SUFFIX: &str = ".expected.jsonl";

/// All files under `dir`, recursively, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).unwrap_or_else(|e| panic!("read_dir {}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The lines of a `.jsonl` file: one per `\n`-terminated line (a missing final newline still
/// counts the last line). Empty lines are kept, so they fail loudly instead of being skipped.
pub fn jsonl_lines(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

pub fn rel(path: &Path) -> String {
    let root = vectors_dir();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A value, cut for messages (the 7.6 KB frames would drown the report).
pub fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        let head: String = s.chars().take(300).collect();
        format!("{head}… ({} bytes)", s.len())
    } else {
        s
    }
}

/// Checks that `expected` is a subset of `actual` (see the module docs); pushes one line per
/// difference onto `errors`.
pub fn check_subset(
    path: &str,
    expected: &Value,
    actual: Option<&Value>,
    errors: &mut Vec<String>,
) {
    let Some(actual) = actual else {
        errors.push(format!("{path}: missing; expected {}", show(expected)));
        return;
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                check_subset(&format!("{path}.{k}"), ev, a.get(k), errors);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: array length {} expected, {} actual; expected {} actual {}",
                    e.len(),
                    a.len(),
                    show(expected),
                    show(actual)
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                check_subset(&format!("{path}[{i}]"), ev, Some(av), errors);
            }
        }
        _ => {
            if expected != actual {
                errors.push(format!(
                    "{path}: expected {} actual {}",
                    show(expected),
                    show(actual)
                ));
            }
        }
    }
}

/// Whether the dotted `path` (`channel_info.playback_url`) exists in `v`.
pub fn path_exists(v: &Value, path: &str) -> bool {
    let mut cur = v;
    for key in path.split('.') {
        match cur {
            Value::Object(m) => match m.get(key) {
                Some(next) => cur = next,
                None => return false,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(next) => cur = next,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Every frame of the golden vectors with its expected line: `(file:line, frame, expected)`,
/// frames outside `protocol/` only.
pub fn frames_with_expected() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for exp in walk(&vectors_dir()) {
        let name = exp
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.ends_with(EXPECTED_SUFFIX) {
            continue;
        }
        let frames = exp.with_file_name(name.replace(EXPECTED_SUFFIX, ".jsonl"));
        for (i, (f, e)) in jsonl_lines(&frames)
            .into_iter()
            .zip(jsonl_lines(&exp))
            .enumerate()
        {
            out.push((format!("{}:{}", rel(&frames), i + 1), f, e));
        }
    }
    out
}

/// Compares `actual` with one expected line (subset match plus its `"absent"` paths); returns
/// the differences.
pub fn check_expected(expected_line: &str, actual: &Value) -> Vec<String> {
    let mut expected: Map<String, Value> = match serde_json::from_str(expected_line) {
        Ok(Value::Object(m)) => m,
        Ok(other) => return vec![format!("expected line is not an object: {}", show(&other))],
        Err(e) => return vec![format!("expected line is not JSON: {e}")],
    };
    let absent: Vec<String> = match expected.remove("absent") {
        Some(Value::Array(paths)) => paths
            .iter()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let mut errors = Vec::new();
    check_subset("$", &Value::Object(expected), Some(actual), &mut errors);
    for p in absent {
        if path_exists(actual, &p) {
            errors.push(format!("$.{p}: must be absent, but the output has it"));
        }
    }
    errors
}
