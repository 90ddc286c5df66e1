"""Access tokens: EdDSA (Ed25519) JWTs carrying `sub`, `org` and `roles`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

Role = Literal["operator", "admin", "coordinator", "vcp", "volunteer"]
ROLES: tuple[Role, ...] = ("operator", "admin", "coordinator", "vcp", "volunteer")
ALGORITHM = "EdDSA"
ISSUER = "safehands"


class InvalidToken(Exception):
    pass


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)
    sub: str
    org: str | None
    roles: frozenset[Role]


def create_key_pair(private_path: Path, public_path: Path) -> None:
    """Create the local signing key pair once; an existing pair is kept."""
    if private_path.exists() and public_path.exists():
        return
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def mint_token(
    private_path: Path,
    *,
    roles: list[Role],
    org: str | None,
    sub: str,
    lifetime: timedelta = timedelta(hours=12),
) -> str:
    key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "sub": sub,
        "org": org,
        "roles": list(roles),
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)  # type: ignore[arg-type]


def verify_token(token: str, public_key: Ed25519PublicKey) -> Principal:
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat"]},
        )
        roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
        return Principal(sub=str(claims["sub"]), org=claims.get("org"), roles=roles)
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from None
