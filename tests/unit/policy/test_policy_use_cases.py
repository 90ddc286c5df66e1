"""policy's use cases on a fake unit of work: organisations, roles, codes and their draft,
advice, the volunteer list and the checklist; each refusal is the domain error that
http_routes/ turns into its status (tests/support/fake_unit_of_work.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.policy.bootstrap import DEFINITION
from services.policy.domain.admission import AdmissionStatus, InterviewOutcome
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.advice import INCIDENT_WARNING
from services.policy.domain.errors import (
    AlreadyAnswered,
    DraftExists,
    NoCodePublished,
    NoSuchAdviceRequest,
    NoSuchDraft,
    NoSuchTemplate,
    NoSuchVolunteer,
    NotAModelCode,
    OrganisationExists,
    PublishedMeanwhile,
    SameAsCurrentCode,
    UnregisteredOrganisation,
)
from services.policy.domain.gratis_vog import Pillar
from services.policy.domain.pipeline import Stage
from services.policy.http_routes import ERROR_STATUSES
from services.policy.organisation_settings import OrganisationSettings
from services.policy.storage import (
    ADMISSIONS,
    ADVICE_REQUESTS,
    CODE_DRAFTS,
    CODES,
    INDEXES,
    POLICY_USAGE,
    ROLES,
    VOLUNTEER_NAMES,
)
from services.policy.use_cases import codes as codes_module
from services.policy.use_cases.admission import PolicyFacts, decide_and_store
from services.policy.use_cases.advice import (
    AnswerBody,
    NewAdviceRequest,
    answer_advice_request,
    organisation_asking,
    request_advice,
)
from services.policy.use_cases.checklist import checklist, gratis_vog
from services.policy.use_cases.code_drafts import (
    adopt_model_code,
    delete_draft,
    read_draft,
    signing_again,
    write_draft,
)
from services.policy.use_cases.codes import NewCode, current_code, publish_code
from services.policy.use_cases.organisations import (
    NewOrganisation,
    change_settings,
    public_page,
    read_settings,
    register_organisation,
)
from services.policy.use_cases.roles import RoleDefinition, define_role, list_roles
from services.policy.use_cases.templates import filled_in_document, known_document
from services.policy.use_cases.volunteers import (
    VolunteerFilter,
    decided_file,
    volunteer_page,
    volunteer_row,
)
from services.policy.volunteer_list import name_fields
from shared.domain.code_of_conduct import code_sha256
from shared.domain.vog import DEFAULT_VOG_MAX_AGE_DAYS, DEFAULT_VOG_RENEWAL_YEARS
from shared.events.admission import (
    CodeOfConductPublished,
    OrganisationRegistered,
    RoleDefined,
    VolunteerAdmitted,
)
from shared.events.advice import AdviceAnswered, AdviceRequested
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
COACH = RoleDefinition(title="Coach", works_with_minors=True, works_with_vulnerable=False)
HELPER = RoleDefinition(title="Bar helper", works_with_minors=False, works_with_vulnerable=False)


def fresh_uow(org: str = ORG) -> FakeUnitOfWork:
    return FakeUnitOfWork(org, indexes=INDEXES, publishes=DEFINITION.publishes)


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    """A registered organisation, its registration already announced and forgotten."""
    uow = fresh_uow()
    await register_organisation(uow, NewOrganisation(org_id=ORG, name="De Club"))
    uow._tx._outbox.clear()
    return uow


def test_each_refusal_has_the_status_of_the_contract() -> None:
    assert {cls.__name__: status for cls, status in ERROR_STATUSES.items()} == {
        "UnregisteredOrganisation": 404,
        "NoSuchVolunteer": 404,
        "NoCodePublished": 404,
        "NoSuchDraft": 404,
        "NoSuchTemplate": 404,
        "NoSuchAdviceRequest": 404,
        "NoSuchRole": 404,
        "OrganisationExists": 409,
        "PublishedMeanwhile": 409,
        "SameAsCurrentCode": 409,
        "DraftExists": 409,
        "AlreadyAnswered": 409,
        "NotAModelCode": 422,
        "NoSuchTraining": 404,
        "NoSuchNews": 404,
        "NoSuchRegistration": 404,
        "AlreadyRegistered": 409,
        "TrainingStarted": 409,
        "TrainingCancelledByCentre": 409,
        "FewerSeatsThanTaken": 409,
        "TrainingChangedMeanwhile": 409,
        "NoSeatHeld": 409,
        "TrainingRuleBroken": 422,
        "NoSuchConsultation": 404,
        "NoSuchComment": 404,
        "ConsultationRunning": 409,
        "ConsultationClosed": 409,
        "NotInvited": 403,
        "TooManyComments": 429,
        "BadClosingDay": 422,
        "UnknownSection": 422,
        "NotAMember": 422,
    }


async def test_an_organisation_is_registered_once_and_announced() -> None:
    uow = fresh_uow()
    await register_organisation(uow, NewOrganisation(org_id=ORG, name="De Club", language="en"))
    with pytest.raises(OrganisationExists, match=r"^Organisation club already exists\.$"):
        await register_organisation(uow, NewOrganisation(org_id=ORG, name="Another"))
    assert uow.published == [OrganisationRegistered(org_id=ORG, name="De Club", language="en")]
    [record] = await uow.collection("organisations").find()
    assert record["name"] == "De Club"


async def test_an_unregistered_organisation_has_no_page_settings_roles_or_checklist() -> None:
    uow = fresh_uow("nobody")
    message = r"^Organisation nobody is not registered\.$"
    with pytest.raises(UnregisteredOrganisation, match=message):
        await public_page(uow)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await read_settings(uow)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await change_settings(uow, OrganisationSettings(volunteer_retention_days=30))
    with pytest.raises(UnregisteredOrganisation, match=message):
        await define_role(uow, "coach", COACH)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await list_roles(uow)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await checklist(uow)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await gratis_vog(uow)
    with pytest.raises(UnregisteredOrganisation, match=message):
        await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    # Refused before anything was written or announced.
    assert await uow.collection(ROLES).count() == 0
    assert await uow.collection(CODES).count() == 0
    assert uow.published == []


async def test_settings_are_kept_with_the_organisation(uow: FakeUnitOfWork) -> None:
    assert await read_settings(uow) == OrganisationSettings()
    await change_settings(uow, OrganisationSettings(volunteer_retention_days=30))
    assert (await read_settings(uow)).volunteer_retention_days == 30


async def test_a_role_is_stored_with_its_vog_need_and_announced_on_every_definition(
    uow: FakeUnitOfWork,
) -> None:
    role = await define_role(uow, "coach", COACH)
    assert role["vog_required"] is True
    await define_role(uow, "coach", COACH)
    await define_role(uow, "bar", HELPER)
    assert [e.role_id for e in uow.published if isinstance(e, RoleDefined)] == [
        "coach",
        "coach",
        "bar",
    ]
    assert len(uow.published) == 3
    assert await uow.collection(ROLES).count() == 2
    # A role defined before the VOG periods were kept reads with the defaults.
    await uow.collection(ROLES).update_one(
        {"role_id": "bar"}, {"$unset": {"vog_max_age_days": "", "vog_renewal_years": ""}}
    )
    listed = await list_roles(uow)
    assert [r["role_id"] for r in listed] == ["bar", "coach"]  # by title
    assert (listed[0]["vog_max_age_days"], listed[0]["vog_renewal_years"]) == (
        DEFAULT_VOG_MAX_AGE_DAYS,
        DEFAULT_VOG_RENEWAL_YEARS,
    )
    page = await public_page(uow)
    assert (page.name, page.language) == ("De Club", "nl")
    assert [(r.title, r.vog_required) for r in page.roles] == [
        ("Bar helper", False),
        ("Coach", True),
    ]


async def test_codes_are_numbered_and_publishing_ends_the_draft(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NoCodePublished, match=r"^This organisation has not published a code"):
        await current_code(uow)
    await write_draft(uow, "Draft text", written_at=NOW)
    first = await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    later = NOW + timedelta(days=1)
    second = await publish_code(uow, NewCode(text="Be kind, always."), published_at=later)
    assert (first.version, second.version) == (1, 2)
    assert second.sha256 == code_sha256("Be kind, always.")
    current = await current_code(uow)
    assert (current.version, current.text, current.published_at) == (2, "Be kind, always.", later)
    assert await uow.collection(CODE_DRAFTS).count() == 0
    assert uow.published == [
        CodeOfConductPublished(
            org_id=ORG, version=1, sha256=code_sha256("Be kind."), published_at=NOW
        ),
        # The default grace period: those who signed version 1 have 30 days for version 2.
        CodeOfConductPublished(
            org_id=ORG,
            version=2,
            sha256=second.sha256,
            published_at=later,
            resign_before=date(2026, 4, 2),
        ),
    ]
    assert current.resign_before == date(2026, 4, 2)


async def test_the_current_text_is_not_published_again(uow: FakeUnitOfWork) -> None:
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    await write_draft(uow, "Be kind.", written_at=NOW)
    with pytest.raises(SameAsCurrentCode, match=r"^This text is the same as version 1, the"):
        await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    # Nothing changed: no version, no event, and the draft is still there to edit.
    assert (await current_code(uow)).version == 1
    assert len(uow.published) == 1
    assert await uow.collection(CODE_DRAFTS).count() == 1
    # A text that differs in a single character is a new version.
    assert (await publish_code(uow, NewCode(text="Be kind!"), published_at=NOW)).version == 2


async def test_the_grace_period_counts_from_the_organisations_day(uow: FakeUnitOfWork) -> None:
    """Published at 23:30 UTC on 5 December, it is 6 December in the Netherlands: the 30 days
    count from there (they counted from UTC's day and ended a day early; CI found it in the
    hour after midnight)."""
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    just_after_midnight = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    await publish_code(uow, NewCode(text="Be kinder."), published_at=just_after_midnight)
    last = uow.published[-1]
    assert isinstance(last, CodeOfConductPublished)
    assert last.resign_before == date(2027, 1, 5)


async def test_the_grace_period_is_the_organisations_setting(uow: FakeUnitOfWork) -> None:
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    await change_settings(uow, OrganisationSettings(resign_grace_days=0))
    await publish_code(uow, NewCode(text="Be kinder."), published_at=NOW)
    # No grace: a signature of version 1 stops counting on the day version 2 comes.
    last = uow.published[-1]
    assert isinstance(last, CodeOfConductPublished) and last.resign_before == NOW.date()
    settings = await read_settings(uow)
    assert (settings.resign_grace_days, settings.volunteer_retention_days) == (0, 730)


async def test_a_version_published_meanwhile_is_refused(
    uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)

    async def as_read_before_the_other_committed(_uow: object) -> None:
        return None

    # A concurrent request read "no code yet" and now finds version 1 taken.
    monkeypatch.setattr(codes_module, "latest_code", as_read_before_the_other_committed)
    with pytest.raises(PublishedMeanwhile, match=r"^Another version was published at the same"):
        await publish_code(uow, NewCode(text="Other."), published_at=NOW)
    assert len(uow.published) == 1


async def test_the_model_code_becomes_the_draft_with_the_name_filled_in(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(NoSuchDraft, match=r"^There is no draft code of conduct\.$"):
        await read_draft(uow)
    draft = await adopt_model_code(uow, "code_of_conduct.nl", adopted_at=NOW)
    model = known_document("code_of_conduct.nl")
    assert (draft.template_id, draft.template_version) == ("code_of_conduct.nl", model.version)
    assert draft.text == model.filled_in("De Club").text
    assert "De Club" in draft.text
    with pytest.raises(DraftExists, match=r"^There is a draft already: edit it, publish it"):
        await adopt_model_code(uow, "code_of_conduct.en", adopted_at=NOW)

    edited = await write_draft(uow, "Our own words.", written_at=NOW + timedelta(hours=1))
    # Edited, it still says which model it came from.
    assert (edited.text, edited.template_id) == ("Our own words.", "code_of_conduct.nl")
    assert await read_draft(uow) == edited

    await delete_draft(uow)
    with pytest.raises(NoSuchDraft):
        await delete_draft(uow)
    scratch = await write_draft(uow, "From scratch.", written_at=NOW)
    assert (scratch.text, scratch.template_id, scratch.template_version) == (
        "From scratch.",
        None,
        None,
    )
    assert uow.published == []


async def test_only_a_known_model_code_is_adopted(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NoSuchTemplate, match=r"^There is no template nope\.$"):
        await adopt_model_code(uow, "nope", adopted_at=NOW)
    with pytest.raises(
        NotAModelCode, match=r"^Template volunteer_agreement\.nl is not a code of conduct; "
    ):
        await adopt_model_code(uow, "volunteer_agreement.nl", adopted_at=NOW)
    assert await uow.collection(CODE_DRAFTS).count() == 0
    # A template for an organisation that is not registered: the organisation is refused first.
    with pytest.raises(UnregisteredOrganisation):
        await filled_in_document(fresh_uow("nobody"), "nope")
    with pytest.raises(NoSuchTemplate):
        await filled_in_document(uow, "nope")
    assert "De Club" in (await filled_in_document(uow, "vcp_profile.en")).text


async def test_signing_again_counts_those_who_signed_and_are_not_rejected(
    uow: FakeUnitOfWork,
) -> None:
    files = [
        {"volunteer_id": "a", "signed_code_version": 1, "decision": {"status": "admitted"}},
        {"volunteer_id": "b", "signed_code_version": 1, "decision": {"status": "rejected"}},
        {"volunteer_id": "c", "signed_code_version": None, "decision": {"status": "pending"}},
    ]
    await uow.collection(ADMISSIONS).insert_many(files)
    assert (await signing_again(uow)).model_dump() == {
        "current_version": None,
        "must_sign_again_on_publish": 1,
        "resign_grace_days": 30,
    }
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    assert (await signing_again(uow)).current_version == 1


async def test_advice_is_asked_by_the_organisation_and_answered_once(
    uow: FakeUnitOfWork,
) -> None:
    question = NewAdviceRequest(topic="incident", question="How do we handle this?")
    created = await request_advice(uow, question, requested_at=NOW)
    assert created.warning == INCIDENT_WARNING
    [stored] = await uow.collection(ADVICE_REQUESTS).find()
    assert (stored["organisation"], stored["status"], stored["answer"]) == ("De Club", "open", None)

    # The operator finds the organisation that asked across organisations.
    requests: Any = uow.database[ADVICE_REQUESTS]
    assert await organisation_asking(requests, created.request_id) == ORG
    with pytest.raises(NoSuchAdviceRequest, match=r"^There is no such advice request\.$"):
        await organisation_asking(requests, "nope")

    appointment = NOW + timedelta(days=3)
    body = AnswerBody(text="Call us.", appointment=appointment)
    answer = await answer_advice_request(uow, created.request_id, body, answered_at=NOW)
    assert (answer.text, answer.appointment, answer.answered_at) == ("Call us.", appointment, NOW)
    with pytest.raises(AlreadyAnswered, match=r"^This advice request has been answered already\.$"):
        await answer_advice_request(uow, created.request_id, body, answered_at=NOW)
    assert uow.published == [
        AdviceRequested(
            org_id=ORG, request_id=created.request_id, advice_topic="incident", requested_at=NOW
        ),
        AdviceAnswered(
            org_id=ORG,
            request_id=created.request_id,
            advice_topic="incident",
            answered_at=NOW,
            appointment=appointment,
        ),
    ]
    [stored] = await uow.collection(ADVICE_REQUESTS).find()
    assert (stored["status"], stored["answer"]["text"]) == ("answered", "Call us.")


async def test_another_organisation_cannot_answer_a_request_it_does_not_hold(
    uow: FakeUnitOfWork,
) -> None:
    question = NewAdviceRequest(topic="admission", question="Which roles need a VOG?")
    created = await request_advice(uow, question, requested_at=NOW)
    assert created.warning is None
    other = uow.for_org("other")
    with pytest.raises(AlreadyAnswered):
        await answer_advice_request(
            other, created.request_id, AnswerBody(text="No."), answered_at=NOW
        )
    [stored] = await uow.collection(ADVICE_REQUESTS).find()
    assert stored["status"] == "open"


async def admitted_volunteer(uow: FakeUnitOfWork, volunteer_id: str, name: str) -> None:
    """A volunteer for the bar, interviewed and signed, as policy's handlers store them."""
    file = AdmissionFile(
        volunteer_id=volunteer_id,
        role_id="bar",
        interview=InterviewOutcome.PROCEED,
        signed_code_version=1,
        last_activity=TODAY,
    )
    await decide_and_store(uow, PolicyFacts(uow), file, TODAY, stored=None)
    await uow.collection(VOLUNTEER_NAMES).update_one(
        {"volunteer_id": volunteer_id}, {"$set": name_fields(name)}
    )


