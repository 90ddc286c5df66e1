"""The audit chain's rule, without I/O: what an entry holds, how its hash is computed, and
where a sequence of entries stops being a whole chain.

An entry is {org_id, service, seq, at, actor {sub, role}, action, object {type, id},
prev_hash, hash}. `hash` is the lowercase hex SHA-256 of the canonical JSON of every other
field: keys sorted, no whitespace (separators "," and ":"), UTF-8, non-ASCII characters
as themselves. All values are strings except `seq`, an integer, so this is also the
JSON Canonicalization Scheme (RFC 8785) of the entry. The first entry of a chain has
`prev_hash` GENESIS; every other carries the hash of the entry before it.

The time is kept to the hour ("2026-12-05T14:00Z"): enough to say when, too coarse to
pin a person down next to a report's day. Nothing in an entry is content: no report text,
message, address or token, only ids, roles and the name of the action.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
# The fields the hash covers, in the order an entry is shown.
HASHED_FIELDS = ("org_id", "service", "seq", "at", "actor", "action", "object", "prev_hash")
FIELDS = (*HASHED_FIELDS, "hash")
# When an actor holds several roles, the one recorded is the first of these it holds.
ROLE_ORDER = ("operator", "admin", "vcp", "coordinator", "volunteer")
SYSTEM = {"sub": "system", "role": "system"}


def hour_of(at: datetime) -> str:
    """`at` to the hour, in UTC: "2026-12-05T14:00Z"."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:00Z")


def principal_role(roles: Sequence[str] | frozenset[str]) -> str:
    for role in ROLE_ORDER:
        if role in roles:
            return role
    return "none"


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes the hash covers: the hashed fields of `entry` as canonical JSON."""
    body = {field: entry[field] for field in HASHED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def new_entry(
    *,
    org_id: str,
    service: str,
    seq: int,
    at: datetime,
    actor: Mapping[str, str],
    action: str,
    object_type: str,
    object_id: str,
    prev_hash: str,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "org_id": org_id,
        "service": service,
        "seq": seq,
        "at": hour_of(at),
        "actor": {"sub": str(actor["sub"]), "role": str(actor["role"])},
        "action": action,
        "object": {"type": object_type, "id": str(object_id)},
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


def linked(pending: Mapping[str, Any], seq: int, prev_hash: str) -> dict[str, Any]:
    """A pending entry (written with its change, its hour already in `at`) as the chain's
    entry `seq` after `prev_hash`."""
    entry: dict[str, Any] = {
        "org_id": str(pending["org_id"]),
        "service": str(pending["service"]),
        "seq": seq,
        "at": str(pending["at"]),
        "actor": {"sub": str(pending["actor"]["sub"]), "role": str(pending["actor"]["role"])},
        "action": str(pending["action"]),
        "object": {"type": str(pending["object"]["type"]), "id": str(pending["object"]["id"])},
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


def link_all(
    pending: Sequence[Mapping[str, Any]], tips: Mapping[str, tuple[int, str]]
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, str]]]:
    """Pending entries (of any organisations, in the order to chain them) linked after each
    organisation's tip (seq, hash; (0, GENESIS) for a chain without entries): the chained
    entries, and every organisation's tip after them."""
    after = dict(tips)
    chained = []
    for row in pending:
        org = str(row["org_id"])
        seq, prev_hash = after.get(org, (0, GENESIS))
        entry = linked(row, seq + 1, prev_hash)
        after[org] = (seq + 1, entry["hash"])
        chained.append(entry)
    return chained, after


@dataclass(frozen=True)
class Anchor:
    """Where a chain starts: seq 1 after GENESIS, or, once retention dropped days at the
    tail, the first kept entry's seq and prev_hash."""

    seq: int = 1
    prev_hash: str = GENESIS


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def first_break(
    entries: Sequence[Mapping[str, Any]],
    anchor: Anchor = Anchor(),
    head: tuple[int, str] | None = None,
) -> Break | None:
    """The first entry (by seq) where `entries` stop being a whole chain from `anchor`, or
    None. `head` (seq, hash), when known, must be the last entry: a chain cut short at the
    end is broken too."""
    expected_seq, expected_prev = anchor.seq, anchor.prev_hash
    for entry in sorted(entries, key=lambda e: int(e.get("seq", 0))):
        seq = int(entry.get("seq", 0))
        if seq != expected_seq:
            return Break(expected_seq, f"entry {expected_seq} is missing (next found: {seq})")
        if any(field not in entry for field in FIELDS):
            return Break(seq, f"entry {seq} lacks a field")
        if entry["prev_hash"] != expected_prev:
            return Break(seq, f"entry {seq} does not carry the hash of the entry before it")
        if entry_hash(entry) != entry["hash"]:
            return Break(seq, f"entry {seq} was changed: its hash does not match its content")
        expected_seq, expected_prev = seq + 1, entry["hash"]
    if head is not None and (expected_seq - 1, expected_prev) != (head[0], head[1]):
        if head[0] >= expected_seq:
            return Break(expected_seq, f"entry {expected_seq} is missing (the head is {head[0]})")
        return Break(head[0], f"the head says entry {head[0]} has another hash")
    return None
