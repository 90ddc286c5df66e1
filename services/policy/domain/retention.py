"""How long a volunteer's personal data is kept.

Data is kept no longer than needed. An admitted volunteer's data is needed as long as they are
admitted, however quiet their file is: nothing happens on the platform while someone simply
volunteers, and erasing them would erase a working volunteer. Everyone else — rejected
applicants, and pending volunteers (who never finished admission or fell back from admitted
and did nothing about it) — is erased once the retention period has passed since the last
activity in their file.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.policy.domain.admission import AdmissionStatus

DEFAULT_VOLUNTEER_RETENTION_DAYS = 2 * 365
DEFAULT_VOLUNTEER_RETENTION = timedelta(days=DEFAULT_VOLUNTEER_RETENTION_DAYS)


def volunteer_erasure_due(last_activity: date, retention_days: int) -> date:
    """The first day on which a no-longer-admitted volunteer's data must be gone.

    `last_activity` is the last day anything happened in the volunteer's admission file
    (application, interview, signature, VOG, a change of admission status). Storing this date
    lets a sweep find what to erase with one indexed query.
    """
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    return last_activity + timedelta(days=retention_days)


def volunteer_data_expired(
    status: AdmissionStatus, last_activity: date, retention_days: int, today: date
) -> bool:
    """Whether the volunteer's data must be erased on `today`.

    Inactive means: not admitted, and no activity for the whole retention period. The period
    counts as over on the day it has fully elapsed (kept *no longer* than the period).
    """
    if status == AdmissionStatus.ADMITTED:
        return False
    return today >= volunteer_erasure_due(last_activity, retention_days)
