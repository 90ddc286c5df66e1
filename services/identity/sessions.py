"""Sessions: a chain of refresh tokens per sign-in, stored as hashes only."""

from __future__ import annotations

import uuid
from datetime import datetime

from pymongo import ReturnDocument

from services.identity.domain.sessions import (
    SESSION_LIFETIME,
    RefreshVerdict,
    hash_refresh_token,
    new_refresh_token,
    refresh_verdict,
)
from services.identity.storage import REFRESH_TOKENS, PlatformStore
from shared.logs import get_logger
from shared.storage.tenancy import Document

log = get_logger(__name__)


async def _issue(
    store: PlatformStore,
    email: str,
    chain_id: str,
    expires_at: datetime,
    now: datetime,
    *,
    device: str | None,
    passkey_id: str | None,
) -> str:
    token, token_hash = new_refresh_token()
    await store.platform_collection(REFRESH_TOKENS).insert_one(
        {
            "token_hash": token_hash,
            "chain_id": chain_id,
            "email": email,
            "issued_at": now,
            "expires_at": expires_at,
            "used_at": None,
            "revoked_at": None,
            # What the person's list of devices shows (a browser family, never an address),
            # and the passkey that started the session, whose removal ends it.
            "device": device,
            "passkey_id": passkey_id,
        }
    )
    return token


async def start_session(
    store: PlatformStore,
    email: str,
    now: datetime,
    *,
    device: str | None = None,
    passkey_id: str | None = None,
) -> str:
    return await _issue(
        store,
        email,
        uuid.uuid4().hex,
        now + SESSION_LIFETIME,
        now,
        device=device,
        passkey_id=passkey_id,
    )


def _verdict(stored: Document | None, now: datetime) -> RefreshVerdict:
    return refresh_verdict(
        found=stored is not None,
        used_at=stored.get("used_at") if stored else None,
        revoked_at=stored.get("revoked_at") if stored else None,
        expires_at=stored.get("expires_at") if stored else None,
        now=now,
        issued_at=stored.get("issued_at") if stored else None,
    )


async def find_session(
    store: PlatformStore, token: str, now: datetime
) -> tuple[RefreshVerdict, Document | None]:
    stored = await store.platform_collection(REFRESH_TOKENS).find_one(
        {"token_hash": hash_refresh_token(token)}
    )
    verdict = _verdict(stored, now)
    if verdict is RefreshVerdict.REUSED and stored is not None:
        await revoke_chain(store, stored["chain_id"], now)
        log.warning("a rotated refresh token was used again; its session is revoked")
    return verdict, stored


async def rotate(store: PlatformStore, stored: Document, now: datetime) -> str | None:
    """The next token of the chain, or None when the token can no longer be used (the
    chain is revoked). A token retired within ROTATION_GRACE gives another next token and
    keeps the time it was first retired, so the grace never stretches."""
    tokens = store.platform_collection(REFRESH_TOKENS)
    retired = await tokens.find_one_and_update(
        {"token_hash": stored["token_hash"], "used_at": None, "revoked_at": None},
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.AFTER,
    )
    if retired is None:
        again = await tokens.find_one({"token_hash": stored["token_hash"]})
        if _verdict(again, now) is not RefreshVerdict.USABLE:
            await revoke_chain(store, stored["chain_id"], now)
            return None
    return await _issue(
        store,
        stored["email"],
        stored["chain_id"],
        stored["expires_at"],
        now,
        device=stored.get("device"),
        passkey_id=stored.get("passkey_id"),
    )


async def revoke_chain(store: PlatformStore, chain_id: str, now: datetime) -> None:
    await store.platform_collection(REFRESH_TOKENS).update_many(
        {"chain_id": chain_id, "revoked_at": None}, {"$set": {"revoked_at": now}}
    )


async def revoke_person_chain(
    store: PlatformStore, email: str, chain_id: str, now: datetime
) -> bool:
    """End one of this person's sessions (a device they signed out); False when they have
    no such session still running."""
    ended = await store.platform_collection(REFRESH_TOKENS).update_many(
        {"chain_id": chain_id, "email": email, "revoked_at": None},
        {"$set": {"revoked_at": now}},
    )
    return ended.modified_count > 0


async def revoke_passkey_chains(store: PlatformStore, passkey_id: str, now: datetime) -> None:
    """End every session a removed passkey started."""
    await store.platform_collection(REFRESH_TOKENS).update_many(
        {"passkey_id": passkey_id, "revoked_at": None}, {"$set": {"revoked_at": now}}
    )


async def chain_of(store: PlatformStore, token: str) -> str | None:
    """The session a refresh token belongs to (to mark "this device"), without using it."""
    found = await store.platform_collection(REFRESH_TOKENS).find_one(
        {"token_hash": hash_refresh_token(token)}, projection={"chain_id": 1}
    )
    return str(found["chain_id"]) if found else None


async def revoke_every_chain(store: PlatformStore, email: str, now: datetime) -> None:
    """ "Sign out everywhere": every session of this person, on every device, ends."""
    await store.platform_collection(REFRESH_TOKENS).update_many(
        {"email": email, "revoked_at": None}, {"$set": {"revoked_at": now}}
    )
