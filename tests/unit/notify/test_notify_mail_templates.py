import string
import uuid
from datetime import UTC, date, datetime

import pytest

from services.notify.domain.mail_templates import (
    MAIL_FIELDS,
    VCP_MAIL_KINDS,
    Language,
    MailFieldError,
    MailKind,
    RenderedMail,
    render_mail,
    resolve_language,
)
from services.notify.domain.templates import LanguagePack
from services.notify.domain.templates.en import ENGLISH
from services.notify.domain.templates.nl import DUTCH

REPORT_ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"
VCP_PAGE = "https://safehands.example.org/vcp"
VOLUNTEER_PAGE = "https://safehands.example.org/coordinator/volunteers/v-1"
FINGERPRINT = "0123456789abcdef0123456789abcdef"

SAMPLE_FIELDS: dict[MailKind, dict[str, object]] = {
    MailKind.STAFF_MEMBER_ADDED: {
        "organisation": "Scouting De Esch",
        "member_name": "Bram Bakker",
        "staff_roles": ["admin", "coordinator"],
    },
    MailKind.APPLICATION_RECEIVED: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "role_title": "Leiding welpen",
    },
    MailKind.PLEASE_SIGN_CODE: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "version": 2,
        "link": "http://web.example/me",
    },
    MailKind.PLEASE_SIGN_NEW_CODE: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "version": 2,
        "sign_by": date(2027, 1, 5),
        "link": "http://web.example/me",
    },
    MailKind.VOG_NEEDED: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "role_title": "Leiding welpen",
        "screening_aspects": "84, 85",
    },
    MailKind.VOG_RENEWAL_APPROACHING: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "renewal_date": date(2027, 3, 14),
    },
    MailKind.ADMITTED: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "role_title": "Leiding welpen",
    },
    MailKind.REJECTED: {
        "name": "Sanne de Vries",
        "organisation": "Scouting De Esch",
        "role_title": "Leiding welpen",
    },
    MailKind.NEW_APPLICATION: {
        "volunteer_name": "Sanne de Vries",
        "role_title": "Leiding welpen",
        "link": VOLUNTEER_PAGE,
    },
    MailKind.VOG_RECEIVED: {"volunteer_name": "Sanne de Vries", "link": VOLUNTEER_PAGE},
    MailKind.VOLUNTEER_BACK_TO_PENDING: {
        "volunteer_name": "Sanne de Vries",
        "missing": ["code_signature", "vog"],
        "link": VOLUNTEER_PAGE,
    },
    MailKind.NEW_REPORT: {"report_id": REPORT_ID, "link": VCP_PAGE},
    MailKind.REPORTER_MESSAGE: {"report_id": REPORT_ID, "link": VCP_PAGE},
    MailKind.DEADLINE_APPROACHING: {
        "report_id": REPORT_ID,
        "deadline": "acknowledge",
        "due_on": date(2026, 3, 21),
        "link": VCP_PAGE,
    },
    MailKind.DEADLINE_MISSED: {
        "report_id": REPORT_ID,
        "deadline": "feedback",
        "due_on": date(2026, 6, 14),
        "link": VCP_PAGE,
    },
    MailKind.VCP_COLLEAGUE_APPOINTED: {
        "organisation": "Scouting De Esch",
        "vcp_name": "Dirk Bestuurder",
        "fingerprint": FINGERPRINT,
        "link": VCP_PAGE,
    },
    MailKind.VCP_COLLEAGUE_INVITED: {
        "organisation": "Scouting De Esch",
        "vcp_name": "Bram Visser",
        "link": VCP_PAGE,
    },
    MailKind.VCP_COLLEAGUE_KEY_SET: {
        "organisation": "Scouting De Esch",
        "vcp_name": "Bram Visser",
        "fingerprint": FINGERPRINT,
        "link": VCP_PAGE,
    },
    MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: {
        "webhook_id": "wh_01HZX",
        "url_host": "hooks.example.org",
        "link": "https://safehands.example.org/admin/webhooks",
    },
    MailKind.CODE_PUBLISHED_WITHOUT_VCP: {
        "organisation": "Scouting De Esch",
        "version": 1,
        "link": "https://safehands.example.org/admin/toolkit",
    },
    MailKind.ADVICE_REQUESTED: {
        "organisation": "Scouting De Esch",
        "advice_topic": "incident",
        "link": "https://safehands.example.org/operator#advice",
    },
    MailKind.ADVICE_ANSWERED: {
        "organisation": "Scouting De Esch",
        "advice_topic": "vcp",
        "link": "https://safehands.example.org/admin#advice",
    },
    MailKind.ADVICE_APPOINTMENT_PROPOSED: {
        "organisation": "Scouting De Esch",
        "advice_topic": "admission",
        "link": "https://safehands.example.org/admin#advice",
        "appointment": datetime(2026, 12, 8, 18, 30, tzinfo=UTC),
    },
    **{
        kind: {
            "training_title": "Basistraining VCP",
            "starts_at": datetime(2027, 3, 10, 9, 0, tzinfo=UTC),
            "link": "https://safehands.example.org/me#trainings",
        }
        for kind in (
            MailKind.TRAINING_SEAT_GIVEN,
            MailKind.TRAINING_REMINDER_WEEK,
            MailKind.TRAINING_REMINDER_DAY,
            MailKind.TRAINING_CANCELLED,
        )
    },
    MailKind.TRAINING_CHANGED: {
        "training_title": "Basistraining VCP",
        "starts_at": datetime(2027, 3, 17, 9, 0, tzinfo=UTC),
        "ends_at": datetime(2027, 3, 17, 12, 0, tzinfo=UTC),
        "training_where": ["Utrecht, Stadhuisplein 1", "https://meet.example.org/vcp"],
        "training_changes": ["starts_at", "ends_at"],
        "link": "https://safehands.example.org/me#trainings",
    },
    MailKind.CONSULTATION_INVITED: {
        "organisation": "Scouting De Esch",
        "closes_on": date(2026, 12, 20),
        "link": "https://safehands.example.org/me#consultation",
    },
    MailKind.CONSULTATION_CLOSING_SOON: {
        "organisation": "Scouting De Esch",
        "closes_on": date(2026, 12, 20),
        "link": "https://safehands.example.org/me#consultation",
    },
    MailKind.CONSULTATION_CLOSED: {
        "organisation": "Scouting De Esch",
        "closes_on": date(2026, 12, 21),
        "link": "https://safehands.example.org/me#consultation",
        "people": 0,
        "comments": 0,
    },
    MailKind.NEWS_DIGEST: {
        "organisation": "Scouting De Esch",
        "news_titles": ["Training for new VCPs", "The free VOG scheme opens again"],
        "link": "https://safehands.example.org/admin/news",
    },
}

