"""shared/auth/reach.py: which organisations a read across organisations may include. The
token's own; then each other where the membership projection holds the `sub` as a current
member with the role, the service's own membership check passes, and the service says it is
the same person; never for a token without the role or an organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.auth.membership import CURRENT_MEMBERS, INDEXES
from shared.auth.reach import organisations_reached
from shared.auth.tokens import Principal
from shared.storage.tenancy import TenantCollection
from tests.support.fake_unit_of_work import FakeDatabase


@dataclass
class Db:
    fake: FakeDatabase = field(default_factory=lambda: FakeDatabase(INDEXES))

    def platform_collection(self, name: str) -> Any:
        return self.fake.platform_collection(name)

    def tenant_collection(self, org: str, name: str) -> TenantCollection:
        return TenantCollection(self.fake[name], org)  # type: ignore[arg-type]


@dataclass
class Runtime:
    db: Db
    refused_in: set[str]

    async def membership_check(self, runtime: Any, principal: Principal) -> bool:
        return principal.org not in self.refused_in


def member(org: str, sub: str, roles: list[str], removed: bool = False) -> dict[str, Any]:
    return {
        "org_id": org,
        "member_id": f"vcp:{sub}",
        "sub": sub,
        "roles": roles,
        "removed": removed,
    }


async def same_person_unless(org: str) -> Any:
    async def check(runtime: Any, principal: Principal, there: str) -> bool:
        return there != org

    return check


async def test_only_current_members_with_the_role_whom_both_checks_accept_are_reached() -> None:
    db = Db()
    members = db.platform_collection(CURRENT_MEMBERS)
    for document in [
        member("a", "x", ["vcp"]),
        member("b", "x", ["vcp"]),
        member("c", "x", ["vcp"], removed=True),  # the membership ended
        member("d", "x", ["volunteer"]),  # another role
        member("e", "x", ["vcp"]),  # the service's own check refuses
        member("f", "x", ["vcp"]),  # someone else with the same sub
        member("g", "y", ["vcp"]),  # another sub
    ]:
        await members.insert_one(document)
    runtime = Runtime(db, refused_in={"e"})
    vcp = Principal(sub="x", org="a", roles=frozenset({"vcp"}))
    same_person = await same_person_unless("f")
    assert await organisations_reached(runtime, vcp, "vcp", same_person) == ["a", "b"]
    # From the other organisation's token: the same two, its own first.
    there = Principal(sub="x", org="b", roles=frozenset({"vcp"}))
    assert await organisations_reached(runtime, there, "vcp", same_person) == ["b", "a"]


async def test_a_token_without_the_role_or_an_organisation_reaches_nothing() -> None:
    runtime = Runtime(Db(), refused_in=set())
    same_person = await same_person_unless("")
    admin = Principal(sub="x", org="a", roles=frozenset({"admin"}))
    assert await organisations_reached(runtime, admin, "vcp", same_person) == []
    nowhere = Principal(sub="x", org=None, roles=frozenset({"vcp"}))
    assert await organisations_reached(runtime, nowhere, "vcp", same_person) == []
