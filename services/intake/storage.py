"""intake's collections: its read model of policy's facts and what it receives."""

from shared.storage.database import IndexSpec

KNOWN_ORGANISATIONS = "known_organisations"
KNOWN_ROLES = "known_roles"
APPLICATIONS = "applications"

INDEXES = (
    IndexSpec(KNOWN_ORGANISATIONS, (), unique=True),
    IndexSpec(KNOWN_ROLES, (("role_id", 1),), unique=True),
    IndexSpec(APPLICATIONS, (("application_id", 1),), unique=True),
    IndexSpec(APPLICATIONS, (("volunteer_id", 1),)),
)
