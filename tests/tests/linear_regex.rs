//! No regular expression of the overlay (`examples/overlay`) or of the browser API
//! (`wasm/js/kickwire.js`) can backtrack super-linearly: `tests/overlay-e2e/regex.mjs` finds
//! every regular expression literal in those files with TypeScript's parser and proves each
//! safe with recheck's automaton checker (its pure-JavaScript backend: static, no timing). A
//! chat message may be up to 128 KiB, and a quadratic pattern over it stalls the page.
//!
//! The expressions found are listed here by hand, so one added or changed shows up in review
//! as well; recheck must also find the two emote patterns the files used before vulnerable
//! (degree 2), which shows the check can fail.
//!
//! Needs node and the npm packages of `tests/overlay-e2e` (`npm ci`; recheck and typescript).

use std::process::Command;

use kickwire_tests::browser::workspace;
use serde_json::Value;

/// `(file, source, flags)` of every expression in the files, in order.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("examples/overlay/overlay.js", "[^a-z_]", "g"),
    ("examples/overlay/overlay.js", "^#[0-9a-f]{6}$", "i"),
    // `hide`: a whole http(s) URL with no blank, and a signature parameter in its query.
    ("wasm/js/kickwire.js", r"^https?:\/\/[^\t\n\f\r ]*$", "i"),
    (
        "wasm/js/kickwire.js",
        "(?:^|&)(?:x-amz-(?:signature|credential|security-token)|signature|key-pair-id|policy)=",
        "i",
    ),
    ("wasm/js/kickwire.js", r"\d+:", "y"),
    // `serverUrl`: a URL's path ends at `?` or `#`, and starts after the host.
    ("wasm/js/kickwire.js", "[?#]", ""),
    ("wasm/js/kickwire.js", "^[^/]*", ""),
    ("wasm/js/kickwire.js", r"^wss?:\/\/", ""),
];

/// The controls: the emote patterns of kickwire.js and of the overlay before they were
/// replaced by a scanner and by the package's `parts`.
const CONTROLS: &[&str] = &[r"\[emote:(\d+):([^\]]+)\]", r"\[emote:\d+:([^\]]*)\]"];

#[test]
fn every_regex_of_the_overlay_and_the_api_is_linear() {
    let dir = workspace().join("tests/overlay-e2e");
    for module in ["recheck", "typescript"] {
        assert!(
            dir.join("node_modules").join(module).is_dir(),
            "tests/overlay-e2e/node_modules/{module} is missing: \
             (cd tests/overlay-e2e && npm ci --no-audit --no-fund --ignore-scripts)"
        );
    }
    let out = Command::new("node")
        .arg("regex.mjs")
        .current_dir(&dir)
        .output()
        .expect("run node regex.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{stderr}")))
        .collect();
    assert!(
        out.status.success(),
        "regex.mjs failed:\n{stdout}\n{stderr}"
    );
    let field = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let checked: Vec<(String, String, String)> = lines
        .iter()
        .filter(|v| v.get("file").is_some() && v["file"] != "control")
        .map(|v| (field(v, "file"), field(v, "source"), field(v, "flags")))
        .collect();
    let expected: Vec<(String, String, String)> = EXPECTED
        .iter()
        .map(|(f, s, g)| ((*f).into(), (*s).into(), (*g).into()))
        .collect();
    assert_eq!(checked, expected, "the expressions found\n{stdout}");
    for v in lines.iter().filter(|v| v.get("source").is_some()) {
        let control = v["file"] == "control";
        let want = if control { "vulnerable" } else { "safe" };
        assert_eq!(v["status"], want, "{v}");
    }
    let controls: Vec<String> = lines
        .iter()
        .filter(|v| v["file"] == "control")
        .map(|v| field(v, "source"))
        .collect();
    assert_eq!(controls, CONTROLS, "the controls");
    assert_eq!(
        lines.last().map(|v| v["ok"].clone()),
        Some(Value::Bool(true))
    );
}
