"""A consultation round on the draft code of conduct (docs/api.md, "Consultation on the
draft code"): the admin's routes and the invited person's; services/policy/use_cases/
consultations.py decides. Every route is the organisation's alone (shared/auth)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status

from services.policy.use_cases import consultations
from services.policy.use_cases.consultations import (
    AdminComment,
    AdminConsultation,
    MyComment,
    MyConsultation,
    NewAnswer,
    NewComment,
    Opening,
)
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.domain.calendar import today
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["consultation on the code"])
admin = Depends(require_org_role("admin"))
# Whoever may be invited: the use case checks that they are.
member = require_org_role("volunteer", "coordinator", "vcp", "admin")


@router.post(
    "/{org}/consultation",
    status_code=status.HTTP_201_CREATED,
    summary="Open the draft code for comments until a closing day (admin).",
    dependencies=[admin],
    responses=errors(404, 409),
)
async def open_round(
    org: str, body: Opening, runtime: Runtime = Depends(runtime_of)
) -> AdminConsultation:
    now = datetime.now(UTC)
    return await runtime.transact(
        org, lambda uow: consultations.open_round(uow, body, now=now, today=today())
    )


@router.get(
    "/{org}/consultation",
    summary="The round on the draft with its comments per section (admin).",
    dependencies=[admin],
    responses=errors(404),
)
async def read_round(org: str, runtime: Runtime = Depends(runtime_of)) -> AdminConsultation:
    return await runtime.read(org, consultations.admin_view)


@router.post(
    "/{org}/consultation/close",
    summary="Close the round before its closing day (admin).",
    dependencies=[admin],
    responses=errors(404, 409),
)
async def close_round(org: str, runtime: Runtime = Depends(runtime_of)) -> AdminConsultation:
    return await runtime.transact(org, lambda uow: consultations.close_round(uow, today=today()))


@router.put(
    "/{org}/consultation/comments/{comment_id}/answer",
    summary="Answer a comment; the commenter reads it on /me (admin).",
    dependencies=[admin],
    responses=errors(404),
)
async def answer(
    org: str, comment_id: str, body: NewAnswer, runtime: Runtime = Depends(runtime_of)
) -> AdminComment:
    now = datetime.now(UTC)
    return await runtime.transact(
        org, lambda uow: consultations.answer(uow, comment_id, body, now=now)
    )


@router.get(
    "/{org}/consultation/mine",
    summary="The draft under consultation, with one's own comments and their answers"
    " (whoever is invited).",
    responses=errors(404),
)
async def read_mine(
    org: str,
    principal: Principal = Depends(member),
    runtime: Runtime = Depends(runtime_of),
) -> MyConsultation:
    return await runtime.read(org, lambda uow: consultations.my_view(uow, principal, today=today()))


@router.post(
    "/{org}/consultation/comments",
    status_code=status.HTTP_201_CREATED,
    summary="Comment on a section of the draft, named or anonymous towards the admin"
    " (whoever is invited).",
    responses=errors(404, 409, 429),
)
async def comment(
    org: str,
    body: NewComment,
    principal: Principal = Depends(member),
    runtime: Runtime = Depends(runtime_of),
) -> MyComment:
    now = datetime.now(UTC)
    return await runtime.transact(
        org, lambda uow: consultations.comment(uow, principal, body, now=now, today=today())
    )
