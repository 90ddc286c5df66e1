"""Starter documents: the regional centre's model texts that an organisation adopts.

Each document is Markdown with a front matter block (`---` lines) that names it, and
`{organisation}` where the organisation's name goes. Parsing and filling in are plain
functions; reading the files is `services/policy/starter_library.py`'s job.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DocumentKind(StrEnum):
    CODE_OF_CONDUCT = "code_of_conduct"
    VOLUNTEER_AGREEMENT = "volunteer_agreement"
    VCP_PROFILE = "vcp_profile"
    ADMISSION_CHECKLIST = "admission_checklist"


class DocumentLanguage(StrEnum):
    DUTCH = "nl"
    ENGLISH = "en"


ORGANISATION_PLACEHOLDER = "{organisation}"
# Any `{word}` left in a text is a placeholder nobody filled in.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_FRONT_MATTER = re.compile(r"\A---\n(?P<header>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)


class StarterDocumentError(ValueError):
    """A starter document in the repository is malformed: a bug caught at start-up."""


class TemplateSummary(BaseModel):
    """One entry of `GET /v1/templates`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template_id: str = Field(pattern=r"^[a-z_]+\.(nl|en)$")
    kind: DocumentKind
    language: DocumentLanguage
    title: str = Field(min_length=1)
    version: int = Field(ge=1)
    date: date


class StarterDocument(TemplateSummary):
    """A whole starter document: the summary plus its Markdown text."""

    text: str = Field(min_length=1)

    def summary(self) -> TemplateSummary:
        return TemplateSummary.model_validate(self.model_dump(exclude={"text"}))

    def filled_in(self, organisation: str) -> StarterDocument:
        """The document with the organisation's name where `{organisation}` stands."""
        return self.model_copy(update={"text": fill_in(self.text, organisation)})


def parse_starter_document(source: str) -> StarterDocument:
    """Read a document file's text: front matter of `key: value` lines, then Markdown."""
    match = _FRONT_MATTER.match(source.replace("\r\n", "\n"))
    if match is None:
        raise StarterDocumentError("a starter document must begin with a --- front matter block")
    header: dict[str, str] = {}
    for line in match["header"].splitlines():
        key, separator, value = line.partition(":")
        if not separator:
            raise StarterDocumentError(f"front matter line {line!r} is not `key: value`")
        header[key.strip()] = value.strip()
    document = StarterDocument.model_validate({**header, "text": match["body"].strip() + "\n"})
    if document.template_id != f"{document.kind}.{document.language}":
        raise StarterDocumentError(
            f"template_id {document.template_id!r} must be the kind and language joined by a dot"
        )
    unknown = set(PLACEHOLDER.findall(document.text)) - {ORGANISATION_PLACEHOLDER}
    if unknown:
        raise StarterDocumentError(
            f"{document.template_id} has placeholders nobody fills in: {sorted(unknown)}"
        )
    return document


def fill_in(text: str, organisation: str) -> str:
    # A name on one line: a line break in it would start a new Markdown block.
    return text.replace(ORGANISATION_PLACEHOLDER, " ".join(organisation.split()))


def section_headings(text: str) -> list[str]:
    """The Markdown headings of a text, each as its level and number ("## 1."), so that the
    Dutch and English versions of a document can be compared section by section."""
    headings = []
    for line in text.splitlines():
        match = re.match(r"^(#+)\s+(\d+\.)?", line)
        if match:
            headings.append(f"{match[1]} {match[2] or ''}".strip())
    return headings
