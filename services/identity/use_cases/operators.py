"""Operators added and removed by operators (the routes) or by `safehands operator add`
(cli/operators.py); who is one now (services/identity/domain/operators.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.identity.domain.errors import NoSuchOperator
from services.identity.domain.operators import check_operator_removal, operators_now
from services.identity.people import person_id_of
from services.identity.sessions import revoke_every_chain
from services.identity.storage import OPERATORS, PlatformStore
from shared import audit
from shared.auth.membership import announce_membership
from shared.events.identity import PLATFORM_ORG, OperatorAdded, OperatorRemoved
from shared.storage.database import Database
from shared.storage.unit_of_work import UnitOfWork


async def current_operators(db: Database, seed: frozenset[str]) -> frozenset[str]:
    """Who is an operator now: read on every sign-in and token request, so that an operator
    added or removed counts at once, with no restart."""
    rows = await db.tenant_collection(PLATFORM_ORG, OPERATORS).find({})
    return operators_now(seed, rows)


async def operator_rows(
    db: Database, store: PlatformStore, seed: frozenset[str]
) -> list[dict[str, Any]]:
    """The operators for /operator: each with its id (their token's `sub`), address, since
    when (None for a seed operator never changed), and whether the seed named them."""
    rows = {r["email"]: r for r in await db.tenant_collection(PLATFORM_ORG, OPERATORS).find({})}
    listed = []
    for address in sorted(operators_now(seed, rows.values())):
        row = rows.get(address, {})
        listed.append(
            {
                "operator_id": await person_id_of(store, address),
                "email": address,
                "since": row.get("changed_at"),
                "seed": address in seed,
            }
        )
    return listed


async def add_operator(uow: UnitOfWork, address: str, operator_id: str, *, now: datetime) -> bool:
    """Make `address` an operator (again) and announce it; False when it already is one
    through this list (adding twice changes nothing)."""
    operators = uow.collection(OPERATORS)
    found = await operators.find_one({"email": address})
    if found is not None and not found.get("removed"):
        return False
    await operators.update_one(
        {"email": address},
        {"$set": {"operator_id": operator_id, "removed": False, "changed_at": now}},
        upsert=True,
    )
    await audit.record(uow, "operator.added", "operator", operator_id)
    await announce_membership(
        uow,
        OperatorAdded(org_id=PLATFORM_ORG, operator_id=operator_id, sub=operator_id, added_at=now),
    )
    return True


async def remove_operator(
    uow: UnitOfWork,
    store: PlatformStore,
    operator_id: str,
    *,
    seed: frozenset[str],
    acting_sub: str,
    now: datetime,
) -> None:
    """Remove an operator (never oneself, never the last), announce it so that every service
    refuses their tokens at once, and end their sessions."""
    rows = await uow.collection(OPERATORS).find({})
    operators = operators_now(seed, rows)
    by_id = {await person_id_of(store, address): address for address in operators}
    leaving = by_id.get(operator_id)
    if leaving is None:
        raise NoSuchOperator("There is no operator with this id.")
    acting = by_id.get(acting_sub, "")
    check_operator_removal(operators, leaving, acting)
    await uow.collection(OPERATORS).update_one(
        {"email": leaving},
        {"$set": {"operator_id": operator_id, "removed": True, "changed_at": now}},
        upsert=True,
    )
    await audit.record(uow, "operator.removed", "operator", operator_id)
    await announce_membership(
        uow,
        OperatorRemoved(
            org_id=PLATFORM_ORG, operator_id=operator_id, sub=operator_id, removed_at=now
        ),
    )
    # Their refresh tokens would give no operator token any more; any other membership they
    # hold is theirs to sign in to again.
    await revoke_every_chain(store, leaving, now)
