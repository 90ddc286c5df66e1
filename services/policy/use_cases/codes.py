"""Publishing numbered versions of the code of conduct, and reading the current one."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.policy.domain.errors import NoCodePublished, PublishedMeanwhile
from services.policy.storage import CODE_DRAFTS, CODES
from services.policy.use_cases.admission import current_code_version
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.domain.code_of_conduct import code_sha256, next_version
from shared.events.admission import CodeOfConductPublished
from shared.storage.unit_of_work import UnitOfWork

MAX_CODE_LENGTH = 200_000


class NewCode(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)


class PublishedCode(BaseModel):
    version: int
    sha256: str


class CurrentCode(PublishedCode):
    text: str
    # When this version was published: the volunteer's page shows its date.
    published_at: datetime | None = None


async def publish_code(uow: UnitOfWork, code: NewCode, *, published_at: datetime) -> PublishedCode:
    """Publish the next version; the draft, if any, is done with and removed."""
    sha256 = code_sha256(code.text)
    await registered_organisation(uow)
    version = next_version(await current_code_version(uow))
    try:
        await uow.collection(CODES).insert_one(
            {"version": version, "sha256": sha256, "text": code.text, "published_at": published_at}
        )
    except DuplicateKeyError:
        raise PublishedMeanwhile from None
    # Publishing is what the draft was for: the next draft starts from this version.
    await uow.collection(CODE_DRAFTS).delete_one({})
    await audit.record(uow, "code.published", "code", str(version))
    uow.publish(
        CodeOfConductPublished(
            org_id=uow.org_id, version=version, sha256=sha256, published_at=published_at
        )
    )
    return PublishedCode(version=version, sha256=sha256)


async def current_code(uow: UnitOfWork) -> CurrentCode:
    code = await uow.collection(CODES).find_highest("version")
    if code is None:
        raise NoCodePublished
    return CurrentCode(
        version=code["version"],
        sha256=code["sha256"],
        text=code["text"],
        published_at=code.get("published_at"),
    )
