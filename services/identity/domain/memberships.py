"""Memberships: an organisation and the roles held there, or the operator.

Admins and coordinators are staff, invited and removed in identity. A VCP's membership
mirrors reports' appointments, a volunteer's the application; those are read-only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from services.identity.domain.errors import LastAdmin
from shared.auth.tokens import Role

Kind = Literal["staff", "vcp", "volunteer"]
STAFF_ROLES: tuple[Role, ...] = ("admin", "coordinator")
# When a person holds several memberships in one organisation, a token without an explicit
# `sub` is for the first of these.
KIND_ORDER: tuple[Kind, ...] = ("staff", "vcp", "volunteer")


@dataclass(frozen=True)
class Membership:
    org_id: str | None
    roles: tuple[Role, ...]
    sub: str
    kind: Kind | Literal["operator"]

    def view(self) -> dict[str, object]:
        return {"org_id": self.org_id, "roles": list(self.roles), "sub": self.sub}


def operator_membership(
    address: str, operators: frozenset[str], person_id: str
) -> list[Membership]:
    if address not in operators:
        return []
    return [Membership(org_id=None, roles=("operator",), sub=person_id, kind="operator")]


def memberships_of(
    address: str,
    operators: frozenset[str],
    person_id: str,
    rows: Iterable[Membership],
) -> list[Membership]:
    """Everything the person at `address` may act as: operator first, then per organisation
    (staff before VCP before volunteer)."""
    ordered = sorted(rows, key=lambda m: (m.org_id or "", KIND_ORDER.index(m.kind)))
    return [*operator_membership(address, operators, person_id), *ordered]


def membership_for_token(
    memberships: Sequence[Membership], org_id: str | None, sub: str | None
) -> Membership | None:
    """The membership an access token for `org_id` is issued for; None when the person holds
    none there (any more)."""
    for membership in memberships:
        if membership.org_id == org_id and (sub is None or membership.sub == sub):
            return membership
    return None


def preferred_membership(
    memberships: Sequence[Membership],
    *,
    link_for: tuple[str | None, str] | None,
    last_used: Mapping[tuple[str | None, str], datetime],
) -> Membership | None:
    """The membership a person starts in after signing in: the one an invitation was sent
    for (`link_for`: its organisation and kind), else the one they used last (`last_used`:
    when each `(org_id, sub)` last got an access token), else their only one. None leaves
    the choice to the person."""
    if link_for is not None:
        for membership in memberships:
            if (membership.org_id, membership.kind) == link_for:
                return membership
    used = [m for m in memberships if (m.org_id, m.sub) in last_used]
    if used:
        return max(used, key=lambda m: last_used[(m.org_id, m.sub)])
    return memberships[0] if len(memberships) == 1 else None


def merged_roles(held: Iterable[Role], added: Iterable[Role]) -> tuple[Role, ...]:
    """Roles in a fixed order, without duplicates, so that equal sets compare equal."""
    every = set(held) | set(added)
    return tuple(role for role in STAFF_ROLES if role in every)


LAST_ADMIN = "This is the organisation's last admin: invite another admin first."


def check_removal(admin_ids: Iterable[str], member_id: str) -> None:
    """LastAdmin when `member_id` is the only admin among `admin_ids`."""
    remaining = set(admin_ids) - {member_id}
    if member_id in set(admin_ids) and not remaining:
        raise LastAdmin(LAST_ADMIN)
