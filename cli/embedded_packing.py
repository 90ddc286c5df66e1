"""WiredTiger's packing of keys and values, for the formats SecantusDB uses, without its
interpreter of formats: the same bytes, fewer steps.

Why. The embedded database writes every document, index entry and catalogue row through
WiredTiger's Python cursor, which packs each key and value with `packing.pack`: pure
Python that walks the format a character at a time through two generators for every call.
Under policy's backlog that was 15 % of the database's CPU (py-spy, issue 27), most of it
for index entries (`SSSu`: database, collection, index, entry). Here a format is read once
and kept as a plan; a key or value is then packed by joining its parts. The plan covers
the formats made of `S` (a string, cut at a NUL and ended by one), `u` (bytes; with its
length first unless it is the last) and the variable-length integers; any other format,
or a value of another type than the plan expects (a `str` for `u`, a bool for `q`...),
goes to WiredTiger's own `pack`, so what this does not know it does not change.
`pack_int` answers the integers up to 2^64 the same way, and leaves the negatives and the
rest to WiredTiger's. tests/unit/test_embedded_packing.py compares both with WiredTiger's
own on random values of every format the storage uses and on the edges of each range.
"""

from __future__ import annotations

import sys
from typing import Any

import wiredtiger
from wiredtiger import intpacking

# The module WiredTiger's cursors look `pack` up in: its package loads the same file under
# a second name, so `wiredtiger.pack` is not the one they call.
_cursors_module = sys.modules[wiredtiger.Cursor.__module__]
wiredtiger_pack = _cursors_module.pack
wiredtiger_pack_int = intpacking.pack_int

# Those WiredTiger packs as variable-length integers (`b` and `B` are single bytes, `t` bits).
_INTEGERS = frozenset("hHiIlLqQr")
# WiredTiger's variable-length integers (intpacking.py): one byte up to 63, two bytes up
# to 2^13 + 63, then a length in the first byte and the value less 2^13 + 64, big-endian.
_ONE_BYTE = tuple(bytes((0x80 | n,)) for n in range(64))
_TWO_BYTES_FROM, _TWO_BYTES_UP_TO = 64, 2**13 + 63
_MULTI_FROM = _TWO_BYTES_UP_TO + 2  # one past the value WiredTiger packs in two bytes


def pack_int(value: int) -> bytes:
    if 0 <= value < _TWO_BYTES_FROM:
        return _ONE_BYTE[value]
    if _TWO_BYTES_FROM <= value <= _TWO_BYTES_UP_TO:
        value -= _TWO_BYTES_FROM
        return bytes((0xC0 | (value >> 8), value & 0xFF))
    if value >= _MULTI_FROM and value - (_MULTI_FROM - 1) < 2**64:
        packed = (value - (_MULTI_FROM - 1)).to_bytes(8, "big").lstrip(b"\0")
        return bytes((0xE0 | len(packed),)) + packed
    packed_by_wiredtiger: bytes = wiredtiger_pack_int(value)
    return packed_by_wiredtiger


_plans: dict[str, tuple[str, ...] | None] = {}


def _plan(fmt: str) -> tuple[str, ...] | None:
    """Each column's kind, or None for a format this module leaves to WiredTiger."""
    if fmt[:1] in (".", "@", "<", ">"):
        if fmt[0] != ".":
            return None
        fmt = fmt[1:]
    if not fmt or any(column not in "Su" and column not in _INTEGERS for column in fmt):
        return None
    last = len(fmt) - 1
    return tuple(
        "last u" if column == "u" and at == last else "int" if column in _INTEGERS else column
        for at, column in enumerate(fmt)
    )


def pack(fmt: str, *values: Any) -> Any:
    """`packing.pack`, the same bytes for the same format and values."""
    try:
        plan = _plans[fmt]
    except KeyError:
        plan = _plans[fmt] = _plan(fmt)
    if plan is None or len(values) != len(plan):
        return wiredtiger_pack(fmt, *values)
    parts: list[bytes] = []
    for kind, value in zip(plan, values, strict=True):
        if kind == "S":
            if type(value) is not str:
                return wiredtiger_pack(fmt, *values)
            cut = value.find("\0")
            parts.append((value if cut < 0 else value[:cut]).encode())
            parts.append(b"\0")
        elif kind == "int":
            if type(value) is not int:
                return wiredtiger_pack(fmt, *values)
            parts.append(pack_int(value))
        else:
            if type(value) is not bytes:
                return wiredtiger_pack(fmt, *values)
            if kind == "u":
                parts.append(pack_int(len(value)))
            parts.append(value)
    return b"".join(parts)


def install() -> None:
    """Have WiredTiger's cursors pack with this."""
    setattr(_cursors_module, "pack", pack)  # noqa: B010 - a module mypy sees no `pack` in


def installed() -> bool:
    return wiredtiger.Cursor.set_key.__globals__["pack"] is pack
