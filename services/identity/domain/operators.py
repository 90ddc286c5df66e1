"""Operators: the regional centre's people who run the platform.

SAFEHANDS_OPERATOR_EMAILS is the seed: those addresses are operators until removed. Beyond
it, identity keeps one row per address ever added or removed (`removed` true or false), so
that an operator is added (`safehands operator add`, or another operator on /operator) with
no restart, and a seed operator who was removed stays removed after one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.identity.domain.errors import LastOperator

LAST_OPERATOR = "This is the platform's last operator: add another operator first."
NOT_YOURSELF = "You cannot remove yourself as an operator: ask another operator to do it."


def operators_now(seed: frozenset[str], rows: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The operators' addresses: the seed, less those removed, plus those added."""
    rows = list(rows)
    removed = {row["email"] for row in rows if row.get("removed")}
    added = {row["email"] for row in rows if not row.get("removed")}
    return frozenset((seed - removed) | added)


def check_operator_removal(operators: frozenset[str], leaving: str, acting: str) -> None:
    """Never oneself (an operator who removed themself by mistake could not undo it), and
    so never the last one either."""
    if leaving == acting:
        raise LastOperator(NOT_YOURSELF)
    if operators - {leaving} == frozenset():
        raise LastOperator(LAST_OPERATOR)
