"""What anyone sees of the regional centre's VCPs (services/reports/domain/centre_vcps.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.reports.domain.centre_vcps import public_centre_vcps

EARLY = datetime(2026, 1, 1, tzinfo=UTC)
LATE = datetime(2026, 6, 1, tzinfo=UTC)


def test_each_centre_vcp_by_name_with_the_introduction_of_their_earliest_appointment() -> None:
    listed = [
        {"vcp_id": "z", "name": "Zeynep", "email": "z@example.org"},
        {"vcp_id": "a", "name": "anna", "email": "a@example.org"},
    ]
    appointments = [
        {"vcp_id": "z", "org_id": "b", "introduction": "Later.", "appointed_at": LATE},
        {"vcp_id": "z", "org_id": "c", "introduction": "Eerst.", "appointed_at": EARLY},
        # Not written there: the earliest one with a text stands for her.
        {"vcp_id": "a", "org_id": "a", "introduction": None, "appointed_at": EARLY},
        {"vcp_id": "a", "org_id": "d", "introduction": "Hallo.", "appointed_at": LATE},
    ]
    assert public_centre_vcps(listed, appointments) == [
        {"name": "anna", "introduction": "Hallo."},
        {"name": "Zeynep", "introduction": "Eerst."},
    ]


def test_a_centre_vcp_without_an_introduction_is_listed_by_name() -> None:
    listed = [{"vcp_id": "x", "name": "Xander"}]
    assert public_centre_vcps(listed, []) == [{"name": "Xander", "introduction": None}]
