"""Who is a member, with which roles, in each organisation: the projection of identity's
membership events that every service keeps, and the check of every request against it.

identity owns memberships and announces each change (MemberAdded with every role the member
holds now, MemberRemoved). Each service keeps the current members in its own collection
`CURRENT_MEMBERS`, one document per `member_id`: its consumer applies the events (the
runtime wires `HANDLERS` in, see shared/runtime/app.py), identity applies them in the very
transaction that announces them. `is_current_member` then refuses, on every request of
every service, a token whose `sub` does not hold the token's roles there any more: a removed
admin is out as soon as the removal reaches the service, not when their token expires.

A removed member's document stays as a tombstone (`removed`), and every document remembers
the time of the change it reflects (`as_of`): an older event that arrives late (a dead
letter replayed after the removal) changes nothing, so a removal cannot be undone by replay.

`safehands token` and the tests' token helper record the membership they mint for with
`minted_update` (see cli/memberships.py), straight into each service's collection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from shared.auth.tokens import Principal, Role
from shared.events import Event
from shared.events.identity import (
    PLATFORM_ORG,
    MemberAdded,
    MemberRemoved,
    OperatorAdded,
    OperatorRemoved,
)
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import UnitOfWork

CURRENT_MEMBERS = "current_members"

INDEXES = (
    IndexSpec(CURRENT_MEMBERS, (("member_id", 1),), unique=True),
    IndexSpec(CURRENT_MEMBERS, (("sub", 1),)),
    # A read across organisations (shared/auth/reach.py) looks a `sub` up in all of them.
    IndexSpec(CURRENT_MEMBERS, (("sub", 1),), tenant=False),
)

# Operators are the platform's, not an organisation's: identity issues their tokens from its
# own list (seeded from SAFEHANDS_OPERATOR_EMAILS, which no event carries, and `safehands
# operator add`), so no service holds every operator. What every service does hold is each
# OperatorAdded and OperatorRemoved, projected like memberships under the tenant
# PLATFORM_ORG (member_id `operator:<sub>`): an operator token whose `sub` was removed is
# refused at once; one never announced (a seed operator, a minted token) is identity's to
# judge, as before.
PLATFORM_ROLES: frozenset[Role] = frozenset({"operator"})


def operator_member_id(sub: str) -> str:
    return f"operator:{sub}"


MembershipEvent = MemberAdded | MemberRemoved | OperatorAdded | OperatorRemoved


def change_of(event: MembershipEvent) -> tuple[datetime, Document]:
    """The time of a membership event and the fields it sets on the member's document."""
    if isinstance(event, MemberAdded):
        return event.added_at, {"sub": event.sub, "roles": sorted(event.roles), "removed": False}
    if isinstance(event, OperatorAdded):
        return event.added_at, {"sub": event.sub, "roles": ["operator"], "removed": False}
    if isinstance(event, OperatorRemoved):
        return event.removed_at, {"sub": event.sub, "roles": [], "removed": True}
    return event.removed_at, {"sub": event.sub, "roles": [], "removed": True}


def member_id_of(event: MembershipEvent) -> str:
    if isinstance(event, OperatorAdded | OperatorRemoved):
        return operator_member_id(event.sub)
    return event.member_id


def applies(current: Mapping[str, Any] | None, at: datetime) -> bool:
    """Whether a change at `at` is newer than what the document reflects (or as new: a
    redelivered event sets the same fields again)."""
    if current is None or current.get("as_of") is None:
        return True
    return bool(at >= current["as_of"])


def holds(document: Mapping[str, Any] | None, principal: Principal) -> bool:
    """Whether a member's document grants every organisation role the token carries."""
    if document is None or document.get("removed"):
        return False
    return set(principal.roles - PLATFORM_ROLES) <= set(document.get("roles", []))


async def project_membership(event: Event, uow: UnitOfWork) -> None:
    """Apply one membership event to the organisation's current members: the consumers'
    handler, and what identity calls beside publishing one."""
    if not isinstance(event, MemberAdded | MemberRemoved | OperatorAdded | OperatorRemoved):
        return
    members = uow.collection(CURRENT_MEMBERS)
    key = {"member_id": member_id_of(event)}
    at, fields = change_of(event)
    if applies(await members.find_one(key), at):
        await members.update_one(key, {"$set": {**fields, "as_of": at}}, upsert=True)


async def announce_membership(uow: UnitOfWork, event: MembershipEvent) -> None:
    """identity's one way to publish a membership event: its own check then reads the change
    at once, in the transaction that makes it (a removed admin cannot re-invite themselves
    while the event travels)."""
    uow.publish(event)
    await project_membership(event, uow)


