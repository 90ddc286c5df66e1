"""WiredTiger's packing without its format interpreter (cli/embedded_packing.py): the same
bytes as WiredTiger's own `pack` for every format the storage uses, on random values and on
the edges of each integer range; whatever it does not plan for is WiredTiger's."""

from __future__ import annotations

import random
from typing import Any

import pytest

from cli.embedded_packing import pack, pack_int, wiredtiger_pack, wiredtiger_pack_int

# The formats SecantusDB's tables use (key_format / value_format), and a few more.
FORMATS = (
    "S",
    "SS",
    "SSS",
    "SSSu",
    "SSq",
    "SSu",
    "q",
    "u",
    "Q",
    "r",
    "i",
    "H",
    "uS",
    "qu",
    "Sq",
    ".SSu",
)
EDGES = (0, 1, 63, 64, 65, 2**13 + 63, 2**13 + 64, 2**13 + 65, 2**32, 2**64 - 1, 2**64 + 8255)


def either(packer: Any, *arguments: Any) -> Any:
    """What a packer answers: its bytes, or the kind of error it raises."""
    try:
        return packer(*arguments)
    except Exception as error:  # the kind of error is what is compared
        return type(error)


def a_value(rng: random.Random, column: str) -> Any:
    if column == "S":
        alphabet = "abcé€\0_.-" if rng.random() < 0.3 else "abcdefghij"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
    if column == "u":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    return rng.choice(
        (rng.randrange(0, 64), rng.randrange(64, 9000), rng.randrange(0, 2**64), rng.choice(EDGES))
    )


def test_every_format_packs_to_wiredtigers_bytes() -> None:
    rng = random.Random(27)
    for _ in range(20_000):
        fmt = rng.choice(FORMATS)
        values = [a_value(rng, column) for column in fmt.lstrip(".")]
        assert either(pack, fmt, *values) == either(wiredtiger_pack, fmt, *values), (fmt, values)


@pytest.mark.parametrize("value", [*EDGES, -1, -64, -65, -(2**13) - 64, -(2**63), 2**64 + 8256])
def test_an_integer_packs_as_wiredtiger_packs_it(value: int) -> None:
    assert either(pack_int, value) == either(wiredtiger_pack_int, value)
    assert either(pack, "q", value) == either(wiredtiger_pack, "q", value)


@pytest.mark.parametrize(
    ("fmt", "values"),
    [
        ("u", ("text, not bytes",)),  # WiredTiger encodes a str for u itself
        ("Su", ("a", "b")),
        ("q", (True,)),  # a bool is an int to WiredTiger
        ("10s", ("padded",)),  # a size: not planned
        ("SB", ("a", 7)),
        ("t", (1,)),
        ("SS", ("only one",)),  # too few values: WiredTiger's error
        ("S", ("a", "extra")),  # too many: WiredTiger ignores the extra one
        ("<q", (1,)),
    ],
)
def test_what_is_not_planned_for_is_wiredtigers(fmt: str, values: tuple[Any, ...]) -> None:
    assert either(pack, fmt, *values) == either(wiredtiger_pack, fmt, *values)
