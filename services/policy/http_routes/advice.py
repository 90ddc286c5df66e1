"""Advice on request: an organisation's admin asks the regional centre, the operator answers
(services/policy/use_cases/advice.py decides); both read what was asked and answered."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from services.policy import queries
from services.policy.domain.advice import warning_for
from services.policy.storage import ADVICE_REQUESTS
from services.policy.use_cases import advice
from services.policy.use_cases.advice import (
    AdviceRequestCreated,
    Answer,
    AnswerBody,
    NewAdviceRequest,
)
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.events.advice import AdviceTopic
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document

router = APIRouter(tags=["advice on request"])

# The operator's queue is read in pages of this size, oldest first.
QUEUE_LIMIT = 500


class AdviceRequestView(BaseModel):
    request_id: str
    topic: AdviceTopic
    question: str
    preferred_times: str | None
    requested_at: datetime
    status: str
    warning: str | None
    answer: Answer | None


class QueuedAdviceRequest(BaseModel):
    request_id: str
    org_id: str
    organisation: str
    topic: AdviceTopic
    question: str
    preferred_times: str | None
    requested_at: datetime
    warning: str | None


class AnswerRecorded(BaseModel):
    request_id: str
    answered_at: datetime
    appointment: datetime | None


def _view(doc: Document) -> AdviceRequestView:
    answer = doc.get("answer")
    return AdviceRequestView(
        request_id=doc["request_id"],
        topic=doc["topic"],
        question=doc["question"],
        preferred_times=doc.get("preferred_times"),
        requested_at=doc["requested_at"],
        status=doc["status"],
        warning=warning_for(doc["topic"]),
        answer=Answer.model_validate(answer) if answer else None,
    )


@router.post(
    "/v1/orgs/{org}/advice-requests",
    status_code=status.HTTP_201_CREATED,
    summary="Ask the regional centre for advice (admin).",
)
async def request_advice(
    org: str,
    body: NewAdviceRequest,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> AdviceRequestCreated:
    now = datetime.now(UTC)
    return await runtime.transact(
        org, lambda uow: advice.request_advice(uow, body, requested_at=now)
    )


@router.get(
    "/v1/orgs/{org}/advice-requests",
    summary="The organisation's advice requests with their answers, newest first (admin).",
)
async def list_advice_requests(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[AdviceRequestView]:
    return [_view(doc) for doc in await queries.advice_requests(runtime.db, org)]


@router.get(
    "/v1/advice-requests",
    summary="Every organisation's open advice requests, oldest first (operator).",
)
async def advice_queue(
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> list[QueuedAdviceRequest]:
    docs = await queries.open_advice_requests(runtime.db, QUEUE_LIMIT)
    return [
        QueuedAdviceRequest(
            request_id=doc["request_id"],
            org_id=doc["org_id"],
            organisation=doc.get("organisation") or doc["org_id"],
            topic=doc["topic"],
            question=doc["question"],
            preferred_times=doc.get("preferred_times"),
            requested_at=doc["requested_at"],
            warning=warning_for(doc["topic"]),
        )
        for doc in docs
    ]


@router.post(
    "/v1/advice-requests/{request_id}/answer",
    status_code=status.HTTP_201_CREATED,
    summary="Answer an advice request, optionally proposing an appointment (operator);"
    " 409 when it was answered already.",
    responses=errors(404, 409),
)
async def answer_advice_request(
    request_id: str,
    body: AnswerBody,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> AnswerRecorded:
    org_id = await advice.organisation_asking(
        runtime.db.platform_collection(ADVICE_REQUESTS), request_id
    )
    now = datetime.now(UTC)
    answer = await runtime.transact(
        org_id, lambda uow: advice.answer_advice_request(uow, request_id, body, answered_at=now)
    )
    return AnswerRecorded(
        request_id=request_id, answered_at=answer.answered_at, appointment=answer.appointment
    )
