"""A contribution document as PDF, through the shared ``essaim.common.pdf`` writer."""

from django.utils import timezone

from essaim.common.pdf import PdfDocument


def contribution_pdf(proposal) -> bytes:
    """Title, who and when, summary, table of contents, then each section."""
    author = proposal.submitted_by.display_name if proposal.submitted_by_id else ""
    consultation = proposal.consultation
    doc = PdfDocument(
        title=proposal.title,
        author=author,
        subject=f"Contribution à la consultation « {consultation.title} »",
    )
    doc.heading(proposal.title, 1)
    published = timezone.localtime(proposal.published_at or proposal.created_at)
    doc.paragraph(
        f"Contribution à la consultation « {consultation.title} » ({consultation.organiser_name})"
        + (f", déposée par {author}" if author else "")
        + f", le {published:%d/%m/%Y}."
    )
    if proposal.summary:
        doc.heading("Résumé", 2)
        doc.paragraph(proposal.summary)
    sections = list(proposal.sections.all())
    if sections:
        doc.heading("Sommaire", 2)
        doc.paragraph("\n\n".join(f"{i}. {s.heading}" for i, s in enumerate(sections, start=1)))
    for i, section in enumerate(sections, start=1):
        doc.heading(f"{i}. {section.heading}", 2)
        doc.paragraph(section.body)
    return doc.output()
