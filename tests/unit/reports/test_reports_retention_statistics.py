from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.reports.domain.retention import delete_after
from services.reports.domain.statistics import has_started, quarter_of


def test_a_closed_case_is_kept_for_the_retention_period() -> None:
    closed = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert delete_after(closed, 24) == datetime(2028, 2, 28, 12, 0, tzinfo=UTC)
    assert delete_after(closed, 1) == datetime(2026, 3, 28, 12, 0, tzinfo=UTC)


def test_retention_needs_a_positive_period() -> None:
    with pytest.raises(ValueError):
        delete_after(datetime(2026, 1, 1, tzinfo=UTC), 0)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 1, 1), "2026Q1"),
        (date(2026, 3, 31), "2026Q1"),
        (date(2026, 4, 1), "2026Q2"),
        (date(2026, 9, 30), "2026Q3"),
        (date(2026, 12, 31), "2026Q4"),
    ],
)
def test_quarter_of(day: date, quarter: str) -> None:
    assert quarter_of(day) == quarter


def test_only_quarters_that_have_begun_can_be_released() -> None:
    today = date(2026, 5, 2)
    assert has_started("2026Q2", today)
    assert has_started("2025Q4", today)
    assert not has_started("2026Q3", today)
    assert not has_started("2027Q1", today)
    with pytest.raises(ValueError):
        has_started("2026-Q2", today)
