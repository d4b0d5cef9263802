#!/usr/bin/env bash
# Builds the starting corpus of every fuzz target from the test vectors:
#   fuzz/corpus/<target>/<sha1 of the input>
# Every line of every *.jsonl under the vectors directory becomes one input of each target
# (except *.expected.jsonl: those are the decoder's expected output, not input).
# With python3 present, two kinds of inputs are added that a whole line is not:
#   unescape:     the raw (still escaped) contents of each frame's "data" string;
#   event_decode: one byte selecting the event's name in NAMES of fuzz_targets/event_decode.rs,
#                 then the decoded payload, which is what that target feeds to Event::decode.
#
# Usage: fuzz/seed.sh            (vectors from tests/vectors)
#        VECTORS=/path/to/vectors fuzz/seed.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
vectors="${VECTORS:-$here/../tests/vectors}"
corpus="$here/corpus"
targets=(envelope unescape event_decode differential)

if [[ ! -d "$vectors" ]]; then
    echo "seed.sh: no vectors directory at $vectors (set VECTORS=...)" >&2
    exit 1
fi
mapfile -d '' files < <(find "$vectors" -type f -name '*.jsonl' ! -name '*.expected.jsonl' -print0 | sort -z)
if (( ${#files[@]} == 0 )); then
    echo "seed.sh: no *.jsonl under $vectors" >&2
    exit 1
fi
for t in "${targets[@]}"; do mkdir -p "$corpus/$t"; done

# Writes stdin to corpus/<target>/<sha1>, named by content so reruns add nothing twice.
put() {
    local target="$1" tmp sum
    tmp="$(mktemp "$corpus/$target/.new.XXXXXX")"
    cat >"$tmp"
    sum="$(sha1sum "$tmp" | cut -c1-40)"
    mv -f "$tmp" "$corpus/$target/$sum"
}

lines=0
for f in "${files[@]}"; do
    while IFS= read -r line || [[ -n "$line" ]]; do
        [[ -z "${line//[[:space:]]/}" ]] && continue
        for t in "${targets[@]}"; do printf '%s' "$line" | put "$t"; done
        lines=$((lines + 1))
    done <"$f"
done
echo "seed.sh: $lines lines from ${#files[@]} files in $vectors"

if ! command -v python3 >/dev/null; then
    echo "seed.sh: no python3, skipped the unescape and event_decode payload inputs" >&2
    exit 0
fi
python3 - "$corpus" "$here/fuzz_targets/event_decode.rs" "${files[@]}" <<'PY'
import hashlib, json, os, re, sys

corpus, target_src, files = sys.argv[1], sys.argv[2], sys.argv[3:]

# NAMES of event_decode.rs, in order: the selector byte is an index into it.
src = open(target_src, encoding="utf-8").read()
block = src[src.index("const NAMES"):]
block = block[: block.index("];")]
names = [s.replace("\\\\", "\\") for s in re.findall(r'^\s*"((?:[^"\\]|\\.)*)",\s*$', block, re.M)]

def base(name):
    prefix = "App\\Events\\"
    if name.startswith(prefix):
        name = name[len(prefix):]
    return name[: -len("Event")] if name.endswith("Event") else name

index = {}
for i, n in enumerate(names):
    index.setdefault(base(n), i)

def put(target, data):
    path = os.path.join(corpus, target, hashlib.sha1(data).hexdigest())
    with open(path, "wb") as f:
        f.write(data)

raw_data = re.compile(rb'"data":"((?:[^"\\]|\\.)*)"')
added = {"unescape": 0, "event_decode": 0}
for path in files:
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            for m in raw_data.finditer(line):
                put("unescape", m.group(1))
                added["unescape"] += 1
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            pub = obj
            for key in ("push", "pub", "data"):  # a Centrifugo publication wraps the frame
                pub = pub.get(key) if isinstance(pub, dict) else None
            frame = pub if isinstance(pub, dict) else obj
            event, data = frame.get("event"), frame.get("data")
            if isinstance(event, str) and base(event) in index:
                payload = data if isinstance(data, str) else json.dumps(data)
                put("event_decode", bytes([index[base(event)]]) + payload.encode("utf-8"))
                added["event_decode"] += 1
print("seed.sh: added %d unescape and %d event_decode payload inputs" % (added["unescape"], added["event_decode"]))
PY
