"""The platform's operators: listed, added and removed by an operator (the first one comes
from SAFEHANDS_OPERATOR_EMAILS or `safehands operator add`, with no restart)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr

from services.identity.domain.sign_in import normalise_address
from services.identity.people import person_id_of
from services.identity.use_cases import operators
from shared.auth.dependencies import require_operator
from shared.auth.tokens import Principal
from shared.events.identity import PLATFORM_ORG
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/operators", tags=["operators"])


class NewOperator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class AddedOperator(BaseModel):
    operator_id: str


class Operator(BaseModel):
    operator_id: str
    email: str
    # Since when (null for an operator named in SAFEHANDS_OPERATOR_EMAILS, never changed).
    since: datetime | None
    # Named in SAFEHANDS_OPERATOR_EMAILS (and not removed since).
    seed: bool


@router.get("", summary="The platform's operators (operator).")
async def list_operators(
    _operator: Principal = Depends(require_operator()), runtime: Runtime = Depends(runtime_of)
) -> list[Operator]:
    rows = await operators.operator_rows(runtime.db, runtime.db, runtime.settings.operators)
    return [Operator(**row) for row in rows]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Add an operator (operator): they sign in like everyone else, with no restart.",
    response_model=AddedOperator,
    responses=errors(400),
)
async def add_operator(
    body: NewOperator,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    address = normalise_address(body.email)
    operator_id = await person_id_of(runtime.db, address)
    now = datetime.now(UTC)
    await runtime.transact(
        PLATFORM_ORG, lambda uow: operators.add_operator(uow, address, operator_id, now=now)
    )
    return {"operator_id": operator_id}


@router.delete(
    "/{operator_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an operator (operator); never oneself, never the last one.",
    responses=errors(404, 409),
    description="Every service refuses the removed operator's tokens at once.",
)
async def remove_operator(
    operator_id: str,
    operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    now = datetime.now(UTC)
    await runtime.transact(
        PLATFORM_ORG,
        lambda uow: operators.remove_operator(
            uow,
            runtime.db,
            operator_id,
            seed=runtime.settings.operators,
            acting_sub=operator.sub,
            now=now,
        ),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
