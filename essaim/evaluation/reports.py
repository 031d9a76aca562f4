"""An assessment's report as PDF (``essaim.common.pdf``): radar, scores, criteria with
comments, progress plan. The printable HTML page shows the same content."""

import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def pdf(context: dict) -> bytes:
    from essaim.common.pdf import PdfDocument

    assessment, found = context["assessment"], context["results"]
    doc = PdfDocument(title=f"{assessment.project.name} — {assessment.title}")
    doc.heading(f"{assessment.project.name} — {assessment.title}", 1)
    doc.paragraph(
        _("Grille : %(grid)s. Commencée le %(day)s. Complétude : %(pct)s %%.")
        % {
            "grid": assessment.version,
            "day": assessment.started_on.strftime("%d/%m/%Y"),
            "pct": found.completeness,
        }
    )
    if found.provisional:
        doc.paragraph(_("Résultats provisoires : l'évaluation n'est pas encore consolidée."))
    if context.get("radar"):
        svg = render_to_string("evaluation/includes/radar_svg.html", context)
        # fpdf2 draws shapes and text only: the accessible title and description are for
        # screen readers of the HTML page (the PDF has the same figures as tables).
        svg = re.sub(r"<(title|desc)\b.*?</\1>", "", svg, flags=re.DOTALL)
        doc.svg(svg, width_mm=150)
    doc.heading(_("Scores par axe (0 à 100)"), 2)
    doc.table(
        [_("Axe"), _("Score")],
        [[axis.axis.name, _score(axis.score)] for axis in found.axes],
        caption=_("Score de chaque axe : moyenne des niveaux renseignés × 25"),
    )
    for axis in found.axes:
        doc.heading(axis.axis.name, 2)
        rows = [[row.criterion.name, _level(row), row.spread, row.comment] for row in axis.rows]
        doc.table(
            [_("Critère"), _("Niveau"), _("Réponses"), _("Commentaire")],
            rows,
            caption=axis.axis.name,
        )
    actions = context["project"].actions.select_related("owner", "criterion")
    if actions:
        doc.heading(_("Plan de progrès"), 2)
        doc.table(
            [_("Action"), _("Critère"), _("Responsable"), _("Échéance"), _("État")],
            [
                [
                    a.title,
                    a.criterion.name if a.criterion else "",
                    a.owner.display_name if a.owner else "",
                    a.due_on.strftime("%d/%m/%Y") if a.due_on else "",
                    a.get_status_display(),
                ]
                for a in actions
            ],
            caption=_("Plan de progrès"),
        )
    return doc.output()


def _score(value) -> str:
    return "—" if value is None else f"{value:.0f}"


def _level(row) -> str:
    if row.not_applicable:
        return _("sans objet")
    return "—" if row.level is None else str(row.level)
