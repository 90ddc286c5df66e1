"""The draft of an organisation's code of conduct: adopted from the model code, edited, and
published as a numbered version only when the admin chooses (`POST /v1/orgs/{org}/codes`);
services/policy/use_cases/code_drafts.py decides."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status

from services.policy.use_cases import code_drafts
from services.policy.use_cases.code_drafts import Adoption, CodeDraft, DraftText, SigningAgain
from shared.auth.dependencies import require_org_role
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["codes of conduct"])
admin = Depends(require_org_role("admin"))


@router.post(
    "/{org}/codes/draft",
    status_code=status.HTTP_201_CREATED,
    summary="Adopt a model code of conduct as the organisation's draft (admin); 409 when"
    " there is a draft already.",
    dependencies=[admin],
    responses=errors(409),
)
async def adopt_model_code(
    org: str, body: Adoption, runtime: Runtime = Depends(runtime_of)
) -> CodeDraft:
    now = datetime.now(UTC)
    return await runtime.transact(
        org, lambda uow: code_drafts.adopt_model_code(uow, body.template_id, adopted_at=now)
    )


@router.get(
    "/{org}/codes/draft", summary="The draft code of conduct (admin).", dependencies=[admin]
)
async def read_draft(org: str, runtime: Runtime = Depends(runtime_of)) -> CodeDraft:
    return await runtime.read(org, code_drafts.read_draft)


@router.put(
    "/{org}/codes/draft",
    summary="Write the draft code of conduct; it is not published (admin).",
    dependencies=[admin],
)
async def write_draft(
    org: str, body: DraftText, runtime: Runtime = Depends(runtime_of)
) -> CodeDraft:
    return await runtime.transact(
        org, lambda uow: code_drafts.write_draft(uow, body.text, written_at=datetime.now(UTC))
    )


@router.delete(
    "/{org}/codes/draft",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Throw the draft code of conduct away (admin).",
    dependencies=[admin],
)
async def delete_draft(org: str, runtime: Runtime = Depends(runtime_of)) -> Response:
    await runtime.transact(org, code_drafts.delete_draft)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{org}/codes/signing-again",
    summary="How many volunteers will have to sign again when a new version is published (admin).",
    dependencies=[admin],
)
async def read_signing_again(org: str, runtime: Runtime = Depends(runtime_of)) -> SigningAgain:
    return await runtime.read(org, code_drafts.signing_again)
