"""Anonymous counts per category and quarter, released by a VCP for the admin."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.reports.domain.errors import QuarterNotStarted
from services.reports.domain.statistics import has_started
from services.reports.storage import STATISTICS
from shared import audit
from shared.crypto import Category
from shared.domain.calendar import day_of
from shared.storage.unit_of_work import UnitOfWork


async def release_statistics(
    uow: UnitOfWork, quarter: str, counts: Mapping[Category, int], *, vcp_id: str, now: datetime
) -> dict[str, Any]:
    """Store the quarter's counts (a new release replaces the last); the release as shown."""
    if not has_started(quarter, day_of(now)):
        raise QuarterNotStarted(f"The quarter {quarter} has not started yet.")
    release = {"quarter": quarter, "counts": dict(sorted(counts.items())), "released_at": now}
    await uow.collection(STATISTICS).replace_one(
        {"quarter": quarter}, {**release, "released_by": vcp_id}, upsert=True
    )
    await audit.record(uow, "statistics.released", "quarter", quarter)
    return release
