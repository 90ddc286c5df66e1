"""An organisation's settings, kept in its organisation record."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool, StrictInt

from services.policy.domain.retention import DEFAULT_VOLUNTEER_RETENTION_DAYS
from shared.storage.tenancy import Document

MAX_RETENTION_DAYS = 10 * 365


class OrganisationSettings(BaseModel):
    # Strict: `true` is no 1 day, `1` no true; inputs are taken as written.
    volunteer_retention_days: StrictInt = Field(
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


def settings_of(organisation: Document) -> OrganisationSettings:
    return OrganisationSettings(**organisation.get("settings", {}))
