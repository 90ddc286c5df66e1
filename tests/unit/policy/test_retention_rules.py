from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.policy.domain.admission import AdmissionStatus
from services.policy.domain.retention import (
    DEFAULT_VOLUNTEER_RETENTION,
    DEFAULT_VOLUNTEER_RETENTION_DAYS,
    volunteer_data_expired,
    volunteer_erasure_due,
)

LAST_ACTIVITY = date(2024, 3, 1)
RETENTION = DEFAULT_VOLUNTEER_RETENTION_DAYS
DAY_BEFORE_DUE = LAST_ACTIVITY + timedelta(days=RETENTION - 1)
DUE = LAST_ACTIVITY + timedelta(days=RETENTION)
LONG_AFTER = date(2030, 1, 1)

# status, today, expired
RETENTION_TABLE = [
    (AdmissionStatus.REJECTED, LAST_ACTIVITY, False),
    (AdmissionStatus.REJECTED, DAY_BEFORE_DUE, False),
    (AdmissionStatus.REJECTED, DUE, True),
    (AdmissionStatus.REJECTED, LONG_AFTER, True),
    (AdmissionStatus.PENDING, DAY_BEFORE_DUE, False),
    (AdmissionStatus.PENDING, DUE, True),
    (AdmissionStatus.PENDING, LONG_AFTER, True),
    (AdmissionStatus.ADMITTED, DUE, False),  # admitted volunteers are kept, however quiet
    (AdmissionStatus.ADMITTED, LONG_AFTER, False),
]


@pytest.mark.parametrize(("status", "today", "expired"), RETENTION_TABLE)
def test_volunteer_data_expiry(status: AdmissionStatus, today: date, expired: bool) -> None:
    assert volunteer_data_expired(status, LAST_ACTIVITY, RETENTION, today) is expired


def test_default_retention_is_two_years() -> None:
    assert DEFAULT_VOLUNTEER_RETENTION.days == 2 * 365


def test_a_shorter_retention_period_erases_earlier() -> None:
    assert volunteer_data_expired(AdmissionStatus.REJECTED, LAST_ACTIVITY, 28, date(2024, 3, 29))
    assert not volunteer_data_expired(
        AdmissionStatus.REJECTED, LAST_ACTIVITY, 28, date(2024, 3, 28)
    )


def test_erasure_due_date() -> None:
    assert volunteer_erasure_due(LAST_ACTIVITY, 30) == date(2024, 3, 31)


@pytest.mark.parametrize("days", [0, -5])
def test_retention_below_one_day_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        volunteer_data_expired(AdmissionStatus.REJECTED, LAST_ACTIVITY, days, LONG_AFTER)
