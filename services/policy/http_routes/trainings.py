"""The regional centre's trainings (services/policy/use_cases/trainings.py decides): the
operator publishes them, sees every registration and marks attendance; a member of any
organisation registers themself, sees and cancels their own registrations, and downloads
iCalendar files. An organisation's routes filter on its `member_org`, so one organisation
never reads another's registrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, StrictBool

from services.policy import queries
from services.policy.domain.errors import NoSuchRegistration, NoSuchTraining
from services.policy.training_calendar import (
    CONTENT_TYPE,
    filename,
    registration_ics,
    training_ics,
)
from services.policy.use_cases import trainings
from services.policy.use_cases.trainings import (
    ChangedTraining,
    Member,
    NewRegistration,
    NewTraining,
    Registration,
    Training,
    registration_view,
    training_view,
)
from shared.auth.dependencies import require_operator, require_org_role, require_role
from shared.auth.tokens import Principal, Role
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.tenants import REGIONAL_CENTRE

router = APIRouter(tags=["trainings"])

MEMBER_ROLES: tuple[Role, ...] = ("admin", "coordinator", "vcp", "volunteer")
# Trainings stay listed for a day after they started, so attendance can still be read.
LISTED_AFTER_START = timedelta(days=1)
LIST_LIMIT = 500
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/calendar": {}}}}


class Attendance(BaseModel):
    attended: StrictBool


class MyRegistration(Registration):
    title: str
    starts_at: datetime


class RegistrationRow(Registration):
    name: str
    email: str
    organisation: str


class OrganisationCount(BaseModel):
    member_org: str
    organisation: str
    confirmed: int
    waiting: int
    attended: int


class TrainingRegistrations(BaseModel):
    training: Training
    registrations: list[RegistrationRow]
    per_organisation: list[OrganisationCount]


def _ics(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type=CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/v1/trainings",
    status_code=status.HTTP_201_CREATED,
    summary="Publish a training of the regional centre (operator).",
)
async def publish_training(
    body: NewTraining,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> Training:
    now = datetime.now(UTC)
    return await runtime.transact(
        REGIONAL_CENTRE, lambda uow: trainings.publish_training(uow, body, now=now)
    )


@router.get(
    "/v1/trainings",
    summary="The regional centre's trainings from yesterday on, soonest first (any member;"
    " the operator).",
)
async def list_trainings(
    _reader: Principal = Depends(require_role("operator", *MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> list[Training]:
    since = datetime.now(UTC) - LISTED_AFTER_START
    docs = await queries.trainings_since(runtime.db, since, LIST_LIMIT)
    return [training_view(doc) for doc in docs]


@router.get(
    "/v1/trainings/{training_id}/calendar.ics",
    summary="The training as an iCalendar file (any member; the operator).",
    response_class=Response,
    responses={**ICS_RESPONSE, **errors(404)},
)
async def training_calendar(
    training_id: str,
    _reader: Principal = Depends(require_role("operator", *MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    doc = await queries.training(runtime.db, training_id)
    if doc is None:
        raise NoSuchTraining
    return _ics(training_ics(doc, datetime.now(UTC)), filename(doc["title"]))


@router.get(
    "/v1/trainings/{training_id}/registrations",
    summary="A training's registrations, each and per organisation (operator).",
    responses=errors(404),
)
async def training_registrations(
    training_id: str,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> TrainingRegistrations:
    doc = await queries.training(runtime.db, training_id)
    if doc is None:
        raise NoSuchTraining
    rows = await queries.registrations_for(runtime.db, training_id)
    orgs = sorted({row["member_org"] for row in rows})
    names = await queries.organisation_names(runtime.db, orgs)
    waiting_order = sorted(
        (row for row in rows if row["status"] == "waiting"),
        key=lambda row: (row["queued_at"], row["registration_id"]),
    )
    positions = {row["registration_id"]: i + 1 for i, row in enumerate(waiting_order)}
    registrations = [
        RegistrationRow(
            **registration_view(row, positions.get(row["registration_id"])).model_dump(),
            name=row["name"],
            email=row["email"],
            organisation=names.get(row["member_org"], row["member_org"]),
        )
        for row in rows
    ]
    per_organisation = [
        OrganisationCount(
            member_org=org,
            organisation=names.get(org, org),
            confirmed=sum(1 for r in rows if r["member_org"] == org and r["status"] == "confirmed"),
            waiting=sum(1 for r in rows if r["member_org"] == org and r["status"] == "waiting"),
            attended=sum(1 for r in rows if r["member_org"] == org and r.get("attended")),
        )
        for org in orgs
    ]
    return TrainingRegistrations(
        training=training_view(doc),
        registrations=registrations,
        per_organisation=per_organisation,
    )


@router.post(
    "/v1/trainings/{training_id}/cancellation",
    summary="Cancel a training before it starts (operator; audited): every registration"
    " ends with it and each member is told by mail. It stays listed, marked cancelled.",
    responses=errors(404, 409),
)
async def cancel_training(
    training_id: str,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> Training:
    now = datetime.now(UTC)
    return await runtime.transact(
        REGIONAL_CENTRE, lambda uow: trainings.cancel_training(uow, training_id, now=now)
    )


@router.put(
    "/v1/trainings/{training_id}",
    summary="Change a training before it starts (operator; audited): its time, place, seats"
    " or wording. Every registration is mailed when the time, end, place or online link"
    " changed; more seats go to the waiting list in order; fewer than are taken: 409.",
    responses=errors(404, 409),
)
async def change_training(
    training_id: str,
    body: NewTraining,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> ChangedTraining:
    now = datetime.now(UTC)
    return await runtime.transact(
        REGIONAL_CENTRE, lambda uow: trainings.change_training(uow, training_id, body, now=now)
    )


@router.put(
    "/v1/trainings/{training_id}/registrations/{registration_id}/attendance",
    summary="Mark whether a registration with a seat attended (operator).",
    responses=errors(404, 409),
)
async def mark_attendance(
    training_id: str,
    registration_id: str,
    body: Attendance,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> Registration:
    return await runtime.transact(
        REGIONAL_CENTRE,
        lambda uow: trainings.mark_attendance(uow, training_id, registration_id, body.attended),
    )


@router.post(
    "/v1/orgs/{org}/trainings/{training_id}/registrations",
    status_code=status.HTTP_201_CREATED,
    summary="Register oneself for a training: a seat while one is free, else the waiting"
    " list (any member of the organisation).",
    responses=errors(404, 409),
)
async def register(
    org: str,
    training_id: str,
    body: NewRegistration,
    member: Principal = Depends(require_org_role(*MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> Registration:
    now = datetime.now(UTC)
    who = Member(member_id=member.sub, org_id=org, roles=sorted(member.roles))
    return await runtime.transact(
        REGIONAL_CENTRE, lambda uow: trainings.register(uow, training_id, who, body, now=now)
    )


@router.get(
    "/v1/orgs/{org}/training-registrations",
    summary="One's own training registrations, not cancelled, soonest first (any member of"
    " the organisation).",
)
async def my_registrations(
    org: str,
    member: Principal = Depends(require_org_role(*MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> list[MyRegistration]:
    rows = await queries.own_registrations(runtime.db, org, member.sub, LIST_LIMIT)
    result = []
    for row in rows:
        position = None
        if row["status"] == "waiting":
            position = 1 + await queries.waiting_before(runtime.db, row)
        result.append(
            MyRegistration(
                **registration_view(row, position).model_dump(),
                title=row["title"],
                starts_at=row["starts_at"],
            )
        )
    return result


@router.delete(
    "/v1/orgs/{org}/training-registrations/{registration_id}",
    summary="Cancel one's own registration; a seat it held goes to the first on the"
    " waiting list, told by mail (any member of the organisation).",
    responses=errors(404, 409),
)
async def cancel_registration(
    org: str,
    registration_id: str,
    member: Principal = Depends(require_org_role(*MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> Registration:
    now = datetime.now(UTC)
    return await runtime.transact(
        REGIONAL_CENTRE,
        lambda uow: trainings.cancel(
            uow, registration_id, member_org=org, member_id=member.sub, now=now
        ),
    )


@router.get(
    "/v1/orgs/{org}/training-registrations/{registration_id}/calendar.ics",
    summary="One's own registration as an iCalendar file (any member of the organisation).",
    response_class=Response,
    responses={**ICS_RESPONSE, **errors(404)},
)
async def registration_calendar(
    org: str,
    registration_id: str,
    member: Principal = Depends(require_org_role(*MEMBER_ROLES)),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    row = await queries.own_registration(runtime.db, org, member.sub, registration_id)
    if row is None:
        raise NoSuchRegistration
    training = await queries.training(runtime.db, row["training_id"])
    if training is None:
        raise NoSuchTraining
    body = registration_ics(training, row, datetime.now(UTC))
    return _ics(body, filename(training["title"], "-registration"))
