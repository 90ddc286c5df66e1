"""policy's collections and indexes.

Dates that the daily sweeps compare (`last_activity`, `vog_notice_on`, `vog_lapses_on`) are
stored as ISO strings (YYYY-MM-DD): BSON has no date type, and ISO dates order as strings.
"""

from shared.storage.database import IndexSpec

ORGANISATIONS = "organisations"
ROLES = "roles"
CODES = "codes"
ADMISSIONS = "admissions"
VCPS = "vcps"

INDEXES = (
    IndexSpec(ORGANISATIONS, (), unique=True),
    IndexSpec(ROLES, (("role_id", 1),), unique=True),
    IndexSpec(CODES, (("version", -1),), unique=True),
    IndexSpec(ADMISSIONS, (("volunteer_id", 1),), unique=True),
    IndexSpec(ADMISSIONS, (("role_id", 1),)),
    IndexSpec(ADMISSIONS, (("vog_notice_on", 1),)),
    IndexSpec(ADMISSIONS, (("vog_lapses_on", 1),)),
    IndexSpec(ADMISSIONS, (("last_activity", 1),)),
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
)
