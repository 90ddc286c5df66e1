"""How a case is kept in MongoDB and shown over HTTP, shared by routes, handlers and jobs.

A report document holds the envelope as received (plus recipients added when the case is
handed over), the reporter's mailbox lookup and reply key, the case status and its
deadlines, and `next_check_at`: when the deadline sweep must look at it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.deadlines import CaseClock, is_overdue, next_check_at, next_deadline
from services.reports.domain.recipients import KeyRecord, case_keys, left_out
from services.reports.domain.workflow import CaseStatus
from services.reports.storage import CASE_READS
from shared.storage.database import Database
from shared.storage.tenancy import Document, TenantCollection


def clock_of(report: Mapping[str, Any]) -> CaseClock:
    return CaseClock(
        status=CaseStatus(report["status"]),
        acknowledge_by=report["acknowledge_by"],
        feedback_by=report["feedback_by"],
        feedback_given=bool(report.get("feedback_given", False)),
        announced=frozenset(report.get("announced", ())),
    )


def with_next_check(fields: Document, report: Mapping[str, Any]) -> Document:
    """`fields` to $set on `report`, plus the sweep's next look computed from the result."""
    return {**fields, "next_check_at": next_check_at(clock_of({**report, **fields}))}


def case_summary(report: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A row of the VCP's inbox (docs/api.md) plus `overdue` and `next_deadline`."""
    clock = clock_of(report)
    return {
        "report_id": report["report_id"],
        "received_at": report["received_at"],
        "status": report["status"],
        "acknowledge_by": report["acknowledge_by"],
        "feedback_by": report["feedback_by"],
        "overdue": is_overdue(clock, now),
        "next_deadline": next_deadline(clock),
    }


def is_unread(report: Mapping[str, Any], read_at: datetime | None) -> bool:
    """Whether the reporter reported or wrote since the VCP last opened the case."""
    last = report.get("reporter_last_at") or report["received_at"]
    return read_at is None or last > read_at


def message_view(message: Mapping[str, Any], *, with_author: bool = False) -> dict[str, Any]:
    """A message as the API shows it. `with_author` adds the `vcp_id` of the VCP who wrote
    it (an addition to docs/api.md), for the organisation's VCPs only: after a hand-over the
    next VCP must tell their own messages from their predecessor's, while the reporter
    sees "the VCP" and nothing more."""
    view = {
        "message_id": message["message_id"],
        "from": message["from"],
        "at": message["at"],
        "envelope": message["envelope"],
    }
    if with_author and message["from"] == "vcp":
        view["vcp_id"] = message.get("vcp_id")
    if message["from"] == "vcp" and message.get("signature") is not None:
        # The reporter verifies it against GET …/vcp-keys: a message written straight
        # into the database or onto the bus has no valid signature. `signed_by` names the
        # key to check with, so it is shown only beside a signature.
        view["signature"] = message["signature"]
        view["signed_by"] = message.get("vcp_id")
    return view


async def load_case_settings(settings: TenantCollection) -> CaseSettings:
    """The organisation's periods; the defaults until an admin set them."""
    return case_settings_from(await settings.find_one({}))


def case_settings_from(stored: Mapping[str, Any] | None) -> CaseSettings:
    """CaseSettings from the organisation's stored document (None: the defaults)."""
    fields = {k: v for k, v in (stored or {}).items() if k not in ("_id", "org_id")}
    return CaseSettings.model_validate(fields)


async def vcp_fingerprints(vcps: TenantCollection) -> set[str]:
    """The fingerprints of every VCP key of the organisation."""
    return {v["fingerprint"] for v in await vcps.find({}, projection={"fingerprint": 1})}


async def keys_held_by(vcp_id: str, history: TenantCollection, vcps: TenantCollection) -> set[str]:
    """The fingerprints of every key `vcp_id` ever held (a VCP who replaced a lost key still
    sees the cases sealed to the old one, to ask a colleague to share them anew)."""
    held = {h["fingerprint"] for h in await history.find({"vcp_id": vcp_id})}
    # A key set before the history was kept is in VCPS alone.
    current = await vcps.find_one({"vcp_id": vcp_id}, projection={"fingerprint": 1})
    return held | ({current["fingerprint"]} if current else set())


def sealed_to_any(fingerprints: set[str]) -> Document:
    """The query for the reports sealed to one of `fingerprints`: only the VCPs the reporter
    chose (or whom a case was handed to, ReportKeyShared) list and open a case."""
    return {"envelope.recipients.key_id": {"$in": sorted(fingerprints)}}


def recipient_ids(envelope: Mapping[str, Any]) -> set[str]:
    return {r["key_id"] for r in envelope["recipients"]}


async def key_records(history: TenantCollection, vcps: TenantCollection) -> list[KeyRecord]:
    """Every key the organisation's VCPs hold or held (domain/recipients.py), a current key
    set before the history was kept included."""
    past = await history.find({})
    current = await vcps.find({})
    recorded = {(h["vcp_id"], h["fingerprint"]) for h in past}
    return [
        KeyRecord(h["vcp_id"], h["fingerprint"], h.get("set_at"), h.get("until")) for h in past
    ] + [
        KeyRecord(v["vcp_id"], v["fingerprint"], v.get("key_set_at"), None)
        for v in current
        if (v["vcp_id"], v["fingerprint"]) not in recorded
    ]


@dataclass(frozen=True)
class CaseMembers:
    """Who is in a case now: `keys` the current keys its conversation is sealed to,
    `vcp_ids` their VCPs, `left_out` the VCPs the reporter chose not to write to."""

    keys: set[str]
    vcp_ids: set[str]
    left_out: set[str]


async def case_members(
    report: Mapping[str, Any], history: TenantCollection, vcps: TenantCollection
) -> CaseMembers:
    records = await key_records(history, vcps)
    current = {v["vcp_id"]: v["fingerprint"] for v in await vcps.find({})}
    sealed = recipient_ids(report["envelope"])
    keys = case_keys(sealed, records, current)
    return CaseMembers(
        keys=keys,
        vcp_ids={vcp_id for vcp_id, fingerprint in current.items() if fingerprint in keys},
        left_out=left_out(sealed, report["received_at"], records),
    )


async def mark_read(db: Database, org: str, vcp_id: str, report_id: str, at: datetime) -> None:
    """The VCP opened the case: read up to `at`, for them alone. Not an action on the case,
    so neither audited nor announced; `$max`, so a slower earlier opening never moves it back."""
    await db.tenant_collection(org, CASE_READS).update_one(
        {"vcp_id": vcp_id, "report_id": report_id}, {"$max": {"at": at}}, upsert=True
    )
