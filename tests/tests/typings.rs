//! The browser package's TypeScript typings (`wasm/pkg/kickwire.d.ts`, from `wasm/build.sh`)
//! checked with the TypeScript compiler: `tests/overlay-e2e/typings/use.ts` (the API as a user
//! writes it, with Kick's raw payloads) must compile under `--strict`, and `bad.ts` must fail
//! with exactly the errors its lines name in `// TSnnnn` comments, no more and no fewer (a
//! field Kick does not send, a wrong type, an event that does not exist, a wrong listener).

use std::path::Path;
use std::process::Command;

fn tsc(file: &Path) -> (bool, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tsc = root.join("overlay-e2e/node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "{} is missing: run bash scripts/test.sh (npm ci in tests/overlay-e2e)",
        tsc.display()
    );
    let pkg = root.join("../wasm/pkg/kickwire.d.ts");
    assert!(
        pkg.exists(),
        "{} is missing: run bash wasm/build.sh",
        pkg.display()
    );
    let out = Command::new(tsc)
        .args([
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "es2022",
            "--moduleResolution",
            "bundler",
            "--lib",
            "esnext,dom",
        ])
        .arg(file)
        .output()
        .expect("run tsc");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The `(line, "TSnnnn")` errors `bad.ts` says it has: each line ending in `// TSnnnn`.
fn expected_errors(source: &str) -> Vec<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let code = l.rsplit_once("// ")?.1.trim();
            let digits = code.strip_prefix("TS")?;
            (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (i + 1, code.to_owned()))
        })
        .collect()
}

/// The `(line, "TSnnnn")` errors tsc reported in `bad.ts`.
fn reported_errors(out: &str) -> Vec<(usize, String)> {
    out.lines()
        .filter_map(|l| {
            let rest = &l[l.find("bad.ts(")? + "bad.ts(".len()..];
            let (line, rest) = rest.split_once(',')?;
            let code = rest.split_once("error ")?.1.split(':').next()?;
            Some((line.parse().ok()?, code.to_owned()))
        })
        .collect()
}

#[test]
fn the_typings_describe_the_api_and_every_event() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("overlay-e2e/typings");
    let (ok, out) = tsc(&dir.join("use.ts"));
    assert!(ok, "use.ts does not type-check:\n{out}");

    let bad = std::fs::read_to_string(dir.join("bad.ts")).expect("read bad.ts");
    let expected = expected_errors(&bad);
    // Hand-counted: the lines of bad.ts marked `// TSnnnn` (a marker lost in an edit shows here).
    assert_eq!(expected.len(), 29, "bad.ts's marked lines: {expected:?}");
    let (ok, out) = tsc(&dir.join("bad.ts"));
    assert!(
        !ok,
        "bad.ts type-checks, but each of its marked lines is an error"
    );
    let mut reported = reported_errors(&out);
    reported.sort();
    assert_eq!(
        reported, expected,
        "bad.ts's errors are not exactly the marked ones:\n{out}"
    );
}
