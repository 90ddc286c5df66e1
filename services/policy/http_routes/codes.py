"""Codes of conduct: numbered versions of an exact text."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.policy.http_routes.organisations import registered_organisation
from services.policy.storage import CODE_DRAFTS, CODES, ORGANISATIONS
from services.policy.use_cases.admission import current_code_version
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.domain.code_of_conduct import code_sha256, next_version
from shared.events.admission import CodeOfConductPublished
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["codes of conduct"])


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


@router.post(
    "/{org}/codes",
    status_code=status.HTTP_201_CREATED,
    summary="Publish a new version of the code of conduct (admin); the draft, if any, is done"
    " with and removed.",
    responses=errors(409),
)
async def publish_code(
    org: str,
    body: NewCode,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> PublishedCode:
    now = datetime.now(UTC)
    sha256 = code_sha256(body.text)
    try:
        async with runtime.unit_of_work(org) as uow:
            await registered_organisation(uow.collection(ORGANISATIONS))
            version = next_version(await current_code_version(uow))
            await uow.collection(CODES).insert_one(
                {"version": version, "sha256": sha256, "text": body.text, "published_at": now}
            )
            # Publishing is what the draft was for: the next draft starts from this version.
            await uow.collection(CODE_DRAFTS).delete_one({})
            uow.publish(
                CodeOfConductPublished(org_id=org, version=version, sha256=sha256, published_at=now)
            )
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "Another version was published at the same moment; check the current code and try again.",
        ) from None
    return PublishedCode(version=version, sha256=sha256)


@router.get(
    "/{org}/codes/current",
    summary="The current code of conduct (anyone).",
    responses=errors(404),
)
async def read_current_code(org: str, runtime: Runtime = Depends(runtime_of)) -> CurrentCode:
    code = await runtime.db.tenant_collection(org, CODES).find_highest("version")
    if code is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, "This organisation has not published a code of conduct."
        )
    return CurrentCode(
        version=code["version"],
        sha256=code["sha256"],
        text=code["text"],
        published_at=code.get("published_at"),
    )
