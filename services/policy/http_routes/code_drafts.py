"""The draft of an organisation's code of conduct: adopted from the model code, edited, and
published as a numbered version only when the admin chooses (`POST /v1/orgs/{org}/codes`)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, Response, status
from pydantic import BaseModel, Field
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.policy.domain.starter_documents import DocumentKind
from services.policy.http_routes.codes import MAX_CODE_LENGTH
from services.policy.http_routes.organisations import registered_organisation
from services.policy.http_routes.templates import known_document
from services.policy.storage import ADMISSIONS, CODE_DRAFTS, ORGANISATIONS
from services.policy.use_cases.admission import current_code_version
from shared.auth.dependencies import require_org_role
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs", tags=["codes of conduct"])
admin = Depends(require_org_role("admin"))


class Adoption(BaseModel):
    template_id: str = Field(
        max_length=100, description="A model code of conduct, e.g. code_of_conduct.nl."
    )


class DraftText(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)


class CodeDraft(BaseModel):
    text: str
    # The model it was adopted from, with that model's version; None when written from scratch.
    template_id: str | None
    template_version: int | None
    updated_at: datetime


def _draft(doc: Document) -> CodeDraft:
    return CodeDraft.model_validate({name: doc.get(name) for name in CodeDraft.model_fields})


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
    model = known_document(body.template_id)
    if model.kind is not DocumentKind.CODE_OF_CONDUCT:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            f"Template {body.template_id} is not a code of conduct; only a model code can"
            " become the draft of your code.",
        )
    try:
        async with runtime.unit_of_work(org) as uow:
            organisation = await registered_organisation(uow.collection(ORGANISATIONS))
            draft = CodeDraft(
                text=model.filled_in(organisation["name"]).text,
                template_id=model.template_id,
                template_version=model.version,
                updated_at=datetime.now(UTC),
            )
            await uow.collection(CODE_DRAFTS).insert_one(draft.model_dump())
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "There is a draft already: edit it, publish it, or delete it before adopting a model.",
        ) from None
    return draft


@router.get(
    "/{org}/codes/draft", summary="The draft code of conduct (admin).", dependencies=[admin]
)
async def read_draft(org: str, runtime: Runtime = Depends(runtime_of)) -> CodeDraft:
    doc = await runtime.db.tenant_collection(org, CODE_DRAFTS).find_one()
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no draft code of conduct.")
    return _draft(doc)


@router.put(
    "/{org}/codes/draft",
    summary="Write the draft code of conduct; it is not published (admin).",
    dependencies=[admin],
)
async def write_draft(
    org: str, body: DraftText, runtime: Runtime = Depends(runtime_of)
) -> CodeDraft:
    async def write(uow: UnitOfWork) -> Document | None:
        await registered_organisation(uow.collection(ORGANISATIONS))
        return await uow.collection(CODE_DRAFTS).find_one_and_update(
            {},
            {
                "$set": {"text": body.text, "updated_at": datetime.now(UTC)},
                "$setOnInsert": {"template_id": None, "template_version": None},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )

    doc = await runtime.transact(org, write)
    assert doc is not None, "an upsert returning the document after it always finds one"
    return _draft(doc)


@router.delete(
    "/{org}/codes/draft",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Throw the draft code of conduct away (admin).",
    dependencies=[admin],
)
async def delete_draft(org: str, runtime: Runtime = Depends(runtime_of)) -> Response:
    async with runtime.unit_of_work(org) as uow:
        deleted = await uow.collection(CODE_DRAFTS).delete_one({})
    if deleted.deleted_count == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no draft code of conduct.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class SigningAgain(BaseModel):
    current_version: int | None
    # Volunteers still in the organisation (not rejected) who signed some version: each of
    # them must sign once more when the next version is published.
    must_sign_again_on_publish: int


@router.get(
    "/{org}/codes/signing-again",
    summary="How many volunteers will have to sign again when a new version is published (admin).",
    dependencies=[admin],
)
async def read_signing_again(org: str, runtime: Runtime = Depends(runtime_of)) -> SigningAgain:
    async def count(uow: UnitOfWork) -> SigningAgain:
        await registered_organisation(uow.collection(ORGANISATIONS))
        signed = await uow.collection(ADMISSIONS).count(
            {"signed_code_version": {"$ne": None}, "decision.status": {"$ne": "rejected"}}
        )
        return SigningAgain(
            current_version=await current_code_version(uow), must_sign_again_on_publish=signed
        )

    return await runtime.transact(org, count)
