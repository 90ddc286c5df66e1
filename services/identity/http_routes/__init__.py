"""identity's HTTP API (docs/api.md, "identity"): sign-in, tokens, keys, members."""

from fastapi import APIRouter

from services.identity.http_routes import jwks, members, sign_in, tokens

router = APIRouter()
for part in (sign_in, tokens, jwks, members):
    router.include_router(part.router)

__all__ = ["router"]
