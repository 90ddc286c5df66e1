"""How long a report is kept: the organisation's retention period after the case closed.

An open case is never deleted by the clock: it is still being handled.
"""

from __future__ import annotations

from datetime import datetime

from services.reports.domain.deadlines import add_months


def delete_after(closed_at: datetime, retention_months: int) -> datetime:
    """The moment from which a case closed at `closed_at` must be gone."""
    if retention_months < 1:
        raise ValueError("retention_months must be at least 1")
    return add_months(closed_at, retention_months)
