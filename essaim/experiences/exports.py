"""Documented experiences as open data: one row per public sheet (streamed CSV), with
its sections as plain text so that the table can be read and reused on its own."""

from collections.abc import Iterator

from django.db.models import Prefetch

from essaim.common import exports
from essaim.experiences.models import ExperiencePage
from essaim.taxonomy.models import Theme

COLUMNS = ("titre", "resume", "issue", "debut", "fin", "themes", "code_insee", "commune",
           "structure", "contexte", "acteurs", "moyens", "budget", "resultats", "ce_qui_a_marche",
           "ce_qui_n_a_pas_marche", "enseignements", "conditions_pour_reproduire", "licence",
           "relue_le", "url", "date_maj")  # fmt: skip
SECTIONS = {"contexte": "context", "acteurs": "actors", "moyens": "resources",
            "resultats": "results", "ce_qui_a_marche": "what_worked",
            "ce_qui_n_a_pas_marche": "what_did_not_work", "enseignements": "lessons",
            "conditions_pour_reproduire": "replication"}  # fmt: skip


def public_sheets() -> Iterator[ExperiencePage]:
    queryset = (
        ExperiencePage.objects.live()
        .public()
        .select_related("commune")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    )
    return exports.by_chunks(queryset)


def row(sheet: ExperiencePage, base_url: str) -> dict:
    data = {
        "titre": sheet.title, "resume": sheet.summary, "issue": sheet.outcome,
        "debut": sheet.started_on.isoformat() if sheet.started_on else "",
        "fin": sheet.ended_on.isoformat() if sheet.ended_on else "",
        "themes": sorted(t.slug for t in sheet.themes.all()),
        "code_insee": sheet.commune_id or "",
        "commune": sheet.commune.name if sheet.commune_id else "",
        "structure": sheet.organisation_name, "budget": sheet.budget_amount,
        "licence": sheet.licence,
        "relue_le": sheet.last_reviewed_on.isoformat() if sheet.last_reviewed_on else "",
        "url": base_url + sheet.url,
        "date_maj": (sheet.last_published_at or sheet.latest_revision_created_at).isoformat(),
    }  # fmt: skip
    return data | {column: sheet.section_text(field) for column, field in SECTIONS.items()}


def csv_lines(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, (row(s, base_url) for s in public_sheets()))
