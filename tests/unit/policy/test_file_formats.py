"""The files the board and the admin open in their own programs."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
from openpyxl import load_workbook

from services.policy.file_formats import BoardRow, board_list_xlsx, markdown_docx, markdown_pdf
from services.policy.starter_library import starter_document

HEADER = ["Naam", "Rol", "Toegelaten op", "VOG afgegeven op", "VOG vernieuwen voor"]


def test_the_board_list_is_a_workbook_with_real_dates_and_no_formulas() -> None:
    rows = [
        BoardRow(
            "Anna de Vries", "Trainer O8\u2013O12", date(2026, 11, 3), date(2026, 10, 1), None
        ),
        BoardRow("=HYPERLINK(1)", "Coach", None, None, date(2029, 10, 1)),
    ]
    sheet = load_workbook(
        io.BytesIO(board_list_xlsx(rows, HEADER, "Toegelaten vrijwilligers"))
    ).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    # Dates are dates (Excel sorts and filters them), the en dash survives.
    assert values[1][:3] == ["Anna de Vries", "Trainer O8\u2013O12", datetime(2026, 11, 3)]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    # A name that looks like a formula stays text.
    assert values[2][0] == "'=HYPERLINK(1)"
    assert sheet.title == "Toegelaten vrijwilligers"


def test_a_starter_document_as_word_keeps_headings_lists_and_bold() -> None:
    text = "# Gedragscode\n\n## 1. Respect\n\n- Wij zijn **altijd** eerlijk.\n- Tweede.\n\nSlot.\n"
    document = docx.Document(io.BytesIO(markdown_docx(text)))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert paragraphs == [
        ("Heading 1", "Gedragscode"),
        ("Heading 2", "1. Respect"),
        ("List Bullet", "Wij zijn altijd eerlijk."),
        ("List Bullet", "Tweede."),
        ("Normal", "Slot."),
    ]
    bold = [run.text for run in document.paragraphs[2].runs if run.bold]
    assert bold == ["altijd"]


def test_the_model_code_as_word_and_pdf_has_the_organisations_name() -> None:
    model = starter_document("code_of_conduct.nl")
    assert model is not None
    filled = model.filled_in("Voetbalclub De Bal")
    word = docx.Document(io.BytesIO(markdown_docx(filled.text)))
    assert any("Voetbalclub De Bal" in p.text for p in word.paragraphs)
    assert not any("##" in p.text or "____" in p.text for p in word.paragraphs)
    pdf = markdown_pdf(filled.text, filled.title)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000
