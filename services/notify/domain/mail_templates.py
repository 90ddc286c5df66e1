"""Plain-text mails in Dutch (the default) and English.

Every kind takes exactly the fields listed in MAIL_FIELDS: a missing one and an unexpected
one are both errors. For the VCP mails this is the safeguard that keeps a report's content
out of email: they take a report id, a deadline and a date, each checked for its type, so
there is no field that free text could travel in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.notify.domain.mail_kinds import (
    DEFAULT_LANGUAGE,
    AdviceTopic,
    Deadline,
    Language,
    MailKind,
)
from services.notify.domain.retry_schedule import (
    SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES,
)
from services.notify.domain.templates import LanguagePack
from services.notify.domain.templates.en import ENGLISH
from services.notify.domain.templates.nl import DUTCH

__all__ = [
    "DEFAULT_LANGUAGE",
    "MAIL_FIELDS",
    "VCP_MAIL_KINDS",
    "Deadline",
    "Language",
    "MailFieldError",
    "MailKind",
    "RenderedMail",
    "render_mail",
    "resolve_language",
]

_APPLICANT = frozenset({"name", "organisation"})
# The link is the VCP's workspace (<web>/vcp), from notify's settings, never from an event.
_REPORT_DEADLINE = frozenset({"report_id", "deadline", "due_on", "link"})
# Who was appointed or set a key, not what they can read.
_VCP_COLLEAGUE = frozenset({"organisation", "vcp_name", "link"})
# A topic and a link, never the question or the answer.
_ADVICE = frozenset({"organisation", "advice_topic", "link"})
# A training's title and start, and the page of one's registrations.
_TRAINING = frozenset({"training_title", "starts_at", "link"})

_CONSULTATION = frozenset({"organisation", "closes_on", "link"})

MAIL_FIELDS: Mapping[MailKind, frozenset[str]] = {
    MailKind.APPLICATION_RECEIVED: _APPLICANT | {"role_title"},
    MailKind.PLEASE_SIGN_CODE: _APPLICANT | {"version", "link"},
    MailKind.PLEASE_SIGN_NEW_CODE: _APPLICANT | {"version", "sign_by", "link"},
    MailKind.VOG_NEEDED: _APPLICANT | {"role_title", "screening_aspects"},
    MailKind.VOG_RENEWAL_APPROACHING: _APPLICANT | {"renewal_date"},
    MailKind.ADMITTED: _APPLICANT | {"role_title"},
    MailKind.REJECTED: _APPLICANT | {"role_title"},
    # The coordinator's mails link to the volunteer's detail (<web>/coordinator/volunteers/<id>).
    MailKind.NEW_APPLICATION: frozenset({"volunteer_name", "role_title", "link"}),
    MailKind.VOG_RECEIVED: frozenset({"volunteer_name", "link"}),
    MailKind.VOLUNTEER_BACK_TO_PENDING: frozenset({"volunteer_name", "missing", "link"}),
    MailKind.NEW_REPORT: frozenset({"report_id", "link"}),
    MailKind.REPORTER_MESSAGE: frozenset({"report_id", "link"}),
    MailKind.DEADLINE_APPROACHING: _REPORT_DEADLINE,
    MailKind.DEADLINE_MISSED: _REPORT_DEADLINE,
    MailKind.VCP_COLLEAGUE_APPOINTED: _VCP_COLLEAGUE | {"fingerprint"},
    MailKind.VCP_COLLEAGUE_INVITED: _VCP_COLLEAGUE,
    MailKind.VCP_COLLEAGUE_KEY_SET: _VCP_COLLEAGUE | {"fingerprint"},
    MailKind.STAFF_MEMBER_ADDED: frozenset({"organisation", "member_name", "staff_roles"}),
    MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: frozenset({"webhook_id", "url_host", "link"}),
    MailKind.CODE_PUBLISHED_WITHOUT_VCP: frozenset({"organisation", "version", "link"}),
    MailKind.ADVICE_REQUESTED: _ADVICE,
    MailKind.ADVICE_ANSWERED: _ADVICE,
    MailKind.ADVICE_APPOINTMENT_PROPOSED: _ADVICE | {"appointment"},
    MailKind.TRAINING_SEAT_GIVEN: _TRAINING,
    MailKind.TRAINING_REMINDER_WEEK: _TRAINING,
    MailKind.TRAINING_REMINDER_DAY: _TRAINING,
    MailKind.TRAINING_CANCELLED: _TRAINING,
    # What changed, and the training as it is now: when, until when, where.
    MailKind.TRAINING_CHANGED: _TRAINING | {"ends_at", "training_where", "training_changes"},
    # The organisation's name and the days; the result's counts; never the draft or a comment.
    MailKind.CONSULTATION_INVITED: _CONSULTATION,
    MailKind.CONSULTATION_CLOSING_SOON: _CONSULTATION,
    MailKind.CONSULTATION_CLOSED: _CONSULTATION | {"people", "comments"},
    # Titles and where to read the items, never their text: that stays behind a sign-in.
    MailKind.NEWS_DIGEST: frozenset({"organisation", "news_titles", "link"}),
}

VCP_MAIL_KINDS = frozenset(
    {
        MailKind.NEW_REPORT,
        MailKind.REPORTER_MESSAGE,
        MailKind.DEADLINE_APPROACHING,
        MailKind.DEADLINE_MISSED,
    }
)

# Filled in by us, not by the caller.
_CONSTANTS: Mapping[str, str] = {
    "failed_deliveries": str(SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES),
}

# Deadlines travel as UTC instants; the people reading the mail live in the Netherlands, and
# near midnight the UTC date would be a day off.
_RECIPIENTS_TIME_ZONE = ZoneInfo("Europe/Amsterdam")

_LANGUAGE_PACKS: Mapping[Language, LanguagePack] = {
    Language.DUTCH: DUTCH,
    Language.ENGLISH: ENGLISH,
}


class MailFieldError(ValueError):
    """A mail was asked for with a missing, unexpected or malformed field."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str


