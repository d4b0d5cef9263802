#!/usr/bin/env python3
"""Figures about the shape of the code, printed as one `CODE` line per crate directory.

    python3 scripts/code-figures.py proto/src firmware/board/src

For each directory: library files (tests excluded: `tests.rs`, `*_tests.rs`, `tests/`
folders and `#[cfg(test)]` modules), their lines of code (no blank or comment-only lines),
the largest file, and the length of every function body in lines of code: median, p90, max.
It reads Rust as text with a small lexer (strings, chars, lifetimes, comments), enough for
brace matching; it is a measuring stick for before/after comparisons, not a parser.
"""
import os
import re
import sys


def strip(src):
    """`src` with comments removed and string/char contents blanked (newlines kept)."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    if src[i] == "\n":
                        out.append("\n")
                    i += 1
        elif c == "r" and re.match(r'r#*"', src[i:i + 10]) and not (i and (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'r(#*)"', src[i:])
            end = '"' + m.group(1)
            j = src.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|\\x..|[^\\'])'", src[i:])
            if m:
                out.append("' '")
                i += len(m.group(0))
            else:  # a lifetime or a label
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def match_brace(text, open_at):
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(text) - 1


def drop_test_modules(text):
    """Blanks `#[cfg(test)] mod x { ... }` blocks (newlines kept)."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text)
        if not m:
            return text
        end = match_brace(text, m.end() - 1)
        text = text[:m.start()] + "\n" * text.count("\n", m.start(), end + 1) + text[end + 1:]


def code_lines(text):
    return sum(1 for line in text.split("\n") if line.strip())


def functions(text):
    """Body lengths (lines of code, signature to closing brace) of every `fn` with a body."""
    lengths = []
    for m in re.finditer(r"\bfn\s+\w+", text):
        # The body starts at the first `{` after the signature, unless a `;` comes first.
        k = m.end()
        depth = 0
        while k < len(text):
            ch = text[k]
            if ch in "(<[":
                depth += 1
            elif ch in ")>]":
                depth -= 1
            elif ch == ";" and depth <= 0:
                k = -1
                break
            elif ch == "{" and depth <= 0:
                break
            k += 1
        if k < 0 or k >= len(text):
            continue
        end = match_brace(text, k)
        lengths.append(code_lines(text[m.start():end + 1]))
    return lengths


def is_test_file(path):
    name = os.path.basename(path)
    parts = path.split(os.sep)
    return name == "tests.rs" or name.endswith("_tests.rs") or "tests" in parts[:-1]


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0


def main(dirs):
    for d in dirs:
        files, fns = [], []
        for root, _, names in os.walk(d):
            for name in names:
                path = os.path.join(root, name)
                if not name.endswith(".rs") or is_test_file(os.path.relpath(path, d)):
                    continue
                with open(path, encoding="utf-8") as f:
                    text = drop_test_modules(strip(f.read()))
                files.append((code_lines(text), os.path.relpath(path)))
                fns += functions(text)
        files.sort()
        big = files[-1] if files else (0, "-")
        over = sum(1 for n, _ in files if n > 400)
        print(
            f"CODE {d} files={len(files)} loc={sum(n for n, _ in files)} "
            f"largest={big[1]}:{big[0]} files_over_400={over} fns={len(fns)} "
            f"fn_median={quantile(fns, 0.5)} fn_p90={quantile(fns, 0.9)} fn_max={max(fns, default=0)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["proto/src"])