LANGUAGES = ["nl", "en"]
CONSTANT_PLACEHOLDERS = {"failed_deliveries"}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_kind_has_fields_samples_and_texts_in_both_languages() -> None:
    assert set(MAIL_FIELDS) == set(MailKind) == set(SAMPLE_FIELDS)
    assert set(DUTCH.templates) == set(ENGLISH.templates) == set(MailKind)


@pytest.mark.parametrize("pack", [DUTCH, ENGLISH], ids=["nl", "en"])
@pytest.mark.parametrize("kind", list(MailKind))
def test_templates_use_exactly_the_fields_of_their_kind(kind: MailKind, pack: LanguagePack) -> None:
    template = pack.templates[kind]
    used = placeholders(template.subject) | placeholders(template.text)
    assert used - CONSTANT_PLACEHOLDERS == MAIL_FIELDS[kind]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(MailKind))
def test_every_kind_renders_in_both_languages(kind: MailKind, language: str) -> None:
    mail = render_mail(kind, language, **SAMPLE_FIELDS[kind])

    assert isinstance(mail, RenderedMail)
    assert mail.subject.strip() and "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.text.startswith(("Hallo", "Hello")) and mail.text.endswith("\n")
    assert "{" not in mail.subject + mail.text and "}" not in mail.subject + mail.text
    for name, value in SAMPLE_FIELDS[kind].items():
        # A topic is named in the mail's language, not by its code.
        if isinstance(value, str) and kind not in VCP_MAIL_KINDS and name != "advice_topic":
            assert value in mail.subject + mail.text


