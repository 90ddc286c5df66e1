"""reports' settings and statistics: each change is one audited unit of work (issue 22's
"settings changed"), and a refused release writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.errors import QuarterNotStarted
from services.reports.domain.retention import delete_after
from services.reports.storage import INDEXES, REPORTS, STATISTICS
from services.reports.use_cases.case_settings import set_case_settings
from services.reports.use_cases.report_webhooks import ReportWebhooks, set_report_webhooks
from services.reports.use_cases.statistics import release_statistics
from shared.audit.log import AUDIT_INDEXES, AUDIT_PENDING, PENDING_ORDER
from shared.auth.dependencies import ACTING
from shared.auth.tokens import Principal
from tests.support.fake_unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
CLOSED_AT = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork("org-1", indexes=(*INDEXES, *AUDIT_INDEXES))


@pytest.fixture(autouse=True)
def acting() -> object:
    token = ACTING.set(Principal(sub="vera", org="org-1", roles=frozenset({"vcp", "admin"})))
    yield
    ACTING.reset(token)


async def entries(uow: FakeUnitOfWork) -> list[tuple[str, str, str]]:
    """The entries the unit of work wrote for the chain (the chainer links them later)."""
    rows = await uow.collection(AUDIT_PENDING).find({}, sort=PENDING_ORDER)
    return [(r["action"], r["object"]["type"], r["object"]["id"]) for r in rows]


async def test_case_settings_apply_retention_to_closed_cases_and_are_logged(
    uow: FakeUnitOfWork,
) -> None:
    await uow.collection(REPORTS).insert_one(
        {"report_id": "r1", "mailbox_lookup": "m1", "status": "closed", "closed_at": CLOSED_AT}
    )
    await uow.collection(REPORTS).insert_one(
        {"report_id": "r2", "mailbox_lookup": "m2", "status": "received"}
    )
    wanted = CaseSettings(retention_months=6)
    assert await set_case_settings(uow, wanted) == wanted
    closed = await uow.collection(REPORTS).find_one({"report_id": "r1"})
    assert closed is not None and closed["delete_after"] == delete_after(CLOSED_AT, 6)
    open_case = await uow.collection(REPORTS).find_one({"report_id": "r2"})
    assert open_case is not None and "delete_after" not in open_case
    assert await entries(uow) == [("settings.changed", "report_settings", "org-1")]


async def test_a_release_is_logged_by_quarter_and_one_ahead_of_time_writes_nothing(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(QuarterNotStarted, match=r"^The quarter 2027Q1 has not started yet\.$"):
        await release_statistics(uow, "2027Q1", {"other": 1}, vcp_id="vera", now=NOW)
    assert await uow.collection(STATISTICS).find({}) == []
    assert await entries(uow) == []

    release = await release_statistics(uow, "2026Q4", {"other": 2}, vcp_id="vera", now=NOW)
    assert release == {"quarter": "2026Q4", "counts": {"other": 2}, "released_at": NOW}
    assert await entries(uow) == [("statistics.released", "quarter", "2026Q4")]


async def test_turning_report_webhooks_on_is_logged_and_the_same_choice_again_is_not(
    uow: FakeUnitOfWork,
) -> None:
    on = ReportWebhooks(forward_report_events=True)
    await set_report_webhooks(uow, on, vcp_id="vera", now=NOW)
    await set_report_webhooks(uow, on, vcp_id="vera", now=NOW)
    assert await entries(uow) == [("settings.changed", "report_webhooks", "org-1")]
