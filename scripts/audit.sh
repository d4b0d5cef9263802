#!/usr/bin/env bash
# Dependency audit: every Cargo.lock of the repository against a local copy of the RustSec
# advisory database (cargo-audit, offline: vulnerabilities, unmaintained, unsound, yanked), then
# every package-lock.json and the npm tools of wasm/build.sh with `npm audit`. What it found
# last time, and why each finding stays, is docs/dependencies.md.
#
#   bash scripts/audit.sh DB              DB: a checkout of rustsec/advisory-db, or a bare git copy
#   RUSTSEC_DB=DB bash scripts/audit.sh   (a bare copy is cloned to ~/.cache/kickwire/advisory-db)
#
# Exit 0: no finding beyond the accepted ones below; 1: a new finding; 2: no usable DB. npm
# parts that cannot be audited (the registry's audit endpoint refuses) are listed, not failed.
# Not run by CI: the advisory database is not reachable from it (see docs/dependencies.md).
# Idempotent: writes only the DB clone in the cache and cargo-audit in ~/.cargo/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'audit.sh: %s\n' "$*" >&2; exit 2; }

CARGO_AUDIT_VERSION=0.22.2
# Findings reviewed and kept: each has its section in docs/dependencies.md. Only advisories that
# are unmaintained notices belong here; a vulnerability is never accepted by this list.
ACCEPTED=(
  RUSTSEC-2024-0436 # paste, unmaintained: proc macro of esp-hal 1.2.2 and riscv 0.15
)

db=${1:-${RUSTSEC_DB:-}}
[ -n "$db" ] || die "no advisory database given: bash scripts/audit.sh PATH (a checkout or bare git copy of rustsec/advisory-db)"
[ -e "$db" ] || die "advisory database not found at '$db'"

step "advisory database"
if [ -d "$db/crates" ]; then
  dbdir=$db
elif [ "$(git -C "$db" rev-parse --is-bare-repository 2>/dev/null)" = "true" ]; then
  dbdir="${XDG_CACHE_HOME:-$HOME/.cache}/kickwire/advisory-db"
  if [ -d "$dbdir/.git" ]; then
    git -C "$dbdir" fetch -q "$db" HEAD
    git -C "$dbdir" checkout -q --detach FETCH_HEAD
  else
    mkdir -p "$(dirname "$dbdir")"
    git clone -q "$db" "$dbdir"
  fi
else
  die "'$db' is neither a checkout of rustsec/advisory-db (no crates/ folder) nor a bare git copy of it"
fi
[ -d "$dbdir/crates" ] || die "'$dbdir' has no crates/ folder: not the RustSec advisory database"
if snapshot=$(git -C "$dbdir" log -1 --format='%cs (%h)' 2>/dev/null); then
  echo "snapshot of $snapshot, $(find "$dbdir/crates" -name 'RUSTSEC-*.md' | wc -l) crate advisories" >&2
fi

step "cargo-audit $CARGO_AUDIT_VERSION"
if [ "$(cargo audit --version 2>/dev/null)" != "cargo-audit $CARGO_AUDIT_VERSION" ]; then
  # About 10 minutes on 2 cores, once.
  cargo install cargo-audit --version "$CARGO_AUDIT_VERSION" --locked >&2
fi

ignore=()
for id in "${ACCEPTED[@]}"; do ignore+=(--ignore "$id"); done

failed=()
unaudited=()
while IFS= read -r lock; do
  step "cargo audit $lock"
  # --deny warnings: an unmaintained, unsound or yanked crate fails like a vulnerability.
  # The yanked check reads the registry index (the one network access; the DB stays local).
  if ! cargo audit --db "$dbdir" --no-fetch --file "$lock" --deny warnings --color never "${ignore[@]}"; then
    failed+=("$lock")
  fi
done < <(git ls-files '*Cargo.lock')

# One `npm audit` of the lockfile in $1; its verdict goes to failed/unaudited.
npm_audit() {
  local dir=$1 name=$2 out verdict
  out=$(cd "$dir" && timeout 120 npm audit --package-lock-only --json 2>/dev/null) || true
  verdict=$(printf '%s' "$out" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      let r; try { r = JSON.parse(s); } catch { console.log("unaudited: no answer"); return; }
      if (r.error || r.statusCode) { console.log("unaudited: " + (r.message || "audit endpoint error")); return; }
      const v = r.metadata.vulnerabilities;
      console.log(v.total === 0 ? "clean" : "findings: " + JSON.stringify(v));
    });')
  echo "$name: $verdict" >&2
  case $verdict in
    clean) ;;
    unaudited*) unaudited+=("$name (${verdict#unaudited: })") ;;
    *) failed+=("$name") ;;
  esac
}

while IFS= read -r lock; do
  step "npm audit $lock"
  npm_audit "$(dirname "$lock")" "$lock"
done < <(git ls-files '*package-lock.json')

step "npm audit: binaryen and esbuild as wasm/build.sh installs them"
binaryen=$(sed -n 's/^BINARYEN_NPM=//p' wasm/build.sh)
esbuild=$(sed -n 's/^ESBUILD_NPM=//p' wasm/build.sh)
if [ -z "$binaryen" ] || [ -z "$esbuild" ]; then
  die "cannot read BINARYEN_NPM / ESBUILD_NPM in wasm/build.sh"
fi
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
(cd "$tools" && echo '{"private":true}' >package.json &&
  timeout 300 npm install --package-lock-only --ignore-scripts --no-audit --no-fund \
    "binaryen@$binaryen" "esbuild@$esbuild" >/dev/null 2>&1) ||
  die "npm could not resolve binaryen@$binaryen and esbuild@$esbuild"
npm_audit "$tools" "wasm/build.sh tools (binaryen@$binaryen, esbuild@$esbuild)"

step "summary"
for u in "${unaudited[@]}"; do echo "NOT AUDITED: $u" >&2; done
if [ "${#failed[@]}" -gt 0 ]; then
  for f in "${failed[@]}"; do echo "FINDINGS: $f" >&2; done
  echo "new findings: record each in docs/dependencies.md (replaced, or why it stays)" >&2
  exit 1
fi
echo "no finding beyond the accepted ones (${ACCEPTED[*]})" >&2
