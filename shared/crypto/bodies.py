"""The plaintext bodies inside envelopes (docs/api.md, "A report body", "A message body").

Only clients see these: the reporter's client builds them before sealing, a VCP's client
checks them after opening. The category list is also what a VCP's released statistics
may count.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal, Self, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.crypto.attachments import AttachmentRef

Category: TypeAlias = Literal[
    "bullying", "discrimination", "sexual_intimidation", "aggression", "other"
]
CATEGORIES: Final[tuple[Category, ...]] = (
    "bullying",
    "discrimination",
    "sexual_intimidation",
    "aggression",
    "other",
)


class ReportBody(BaseModel):
    """`{"category", "description", "occurred_on"?, "location"?, "people_involved"?,
    "wants_contact", "contact"?}`; optional fields are left out when empty."""

    # Readers ignore unknown fields, so a newer client's report still opens.
    model_config = ConfigDict(frozen=True, extra="ignore")

    category: Category
    description: str = Field(min_length=1, max_length=100_000)
    occurred_on: date | None = None
    location: str | None = Field(default=None, max_length=1000)
    people_involved: str | None = Field(default=None, max_length=5000)
    wants_contact: bool
    contact: str | None = Field(default=None, max_length=1000)
    # The encrypted files sent with the report, each with its own key (issue 24).
    attachments: tuple[AttachmentRef, ...] | None = Field(default=None, max_length=50)

    @model_validator(mode="after")
    def _contact_only_when_wanted(self) -> Self:
        if self.contact and not self.wants_contact:
            raise ValueError("a contact is only given when the reporter wants contact")
        return self

    def to_body(self) -> dict[str, object]:
        """The JSON object to seal."""
        return self.model_dump(mode="json", exclude_none=True)


class MessageBody(BaseModel):
    """`{"text"}`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    text: str = Field(min_length=1, max_length=100_000)
    attachments: tuple[AttachmentRef, ...] | None = Field(default=None, max_length=50)

    def to_body(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)
