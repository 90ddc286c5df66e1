"""Who is a VCP of an organisation: reports owns the appointments, so a `vcp` token is only
as good as the appointment of its `sub` (checked on every route, see shared/auth)."""

from __future__ import annotations

from services.reports.storage import VCPS, VCPS_AWAITING_KEY
from shared.auth.tokens import Principal
from shared.runtime.service import Runtime


async def is_appointed_vcp_if_vcp(runtime: Runtime, principal: Principal) -> bool:
    """False for a `vcp` token whose `sub` is not a current, appointed VCP of its organisation;
    True for every other token (other roles are not reports' to judge)."""
    if "vcp" not in principal.roles:
        return True
    if principal.org is None:
        return False
    # A VCP without a key yet is appointed too: they sign in to set it.
    for collection in (VCPS, VCPS_AWAITING_KEY):
        appointed = await runtime.db.tenant_collection(principal.org, collection).find_one(
            # A dismissal deletes the VCP; `dismissed_at` also refuses one kept with that mark.
            {"vcp_id": principal.sub, "dismissed_at": None},
            projection={"_id": 1},
        )
        if appointed is not None:
            return True
    return False
