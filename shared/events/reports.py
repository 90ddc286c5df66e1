"""Events of the confidential-reporting pillar.

Only ciphertext ever travels: IncidentReported carries the sealed envelope, never content,
and no event says what a report is about. Nor exactly when: every time of a report event
(`Day`) and its CloudEvents time are given to the day (issue 19); the exact moments stay in
reports, for the VCPs' own routes and deadlines.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from shared.events.base import Day, Event

ReportStatus = Literal["received", "acknowledged", "in_progress", "closed"]
Deadline = Literal["acknowledge", "feedback"]


class VCPAppointed(Event):
    """A VCP was appointed. Appointed without a key (they make it in the browser), the VCP is
    announced with an empty `public_key` ({}) and `fingerprint` (""), so the schema stays that
    of v1; VCPKeySet follows once they set it. Until then they receive nothing."""

    type_name: ClassVar[str] = "nl.safehands.vcp.appointed.v1"
    key_field: ClassVar[str] = "vcp_id"
    vcp_id: str
    name: str
    email: str
    public_key: dict[str, str]
    fingerprint: str
    # One of the regional centre's own VCPs, whom the organisation's admin added (issue 24):
    # they accept or decline in the organisation's /vcp before they set a key there.
    centre: bool = False

    @property
    def has_key(self) -> bool:
        return bool(self.fingerprint)


class VCPKeySet(Event):
    """A VCP registered their public key themselves: from now on reports are sealed to it.
    `previous_fingerprint` is the key it replaces, None for their first key."""

    type_name: ClassVar[str] = "nl.safehands.vcp.key_set.v1"
    key_field: ClassVar[str] = "vcp_id"
    vcp_id: str
    public_key: dict[str, str]
    fingerprint: str
    previous_fingerprint: str | None = None
    set_at: datetime


class VCPDismissed(Event):
    """A VCP left: their key receives no new report or message from now on."""

    type_name: ClassVar[str] = "nl.safehands.vcp.dismissed.v1"
    key_field: ClassVar[str] = "vcp_id"
    vcp_id: str
    fingerprint: str
    dismissed_at: datetime


class IncidentReported(Event):
    type_name: ClassVar[str] = "nl.safehands.report.received.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    envelope: dict[str, Any]
    mailbox_lookup: str
    reply_key: dict[str, str]
    received_at: Day


class ReportAcknowledged(Event):
    type_name: ClassVar[str] = "nl.safehands.report.acknowledged.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    vcp_id: str
    acknowledged_at: Day


class ReportMessagePosted(Event):
    type_name: ClassVar[str] = "nl.safehands.report.message_posted.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    message_id: str
    sender: Literal["vcp", "reporter"]
    posted_at: Day


class ReportStatusChanged(Event):
    type_name: ClassVar[str] = "nl.safehands.report.status_changed.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    status: ReportStatus
    previous_status: ReportStatus
    changed_at: Day


class ReportClosed(Event):
    type_name: ClassVar[str] = "nl.safehands.report.closed.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    closed_at: Day


class ReportKeyShared(Event):
    type_name: ClassVar[str] = "nl.safehands.report.key_shared.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    vcp_id: str
    shared_by: str


class ReportDeadlineApproaching(Event):
    type_name: ClassVar[str] = "nl.safehands.report.deadline_approaching.v1"
    key_field: ClassVar[str] = "report_id"
    report_id: str
    deadline: Deadline
    due_at: Day
    missed: bool
    # The key ids the report is sealed to (its envelope's recipients, hand-overs included):
    # only those VCPs are told, a VCP the reporter left out never hears of the case. Empty
    # in events from before the reporter chose, when every VCP is told.
    sealed_to: list[str] = []


class ReportWebhooksSet(Event):
    """The organisation's VCPs turned the forwarding of report events to its webhooks on or
    off (`forward`). Off by default: the organisation's admins subscribe webhooks, and a
    report event delivered the moment it happens tells them when a reporter acted. notify
    forwards report events (and the events that tell of one, `Event.tells_of_a_report`)
    only while the latest of these for the organisation says `forward`."""

    type_name: ClassVar[str] = "nl.safehands.report_webhooks.set.v1"
    key_field: ClassVar[str] = "org_id"
    forward: bool
    set_by: str
    set_at: datetime


EVENTS: tuple[type[Event], ...] = (
    VCPAppointed,
    VCPKeySet,
    VCPDismissed,
    IncidentReported,
    ReportAcknowledged,
    ReportMessagePosted,
    ReportStatusChanged,
    ReportClosed,
    ReportKeyShared,
    ReportDeadlineApproaching,
    ReportWebhooksSet,
)