async def test_the_volunteer_list_and_one_volunteers_row(uow: FakeUnitOfWork) -> None:
    await define_role(uow, "bar", HELPER)
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    await admitted_volunteer(uow, "v-2", "Bram")
    await admitted_volunteer(uow, "v-1", "Anna")
    assert [type(e) for e in uow.published][-2:] == [VolunteerAdmitted, VolunteerAdmitted]

    page = await volunteer_page(uow, VolunteerFilter(), page=1, page_size=1, today=TODAY)
    assert (page.total, page.pages, [r.name for r in page.items]) == (2, 2, ["Anna"])
    assert [role.role_id for role in page.roles] == ["bar"]
    row = page.items[0]
    assert (row.stage, row.status, row.missing) == (Stage.ADMITTED, AdmissionStatus.ADMITTED, [])
    assert (row.role_title, row.current_code_version, row.must_sign_again) == (
        "Bar helper",
        1,
        False,
    )
    assert row.admitted_on == TODAY
    second = await volunteer_page(uow, VolunteerFilter(), page=2, page_size=1, today=TODAY)
    assert [r.name for r in second.items] == ["Bram"]
    none = await volunteer_page(
        uow, VolunteerFilter(role_id="coach"), page=1, page_size=50, today=TODAY
    )
    assert (none.total, none.items, none.pages) == (0, [], 1)
    # Nobody must sign again while no code is published: not even a query is needed.
    unpublished = fresh_uow("nobody")
    nobody = await volunteer_page(
        unpublished, VolunteerFilter(must_resign=True), page=1, page_size=50, today=TODAY
    )
    assert (nobody.total, nobody.items) == (0, [])

    assert await volunteer_row(uow, "v-2") == second.items[0]
    file, decision = await decided_file(uow, "v-1")
    assert (file.volunteer_id, decision.status) == ("v-1", AdmissionStatus.ADMITTED)