@pytest.mark.parametrize(
    ("language", "topic", "named"),
    [("nl", "vcp", "de vertrouwenscontactpersoon"), ("en", "admission", "the admission policy")],
)
def test_advice_mails_name_the_topic_and_link_but_hold_no_text(
    language: str, topic: str, named: str
) -> None:
    fields = {**SAMPLE_FIELDS[MailKind.ADVICE_ANSWERED], "advice_topic": topic}
    mail = render_mail(MailKind.ADVICE_ANSWERED, language, **fields)

    assert named in mail.text
    assert "https://safehands.example.org/admin#advice" in mail.text
    with pytest.raises(MailFieldError):
        render_mail(MailKind.ADVICE_ANSWERED, language, **fields, question="Who did what?")
    with pytest.raises(MailFieldError):
        render_mail(MailKind.ADVICE_ANSWERED, language, **{**fields, "link": "javascript:x"})


def test_an_appointment_is_shown_in_dutch_time() -> None:
    mail = render_mail(
        MailKind.ADVICE_APPOINTMENT_PROPOSED,
        "en",
        **SAMPLE_FIELDS[MailKind.ADVICE_APPOINTMENT_PROPOSED],
    )
    assert "8 December 2026, 19:30" in mail.subject


@pytest.mark.parametrize("kind", list(MailKind))
def test_dutch_and_english_differ(kind: MailKind) -> None:
    dutch = render_mail(kind, "nl", **SAMPLE_FIELDS[kind])
    english = render_mail(kind, "en", **SAMPLE_FIELDS[kind])
    assert dutch.subject != english.subject and dutch.text != english.text


def test_a_few_texts_read_as_intended() -> None:
    vog = render_mail(MailKind.VOG_NEEDED, "nl", **SAMPLE_FIELDS[MailKind.VOG_NEEDED])
    assert vog.subject == "Je hebt een VOG nodig voor de rol Leiding welpen"
    assert "screening op 84, 85" in vog.text
    assert vog.text.endswith("Met vriendelijke groet,\nScouting De Esch\n")

    disabled = render_mail(
        MailKind.WEBHOOK_SUBSCRIPTION_DISABLED,
        "en",
        **SAMPLE_FIELDS[MailKind.WEBHOOK_SUBSCRIPTION_DISABLED],
    )
    assert disabled.subject == "Webhook disabled: hooks.example.org"
    assert "5 deliveries in a row failed" in disabled.text


@pytest.mark.parametrize("kind", list(MailKind))
def test_a_missing_field_is_named_in_the_error(kind: MailKind) -> None:
    for left_out in MAIL_FIELDS[kind]:
        fields = {k: v for k, v in SAMPLE_FIELDS[kind].items() if k != left_out}
        with pytest.raises(MailFieldError, match=f"needs the field.*'{left_out}'"):
            render_mail(kind, "nl", **fields)


@pytest.mark.parametrize("kind", list(MailKind))
def test_an_unexpected_field_is_refused_for_every_kind(kind: MailKind) -> None:
    with pytest.raises(MailFieldError, match="'typo'"):
        render_mail(kind, "nl", **SAMPLE_FIELDS[kind], typo="x")


