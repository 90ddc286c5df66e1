"""Anonymous counts per category and quarter: released by a VCP, read by the admin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from services.reports import queries
from services.reports.appointments import require_vcp_with_key
from services.reports.domain.statistics import QUARTER_PATTERN
from services.reports.use_cases import statistics
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.crypto import Category
from shared.domain.numbers import WholeNumber
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/stats", tags=["statistics"])


class Release(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quarter: str = Field(pattern=QUARTER_PATTERN, examples=["2026Q4"])
    counts: dict[Category, Annotated[WholeNumber, Field(ge=0, le=1_000_000)]] = Field(min_length=1)


class ReleasedStatistics(BaseModel):
    quarter: str
    counts: dict[str, int]
    released_at: datetime


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Release the counts of one quarter; a new release replaces the last (vcp).",
)
async def release_statistics(
    org: str,
    body: Release,
    vcp: Principal = Depends(require_vcp_with_key()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return await runtime.transact(
        org,
        lambda uow: statistics.release_statistics(
            uow, body.quarter, body.counts, vcp_id=vcp.sub, now=now
        ),
    )


@router.get("", summary="The released counts, by quarter (admin).")
async def read_statistics(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[ReleasedStatistics]:
    return [ReleasedStatistics(**row) for row in await queries.released_statistics(runtime.db, org)]
