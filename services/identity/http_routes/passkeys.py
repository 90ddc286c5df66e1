"""Passkeys: a signed-in person adds, lists and removes theirs; anyone signs in with one,
with no address typed and no mail (services/identity/use_cases/passkeys.py decides)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.identity.domain.passkeys import browser_family
from services.identity.extensions import limiter_of
from services.identity.http_routes.person import Person, operators_of, person_of, record_for
from services.identity.http_routes.sign_in import SignedInAnswer, signed_in_answer
from services.identity.rate_limit import admit_client
from services.identity.refresh_cookie import check_origin
from services.identity.use_cases import passkeys
from services.identity.use_cases.passkeys import RelyingParty
from shared.domain.names import Name
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["passkeys"])
# Passkey sign-ins are counted per client apart from sign-ins by mail.
PASSKEY_SCOPE = "passkey-sign-in"


class NewPasskey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The browser's answer to `navigator.credentials.create` as JSON (WebAuthn Level 3's
    # `toJSON()`, which @simplewebauthn/browser gives): checked by `webauthn`.
    credential: dict[str, Any]
    label: Name | None = Field(
        default=None, description="The person's name for it; by default the browser's family."
    )


class PasskeyAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any]


def _rp(runtime: Runtime) -> RelyingParty:
    return RelyingParty.of(runtime.settings.web_url)


@router.post(
    "/v1/passkeys/registration/options",
    summary="Options for adding a passkey (signed in): a challenge valid for 5 minutes.",
    responses=errors(401, 403),
)
async def registration_options(
    person: Person = Depends(person_of), runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    return await passkeys.registration_options(
        runtime.db, _rp(runtime), person.address, datetime.now(UTC)
    )


@router.post(
    "/v1/passkeys",
    status_code=status.HTTP_201_CREATED,
    summary="Add a passkey (signed in): the browser's answer to the registration options.",
    responses=errors(400, 401, 403),
)
async def add_passkey(
    body: NewPasskey,
    request: Request,
    person: Person = Depends(person_of),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    added = await passkeys.register(
        runtime.db,
        _rp(runtime),
        person.address,
        body.credential,
        label=body.label or browser_family(request.headers.get("user-agent")),
        now=datetime.now(UTC),
    )
    await record_for(runtime, person, "passkey.added", "passkey", added["passkey_id"])
    return passkeys.passkey_view(added)


@router.get(
    "/v1/passkeys",
    summary="The signed-in person's passkeys.",
    responses=errors(401, 403),
)
async def list_passkeys(
    person: Person = Depends(person_of), runtime: Runtime = Depends(runtime_of)
) -> list[dict[str, Any]]:
    return await passkeys.passkeys_of(runtime.db, person.address)


@router.delete(
    "/v1/passkeys/{passkey_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a passkey; every session it started ends.",
    responses=errors(401, 403, 404),
)
async def remove_passkey(
    passkey_id: str, person: Person = Depends(person_of), runtime: Runtime = Depends(runtime_of)
) -> Response:
    await passkeys.remove(runtime.db, person.address, passkey_id, datetime.now(UTC))
    await record_for(runtime, person, "passkey.removed", "passkey", passkey_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/sign-in/passkey/options",
    summary="Options for signing in with a passkey (anyone): a challenge valid for 5 minutes.",
    responses=errors(403, 429),
    description=(
        "Limited per client like sign-in by mail (SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT), "
        "counted apart from it: each answer stores a challenge."
    ),
)
async def sign_in_options(
    request: Request, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    check_origin(request, runtime.settings.web_url)
    await admit_client(request, limiter_of(runtime), PASSKEY_SCOPE)
    return await passkeys.sign_in_options(runtime.db, _rp(runtime), datetime.now(UTC))


@router.post(
    "/v1/sign-in/passkey",
    summary="Sign in with a passkey: answered like the exchange of a sign-in link's code.",
    response_model=SignedInAnswer,
    responses=errors(401, 403),
    description=(
        "The same answer and cookie as `POST /v1/sign-in/exchange`. 401 for an unknown or "
        "removed passkey, an answer made for another origin, a counter that went back, an "
        "expired or used challenge, or a signature that does not verify."
    ),
)
async def sign_in_with_passkey(
    body: PasskeyAnswer,
    request: Request,
    response: Response,
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    check_origin(request, runtime.settings.web_url)
    signed_in = await passkeys.sign_in(
        runtime.db,
        _rp(runtime),
        body.credential,
        operators=await operators_of(runtime),
        device=browser_family(request.headers.get("user-agent")),
        now=datetime.now(UTC),
    )
    return await signed_in_answer(signed_in, request, response, runtime)