def resolve_language(language: str | None) -> Language:
    """Map a preference such as "en", "EN" or "en-GB" to a language we write; else Dutch.

    A mail in the default language is better than no mail at all.
    """
    primary = (language or "").strip().lower().replace("_", "-").split("-")[0]
    try:
        return Language(primary)
    except ValueError:
        return DEFAULT_LANGUAGE


def render_mail(kind: MailKind, language: str, **fields: object) -> RenderedMail:
    """Return the subject and plain-text body of a `kind` mail in `language`.

    Raises MailFieldError when a field is missing, unexpected or of the wrong shape.
    """
    kind = MailKind(kind)
    expected = MAIL_FIELDS[kind]
    missing = expected - fields.keys()
    if missing:
        raise MailFieldError(f"A {kind} mail needs the field(s) {_names(missing)}.")
    unexpected = fields.keys() - expected
    if unexpected:
        why = (
            " Mails to a VCP never carry anything about a report's content."
            if (kind in VCP_MAIL_KINDS)
            else ""
        )
        raise MailFieldError(
            f"A {kind} mail takes only {_names(expected)}; it got {_names(unexpected)}.{why}"
        )

    pack = _LANGUAGE_PACKS[resolve_language(language)]
    values = dict(_CONSTANTS)
    for name, value in fields.items():
        try:
            values[name] = _FORMATTERS[name](value, pack)
        except (TypeError, ValueError) as error:
            raise MailFieldError(f"Field {name!r} of a {kind} mail: {error}") from error
    template = pack.templates[kind]
    return RenderedMail(
        subject=template.subject.format_map(values), text=template.text.format_map(values)
    )


def _names(names: frozenset[str] | set[str] | Sequence[str]) -> str:
    return ", ".join(repr(name) for name in sorted(names))


def _single_line_text(value: object, pack: LanguagePack) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}.")
    # Names end up in the subject header too, where a line break would let a caller add
    # headers of their own; and a tidy single line reads better in the body as well.
    text = " ".join(value.split())
    if not text:
        raise ValueError("it is empty.")
    return text


def _positive_whole_number(value: object, pack: LanguagePack) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number from 1, got {value!r}.")
    return str(value)


def _count(value: object, pack: LanguagePack) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number from 0, got {value!r}.")
    return str(value)


def _calendar_date(value: object, pack: LanguagePack) -> str:
    if isinstance(value, datetime):
        day = value.astimezone(_RECIPIENTS_TIME_ZONE).date() if value.tzinfo else value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        day = date.fromisoformat(value)
    else:
        raise TypeError(f"expected a date, got {type(value).__name__}.")
    return f"{day.day} {pack.month_names[day.month - 1]} {day.year}"


