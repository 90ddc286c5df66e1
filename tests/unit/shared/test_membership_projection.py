"""The current members every service keeps from identity's events (shared/auth/membership.py),
the check of each request against them, and how the runtime wires both into every service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from cli.services import SERVICE_NAMES, definition_of
from shared.auth.membership import (
    CURRENT_MEMBERS,
    INDEXES,
    is_current_member,
    project_membership,
)
from shared.auth.tokens import Principal, Role
from shared.events.identity import (
    PLATFORM_ORG,
    MemberAdded,
    MemberRemoved,
    OperatorAdded,
    OperatorRemoved,
)
from shared.messaging.batches import BatchHandler
from shared.runtime.app import handlers_with_membership, membership_check_of
from shared.runtime.definition import ServiceDefinition
from shared.settings import Settings
from shared.storage.tenancy import TenantCollection
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def added(member_id: str, sub: str, *roles: Any, at: datetime = T0) -> MemberAdded:
    return MemberAdded(org_id=ORG, member_id=member_id, sub=sub, roles=list(roles), added_at=at)


def removed(member_id: str, sub: str, at: datetime) -> MemberRemoved:
    return MemberRemoved(org_id=ORG, member_id=member_id, sub=sub, removed_at=at)


def runtime_over(uow: FakeUnitOfWork) -> Any:
    """What `is_current_member` reads of a runtime: its organisations' collections."""
    return SimpleNamespace(
        db=SimpleNamespace(
            tenant_collection=lambda org, name: TenantCollection(uow.database[name], org)  # type: ignore[arg-type]
        )
    )


def token(sub: str, *roles: Role, org: str | None = ORG) -> Principal:
    return Principal(sub=sub, org=org, roles=frozenset(roles))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(ORG, indexes=INDEXES)


async def test_a_member_is_current_with_the_roles_identity_last_announced(
    uow: FakeUnitOfWork,
) -> None:
    runtime = runtime_over(uow)
    assert not await is_current_member(runtime, token("anna", "coordinator"))
    await project_membership(added("anna", "anna", "coordinator"), uow)
    assert await is_current_member(runtime, token("anna", "coordinator"))
    # A token may carry no role she does not hold: an admin's needs the admin role.
    assert not await is_current_member(runtime, token("anna", "admin"))
    assert not await is_current_member(runtime, token("anna", "admin", "coordinator"))
    # Given another role, she holds both (MemberAdded carries every role she holds now).
    await project_membership(
        added("anna", "anna", "admin", "coordinator", at=T0 + timedelta(minutes=1)), uow
    )
    assert await is_current_member(runtime, token("anna", "admin", "coordinator"))
    # Not in another organisation, nor without one.
    assert not await is_current_member(runtime, token("anna", "admin", org="other"))
    assert not await is_current_member(runtime, token("anna", "admin", org=None))


async def test_a_removed_member_is_refused_and_a_late_older_event_does_not_bring_them_back(
    uow: FakeUnitOfWork,
) -> None:
    runtime = runtime_over(uow)
    await project_membership(added("anna", "anna", "admin"), uow)
    await project_membership(removed("anna", "anna", T0 + timedelta(minutes=5)), uow)
    assert not await is_current_member(runtime, token("anna", "admin"))
    # A dead letter of her addition replayed after the removal changes nothing…
    await project_membership(added("anna", "anna", "admin"), uow)
    assert not await is_current_member(runtime, token("anna", "admin"))
    # …while a later addition (a VCP appointed again) counts.
    await project_membership(added("anna", "anna", "admin", at=T0 + timedelta(minutes=9)), uow)
    assert await is_current_member(runtime, token("anna", "admin"))
    # One document per member, however often the events arrive.
    assert len(await uow.collection(CURRENT_MEMBERS).find({})) == 1


