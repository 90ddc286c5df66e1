"""Access tokens: EdDSA (Ed25519) JWTs with `kid`, `iss`, `aud`, `sub`, `org` and `roles`.

identity signs them for signed-in people; `safehands token` signs them for scripts and tests
with the same key file, so both carry the same `kid`, `iss` and `aud`. Every service verifies
them in one place (`TokenVerifier`), with keys from a key file, identity's JWKS, or both.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from shared.private_files import next_key_path, write_private_file

Role = Literal["operator", "admin", "coordinator", "vcp", "volunteer"]
ROLES: tuple[Role, ...] = ("operator", "admin", "coordinator", "vcp", "volunteer")
ALGORITHM = "EdDSA"
ISSUER = "safehands"
AUDIENCE = "safehands"
# The leeway for clocks that differ a little between the signer and a service.
CLOCK_SKEW = timedelta(seconds=30)
# The longest a token may live (exp - iat) unless SAFEHANDS_TOKEN_MAX_LIFETIME_SECONDS says
# otherwise: a leaked token is worth little for long. identity's live 10 minutes.
MAX_TOKEN_LIFETIME = timedelta(hours=1)
# What `safehands token` mints unless asked for longer (up to the maximum).
DEFAULT_MINTED_LIFETIME = timedelta(minutes=15)


class InvalidToken(Exception):
    pass


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)
    sub: str
    org: str | None
    roles: frozenset[Role]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint: SHA-256 over the required members in lexical order."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(_raw_public_bytes(public_key))}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64url(_raw_public_bytes(public_key)),
        "kid": key_id(public_key),
        "alg": ALGORITHM,
        "use": "sig",
    }


def public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey | None:
    """An Ed25519 key from a JWK; None for any other kind of key (a JWKS may mix them)."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
        return None
    raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    if len(raw) != 32:
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def create_key_pair(private_path: Path, public_path: Path, next_path: Path | None = None) -> None:
    """Create the local signing key pair once, and the next key (by default beside it,
    `next_key_path`); what exists is kept. Private keys are 0600 from their creation."""
    if not (private_path.exists() and public_path.exists()):
        key = Ed25519PrivateKey.generate()
        write_private_file(private_path, private_pem(key))
        public_path.write_bytes(public_pem(key.public_key()))
    next_path = next_path or next_key_path(private_path)
    if not next_path.exists():
        write_private_file(next_path, private_pem(Ed25519PrivateKey.generate()), overwrite=False)


def rotate_keys(
    private_path: Path, public_path: Path, next_path: Path | None = None
) -> tuple[str, str]:
    """Make the next key the current one and a new next key; returns their `kid`s.

    Each file is replaced by a rename, so a reader sees the old key or the new one, never
    half of one; a crash between the renames leaves two keys that both verify."""
    next_path = next_path or next_key_path(private_path)
    create_key_pair(private_path, public_path, next_path)
    promoted = load_private_key(next_path)
    write_private_file(private_path, private_pem(promoted))
    public_tmp = public_path.with_name(f".{public_path.name}.tmp")
    public_tmp.write_bytes(public_pem(promoted.public_key()))
    os.replace(public_tmp, public_path)
    upcoming = Ed25519PrivateKey.generate()
    write_private_file(next_path, private_pem(upcoming))
    return key_id(promoted.public_key()), key_id(upcoming.public_key())


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def sign_token(
    private_key: Ed25519PrivateKey,
    *,
    roles: Iterable[Role],
    org: str | None,
    sub: str,
    issued_at: datetime,
    lifetime: timedelta,
    issuer: str = ISSUER,
) -> str:
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": sub,
        "org": org,
        "roles": list(roles),
        "iat": int(issued_at.timestamp()),
        "exp": int((issued_at + lifetime).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    headers = {"kid": key_id(private_key.public_key())}
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers=headers)


def mint_token(
    private_path: Path,
    *,
    roles: list[Role],
    org: str | None,
    sub: str,
    lifetime: timedelta = DEFAULT_MINTED_LIFETIME,
    issuer: str = ISSUER,
) -> str:
    """A token for scripts and tests (`safehands token`), signed with the local key file."""
    return sign_token(
        load_private_key(private_path),
        roles=roles,
        org=org,
        sub=sub,
        issued_at=datetime.now(UTC),
        lifetime=lifetime,
        issuer=issuer,
    )


def token_key_id(token: str) -> str:
    """The `kid` of a token's header, read before its signature can be checked."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from None
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("the token names no key (kid)")
    return kid


def verify_token(
    token: str,
    public_key: Ed25519PublicKey,
    *,
    issuer: str = ISSUER,
    now: datetime | None = None,
    kid: str | None = None,
    max_lifetime: timedelta = MAX_TOKEN_LIFETIME,
) -> Principal:
    """The token's principal, if `public_key` signed it for SafeHands, it lives no longer
    than `max_lifetime` and has not expired at `now` (the clock is a parameter so that
    expiry can be tested without waiting).

    `kid` is the id the key was published under: a JWKS of another OpenID Connect provider
    names its keys as it likes, not by thumbprint; without one, the thumbprint."""
    if token_key_id(token) != (kid or key_id(public_key)):
        raise InvalidToken("the token was signed with another key")
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=AUDIENCE,
            options={"require": ["iss", "aud", "sub", "exp", "iat"], "verify_exp": False},
        )
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        issued = datetime.fromtimestamp(int(claims["iat"]), UTC)
        # A token minted to live for days would outlast any removal or key rotation.
        if expires - issued > max_lifetime:
            raise InvalidToken("the token lives longer than this platform allows")
        if (now or datetime.now(UTC)) >= expires + CLOCK_SKEW:
            raise InvalidToken("the token has expired")
        org = claims.get("org")
        if org is not None and not isinstance(org, str):
            raise InvalidToken("the token's org is not a string")
        roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
        return Principal(sub=str(claims["sub"]), org=org, roles=roles)
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from None
