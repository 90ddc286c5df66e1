"""Sign-in by e-mail link: ask for a link, exchange its code for a session."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from pymongo import ReturnDocument

from services.identity.domain.mails import sign_in_mail
from services.identity.domain.sessions import SESSION_LIFETIME
from services.identity.domain.sign_in import (
    SIGN_IN_LINK_LIFETIME,
    hash_code,
    is_page_path,
    new_code,
    normalise_address,
    sign_in_link,
)
from services.identity.extensions import limiter_of, mail_sender_of
from services.identity.people import current_memberships, membership_rows, organisation_facts
from services.identity.rate_limit import admit_sign_in
from services.identity.refresh_cookie import hand_out
from services.identity.sessions import start_session
from services.identity.storage import SIGN_IN_CODES
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/sign-in", tags=["sign-in"])

UNUSABLE_CODE = (
    "This sign-in link is unknown, already used or expired: ask for a new link on the sign-in page."
)


class SignInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    next: str | None = Field(default=None, description="The page to go to after signing in.")

    @field_validator("next")
    @classmethod
    def next_is_a_page_path(cls, value: str | None) -> str | None:
        if value is not None and not is_page_path(value):
            raise ValueError("must be a path on this site, starting with a single /")
        return value


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=200)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a sign-in link to a member's address (anyone).",
    responses=errors(429),
    description="The answer is the same whether or not the address belongs to a member.",
)
async def request_sign_in(
    body: SignInRequest, request: Request, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    address = normalise_address(body.email)
    await admit_sign_in(runtime, request, address, limiter_of(runtime))
    # The same reads and writes for a known and an unknown address, so that neither the
    # answer nor its timing tells them apart; only the in-memory mail queue differs.
    rows = await membership_rows(runtime, address)
    known = bool(rows) or address in runtime.settings.operators
    _name, language = await organisation_facts(runtime, rows[0]["org_id"] if rows else None)
    code = new_code()
    now = datetime.now(UTC)
    await runtime.db.platform_collection(SIGN_IN_CODES).insert_one(
        {
            "code_hash": code.code_hash,
            # An unknown address is not kept: its code is stored (the same write) but can
            # never be exchanged, and nobody was sent it anyway.
            "email": address if known else None,
            "next": body.next,
            "purpose": "sign-in",
            "created_at": now,
            "expires_at": now + SIGN_IN_LINK_LIFETIME,
            "used_at": None,
        }
    )
    if known:
        minutes = int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60)
        mail = sign_in_mail(language, sign_in_link(runtime.settings.web_url, code.code), minutes)
        mail_sender_of(runtime).send_later(address, mail.subject, mail.text, "sign_in_link")
    return {}


@router.post(
    "/exchange",
    summary="Exchange a sign-in link's code for a refresh token and the memberships.",
    responses=errors(400),
)
async def exchange(
    body: Exchange,
    request: Request,
    response: Response,
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    now = datetime.now(UTC)
    # Used up in one atomic step: of two concurrent exchanges only one finds it unused.
    used = await runtime.db.platform_collection(SIGN_IN_CODES).find_one_and_update(
        {"code_hash": hash_code(body.code), "used_at": None, "expires_at": {"$gt": now}},
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.AFTER,
    )
    if used is None or used["email"] is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, UNUSABLE_CODE)
    memberships = await current_memberships(runtime, used["email"])
    if not memberships:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, UNUSABLE_CODE)
    refresh_token = await start_session(runtime, used["email"], now)
    return {
        "refresh_token": hand_out(
            request, response, refresh_token, SESSION_LIFETIME, runtime.settings.web_url
        ),
        "memberships": [m.view() for m in memberships],
        "next": used.get("next"),
    }
