"""identity's signing keys: access tokens are signed with the current one, the JWKS
publishes it and the next one. Locally it is the key pair `safehands token` uses, so both
kinds of token verify.

`safehands keys rotate` replaces the key files (the next key becomes the current one, a new
next key is made); identity notices by the files' change and signs with the new current key
from then on, without a restart. Every service already has that key: it was published as
the next one."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.identity.domain.memberships import Membership
from services.identity.domain.sessions import ACCESS_TOKEN_LIFETIME
from shared.auth.tokens import load_private_key, public_jwk, sign_token
from shared.settings import Settings

Stamp = tuple[tuple[int, int] | None, ...]


def _stamp(*paths: Path) -> Stamp:
    """What changes when a file is replaced (a rename gives a new inode) or rewritten."""
    stamps: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((info.st_ino, info.st_mtime_ns))
    return tuple(stamps)


class Signer:
    """Signs with `private_key`; publishes it and, if there is one, the next key."""

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        issuer: str,
        *,
        next_key: Ed25519PublicKey | None = None,
    ) -> None:
        self._private_key = private_key
        self._next_key = next_key
        self._issuer = issuer

    @classmethod
    def from_settings(
        cls, settings: Settings, trust: Callable[[Ed25519PublicKey], None] = lambda _key: None
    ) -> Signer:
        return KeyFileSigner(
            settings.jwt_private_key_path,
            settings.jwt_next_private_key_path,
            settings.token_issuer,
            trust=trust,
        )

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private_key.public_key()

    def _refresh(self) -> None:
        """Nothing to refresh for keys given in memory."""

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        self._refresh()
        keys = [self.public_key] + ([self._next_key] if self._next_key is not None else [])
        return {"keys": [public_jwk(key) for key in keys]}

    def access_token(self, membership: Membership, issued_at: datetime) -> str:
        self._refresh()
        return sign_token(
            self._private_key,
            roles=membership.roles,
            org=membership.org_id,
            sub=membership.sub,
            issued_at=issued_at,
            lifetime=ACCESS_TOKEN_LIFETIME,
            issuer=self._issuer,
        )


class KeyFileSigner(Signer):
    """The keys of the key files, read again when a file was replaced (a rotation)."""

    def __init__(
        self,
        private_path: Path,
        next_path: Path,
        issuer: str,
        *,
        trust: Callable[[Ed25519PublicKey], None],
    ) -> None:
        self._private_path = private_path
        self._next_path = next_path
        # identity's own verifier is told of each key it signs or will sign with.
        self._trust = trust
        self._stamp: Stamp | None = None
        super().__init__(load_private_key(private_path), issuer)
        self._refresh()

    def _refresh(self) -> None:
        stamp = _stamp(self._private_path, self._next_path)
        if stamp == self._stamp:
            return
        self._private_key = load_private_key(self._private_path)
        # Without a next key file (a deployment that does not rotate): the current key only.
        self._next_key = (
            load_private_key(self._next_path).public_key() if self._next_path.exists() else None
        )
        self._stamp = stamp
        for key in (self.public_key, self._next_key):
            if key is not None:
                self._trust(key)
