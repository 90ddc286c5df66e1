"""The starter documents in the repository: complete, parallel in both languages, fillable."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from services.policy.domain.starter_documents import (
    PLACEHOLDER,
    DocumentKind,
    StarterDocumentError,
    parse_starter_document,
    section_headings,
)
from services.policy.starter_library import starter_documents

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = starter_documents()


def test_every_kind_is_there_in_dutch_and_english() -> None:
    assert sorted(DOCUMENTS) == sorted(
        f"{kind}.{language}" for kind in DocumentKind for language in ("nl", "en")
    )


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_dutch_and_english_have_the_same_sections(kind: DocumentKind) -> None:
    dutch, english = DOCUMENTS[f"{kind}.nl"], DOCUMENTS[f"{kind}.en"]

    assert section_headings(dutch.text) == section_headings(english.text)
    assert len(section_headings(dutch.text)) >= 5
    assert (dutch.version, dutch.date) == (english.version, english.date)


@pytest.mark.parametrize("template_id", sorted(DOCUMENTS))
def test_each_document_has_a_version_a_date_and_the_organisation_placeholder(
    template_id: str,
) -> None:
    document = DOCUMENTS[template_id]

    assert document.version >= 1
    assert date(2026, 1, 1) <= document.date <= date.today()
    assert "{organisation}" in document.text
    assert document.text.startswith("# ")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_model_code_has_no_paper_signature_lines(language: str) -> None:
    # Volunteers sign the code online, right below its text: lines to sign on paper there
    # would ask for a second, meaningless signature.
    text = DOCUMENTS[f"code_of_conduct.{language}"].text
    assert "___" not in text
    assert "online" in text.split("## 9.")[1]


@pytest.mark.parametrize("template_id", sorted(DOCUMENTS))
def test_filling_in_leaves_no_placeholder(template_id: str) -> None:
    filled = DOCUMENTS[template_id].filled_in("Scouting\nDe Bevers")

    assert PLACEHOLDER.findall(filled.text) == []
    assert "Scouting De Bevers" in filled.text


def test_the_vcp_profile_and_the_checklist_cover_what_the_centre_promises() -> None:
    profile = DOCUMENTS["vcp_profile.en"].text.lower()
    for subject in ("tasks", "competences", "time", "independence from the board", "confidential"):
        assert subject in profile
    checklist = DOCUMENTS["admission_checklist.en"].text.lower()
    for subject in ("in doubt, don't admit", "reference", "code of conduct", "84", "85"):
        assert subject in checklist
    assert "bij twijfel" in DOCUMENTS["admission_checklist.nl"].text.lower()


def test_the_package_ships_every_document() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["services.policy"]
    package = ROOT / "services" / "policy"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}

    assert {path.name for path in shipped} == {f"{t}.md" for t in DOCUMENTS}


@pytest.mark.parametrize(
    "source",
    [
        "# no front matter\n",
        "---\ntemplate_id: vcp_profile.nl\n---\ntext\n",
        "---\ntemplate_id: vcp_profile.en\nkind: vcp_profile\nlanguage: nl\ntitle: t\n"
        "version: 1\ndate: 2026-12-01\n---\n# {organisation}\n",
        "---\ntemplate_id: vcp_profile.nl\nkind: vcp_profile\nlanguage: nl\ntitle: t\n"
        "version: 1\ndate: 2026-12-01\n---\n# {organisation} and {volunteer}\n",
    ],
)
def test_a_malformed_document_is_refused(source: str) -> None:
    with pytest.raises((StarterDocumentError, ValueError)):
        parse_starter_document(source)
