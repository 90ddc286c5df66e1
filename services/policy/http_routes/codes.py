"""Codes of conduct: numbered versions of an exact text (services/policy/use_cases/codes.py
decides)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status

from services.policy.use_cases import codes
from services.policy.use_cases.codes import CurrentCode, NewCode, PublishedCode
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["codes of conduct"])


@router.post(
    "/{org}/codes",
    status_code=status.HTTP_201_CREATED,
    summary="Publish a new version of the code of conduct (admin); the draft, if any, is done"
    " with and removed.",
    responses=errors(409),
)
async def publish_code(
    org: str,
    body: NewCode,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> PublishedCode:
    now = datetime.now(UTC)
    return await runtime.transact(org, lambda uow: codes.publish_code(uow, body, published_at=now))


@router.get(
    "/{org}/codes/current",
    summary="The current code of conduct (anyone).",
    responses=errors(404),
)
async def read_current_code(org: str, runtime: Runtime = Depends(runtime_of)) -> CurrentCode:
    return await runtime.read(org, codes.current_code)
