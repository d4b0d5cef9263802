//! The browser package's TypeScript typings (`wasm/pkg/kickwire.d.ts`, from `wasm/build.sh`)
//! checked with the TypeScript compiler: `tests/overlay-e2e/typings/use.ts` (the API as a user
//! writes it) must compile under `--strict`, and every line of `bad.ts` must be the error it
//! names (a field that does not exist, a wrong type, an event that does not exist).

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

#[test]
fn the_typings_describe_the_api_and_every_event() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("overlay-e2e/typings");
    let (ok, out) = tsc(&dir.join("use.ts"));
    assert!(ok, "use.ts does not type-check:\n{out}");
    let (ok, out) = tsc(&dir.join("bad.ts"));
    assert!(!ok, "bad.ts type-checks, but each of its lines is an error");
    for (line, code) in [(5, "TS2339"), (6, "TS2322"), (7, "TS2345")] {
        let want = format!("bad.ts({line},");
        let found = out.lines().any(|l| l.contains(&want) && l.contains(code));
        assert!(found, "expected {code} on line {line}:\n{out}");
    }
}
