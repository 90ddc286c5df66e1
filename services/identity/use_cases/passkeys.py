"""Passkeys: registration by a signed-in person, sign-in with no mail, the list and removal
(the rules are in services/identity/domain/passkeys.py; `webauthn` checks the signatures).

The relying party is the platform's own address (SAFEHANDS_WEB_URL): its host is the RP id
and its origin the only one accepted, so a passkey made here answers for no other site and
an answer made on another site is refused here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from services.identity.domain.errors import NoSuchPasskey, PasskeyNotRegistered, PasskeyRefused
from services.identity.domain.passkeys import (
    CHALLENGE_LIFETIME,
    NO_MEMBERSHIP,
    NOT_VERIFIED,
    STALE_CHALLENGE,
    UNKNOWN_PASSKEY,
    ChallengePurpose,
    check_counter,
    check_origin,
    hash_challenge,
    new_challenge,
    new_user_handle,
)
from services.identity.refresh_cookie import origin_of
from services.identity.sessions import revoke_passkey_chains
from services.identity.storage import PASSKEY_CHALLENGES, PASSKEYS, PlatformStore
from services.identity.use_cases.sign_in import SignedIn, start_signed_in
from shared.storage.tenancy import Document

RP_NAME = "SafeHands"
REGISTRATION_EXPIRED = "This passkey request has expired: please add the passkey again."
REGISTRATION_NOT_VERIFIED = "This passkey could not be verified, so it was not added."
ALREADY_ADDED = "This passkey has already been added."


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str
    origin: str

    @classmethod
    def of(cls, web_url: str) -> RelyingParty:
        return cls(rp_id=urlsplit(web_url).hostname or "", origin=origin_of(web_url))


async def _store_challenge(
    store: PlatformStore,
    purpose: ChallengePurpose,
    email: str | None,
    now: datetime,
    user_handle: str | None = None,
) -> bytes:
    challenge, challenge_hash = new_challenge()
    await store.platform_collection(PASSKEY_CHALLENGES).insert_one(
        {
            "challenge_hash": challenge_hash,
            "purpose": purpose,
            "email": email,
            # The user id the authenticator is told to store (registration only).
            "user_handle": user_handle,
            "created_at": now,
            "expires_at": now + CHALLENGE_LIFETIME,
            "used_at": None,
        }
    )
    return challenge


async def _use_challenge(
    store: PlatformStore, challenge: bytes, purpose: ChallengePurpose, now: datetime
) -> Document | None:
    """Use up a challenge in one atomic step: of two answers with it only one goes on."""
    return await store.platform_collection(PASSKEY_CHALLENGES).find_one_and_update(
        {
            "challenge_hash": hash_challenge(challenge),
            "purpose": purpose,
            "used_at": None,
            "expires_at": {"$gt": now},
        },
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.AFTER,
    )


def _options(options: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(options_to_json(options))
    return answer


async def registration_options(
    store: PlatformStore, rp: RelyingParty, address: str, now: datetime
) -> dict[str, Any]:
    """What the browser's `navigator.credentials.create` needs: a discoverable credential
    (so signing in needs no address typed), user verification, and the person's passkeys
    already here excluded (no second one on the same authenticator)."""
    mine = await store.platform_collection(PASSKEYS).find({"email": address}).to_list()
    handle = base64url_to_bytes(mine[0]["user_handle"]) if mine else new_user_handle()
    challenge = await _store_challenge(
        store, "registration", address, now, user_handle=bytes_to_base64url(handle)
    )
    return _options(
        generate_registration_options(
            rp_id=rp.rp_id,
            rp_name=RP_NAME,
            # Shown by the device's passkey chooser, on the person's own device only.
            user_name=address,
            user_display_name=address,
            user_id=handle,
            challenge=challenge,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.REQUIRED,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            exclude_credentials=[
                PublicKeyCredentialDescriptor(id=base64url_to_bytes(p["credential_id"]))
                for p in mine
            ],
        )
    )


async def register(
    store: PlatformStore,
    rp: RelyingParty,
    address: str,
    credential: dict[str, Any],
    *,
    label: str,
    now: datetime,
) -> Document:
    """Verify the browser's new credential against a registration challenge of this person
    and keep its public key; PasskeyNotRegistered otherwise."""
    try:
        parsed = parse_registration_credential_json(credential)
        challenge = parse_client_data_json(parsed.response.client_data_json).challenge
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise PasskeyNotRegistered(REGISTRATION_NOT_VERIFIED) from None
    used = await _use_challenge(store, challenge, "registration", now)
    if used is None or used["email"] != address:
        raise PasskeyNotRegistered(REGISTRATION_EXPIRED)
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except WebAuthnException:
        raise PasskeyNotRegistered(REGISTRATION_NOT_VERIFIED) from None
    passkey = {
        "passkey_id": uuid.uuid4().hex,
        "email": address,
        "credential_id": bytes_to_base64url(verified.credential_id),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "user_handle": used["user_handle"],
        "label": label,
        "created_at": now,
        "last_used_at": None,
    }
    try:
        await store.platform_collection(PASSKEYS).insert_one(passkey)
    except DuplicateKeyError:
        raise PasskeyNotRegistered(ALREADY_ADDED) from None
    return passkey


def passkey_view(passkey: Document) -> dict[str, Any]:
    return {
        "passkey_id": passkey["passkey_id"],
        "label": passkey["label"],
        "created_at": passkey["created_at"],
        "last_used_at": passkey.get("last_used_at"),
    }


async def passkeys_of(store: PlatformStore, address: str) -> list[dict[str, Any]]:
    found = store.platform_collection(PASSKEYS).find({"email": address}, sort=[("created_at", 1)])
    return [passkey_view(p) for p in await found.to_list()]


async def remove(store: PlatformStore, address: str, passkey_id: str, now: datetime) -> None:
    """Remove one of the person's passkeys, and end every session it started."""
    removed = await store.platform_collection(PASSKEYS).find_one_and_delete(
        {"passkey_id": passkey_id, "email": address}
    )
    if removed is None:
        raise NoSuchPasskey("You have no passkey with this id.")
    await revoke_passkey_chains(store, passkey_id, now)


