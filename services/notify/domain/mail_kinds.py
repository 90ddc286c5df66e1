"""The vocabulary mails are built from: which mail, in which language, about which deadline."""

from __future__ import annotations

from enum import StrEnum

from shared.domain.case_deadlines import Deadline

__all__ = ["DEFAULT_LANGUAGE", "AdviceTopic", "Deadline", "Language", "MailKind"]


class MailKind(StrEnum):
    # To the applicant or volunteer.
    APPLICATION_RECEIVED = "application_received"
    PLEASE_SIGN_CODE = "please_sign_code"
    # A new version while the previous signature still counts for a grace period.
    PLEASE_SIGN_NEW_CODE = "please_sign_new_code"
    VOG_NEEDED = "vog_needed"
    VOG_RENEWAL_APPROACHING = "vog_renewal_approaching"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    # To the coordinator.
    NEW_APPLICATION = "new_application"
    VOG_RECEIVED = "vog_received"
    VOLUNTEER_BACK_TO_PENDING = "volunteer_back_to_pending"
    # To a confidential contact person (VCP): never anything about a report's content.
    NEW_REPORT = "new_report"
    REPORTER_MESSAGE = "reporter_message"
    DEADLINE_APPROACHING = "deadline_approaching"
    DEADLINE_MISSED = "deadline_missed"
    # To every other VCP of the organisation, so that nobody (a board member appointing
    # themself, say) becomes a recipient of reports unseen: who, and the key's fingerprint.
    VCP_COLLEAGUE_APPOINTED = "vcp_colleague_appointed"
    VCP_COLLEAGUE_INVITED = "vcp_colleague_invited"
    VCP_COLLEAGUE_KEY_SET = "vcp_colleague_key_set"
    # To the organisation's admins and every VCP, so that nobody gains an admin's or a
    # coordinator's powers unseen: who, and which roles; no link, nothing else.
    STAFF_MEMBER_ADDED = "staff_member_added"
    # To the organisation's admin.
    WEBHOOK_SUBSCRIPTION_DISABLED = "webhook_subscription_disabled"
    CODE_PUBLISHED_WITHOUT_VCP = "code_published_without_vcp"
    ADVICE_ANSWERED = "advice_answered"
    ADVICE_APPOINTMENT_PROPOSED = "advice_appointment_proposed"
    # To those invited to comment on the draft code: the organisation and the days only.
    CONSULTATION_INVITED = "consultation_invited"
    CONSULTATION_CLOSING_SOON = "consultation_closing_soon"
    CONSULTATION_CLOSED = "consultation_closed"
    # The regional centre's news of the past week, when the admin asked for it: titles only.
    NEWS_DIGEST = "news_digest"
    # To the regional centre (the operator): never the question itself.
    ADVICE_REQUESTED = "advice_requested"
    # To a member registered for one of the centre's trainings, at the address they gave.
    TRAINING_SEAT_GIVEN = "training_seat_given"
    TRAINING_REMINDER_WEEK = "training_reminder_week"
    TRAINING_REMINDER_DAY = "training_reminder_day"
    TRAINING_CANCELLED = "training_cancelled"
    # Its time, end, place or online link changed: what it is now.
    TRAINING_CHANGED = "training_changed"


class Language(StrEnum):
    DUTCH = "nl"
    ENGLISH = "en"


DEFAULT_LANGUAGE = Language.DUTCH


class AdviceTopic(StrEnum):
    """The topics of an advice request (docs/api.md, "policy: starter documents and advice")."""

    CODE_OF_CONDUCT = "code_of_conduct"
    VCP = "vcp"
    ADMISSION = "admission"
    INCIDENT = "incident"
    OTHER = "other"
