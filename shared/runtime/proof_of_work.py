"""Proof of work for the anonymous routes of an organisation under pressure, with ALTCHA.

There is no limit per organisation: one that outsiders could use up would silence every
honest reporter of that organisation (about 25 addresses, cheap as IPv6 /64s, used to be
enough). Instead the rate limiter counts an organisation's anonymous requests per minute
without refusing any (`RateLimiter.under_pressure`); above `SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE`
every client must first solve a challenge, so a flood costs its sender work for every
request while an honest reporter pays a second or so once. The per-client limits stay.

The challenge is ALTCHA's proof of work v2 (`altcha` on PyPI): PBKDF2/SHA-256 over a
counter the server picked at random below `SAFEHANDS_PROOF_OF_WORK_MAX_COUNTER`, so a
client tries half of them on average. It is signed with an HMAC key derived from the
platform's rate-limit secret (shared by every instance, never stored), names the
organisation and the service it is for, expires, and is accepted once: its signature is
recorded until it expires, in the service's own database. docs/api.md describes it for
any client; the web app solves it with the `altcha` widget, the CLI in cli/reporting_client.py.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import altcha
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.settings import Settings
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document

ALGORITHM = "PBKDF2/SHA-256"
# The request header that carries the solution: ALTCHA's payload, the base64 of the JSON
# {"challenge": …, "solution": {"counter", "derivedKey"}} that the widget and the library make.
HEADER = "X-Altcha"
# A payload is a few hundred characters; anything much longer is not one.
MAX_PAYLOAD_CHARS = 4096
REQUIRED = "proof_of_work_required"
INVALID = "proof_of_work_invalid"

SPENT_CHALLENGES = "spent_challenges"
SPENT_CHALLENGE_INDEXES = (
    IndexSpec(SPENT_CHALLENGES, (("expires_at", 1),), tenant=False, expire_after_seconds=0),
)


class ProofOfWorkRequired(Exception):
    """Refuses a request under pressure that carries no valid solution (428)."""

    def __init__(self, reason: str, challenge: dict[str, Any]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.challenge = challenge


def _key(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"safehands/altcha/{purpose}".encode(), hashlib.sha256).digest()


class ProofOfWork:
    def __init__(
        self,
        spent: AsyncCollection[Document],
        secret: bytes,
        service: str,
        settings: Settings,
    ) -> None:
        self._spent = spent
        # Two keys, as ALTCHA asks: one signs the challenge, one the expected derived key
        # (so verifying is one HMAC, not a PBKDF2 run the sender could make the server do).
        self._challenge_key = _key(secret, "challenge")
        self._derived_key_key = _key(secret, "derived-key")
        self._service = service
        self._cost = settings.proof_of_work_cost
        self._max_counter = settings.proof_of_work_max_counter
        self._expiry = settings.proof_of_work_expiry_seconds

    def challenge(self, org: str) -> dict[str, Any]:
        """A fresh challenge for `org` at this service, as ALTCHA's widget reads it."""
        made = altcha.create_challenge(
            ALGORITHM,
            self._cost,
            counter=secrets.randbelow(self._max_counter),
            expires_at=int(time.time()) + self._expiry,
            data={"org": org, "service": self._service},
            hmac_secret=self._challenge_key,
            hmac_key_secret=self._derived_key_key,
        )
        return made.to_dict()

    async def redeem(self, payload: str | None, org: str) -> str | None:
        """None when `payload` solves an unused challenge of ours for `org` (and marks it
        used), else the machine-readable reason for refusing."""
        if not payload:
            return REQUIRED
        if len(payload) > MAX_PAYLOAD_CHARS:
            return INVALID
        try:
            result = altcha.verify_solution(
                payload, self._challenge_key, hmac_key_secret=self._derived_key_key
            )
            parsed = altcha.Payload.from_base64(payload) if result.verified else None
        except Exception:
            # The library parses what anyone sent: whatever it cannot read is no solution.
            return INVALID
        if parsed is None:
            return INVALID
        parameters = parsed.challenge.parameters
        if parameters.data != {"org": org, "service": self._service}:
            return INVALID
        expires_at = datetime.fromtimestamp(parameters.expires_at or time.time(), UTC)
        try:
            await self._spent.insert_one(
                {"_id": parsed.challenge.signature, "expires_at": expires_at}
            )
        except DuplicateKeyError:
            return INVALID
        return None


def proof_of_work_of(request: Request) -> ProofOfWork:
    proof = request.app.state.runtime.proof_of_work
    if not isinstance(proof, ProofOfWork):
        raise RuntimeError("the service uses proof of work without rate_limited=True")
    return proof


MESSAGES = {
    REQUIRED: "Many requests reach this organisation right now: solve the proof-of-work "
    "challenge in this answer and send the solution in the X-Altcha header.",
    INVALID: "The proof-of-work solution is not valid: it is malformed, for another "
    "challenge, expired or used before. Solve the new challenge in this answer.",
}


async def answer_proof_of_work_required(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProofOfWorkRequired)
    return JSONResponse(
        {"detail": MESSAGES[exc.reason], "reason": exc.reason, "challenge": exc.challenge},
        status_code=428,
        headers={"Cache-Control": "no-store"},
    )


router = APIRouter(prefix="/v1/orgs/{org}", tags=["proof of work (reporter)"])


@router.get(
    "/proof-of-work",
    summary="A proof-of-work challenge (ALTCHA) for this service's anonymous routes (anyone).",
)
async def proof_of_work_challenge(org: str, request: Request) -> JSONResponse:
    # Issuing costs one HMAC and no database: no limit needed. Never cached: single use.
    return JSONResponse(
        proof_of_work_of(request).challenge(org), headers={"Cache-Control": "no-store"}
    )
