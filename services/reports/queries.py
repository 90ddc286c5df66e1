"""reports' reads that decide nothing: what its GET routes (and the reporter's mailbox)
show, as plain queries (cosmicpython's `views.py`). A read that feeds a decision goes through
a use case and its unit of work instead.

What a VCP may read is decided here once for every read of a case: a report is sealed to a
key the VCP ever held, or it does not exist for them (`readable_report`, `inbox_rows`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.reports.case_documents import (
    CaseMembers,
    case_members,
    case_summary,
    is_unread,
    keys_held_by,
    sealed_to_any,
)
from services.reports.storage import (
    ATTACHMENT_CHUNKS,
    ATTACHMENTS,
    CASE_READS,
    CENTRE_VCPS,
    MESSAGES,
    REPORTS,
    STATISTICS,
    VCP_KEY_HISTORY,
    VCPS,
    VCPS_AWAITING_KEY,
)
from services.reports.use_cases.cases import no_such_report
from services.reports.use_cases.mailbox import mailbox_lookup
from shared.storage.database import Database
from shared.storage.tenancy import Document

# What the inbox never carries: the sealed report, the reporter's reply key and mailbox.
INBOX_LEAVES_OUT = {"envelope": 0, "reply_key": 0, "mailbox_lookup": 0}


async def _readable_by(db: Database, org: str, vcp_id: str) -> Document:
    """Only the VCPs a report is sealed to see it; to the others it does not exist (404)."""
    held = await keys_held_by(
        vcp_id, db.tenant_collection(org, VCP_KEY_HISTORY), db.tenant_collection(org, VCPS)
    )
    return sealed_to_any(held)


async def readable_report(db: Database, org: str, vcp_id: str, report_id: str) -> Document:
    """The report, if it is sealed to a key `vcp_id` ever held; 404 to anyone else."""
    query = {**await _readable_by(db, org, vcp_id), "report_id": report_id}
    report = await db.tenant_collection(org, REPORTS).find_one(query)
    if report is None:
        raise no_such_report(report_id)
    return report


async def inbox_rows(db: Database, org: str, vcp_id: str, now: datetime) -> list[dict[str, Any]]:
    """The VCP's inbox in `org`: the reports sealed to a key they held, overdue first. Also
    the rows of one organisation in the grouped inbox (http_routes/vcp_cases.py)."""
    reports = await db.tenant_collection(org, REPORTS).find(
        await _readable_by(db, org, vcp_id), projection=INBOX_LEAVES_OUT
    )
    reads = await db.tenant_collection(org, CASE_READS).find({"vcp_id": vcp_id})
    read_at = {read["report_id"]: read["at"] for read in reads}
    rows = [
        {**case_summary(report, now), "unread": is_unread(report, read_at.get(report["report_id"]))}
        for report in reports
    ]
    far_future = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (not r["overdue"], r["next_deadline"] or far_future, r["received_at"]))
    return rows


async def conversation(db: Database, org: str, report_id: str) -> list[Document]:
    """A case's messages, oldest first."""
    return await db.tenant_collection(org, MESSAGES).find(
        {"report_id": report_id}, sort=[("at", 1), ("message_id", 1)]
    )


async def members_of(db: Database, org: str, report: Document) -> CaseMembers:
    """The VCPs in the case and their current keys."""
    return await case_members(
        report, db.tenant_collection(org, VCP_KEY_HISTORY), db.tenant_collection(org, VCPS)
    )


async def mailbox_report(
    db: Database, org: str, secret: str, projection: Document
) -> Document | None:
    """The report whose mailbox secret this is (found by its hash alone), or None."""
    return await db.tenant_collection(org, REPORTS).find_one(
        {"mailbox_lookup": mailbox_lookup(secret)}, projection=projection
    )


async def uploaded_attachment(
    db: Database, org: str, report_id: str, attachment_id: str
) -> Document | None:
    """One of the report's attachments if it was uploaded in full, else None."""
    found = await db.tenant_collection(org, ATTACHMENTS).find_one(
        {"attachment_id": attachment_id, "report_id": report_id}
    )
    return found if found is not None and found["received"] == found["size"] else None


async def attachment_piece(db: Database, org: str, attachment_id: str, n: int) -> Document | None:
    """Piece `n` of an attachment as stored (its bytes, or the name of its object)."""
    return await db.tenant_collection(org, ATTACHMENT_CHUNKS).find_one(
        {"attachment_id": attachment_id, "n": n}
    )


async def centre_vcp_names(db: Database) -> list[dict[str, Any]]:
    """The regional centre's VCPs by id and name; no addresses (any admin reads this)."""
    listed: list[dict[str, Any]] = await (
        db.platform_collection(CENTRE_VCPS)
        .find({}, projection={"_id": 0, "vcp_id": 1, "name": 1}, sort=[("vcp_id", 1)])
        .to_list()
    )
    return listed


async def centre_vcp(db: Database, vcp_id: str) -> Document | None:
    found: Document | None = await db.platform_collection(CENTRE_VCPS).find_one({"vcp_id": vcp_id})
    return found


async def released_statistics(db: Database, org: str) -> list[Document]:
    """The released counts, by quarter."""
    return await db.tenant_collection(org, STATISTICS).find(
        {},
        sort=[("quarter", 1)],
        projection={"_id": 0, "quarter": 1, "counts": 1, "released_at": 1},
    )


async def keyed_vcps(db: Database, org: str) -> list[Document]:
    """The organisation's VCPs with a key, by id."""
    return await db.tenant_collection(org, VCPS).find({}, sort=[("vcp_id", 1)])


async def vcps_awaiting_key(db: Database, org: str) -> list[Document]:
    return await db.tenant_collection(org, VCPS_AWAITING_KEY).find({})


async def has_key(db: Database, org: str, vcp_id: str) -> bool:
    found = await db.tenant_collection(org, VCPS).find_one(
        {"vcp_id": vcp_id}, projection={"_id": 1}
    )
    return found is not None


async def key_history(db: Database, org: str) -> list[Document]:
    """Every key the organisation ever published, oldest first."""
    return await db.tenant_collection(org, VCP_KEY_HISTORY).find(
        {}, sort=[("set_at", 1), ("vcp_id", 1)]
    )
