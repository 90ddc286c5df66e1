"""Composition root of intake: the public edge for applications, signatures, VOGs and reports."""

from services.intake.event_handlers import HANDLERS
from services.intake.http_routes import router
from services.intake.storage import INDEXES
from shared.events.admission import VolunteerApplied
from shared.runtime.service import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="intake",
    description="The public edge: applications, interviews, signatures, VOG records, encrypted reports.",
    default_port=8081,
    routers=[router],
    handlers=HANDLERS,
    publishes=[VolunteerApplied],
    indexes=INDEXES,
)