def _date_and_time(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError(f"expected a date and time with a time zone, got {value!r}.")
    local = value.astimezone(_RECIPIENTS_TIME_ZONE)
    return f"{_calendar_date(local, pack)}, {local:%H:%M}"


def _web_link(value: object, pack: LanguagePack) -> str:
    link = _single_line_text(value, pack)
    if not link.startswith(("http://", "https://")) or " " in link:
        raise ValueError(f"expected a web address, got {value!r}.")
    return link


def _fingerprint(value: object, pack: LanguagePack) -> str:
    if not isinstance(value, str) or len(value) != 32 or value.strip("0123456789abcdef"):
        raise ValueError(f"expected a key fingerprint (32 hex digits), got {value!r}.")
    return value


def _advice_topic(value: object, pack: LanguagePack) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected an advice topic, got {type(value).__name__}.")
    return pack.advice_topic_names[AdviceTopic(value)]


def _report_id(value: object, pack: LanguagePack) -> str:
    # Parsing as a UUID guarantees the value is an identifier and nothing else.
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        return str(uuid.UUID(value))
    raise TypeError(f"expected a UUID, got {type(value).__name__}.")


def _deadline(value: object, pack: LanguagePack) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected 'acknowledge' or 'feedback', got {type(value).__name__}.")
    return pack.deadline_names[Deadline(value)]


def _screening_aspects(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str):
        return _single_line_text(value, pack)
    if (
        isinstance(value, Sequence)
        and value
        and all(isinstance(aspect, int) and not isinstance(aspect, bool) for aspect in value)
    ):
        # By number and name, as on the VOG itself: "84: omgang met minderjarigen".
        return _join(pack, [_aspect(aspect, pack) for aspect in value])
    raise ValueError(f"expected text such as '84, 85' or a list of numbers, got {value!r}.")


def _aspect(number: int, pack: LanguagePack) -> str:
    name = pack.screening_aspect_names.get(number)
    return f"{number}: {name}" if name else str(number)


def _admission_steps(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"expected a non-empty list of steps, got {value!r}.")
    steps = [_single_line_text(step, pack) for step in value]
    # An unknown step is shown as its code: a slightly odd mail beats a lost one.
    return _join(pack, [pack.admission_step_names.get(step, step) for step in steps])


def _staff_roles(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"expected a non-empty list of roles, got {value!r}.")
    return _join(pack, [pack.staff_role_names[str(role)] for role in value])


def _news_titles(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"expected a non-empty list of titles, got {value!r}.")
    # One title a line, each on one line: a title never adds lines of its own to a mail.
    return "\n".join(f"- {_single_line_text(title, pack)}" for title in value)


def _training_where(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"expected a place, an online link or both, got {value!r}.")
    return _join(pack, [_single_line_text(where, pack) for where in value])


def _training_changes(value: object, pack: LanguagePack) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"expected a non-empty list of what changed, got {value!r}.")
    return _join(pack, [pack.training_detail_names[str(detail)] for detail in value])


def _join(pack: LanguagePack, items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {pack.final_conjunction} {items[-1]}"


_FORMATTERS: Mapping[str, Callable[[object, LanguagePack], str]] = {
    "name": _single_line_text,
    "organisation": _single_line_text,
    "role_title": _single_line_text,
    "volunteer_name": _single_line_text,
    "vcp_name": _single_line_text,
    "member_name": _single_line_text,
    "staff_roles": _staff_roles,
    "fingerprint": _fingerprint,
    "webhook_id": _single_line_text,
    "url_host": _single_line_text,
    "version": _positive_whole_number,
    "renewal_date": _calendar_date,
    "sign_by": _calendar_date,
    "due_on": _calendar_date,
    "report_id": _report_id,
    "deadline": _deadline,
    "screening_aspects": _screening_aspects,
    "missing": _admission_steps,
    "link": _web_link,
    "advice_topic": _advice_topic,
    "appointment": _date_and_time,
    "training_title": _single_line_text,
    "starts_at": _date_and_time,
    "ends_at": _date_and_time,
    "training_where": _training_where,
    "training_changes": _training_changes,
    "closes_on": _calendar_date,
    "people": _count,
    "comments": _count,
    "news_titles": _news_titles,
}
