"""Who is a VCP of an organisation: reports owns the appointments, so a `vcp` token is only
as good as the appointment of its `sub` (checked on every route, see shared/auth)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, status

from services.reports.storage import CENTRE_VCPS, VCPS, VCPS_AWAITING_KEY
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import answers
from shared.runtime.runtime import Runtime, runtime_of


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


async def _centre_appointment(runtime: Runtime, org: str, vcp_id: str) -> bool:
    """Whether `org` appointed the regional centre's VCP `vcp_id` (awaiting a key or not)."""
    for collection in (VCPS, VCPS_AWAITING_KEY):
        found = await runtime.db.tenant_collection(org, collection).find_one(
            {"vcp_id": vcp_id, "centre": True, "dismissed_at": None}, projection={"_id": 1}
        )
        if found is not None:
            return True
    return False


async def same_centre_vcp(runtime: Runtime, principal: Principal, org: str) -> bool:
    """shared/auth/reach.py's question for VCPs: is the VCP `principal.sub` of `org` the
    same person as the token's holder? Only when both organisations appointed the regional
    centre's VCP of that id, whom the centre's list names once: an organisation's own VCP
    who shares an id with a centre VCP (or with another organisation's) is someone else."""
    if principal.org is None:
        return False
    listed = await runtime.db.platform_collection(CENTRE_VCPS).find_one(
        {"vcp_id": principal.sub}, projection={"_id": 1}
    )
    if listed is None:
        return False
    return await _centre_appointment(
        runtime, principal.org, principal.sub
    ) and await _centre_appointment(runtime, org, principal.sub)


def require_vcp_with_key() -> Callable[..., Awaitable[Principal]]:
    """A VCP of the path's organisation who has set their key. One appointed without a key
    cannot read a report yet, so the cases are not theirs to list, answer or close either:
    an appointment alone (the board appointing one of its own, say) opens no case."""

    @answers(403)
    async def dependency(
        org: str,
        vcp: Principal = Depends(require_org_role("vcp")),
        runtime: Runtime = Depends(runtime_of),
    ) -> Principal:
        keyed = await runtime.db.tenant_collection(org, VCPS).find_one(
            {"vcp_id": vcp.sub}, projection={"_id": 1}
        )
        if keyed is None:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                "Make your key and register it first (on the VCP page, or PUT "
                f"/v1/orgs/{org}/vcps/{vcp.sub}/public-key): until then no report is sealed "
                "to you.",
            )
        return vcp

    return dependency
