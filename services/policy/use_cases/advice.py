"""Advice on request: an organisation's admin asks the regional centre, the operator answers.

The question and answer stay here; the events say only that there is something to read.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field
from pymongo.asynchronous.collection import AsyncCollection

from services.policy.domain.advice import (
    ANSWERED,
    MAX_ANSWER_LENGTH,
    MAX_PREFERRED_TIMES_LENGTH,
    MAX_QUESTION_LENGTH,
    OPEN,
    warning_for,
)
from services.policy.domain.errors import AlreadyAnswered, NoSuchAdviceRequest
from services.policy.storage import ADVICE_REQUESTS
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.events.advice import AdviceAnswered, AdviceRequested, AdviceTopic
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


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


async def request_advice(
    uow: UnitOfWork, request: NewAdviceRequest, *, requested_at: datetime
) -> AdviceRequestCreated:
    request_id = str(uuid.uuid4())
    organisation = await registered_organisation(uow)
    await uow.collection(ADVICE_REQUESTS).insert_one(
        {
            "request_id": request_id,
            # Kept with the request so that the operator's queue needs no other lookup.
            "organisation": organisation["name"],
            "topic": request.topic,
            "question": request.question,
            "preferred_times": request.preferred_times,
            "requested_at": requested_at,
            "status": OPEN,
            "answer": None,
        }
    )
    await audit.record(uow, "advice.requested", "advice_request", request_id)
    uow.publish(
        AdviceRequested(
            org_id=uow.org_id,
            request_id=request_id,
            advice_topic=request.topic,
            requested_at=requested_at,
        )
    )
    return AdviceRequestCreated(request_id=request_id, warning=warning_for(request.topic))


async def organisation_asking(requests: AsyncCollection[Document], request_id: str) -> str:
    """The organisation that asked the advice request, looked up across organisations (the
    operator serves every one of them); NoSuchAdviceRequest when nobody asked it."""
    found = await requests.find_one({"request_id": request_id}, projection={"org_id": 1})
    if found is None:
        raise NoSuchAdviceRequest
    org_id: str = found["org_id"]
    return org_id


async def answer_advice_request(
    uow: UnitOfWork, request_id: str, body: AnswerBody, *, answered_at: datetime
) -> Answer:
    """Record the operator's answer to one of the organisation's open requests."""
    answer = Answer(text=body.text, appointment=body.appointment, answered_at=answered_at)
    # Only an open request takes an answer: of two operators answering at once, one wins.
    request = await uow.collection(ADVICE_REQUESTS).find_one_and_update(
        {"request_id": request_id, "status": OPEN},
        {"$set": {"status": ANSWERED, "answer": answer.model_dump()}},
    )
    if request is None:
        raise AlreadyAnswered
    await audit.record(uow, "advice.answered", "advice_request", request_id)
    uow.publish(
        AdviceAnswered(
            org_id=uow.org_id,
            request_id=request_id,
            advice_topic=request["topic"],
            answered_at=answer.answered_at,
            appointment=answer.appointment,
        )
    )
    return answer
