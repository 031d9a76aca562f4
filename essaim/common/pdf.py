"""Printable PDF documents (reports, contributions) built with fpdf2, in pure Python.

A document is written top to bottom with a few calls; text is plain (never HTML: callers
pass ``strip_html`` output), so nothing a contributor wrote can inject markup::

    doc = PdfDocument(title="Auto-évaluation 2026", author="Essaim")
    doc.heading("Résultats", level=1)
    doc.paragraph("Un texte…")
    doc.table(["Axe", "Score"], [["Gouvernance", "75"]], caption="Scores par axe")
    doc.svg(radar_svg, width_mm=120)
    data = doc.output()

The DejaVu Sans font ships in ``essaim/common/fonts/`` (Bitstream Vera licence, see
LICENCE-DejaVu.txt) so that every French character (’, œ, …, €) prints; the PDF's
metadata carries the title and language for assistive technologies.
"""

import io
import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
HEADING_SIZES = {1: 18, 2: 14, 3: 12}
BODY_SIZE = 10.5
LINE_HEIGHT = 5.5

# fontTools logs every table it subsets at INFO: noise in the app's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class PdfDocument:
    """An A4 portrait document with a running footer (title and page number)."""

    def __init__(self, *, title: str, author: str = "", subject: str = "", lang: str = "fr"):
        self.title = title
        pdf = _Pdf(footer_text=title)
        pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_subject(subject)
        pdf.set_lang(lang)
        pdf.set_creator("Essaim")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(18, 18, 18)
        pdf.add_page()
        self._pdf = pdf

    def heading(self, text: str, level: int = 1) -> None:
        pdf = self._pdf
        pdf.ln(2 if level > 1 else 0)
        pdf.set_font(FAMILY, "B", HEADING_SIZES.get(level, 12))
        pdf.multi_cell(0, HEADING_SIZES.get(level, 12) * 0.5, text,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        pdf.ln(1.5)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        pdf = self._pdf
        pdf.set_font(FAMILY, "B" if bold else "", BODY_SIZE)
        for block in _paragraphs(text):
            pdf.multi_cell(0, LINE_HEIGHT, block, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)

    def table(self, headers: list[str], rows: list[list], *, caption: str = "") -> None:
        """A table with a header row (repeated on each page); cells are turned to text."""
        pdf = self._pdf
        if caption:
            self.paragraph(caption, bold=True)
        pdf.set_font(FAMILY, "", BODY_SIZE - 1)
        with pdf.table(line_height=LINE_HEIGHT, repeat_headings=1, padding=1.2) as table:
            heading = table.row()
            for label in headers:
                heading.cell(str(label))
            for row in rows:
                line = table.row()
                for value in row:
                    line.cell("" if value is None else str(value))
        pdf.ln(3)

    def svg(self, markup: str, *, width_mm: float = 120) -> None:
        """A vector figure (e.g. a chart from ``common.charts``), centred."""
        pdf = self._pdf
        x = (pdf.w - width_mm) / 2
        pdf.image(io.BytesIO(markup.encode()), x=x, w=width_mm)
        pdf.ln(3)

    def output(self) -> bytes:
        return bytes(self._pdf.output())


class _Pdf(FPDF):
    def __init__(self, *, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer_text = footer_text

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"{self._footer_text} — page {self.page_no()}/{{nb}}", align="C")


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, each with its inner line breaks kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block] or [""]
