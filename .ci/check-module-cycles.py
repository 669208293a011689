#!/usr/bin/env python3
"""Fails when the modules of `server/src` import each other in a cycle.

Nodes are the files and folders directly under `server/src/{domain,web,db,jobs}/` (a folder such
as `domain/events/` is one node, its submodules are inside it), those four layer roots themselves
(`domain/mod.rs` ...), and the other top-level modules (`settings`, `cli`). Edges come from paths
in code: `use crate::a::b`, `crate::a::b::item`, `super::x` and `self::x` (resolved against the
file's own module), and paths that start with a child module's name in a layer root. Comments and
string literals are skipped. Test modules inside a file count as that file.

The crate root (`lib.rs`) is left out of the cycle check: it is where the layers are wired
together (`App`, `build`, `run`), so every module may use `App` while the root names every layer.
Its edges are still printed with `--graph`.

Usage: check-module-cycles.py [--graph] [SRC_DIR]   (default SRC_DIR: server/src beside .ci/)
Exit status 0 without cycles; 1 listing each cycle (strongly connected component of size > 1).

It also fails on an edge against the layering: `db` may not import `domain`, `web` or `jobs`,
and `domain` may not import `web` or `jobs` (STYLE.md: `web -> domain -> db`, `jobs -> domain/db`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LAYERS = ("domain", "web", "db", "jobs")
# The layers each layer must not import.
FORBIDDEN = {"db": ("domain", "web", "jobs"), "domain": ("web", "jobs")}
ROOT = "crate"
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(text: str) -> str:
    """The source with comments and the insides of string and char literals blanked out."""
    out: list[str] = []
    i, n = 0, len(text)

    def blank(s: str) -> str:
        return "".join(c if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif (m := re.match(r'b?r(#*)"', text[i:i + 300])) and not _ident_before(text, i):
            end = '"' + m.group(1)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + blank(text[i + 2:j]))
            i = j
        elif c == '"' or (c == "b" and text.startswith('b"', i) and not _ident_before(text, i)):
            j = i + (2 if c == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + blank(text[i + 2:j + 1]))
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a): only the former is blanked.
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", text[i:i + 12])
            if m:
                out.append(blank(m.group(0)))
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _ident_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


def module_path(src: Path, file: Path) -> tuple[str, ...]:
    """`domain/events/input.rs` -> ("domain", "events", "input"); `lib.rs` -> ()."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return tuple(parts)


def node_of(module: tuple[str, ...]) -> str:
    """The graph node a module belongs to."""
    if not module:
        return ROOT
    if module[0] in LAYERS:
        return "::".join(module[:2])
    return module[0]


def expand_use_tree(tree: str) -> list[str]:
    """`a::{b, c::{d, e as f}, self}` -> ["a::b", "a::c::d", "a::c::e", "a"]."""
    tree = re.sub(r"\s+", "", re.sub(rf"\s+as\s+{IDENT}", "", tree))
    paths: list[str] = []

    def walk(prefix: str, s: str) -> None:
        brace = s.find("{")
        if brace < 0:
            full = prefix + s
            paths.append(full[:-len("::self")] if full.endswith("::self") else full)
            return
        head, inner = s[:brace], s[brace + 1:s.rfind("}")]
        depth, start = 0, 0
        for k, ch in enumerate(inner + ","):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                part = inner[start:k]
                start = k + 1
                if part:
                    walk(prefix + head, part)

    walk("", tree)
    return paths


def references(code: str) -> list[tuple[int, str]]:
    """(line, path) for every module path that may leave the file."""
    refs: list[tuple[int, str]] = []

    def line_of(pos: int) -> int:
        return code.count("\n", 0, pos) + 1

    for m in re.finditer(r"\buse\s+([^;]+);", code):
        for path in expand_use_tree(m.group(1)):
            refs.append((line_of(m.start()), path))
    # Paths in code (and in `use` lines again, harmlessly): `crate::`, `super::`, `self::`, and
    # `name::` (kept by `resolve` only where `name` is a child module of the file's module).
    # The head of a use tree (`crate::web::{..}`) is no reference of its own.
    for m in re.finditer(rf"(?<![A-Za-z0-9_:])({IDENT}(?:::{IDENT})++)(?!::\{{)", code):
        refs.append((line_of(m.start()), m.group(1)))
    return refs


