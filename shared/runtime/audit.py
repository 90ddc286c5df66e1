"""The audit log's routes and hourly job, which every service gets from shared/runtime/app.py:
its own chains (shared/audit/log.py) read, exported as CSV or XLSX, and their heads published.

No route here (nor anywhere) changes or deletes an entry.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import BaseModel, BeforeValidator

from shared.audit.chain import Anchor
from shared.audit.log import (
    AUDIT_HEADS,
    AUDIT_LOG,
    AUDIT_PENDING,
    anchor_of,
    drop_before,
    public,
)
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.events.audit import AuditHeadPublished
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime, runtime_of
from shared.runtime.sweeps import sweep
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork
from shared.tenants import REGIONAL_CENTRE

router = APIRouter(prefix="/v1/orgs/{org}/audit", tags=["audit"])

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    """A day as written (YYYY-MM-DD): pydantic would also read "0" as a timestamp's day."""
    if isinstance(value, str) and not ISO_DAY.match(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]

MAX_ENTRIES = 5000
CSV_COLUMNS = (
    "service",
    "seq",
    "at",
    "actor_sub",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "prev_hash",
    "hash",
)


def visible_to(principal: Principal, entry: Mapping[str, Any]) -> bool:
    """Admins see the whole log; VCPs the entries about VCPs and their keys; the operator the
    platform's actions (`organisation.*`, and their own) and the regional centre's whole
    chain (its fallback contacts, news, trainings: what the operators did there, each
    other's included); any other member the entries about themselves (as actor or as
    object)."""
    if "admin" in principal.roles and principal.org == entry.get("org_id"):
        return True
    if "operator" in principal.roles and (
        entry.get("org_id") == REGIONAL_CENTRE
        or str(entry.get("action", "")).startswith("organisation.")
    ):
        return True
    if "vcp" in principal.roles and str(entry.get("action", "")).startswith("vcp."):
        return True
    return principal.sub in (entry["actor"].get("sub"), entry["object"].get("id"))


def _rows(entries: list[dict[str, Any]]) -> list[list[Any]]:
    """The entries in CSV_COLUMNS' order; a leading = + - @ is quoted away, since a
    spreadsheet would read it as a formula."""
    return [
        [
            f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
            for v in (
                e["service"],
                e["seq"],
                e["at"],
                e["actor"]["sub"],
                e["actor"]["role"],
                e["action"],
                e["object"]["type"],
                e["object"]["id"],
                e["prev_hash"],
                e["hash"],
            )
        ]
        for e in entries
    ]


def _csv(entries: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(entries))
    return out.getvalue()


