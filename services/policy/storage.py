"""policy's collections and indexes.

Dates that the daily sweeps compare (`last_activity`, `vog_notice_on`, `vog_lapses_on`,
`signature_lapses_on`, `resign_reminder_on`, a code's `resign_before`) are
stored as ISO strings (YYYY-MM-DD): BSON has no date type, and ISO dates order as strings.
"""

from services.policy.domain.admission_file import AdmissionFile
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document

ORGANISATIONS = "organisations"
ROLES = "roles"
CODES = "codes"
ADMISSIONS = "admissions"
VCPS = "vcps"
# At most one per organisation: the code of conduct being written, before it is published.
CODE_DRAFTS = "code_drafts"
# Per organisation, counts of what its volunteers' files no longer show once erased.
POLICY_USAGE = "policy_usage"
ADVICE_REQUESTS = "advice_requests"
# A volunteer's entry in the coordinator's list: name and application date, kept beside the
# admission file (which holds no personal data) and erased with it, and a copy of the file's
# fields the list filters and sorts on (services/policy/volunteer_list.py).
VOLUNTEER_NAMES = "volunteer_names"
# The regional centre's fallback contacts: one document, under the centre's own tenant
# (services/policy/domain/fallback_contacts.py REGIONAL_CENTRE).
FALLBACK_CONTACTS = "fallback_contacts"
# The regional centre's trainings and every organisation's registrations for them, under
# the centre's tenant (services/policy/domain/trainings.py); a registration names its
# member's organisation (`member_org`), which routes filter on.
TRAININGS = "trainings"
TRAINING_REGISTRATIONS = "training_registrations"
# Consultation rounds on the draft code (services/policy/use_cases/consultations.py) and
# their comments; a comment keeps its author id (rate limit, erasure) even when anonymous.
CONSULTATIONS = "consultations"
CONSULTATION_COMMENTS = "consultation_comments"
# A role's listing on the regional page (/vacatures), beside the role so that redefining the
# role keeps it; searched across organisations.
ROLE_LISTINGS = "role_listings"
# The regional centre's news, under the centre's own tenant like its fallback contacts.
NEWS = "news"

INDEXES = (
    IndexSpec(ORGANISATIONS, (), unique=True),
    IndexSpec(FALLBACK_CONTACTS, (), unique=True),
    IndexSpec(ROLES, (("role_id", 1),), unique=True),
    IndexSpec(CODES, (("version", -1),), unique=True),
    IndexSpec(ADMISSIONS, (("volunteer_id", 1),), unique=True),
    IndexSpec(ADMISSIONS, (("role_id", 1),)),
    # The VOG sweeps look across organisations (shared/runtime/sweeps.py).
    IndexSpec(ADMISSIONS, (("vog_notice_on", 1),), tenant=False),
    IndexSpec(ADMISSIONS, (("vog_lapses_on", 1),), tenant=False),
    # So do the sweeps of a new code version's grace period.
    IndexSpec(ADMISSIONS, (("signature_lapses_on", 1),), tenant=False),
    IndexSpec(ADMISSIONS, (("resign_reminder_on", 1),), tenant=False),
    IndexSpec(ADMISSIONS, (("last_activity", 1),)),
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
    IndexSpec(VOLUNTEER_NAMES, (("volunteer_id", 1),), unique=True),
    # The list by name, alone or within one stage or role; the VOGs to renew by date.
    IndexSpec(VOLUNTEER_NAMES, (("name_key", 1), ("volunteer_id", 1))),
    IndexSpec(VOLUNTEER_NAMES, (("stage", 1), ("name_key", 1), ("volunteer_id", 1))),
    IndexSpec(VOLUNTEER_NAMES, (("role_id", 1), ("name_key", 1), ("volunteer_id", 1))),
    IndexSpec(VOLUNTEER_NAMES, (("vog_renewal_due", 1), ("name_key", 1))),
    # Entries the list-completion sweep still has to complete, across organisations.
    IndexSpec(VOLUNTEER_NAMES, (("stage", 1),), tenant=False),
    IndexSpec(CODE_DRAFTS, (), unique=True),
    IndexSpec(POLICY_USAGE, (), unique=True),
    IndexSpec(ADVICE_REQUESTS, (("request_id", 1),), unique=True),
    IndexSpec(ADVICE_REQUESTS, (("requested_at", 1),)),
    # The operator's queue looks across organisations; an answer finds its request by id.
    IndexSpec(ADVICE_REQUESTS, (("request_id", 1),), unique=True, tenant=False),
    IndexSpec(ADVICE_REQUESTS, (("status", 1), ("requested_at", 1)), tenant=False),
    IndexSpec(TRAININGS, (("training_id", 1),), unique=True),
    IndexSpec(TRAININGS, (("starts_at", 1),)),
    # One registration per member and training, whatever instance takes it; cancelled and
    # registered again reuses it.
    IndexSpec(TRAINING_REGISTRATIONS, (("training_id", 1), ("member_id", 1)), unique=True),
    IndexSpec(TRAINING_REGISTRATIONS, (("registration_id", 1),), unique=True),
    IndexSpec(TRAINING_REGISTRATIONS, (("member_org", 1), ("training_id", 1))),
    IndexSpec(TRAINING_REGISTRATIONS, (("training_id", 1), ("status", 1), ("queued_at", 1))),
    # The reminder sweep looks across the centre's registrations by start.
    IndexSpec(TRAINING_REGISTRATIONS, (("status", 1), ("starts_at", 1)), tenant=False),
    IndexSpec(CONSULTATIONS, (("consultation_id", 1),), unique=True),
    IndexSpec(CONSULTATIONS, (("status", 1),)),
    # The sweeps of reminders and closing days look across organisations.
    IndexSpec(CONSULTATIONS, (("reminder_on", 1),), tenant=False),
    IndexSpec(CONSULTATIONS, (("status", 1), ("closes_on", 1)), tenant=False),
    IndexSpec(CONSULTATION_COMMENTS, (("comment_id", 1),), unique=True),
    IndexSpec(CONSULTATION_COMMENTS, (("consultation_id", 1), ("commented_at", 1))),
    IndexSpec(CONSULTATION_COMMENTS, (("author_id", 1), ("commented_at", 1))),
    IndexSpec(ROLE_LISTINGS, (("role_id", 1),), unique=True),
    IndexSpec(ROLE_LISTINGS, (("listed", 1),), tenant=False),
    IndexSpec(NEWS, (("news_id", 1),), unique=True),
    IndexSpec(NEWS, (("published_at", -1),)),
)


def file_from(doc: Document) -> AdmissionFile:
    """An admission file as stored (its document carries tenancy and ids beside it)."""
    return AdmissionFile.model_validate(
        {name: doc.get(name) for name in AdmissionFile.model_fields}
    )


def file_document(file: AdmissionFile) -> Document:
    return file.model_dump(mode="json")
