"""intake's collections: its read model of policy's facts, and what volunteers hand in.

The read model (organisations, roles, code versions) is built from policy's events, so intake
checks applications, signatures and VOGs without calling policy.
"""

from services.intake.vcp_keys import REPORT_INDEXES
from shared.storage.database import IndexSpec

KNOWN_ORGANISATIONS = "known_organisations"
KNOWN_ROLES = "known_roles"
KNOWN_CODES = "known_codes"
# A volunteer's profile: the application with name and e-mail.
APPLICATIONS = "applications"
INTERVIEWS = "interviews"
SIGNATURES = "signatures"
VOG_RECORDS = "vog_records"

# Everything intake keeps about one volunteer, erased together when policy says so.
VOLUNTEER_COLLECTIONS = (APPLICATIONS, INTERVIEWS, SIGNATURES, VOG_RECORDS)

INDEXES = (
    IndexSpec(KNOWN_ORGANISATIONS, (), unique=True),
    IndexSpec(KNOWN_ROLES, (("role_id", 1),), unique=True),
    IndexSpec(KNOWN_CODES, (("version", -1),), unique=True),
    IndexSpec(APPLICATIONS, (("application_id", 1),), unique=True),
    IndexSpec(APPLICATIONS, (("volunteer_id", 1),)),
    IndexSpec(INTERVIEWS, (("volunteer_id", 1),), unique=True),
    IndexSpec(SIGNATURES, (("volunteer_id", 1), ("version", 1)), unique=True),
    IndexSpec(VOG_RECORDS, (("volunteer_id", 1),)),
    *REPORT_INDEXES,
)
