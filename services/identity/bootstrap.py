"""Composition root of identity: people, their memberships, sign-in by e-mail link, tokens."""

from services.identity.event_handlers import HANDLERS
from services.identity.extensions import identity_background, identity_extensions
from services.identity.http_routes import ERROR_STATUSES, ROUTERS
from services.identity.jobs import JOBS
from services.identity.storage import INDEXES
from shared.events.identity import MemberAdded, MemberRemoved, OperatorAdded, OperatorRemoved
from shared.runtime.definition import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="identity",
    description=(
        "Members of each organisation, sign-in by e-mail link, and the access tokens "
        "(EdDSA JWTs, JWKS at /.well-known/jwks.json) every service verifies."
    ),
    routers=ROUTERS,
    handlers=HANDLERS,
    publishes=[MemberAdded, MemberRemoved, OperatorAdded, OperatorRemoved],
    indexes=INDEXES,
    error_statuses=ERROR_STATUSES,
    jobs=JOBS,
    extensions=identity_extensions,
    background=identity_background,
)
