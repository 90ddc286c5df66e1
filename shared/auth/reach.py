"""A person's reach across organisations: the one place that decides which organisations a
read across them may include (issue 24: a regional centre's VCP serving several).

A token names one organisation, and every other route stays within it. A route that reads
across organisations (reports' `GET /v1/vcp/cases`) asks here, on every request, which
organisations the token's holder may read now, against the platform's own state:

- the token's own organisation, which the request's membership check has just passed;
- each other organisation where the membership projection (shared/auth/membership.py) holds
  the token's `sub` as a current member with `role`, which also passes the service's own
  membership check there (reports: a current, appointed VCP), and where the service says
  the membership is the same person's (`same_person`).

The last condition is the service's because a `sub` alone names a person only within one
organisation: two organisations may each appoint their own VCP `anna`. Reports answers it
from the regional centre's list (one person per centre VCP id), so an organisation's own
VCP who happens to share an id never reaches the centre VCP's organisations, nor they its.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from shared.auth.membership import CURRENT_MEMBERS, is_current_member
from shared.auth.tokens import Principal, Role

# (the service's runtime, the token's principal, another organisation) → is the member of
# that organisation with the token's `sub` the same person as the token's holder?
SamePerson = Callable[[Any, Principal, str], Awaitable[bool]]


async def organisations_reached(
    runtime: Any, principal: Principal, role: Role, same_person: SamePerson
) -> list[str]:
    """The organisations whose data of `role` the token's holder may read in one request:
    the token's own first, then the others by id. Empty for a token without `role` or
    without an organisation."""
    if role not in principal.roles or principal.org is None:
        return []
    # One query across organisations (the index on `sub` leads), then each candidate is
    # checked in its own organisation as a request there would be.
    found = (
        await runtime.db.platform_collection(CURRENT_MEMBERS)
        .find({"sub": principal.sub, "removed": False, "roles": role}, projection={"org_id": 1})
        .to_list()
    )
    candidates = sorted({str(document["org_id"]) for document in found} - {principal.org})
    check = getattr(runtime, "membership_check", None) or is_current_member
    reached = [principal.org]
    for org in candidates:
        there = Principal(sub=principal.sub, org=org, roles=frozenset({role}))
        if not await is_current_member(runtime, there):
            continue
        if not await check(runtime, there):
            continue
        if await same_person(runtime, principal, org):
            reached.append(org)
    return reached
