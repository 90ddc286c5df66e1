"""reports' collections: VCPs and their public keys, encrypted reports."""

from shared.storage.database import IndexSpec

VCPS = "vcps"
REPORTS = "reports"

INDEXES = (
    IndexSpec(VCPS, (("vcp_id", 1),), unique=True),
    IndexSpec(REPORTS, (("report_id", 1),), unique=True),
)
