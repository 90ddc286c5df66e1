"""reports' collections: VCPs and their keys, encrypted reports and messages, settings, stats."""

from shared.storage.database import IndexSpec

# The VCPs who can receive: each with a public key. Reports, messages and hand-overs are
# sealed to the keys in here, and nothing else.
VCPS = "vcps"
# VCPs appointed without a key, until they set it in the browser: appointed (their token is
# good), but no recipient yet. Apart from VCPS, whose fingerprints are unique.
VCPS_AWAITING_KEY = "vcps_awaiting_key"
# One document per organisation, written by every change of its VCPs, so that concurrent
# appointments and key changes conflict (one is retried) instead of both passing their checks.
VCP_ROSTER = "vcp_roster"
# Every key the organisation ever published, with who set it and when, and until when it was
# in use: VCPs and admins can see that no key slipped in. Never deleted, never rewritten
# except to close a key's period (`until`).
VCP_KEY_HISTORY = "vcp_key_history"
# The ids of dismissed VCPs: an id is never used again, so an appointment under a dismissed
# VCP's id and name cannot pass for that person.
DISMISSED_VCP_IDS = "dismissed_vcp_ids"
# The regional centre's own VCPs (issue 24), appointed by the operator: platform-level, not
# of any organisation. An organisation's admin adds one as its VCP; only then, and only in
# that organisation, are they appointed (in VCPS_AWAITING_KEY, then VCPS, with `centre`).
CENTRE_VCPS = "centre_vcps"
REPORTS = "reports"
MESSAGES = "report_messages"
CASE_SETTINGS = "case_settings"
STATISTICS = "released_statistics"
# One document per organisation: whether its VCPs let report events reach its webhooks.
REPORT_WEBHOOKS = "report_webhooks"
# When each VCP last opened each case: the inbox marks a case unread when the reporter wrote
# (or reported) after that. Deleted with the report.
CASE_READS = "case_reads"
# Encrypted attachments (issue 24), by the attachment's id: the report id it is meant for,
# the declared size, how far the upload got, the hash of its upload secret, and until when
# it waits for its report (`expires_at`, removed once attached). Never a name or type: those
# are in the envelope. ATTACHMENT_CHUNKS hold the ciphertext, one document per uploaded
# piece. ATTACHMENT_TALLIES, one per report id (and one per VCP reply, by its message id),
# is written by every reservation, so that two at the same moment conflict (one is retried)
# instead of both passing the limits. A VCP's reply's files carry its `message_id`.
ATTACHMENTS = "attachments"
ATTACHMENT_CHUNKS = "attachment_chunks"
ATTACHMENT_TALLIES = "attachment_tallies"
# With the object store (services/reports/attachment_store.py): a chunk document names its
# object instead of holding the bytes, and a deleted attachment leaves a record here, in the
# transaction that deleted it, until every object under its prefix is deleted too.
ATTACHMENT_PURGES = "attachment_purges"

INDEXES = (
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
    # Recipients are told apart by fingerprint, so two VCPs cannot share a key.
    IndexSpec(VCPS, (("fingerprint", 1),), unique=True),
    IndexSpec(VCPS_AWAITING_KEY, (("vcp_id", 1),), unique=True),
    IndexSpec(VCP_ROSTER, (), unique=True),
    IndexSpec(VCP_KEY_HISTORY, (("vcp_id", 1), ("set_at", 1))),
    IndexSpec(DISMISSED_VCP_IDS, (("vcp_id", 1),), unique=True),
    IndexSpec(CENTRE_VCPS, (("vcp_id", 1),), unique=True, tenant=False),
    IndexSpec(REPORTS, (("report_id", 1),), unique=True),
    # The reporter finds their report by the hash of the mailbox secret alone.
    IndexSpec(REPORTS, (("mailbox_lookup", 1),), unique=True),
    # The sweeps look across organisations, so these lead with their own field.
    IndexSpec(REPORTS, (("next_check_at", 1),), tenant=False),
    IndexSpec(REPORTS, (("delete_after", 1),), tenant=False),
    IndexSpec(MESSAGES, (("report_id", 1), ("at", 1))),
    IndexSpec(MESSAGES, (("message_id", 1),), unique=True),
    IndexSpec(CASE_SETTINGS, (), unique=True),
    IndexSpec(STATISTICS, (("quarter", 1),), unique=True),
    IndexSpec(REPORT_WEBHOOKS, (), unique=True),
    IndexSpec(CASE_READS, (("vcp_id", 1), ("report_id", 1)), unique=True),
    IndexSpec(ATTACHMENTS, (("attachment_id", 1),), unique=True),
    IndexSpec(ATTACHMENTS, (("report_id", 1),)),
    IndexSpec(ATTACHMENTS, (("expires_at", 1),), tenant=False),
    IndexSpec(ATTACHMENT_CHUNKS, (("attachment_id", 1), ("n", 1)), unique=True),
    # One per report (the reporter's files, message_id null) and per reply (a VCP's).
    IndexSpec(ATTACHMENT_TALLIES, (("report_id", 1), ("message_id", 1)), unique=True),
    IndexSpec(ATTACHMENT_PURGES, (("attachment_id", 1),), unique=True),
    IndexSpec(ATTACHMENT_PURGES, (("purge_after", 1),), tenant=False),
)
