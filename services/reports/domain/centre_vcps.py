"""What the public sees of the regional centre's own VCPs (issue 24 item 2), without I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

_NEVER = datetime.min.replace(tzinfo=UTC)


def public_centre_vcps(
    listed: Iterable[Mapping[str, Any]], appointments: Iterable[Mapping[str, Any]]
) -> list[dict[str, str | None]]:
    """The centre's VCPs by name, each with an introduction of theirs, for the fallback
    contacts of an organisation without a VCP: nothing else (no id, address or the
    organisations they serve).

    A centre VCP writes an introduction per organisation they serve, shown on its report
    page already; the one of their earliest appointment stands for them here, so the text
    does not change with each new organisation."""
    earliest: dict[str, tuple[datetime, str, str]] = {}
    for appointment in appointments:
        text = appointment.get("introduction")
        if not text:
            continue
        key = (appointment.get("appointed_at") or _NEVER, str(appointment.get("org_id")), text)
        vcp_id = str(appointment["vcp_id"])
        if vcp_id not in earliest or key < earliest[vcp_id]:
            earliest[vcp_id] = key
    rows = [
        {
            "name": str(vcp["name"]),
            "introduction": earliest[vcp["vcp_id"]][2] if vcp["vcp_id"] in earliest else None,
        }
        for vcp in listed
    ]
    return sorted(rows, key=lambda row: str(row["name"]).casefold())
