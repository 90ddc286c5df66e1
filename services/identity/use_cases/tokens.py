"""Access tokens for one organisation, renewed with a rotating refresh token; sign-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.identity.domain.errors import NotAMemberThere, SessionEnded
from services.identity.domain.memberships import (
    Membership,
    membership_for_token,
    preferred_membership,
)
from services.identity.domain.sessions import RefreshVerdict
from services.identity.people import current_memberships, last_used, record_use
from services.identity.sessions import find_session, revoke_chain, revoke_every_chain, rotate
from services.identity.signing import Signer
from services.identity.storage import PlatformStore

SESSION_ENDED = "This session has ended or is not valid: please sign in again."
NOT_A_MEMBER_THERE = "You hold no membership in this organisation (any more)."


@dataclass(frozen=True)
class Issued:
    access_token: str
    membership: Membership
    # The next token of the session's chain, valid until the session ends.
    refresh_token: str
    session_ends_at: datetime


async def issue_tokens(
    store: PlatformStore,
    signer: Signer,
    refresh_token: str,
    *,
    org_id: str | None,
    sub: str | None,
    operators: frozenset[str],
    now: datetime,
) -> Issued:
    """An access token for the membership in `org_id` (the one of `sub`, or the first), and
    the refresh token that replaces `refresh_token`. SessionEnded for a token that cannot
    be used (a reused one revokes its whole session), NotAMemberThere for an organisation
    the person holds no membership in."""
    verdict, stored = await find_session(store, refresh_token, now)
    if verdict is not RefreshVerdict.USABLE or stored is None:
        raise SessionEnded(SESSION_ENDED)
    # Checked before the token is used up, so asking for an organisation one has left does
    # not end the session for the others.
    memberships = await current_memberships(store, stored["email"], operators)
    membership = membership_for_token(memberships, org_id, sub)
    if membership is None:
        raise NotAMemberThere(NOT_A_MEMBER_THERE)
    next_refresh_token = await rotate(store, stored, now)
    if next_refresh_token is None:
        raise SessionEnded(SESSION_ENDED)
    await record_use(store, stored["email"], membership, now)
    return Issued(
        access_token=signer.access_token(membership, now),
        membership=membership,
        refresh_token=next_refresh_token,
        session_ends_at=stored["expires_at"],
    )


@dataclass(frozen=True)
class SessionView:
    memberships: list[Membership]
    preferred: Membership | None


async def session_of(
    store: PlatformStore, refresh_token: str, *, operators: frozenset[str], now: datetime
) -> SessionView:
    """What a page that was reloaded (or opened in a new tab) needs to carry on: the
    person's memberships and the one they used last. The token is only looked at, not
    rotated, so two tabs may ask at once; a retired token still revokes its session."""
    verdict, stored = await find_session(store, refresh_token, now)
    if verdict is not RefreshVerdict.USABLE or stored is None:
        raise SessionEnded(SESSION_ENDED)
    memberships = await current_memberships(store, stored["email"], operators)
    if not memberships:
        raise SessionEnded(SESSION_ENDED)
    preferred = preferred_membership(
        memberships, link_for=None, last_used=await last_used(store, stored["email"], operators)
    )
    return SessionView(memberships, preferred)


async def sign_out(
    store: PlatformStore, refresh_token: str, *, everywhere: bool = False, now: datetime
) -> None:
    """End the session of `refresh_token`, if it is one: every token of its chain stops
    working; with `everywhere`, every session of the person on every device. An unknown
    token changes nothing, and only a token still in use reaches the other devices."""
    verdict, stored = await find_session(store, refresh_token, now)
    if stored is None:
        return
    if everywhere and verdict is RefreshVerdict.USABLE:
        await revoke_every_chain(store, stored["email"], now)
    else:
        await revoke_chain(store, stored["chain_id"], now)
