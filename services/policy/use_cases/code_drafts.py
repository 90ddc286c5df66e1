"""The draft of an organisation's code of conduct: adopted from the model code, edited, and
published as a numbered version only when the admin chooses (use_cases/codes.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.policy.domain.errors import DraftExists, NoSuchDraft, NotAModelCode
from services.policy.domain.starter_documents import DocumentKind
from services.policy.organisation_settings import settings_of
from services.policy.storage import ADMISSIONS, CODE_DRAFTS
from services.policy.use_cases.admission import current_code_version
from services.policy.use_cases.codes import MAX_CODE_LENGTH
from services.policy.use_cases.organisations import registered_organisation
from services.policy.use_cases.templates import known_document
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


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


class SigningAgain(BaseModel):
    current_version: int | None
    # Volunteers still in the organisation (not rejected) who signed some version: each of
    # them must sign once more when the next version is published,
    must_sign_again_on_publish: int
    # within this many days (the organisation's grace period).
    resign_grace_days: int


def _draft(doc: Document) -> CodeDraft:
    return CodeDraft.model_validate({name: doc.get(name) for name in CodeDraft.model_fields})


async def adopt_model_code(uow: UnitOfWork, template_id: str, *, adopted_at: datetime) -> CodeDraft:
    """Make a model code, with the organisation's name filled in, the draft; refused while
    there is a draft."""
    model = known_document(template_id)
    if model.kind is not DocumentKind.CODE_OF_CONDUCT:
        raise NotAModelCode(template_id)
    organisation = await registered_organisation(uow)
    draft = CodeDraft(
        text=model.filled_in(organisation["name"]).text,
        template_id=model.template_id,
        template_version=model.version,
        updated_at=adopted_at,
    )
    try:
        await uow.collection(CODE_DRAFTS).insert_one(draft.model_dump())
    except DuplicateKeyError:
        raise DraftExists from None
    return draft


async def read_draft(uow: UnitOfWork) -> CodeDraft:
    doc = await uow.collection(CODE_DRAFTS).find_one()
    if doc is None:
        raise NoSuchDraft
    return _draft(doc)


async def write_draft(uow: UnitOfWork, text: str, *, written_at: datetime) -> CodeDraft:
    """Write the draft's text, starting a draft from scratch when there is none."""
    await registered_organisation(uow)
    doc = await uow.collection(CODE_DRAFTS).find_one_and_update(
        {},
        {
            "$set": {"text": text, "updated_at": written_at},
            "$setOnInsert": {"template_id": None, "template_version": None},
        },
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    assert doc is not None, "an upsert returning the document after it always finds one"
    return _draft(doc)


async def delete_draft(uow: UnitOfWork) -> None:
    deleted = await uow.collection(CODE_DRAFTS).delete_one({})
    if deleted.deleted_count == 0:
        raise NoSuchDraft


async def signing_again(uow: UnitOfWork) -> SigningAgain:
    """How many volunteers will have to sign again when a new version is published."""
    organisation = await registered_organisation(uow)
    signed = await uow.collection(ADMISSIONS).count(
        {"signed_code_version": {"$ne": None}, "decision.status": {"$ne": "rejected"}}
    )
    return SigningAgain(
        current_version=await current_code_version(uow),
        must_sign_again_on_publish=signed,
        resign_grace_days=settings_of(organisation).resign_grace_days,
    )