async def sign_in_options(store: PlatformStore, rp: RelyingParty, now: datetime) -> dict[str, Any]:
    """A challenge for any passkey of this platform: no address is asked, the browser offers
    the person the passkeys it holds for this RP id (discoverable credentials)."""
    challenge = await _store_challenge(store, "sign-in", None, now)
    return _options(
        generate_authentication_options(
            rp_id=rp.rp_id,
            challenge=challenge,
            user_verification=UserVerificationRequirement.REQUIRED,
        )
    )


async def sign_in(
    store: PlatformStore,
    rp: RelyingParty,
    credential: dict[str, Any],
    *,
    operators: frozenset[str],
    device: str | None,
    now: datetime,
) -> SignedIn:
    """Check a passkey's answer and start a session, as a mailed link's exchange does;
    PasskeyRefused otherwise."""
    try:
        parsed = parse_authentication_credential_json(credential)
        client_data = parse_client_data_json(parsed.response.client_data_json)
        sign_count = parse_authenticator_data(parsed.response.authenticator_data).sign_count
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise PasskeyRefused(NOT_VERIFIED) from None
    # The origin first: an answer made for another site uses up no challenge of ours.
    check_origin(client_data.origin, rp.origin)
    if await _use_challenge(store, client_data.challenge, "sign-in", now) is None:
        raise PasskeyRefused(STALE_CHALLENGE)
    passkeys = store.platform_collection(PASSKEYS)
    passkey = await passkeys.find_one({"credential_id": bytes_to_base64url(parsed.raw_id)})
    if passkey is None:
        raise PasskeyRefused(UNKNOWN_PASSKEY)
    handle = parsed.response.user_handle
    if handle is not None and bytes_to_base64url(handle) != passkey["user_handle"]:
        raise PasskeyRefused(NOT_VERIFIED)
    check_counter(passkey["sign_count"], sign_count)
    try:
        verify_authentication_response(
            credential=parsed,
            expected_challenge=client_data.challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=passkey["public_key"],
            credential_current_sign_count=passkey["sign_count"],
            require_user_verification=True,
        )
    except WebAuthnException:
        raise PasskeyRefused(NOT_VERIFIED) from None
    # Only if the counter is still the one checked: of two answers racing with one counter
    # value, one wins, and a passkey removed meanwhile is not brought back.
    moved = await passkeys.update_one(
        {"passkey_id": passkey["passkey_id"], "sign_count": passkey["sign_count"]},
        {"$set": {"sign_count": sign_count, "last_used_at": now}},
    )
    if moved.matched_count == 0:
        raise PasskeyRefused(UNKNOWN_PASSKEY)
    signed_in = await start_signed_in(
        store,
        passkey["email"],
        operators=operators,
        now=now,
        device=device,
        passkey_id=passkey["passkey_id"],
    )
    if signed_in is None:
        raise PasskeyRefused(NO_MEMBERSHIP)
    return signed_in