@pytest.mark.parametrize(
    "content_field", ["description", "category", "text", "contact", "location", "name", "body"]
)
@pytest.mark.parametrize("kind", sorted(VCP_MAIL_KINDS))
def test_vcp_mails_refuse_any_extra_field(kind: MailKind, content_field: str) -> None:
    with pytest.raises(MailFieldError, match="never carry anything about a report's content"):
        render_mail(kind, "en", **SAMPLE_FIELDS[kind], **{content_field: "pesten in de kantine"})


def test_vcp_mails_are_for_vcps_only_and_take_only_ids_deadlines_and_dates() -> None:
    vcp_kinds = {
        MailKind.NEW_REPORT,
        MailKind.REPORTER_MESSAGE,
        MailKind.DEADLINE_APPROACHING,
        MailKind.DEADLINE_MISSED,
    }
    assert vcp_kinds == VCP_MAIL_KINDS
    for kind in VCP_MAIL_KINDS:
        # The link is the VCP's workspace, the same in every mail (notify's setting).
        assert MAIL_FIELDS[kind] <= {"report_id", "deadline", "due_on", "link"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(VCP_MAIL_KINDS))
def test_vcp_mails_vary_only_by_report_id(kind: MailKind, language: str) -> None:
    def rendered_with(report_id: str) -> str:
        mail = render_mail(kind, language, **{**SAMPLE_FIELDS[kind], "report_id": report_id})
        assert report_id in mail.text
        return (mail.subject + "\n" + mail.text).replace(report_id, "<report id>")

    ids = [str(uuid.uuid4()) for _ in range(5)]
    assert len({rendered_with(report_id) for report_id in ids}) == 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(VCP_MAIL_KINDS))
def test_vcp_mails_contain_nothing_but_fixed_text_the_id_the_deadline_and_the_date(
    kind: MailKind, language: str
) -> None:
    pack = DUTCH if language == "nl" else ENGLISH
    mail = render_mail(kind, language, **SAMPLE_FIELDS[kind])
    residue = mail.subject + mail.text
    residue = residue.replace(REPORT_ID, "").replace(VCP_PAGE, "")
    for label in pack.deadline_names.values():
        residue = residue.replace(label, "")
    due_on = SAMPLE_FIELDS[kind].get("due_on")
    if isinstance(due_on, date):
        residue = residue.replace(
            f"{due_on.day} {pack.month_names[due_on.month - 1]} {due_on.year}", ""
        )
    template = pack.templates[kind]
    fixed_text = "".join(
        literal for literal, _, _, _ in string.Formatter().parse(template.subject + template.text)
    )
    assert residue == fixed_text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("report_id", "pesten in de kantine"),
        ("report_id", 42),
        ("deadline", "tomorrow, about the bullying"),
        ("deadline", 1),
        ("due_on", "next week, when the coach is back"),
        ("due_on", 20260321),
    ],
)
def test_vcp_fields_must_be_an_id_a_known_deadline_and_a_date(field: str, value: object) -> None:
    fields = {**SAMPLE_FIELDS[MailKind.DEADLINE_APPROACHING], field: value}
    with pytest.raises(MailFieldError, match=field):
        render_mail(MailKind.DEADLINE_APPROACHING, "nl", **fields)


def test_vcp_fields_accept_their_wire_forms() -> None:
    mail = render_mail(
        MailKind.DEADLINE_MISSED,
        "nl",
        report_id=uuid.UUID(REPORT_ID.upper()),
        deadline="feedback",
        due_on="2026-06-14",
        link=VCP_PAGE,
    )
    assert mail.text.splitlines()[2] == (
        f"Voor melding {REPORT_ID} is de termijn voor de terugkoppeling verstreken op 14 juni 2026."
    )


def test_deadline_instants_are_shown_as_dutch_calendar_dates() -> None:
    # 23:30 UTC on 20 March is already 21 March in Amsterdam.
    mail = render_mail(
        MailKind.DEADLINE_APPROACHING,
        "en",
        report_id=REPORT_ID,
        deadline="acknowledge",
        due_on=datetime(2026, 3, 20, 23, 30, tzinfo=UTC),
        link=VCP_PAGE,
    )
    assert "The deadline for acknowledging receipt on report" in mail.text
    assert "is 21 March 2026." in mail.text


