"""Writes events.d.ts to stdout: the TypeScript type of every Kick event's payload as Kick sends
it (what `JSON.parse` of a frame's `data` gives), derived from the real frames in tests/vectors.

Run from the repository root (generate.sh does). Inputs:
  proto/src/kick/events.rs  the event table: EventKind and its wire names, in `ALL`'s order
  wasm/src/names.rs         the names JavaScript listeners use where they differ (`js_name`)
  tests/vectors/**/*.jsonl  one WebSocket frame a line: Pusher `{"event","data","channel"}` or a
                            Centrifugo `{"push":{"channel","pub":{"data":{"event","data"}}}}`.
                            Skipped: `*.expected.jsonl` (kickwire's expected output, not frames)
                            and files with `synthetic` in their name (made up, not captured).

For each event: the union of the fields seen across all its frames, a field missing from some
of them optional; value types from the values seen (`null` included when seen; a field only
ever null is `unknown`, an array only ever empty `unknown[]`); objects nested recursively;
arrays typed by the union of their elements. Events with no frame are `Record<string, unknown>`.
"""
import collections
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(".")
PREFIX = "App\\Events\\"


def read_table():
    """The event table of proto/src/kick/events.rs: [(kind, [wire names])] in table order."""
    src = (ROOT / "proto/src/kick/events.rs").read_text()
    body = src[src.index("events! {"):]
    body = body[: body.index("\n}")]
    lines = re.findall(r'^\s*(\w+)\(\w+\)\s*=\s*\[([^\]]*)\]', body, re.M)
    table = [
        (kind, [n.replace("\\\\", "\\") for n in re.findall(r'"([^"]*)"', names)])
        for kind, names in lines
    ]
    if len(table) < 30:
        sys.exit(f"generate.py: read only {len(table)} events from proto/src/kick/events.rs")
    return table


def read_from_name(table):
    """`EventKind::from_name` as a dict: base name (no prefix, no `Event` suffix) -> kind."""
    return {name: kind for kind, names in table for name in names}


def read_js_names(table):
    """[(kind, js name)] in the order JavaScript numbers them (`EventKind::ALL`, the table's):
    the kind's own name unless `js_name` in wasm/src/names.rs spells it otherwise."""
    src = (ROOT / "wasm/src/names.rs").read_text()
    body = src[src.index("fn js_name"):]
    body = body[: body.index("\n}")]
    renamed = dict(re.findall(r'EventKind::(\w+)\s*=>\s*"(\w+)"', body))
    if not renamed:
        sys.exit("generate.py: could not read js_name from wasm/src/names.rs")
    return [(kind, renamed.get(kind, kind)) for kind, _ in table]


def from_name(table, name):
    base = name[len(PREFIX):] if name.startswith(PREFIX) else name
    base = base[: -len("Event")] if base.endswith("Event") else base
    return table.get(base, "Unknown")


def frames():
    """(file, line, wire name, data text or value) for every Kick-shaped frame in the vectors."""
    for path in sorted((ROOT / "tests/vectors").rglob("*.jsonl")):
        if path.name.endswith(".expected.jsonl") or "synthetic" in path.name:
            continue
        rel = path.relative_to(ROOT / "tests/vectors")
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            o = json.loads(line)
            if not isinstance(o, dict):
                continue
            pub = (o.get("push") or {}).get("pub") if isinstance(o.get("push"), dict) else None
            if isinstance(pub, dict) and isinstance(pub.get("data"), dict):
                o = pub["data"]  # Centrifugo: the Pusher-style event inside the publication
            if isinstance(o.get("event"), str) and "data" in o:
                yield rel, n, o["event"], o["data"]


# ----- shapes: what was seen of one value position, merged over every frame -----


def shape():
    return {
        "n": 0,  # values seen here
        "prims": set(),  # "string" | "number" | "boolean" | "null"
        "objects": 0,  # how many of them were objects
        "keys": collections.OrderedDict(),  # key -> (times present, shape)
        "arrays": 0,
        "items": None,  # the elements' shape, over every array
    }


def merge(s, v):
    s["n"] += 1
    if v is None:
        s["prims"].add("null")
    elif isinstance(v, bool):
        s["prims"].add("boolean")
    elif isinstance(v, (int, float)):
        s["prims"].add("number")
    elif isinstance(v, str):
        s["prims"].add("string")
    elif isinstance(v, list):
        s["arrays"] += 1
        if s["items"] is None:
            s["items"] = shape()
        for it in v:
            merge(s["items"], it)
    elif isinstance(v, dict):
        s["objects"] += 1
        for k, x in v.items():
            if k not in s["keys"]:
                s["keys"][k] = [0, shape()]
            s["keys"][k][0] += 1
            merge(s["keys"][k][1], x)


