"""Reading a person's memberships, and the organisation facts identity's mails need."""

from __future__ import annotations

import contextlib
import uuid

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
