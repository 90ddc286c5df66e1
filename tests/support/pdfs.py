"""A small PDF for tests of the in-page preview: one page with a filled red rectangle (drawn
without any font) and a line of text in Helvetica, a standard font the file does not embed
(so the viewer must bring its own). Written by hand, with a correct cross-reference table."""

from __future__ import annotations

RED = (220, 0, 0)


def pdf_with_text(text: str) -> bytes:
    """A one-page A5 PDF whose page shows a red band and `text` (ASCII, no parentheses)."""
    content = (
        f"1 0 0 rg 40 420 340 120 re f\n0 0 0 rg BT /F1 28 Tf 50 360 Td ({text}) Tj ET\n"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
