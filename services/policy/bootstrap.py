"""Composition root of policy: organisations, roles, codes of conduct, admission."""

from services.policy.domain.live_changes import changes_of
from services.policy.event_handlers import HANDLERS
from services.policy.http_routes import ERROR_STATUSES, ROUTERS
from services.policy.jobs import JOBS
from services.policy.storage import INDEXES
from shared.events.admission import (
    AdmissionBlocked,
    CodeOfConductPublished,
    OrganisationRegistered,
    ResignRequired,
    RoleDefined,
    VOGExpiring,
    VOGRequested,
    VolunteerAdmitted,
    VolunteerDataErased,
    VolunteerRejected,
)
from shared.events.advice import AdviceAnswered, AdviceRequested
from shared.events.consultation import EVENTS as CONSULTATION_EVENTS
from shared.events.region import (
    NewsDigestDue,
    NewsEdited,
    NewsPublished,
    NewsWithdrawn,
    RoleListingChanged,
)
from shared.events.trainings import EVENTS as TRAINING_EVENTS
from shared.runtime.definition import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="policy",
    description=(
        "Organisations, roles and their risk profile, codes of conduct, admission; the"
        " regional centre's starter documents, advice on request and trainings."
    ),
    routers=ROUTERS,
    handlers=HANDLERS,
    publishes=[
        OrganisationRegistered,
        RoleDefined,
        CodeOfConductPublished,
        VOGRequested,
        VolunteerAdmitted,
        AdmissionBlocked,
        VolunteerRejected,
        VOGExpiring,
        ResignRequired,
        VolunteerDataErased,
        AdviceRequested,
        AdviceAnswered,
        *TRAINING_EVENTS,
        *CONSULTATION_EVENTS,
        RoleListingChanged,
        NewsPublished,
        NewsEdited,
        NewsWithdrawn,
        NewsDigestDue,
    ],
    indexes=INDEXES,
    error_statuses=ERROR_STATUSES,
    jobs=JOBS,
    live_changes=changes_of,
)
