"""notify's use cases on a fake unit of work: the admin's contacts, and webhook subscriptions
that are stored only once vetted and removed with their deliveries; each refusal is the
domain error that http_routes/ turns into its status (tests/support/fake_unit_of_work.py)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from services.notify.bootstrap import DEFINITION
from services.notify.domain.errors import NoSuchWebhook, SubscriptionRefused
from services.notify.storage import CONTACTS, DELIVERIES, INDEXES, WEBHOOKS
from services.notify.use_cases.contacts import Contacts, get_contacts, set_contacts
from services.notify.use_cases.webhooks import NewSubscription, subscribe, unsubscribe, vet
from services.notify.webhooks.outbox import wants
from shared.domain.errors import DomainError
from shared.events.admission import VolunteerApplied, VolunteerDataErased
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
APPLIED = VolunteerApplied.type_name


def public(host: str) -> list[str]:
    return ["93.184.215.14"]


def private(host: str) -> list[str]:
    return ["10.0.0.5"]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)


async def test_the_admins_contacts_are_stored_once_each_and_replaced_whole(
    uow: FakeUnitOfWork,
) -> None:
    assert await get_contacts(uow) == Contacts()
    stored = await set_contacts(
        uow,
        Contacts(
            coordinators=["co@example.org", "co@example.org", "di@example.org"],
            admins=["ad@example.org"],
        ),
    )
    assert stored == Contacts(
        coordinators=["co@example.org", "di@example.org"], admins=["ad@example.org"]
    )
    assert await get_contacts(uow) == stored
    await set_contacts(uow, Contacts(coordinators=["di@example.org"]))
    assert await get_contacts(uow) == Contacts(coordinators=["di@example.org"], admins=[])
    assert await uow.collection(CONTACTS).count() == 1
    # Another organisation has contacts of its own.
    assert await get_contacts(uow.for_org("other")) == Contacts()
    assert uow.published == []


async def test_a_vetted_subscription_is_stored_and_receives_its_event_types(
    uow: FakeUnitOfWork,
) -> None:
    asked = NewSubscription(
        url="https://hooks.example.org/in", event_types=[APPLIED, APPLIED], secret=SECRET
    )
    vetted = await vet(asked, allow_private_networks=False, resolve=public)
    assert vetted.event_types == [APPLIED]
    await subscribe(uow, vetted, webhook_id="w-1", created_at=NOW)
    [stored] = await uow.collection(WEBHOOKS).find({})
    assert (stored["webhook_id"], stored["url"], stored["secret"], stored["created_at"]) == (
        "w-1",
        "https://hooks.example.org/in",
        SECRET,
        NOW,
    )
    applied = VolunteerApplied(
        org_id=ORG,
        volunteer_id="v-1",
        application_id="a-1",
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=NOW,
    )
    erased = VolunteerDataErased(org_id=ORG, volunteer_id="v-1")
    assert wants(stored, applied)
    assert not wants(stored, erased)


@pytest.mark.parametrize(
    ("url", "overrides", "reason"),
    [
        ("https://intranet.example.org/", {}, "not a public"),
        ("https://hooks.example.org/", {"secret": "plain"}, "whsec_"),
        ("https://hooks.example.org/", {"event_types": ["nl.safehands.x.y.v1"]}, "Unknown event"),
    ],
)
async def test_an_unsafe_or_malformed_subscription_is_refused_with_its_reason(
    url: str, overrides: dict[str, object], reason: str
) -> None:
    asked = NewSubscription.model_validate(
        {"url": url, "event_types": [APPLIED], "secret": SECRET, **overrides}
    )
    with pytest.raises(SubscriptionRefused, match=reason) as refused:
        await vet(asked, allow_private_networks=False, resolve=private)
    # A domain error, so http_routes/ answers it with its status and its sentence.
    assert isinstance(refused.value, DomainError)
    assert "kkkk" not in str(refused.value)


async def test_private_targets_pass_when_the_operator_allows_them() -> None:
    asked = NewSubscription(url="http://10.0.0.5:9000/", event_types=[APPLIED], secret=SECRET)
    vetted = await vet(asked, allow_private_networks=True, resolve=private)
    assert vetted.url == "http://10.0.0.5:9000/"


async def test_unsubscribing_removes_the_subscription_with_its_deliveries_only(
    uow: FakeUnitOfWork,
) -> None:
    asked = NewSubscription(url="https://hooks.example.org/", event_types=[APPLIED], secret=SECRET)
    vetted = await vet(asked, allow_private_networks=False, resolve=public)
    await subscribe(uow, vetted, webhook_id="w-1", created_at=NOW)
    await subscribe(uow, vetted, webhook_id="w-2", created_at=NOW)
    deliveries = uow.collection(DELIVERIES)
    for webhook_id in ("w-1", "w-1", "w-2"):
        await deliveries.insert_one(
            {"webhook_id": webhook_id, "event_id": f"e-{await deliveries.count()}"}
        )
    # Another organisation cannot remove this one's subscription.
    with pytest.raises(NoSuchWebhook, match=r"^Not found\.$"):
        await unsubscribe(uow.for_org("other"), "w-1")
    await unsubscribe(uow, "w-1")
    assert [w["webhook_id"] for w in await uow.collection(WEBHOOKS).find({})] == ["w-2"]
    assert [d["webhook_id"] for d in await deliveries.find({})] == ["w-2"]
    with pytest.raises(NoSuchWebhook, match=r"^Not found\.$"):
        await unsubscribe(uow, "w-1")
