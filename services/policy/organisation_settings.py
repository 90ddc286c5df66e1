"""An organisation's settings, kept in its organisation record."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from services.policy.domain.retention import DEFAULT_VOLUNTEER_RETENTION_DAYS
from shared.domain.numbers import WholeNumber
from shared.storage.tenancy import Document

MAX_RETENTION_DAYS = 10 * 365
DEFAULT_RESIGN_GRACE_DAYS = 30
MAX_RESIGN_GRACE_DAYS = 365


class OrganisationSettings(BaseModel):
    # Strict: `true` is no 1 day, `1` no true; inputs are taken as written.
    volunteer_retention_days: WholeNumber = Field(
        default=DEFAULT_VOLUNTEER_RETENTION_DAYS,
        ge=1,
        le=MAX_RETENTION_DAYS,
        description="How long data of rejected and inactive volunteers is kept, in days.",
    )
    listed: StrictBool = Field(
        default=True,
        description="Whether the home page's search finds the organisation by its name; its"
        " own page stays reachable at its address either way.",
    )
    resign_grace_days: WholeNumber = Field(
        default=DEFAULT_RESIGN_GRACE_DAYS,
        ge=0,
        le=MAX_RESIGN_GRACE_DAYS,
        description="After a new version of the code of conduct is published, how many days"
        " volunteers who signed the previous version stay admitted while they sign the new one"
        " (0: they must sign again at once).",
    )
    # The regional centre addresses news to all organisations or to one kind (issue 25).
    kind: Literal["sport", "youth", "care"] | None = Field(
        default=None,
        description="What kind of organisation this is, for the regional centre's news"
        " addressed to one kind; none: only news for every organisation.",
    )
    news_digest: StrictBool = Field(
        default=False,
        description="Whether the organisation's admins get the regional centre's news of the"
        " past week by mail, once a week.",
    )


def settings_of(organisation: Document) -> OrganisationSettings:
    return OrganisationSettings(**organisation.get("settings", {}))
