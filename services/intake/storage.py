"""intake's collections: its read model of policy's and reports' facts, and what volunteers
and reporters hand in.

The read model (organisations, roles, code versions) is built from policy's events, so intake
checks applications, signatures and VOGs without calling policy. Likewise the VCP keys, from
reports' events: a report must be sealed to some of these keys and to no other, and intake
checks that without calling reports.
"""

from shared.storage.database import IndexSpec

KNOWN_ORGANISATIONS = "known_organisations"
KNOWN_ROLES = "known_roles"
KNOWN_CODES = "known_codes"
# A volunteer's profile: the application with name and e-mail.
APPLICATIONS = "applications"
INTERVIEWS = "interviews"
SIGNATURES = "signatures"
VOG_RECORDS = "vog_records"
# Each VCP's key: only fingerprint and suite, as intake never seals anything itself. A VCP
# appointed without a key is no recipient until they set it.
KNOWN_VCP_KEYS = "known_vcp_keys"
# What intake has accepted: report ids and mailbox lookups are never reused.
RECEIVED_REPORTS = "received_reports"

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
    IndexSpec(KNOWN_VCP_KEYS, (("vcp_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("report_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("mailbox_lookup", 1),), unique=True),
)
