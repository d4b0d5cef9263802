#!/usr/bin/env bash
# Builds the starting corpus of every fuzz target from the test vectors and proto's HTTP
# fixtures:
#   fuzz/corpus/<target>/<sha1 of the input>
# Every line of every *.jsonl under the vectors directory becomes one input of each frame
# target (except *.expected.jsonl: those are the decoder's expected output, not input).
# With python3 present, inputs are added that a whole line is not:
#   unescape:     the raw (still escaped) contents of each frame's "data" string;
#   event_decode: two bytes selecting the event's name (its kind's place in the event table of
#                 proto/src/kick/events.rs, then which of its wire names, with or without the
#                 prefix and the `Event` suffix: see fuzz_targets/event_decode.rs), then the
#                 decoded payload, which is what that target feeds to Event::decode;
#   parts:        the "content" of every chat message in the vectors;
#   board_link:   scripts (the op table of fuzz_targets/board_link.rs) that open a socket and
#                 receive the vector lines as WebSocket frames from the server: whole, and
#                 fragmented with a ping between, delivered in pieces, then a close frame;
#   http_reply:   status flags + every reply body in proto/src/http/*.rs (test fixtures and
#                 doc examples: channel objects, negotiation replies, token replies, history
#                 replies, Cloudflare pages) and every *.json reply under the vectors, as a 200
#                 and as a refusal or 404;
#   jwt:          the JWTs of those fixtures as token text, and their claims JSON (decoded from
#                 the token, or as the tests write it) for the target to encode.
#
# Usage: fuzz/seed.sh            (vectors from tests/vectors)
#        VECTORS=/path/to/vectors fuzz/seed.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
vectors="${VECTORS:-$here/../tests/vectors}"
corpus="$here/corpus"
targets=(envelope unescape event_decode differential redact)
# Targets whose inputs are built by the python part below.
built=(one_pass parts board_link http_reply jwt)

if [[ ! -d "$vectors" ]]; then
    echo "seed.sh: no vectors directory at $vectors (set VECTORS=...)" >&2
    exit 1
