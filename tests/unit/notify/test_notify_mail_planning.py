"""From an event and what notify knows to the mails it sends: addresses, language, fields."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.notify.domain.mail_facts import (
    MailAddressing,
    MailFacts,
    Recipient,
    ReportReaders,
    VcpColleague,
    Volunteer,
)
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_planning import (
    MailPlan,
    plan_event_mails,
    plan_owed_colleague_mails,
)
from shared.events import Event
from shared.events.admission import (
    AdmissionBlocked,
    CodeOfConductPublished,
    InterviewRecorded,
    ResignRequired,
    VOGExpiring,
    VOGReceived,
    VOGRequested,
    VolunteerApplied,
    VolunteerRejected,
)
from shared.events.advice import AdviceAnswered, AdviceRequested
from shared.events.reports import (
    IncidentReported,
    ReportDeadlineApproaching,
    ReportMessagePosted,
    VCPAppointed,
    VCPKeySet,
)
from shared.events.trainings import TrainingChangedNotice
from tests.support.sample_events import sample_event

ANNA = Volunteer("Anna de Vries", "anna@example.org", "coach")
FACTS = MailFacts(
    organisation="Sportclub",
    language="en",
    code_version=4,
    volunteer=ANNA,
    role_titles={"coach": "Youth coach"},
    vcp_emails=("v1@example.org", "v2@example.org"),
    coordinator_emails=("c@example.org",),
)


def plan(event_class: type[Event], facts: MailFacts = FACTS, **fields: Any) -> MailPlan:
    return plan_event_mails(sample_event(event_class, **fields), facts)


def test_an_application_mails_applicant_and_coordinators_in_the_orgs_language() -> None:
    result = plan(VolunteerApplied, volunteer_id="v", role_id="coach")
    assert [(m.to, m.kind, m.recipient_role) for m in result.mails] == [
        ("anna@example.org", MailKind.APPLICATION_RECEIVED, Recipient.APPLICANT),
        ("c@example.org", MailKind.NEW_APPLICATION, Recipient.COORDINATOR),
    ]
    assert result.mails[0].subject == "We have received your application"
    assert "Youth coach" in result.mails[0].text and "Sportclub" in result.mails[0].text
    dutch = plan(VolunteerApplied, MailFacts(**{**FACTS.__dict__, "language": "nl"}))
    assert dutch.mails[0].subject == "We hebben je aanmelding ontvangen"


def test_the_first_request_to_sign_names_the_current_code_and_a_resign_its_own_version() -> None:
    (first,) = plan(InterviewRecorded, outcome="proceed").mails
    assert "(version 4)" in first.subject
    (again,) = plan(ResignRequired, version=5).mails
    assert "(version 5)" in again.subject
    assert plan(InterviewRecorded, outcome="doubt").mails == ()


def test_a_request_to_sign_within_a_grace_period_names_the_last_day() -> None:
    (mail,) = plan(ResignRequired, version=5, resign_before=date(2027, 1, 6)).mails
    assert mail.subject == "Please sign the new code of conduct (version 5) by 5 January 2027"
    assert "your signature of the previous version still counts" in mail.text


def test_a_mail_that_cannot_be_written_is_named_as_a_problem_not_raised() -> None:
    unknown_volunteer = MailFacts(organisation="S", language="nl", coordinator_emails=("c@x.org",))
    result = plan(VOGReceived, unknown_volunteer)
    assert result.mails == ()
    assert "unknown" in result.problems[0]
    no_code = MailFacts(**{**FACTS.__dict__, "code_version": None})
    result = plan(InterviewRecorded, no_code, outcome="proceed")
    assert result.mails == () and "code of conduct" in result.problems[0]
    no_coordinators = MailFacts(**{**FACTS.__dict__, "coordinator_emails": ()})
    result = plan(VOGReceived, no_coordinators)
    assert result.mails == () and "coordinator" in result.problems[0]


def test_an_unknown_role_is_named_by_its_id() -> None:
    (mail,) = plan(VOGRequested, role_id="driver", screening_aspects=[84]).mails
    assert "driver" in mail.subject and "84" in mail.text


def test_vcp_mails_hold_the_report_id_and_deadline_and_nothing_else_of_the_event() -> None:
    report_id = str(uuid.uuid4())
    result = plan(
        IncidentReported,
        report_id=report_id,
        envelope={"ciphertext": "SECRET-CIPHERTEXT"},
        mailbox_lookup="SECRET-LOOKUP",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert [m.to for m in result.mails] == ["v1@example.org", "v2@example.org"]
    for mail in result.mails:
        assert report_id in mail.text and "SECRET" not in mail.subject + mail.text
    (missed_one, _) = plan(
        ReportDeadlineApproaching,
        report_id=report_id,
        deadline="feedback",
        due_at=datetime(2026, 4, 30, 23, 30, tzinfo=UTC),
        missed=True,
    ).mails
    assert missed_one.kind is MailKind.DEADLINE_MISSED
    # Report events give their times to the day (issue 19): 23:30 UTC on 30 April becomes
    # 30 April, which the mail names (rather a day early than late for a deadline).
    assert "30 April 2026" in missed_one.text
    (in_may, _) = plan(
        ReportDeadlineApproaching,
        report_id=report_id,
        deadline="feedback",
        due_at=datetime(2026, 5, 1, 0, 0, tzinfo=UTC),
        missed=True,
    ).mails
    assert "1 May 2026" in in_may.text


def test_the_renewal_mail_names_the_date_and_a_rejection_the_role() -> None:
    (renewal,) = plan(VOGExpiring, renewal_due=date(2029, 2, 20)).mails
    assert "20 February 2029" in renewal.text
    (rejected,) = plan(VolunteerRejected).mails
    assert rejected.kind is MailKind.REJECTED and "Youth coach" in rejected.text


def test_the_same_address_twice_gets_one_mail() -> None:
    doubled = MailFacts(**{**FACTS.__dict__, "vcp_emails": ("v@example.org", "v@example.org")})
    result = plan(IncidentReported, doubled, report_id=str(uuid.uuid4()))
    assert [m.to for m in result.mails] == ["v@example.org"]


def test_back_to_pending_is_mailed_only_for_a_volunteer_who_was_admitted() -> None:
    progress = plan(AdmissionBlocked, missing=["code_signature", "vog"])
    assert progress.mails == () and progress.problems == ()
    lapsed = MailFacts(
        **{**FACTS.__dict__, "volunteer": Volunteer("Anna", "a@x.org", "coach", True)}
    )
    (mail,) = plan(AdmissionBlocked, lapsed, missing=["vog"]).mails
    assert mail.to == "c@example.org" and mail.kind is MailKind.VOLUNTEER_BACK_TO_PENDING
    assert "a valid VOG" in mail.text


CENTRE = MailAddressing(
    operator_emails=("centre@example.org", "advice@example.org"),
    web_url="https://safehands.example.org/",
)
ORGANISATION = MailFacts(
    organisation="Sportclub", language="en", admin_emails=("admin@example.org",), addressing=CENTRE
)


def test_a_code_published_without_a_vcp_points_the_admins_to_the_vcp_profile() -> None:
    published = {"version": 1, "sha256": "0" * 64, "published_at": "2026-12-01T10:00:00Z"}

    without_vcp = plan(CodeOfConductPublished, ORGANISATION, **published)
    with_vcp = plan(
        CodeOfConductPublished,
        MailFacts(**{**ORGANISATION.__dict__, "vcp_emails": ("v@example.org",)}),
        **published,
    )

    assert [(m.to, m.kind) for m in without_vcp.mails] == [
        ("admin@example.org", MailKind.CODE_PUBLISHED_WITHOUT_VCP)
    ]
    assert "https://safehands.example.org/admin/toolkit" in without_vcp.mails[0].text
    assert with_vcp.mails == () and with_vcp.problems == ()


def test_an_advice_request_mails_every_operator_address_and_no_question() -> None:
    result = plan(
        AdviceRequested,
        ORGANISATION,
        request_id=str(uuid.uuid4()),
        advice_topic="incident",
        requested_at="2026-12-01T10:00:00Z",
    )

    assert [(m.to, m.kind, m.recipient_role) for m in result.mails] == [
        ("centre@example.org", MailKind.ADVICE_REQUESTED, Recipient.OPERATOR),
        ("advice@example.org", MailKind.ADVICE_REQUESTED, Recipient.OPERATOR),
    ]
    assert "https://safehands.example.org/operator#advice" in result.mails[0].text
    nobody = plan(
        AdviceRequested,
        MailFacts(organisation="Sportclub", language="en"),
        request_id=str(uuid.uuid4()),
        advice_topic="other",
    )
    assert nobody.mails == () and nobody.problems == (
        "no operator address known for a advice_requested mail",
    )


def test_an_answer_with_an_appointment_says_when() -> None:
    base = {
        "request_id": str(uuid.uuid4()),
        "advice_topic": "vcp",
        "answered_at": "2026-12-01T10:00:00Z",
    }

    plain = plan(AdviceAnswered, ORGANISATION, **base, appointment=None)
    meeting = plan(AdviceAnswered, ORGANISATION, **base, appointment="2026-12-08T18:30:00+00:00")

    assert [m.kind for m in plain.mails] == [MailKind.ADVICE_ANSWERED]
    assert [m.kind for m in meeting.mails] == [MailKind.ADVICE_APPOINTMENT_PROPOSED]
    assert "8 December 2026, 19:30" in meeting.mails[0].text
    assert all(m.to == "admin@example.org" for m in plain.mails + meeting.mails)


VCPS = MailFacts(
    organisation="Sportclub",
    language="en",
    vcp_emails=("anna@example.org",),
    vcps=(
        VcpColleague("anna", "Anna Visser", "anna@example.org"),
        VcpColleague("bram", "Bram Visser", "bram@example.org"),
        VcpColleague("carla", "Carla Visser", "carla@example.org"),
    ),
    addressing=CENTRE,
)
FINGERPRINT = "0123456789abcdef0123456789abcdef"


def test_every_other_vcp_hears_of_an_appointment_and_a_key_but_not_the_vcp_themself() -> None:
    person = {"vcp_id": "bram", "name": "Bram Visser", "email": "bram@example.org"}
    invited = plan(VCPAppointed, VCPS, **person, public_key={}, fingerprint="")
    assert [(m.to, m.kind, m.recipient_role) for m in invited.mails] == [
        ("anna@example.org", MailKind.VCP_COLLEAGUE_INVITED, Recipient.OTHER_VCPS),
        ("carla@example.org", MailKind.VCP_COLLEAGUE_INVITED, Recipient.OTHER_VCPS),
    ]
    assert "Bram Visser" in invited.mails[0].text
    assert "https://safehands.example.org/vcp" in invited.mails[0].text

    key = {"suite": "X25519", "key": "k"}
    (with_key, _) = plan(
        VCPAppointed, VCPS, **person, public_key=key, fingerprint=FINGERPRINT
    ).mails
    assert with_key.kind is MailKind.VCP_COLLEAGUE_APPOINTED and FINGERPRINT in with_key.text

    # VCPKeySet carries no name: notify knows it from the appointment.
    key_set = plan(VCPKeySet, VCPS, vcp_id="bram", public_key=key, fingerprint=FINGERPRINT).mails
    assert [m.to for m in key_set] == ["anna@example.org", "carla@example.org"]
    assert "Bram Visser" in key_set[0].text and FINGERPRINT in key_set[0].text


def test_the_first_vcp_has_nobody_to_tell_and_that_is_no_problem() -> None:
    alone = MailFacts(
        organisation="Sportclub",
        language="en",
        vcps=(VcpColleague("anna", "Anna Visser", "anna@example.org"),),
    )
    result = plan(VCPKeySet, alone, vcp_id="anna", public_key={}, fingerprint=FINGERPRINT)
    assert result.mails == () and result.problems == ()


NOON = datetime(2026, 12, 1, 12, tzinfo=UTC)


def roster(*vcps: VcpColleague) -> MailFacts:
    return MailFacts(organisation="Sportclub", language="en", vcps=vcps, addressing=CENTRE)


def colleague(vcp_id: str, minutes: int, fingerprint: str = "", **key: Any) -> VcpColleague:
    """A VCP appointed `minutes` after noon, by the event `<vcp_id>-appointed`."""
    return VcpColleague(
        vcp_id,
        f"{vcp_id.title()} Visser",
        f"{vcp_id}@example.org",
        appointed_at=NOON + timedelta(minutes=minutes),
        appointment_event_id=f"{vcp_id}-appointed",
        appointed_with_fingerprint=fingerprint,
        **key,
    )


def told(
    facts: MailFacts, event_class: type[Event], vcp_id: str, at: datetime, **fields: Any
) -> Any:
    result = plan_event_mails(sample_event(event_class, vcp_id=vcp_id, **fields), facts, at)
    return [(m.to, m.kind) for m in result.mails]


def owed(facts: MailFacts, vcp_id: str) -> list[tuple[str, str, MailKind]]:
    return [
        (o.cause_event_id, o.mail.to, o.mail.kind) for o in plan_owed_colleague_mails(vcp_id, facts)
    ]


def test_each_earlier_vcp_hears_of_a_later_one_once_in_whichever_order_notify_reads_them() -> None:
    # Anna (with a key) is appointed first, Bram (without) a minute later; their events travel
    # on different partitions.
    anna, bram = colleague("anna", 0, FINGERPRINT), colleague("bram", 1)
    appointed = {"public_key": {}, "fingerprint": ""}

    # In order: Bram's appointment tells Anna; Anna's told nobody and is owed nothing.
    assert told(roster(anna), VCPAppointed, "anna", NOON, **appointed) == []
    assert told(roster(anna, bram), VCPAppointed, "bram", bram.appointed_at, **appointed) == [
        ("anna@example.org", MailKind.VCP_COLLEAGUE_INVITED)
    ]
    assert owed(roster(anna, bram), "bram") == []

    # Out of order: Bram first tells nobody, and Bram is not told of Anna, who came first.
    assert told(roster(bram), VCPAppointed, "bram", bram.appointed_at, **appointed) == []
    assert told(roster(anna, bram), VCPAppointed, "anna", NOON, **appointed) == []
    # Anna is owed the mail Bram's appointment would have sent her, under its event id, so
    # that a redelivery or the in-order path can never make it two.
    assert owed(roster(anna, bram), "anna") == [
        ("bram-appointed", "anna@example.org", MailKind.VCP_COLLEAGUE_INVITED)
    ]


def test_a_key_set_before_a_late_read_appointment_is_owed_and_one_set_before_is_not() -> None:
    set_key = {"key_set_event_id": "bram-key", "key_fingerprint": FINGERPRINT}
    # Bram (appointed first, keyless) sets his key at 12:05; Anna was appointed at 12:02,
    # Carla at 12:10, after the key.
    bram = colleague("bram", 0, key_set_at=NOON + timedelta(minutes=5), **set_key)
    anna, carla = colleague("anna", 2), colleague("carla", 10)
    facts = roster(anna, bram, carla)
    # Read in order, Bram's key tells Anna only.
    assert told(facts, VCPKeySet, "bram", bram.key_set_at, fingerprint=FINGERPRINT) == [
        ("anna@example.org", MailKind.VCP_COLLEAGUE_KEY_SET)
    ]
    # Anna's appointment read after it: she is owed the key, and Carla's later appointment.
    assert owed(facts, "anna") == [
        ("bram-key", "anna@example.org", MailKind.VCP_COLLEAGUE_KEY_SET),
        ("carla-appointed", "anna@example.org", MailKind.VCP_COLLEAGUE_INVITED),
    ]
    (key_mail,) = [
        o.mail for o in plan_owed_colleague_mails("anna", facts) if o.cause_event_id == "bram-key"
    ]
    assert "Bram Visser" in key_mail.text and FINGERPRINT in key_mail.text
    # Carla, appointed after the key and after everyone, is owed nothing.
    assert owed(facts, "carla") == []


def test_report_mails_go_to_vcps_with_a_key_and_link_to_their_workspace() -> None:
    report_id = str(uuid.uuid4())
    (mail,) = plan(IncidentReported, VCPS, report_id=report_id).mails
    assert mail.to == "anna@example.org"
    assert mail.text.count("https://safehands.example.org/vcp") == 1
    # Straight to the case (its own address in the web app), by its id alone.
    assert f"https://safehands.example.org/vcp/cases/{report_id}\n" in mail.text


def test_a_report_is_announced_only_to_the_vcps_it_is_sealed_to() -> None:
    sealed_to_anna = {"recipients": [{"key_id": "a" * 32, "sealed_key": "x"}]}
    facts = roster(
        colleague("anna", 0, key_fingerprint="a" * 32),
        colleague("bram", 1, key_fingerprint="b" * 32),
    )
    facts = MailFacts(
        organisation="Sportclub",
        language="en",
        vcps=facts.vcps,
        vcp_emails=("anna@example.org", "bram@example.org"),
        addressing=CENTRE,
    )
    mails = plan(IncidentReported, facts, report_id=str(uuid.uuid4()), envelope=sealed_to_anna)
    assert [m.to for m in mails.mails] == ["anna@example.org"]
    # While notify knows none of the keys sealed to, every VCP with a key hears of it.
    unknown = {"recipients": [{"key_id": "c" * 32, "sealed_key": "x"}]}
    mails = plan(IncidentReported, facts, report_id=str(uuid.uuid4()), envelope=unknown)
    assert [m.to for m in mails.mails] == ["anna@example.org", "bram@example.org"]


def test_a_reporters_message_is_mailed_content_free_to_the_vcps_who_can_read_the_case() -> None:
    """Issue 20 item 5: like a new report, a reporter's message mails the VCPs, only those
    the case was sealed to or handed to, with the report id and the case's link alone; a
    VCP's own reply mails nobody."""
    vcps = roster(
        colleague("anna", 0, key_fingerprint="a" * 32),
        colleague("bram", 1, key_fingerprint="b" * 32),
        colleague("carla", 2, key_fingerprint="c" * 32),
    ).vcps
    report_id = str(uuid.uuid4())

    def facts(readers: ReportReaders | None) -> MailFacts:
        return MailFacts(
            organisation="Sportclub",
            language="en",
            vcps=vcps,
            vcp_emails=("anna@example.org", "bram@example.org", "carla@example.org"),
            addressing=CENTRE,
            report_readers=readers,
        )

    readers = ReportReaders(fingerprints=frozenset({"a" * 32}), vcp_ids=frozenset({"carla"}))
    mails = plan(ReportMessagePosted, facts(readers), report_id=report_id, sender="reporter").mails
    assert [(m.to, m.kind) for m in mails] == [
        ("anna@example.org", MailKind.REPORTER_MESSAGE),
        ("carla@example.org", MailKind.REPORTER_MESSAGE),
    ]
    assert mails[0].subject == "New message on a report in SafeHands"
    assert f"https://safehands.example.org/vcp/cases/{report_id}\n" in mails[0].text
    assert plan(ReportMessagePosted, facts(readers), report_id=report_id, sender="vcp").mails == ()
    # The report's own event not read yet: every VCP with a key, as for a new report.
    unknown = plan(ReportMessagePosted, facts(None), report_id=report_id, sender="reporter")
    assert len(unknown.mails) == 3


