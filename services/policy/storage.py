"""policy's collections and indexes."""

from shared.storage.database import IndexSpec

ORGANISATIONS = "organisations"
ROLES = "roles"
ADMISSIONS = "admissions"

INDEXES = (
    IndexSpec(ORGANISATIONS, (), unique=True),
    IndexSpec(ROLES, (("role_id", 1),), unique=True),
    IndexSpec(ADMISSIONS, (("volunteer_id", 1),), unique=True),
)