fi
mapfile -d '' files < <(find "$vectors" -type f -name '*.jsonl' ! -name '*.expected.jsonl' -print0 | sort -z)
if (( ${#files[@]} == 0 )); then
    echo "seed.sh: no *.jsonl under $vectors" >&2
    exit 1
fi
for t in "${targets[@]}" "${built[@]}"; do mkdir -p "$corpus/$t"; done

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
    echo "seed.sh: no python3, skipped the payload inputs and the ${built[*]} corpora" >&2
    exit 0
fi
python3 - "$corpus" "$here/../proto/src/kick/events.rs" "$here/fuzz_targets/event_decode.rs" "$here/../proto/src/http" "${files[@]}" <<'PY'
import base64, hashlib, json, os, re, struct, sys

corpus, table_src, target_src, http_src, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]

# The event table (`Variant(Type) = ["WireName", ...]` lines): a kind's place in it is the
# target's first byte, the place of the wire name among the kind's (times 4) its second.
src = open(table_src, encoding="utf-8").read()
block = src[src.index("events! {"):]
block = block[: block.index("\n}")]
index = {}
lines = re.findall(r'^\s*\w+\(\w+\)\s*=\s*\[([^\]]*)\]', block, re.M)
for k, names in enumerate(lines):
    for a, n in enumerate(re.findall(r'"((?:[^"\\]|\\.)*)"', names)):
        index.setdefault(n.replace("\\\\", "\\"), (k, a))

# The target's names nobody knows come after the table's kinds.
src = open(target_src, encoding="utf-8").read()
block = src[src.index("const UNKNOWN_NAMES"):]
unknown = re.findall(r'"([^"]*)"', block[: block.index("];")])

PREFIX = "App\\Events\\"

def selector(name):
    """The target's two name bytes for a wire name, or None for a name it cannot select."""
    if name in unknown:
        return bytes([len(lines) + unknown.index(name), 0])
    prefixed = name.startswith(PREFIX)
    base = name[len(PREFIX):] if prefixed else name
    suffixed = base.endswith("Event")
    found = index.get(base[: -len("Event")] if suffixed else base)
    if found is None:
        return None
    kind, alias = found
    return bytes([kind, alias * 4 + 2 * suffixed + prefixed])

def put(target, data):
    path = os.path.join(corpus, target, hashlib.sha1(data).hexdigest())
    with open(path, "wb") as f:
        f.write(data)

raw_data = re.compile(rb'"data":"((?:[^"\\]|\\.)*)"')
added = {"unescape": 0, "event_decode": 0, "one_pass": 0, "parts": 0, "board_link": 0, "http_reply": 0, "jwt": 0}
lines = []
for path in files:
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            lines.append(line)
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
            if isinstance(event, str) and selector(event) is not None:
                payload = data if isinstance(data, str) else json.dumps(data)
                put("event_decode", selector(event) + payload.encode("utf-8"))
                added["event_decode"] += 1
                # one_pass: the same, its frame written both ways (bit 7 of the second byte).
                sel = selector(event)
                for style in (0, 0x80):
                    put("one_pass", bytes([sel[0], sel[1] | style]) + payload.encode("utf-8"))
                    added["one_pass"] += 1
            # parts: chat text, from a Pusher payload or a Centrifugo publication's.
            if isinstance(frame.get("data"), str):
                try:
                    payload = json.loads(frame["data"])
                except ValueError:
                    payload = None
                if isinstance(payload, dict) and isinstance(payload.get("content"), str):
                    put("parts", payload["content"].encode("utf-8"))
                    added["parts"] += 1

# board_link: scripts in the op table of fuzz_targets/board_link.rs.
def ws_frame(b0, payload):
    n = len(payload)
    if n < 126:
        head = bytes([b0, n])
    elif n <= 0xFFFF:
        head = bytes([b0, 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, 127]) + struct.pack(">Q", n)
    return head + payload

def raw(data):  # op 5: queue raw bytes
    return b"\x05" + struct.pack("<H", len(data)) + data

OPEN = b"\x00\x01\x03"  # connect, TCP up, a good 101 (with its accept value)
ALL, PIECES = b"\x06\x00", b"\x06\x07"  # deliver everything at once, or in 7-byte pieces
ESTABLISHED = [l for l in lines if b"pusher:connection_established" in l][:1] or [
    b'{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":120}"}']
CONNECT_REPLY = [l for l in lines if l.startswith(b'{"id":1,"connect"')][:1] or [
    b'{"id":1,"connect":{"client":"c","ttl":2700,"ping":25}}']
CLOSE = ws_frame(0x88, struct.pack(">H", 1000) + b"bye")
for line in lines:
    if len(line) > 60000:
        continue
    centrifugo = not line.startswith(b'{"event"')
    hello = (CONNECT_REPLY if centrifugo else ESTABLISHED)[0]
    third = max(1, len(line) // 3)
    fragmented = (ws_frame(0x01, line[:third]) + ws_frame(0x89, b"kw") +
                  ws_frame(0x00, line[third:2 * third]) + ws_frame(0x80, line[2 * third:]))
    for config in (0x3C, 0x00):  # rx 1536, message 16384, tx 1024; or every buffer at its minimum
        config |= 1 if centrifugo else 0
        script = (bytes([config]) + b"kickwire" + OPEN + raw(ws_frame(0x81, hello)) + ALL +
                  raw(ws_frame(0x81, line) + fragmented) + PIECES + raw(CLOSE) + ALL)
        put("board_link", script)
        added["board_link"] += 1

# http_reply and jwt: the reply bodies written in proto/src/http (tests and doc examples).
literal = re.compile(r'b?r#"(.*?)"#', re.S)
bodies, tokens, claims = [], [], []
for name in sorted(os.listdir(http_src)):
    if not name.endswith(".rs"):
        continue
    src = open(os.path.join(http_src, name), encoding="utf-8").read()
    undoc = re.sub(r"(?m)^\s*/// ?", "", src)  # doc examples span `///` lines
    for text in (src, undoc):
        for m in literal.finditer(text):
            body = m.group(1)
            if "{{" in body:  # a format! template, not a body
                continue
            if body.lstrip()[:1] in ("{", "[", "<") and body not in bodies:
                bodies.append(body)
    tokens += re.findall(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*", src)
    claims += re.findall(r'jwt\(r#"(.*?)"#\)', src)
# Whole reply bodies kept as vectors (the reconstructed chat history reply).
vectors_dir = os.path.commonpath(files) if files else ""
for root, _, names in sorted(os.walk(vectors_dir)):
    for name in sorted(names):
        if name.endswith(".json"):
            body = open(os.path.join(root, name), encoding="utf-8").read()
            if body not in bodies:
                bodies.append(body)
# Status flags (see fuzz_targets/http_reply.rs): 200, 403, 404; 429 with cf-mitigated.
S200, S403, S404, CF429 = 0, 3 << 1, 4 << 1, (5 << 1) | 1
for i, body in enumerate(bodies):
    b = body.encode("utf-8")
    second = S404 if body.lstrip().startswith(("{", "[")) else S403
    for flags in (S200, second) + ((CF429,) if i == 0 else ()):
        put("http_reply", bytes([flags, 0, 0]) + b)
        added["http_reply"] += 1
for token in dict.fromkeys(tokens):
    put("jwt", b"\x00" + token.encode())
    payload = token.split(".")[1]
    claims.append(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8"))
    added["jwt"] += 1
for c in dict.fromkeys(claims):
    for flags in (0x01, 0x03, 0x05, 0x0F, 0x31):
        put("jwt", bytes([flags]) + c.encode("utf-8"))
        added["jwt"] += 1
print("seed.sh: added " + ", ".join("%d %s" % (n, t) for t, n in added.items()) + " inputs")
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
