"""Finding an organisation by name (services/policy/use_cases/directory.py decides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.policy.domain.directory import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH
from services.policy.storage import ORGANISATIONS
from services.policy.use_cases import directory
from services.policy.use_cases.directory import FoundOrganisation
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/directory", tags=["organisations"])


@router.get(
    "",
    summary="Organisations whose name matches, for the home page (anyone); at most 10,"
    " without those that chose not to be listed.",
)
async def find_organisations(
    name: Annotated[str, Query(min_length=MIN_QUERY_LENGTH, max_length=MAX_QUERY_LENGTH)],
    runtime: Runtime = Depends(runtime_of),
) -> list[FoundOrganisation]:
    return await directory.find_organisations(runtime.db.platform_collection(ORGANISATIONS), name)
