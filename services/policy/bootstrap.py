"""Composition root of policy: organisations, roles, codes of conduct, admission."""

from services.policy.event_handlers import HANDLERS
from services.policy.http_routes import router
from services.policy.storage import INDEXES
from shared.events.admission import OrganisationRegistered, RoleDefined
from shared.runtime.service import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="policy",
    description="Organisations, roles and their risk profile, codes of conduct, admission.",
    default_port=8082,
    routers=[router],
    handlers=HANDLERS,
    publishes=[OrganisationRegistered, RoleDefined],
    indexes=INDEXES,
)
