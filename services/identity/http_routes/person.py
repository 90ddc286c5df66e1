"""The person behind an access token, for what belongs to them rather than to one
organisation (their passkeys, their signed-in devices), and the audit entry of what they
change there."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, status

from services.identity.people import address_of
from services.identity.use_cases.operators import current_operators
from shared import audit
from shared.auth.dependencies import current_principal
from shared.auth.tokens import Principal
from shared.http.openapi import answers
from shared.runtime.runtime import Runtime, runtime_of

NO_PERSON = "The holder of this token is no longer a member here: please sign in again."


@dataclass(frozen=True)
class Person:
    address: str
    principal: Principal


async def operators_of(runtime: Runtime) -> frozenset[str]:
    """The operators now: the seed (SAFEHANDS_OPERATOR_EMAILS) and identity's own list."""
    return await current_operators(runtime.db, runtime.settings.operators)


@answers(403)
async def person_of(
    principal: Principal = Depends(current_principal), runtime: Runtime = Depends(runtime_of)
) -> Person:
    address = await address_of(
        runtime.db, principal.org, principal.sub, await operators_of(runtime)
    )
    if address is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, NO_PERSON)
    return Person(address, principal)


async def record_for(
    runtime: Runtime, person: Person, action: str, object_type: str, object_id: str
) -> None:
    """The change in the audit log of the organisation the token is for (the operator's
    belong to none, as their sign-ins); the actor is the token's member, never an address."""
    org_id = person.principal.org
    if org_id:
        await runtime.transact(
            org_id, lambda uow: audit.record(uow, action, object_type, object_id)
        )
