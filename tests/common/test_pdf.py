"""PDF documents: the text a reader (and a screen reader) extracts is what was written."""

import io

from pypdf import PdfReader

from essaim.common.pdf import PdfDocument

RADAR = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
    '<polygon points="50,5 95,50 50,95 5,50" fill="#cde" stroke="#124"/></svg>'
)


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_french_text_headings_and_tables_are_extractable():
    doc = PdfDocument(title="Contribution à l’économie sociale", author="Cré-sol")
    doc.heading("Œuvrer ensemble", level=1)
    doc.paragraph("Premier paragraphe… coût : 12 €.\n\nSecond paragraphe.")
    doc.table(["Axe", "Score"], [["Gouvernance démocratique", 75], ["Écologie", None]],
              caption="Scores par axe")  # fmt: skip
    reader = read(doc.output())

    text = text_of(reader)
    for expected in ("Œuvrer ensemble", "coût : 12 €", "Second paragraphe",
                     "Scores par axe", "Gouvernance démocratique", "75", "Écologie"):  # fmt: skip
        assert expected in text
    assert reader.metadata.title == "Contribution à l’économie sociale"
    assert reader.metadata.author == "Cré-sol"


def test_long_documents_break_pages_and_number_them():
    doc = PdfDocument(title="Rapport")
    doc.table(["n°", "ligne"], [[i, f"ligne {i}"] for i in range(200)])
    reader = read(doc.output())

    assert len(reader.pages) > 2
    last = reader.pages[-1].extract_text()
    assert f"page {len(reader.pages)}/{len(reader.pages)}" in last
    assert "ligne 199" in last
    # The header row is repeated on each page.
    assert all("ligne" in page.extract_text() and "n°" in page.extract_text()
               for page in reader.pages)  # fmt: skip


def test_svg_figures_are_embedded_as_vectors():
    doc = PdfDocument(title="Radar")
    doc.svg(RADAR, width_mm=80)
    data = doc.output()

    page = read(data).pages[0]
    # Drawn as vector paths in the page (move-to, line-to), never as a raster image.
    content = page.get_contents().get_data().decode("latin-1")
    assert " m" in content and " l" in content
    assert "/XObject" not in page["/Resources"]