async def test_memberships_of_one_sub_in_other_kinds_stay_apart(uow: FakeUnitOfWork) -> None:
    """A VCP and a staff member are other member_ids; removing one leaves the other."""
    runtime = runtime_over(uow)
    await project_membership(added("vcp:vera", "vera", "vcp"), uow)
    await project_membership(added("volunteer:v-1", "v-1", "volunteer"), uow)
    assert await is_current_member(runtime, token("vera", "vcp"))
    assert await is_current_member(runtime, token("v-1", "volunteer"))
    assert not await is_current_member(runtime, token("vera", "volunteer"))
    await project_membership(removed("vcp:vera", "vera", T0 + timedelta(minutes=1)), uow)
    assert not await is_current_member(runtime, token("vera", "vcp"))
    assert await is_current_member(runtime, token("v-1", "volunteer"))


async def test_operators_are_not_an_organisations_members(uow: FakeUnitOfWork) -> None:
    """identity issues operators' tokens from its settings, which no event carries."""
    assert await is_current_member(runtime_over(uow), token("person-1", "operator", org=None))


async def test_a_removed_operator_is_refused_and_one_added_again_is_not() -> None:
    """Operators never announced (the seed, minted tokens) pass as before; OperatorRemoved
    refuses that operator's tokens, a later OperatorAdded lets them back in, and an older
    event replayed late changes nothing."""
    platform = FakeUnitOfWork(PLATFORM_ORG, indexes=INDEXES)
    runtime = runtime_over(platform)
    ops = token("person-2", "operator", org=None)
    assert await is_current_member(runtime, ops)
    gone = OperatorRemoved(
        org_id=PLATFORM_ORG, operator_id="person-2", sub="person-2", removed_at=T0
    )
    await project_membership(gone, platform)
    assert not await is_current_member(runtime, ops)
    assert await is_current_member(runtime, token("person-1", "operator", org=None))
    late = OperatorAdded(
        org_id=PLATFORM_ORG,
        operator_id="person-2",
        sub="person-2",
        added_at=T0 - timedelta(minutes=1),
    )
    await project_membership(late, platform)
    assert not await is_current_member(runtime, ops)
    back = OperatorAdded(
        org_id=PLATFORM_ORG,
        operator_id="person-2",
        sub="person-2",
        added_at=T0 + timedelta(minutes=1),
    )
    await project_membership(back, platform)
    assert await is_current_member(runtime, ops)


def test_every_service_keeps_the_projection_and_checks_every_request() -> None:
    settings = Settings()
    for name in SERVICE_NAMES:
        definition = definition_of(name)
        handlers = handlers_with_membership(definition, settings)
        if name == "identity":
            # It applies its own announcements in their transactions (announce_membership).
            assert MemberAdded not in handlers and MemberRemoved not in handlers
        else:
            assert MemberAdded in handlers and MemberRemoved in handlers, name
        assert membership_check_of(definition) is not None


async def test_a_service_s_own_membership_handler_runs_after_the_projection(
    uow: FakeUnitOfWork,
) -> None:
    seen: list[bool] = []

    async def own(event: MemberAdded, inner: Any) -> None:
        # The projection is already there when the service's own handler runs.
        seen.append(bool(await inner.collection(CURRENT_MEMBERS).find({"sub": event.sub})))

    definition = ServiceDefinition(name="x", description="", handlers={MemberAdded: own})
    handler = handlers_with_membership(definition, Settings())[MemberAdded]
    await handler(added("anna", "anna", "admin"), uow)  # type: ignore[operator]
    assert seen == [True]

    async def batch(_batch: Any, _state: Any) -> Any:
        return None

    in_batches = ServiceDefinition(
        name="y", description="", handlers={MemberRemoved: BatchHandler(batch)}
    )
    with pytest.raises(TypeError, match="membership events need a per-event handler"):
        handlers_with_membership(in_batches, Settings())


async def test_a_service_s_own_check_comes_on_top(uow: FakeUnitOfWork) -> None:
    async def only_vera(_runtime: Any, principal: Principal) -> bool:
        return principal.sub == "vera"

    check = membership_check_of(
        ServiceDefinition(name="x", description="", membership_check=only_vera)
    )
    runtime = runtime_over(uow)
    await project_membership(added("vcp:vera", "vera", "vcp"), uow)
    await project_membership(added("vcp:bram", "bram", "vcp"), uow)
    assert await check(runtime, token("vera", "vcp"))
    assert not await check(runtime, token("bram", "vcp"))
    assert not await check(runtime, token("carla", "vcp"))
