"""notify's collections: its read model of the other services' events, the mails it is to
send (an outbox of mails) and the webhook subscriptions with their deliveries."""

from datetime import timedelta

from services.notify.domain.retry_schedule import RETRY_WINDOW
from shared.storage.database import IndexSpec

# Delivery records expire this long after they were made: the retry window, then 30 days
# for the admin to see what happened.
DELIVERY_RECORDS_KEPT = RETRY_WINDOW + timedelta(days=30)

# Read model, one document per organisation / role / volunteer / VCP.
ORGANISATIONS = "organisations"
# In the organisation's document: whether its VCPs let report events reach webhooks
# (ReportWebhooksSet); missing means off.
REPORT_WEBHOOKS_FIELD = "report_webhooks"
ROLES = "roles"
VOLUNTEERS = "volunteers"
VCPS = "vcps"
# Coordinators' and admins' addresses, set by the organisation's admin: when set for a
# kind, they override the members of that kind (a shared club address).
CONTACTS = "contacts"
# The organisation's admins and coordinators with their addresses and roles, from
# MemberAdded (upserted) and MemberRemoved (deleted): its mail recipients by default.
STAFF = "staff"
# Who may read each open report, for the mail about a reporter's message: the key
# fingerprints the report was sealed to (IncidentReported's envelope) and the VCPs it was
# handed to (ReportKeyShared). Ids and fingerprints only; deleted when the case closes.
REPORT_READERS = "report_readers"
# One document per mail: recorded in the handler's transaction, sent by the mail worker.
MAILS = "mails"
WEBHOOKS = "webhooks"
DELIVERIES = "webhook_deliveries"

INDEXES = (
    IndexSpec(ORGANISATIONS, (), unique=True),
    IndexSpec(CONTACTS, (), unique=True),
    IndexSpec(ROLES, (("role_id", 1),), unique=True),
    IndexSpec(VOLUNTEERS, (("volunteer_id", 1),), unique=True),
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
    IndexSpec(STAFF, (("member_id", 1),), unique=True),
    IndexSpec(REPORT_READERS, (("report_id", 1),), unique=True),
    # VCPs whose colleagues the sweep has not checked yet, across organisations (jobs.py).
    IndexSpec(VCPS, (("colleagues_settled", 1),), tenant=False),
    # A redelivered event or a second notify instance can never record a mail twice.
    IndexSpec(MAILS, (("event_id", 1), ("to", 1), ("kind", 1)), unique=True),
    IndexSpec(MAILS, (("volunteer_id", 1),)),
    # The workers look for due work across organisations.
    IndexSpec(MAILS, (("status", 1), ("next_attempt_at", 1)), tenant=False),
    IndexSpec(WEBHOOKS, (("webhook_id", 1),), unique=True),
    IndexSpec(DELIVERIES, (("webhook_id", 1), ("event_id", 1)), unique=True),
    IndexSpec(DELIVERIES, (("webhook_id", 1), ("created_at", -1))),
    IndexSpec(DELIVERIES, (("status", 1), ("next_attempt_at", 1)), tenant=False),
    IndexSpec(DELIVERIES, (("volunteer_id", 1),)),
    IndexSpec(
        DELIVERIES,
        (("created_at", 1),),
        tenant=False,
        expire_after_seconds=int(DELIVERY_RECORDS_KEPT.total_seconds()),
    ),
)