def test_dates_are_written_out_per_language() -> None:
    fields = SAMPLE_FIELDS[MailKind.VOG_RENEWAL_APPROACHING]
    assert (
        "uiterlijk op 14 maart 2027"
        in render_mail(MailKind.VOG_RENEWAL_APPROACHING, "nl", **fields).text
    )
    assert "by 14 March 2027" in render_mail(MailKind.VOG_RENEWAL_APPROACHING, "en", **fields).text


def test_screening_aspects_may_be_a_list_of_numbers() -> None:
    fields = {**SAMPLE_FIELDS[MailKind.VOG_NEEDED], "screening_aspects": [84, 85]}
    # By number and name, as the VOG shows them (issue 21 item 6).
    assert (
        "screening op 84: omgang met minderjarigen en 85: zorg voor hulpbehoevende personen."
        in render_mail(MailKind.VOG_NEEDED, "nl", **fields).text
    )
    assert (
        "screened for 84: dealing with minors and 85: care for people in need of help."
        in render_mail(MailKind.VOG_NEEDED, "en", **fields).text
    )
    unknown = {**fields, "screening_aspects": [84, 99]}
    assert (
        "84: omgang met minderjarigen en 99."
        in render_mail(MailKind.VOG_NEEDED, "nl", **unknown).text
    )
    with pytest.raises(MailFieldError):
        render_mail(MailKind.VOG_NEEDED, "nl", **{**fields, "screening_aspects": []})


def test_missing_steps_are_named_in_words() -> None:
    kind = MailKind.VOLUNTEER_BACK_TO_PENDING
    dutch = render_mail(
        kind, "nl", volunteer_name="Sanne", link=VOLUNTEER_PAGE, missing=["interview", "vog"]
    )
    assert "Nog nodig: een kennismakingsgesprek en een geldige VOG." in dutch.text
    english = render_mail(
        kind, "en", volunteer_name="Sanne", link=VOLUNTEER_PAGE, missing=["code_signature"]
    )
    assert "Still needed: a signature of the current code of conduct." in english.text
    unknown = render_mail(
        kind, "en", volunteer_name="Sanne", link=VOLUNTEER_PAGE, missing=["training"]
    )
    assert "Still needed: training." in unknown.text
    with pytest.raises(MailFieldError):
        render_mail(kind, "en", volunteer_name="Sanne", link=VOLUNTEER_PAGE, missing="vog")


@pytest.mark.parametrize("version", [0, -1, True, "2", 2.0])
def test_the_code_version_must_be_a_whole_number_from_one(version: object) -> None:
    fields = {**SAMPLE_FIELDS[MailKind.PLEASE_SIGN_CODE], "version": version}
    with pytest.raises(MailFieldError, match="version"):
        render_mail(MailKind.PLEASE_SIGN_CODE, "nl", **fields)


def test_line_breaks_in_names_cannot_reach_the_subject_header() -> None:
    mail = render_mail(
        MailKind.NEW_APPLICATION,
        "nl",
        volunteer_name="Eve\r\nBcc: everyone@example.org",
        role_title="Leiding",
        link=VOLUNTEER_PAGE,
    )
    assert mail.subject == "Nieuwe aanmelding: Eve Bcc: everyone@example.org"


@pytest.mark.parametrize("value", ["", "   ", None, 7])
def test_text_fields_must_be_non_empty_text(value: object) -> None:
    with pytest.raises(MailFieldError, match="volunteer_name"):
        render_mail(MailKind.VOG_RECEIVED, "nl", volunteer_name=value, link=VOLUNTEER_PAGE)


