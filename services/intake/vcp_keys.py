"""intake's view of each organisation's VCP keys, built from reports' VCPAppointed and
VCPKeySet (a VCP appointed without a key is no recipient until they set it).

A report must be sealed to exactly these keys; intake checks that without calling reports.
Only the fingerprint and suite are kept: intake never seals anything itself.
"""

from __future__ import annotations

from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.messaging.batches import BatchOutcome
from shared.storage.database import IndexSpec
from shared.storage.tenancy import TenantCollection

KNOWN_VCP_KEYS = "known_vcp_keys"
# What intake has accepted: report ids and mailbox lookups are never reused.
RECEIVED_REPORTS = "received_reports"

REPORT_INDEXES = (
    IndexSpec(KNOWN_VCP_KEYS, (("vcp_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("report_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("mailbox_lookup", 1),), unique=True),
)


def record_vcp_key(event: VCPAppointed | VCPKeySet | VCPDismissed, outcome: BatchOutcome) -> None:
    """What a VCP event changes in the keys intake seals reports to."""
    query = {"vcp_id": event.vcp_id}
    if isinstance(event, VCPDismissed):
        # From now on a report must no longer be sealed to the key of someone who left.
        outcome.delete(KNOWN_VCP_KEYS, event.org_id, query)
    elif isinstance(event, VCPKeySet) or event.has_key:
        # A new key replaces a previous one: reports are sealed to it only from now on.
        key = {"fingerprint": event.fingerprint, "suite": event.public_key.get("suite")}
        outcome.replace(KNOWN_VCP_KEYS, event.org_id, query, {**query, **key}, upsert=True)


async def current_vcp_keys(keys: TenantCollection) -> dict[str, str]:
    """fingerprint → suite of every VCP key of the organisation."""
    return {k["fingerprint"]: k["suite"] for k in await keys.find({})}
