"""intake's in-memory copy (services/intake/known_facts.py): what each event changes in it,
that the use cases answer from it, and that they read the database projection for what it
does not know (just created elsewhere, not yet followed here)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.intake.bootstrap import DEFINITION
from services.intake.domain.errors import NotTheCurrentCode, UnknownRole
from services.intake.known_facts import KnownFacts, apply_event
from services.intake.storage import INDEXES, KNOWN_CODES, KNOWN_VCP_KEYS
from services.intake.use_cases.admission_steps import Signature, sign_code
from services.intake.use_cases.applications import Application, apply
from services.intake.use_cases.reports import submit_report
from shared.crypto import SUITE_HYBRID, PrivateKey
from shared.events import Event
from shared.events.admission import CodeOfConductPublished, OrganisationRegistered, RoleDefined
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from tests.support.fake_unit_of_work import FakeUnitOfWork
from tests.unit.intake.test_intake_use_cases import known_organisation_with_role, submission

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SHA_1, SHA_2 = "ab" * 32, "cd" * 32


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork("club", indexes=INDEXES, publishes=DEFINITION.publishes)


def role(role_id: str = "coach", minors: bool = False) -> RoleDefined:
    return RoleDefined(
        org_id="club",
        role_id=role_id,
        title="Coach",
        works_with_minors=minors,
        works_with_vulnerable=False,
        vog_required=minors,
        vog_max_age_days=90,
        vog_renewal_years=3,
    )


def code(version: int, sha256: str) -> CodeOfConductPublished:
    return CodeOfConductPublished(org_id="club", version=version, sha256=sha256, published_at=NOW)


def vcp_key(vcp_id: str, key: PrivateKey) -> dict[str, object]:
    return {
        "org_id": "club",
        "vcp_id": vcp_id,
        "public_key": {"suite": key.suite},
        "fingerprint": key.fingerprint,
    }


def copy_of(*events: Event) -> KnownFacts:
    facts = KnownFacts(ready=True)
    for event in events:
        apply_event(facts, event)
    return facts


def test_each_event_changes_the_copy_as_the_projection_and_again_changes_nothing() -> None:
    anna, bram, new = (PrivateKey.generate(SUITE_HYBRID) for _ in range(3))
    events: list[Event] = [
        OrganisationRegistered(org_id="club", name="Club"),
        role(minors=False),
        role(minors=True),
        # Versions may arrive out of order (one key each): the highest is current.
        code(2, SHA_2),
        code(1, SHA_1),
        VCPAppointed(**vcp_key("anna", anna), name="Anna", email="anna@example.org"),
        VCPAppointed(
            org_id="club",
            vcp_id="bram",
            name="Bram",
            email="b@example.org",
            public_key={},
            fingerprint="",
        ),
        VCPKeySet(**vcp_key("bram", bram), set_at=NOW),
        VCPKeySet(**vcp_key("anna", new), previous_fingerprint=anna.fingerprint, set_at=NOW),
        VCPDismissed(org_id="club", vcp_id="bram", fingerprint=bram.fingerprint, dismissed_at=NOW),
    ]
    once = copy_of(*events)
    assert once.organisations == {"club"}
    assert once.roles[("club", "coach")].works_with_minors
    assert once.current_code("club") == (2, SHA_2)
    assert once.keys_of("club") == {new.fingerprint: new.suite}
    twice = copy_of(*events, *events)
    assert (twice.organisations, twice.roles, twice.codes, twice.vcp_keys) == (
        once.organisations,
        once.roles,
        once.codes,
        once.vcp_keys,
    )


APPLICATION = Application(role_id="coach", name="Anna", email="anna@example.org")


async def test_an_application_is_checked_against_the_copy_without_the_projection(
    uow: FakeUnitOfWork,
) -> None:
    facts = copy_of(OrganisationRegistered(org_id="club", name="Club"), role())
    await apply(
        uow, APPLICATION, application_id="a1", volunteer_id="v1", applied_at=NOW, known=facts
    )
    assert facts.fallbacks == 0


async def test_what_the_copy_does_not_know_yet_is_read_from_the_projection(
    uow: FakeUnitOfWork,
) -> None:
    # The role was just defined: the projection has it, this instance's copy not yet.
    await known_organisation_with_role(uow)
    facts = KnownFacts(ready=True)
    await apply(
        uow, APPLICATION, application_id="a1", volunteer_id="v1", applied_at=NOW, known=facts
    )
    assert facts.fallbacks == 2
    with pytest.raises(UnknownRole):
        await apply(
            uow,
            Application(role_id="goalie", name="Anna", email="anna@example.org"),
            application_id="a2",
            volunteer_id="v2",
            applied_at=NOW,
            known=facts,
        )


async def test_a_signature_of_a_version_newer_than_the_copy_reads_the_projection(
    uow: FakeUnitOfWork,
) -> None:
    await known_organisation_with_role(uow)
    facts = copy_of(OrganisationRegistered(org_id="club", name="Club"), role(), code(1, SHA_1))
    await apply(
        uow, APPLICATION, application_id="a1", volunteer_id="v1", applied_at=NOW, known=facts
    )
    await uow.collection(KNOWN_CODES).insert_one({"version": 2, "sha256": SHA_2})
    # Version 2 was just published: the copy knows only 1, the projection answers.
    await sign_code(
        uow,
        "v1",
        Signature(version=2, sha256=SHA_2, full_name="Anna"),
        signed_by="v1",
        signed_at=NOW,
        known=facts,
    )
    assert facts.fallbacks == 1
    # Once the copy knows version 2, version 1 is refused from memory.
    apply_event(facts, code(2, SHA_2))
    await apply(
        uow, APPLICATION, application_id="a2", volunteer_id="v2", applied_at=NOW, known=facts
    )
    with pytest.raises(NotTheCurrentCode, match="sign version 2"):
        await sign_code(
            uow,
            "v2",
            Signature(version=1, sha256=SHA_1, full_name="Anna"),
            signed_by="v2",
            signed_at=NOW,
            known=facts,
        )
    assert facts.fallbacks == 1


async def test_a_report_sealed_to_a_key_the_copy_does_not_know_yet_reads_the_projection(
    uow: FakeUnitOfWork,
) -> None:
    anna, bram = PrivateKey.generate(SUITE_HYBRID), PrivateKey.generate(SUITE_HYBRID)
    facts = copy_of(VCPAppointed(**vcp_key("anna", anna), name="Anna", email="a@example.org"))
    await submit_report(uow, submission([anna]), received_at=NOW, known=facts)
    assert facts.fallbacks == 0
    # Bram just set his key: the projection has it, the copy not yet.
    for vcp_id, key in (("anna", anna), ("bram", bram)):
        await uow.collection(KNOWN_VCP_KEYS).insert_one(
            {"vcp_id": vcp_id, "fingerprint": key.fingerprint, "suite": key.suite}
        )
    second = submission([anna, bram])
    second.mailbox.lookup = "1" * 64  # each report its own mailbox
    await submit_report(uow, second, received_at=NOW, known=facts)
    assert facts.fallbacks == 1
