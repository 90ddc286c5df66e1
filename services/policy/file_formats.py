"""Files people open in their own programs: the board's list as an Excel workbook, and the
starter documents as Word and PDF files beside their Markdown. Plain functions from data to
bytes, without I/O; the routes serve what they return.

The Markdown of the starter documents is read with markdown-it-py (CommonMark, the same
rules the web app's markdown-it follows) and written as headings, paragraphs and lists, with
bold and italic kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import docx
from fpdf import FPDF
from markdown_it import MarkdownIt
from markdown_it.token import Token
from openpyxl import Workbook
from openpyxl.styles import Font

# The PDF uses the fonts every PDF reader has (no font file to ship); they know Latin-1, so
# typographic punctuation is written plainly and anything else as "?".
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u201e": '"',  # low double quotation mark
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2026": "...",
        "\u2022": "-",  # bullet
    }
)


@dataclass(frozen=True)
class BoardRow:
    name: str
    role: str
    admitted_on: date | None
    vog_issued_on: date | None
    vog_renewal_due: date | None


def board_list_xlsx(rows: Sequence[BoardRow], header: Sequence[str], title: str) -> bytes:
    """The admitted volunteers as a workbook: dates as dates, so Excel sorts and filters them."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None, "a new workbook has a sheet"
    # Excel refuses sheet titles over 31 characters and with []:*?/\
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "List"
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                _text(row.name),
                _text(row.role),
                row.admitted_on,
                row.vog_issued_on,
                row.vog_renewal_due,
            ]
        )
    for column in ("C", "D", "E"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDE", (30, 24, 16, 16, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: str) -> str:
    # A leading = + - @ would be read as a formula: keep it text, as the CSV does.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@dataclass(frozen=True)
class _Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading", "paragraph", "bullet", "number"
    runs: tuple[_Run, ...]
    level: int = 0


def _blocks(markdown: str) -> Iterator[_Block]:
    """The document's headings, paragraphs and list items, in order."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown)
    lists: list[str] = []
    heading = 0
    for token in tokens:
        if token.type == "heading_open":
            heading = int(token.tag[1:])
        elif token.type == "heading_close":
            heading = 0
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if token.type == "bullet_list_open" else "number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            runs = tuple(_runs(token.children or []))
            if heading:
                yield _Block("heading", runs, heading)
            elif lists:
                yield _Block(lists[-1], runs, len(lists))
            else:
                yield _Block("paragraph", runs)


def _runs(children: Sequence[Token]) -> Iterator[_Run]:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("softbreak", "hardbreak"):
            yield _Run(" ")
        elif child.content:
            yield _Run(child.content, bold, italic)


def markdown_docx(markdown: str) -> bytes:
    """A Markdown document as a Word file with Word's own heading and list styles."""
    document = docx.Document()
    for block in _blocks(markdown):
        if block.kind == "heading":
            paragraph = document.add_heading(level=min(block.level, 9))
        elif block.kind == "bullet":
            paragraph = document.add_paragraph(style="List Bullet")
        elif block.kind == "number":
            paragraph = document.add_paragraph(style="List Number")
        else:
            paragraph = document.add_paragraph()
        for run in block.runs:
            written = paragraph.add_run(run.text)
            written.bold = run.bold or None
            written.italic = run.italic or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def markdown_pdf(markdown: str, title: str) -> bytes:
    """A Markdown document as an A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    sizes = {1: 18, 2: 14, 3: 12}
    for block in _blocks(markdown):
        if block.kind == "heading":
            pdf.ln(3)
            pdf.set_font("helvetica", style="B", size=sizes.get(block.level, 11))
            pdf.multi_cell(0, 7, _latin1("".join(r.text for r in block.runs)))
            pdf.ln(1)
            continue
        pdf.set_font("helvetica", size=11)
        marker = {"bullet": "-  ", "number": "-  "}.get(block.kind, "")
        text = marker + "".join(_marked(run) for run in block.runs)
        pdf.set_x(pdf.l_margin + 6 * block.level)
        pdf.multi_cell(0, 6, _latin1(text), markdown=True)
        pdf.ln(1 if block.kind != "paragraph" else 2)
    return bytes(pdf.output())


def _marked(run: _Run) -> str:
    # fpdf2's own markup for bold and italic in a cell; a literal marker is left out.
    text = run.text.replace("**", "").replace("__", "").replace("--", "-")
    if run.bold:
        text = f"**{text}**"
    if run.italic:
        text = f"__{text}__"
    return text


def _latin1(text: str) -> str:
    return text.translate(_PLAIN_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