async def test_a_volunteer_without_a_decision_is_not_found(uow: FakeUnitOfWork) -> None:
    await uow.collection(ADMISSIONS).insert_one(
        {"volunteer_id": "undecided", "role_id": "bar", "last_activity": TODAY.isoformat()}
    )
    for volunteer_id in ("undecided", "nobody"):
        with pytest.raises(NoSuchVolunteer, match=r"^There is no such volunteer\.$"):
            await decided_file(uow, volunteer_id)
        with pytest.raises(NoSuchVolunteer):
            await volunteer_row(uow, volunteer_id)


async def test_the_checklist_counts_what_the_organisation_has_done(uow: FakeUnitOfWork) -> None:
    before = await checklist(uow)
    assert (before.counts.codes_published, before.counts.roles_with_risk_profile) == (0, 0)
    assert before.gratis_vog.missing_pillars == (
        Pillar.CODE_OF_CONDUCT,
        Pillar.VCP,
        Pillar.ADMISSION_POLICY,
    )
    await define_role(uow, "coach", COACH)
    await publish_code(uow, NewCode(text="Be kind."), published_at=NOW)
    await write_draft(uow, "Next version.", written_at=NOW)
    await uow.collection(ADMISSIONS).insert_one(
        {"volunteer_id": "v-1", "role_id": "coach", "interview": "proceed"}
    )
    after = await checklist(uow)
    assert after.org_id == ORG
    counts = after.counts
    assert (counts.codes_published, counts.code_draft, counts.vcps_with_key) == (1, True, 0)
    assert (counts.roles_with_risk_profile, counts.roles_needing_vog) == (1, 1)
    assert counts.interviews_recorded == 1
    assert after.pillars.code_of_conduct.done and after.pillars.admission_policy.done
    assert not after.pillars.vcp.done
    assessment = await gratis_vog(uow)
    assert assessment == after.gratis_vog
    assert assessment.works_with_vulnerable_groups
    assert assessment.missing_pillars == (Pillar.VCP,)


async def test_interviews_of_erased_files_still_count(uow: FakeUnitOfWork) -> None:
    """Interviews recorded = the files holding one + the erased files that held one (the
    erasure sweep counts those), or an organisation's earlier tally where that is larger."""
    for n, interview in enumerate(("proceed", "reject", None)):
        await uow.collection(ADMISSIONS).insert_one(
            {"volunteer_id": f"v-{n}", "role_id": "coach", "interview": interview}
        )
    await uow.collection(POLICY_USAGE).insert_one({"interviews_erased": 3})
    assert (await checklist(uow)).counts.interviews_recorded == 5
    await uow.collection(POLICY_USAGE).update_one({}, {"$set": {"interviews_recorded": 9}})
    assert (await checklist(uow)).counts.interviews_recorded == 9
