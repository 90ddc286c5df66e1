"""The regional centre's own VCPs (services/reports/use_cases/centre_vcps.py decides): the
operator keeps the list, an organisation's admin adds one, the centre VCP accepts or
declines in that organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from services.reports import queries
from services.reports.storage import CENTRE_VCPS
from services.reports.use_cases import centre_vcps
from services.reports.use_cases.centre_vcps import Acceptance, CentreVCPChoice
from services.reports.use_cases.vcps import NewVCP
from shared.auth.dependencies import (
    require_operator,
    require_org_role,
    require_role,
    require_that_vcp,
)
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["the regional centre's VCPs"])


class CentreVcp(BaseModel):
    """One of the regional centre's VCPs, by id and name (no address)."""

    vcp_id: str
    name: str


class CentreVcpIntroduction(BaseModel):
    """Public: a centre VCP's name and the introduction they wrote for reporters."""

    name: str
    introduction: str | None


@router.post(
    "/v1/centre-vcps",
    status_code=status.HTTP_201_CREATED,
    summary="Add a VCP to the regional centre's own (operator); organisations may then ask them.",
    responses=errors(409),
)
async def register_centre_vcp(
    body: NewVCP,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    await centre_vcps.register_centre_vcp(
        runtime.db.platform_collection(CENTRE_VCPS), body, appointed_at=datetime.now(UTC)
    )
    return {"vcp_id": body.vcp_id}


@router.get(
    "/v1/centre-vcps",
    summary="The regional centre's VCPs, by id and name, to add one (operator, admin).",
)
async def list_centre_vcps(
    _reader: Principal = Depends(require_role("operator", "admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[CentreVcp]:
    # No addresses: an admin of any organisation reads this list.
    return [CentreVcp(**row) for row in await queries.centre_vcp_names(runtime.db)]


@router.get(
    "/v1/centre-vcp-introductions",
    summary="The regional centre's VCPs by name and introduction, for reporters at an "
    "organisation without a VCP (anyone).",
)
async def list_centre_vcp_introductions(
    runtime: Runtime = Depends(runtime_of),
) -> list[CentreVcpIntroduction]:
    # Public: names and the introductions they wrote for reporters, nothing else.
    return [CentreVcpIntroduction(**row) for row in await centre_vcps.public_list(runtime.db)]


@router.post(
    "/v1/orgs/{org}/centre-vcps",
    status_code=status.HTTP_201_CREATED,
    summary="Ask one of the regional centre's VCPs to be a VCP here (admin); they accept or not.",
    responses=errors(404, 409),
)
async def add_centre_vcp(
    org: str,
    body: CentreVCPChoice,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str | None]:
    listed = await queries.centre_vcp(runtime.db, body.vcp_id)
    vcp = centre_vcps.centre_vcp_of(listed, body.vcp_id)
    now = datetime.now(UTC)
    await runtime.transact(org, lambda uow: centre_vcps.add_centre_vcp(uow, vcp, added_at=now))
    return {"vcp_id": vcp.vcp_id, "fingerprint": None}


@router.post(
    "/v1/orgs/{org}/vcps/{vcp_id}/acceptance",
    summary="A centre VCP accepts or declines the organisation's request (that VCP only).",
    responses=errors(404, 409),
)
async def answer_request(
    org: str,
    vcp_id: str,
    body: Acceptance,
    _vcp: Principal = Depends(require_that_vcp()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    now = datetime.now(UTC)
    serving = await runtime.transact(
        org, lambda uow: centre_vcps.answer_request(uow, vcp_id, body, at=now)
    )
    return {"vcp_id": vcp_id, "accepted": serving}
