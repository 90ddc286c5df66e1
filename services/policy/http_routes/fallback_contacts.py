"""The regional centre's fallback contacts: anyone reads them (the organisation's page shows
them when it has no VCP with a key), only the operator sets them."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.policy.domain.fallback_contacts import FallbackContacts
from services.policy.use_cases import fallback_contacts
from shared.auth.dependencies import require_operator
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of
from shared.tenants import REGIONAL_CENTRE

router = APIRouter(prefix="/v1/fallback-contacts", tags=["fallback contacts"])


@router.get("", summary="The regional centre's fallback contacts (anyone).")
async def read_fallback_contacts(runtime: Runtime = Depends(runtime_of)) -> FallbackContacts:
    return await runtime.read(REGIONAL_CENTRE, fallback_contacts.read)


@router.put(
    "",
    summary="Set the regional centre's fallback contacts (operator; the whole list, audited).",
)
async def set_fallback_contacts(
    body: FallbackContacts,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> FallbackContacts:
    async with runtime.unit_of_work(REGIONAL_CENTRE) as uow:
        return await fallback_contacts.replace(uow, body)
