#!/usr/bin/env python3
"""Lists the imports between the files of each crate given and fails if they form a cycle.

An edge A -> B means file A names something of file B's module by a path: `use crate::b::X`,
`crate::b::f()` in code, `use crate::{b, c}`, `super::b` from a file below, or `b::X` from
b's parent. A crate's root
(lib.rs, main.rs) is left out: it declares every module and re-exports some, which is no
dependency of theirs on it. Comments and string literals are ignored; `mod tests { use
super::* }` inside a file is that file using itself.

    scripts/check-module-cycles.py crates/corridor-node crates/corridor-iso20022
    scripts/check-module-cycles.py --edges crates/corridor-node   # also print every edge

Exit status 1 names one cycle per crate that has one.
"""

import re
import sys
from pathlib import Path

TOKEN = re.compile(
    r"""
      (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<string>b?r(?P<hashes>\#*)".*?"(?P=hashes)|b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])')
    | (?P<mod>\bmod\s+(?P<modname>[A-Za-z_][A-Za-z0-9_]*)\s*\{)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<path>\b[A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*(?:[A-Za-z_][A-Za-z0-9_]*|\{|\*))+)
    """,
    re.VERBOSE | re.DOTALL,
)


def module_of(src: Path, file: Path) -> tuple:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def group_paths(text: str, start: int) -> list:
    """The paths inside a `use x::{a, b::{c, d}}` group opening at `start` (after its `{`)."""
    depth, i, item, items = 1, start, "", []
    while i < len(text) and depth:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if depth == 1 and c == ",":
            items.append(item)
            item = ""
        elif depth >= 1 and not (depth == 1 and c == "}"):
            item += c
        i += 1
    items.append(item)
    names = []
    for it in items:
        head = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)*)", it)
        if head:
            names.append([p.strip() for p in head.group(1).split("::")])
    return names


def references(text: str, here: tuple, files: dict):
    """Every module path the file's code names, resolved to absolute segments. A path
    starting elsewhere than `crate`, `super` or `self` is another crate's or an item's
    (`Answer::Done`) unless it starts with a child module of the current one."""
    scope = [here]  # the module each open `mod x {` block is, innermost last
    braces = [None]  # per open brace: the scope it opened, or None
    for m in TOKEN.finditer(text):
        if m.group("comment") or m.group("string"):
            continue
        if m.group("mod"):
            scope.append(scope[-1] + (m.group("modname"),))
            braces.append("mod")
            continue
        if m.group("open"):
            braces.append(None)
            continue
        if m.group("close"):
            if braces and braces.pop() == "mod":
                scope.pop()
            continue
        raw = re.sub(r"\s+", "", m.group("path"))
        segments = raw.split("::")
        group = segments[-1] == "{"
        if group:
            segments.pop()
        base = list(scope[-1])
        if segments[0] not in ("crate", "self", "super") and scope[-1] + (segments[0],) not in files:
            continue
        if segments[0] == "crate":
            base = []
            segments = segments[1:]
        while segments and segments[0] in ("self", "super"):
            if segments.pop(0) == "super":
                base = base[:-1]
        if group:
            for tail in group_paths(text, m.end()):
                yield tuple(base + segments + tail)
        else:
            yield tuple(base + segments)


def crate_graph(crate: Path) -> dict:
    src = crate / "src"
    files = {module_of(src, f): f for f in sorted(src.rglob("*.rs"))}
    edges = {}
    for module, file in files.items():
        if module == ():
            continue
        targets = set()
        for path in references(file.read_text(encoding="utf-8"), module, files):
            # The longest prefix of the path that is a file is the file it names.
            owner = next((path[:n] for n in range(len(path), 0, -1) if path[:n] in files), None)
            if owner and owner != module:
                targets.add(owner)
        edges[module] = targets
    return edges


def find_cycle(edges: dict):
    colour, stack = {}, []

    def visit(node):
        colour[node] = "grey"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if colour.get(nxt) == "grey":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = "black"
        return None

    for node in sorted(edges):
        if node not in colour:
            found = visit(node)
            if found:
                return found
    return None


def name(module: tuple) -> str:
    return "::".join(module)


def main(argv: list) -> int:
    show = "--edges" in argv
    crates = [Path(a) for a in argv if a != "--edges"]
    if not crates:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for crate in crates:
        edges = crate_graph(crate)
        if show:
            for module in sorted(edges):
                for target in sorted(edges[module]):
                    print(f"{crate.name}: {name(module)} -> {name(target)}")
        cycle = find_cycle(edges)
        if cycle:
            failed = True
            print(f"{crate.name}: cycle {' -> '.join(map(name, cycle))}")
        else:
            count = sum(map(len, edges.values()))
            print(f"{crate.name}: no cycle among {len(edges)} files ({count} edges)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
