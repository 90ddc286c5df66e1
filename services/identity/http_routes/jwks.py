"""The public keys access tokens are verified with (RFC 7517 JWK Set)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from services.identity.extensions import signer_of
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["keys"])


@router.get("/.well-known/jwks.json", summary="The Ed25519 keys access tokens are signed with.")
async def jwks(
    response: Response, runtime: Runtime = Depends(runtime_of)
) -> dict[str, list[dict[str, str]]]:
    # Short caching: a rotated key reaches every service within minutes even through caches.
    response.headers["Cache-Control"] = "public, max-age=300"
    return signer_of(runtime).jwks()