def test_a_deadline_is_announced_only_to_the_vcps_of_the_case() -> None:
    """A VCP the reporter left out never hears of the case (issue 24), not from a
    deadline mail either, which would give away its id and a date."""
    facts = roster(
        colleague("anna", 0, key_fingerprint="a" * 32),
        colleague("bram", 1, key_fingerprint="b" * 32),
    )
    facts = MailFacts(
        organisation="Sportclub",
        language="en",
        vcps=facts.vcps,
        vcp_emails=("anna@example.org", "bram@example.org"),
        addressing=CENTRE,
    )
    due = {
        "report_id": str(uuid.uuid4()),
        "deadline": "acknowledge",
        "due_at": datetime(2026, 4, 30, tzinfo=UTC),
        "missed": False,
    }
    mails = plan(ReportDeadlineApproaching, facts, **due, sealed_to=("a" * 32,))
    assert [m.to for m in mails.mails] == ["anna@example.org"]
    # An event from before the reporter chose names no keys: every VCP, as then.
    mails = plan(ReportDeadlineApproaching, facts, **due)
    assert [m.to for m in mails.mails] == ["anna@example.org", "bram@example.org"]


def test_nobody_is_asked_to_sign_a_version_they_signed_already() -> None:
    """Issue 21 item 6: a volunteer who signed before the interview (or on paper), or signed
    the new version at once, gets no "please sign" for it."""
    signed_4 = Volunteer(
        "Anna de Vries", "anna@example.org", "coach", signed_versions=frozenset({4})
    )
    signed = MailFacts(**{**FACTS.__dict__, "volunteer": signed_4})
    assert plan(InterviewRecorded, signed, outcome="proceed").mails == ()
    assert plan(ResignRequired, signed, version=4).mails == ()
    grace = date(2027, 1, 5)
    assert plan(ResignRequired, signed, version=4, resign_before=grace).mails == ()
    # Not yet signed: the mail goes, with its link.
    (asked,) = plan(InterviewRecorded, FACTS, outcome="proceed").mails
    assert asked.kind is MailKind.PLEASE_SIGN_CODE and asked.to == "anna@example.org"
    (newer,) = plan(ResignRequired, signed, version=5, resign_before=grace).mails
    assert newer.kind is MailKind.PLEASE_SIGN_NEW_CODE


def test_a_changed_training_is_mailed_to_the_registrant_in_their_language_with_what_changed() -> (
    None
):
    """The address and language are the registration's (the event's), not the organisation's
    (FACTS writes English); the mail says what changed and the training as it is now."""
    start = datetime(2027, 3, 17, 8, 0, tzinfo=UTC)
    [mail] = plan(
        TrainingChangedNotice,
        email="sem@example.org",
        language="nl",
        title="Basistraining VCP",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place=None,
        online_link="https://meet.example.org/vcp",
        changed=["starts_at", "place", "online_link"],
    ).mails
    assert (mail.kind, mail.to, mail.subject) == (
        MailKind.TRAINING_CHANGED,
        "sem@example.org",
        "Gewijzigd: Basistraining VCP",
    )
    assert "de begintijd, de plaats en de online link van de training" in mail.text
    assert "Begint: 17 maart 2027, 09:00\nEindigt: 17 maart 2027, 12:00" in mail.text
    assert "Waar: https://meet.example.org/vcp\n" in mail.text
    assert "/me#trainings" in mail.text
