"""The region's open roles: an admin lists a role on the regional page, anyone finds them
(services/policy/use_cases/open_roles.py decides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from services.policy.domain.open_roles import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from services.policy.http_routes.roles import ROLE_ID_PATTERN
from services.policy.use_cases import open_roles
from services.policy.use_cases.open_roles import OpenRolePage, RoleListing
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["open roles"])


@router.put(
    "/v1/orgs/{org}/roles/{role_id}/listing",
    summary="List a role as open on the regional page /vacatures, change its listing or take"
    " it off (admin; off by default).",
    responses=errors(404),
)
async def list_role(
    org: str,
    body: RoleListing,
    role_id: str = Path(pattern=ROLE_ID_PATTERN, description="Letters, digits, . _ -"),
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> RoleListing:
    stored = await runtime.transact(org, lambda uow: open_roles.list_role(uow, role_id, body))
    return RoleListing.model_validate(stored)


class OpenRoleSearch(BaseModel):
    # A public search: a parameter it does not know is refused (422), not ignored, so that a
    # misspelt filter (`?plaats=`) does not silently answer every role.
    model_config = ConfigDict(extra="forbid")

    q: str = Field(default="", max_length=MAX_QUERY_LENGTH, description="Words to find.")
    place: str = Field(default="", max_length=MAX_QUERY_LENGTH, description="A place.")
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/v1/open-roles",
    summary="The region's open roles, found by words and place, a page at a time (anyone);"
    " organisations that are not findable never appear.",
)
async def find_open_roles(
    search: Annotated[OpenRoleSearch, Query()],
    runtime: Runtime = Depends(runtime_of),
) -> OpenRolePage:
    return await open_roles.find_open_roles(
        runtime.db, search.q, search.place, search.page, search.page_size
    )
