"""intake's view of each organisation's VCP keys, built from reports' VCPAppointed.

A report must be sealed to exactly these keys; intake checks that without calling reports.
Only the fingerprint and suite are kept: intake never seals anything itself.
"""

from __future__ import annotations

from shared.events.reports import VCPAppointed, VCPDismissed
from shared.storage.database import IndexSpec
from shared.storage.tenancy import TenantCollection
from shared.storage.unit_of_work import UnitOfWork

KNOWN_VCP_KEYS = "known_vcp_keys"
# What intake has accepted: report ids and mailbox lookups are never reused.
RECEIVED_REPORTS = "received_reports"

REPORT_INDEXES = (
    IndexSpec(KNOWN_VCP_KEYS, (("vcp_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("report_id", 1),), unique=True),
    IndexSpec(RECEIVED_REPORTS, (("mailbox_lookup", 1),), unique=True),
)


async def on_vcp_appointed(event: VCPAppointed, uow: UnitOfWork) -> None:
    await uow.collection(KNOWN_VCP_KEYS).replace_one(
        {"vcp_id": event.vcp_id},
        {
            "vcp_id": event.vcp_id,
            "fingerprint": event.fingerprint,
            "suite": event.public_key.get("suite"),
        },
        upsert=True,
    )


async def on_vcp_dismissed(event: VCPDismissed, uow: UnitOfWork) -> None:
    # From now on a report must no longer be sealed to the key of someone who left.
    await uow.collection(KNOWN_VCP_KEYS).delete_one({"vcp_id": event.vcp_id})


async def current_vcp_keys(keys: TenantCollection) -> dict[str, str]:
    """fingerprint → suite of every VCP key of the organisation."""
    return {k["fingerprint"]: k["suite"] for k in await keys.find({})}
