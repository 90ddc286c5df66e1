"""identity's signing key: access tokens are signed with it, the JWKS publishes its public
half. Locally it is the key pair `safehands token` uses, so both kinds of token verify."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.identity.domain.memberships import Membership
from services.identity.domain.sessions import ACCESS_TOKEN_LIFETIME
from shared.auth.tokens import load_private_key, public_jwk, sign_token
from shared.settings import Settings


class Signer:
    def __init__(self, private_key: Ed25519PrivateKey, issuer: str) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self._issuer = issuer

    @classmethod
    def from_settings(cls, settings: Settings) -> Signer:
        return cls(load_private_key(settings.jwt_private_key_path), settings.token_issuer)

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(self.public_key)]}

    def access_token(self, membership: Membership, issued_at: datetime) -> str:
        return sign_token(
            self._private_key,
            roles=membership.roles,
            org=membership.org_id,
            sub=membership.sub,
            issued_at=issued_at,
            lifetime=ACCESS_TOKEN_LIFETIME,
            issuer=self._issuer,
        )
