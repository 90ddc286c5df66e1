"""The regional centre's fallback contacts: where a reporter can turn when an organisation
has no confidential contact person (VCP) with a key yet, so that nobody is left with a form
that cannot be sent. The operator sets them; the organisation's page shows them.

Two kinds: the centre's own confidential contact persons, and national lines (Centrum Veilige
Sport Nederland, de Kindertelefoon, Veilig Thuis). Each has a phone number or a web address
(or both) and its hours, as the centre writes them ("ma-vr 9:00-17:00", "24/7").
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, HttpUrl, model_validator

from shared.domain.names import Name, has_control_characters

MAX_CONTACTS = 20

FallbackKind = Literal["national_line", "centre_contact"]


def _one_line(value: str) -> str:
    value = value.strip()
    if has_control_characters(value):
        raise ValueError("must be one line without control characters")
    return value


Line = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Phone = Annotated[str, Field(min_length=3, max_length=40), AfterValidator(_one_line)]


def _web_address(value: str) -> str:
    """Checked as a URL, kept as written: a normalised form (a slash added, a host
    lowercased) would answer something other than what was sent, and longer than allowed."""
    value = _one_line(value)
    if not value.startswith("https://"):
        raise ValueError("a fallback contact's web address must start with https://")
    HttpUrl(value)
    return value


# A string in the contract (not `format: uri`): https only, checked as a URL, kept as written.
WebAddress = Annotated[str, Field(min_length=9, max_length=500), AfterValidator(_web_address)]


class FallbackContact(BaseModel):
    name: Name
    kind: FallbackKind
    phone: Phone | None = None
    url: WebAddress | None = None
    hours: Line

    @model_validator(mode="after")
    def _reachable(self) -> FallbackContact:
        if self.phone is None and self.url is None:
            raise ValueError("a fallback contact needs a phone number or a web address")
        return self


class FallbackContacts(BaseModel):
    contacts: list[FallbackContact] = Field(max_length=MAX_CONTACTS)
