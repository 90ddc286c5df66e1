"""Sign-in by e-mail link: a link is asked for, and its code exchanged for a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pymongo import ReturnDocument

from services.identity.domain.errors import UnusableCode
from services.identity.domain.mails import Mail, sign_in_mail
from services.identity.domain.memberships import Membership, preferred_membership
from services.identity.domain.sign_in import (
    SIGN_IN_LINK_LIFETIME,
    SignInCode,
    hash_code,
    new_code,
    sign_in_link,
)
from services.identity.people import (
    current_memberships,
    last_used,
    membership_rows,
    organisation_facts,
)
from services.identity.sessions import start_session
from services.identity.storage import SIGN_IN_CODES, PlatformStore
from shared import audit
from shared.audit.chain import principal_role
from shared.storage.unit_of_work import UnitOfWork

UNUSABLE_CODE = (
    "This sign-in link is unknown, already used or expired: ask for a new link on the sign-in page."
)

Purpose = Literal["sign-in", "invitation", "vcp_invitation"]


async def store_code(
    store: PlatformStore,
    email: str | None,
    *,
    purpose: Purpose,
    next_page: str | None,
    lifetime: timedelta,
    now: datetime,
    link_for: tuple[str, str] | None = None,
) -> SignInCode:
    """A new code, of which only the hash is stored; the code itself goes into one mail.
    An invitation's code also names the membership it was sent for (`link_for`: the
    organisation and the kind, staff or vcp), which the person starts in."""
    code = new_code()
    await store.platform_collection(SIGN_IN_CODES).insert_one(
        {
            "code_hash": code.code_hash,
            "email": email,
            "next": next_page,
            "purpose": purpose,
            "for_org": link_for[0] if link_for else None,
            "for_kind": link_for[1] if link_for else None,
            "created_at": now,
            "expires_at": now + lifetime,
            "used_at": None,
        }
    )
    return code


async def request_sign_in(
    store: PlatformStore,
    address: str,
    *,
    next_page: str | None,
    operators: frozenset[str],
    web_url: str,
    now: datetime,
) -> Mail | None:
    """The sign-in mail to send to a member's (normalised) address; None for an address of
    nobody. The same reads and writes for a known and an unknown address, so that neither
    the answer nor its timing tells them apart; only the mail differs."""
    rows = await membership_rows(store, address)
    known = bool(rows) or address in operators
    _name, language = await organisation_facts(store, rows[0]["org_id"] if rows else None)
    code = await store_code(
        store,
        # An unknown address is not kept: its code is stored (the same write) but can never
        # be exchanged, and nobody was sent it anyway.
        address if known else None,
        purpose="sign-in",
        next_page=next_page,
        lifetime=SIGN_IN_LINK_LIFETIME,
        now=now,
    )
    if not known:
        return None
    minutes = int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60)
    return Mail(
        address, "sign_in_link", sign_in_mail(language, sign_in_link(web_url, code.code), minutes)
    )


@dataclass(frozen=True)
class SignedIn:
    refresh_token: str
    memberships: list[Membership]
    next_page: str | None
    # The membership to start in (docs/api.md, "The web session"); None: the person chooses.
    preferred: Membership | None


async def exchange_code(
    store: PlatformStore,
    code: str,
    *,
    operators: frozenset[str],
    now: datetime,
    device: str | None = None,
) -> SignedIn:
    """Use up a sign-in link's code and start a session; UnusableCode otherwise."""
    # Used up in one atomic step: of two concurrent exchanges only one finds it unused.
    used = await store.platform_collection(SIGN_IN_CODES).find_one_and_update(
        {"code_hash": hash_code(code), "used_at": None, "expires_at": {"$gt": now}},
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.AFTER,
    )
    if used is None or used["email"] is None:
        raise UnusableCode(UNUSABLE_CODE)
    link_for = (used["for_org"], used["for_kind"]) if used.get("for_kind") else None
    signed_in = await start_signed_in(
        store,
        used["email"],
        operators=operators,
        now=now,
        link_for=link_for,
        next_page=used.get("next"),
        device=device,
    )
    if signed_in is None:
        raise UnusableCode(UNUSABLE_CODE)
    return signed_in


async def start_signed_in(
    store: PlatformStore,
    address: str,
    *,
    operators: frozenset[str],
    now: datetime,
    link_for: tuple[str, str] | None = None,
    next_page: str | None = None,
    device: str | None = None,
    passkey_id: str | None = None,
) -> SignedIn | None:
    """A new session for the person at `address`, however they proved it (a mailed link, a
    passkey), and the memberships it opens; None when they hold no membership any more."""
    memberships = await current_memberships(store, address, operators)
    if not memberships:
        return None
    refresh_token = await start_session(store, address, now, device=device, passkey_id=passkey_id)
    preferred = preferred_membership(
        memberships,
        link_for=link_for,
        last_used=await last_used(store, address, operators),
    )
    return SignedIn(refresh_token, memberships, next_page, preferred)


async def log_sign_in(uow: UnitOfWork, m: Membership) -> None:
    """The sign-in in the organisation's audit log: who and with which roles, never the
    address the link went to."""
    actor = {"sub": m.sub, "role": principal_role(m.roles)}
    await audit.record(uow, "member.signed_in", "member", m.sub, actor=actor)