def _xlsx(entries: list[dict[str, Any]]) -> bytes:
    """The same columns as the CSV, as text cells (the hour stays as the chain hashed it)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None, "a new workbook has a sheet"
    sheet.title = "Audit"
    sheet.append(list(CSV_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(entries):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuditActor(BaseModel):
    sub: str
    role: str


class AuditObject(BaseModel):
    type: str
    id: str


class AuditEntry(BaseModel):
    """One entry as the log answers it (shared/audit/log.py `public`)."""

    org_id: str
    service: str
    seq: int
    at: str
    actor: AuditActor
    action: str
    object: AuditObject
    prev_hash: str
    hash: str


# How long a read of the log waits for the organisation's entries written before it to be
# chained (normally milliseconds on the chainer's instance, up to its poll on another);
# after that it answers what is chained.
SETTLE_SECONDS = 3.0
SETTLE_CHECK_SECONDS = 0.02


async def settled(runtime: Runtime, org: str) -> bool:
    """Wait until no entry of `org` written before now still waits to be chained (one
    indexed look-up when none does); False if some still wait after SETTLE_SECONDS. So an
    admin who just changed something finds it in the log."""
    now = datetime.now(UTC)
    pending = runtime.db.tenant_collection(org, AUDIT_PENDING)
    give_up_at = time.monotonic() + SETTLE_SECONDS
    while await pending.find_one({"written_at": {"$lte": now}}, projection={"_id": 1}):
        if time.monotonic() >= give_up_at:
            return False
        runtime.audit_chainer.wake()
        await asyncio.sleep(SETTLE_CHECK_SECONDS)
    return True


async def visible_entries(
    org: str,
    person: str | None = Query(default=None, max_length=200, description="actor or object id"),
    action: str | None = Query(default=None, max_length=100, description="exact, or a prefix."),
    since: IsoDay | None = Query(default=None, alias="from", description="From this day (UTC)."),
    until: IsoDay | None = Query(default=None, alias="to", description="Up to this day (UTC)."),
    principal: Principal = Depends(
        require_org_role("admin", "vcp", "coordinator", "volunteer", operator=True)
    ),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    """The entries the reader may see, filtered: the same for the JSON and the files."""
    await settled(runtime, org)
    query: dict[str, Any] = {}
    if since or until:
        query["at"] = {
            **({"$gte": f"{since.isoformat()}T00:00Z"} if since else {}),
            **({"$lt": f"{(until + timedelta(days=1)).isoformat()}T00:00Z"} if until else {}),
        }
    rows = await runtime.db.tenant_collection(org, AUDIT_LOG).find(
        query, sort=[("seq", 1)], projection={"_id": 0}
    )
    return [
        public(row)
        for row in rows
        if visible_to(principal, row)
        and (person is None or person in (row["actor"]["sub"], row["object"]["id"]))
        and (action is None or row["action"] == action or row["action"].startswith(f"{action}."))
    ][-MAX_ENTRIES:]


def _export(entries: list[dict[str, Any]], org: str, service: str, extension: str) -> Response:
    body, media_type = (
        (_csv(entries), "text/csv; charset=utf-8")
        if extension == "csv"
        else (_xlsx(entries), XLSX_TYPE)
    )
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="audit-{org}-{service}.{extension}"'
        },
    )


WHO = (
    "(admin: all; VCP: about VCPs and keys; operator: organisation.*, and all of"
    " regional-centre; any member: about themselves); filtered"
)


# Each file is an operation of its own that declares the one type it answers, so that a
# generated client reads it as what it is (the JSON route answered all three before).
@router.get(
    ".csv",
    summary=f"This service's audit entries of the organisation as a CSV file {WHO}.",
    operation_id="exportLogCsv",
    response_class=Response,
    responses={
        200: {
            "description": "The CSV file.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def export_log_csv(
    org: str,
    entries: list[dict[str, Any]] = Depends(visible_entries),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    return _export(entries, org, runtime.name, "csv")


@router.get(
    ".xlsx",
    summary=f"This service's audit entries of the organisation as a workbook {WHO}.",
    operation_id="exportLogXlsx",
    response_class=Response,
    responses={
        200: {
            "description": "The workbook.",
            "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def export_log_xlsx(
    org: str,
    entries: list[dict[str, Any]] = Depends(visible_entries),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    return _export(entries, org, runtime.name, "xlsx")


@router.get(
    "",
    summary=f"This service's audit entries of the organisation, oldest first {WHO}.",
    response_model=list[AuditEntry],
)
async def read_log(
    org: str,
    # Kept for the clients written before the files had routes of their own, and left out of
    # the document: there this operation answers JSON only.
    format: str = Query(default="json", pattern="^(json|csv|xlsx)$", include_in_schema=False),
    entries: list[dict[str, Any]] = Depends(visible_entries),
    runtime: Runtime = Depends(runtime_of),
) -> Any:
    if format != "json":
        return _export(entries, org, runtime.name, format)
    return entries


def _head_event(uow: UnitOfWork, head: Mapping[str, Any], now: datetime) -> AuditHeadPublished:
    anchor = anchor_of(head) if head else Anchor()
    return AuditHeadPublished(
        org_id=uow.org_id,
        service=uow.service,
        seq=int(head.get("seq", 0)),
        hash=str(head.get("hash", anchor.prev_hash)),
        anchor_seq=anchor.seq,
        anchor_prev_hash=anchor.prev_hash,
        published_at=now,
    )


async def publish_head(uow: UnitOfWork, now: datetime) -> AuditHeadPublished:
    """Publish this organisation's head in this service (audit.head.v1), and remember it."""
    heads = uow.collection(AUDIT_HEADS)
    head = await heads.find_one({}) or {}
    event = _head_event(uow, head, now)
    uow.publish(event)
    if head:
        await heads.update_one({"seq": head["seq"]}, {"$set": {"unpublished": False}})
    return event


@router.post(
    "/head",
    summary="Publish this service's chain head of the organisation now (admin); answers it.",
)
async def publish_head_now(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> AuditHeadPublished:
    # The head after the admin's own latest actions, not before their chaining.
    await settled(runtime, org)
    now = datetime.now(UTC)
    return await runtime.transact(org, lambda uow: publish_head(uow, now))


async def publish_changed_heads(runtime: Runtime) -> None:
    """The hourly sweep: every head that moved since it was last published (an append
    marks its head `unpublished`)."""

    async def step(uow: UnitOfWork, candidate: Document) -> int:
        head = await uow.collection(AUDIT_HEADS).find_one({"unpublished": True})
        if head is None:
            return 0
        await publish_head(uow, datetime.now(UTC))
        return 1

    await sweep(
        runtime.db,
        AUDIT_HEADS,
        {"unpublished": True},
        step,
        fields=["seq"],
    )


async def drop_expired_days(runtime: Runtime, now: datetime) -> int:
    """Retention: the whole days older than SAFEHANDS_AUDIT_RETENTION_DAYS, per chain."""
    days = runtime.settings.audit_retention_days
    if not days:
        return 0
    cutoff = now - timedelta(days=days)
    return await sweep(
        runtime.db,
        AUDIT_HEADS,
        {},
        lambda uow, _candidate: drop_before(uow, cutoff),
        fields=["seq"],
    )


async def hourly(runtime: Runtime) -> None:
    """Drop expired days first, so that the heads published after say where chains start."""
    await drop_expired_days(runtime, datetime.now(UTC))
    await publish_changed_heads(runtime)


HEAD_JOB = PeriodicJob("audit-heads", hourly, interval_seconds=3600)
