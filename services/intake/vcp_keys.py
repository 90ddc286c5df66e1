"""intake's view of each organisation's VCP keys, built from reports' VCPAppointed and
VCPKeySet (a VCP appointed without a key is no recipient until they set it).

A report must be sealed to exactly these keys; intake checks that without calling reports.
Only the fingerprint and suite are kept: intake never seals anything itself.
"""

from __future__ import annotations

from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
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
    if event.has_key:
        await _remember_key(uow, event.vcp_id, event.fingerprint, event.public_key)


async def on_vcp_key_set(event: VCPKeySet, uow: UnitOfWork) -> None:
    # Replaces a previous key: reports are sealed to the new one only from now on.
    await _remember_key(uow, event.vcp_id, event.fingerprint, event.public_key)


async def _remember_key(
    uow: UnitOfWork, vcp_id: str, fingerprint: str, public_key: dict[str, str]
) -> None:
    await uow.collection(KNOWN_VCP_KEYS).replace_one(
        {"vcp_id": vcp_id},
        {"vcp_id": vcp_id, "fingerprint": fingerprint, "suite": public_key.get("suite")},
        upsert=True,
    )


async def on_vcp_dismissed(event: VCPDismissed, uow: UnitOfWork) -> None:
    # From now on a report must no longer be sealed to the key of someone who left.
    await uow.collection(KNOWN_VCP_KEYS).delete_one({"vcp_id": event.vcp_id})


async def current_vcp_keys(keys: TenantCollection) -> dict[str, str]:
    """fingerprint → suite of every VCP key of the organisation."""
    return {k["fingerprint"]: k["suite"] for k in await keys.find({})}
