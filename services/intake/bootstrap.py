"""Composition root of intake: the public edge for applications, signatures, VOGs and reports."""

from services.intake.event_handlers import HANDLERS
from services.intake.http_routes import ERROR_STATUSES, ROUTERS
from services.intake.storage import INDEXES
from shared.crypto import MAX_SEALED_REQUEST_BYTES
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived, VolunteerApplied
from shared.events.base import Event
from shared.events.reports import IncidentReported
from shared.runtime.definition import ServiceDefinition

PUBLISHES: list[type[Event]] = [
    VolunteerApplied,
    InterviewRecorded,
    CodeSigned,
    VOGReceived,
    IncidentReported,
]

DEFINITION = ServiceDefinition(
    name="intake",
    description="The public edge: applications, interviews, signatures, VOG records, encrypted reports.",
    routers=ROUTERS,
    handlers=HANDLERS,
    publishes=PUBLISHES,
    indexes=INDEXES,
    rate_limited=True,
    error_statuses=ERROR_STATUSES,
    # Reports and messages are sealed envelopes: the largest one, and no more.
    max_body_bytes=MAX_SEALED_REQUEST_BYTES,
)
