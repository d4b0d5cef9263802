// Every regular expression of the overlay (examples/overlay) and of the browser API
// (wasm/js/kickwire.js), checked statically for super-linear backtracking with recheck (its
// pure-JavaScript backend, automaton checker: a proof from the expression's automaton, no
// timing, no fuzzing). Run by tests/tests/linear_regex.rs.
//
// The expressions are found by parsing each file with TypeScript's parser (every regular
// expression literal); a RegExp built at run time could not be checked, so any `RegExp(` call
// fails the run. Two controls must come out vulnerable: the emote patterns these files used
// before, which backtrack quadratically over many unclosed `[emote:` starts.
//
// stdout: one JSON line per expression {file, source, flags, status, complexity}, then
// {"done": true, "ok": BOOL}. Exits 1 when anything is not as it must be.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

process.env.RECHECK_BACKEND = "pure";
const { check } = await import("recheck");

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FILES = ["examples/overlay/overlay.js", "wasm/js/kickwire.js"];
const PAGES = ["examples/overlay/index.html"];
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
let ok = true;
const fail = (what) => {
  ok = false;
  console.error("[regex] FAILED:", what);
};

/** The regular expression literals of a JavaScript file, and its `RegExp(` calls. */
function literals(path) {
  const file = ts.createSourceFile(path, readFileSync(ROOT + path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = [];
  const dynamic = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(file);
      const end = text.lastIndexOf("/");
      found.push({ source: text.slice(1, end), flags: text.slice(end + 1) });
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(file) === "RegExp") {
      dynamic.push(node.getText(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { found, dynamic };
}

async function verdict(source, flags) {
  const r = await check(source, flags, { checker: "automaton", timeout: 60_000 });
  return { status: r.status, complexity: r.complexity?.type === "polynomial" ? `polynomial ${r.complexity.degree}` : r.complexity?.type ?? r.error?.kind };
}

for (const page of PAGES) {
  // The pages run no script of their own (their CSP says 'self'): nothing inline to check.
  const inline = readFileSync(ROOT + page, "utf8").match(/<script(?![^>]*\bsrc=)[^>]*>/gi) ?? [];
  if (inline.length) fail(`${page} has inline scripts: ${inline.join(" ")}`);
}
for (const path of FILES) {
  const { found, dynamic } = literals(path);
  for (const d of dynamic) fail(`${path} builds a RegExp at run time, which cannot be checked: ${d}`);
  for (const { source, flags } of found) {
    const v = await verdict(source, flags);
    say({ file: path, source, flags, ...v });
    if (v.status !== "safe") fail(`${path}: /${source}/${flags} is ${v.status} (${v.complexity})`);
  }
}
// The controls: the checker must see what made the old patterns slow.
for (const [source, flags] of [["\\[emote:(\\d+):([^\\]]+)\\]", "g"], ["\\[emote:\\d+:([^\\]]*)\\]", "g"]]) {
  const v = await verdict(source, flags);
  say({ file: "control", source, flags, ...v });
  if (v.status !== "vulnerable") fail(`the control /${source}/${flags} was not found vulnerable: ${JSON.stringify(v)}`);
}
say({ done: true, ok });
process.exit(ok ? 0 : 1);
