"""Anonymous submission of an encrypted report: no token, no content, no trace of the sender.

intake checks what it can without a key — the envelope's shape, its suite, that it is
sealed to exactly the organisation's current VCP keys, that the report id and mailbox are
new — and passes the ciphertext on in IncidentReported. The client's address is used only
by the rate limiter, which keeps an HMAC of it for one window; nothing here logs it, and
the user agent is never read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field
from pymongo.errors import DuplicateKeyError

from services.intake.read_model import current_vcp_keys
from services.intake.storage import KNOWN_VCP_KEYS, RECEIVED_REPORTS
from shared.crypto import Envelope, PublicKey
from shared.events.reports import IncidentReported
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}", tags=["reports"])


class Mailbox(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lookup: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the mailbox secret.")
    reply_key: PublicKey


class ReportSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: UUID
    envelope: Envelope
    mailbox: Mailbox


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)


@router.post(
    "/reports",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Submit an encrypted report (anyone, no token; rate-limited).",
    dependencies=[Depends(rate_limited("reports"))],
    responses=errors(404, 409),
)
async def submit_report(
    org: str, body: ReportSubmission, runtime: Runtime = Depends(runtime_of)
) -> dict[str, str]:
    # Reporters submit at the same time: a write conflict is run again, not answered 500.
    try:
        return await runtime.transact(org, lambda uow: _accept(uow, org, body))
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "This report or its mailbox was already submitted; start over with a new receipt.",
        ) from None


async def _accept(uow: UnitOfWork, org: str, body: ReportSubmission) -> dict[str, str]:
    report_id = str(body.report_id)
    envelope = body.envelope
    keys = await current_vcp_keys(uow.collection(KNOWN_VCP_KEYS))
    if not keys:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"Organisation {org} has no confidential contact person to receive reports.",
        )
    suites = set(keys.values())
    if envelope.suite not in suites:
        raise _unprocessable(
            f"The envelope must use the suite of the organisation's VCP keys "
            f"({', '.join(sorted(suites))})."
        )
    if {r.key_id for r in envelope.recipients} != set(keys):
        raise _unprocessable(
            "The report must be sealed to exactly the organisation's current VCP keys "
            f"(GET /v1/orgs/{org}/vcp-keys on reports); fetch them again and re-seal."
        )
    if body.mailbox.reply_key.suite != envelope.suite:
        raise _unprocessable("The reply key must use the same suite as the envelope.")
    received = uow.collection(RECEIVED_REPORTS)
    if await received.find_one({"report_id": report_id}) is not None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"A report {report_id} was already submitted."
        )
    await received.insert_one({"report_id": report_id, "mailbox_lookup": body.mailbox.lookup})
    uow.publish(
        IncidentReported(
            org_id=org,
            report_id=report_id,
            envelope=envelope.model_dump(),
            mailbox_lookup=body.mailbox.lookup,
            reply_key=body.mailbox.reply_key.model_dump(),
            received_at=datetime.now(UTC),
        )
    )
    return {"report_id": report_id}
