//! Puts memory.x where the linker finds it (it includes riscv-rt's link.x), and embeds the test vectors: every frame file under
//! `tests/vectors/` that has a hand-checked `.expected.jsonl` twin, plus the Pusher protocol
//! messages of `kick/protocol/server_to_client.jsonl` (each must decode to a control message).
//! The host test (tests/tests/qemu_rv.rs) applies the same rule to know which files to expect.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

const EXPECTED_SUFFIX: &str = ".expected.jsonl";
const PROTOCOL_FILE: &str = "kick/protocol/server_to_client.jsonl";

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));

    fs::copy(manifest.join("memory.x"), out_dir.join("memory.x")).expect("copy memory.x");
    println!("cargo:rustc-link-search={}", out_dir.display());
    // Here rather than in .cargo/config.toml: a RUSTFLAGS in the environment (CI) would
    // replace the config's flags and drop the linker script.
    println!("cargo:rustc-link-arg=-Tmemory.x");
    println!("cargo:rerun-if-changed=memory.x");

    let root = manifest.join("../vectors");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut code =
        String::from("/// `(path under tests/vectors, contents)` of every embedded frame file.\n");
    code.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    let mut count = 0;
    for p in &files {
        let rel = p
            .strip_prefix(&root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let is_frames = rel.ends_with(".jsonl") && !rel.ends_with(EXPECTED_SUFFIX);
        let paired = p
            .with_file_name(
                rel.rsplit('/')
                    .next()
                    .unwrap_or("")
                    .replace(".jsonl", EXPECTED_SUFFIX),
            )
            .exists();
        if is_frames && (paired || rel == PROTOCOL_FILE) {
            let abs = p.canonicalize().expect("canonical path");
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                abs.display().to_string()
            )
            .expect("write to a String");
            count += 1;
        }
    }
    code.push_str("];\n");
    assert!(count > 0, "no vectors found under {}", root.display());
    fs::write(out_dir.join("vectors.rs"), code).expect("write vectors.rs");
}
