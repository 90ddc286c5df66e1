"""An organisation's periods for its cases: when to acknowledge, give feedback, delete.

Defaults follow good practice from the EU whistleblowing directive (acknowledge within
7 days, feedback within 3 months) and the common retention of reports (2 years after
the case is closed).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.numbers import WholeNumber

DEFAULT_ACKNOWLEDGE_DAYS = 7
DEFAULT_FEEDBACK_MONTHS = 3
DEFAULT_RETENTION_MONTHS = 24


class CaseSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Strict: `true` is no 1 day; inputs are taken as written.
    acknowledge_days: WholeNumber = Field(default=DEFAULT_ACKNOWLEDGE_DAYS, ge=1, le=90)
    feedback_months: WholeNumber = Field(default=DEFAULT_FEEDBACK_MONTHS, ge=1, le=24)
    # At least a month, so a closed case can still be looked up when someone asks about it.
    retention_months: WholeNumber = Field(default=DEFAULT_RETENTION_MONTHS, ge=1, le=240)
