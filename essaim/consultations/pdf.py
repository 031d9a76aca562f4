"""A contribution document as PDF, through the shared ``essaim.common.pdf`` writer."""

from django.utils import timezone


def contribution_pdf(proposal) -> bytes:
    from essaim.common.pdf import PdfDocument

    doc = PdfDocument(title=proposal.title)
    doc.heading(proposal.title, 1)
    author = proposal.submitted_by.display_name if proposal.submitted_by else ""
    published = timezone.localtime(proposal.published_at or proposal.created_at)
    doc.paragraph(
        f"Contribution à la consultation « {proposal.consultation.title} »"
        + (f", déposée par {author}" if author else "")
        + f", le {published:%d/%m/%Y}."
    )
    if proposal.summary:
        doc.heading("Résumé", 2)
        for paragraph in proposal.summary.split("\n\n"):
            if paragraph.strip():
                doc.paragraph(paragraph.strip())
    sections = list(proposal.sections.all())
    if sections:
        doc.heading("Sommaire", 2)
        for i, section in enumerate(sections, start=1):
            doc.paragraph(f"{i}. {section.heading}")
    for i, section in enumerate(sections, start=1):
        doc.heading(f"{i}. {section.heading}", 2)
        for paragraph in section.paragraphs():
            doc.paragraph(paragraph)
    return doc.output()