Handler = Callable[[Any, UnitOfWork], Awaitable[None]]
HANDLERS: Mapping[type[Event], Handler] = {
    MemberAdded: project_membership,
    MemberRemoved: project_membership,
    OperatorAdded: project_membership,
    OperatorRemoved: project_membership,
}


# The name under which a service keeps a MembersCopy among its runtime's extensions.
MEMBERS_COPY = "members_copy"
MEMBERSHIP_EVENTS: tuple[type[Event], ...] = (
    MemberAdded,
    MemberRemoved,
    OperatorAdded,
    OperatorRemoved,
)


class MembersCopy:
    """An instance's in-memory copy of CURRENT_MEMBERS, following the membership events
    itself (a shared/messaging/follower.py Follower, as intake's copy of roles and codes):
    a request on a busy route is checked without a database read. The copy applies each
    event as `project_membership` does (newer `as_of` only), so it is the same state a
    moment later at most (the follower's fetch wait).

    It answers only when it grants: a member it holds with the token's roles. A member it
    does not know (a membership minted straight into the database, or announced a moment
    ago on another partition), one whose roles it holds fewer of, or one it holds removed,
    is checked against the database projection as before, which decides. So what the copy
    can be late on is a removal, by the same half second as the other copies."""

    def __init__(self) -> None:
        # (org_id, member_id) → {sub, roles, removed, as_of}
        self.members: dict[tuple[str, str], Document] = {}
        # sub → the member_ids (per organisation) it holds, to find a token's member.
        self._by_sub: dict[tuple[str, str], set[str]] = {}
        self.ready = False
        # Checks the copy could not grant, which read the database instead (a metric).
        self.fallbacks = 0

    def mark_ready(self, ready: bool) -> None:
        self.ready = ready

    def _set(self, org: str, member_id: str, document: Document) -> None:
        self.members[(org, member_id)] = document
        self._by_sub.setdefault((org, str(document["sub"])), set()).add(member_id)

    def apply(self, event: Event) -> None:
        """One membership event, as `project_membership` applies it to the projection."""
        if not isinstance(event, MemberAdded | MemberRemoved | OperatorAdded | OperatorRemoved):
            return
        key = (event.org_id, member_id_of(event))
        at, fields = change_of(event)
        if applies(self.members.get(key), at):
            self._set(*key, {**fields, "as_of": at})

    async def load(self, db: Any) -> None:
        """Fill the copy from the database projection, across organisations."""
        self.members, self._by_sub = {}, {}
        async for doc in db.platform_collection(CURRENT_MEMBERS).find({}, projection={"_id": 0}):
            self._set(str(doc["org_id"]), str(doc["member_id"]), doc)

    def grants(self, principal: Principal) -> bool:
        """True when the copy holds a current membership with every role of the token."""
        if not self.ready:
            return False
        if principal.roles & PLATFORM_ROLES:
            found = self.members.get((PLATFORM_ORG, operator_member_id(principal.sub)))
            return found is not None and not found.get("removed")
        if principal.org is None:
            return False
        member_ids = self._by_sub.get((principal.org, principal.sub), ())
        return any(holds(self.members.get((principal.org, m)), principal) for m in member_ids)


async def is_current_member(runtime: Any, principal: Principal) -> bool:
    """True when the token's `sub` is a current member of the token's organisation with
    every role the token carries; an operator token is refused once its `sub` was removed
    as an operator (see above). A service that keeps a MembersCopy asks it first."""
    copy = getattr(runtime, "extensions", {}).get(MEMBERS_COPY)
    if isinstance(copy, MembersCopy):
        if copy.grants(principal):
            return True
        copy.fallbacks += 1
    if principal.roles & PLATFORM_ROLES:
        operators: TenantCollection = runtime.db.tenant_collection(PLATFORM_ORG, CURRENT_MEMBERS)
        announced = await operators.find_one({"member_id": operator_member_id(principal.sub)})
        return announced is None or not announced.get("removed")
    if principal.org is None:
        return False
    members: TenantCollection = runtime.db.tenant_collection(principal.org, CURRENT_MEMBERS)
    found = await members.find({"sub": principal.sub, "removed": False})
    return any(holds(document, principal) for document in found)


def minted_update(sub: str, roles: list[Role], at: datetime) -> Document:
    """The update that records a membership `safehands token` mints a token for: the member
    holds `roles` from `at` on, until identity announces otherwise."""
    return {"$set": {"sub": sub, "roles": sorted(roles), "removed": False, "as_of": at}}