PRIM_ORDER = ["string", "number", "boolean", "null"]


def note(s):
    """A doc comment for what the type cannot say, or None."""
    if s["prims"] == {"null"} and not s["objects"] and not s["arrays"]:
        return "Always `null` in the frames seen: its type otherwise is not known."
    if s["objects"] and not s["keys"]:
        return "Always an empty object in the frames seen: its fields are not known."
    if s["arrays"] and not s["objects"] and not (s["prims"] - {"null"}):
        if s["items"] is None or s["items"]["n"] == 0:
            return "Always an empty array in the frames seen: its elements' type is not known."
    return None


def render(s, indent):
    if s["prims"] == {"null"} and not s["objects"] and not s["arrays"]:
        return "unknown"
    parts = []
    if s["objects"]:
        parts.append(render_object(s, indent) if s["keys"] else "Record<string, unknown>")
    if s["arrays"]:
        it = s["items"]
        if it is None or it["n"] == 0:
            parts.append("unknown[]")
        else:
            t = render(it, indent)
            simple = not it["objects"] and not it["arrays"] and len(it["prims"]) == 1
            parts.append(f"{t}[]" if simple else f"Array<{t}>")
    parts += [p for p in PRIM_ORDER if p in s["prims"]]
    return " | ".join(parts)


def key(k):
    return k if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", k) else json.dumps(k)


def render_fields(s, indent, extra=()):
    pad = "  " * (indent + 1)
    lines = []
    for k, (present, sub) in s["keys"].items():
        c = note(sub)
        if c:
            lines.append(f"{pad}/** {c} */")
        opt = "?" if present < s["objects"] else ""
        lines.append(f"{pad}{key(k)}{opt}: {render(sub, indent + 1)};")
    for line in extra:
        lines.append(pad + line)
    return lines


def render_object(s, indent):
    return "\n".join(["{", *render_fields(s, indent), "  " * indent + "}"])


# ----- the file -----


def main():
    events = read_table()
    table = read_from_name(events)
    kinds = read_js_names(events)
    js_name = dict(kinds)
    seen = {k: shape() for k, _ in kinds}
    sources = {k: collections.Counter() for k, _ in kinds}
    wire = {k: [] for k, _ in kinds}
    for rel, _line, event, data in frames():
        kind = from_name(table, event)
        if kind == "Unknown":
            continue  # pusher:*, replies: not Kick events
        if kind not in js_name:
            sys.exit(f"generate.py: {event} ({rel}) is EventKind::{kind}, which the JavaScript names lack")
        merge(seen[kind], json.loads(data) if isinstance(data, str) else data)
        sources[kind][str(rel)] += 1
        if event not in wire[kind]:
            wire[kind].append(event)

    out = [
        "",
        "// ----- Kick's event payloads. GENERATED by wasm/types/generate.sh: do not edit; run it",
        "// again when the vectors or the event names change. Each type is what JSON.parse of the",
        "// `data` Kick sends gives, derived from the real frames in tests/vectors (the union of the",
        "// fields seen; a field missing from some frames is optional). Kick changes its payloads",
        "// without notice: fields and frames not seen here may come. -----",
    ]
    for kind, name in kinds:
        s = seen[kind]
        n = s["n"]
        doc = [f"/**", f" * `{name}`: the payload of Kick's "]
        if n == 0:
            doc[1] += f"`{kind}` event (`EventKind::{kind}`)."
            doc += [
                " * No frame of it is in tests/vectors, so its fields are not known.",
                " */",
                f"export type {name} = Record<string, unknown>;",
            ]
            out += ["", *doc]
            continue
        doc[1] += ", ".join(f"`{w}`" for w in wire[kind]) + "."
        files = ", ".join(f"{f} ({c})" for f, c in sorted(sources[kind].items()))
        doc.append(f" * Derived from {n} frame{'s' if n > 1 else ''}: {files}.")
        c = note(s)
        if c:
            doc.append(f" * {c}")
        doc.append(" */")
        out += ["", *doc]
        only_object = s["objects"] == n and s["keys"]
        if only_object:
            extra = []
            if name == "ChatMessage":
                extra = [
                    "/** Added by kickwire: `content` split into text and emotes (see `parts`). */",
                    "parts: ContentPart[];",
                ]
            out.append(f"export interface {name} {{")
            out += render_fields(s, 0, extra)
            out.append("}")
        else:
            out.append(f"export type {name} = {render(s, 0)};")

    out += [
        "",
        "/** Every Kick event kickwire knows, by the name listeners use, with its payload type. */",
        "export interface KickPayloads {",
        *[f"  {name}: {name};" for _, name in kinds],
        "}",
        "",
        "/** The name of a Kick event kickwire knows. */",
        "export type KickEventName = keyof KickPayloads;",
    ]
    print("\n".join(out))


main()
