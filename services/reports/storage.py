"""reports' collections: VCPs and their keys, encrypted reports and messages, settings, stats."""

from shared.storage.database import IndexSpec

VCPS = "vcps"
REPORTS = "reports"
MESSAGES = "report_messages"
CASE_SETTINGS = "case_settings"
STATISTICS = "released_statistics"

INDEXES = (
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
    # Recipients are told apart by fingerprint, so two VCPs cannot share a key.
    IndexSpec(VCPS, (("fingerprint", 1),), unique=True),
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
)