@pytest.mark.parametrize(
    ("preference", "language"),
    [
        ("nl", Language.DUTCH),
        ("en", Language.ENGLISH),
        ("EN", Language.ENGLISH),
        ("en-GB", Language.ENGLISH),
        ("en_US", Language.ENGLISH),
        ("nl-BE", Language.DUTCH),
        ("de", Language.DUTCH),
        ("", Language.DUTCH),
        (None, Language.DUTCH),
    ],
)
def test_languages_fall_back_to_dutch(preference: str | None, language: Language) -> None:
    assert resolve_language(preference) == language


def test_kind_may_be_given_by_its_name() -> None:
    fields = SAMPLE_FIELDS[MailKind.NEW_REPORT]
    by_name = render_mail("new_report", "en", **fields)  # type: ignore[arg-type]
    assert by_name == render_mail(MailKind.NEW_REPORT, "en", **fields)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [MailKind.VCP_COLLEAGUE_APPOINTED, MailKind.VCP_COLLEAGUE_KEY_SET])
def test_colleague_mails_name_the_vcp_and_the_fingerprint_and_refuse_anything_else(
    kind: MailKind, language: str
) -> None:
    mail = render_mail(kind, language, **SAMPLE_FIELDS[kind])
    assert "Dirk Bestuurder" in mail.text or "Bram Visser" in mail.text
    assert FINGERPRINT in mail.text and VCP_PAGE in mail.text
    for bad in ("not a fingerprint", FINGERPRINT.upper(), FINGERPRINT[:-1], 42):
        with pytest.raises(MailFieldError, match="fingerprint"):
            render_mail(kind, language, **{**SAMPLE_FIELDS[kind], "fingerprint": bad})
    with pytest.raises(MailFieldError):
        render_mail(kind, language, **SAMPLE_FIELDS[kind], email="dirk@example.org")


# The mails that ask their reader to do something, each with the page to do it on (issue 21
# item 1). A mail that only informs (received, admitted, a VOG needed from Justis, a new
# colleague) needs none.
ACTION_KINDS = {
    MailKind.PLEASE_SIGN_CODE,
    MailKind.PLEASE_SIGN_NEW_CODE,
    MailKind.NEW_APPLICATION,
    MailKind.VOG_RECEIVED,
    MailKind.VOLUNTEER_BACK_TO_PENDING,
    MailKind.NEW_REPORT,
    MailKind.DEADLINE_APPROACHING,
    MailKind.DEADLINE_MISSED,
    MailKind.WEBHOOK_SUBSCRIPTION_DISABLED,
    MailKind.CODE_PUBLISHED_WITHOUT_VCP,
    MailKind.ADVICE_REQUESTED,
    MailKind.ADVICE_ANSWERED,
    MailKind.ADVICE_APPOINTMENT_PROPOSED,
    MailKind.CONSULTATION_INVITED,
    MailKind.CONSULTATION_CLOSING_SOON,
    MailKind.NEWS_DIGEST,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(ACTION_KINDS))
def test_every_mail_that_asks_for_an_action_links_to_its_page(
    kind: MailKind, language: str
) -> None:
    assert "link" in MAIL_FIELDS[kind]
    mail = render_mail(kind, language, **SAMPLE_FIELDS[kind])
    assert str(SAMPLE_FIELDS[kind]["link"]) in mail.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_news_digest_lists_each_title_on_a_line_of_its_own(language: str) -> None:
    mail = render_mail(
        MailKind.NEWS_DIGEST,
        language,
        **{**SAMPLE_FIELDS[MailKind.NEWS_DIGEST], "news_titles": ["One\nBcc: x@evil", "Two"]},
    )
    assert "- One Bcc: x@evil\n- Two\n" in mail.text
    with pytest.raises(MailFieldError, match="titles"):
        render_mail(
            MailKind.NEWS_DIGEST,
            language,
            **{**SAMPLE_FIELDS[MailKind.NEWS_DIGEST], "news_titles": []},
        )