def inline_modules(code: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of `mod name { ... }` blocks, so `super::` inside them resolves right."""
    blocks = []
    for m in re.finditer(rf"\bmod\s+({IDENT})\s*\{{", code):
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
        blocks.append((m.start(), j, m.group(1)))
    return blocks


def resolve(path: str, here: tuple[str, ...], modules: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The module a path points into (its longest known-module prefix), or None if external."""
    segs = path.split("::")
    if segs[0] == "crate":
        base, segs = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    elif here + (segs[0],) in modules:
        base = here  # a child module named without `self::` (e.g. `domain::x` in lib.rs)
    else:
        return None
    target = base
    for s in segs:
        if target + (s,) in modules:
            target = target + (s,)
        else:
            break
    return target


def build_graph(src: Path) -> dict[str, dict[str, list[str]]]:
    files = [f for f in sorted(src.rglob("*.rs")) if f.relative_to(src).parts != ("main.rs",)]
    modules = {module_path(src, f) for f in files}
    # Every ancestor of a file module is a module too (a folder with only mod.rs is covered).
    modules |= {m[:k] for m in modules for k in range(len(m))}
    graph: dict[str, dict[str, list[str]]] = {}
    for f in files:
        here_file = module_path(src, f)
        source = node_of(here_file)
        graph.setdefault(source, {})
        code = strip_comments_and_strings(f.read_text(encoding="utf-8"))
        blocks = inline_modules(code)
        for line, path in references(code):
            pos = _pos_of_line(code, line)
            here = here_file + tuple(name for s, e, name in blocks if s <= pos < e)
            target = resolve(path, here, modules)
            if target is None:
                continue
            dest = node_of(target)
            if dest != source:
                where = f"{f.relative_to(src)}:{line}"
                graph[source].setdefault(dest, [])
                if where not in graph[source][dest]:
                    graph[source][dest].append(where)
    return graph


def _pos_of_line(code: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        pos = code.find("\n", pos) + 1
    return pos


def strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, [])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges.get(w, []))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                result.append(sorted(comp))
    return result


def main(argv: list[str]) -> int:
    show_graph = "--graph" in argv
    args = [a for a in argv if a != "--graph"]
    src = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "server" / "src"
    graph = build_graph(src)
    nodes = sorted(set(graph) | {d for out in graph.values() for d in out})
    if show_graph:
        print(f"module graph of {src} ({len(nodes)} modules):")
        for n in nodes:
            out = sorted(graph.get(n, {}))
            print(f"  {n} -> {', '.join(out) if out else '(nothing)'}")
    upward = [
        (a, b)
        for a in sorted(graph)
        for b in sorted(graph[a])
        if b.split("::")[0] in FORBIDDEN.get(a.split("::")[0], ())
    ]
    for a, b in upward:
        print(f"layering: {a} -> {b}   ({', '.join(graph[a][b][:3])})")
    checked = {n: sorted(d for d in graph.get(n, {}) if d != ROOT) for n in nodes if n != ROOT}
    cycles = [c for c in strongly_connected(sorted(checked), checked) if len(c) > 1]
    if not cycles:
        print("no module cycles in server/src")
        return 1 if upward else 0
    print(f"{len(cycles)} module cycle(s) in server/src:")
    for comp in sorted(cycles):
        print(f"  cycle: {' <-> '.join(comp)}")
        members = set(comp)
        for a in comp:
            for b in sorted(graph.get(a, {})):
                if b in members:
                    print(f"    {a} -> {b}   ({', '.join(graph[a][b][:3])})")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
