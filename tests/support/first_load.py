"""The JavaScript a page of the built web app (web/dist) loads before anyone types, counted
from the build itself: the entry's scripts (index.html's module script and its
modulepreloads), the page's chunk and its Dutch catalogue, and every chunk those import
statically, each compressed with gzip -6 as `bench/lighthouse.py` counts what Chromium
fetched. A chunk imported dynamically (`import("./x.js")`) is left out: it loads later, if
ever (the crypto on the report form's first input, the proof of work when a challenge comes).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

# What rolldown writes: `import{a as b}from"./index-AbCd1234.js"`, `import"./x-AbCd1234.js"`.
_STATIC_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["']\./([\w.-]+\.js)["']""")
_ENTRY_SCRIPT = re.compile(r"""(?:src|href)="/assets/([\w.-]+\.js)\"""")
# A chunk's name as rolldown gives it: the module's name, "-", an 8-character hash.
_HASH = r"-[A-Za-z0-9_-]{8}\.js"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def chunk_named(dist: Path, name: str) -> str:
    """The one chunk built from the module called `name` ("Report", "report.nl")."""
    pattern = re.compile(re.escape(name) + _HASH + "$")
    found = [path.name for path in (dist / "assets").iterdir() if pattern.match(path.name)]
    if len(found) != 1:
        raise LookupError(f"expected one chunk named {name} in {dist / 'assets'}, found {found}")
    return found[0]


def static_closure(dist: Path, roots: list[str]) -> list[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        code = (dist / "assets" / name).read_text(encoding="utf-8")
        stack.extend(_STATIC_IMPORT.findall(code))
    return sorted(seen)


def first_load(dist: Path, page: str, catalogues: list[str]) -> dict[str, int]:
    """Each chunk the page loads before any input, with its gzipped size in bytes: `page` is
    the page's module ("Report"), `catalogues` its Dutch catalogues ("report.nl")."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    entry = _ENTRY_SCRIPT.findall(html)
    if not entry:
        raise LookupError(f"{dist / 'index.html'} names no script")
    roots = [*entry, chunk_named(dist, page), *(chunk_named(dist, name) for name in catalogues)]
    return {
        name: gzipped_size((dist / "assets" / name).read_bytes())
        for name in static_closure(dist, roots)
    }
