"""Mail texts per language. Each language module defines one LanguagePack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.notify.domain.mail_kinds import AdviceTopic, Deadline, MailKind


@dataclass(frozen=True)
class MailTemplate:
    """A subject line and a plain-text body with `{field}` placeholders (str.format)."""

    subject: str
    text: str


@dataclass(frozen=True)
class LanguagePack:
    templates: Mapping[MailKind, MailTemplate]
    deadline_names: Mapping[Deadline, str]
    # Keyed by the admission API's `missing` values: "interview", "code_signature", "vog".
    admission_step_names: Mapping[str, str]
    advice_topic_names: Mapping[AdviceTopic, str]
    # Keyed by identity's staff roles: "admin", "coordinator".
    staff_role_names: Mapping[str, str]
    month_names: tuple[str, ...]
    # Justis's screening aspects by number, named as the mail shows them ("84: …").
    screening_aspect_names: Mapping[int, str]
    # The word before the last item of a list: "a, b and c".
    final_conjunction: str
    # Keyed by what of a training changed (shared/events/trainings.TrainingDetail), as
    # "the centre has changed … of the training" reads.
    training_detail_names: Mapping[str, str]
