"""Reading a person's memberships, and the organisation facts identity's mails need."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from services.identity.domain.mails import Language, organisation_for_mail
from services.identity.domain.memberships import Membership, memberships_of
from services.identity.storage import MEMBERSHIPS, ORGANISATIONS, PEOPLE, PlatformStore
from shared.storage.tenancy import Document


def membership_from(row: Document) -> Membership:
    return Membership(
        org_id=row["org_id"], roles=tuple(row["roles"]), sub=row["sub"], kind=row["kind"]
    )


async def membership_rows(store: PlatformStore, address: str) -> list[Document]:
    """Every organisation's memberships of one address: the one read across organisations,
    because signing in starts from the address alone."""
    cursor = store.platform_collection(MEMBERSHIPS).find(
        {"email": address}, projection={"_id": 0, "org_id": 1, "roles": 1, "sub": 1, "kind": 1}
    )
    return await cursor.to_list()


async def person_id_of(store: PlatformStore, address: str) -> str:
    """A stable pseudonymous id for an address (the operator's `sub`), made on first use."""
    people = store.platform_collection(PEOPLE)
    # A concurrent first sign-in may make it first: then theirs is used.
    with contextlib.suppress(DuplicateKeyError):
        await people.update_one(
            {"email": address},
            {"$setOnInsert": {"person_id": f"person-{uuid.uuid4().hex}"}},
            upsert=True,
        )
    person = await people.find_one({"email": address})
    assert person is not None
    return str(person["person_id"])


async def current_memberships(
    store: PlatformStore, address: str, operators: frozenset[str]
) -> list[Membership]:
    rows = [membership_from(row) for row in await membership_rows(store, address)]
    # Only an operator gets a person id (their `sub`): nobody else's address is kept beyond
    # their memberships, so erasing a volunteer's membership erases their address.
    person_id = await person_id_of(store, address) if address in operators else ""
    return memberships_of(address, operators, person_id, rows)


async def organisation_facts(store: PlatformStore, org_id: str | None) -> tuple[str, Language]:
    """The organisation's name and language for a mail: Dutch when it is not known (yet).
    One query whatever the answer, also for no organisation, so that a sign-in request for
    an unknown address does the same database work as one for a known address."""
    found = await store.platform_collection(ORGANISATIONS).find_one(
        {"org_id": {"$in": [org_id] if org_id else []}}, projection={"name": 1, "language": 1}
    )
    return organisation_for_mail(found, org_id)


async def last_used(
    store: PlatformStore, address: str, operators: frozenset[str]
) -> dict[tuple[str | None, str], datetime]:
    """When each of the person's memberships last got an access token, as `(org_id, sub)`:
    kept on the membership itself (so it goes when the membership goes) and, for the
    operator, on their person record."""
    found = store.platform_collection(MEMBERSHIPS).find(
        {"email": address}, projection={"_id": 0, "org_id": 1, "sub": 1, "last_used_at": 1}
    )
    used: dict[tuple[str | None, str], datetime] = {
        (row["org_id"], row["sub"]): row["last_used_at"]
        for row in await found.to_list()
        if row.get("last_used_at") is not None
    }
    if address in operators:
        person = await store.platform_collection(PEOPLE).find_one({"email": address})
        if person is not None and person.get("last_used_at") is not None:
            used[(None, str(person["person_id"]))] = person["last_used_at"]
    return used


async def record_use(
    store: PlatformStore, address: str, membership: Membership, now: datetime
) -> None:
    """Remember that this membership was used now, so the next sign-in starts there."""
    if membership.kind == "operator":
        await store.platform_collection(PEOPLE).update_one(
            {"email": address}, {"$set": {"last_used_at": now}}
        )
        return
    await store.platform_collection(MEMBERSHIPS).update_one(
        {"org_id": membership.org_id, "sub": membership.sub, "email": address},
        {"$set": {"last_used_at": now}},
    )


async def address_of(
    store: PlatformStore, org_id: str | None, sub: str, operators: frozenset[str]
) -> str | None:
    """The address of the person an access token was issued to (its `org` and `sub`): what
    their passkeys and sessions are kept by. None when that membership is gone."""
    if org_id is None:
        person = await store.platform_collection(PEOPLE).find_one({"person_id": sub})
        if person is None or person["email"] not in operators:
            return None
        return str(person["email"])
    row = await store.platform_collection(MEMBERSHIPS).find_one(
        {"org_id": org_id, "sub": sub}, projection={"email": 1}
    )
    return str(row["email"]) if row else None
