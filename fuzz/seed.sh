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

# connection: op scripts (see fuzz_targets/connection.rs for the encoding) that walk both
# transports through a handshake, subscriptions, events, pings, drops and tokens, so the
# fuzzer starts from the deep states instead of finding them byte by byte.
python3 - "$corpus" "$here/fuzz_targets/connection.rs" <<'PY'
import hashlib, os, re, sys

corpus, target_src = sys.argv[1], sys.argv[2]
src = open(target_src, encoding="utf-8").read()
block = src[src.index("const SEEDS"):]
block = block[: block.index("];")]
seeds = re.findall(r'^\s*b(?:r#)?"(.*?)"#?,\s*$', block, re.M)

def seed(text):
    """The op that feeds SEEDS[i], for the seed whose text starts with `text`."""
    matches = [i for i, s in enumerate(seeds) if s.startswith(text)]
    assert matches, text
    return [4, matches[0]]

CONNECT, OPEN, SET_TOKEN, TOKEN_FAILED = [0], [1], [10], [11]
NEXT_TIMER, STILL, HOURS = [6, 3], [6, 0], [6, 254]
def close(code): return [2, code >> 8, code & 0xff]
def subscribe(i): return [7, i]  # 0 "a", 1 "b", 2 "chatrooms.1.v2"

pusher_defaults = [0x10, 0x24, 0x94]
cent_defaults = [0x11, 0x24, 0x94]
scripts = {
    "pusher-handshake-drop-4200": pusher_defaults + subscribe(0) + subscribe(2) + CONNECT + OPEN
        + seed('{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":120')
        + seed('{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"a"')
        + seed('{"event":"App') + NEXT_TIMER + seed('{"event":"pusher:pong"')
        + close(4200) + NEXT_TIMER + OPEN
        + seed('{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":1}')
        + NEXT_TIMER + NEXT_TIMER + NEXT_TIMER,
    "pusher-refused": pusher_defaults + CONNECT + OPEN + seed('{"event":"pusher:error","data":{"code":4001'),
    "centrifugo-token-refresh-fail": cent_defaults + subscribe(0) + CONNECT + TOKEN_FAILED + NEXT_TIMER
        + SET_TOKEN + OPEN + seed('{"id":1,"connect":{"client":"c","expires":true,"ttl":1,"ping":1}}')
        + seed('{"id":2,"subscribe":{}}') + NEXT_TIMER + TOKEN_FAILED + NEXT_TIMER + NEXT_TIMER
        + close(3005) + NEXT_TIMER + NEXT_TIMER + SET_TOKEN + OPEN,
    "centrifugo-no-ping": cent_defaults + subscribe(2) + SET_TOKEN + CONNECT + OPEN
        + seed('{"id":1,"connect":{"client":"c"}}') + NEXT_TIMER + seed('{"id":2}')
        + NEXT_TIMER + NEXT_TIMER + HOURS,
    "centrifugo-errors": cent_defaults + subscribe(0) + subscribe(1) + SET_TOKEN + CONNECT + OPEN
        + seed('{"id":1,"connect":{"client":"c","ping":0')
        + seed('{"id":2,"error":{"code":100') + seed('{"id":3,"error":{"code":111')
        + seed('{"push":{"channel":"a","unsubscribe":{"code":2500}}}') + NEXT_TIMER
        + seed('{"push":{"disconnect":{"code":3001') + STILL + NEXT_TIMER,
}
os.makedirs(os.path.join(corpus, "connection"), exist_ok=True)
for name, ops in scripts.items():
    data = bytes(ops)
    with open(os.path.join(corpus, "connection", hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
print("seed.sh: %d connection scripts" % len(scripts))
PY
