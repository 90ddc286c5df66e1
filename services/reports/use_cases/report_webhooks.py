"""Whether the organisation's report events reach its webhooks: the VCPs' choice, off by
default (issue 19). The organisation's admins subscribe webhooks; a report event delivered
the moment it happens tells them when a reporter acted, even with its times given to the
day. So only the VCPs, who answer to the reporters, can turn it on; notify learns it from
ReportWebhooksSet.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.reports.storage import REPORT_WEBHOOKS
from shared import audit
from shared.events.reports import ReportWebhooksSet
from shared.storage.unit_of_work import UnitOfWork


class ReportWebhooks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forward_report_events: bool = Field(
        strict=True,
        description=(
            "Whether report events (nl.safehands.report.*, and the mails and deliveries that"
            " tell of one) reach the organisation's webhooks. Off by default."
        ),
    )


async def report_webhooks(uow: UnitOfWork) -> ReportWebhooks:
    stored = await uow.collection(REPORT_WEBHOOKS).find_one()
    return ReportWebhooks(forward_report_events=bool(stored and stored.get("forward")))


async def set_report_webhooks(
    uow: UnitOfWork, wanted: ReportWebhooks, *, vcp_id: str, now: datetime
) -> ReportWebhooks:
    """Store the VCP's choice and announce it; the same choice again changes nothing."""
    current = await report_webhooks(uow)
    if current == wanted:
        return current
    forward = wanted.forward_report_events
    await uow.collection(REPORT_WEBHOOKS).replace_one(
        {}, {"forward": forward, "set_by": vcp_id, "set_at": now}, upsert=True
    )
    uow.publish(ReportWebhooksSet(org_id=uow.org_id, forward=forward, set_by=vcp_id, set_at=now))
    await audit.record(uow, "settings.changed", "report_webhooks", uow.org_id)
    return wanted
