// The breakdown in docs/wasm-size.md, from twiggy's JSON (see scripts/wasm-size.sh, which runs
// this): usage `node scripts/wasm-size.mjs <top.json> <dominators.txt>`; markdown on stdout.
import { readFileSync } from "node:fs";

const [topFile, domFile] = process.argv.slice(2);
const rows = JSON.parse(readFileSync(topFile, "utf8"));

/** The group an item of twiggy's is counted in: a crate (a module of kickwire's own crates),
 * the data segments, or the module's structure (types, table, exports, imports). */
function group(name) {
  if (/ subsection$|^custom section/.test(name)) return null; // names: not shipped
  if (name.startsWith("data segment")) return "data segments (texts, tables)";
  if (/^kw_/.test(name)) return "kickwire_wasm (the exports, with what was inlined into them)";
  if (!name.includes("::")) {
    // Compiler builtins (__multi3), libc's (memcmp, memcpy) and wasm's own items.
    return /^(__|mem)/.test(name) ? "compiler builtins (memcpy, memcmp, __multi3)" : "wasm structure (types, table, exports)";
  }
  // `<A as B>::f`, `core::ptr::drop_in_place<A>`: the code is A's, unless A is a type of the
  // language's own (`<str as B>`, `<[T] as B>`, `<T as B>`): then it is B's.
  let path = name.replace(/^[<&[]+/, "");
  const generic = /^core(\[[0-9a-f]+\])?::ptr::drop_in_place<(.*)>/.exec(path);
  if (generic) path = generic[2].replace(/^[<&[]+/, "");
  // `<core::option::Option<u64> as kickwire_proto::json::field::Field>`: kickwire's code for a
  // type of the language's library.
  const as = /^((?:core|alloc)\b.*?) as (kickwire_\w+::.*)$/.exec(path);
  if (as) path = as[2];
  if (!/^\w+(\[[0-9a-f]+\])?::/.test(path)) {
    const inner = /\b(\w+)(\[[0-9a-f]+\])?::\w/.exec(path);
    if (inner) path = path.slice(inner.index);
  }
  const segs = path.split("::").map((s) => s.replace(/\[[0-9a-f]+\]$/, ""));
  // `<char>::to_digit`: a method of a type of the language's own.
  const crate = segs[0].endsWith(">") ? "core" : segs[0];
  if (crate === "kickwire_proto" || crate === "kickwire_wasm") {
    const module = segs[1]?.replace(/[<{ ].*/, "");
    return module && !/^h[0-9a-f]{16}$/.test(module) ? `${crate}::${module}` : crate;
  }
  return crate;
}

const groups = new Map();
let total = 0;
for (const { name, shallow_size: n } of rows) {
  const g = group(name);
  if (g === null) continue;
  total += n;
  const e = groups.get(g) ?? { bytes: 0, items: 0 };
  e.bytes += n;
  e.items += 1;
  groups.set(g, e);
}

const pct = (n) => ((100 * n) / total).toFixed(1);
const out = [];
out.push(`Shipped bytes counted (names left out): ${total}.`, "");
out.push("### Per crate (and per module of kickwire's crates)", "");
out.push("| bytes | % | items | group |", "|---:|---:|---:|---|");
for (const [g, { bytes, items }] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes))
  out.push(`| ${bytes} | ${pct(bytes)} | ${items} | ${g} |`);
out.push("", "### Largest items (twiggy top: each item's own bytes)", "");
out.push("| bytes | % | item |", "|---:|---:|---|");
const strip = (s) => s.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "").replace(/\|/g, "\\|");
for (const { name, shallow_size: n } of rows.filter((r) => group(r.name) !== null).slice(0, 40))
  out.push(`| ${n} | ${pct(n)} | \`${strip(name)}\` |`);
out.push("", "### What each export keeps alive (twiggy dominators, first level)", "");
out.push("Retained bytes: what would go with the item (code only it reaches).", "", "```");
const dom = readFileSync(domFile, "utf8").split("\n");
for (const line of dom.slice(0, 42)) if (!/function names|data names|subsection/.test(line)) out.push(strip(line.replace(/::h[0-9a-f]{16}/g, "")));
out.push("```");
console.log(out.join("\n"));
