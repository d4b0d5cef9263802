#!/usr/bin/env bash
# Runs a command as on a machine where nothing was ever installed or cached, so that an
# install step that only works on a warm machine fails here instead of on a user's:
#   - HOME and XDG_CACHE_HOME are new empty folders (npm's cache, ~/.cache/kickwire, ...);
#   - the Rust toolchain stays reachable (CARGO_HOME and RUSTUP_HOME keep pointing at it), but
#     `cargo install` goes to a new empty root whose bin/ is on PATH, as ~/.cargo/bin is on a
#     new machine;
#   - each tool named with --hide is taken off PATH (every other program stays).
# The folders are removed afterwards. Non-interactive: fine under CI=true with no stdin.
#
#   bash scripts/fresh.sh [--hide TOOL]... -- COMMAND [ARG]...
#   e.g. bash scripts/fresh.sh --hide wasm-opt --hide wasm-bindgen -- bash wasm/build.sh
set -euo pipefail

hide=()
while [ $# -gt 0 ]; do
  case $1 in
    --hide) hide+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--hide TOOL]... -- COMMAND [ARG]..." >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--hide TOOL]... -- COMMAND [ARG]..." >&2; exit 2; }

# The toolchain's own folders, resolved before HOME changes.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}

fresh=$(mktemp -d "${TMPDIR:-/tmp}/kickwire-fresh.XXXXXX")
trap 'rm -rf "$fresh"' EXIT
mkdir -p "$fresh/home" "$fresh/cache" "$fresh/cargo-root/bin" "$fresh/path"

# PATH without the hidden tools: a folder that holds one of them is replaced by a folder of
# links to everything else in it.
is_hidden() {
  local name
  for name in "${hide[@]}"; do [ "$1" = "$name" ] && return 0; done
  return 1
}
new_path="$fresh/cargo-root/bin"
n=0
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  holds=0
  for name in "${hide[@]}"; do [ -e "$dir/$name" ] && holds=1; done
  if [ "$holds" = 1 ]; then
    n=$((n + 1))
    shadow="$fresh/path/$n"
    mkdir -p "$shadow"
    for entry in "$dir"/*; do
      base=${entry##*/}
      is_hidden "$base" || ln -s "$entry" "$shadow/$base"
    done
    dir=$shadow
  fi
  new_path="$new_path:$dir"
done

for name in "${hide[@]}"; do
  if PATH=$new_path command -v "$name" >/dev/null 2>&1; then
    echo "fresh.sh: could not hide $name" >&2
    exit 1
  fi
done
echo "fresh.sh: empty HOME, XDG_CACHE_HOME and cargo install root; hidden: ${hide[*]:-nothing}" >&2
HOME="$fresh/home" XDG_CACHE_HOME="$fresh/cache" CARGO_INSTALL_ROOT="$fresh/cargo-root" \
  PATH="$new_path" "$@"
