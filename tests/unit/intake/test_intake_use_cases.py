"""intake's use cases on a fake unit of work: what each stores and publishes, and which
domain error refuses what (tests/support/fake_unit_of_work.py; no database, no broker)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.intake.bootstrap import DEFINITION
from services.intake.domain.errors import (
    AlreadyRecorded,
    InvalidSubmission,
    NoReportRecipient,
    NoSuchVolunteer,
    NotTheCurrentCode,
    UnknownOrganisation,
    UnknownRole,
)
from services.intake.storage import (
    APPLICATIONS,
    INDEXES,
    INTERVIEWS,
    KNOWN_CODES,
    KNOWN_ORGANISATIONS,
    KNOWN_ROLES,
    KNOWN_VCP_KEYS,
    RECEIVED_REPORTS,
)
from services.intake.use_cases.admission_steps import (
    Interview,
    Signature,
    VOGRecord,
    record_interview,
    record_vog,
    sign_code,
)
from services.intake.use_cases.applications import Application, apply
from services.intake.use_cases.reports import Mailbox, ReportSubmission, submit_report
from shared.crypto import SUITE_HYBRID, PrivateKey, report_context, seal
from shared.events.admission import CodeSigned, InterviewRecorded, VolunteerApplied
from shared.events.reports import IncidentReported
from tests.support.fake_unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SHA = "ab" * 32


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork("club", indexes=INDEXES, publishes=DEFINITION.publishes)


async def known_organisation_with_role(uow: FakeUnitOfWork, *, minors: bool = False) -> None:
    await uow.collection(KNOWN_ORGANISATIONS).update_one(
        {}, {"$set": {"name": "Club", "language": "nl"}}, upsert=True
    )
    await uow.collection(KNOWN_ROLES).insert_one(
        {
            "role_id": "coach",
            "title": "Coach",
            "works_with_minors": minors,
            "works_with_vulnerable": False,
            "vog_required": minors,
            "vog_max_age_days": 90,
            "vog_renewal_years": 3,
        }
    )


async def applied_volunteer(uow: FakeUnitOfWork, *, minors: bool = False) -> str:
    await known_organisation_with_role(uow, minors=minors)
    volunteer_id = str(uuid.uuid4())
    application = Application(role_id="coach", name="Anna", email="anna@example.org")
    await apply(uow, application, application_id="a1", volunteer_id=volunteer_id, applied_at=NOW)
    return volunteer_id


async def test_an_application_is_stored_and_announced(uow: FakeUnitOfWork) -> None:
    volunteer_id = await applied_volunteer(uow)
    [stored] = await uow.collection(APPLICATIONS).find({})
    assert stored["volunteer_id"] == volunteer_id and stored["org_id"] == "club"
    assert uow.published == [
        VolunteerApplied(
            org_id="club",
            volunteer_id=volunteer_id,
            application_id="a1",
            role_id="coach",
            name="Anna",
            email="anna@example.org",
            applied_at=NOW,
        )
    ]


async def test_an_application_to_an_unknown_organisation_is_refused(
    uow: FakeUnitOfWork,
) -> None:
    application = Application(role_id="coach", name="Anna", email="anna@example.org")
    with pytest.raises(UnknownOrganisation, match=r"^Organisation club is not known\.$"):
        await apply(uow, application, application_id="a1", volunteer_id="v1", applied_at=NOW)
    assert uow.published == []
    assert await uow.collection(APPLICATIONS).count() == 0


async def test_an_application_for_an_unknown_role_is_refused(uow: FakeUnitOfWork) -> None:
    await known_organisation_with_role(uow)
    application = Application(role_id="goalie", name="Anna", email="anna@example.org")
    with pytest.raises(UnknownRole, match=r"^There is no role 'goalie' to apply for\.$"):
        await apply(uow, application, application_id="a1", volunteer_id="v1", applied_at=NOW)
    assert uow.published == []


async def test_one_interview_decides(uow: FakeUnitOfWork) -> None:
    volunteer_id = await applied_volunteer(uow)
    await record_interview(
        uow, volunteer_id, Interview(outcome="doubt"), recorded_by="jan", recorded_at=NOW
    )
    with pytest.raises(AlreadyRecorded, match="interview outcome is already recorded"):
        await record_interview(
            uow, volunteer_id, Interview(outcome="proceed"), recorded_by="jan", recorded_at=NOW
        )
    [interview] = await uow.collection(INTERVIEWS).find({})
    assert interview["outcome"] == "doubt"
    assert [type(e) for e in uow.published] == [VolunteerApplied, InterviewRecorded]


async def test_steps_for_an_unknown_volunteer_are_refused(uow: FakeUnitOfWork) -> None:
    await known_organisation_with_role(uow)
    with pytest.raises(NoSuchVolunteer, match=r"^There is no such volunteer\.$"):
        await record_interview(
            uow, "nobody", Interview(outcome="proceed"), recorded_by="jan", recorded_at=NOW
        )


async def test_only_the_current_code_can_be_signed(uow: FakeUnitOfWork) -> None:
    volunteer_id = await applied_volunteer(uow)
    signature = Signature(version=2, sha256=SHA, full_name="Anna de Vries")
    with pytest.raises(NotTheCurrentCode, match="has not published a code of conduct"):
        await sign_code(uow, volunteer_id, signature, signed_by=volunteer_id, signed_at=NOW)
    for version in (1, 3):
        await uow.collection(KNOWN_CODES).insert_one({"version": version, "sha256": SHA})
    with pytest.raises(NotTheCurrentCode, match=r"^Version 2 is not the current .* version 3\.$"):
        await sign_code(uow, volunteer_id, signature, signed_by=volunteer_id, signed_at=NOW)

    current = Signature(version=3, sha256=SHA.upper(), full_name="Anna de Vries")
    await sign_code(uow, volunteer_id, current, signed_by=volunteer_id, signed_at=NOW)
    signed = uow.published[-1]
    assert isinstance(signed, CodeSigned)
    assert (signed.version, signed.sha256, signed.on_paper) == (3, SHA, False)
    with pytest.raises(AlreadyRecorded, match=r"^Version 3 is already signed\.$"):
        await sign_code(uow, volunteer_id, current, signed_by="coordinator", signed_at=NOW)


async def test_a_vog_that_does_not_do_is_refused_with_the_reasons(uow: FakeUnitOfWork) -> None:
    volunteer_id = await applied_volunteer(uow, minors=True)
    too_old = VOGRecord(issued_on=date(2025, 1, 1), screening_aspects=[84], checked_by="Jan")
    with pytest.raises(
        InvalidSubmission,
        match=r"^The VOG was issued on 2025-01-01, 425 days before it was handed in",
    ):
        await record_vog(
            uow,
            volunteer_id,
            too_old,
            recorded_by="jan",
            recorded_at=NOW,
            handed_in=date(2026, 3, 2),
        )
    assert [type(e) for e in uow.published] == [VolunteerApplied]


def submission(keys: list[PrivateKey], org: str = "club") -> ReportSubmission:
    report_id = uuid.uuid4()
    envelope = seal(
        {"text": "something happened"},
        [key.public_key for key in keys],
        report_context(org, str(report_id)),
    )
    return ReportSubmission(
        report_id=report_id,
        envelope=envelope,
        mailbox=Mailbox(lookup="0" * 64, reply_key=PrivateKey.generate(SUITE_HYBRID).public_key),
    )


async def known_vcp(uow: FakeUnitOfWork, vcp_id: str, key: PrivateKey) -> None:
    await uow.collection(KNOWN_VCP_KEYS).insert_one(
        {"vcp_id": vcp_id, "fingerprint": key.fingerprint, "suite": key.suite}
    )


async def test_a_report_sealed_to_every_vcp_is_accepted_once(uow: FakeUnitOfWork) -> None:
    anna, bram = PrivateKey.generate(SUITE_HYBRID), PrivateKey.generate(SUITE_HYBRID)
    await known_vcp(uow, "anna", anna)
    await known_vcp(uow, "bram", bram)
    report = submission([anna, bram])
    received_at = NOW + timedelta(minutes=1)
    assert await submit_report(uow, report, received_at=received_at) == str(report.report_id)
    [event] = uow.published
    # The day only (issue 19): the moment, matched against who was where, points to the reporter.
    assert isinstance(event, IncidentReported)
    assert event.received_at == received_at.replace(hour=0, minute=0, second=0, microsecond=0)
    with pytest.raises(AlreadyRecorded, match="already submitted"):
        await submit_report(uow, report, received_at=received_at)
    # Another report to the same mailbox: the unique index refuses it.
    again = submission([anna, bram]).model_copy(update={"mailbox": report.mailbox})
    with pytest.raises(AlreadyRecorded, match="start over with a new receipt"):
        await submit_report(uow, again, received_at=received_at)
    assert await uow.collection(RECEIVED_REPORTS).count() == 1


async def test_a_report_nobody_could_open_is_refused(uow: FakeUnitOfWork) -> None:
    anna, bram = PrivateKey.generate(SUITE_HYBRID), PrivateKey.generate(SUITE_HYBRID)
    with pytest.raises(NoReportRecipient, match="no confidential contact person"):
        await submit_report(uow, submission([anna]), received_at=NOW)
    await known_vcp(uow, "anna", anna)
    await known_vcp(uow, "bram", bram)
    stranger = PrivateKey.generate(SUITE_HYBRID)
    with pytest.raises(InvalidSubmission, match="none of the organisation's current VCP keys"):
        await submit_report(uow, submission([anna, stranger]), received_at=NOW)
    assert uow.published == []
    # Some of the current keys are enough: the reporter may leave a VCP out.
    await submit_report(uow, submission([anna]), received_at=NOW)
    [event] = uow.published
    assert isinstance(event, IncidentReported)
    assert [r["key_id"] for r in event.envelope["recipients"]] == [anna.fingerprint]


async def test_another_organisations_vcp_keys_do_not_count(uow: FakeUnitOfWork) -> None:
    anna = PrivateKey.generate(SUITE_HYBRID)
    await known_vcp(uow.for_org("other"), "anna", anna)
    with pytest.raises(NoReportRecipient):
        await submit_report(uow, submission([anna]), received_at=NOW)
