"""Publishing numbered versions of the code of conduct, and reading the current one."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.policy.domain.admission_file import resign_deadline
from services.policy.domain.errors import NoCodePublished, PublishedMeanwhile, SameAsCurrentCode
from services.policy.organisation_settings import settings_of
from services.policy.storage import CODE_DRAFTS, CODES
from services.policy.use_cases.consultations import take_round_for_publishing
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.domain.calendar import day_of
from shared.domain.code_of_conduct import code_sha256, next_version
from shared.events.admission import CodeOfConductPublished
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

MAX_CODE_LENGTH = 200_000


class NewCode(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)


class Consulted(BaseModel):
    """The consultation round on the draft this version was published from."""

    people: int
    comments: int


class PublishedCode(BaseModel):
    version: int
    sha256: str
    # Only for a version whose draft was put to the organisation's volunteers: without a
    # round the answer stays what the contract has always said it is.
    consulted: Consulted | None = Field(default=None, exclude_if=lambda value: value is None)


class CurrentCode(PublishedCode):
    text: str
    # When this version was published: the volunteer's page shows its date.
    published_at: datetime | None = None
    # Volunteers who signed the previous version must sign this one before this day to stay
    # admitted; None for the first version (nobody signed a previous one) and for versions
    # published before grace periods existed.
    resign_before: date | None = None


async def publish_code(uow: UnitOfWork, code: NewCode, *, published_at: datetime) -> PublishedCode:
    """Publish the next version; the draft, if any, is done with and removed.

    A text identical to the current version's is refused: it would change nothing but make
    everyone sign again. Volunteers who signed the previous version get the organisation's
    grace period to sign this one (`resign_before`)."""
    sha256 = code_sha256(code.text)
    organisation = await registered_organisation(uow)
    current = await latest_code(uow)
    if current is not None and current["sha256"] == sha256:
        raise SameAsCurrentCode(current["version"])
    version = next_version(current["version"] if current else None)
    # The organisation's day, not UTC's: published just after midnight in the Netherlands
    # (23:00-24:00 UTC) the grace period counted from the day before and ended a day early.
    published_on = day_of(published_at)
    resign_before = (
        resign_deadline(published_on, settings_of(organisation).resign_grace_days)
        if current is not None
        else None
    )
    consulted = await take_round_for_publishing(uow, version, published_on)
    try:
        await uow.collection(CODES).insert_one(
            {
                "version": version,
                "sha256": sha256,
                "text": code.text,
                "published_at": published_at,
                "resign_before": resign_before.isoformat() if resign_before else None,
                "consulted": consulted,
            }
        )
    except DuplicateKeyError:
        raise PublishedMeanwhile from None
    # Publishing is what the draft was for: the next draft starts from this version.
    await uow.collection(CODE_DRAFTS).delete_one({})
    await audit.record(uow, "code.published", "code", str(version))
    uow.publish(
        CodeOfConductPublished(
            org_id=uow.org_id,
            version=version,
            sha256=sha256,
            published_at=published_at,
            resign_before=resign_before,
        )
    )
    return PublishedCode(version=version, sha256=sha256, consulted=consulted)


async def latest_code(uow: UnitOfWork) -> Document | None:
    """The current version's number and hash, as publishing a next one needs them."""
    return await uow.collection(CODES).find_highest(
        "version", projection={"version": 1, "sha256": 1}
    )


async def current_code(uow: UnitOfWork) -> CurrentCode:
    code = await uow.collection(CODES).find_highest("version")
    if code is None:
        raise NoCodePublished
    return CurrentCode(
        version=code["version"],
        sha256=code["sha256"],
        text=code["text"],
        published_at=code.get("published_at"),
        resign_before=code.get("resign_before"),
        consulted=code.get("consulted"),
    )
