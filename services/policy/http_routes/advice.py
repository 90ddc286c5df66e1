"""Advice on request: an organisation's admin asks the regional centre, the operator answers.

The question and answer stay here; the events say only that there is something to read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import AwareDatetime, BaseModel, Field

from services.policy.domain.advice import (
    ANSWERED,
    MAX_ANSWER_LENGTH,
    MAX_PREFERRED_TIMES_LENGTH,
    MAX_QUESTION_LENGTH,
    OPEN,
    warning_for,
)
from services.policy.http_routes.organisations import registered_organisation
from services.policy.storage import ADVICE_REQUESTS, ORGANISATIONS
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.events.advice import AdviceAnswered, AdviceRequested, AdviceTopic
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(tags=["advice on request"])

# The operator's queue is read in pages of this size, oldest first.
QUEUE_LIMIT = 500


class NewAdviceRequest(BaseModel):
    topic: AdviceTopic
    question: str = Field(min_length=1, max_length=MAX_QUESTION_LENGTH)
    preferred_times: str | None = Field(
        default=None,
        max_length=MAX_PREFERRED_TIMES_LENGTH,
        description="When an appointment would suit, in the asker's words.",
    )


class AdviceRequestCreated(BaseModel):
    request_id: str
    # For an "incident" request: the reminder that report details belong with the VCP.
    warning: str | None


class AnswerBody(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_ANSWER_LENGTH)
    appointment: AwareDatetime | None = Field(
        default=None, description="A proposed appointment, ISO 8601 with a time zone."
    )


class Answer(BaseModel):
    text: str
    appointment: datetime | None
    answered_at: datetime


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
    request_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    async with runtime.unit_of_work(org) as uow:
        organisation = await registered_organisation(uow.collection(ORGANISATIONS))
        await uow.collection(ADVICE_REQUESTS).insert_one(
            {
                "request_id": request_id,
                # Kept with the request so that the operator's queue needs no other lookup.
                "organisation": organisation["name"],
                "topic": body.topic,
                "question": body.question,
                "preferred_times": body.preferred_times,
                "requested_at": now,
                "status": OPEN,
                "answer": None,
            }
        )
        uow.publish(
            AdviceRequested(
                org_id=org, request_id=request_id, advice_topic=body.topic, requested_at=now
            )
        )
    return AdviceRequestCreated(request_id=request_id, warning=warning_for(body.topic))


@router.get(
    "/v1/orgs/{org}/advice-requests",
    summary="The organisation's advice requests with their answers, newest first (admin).",
)
async def list_advice_requests(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[AdviceRequestView]:
    docs = await runtime.db.tenant_collection(org, ADVICE_REQUESTS).find(
        sort=[("requested_at", -1)]
    )
    return [_view(doc) for doc in docs]


@router.get(
    "/v1/advice-requests",
    summary="Every organisation's open advice requests, oldest first (operator).",
)
async def advice_queue(
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> list[QueuedAdviceRequest]:
    # Across organisations on purpose, read-only: the operator serves every one of them.
    docs: list[dict[str, Any]] = await (
        runtime.db.platform_collection(ADVICE_REQUESTS)
        .find({"status": OPEN}, limit=QUEUE_LIMIT)
        .sort([("requested_at", 1)])
        .to_list()
    )
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
    found = await runtime.db.platform_collection(ADVICE_REQUESTS).find_one(
        {"request_id": request_id}, projection={"org_id": 1}
    )
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no such advice request.")
    org_id: str = found["org_id"]
    answer = Answer(text=body.text, appointment=body.appointment, answered_at=datetime.now(UTC))

    async def record(uow: UnitOfWork) -> Document | None:
        # Only an open request takes an answer: of two operators answering at once, one wins.
        request = await uow.collection(ADVICE_REQUESTS).find_one_and_update(
            {"request_id": request_id, "status": OPEN},
            {"$set": {"status": ANSWERED, "answer": answer.model_dump()}},
        )
        if request is not None:
            uow.publish(
                AdviceAnswered(
                    org_id=org_id,
                    request_id=request_id,
                    advice_topic=request["topic"],
                    answered_at=answer.answered_at,
                    appointment=answer.appointment,
                )
            )
        return request

    if await runtime.transact(org_id, record) is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "This advice request has been answered already."
        )
    return AnswerRecorded(
        request_id=request_id, answered_at=answer.answered_at, appointment=answer.appointment
    )
