"""What the VCPs' live pages hear (shared/runtime/live.py): that something changed in the
organisation's reports, and nothing more. No report id: a VCP may not know a report that is
not sealed to them, and the inbox fetches the list again anyway."""

from __future__ import annotations

from collections.abc import Sequence

from shared.events import Event
from shared.events.reports import (
    IncidentReported,
    ReportAcknowledged,
    ReportClosed,
    ReportDeadlineApproaching,
    ReportKeyShared,
    ReportMessagePosted,
    ReportStatusChanged,
)
from shared.storage.changes import Change

CASE_EVENTS = (
    IncidentReported,
    ReportMessagePosted,
    ReportAcknowledged,
    ReportStatusChanged,
    ReportClosed,
    ReportKeyShared,
    ReportDeadlineApproaching,
)


def changes_of(event: Event) -> Sequence[Change]:
    if isinstance(event, CASE_EVENTS):
        return (Change(event.org_id, "reports", frozenset({"vcp"})),)
    return ()
