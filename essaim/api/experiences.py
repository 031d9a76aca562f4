"""/api/v1/experiences: the published experience sheets with their sections as plain text
(the same content as /donnees/experiences.csv), newest first, filtered like /experiences/."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from essaim.api.errors import ParameterError
from essaim.api.filters import BadParameter, territory_of, theme_of
from essaim.api.paging import paginate
from essaim.common.licences import TEXT_DEFAULT
from essaim.experiences.exports import SECTIONS
from essaim.experiences.models import ExperiencePage, Outcome
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter

router = Router(tags=["experiences"])
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Filters(Schema):
    theme: str = ""
    territoire: str = ""
    issue: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


class ExperienceOut(Schema):
    id: int
    title: str
    summary: str
    url: str
    outcome: str
    started_on: date | None
    ended_on: date | None
    themes: list[str]
    commune_code: str | None
    commune: str | None
    organisation: str
    budget: Decimal | None
    sections: dict[str, str]
    licence: str
    reviewed_on: date | None
    updated_at: datetime | None


class ExperienceList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ExperienceOut]


def experience_out(request: HttpRequest, sheet: ExperiencePage) -> dict:
    return {
        "id": sheet.pk, "title": sheet.title, "summary": sheet.summary,
        "url": request.build_absolute_uri(sheet.url), "outcome": sheet.outcome,
        "started_on": sheet.started_on, "ended_on": sheet.ended_on,
        "themes": sorted(t.slug for t in sheet.themes.all()),
        "commune_code": sheet.commune_id,
        "commune": sheet.commune.name if sheet.commune_id else None,
        "organisation": sheet.organisation_name, "budget": sheet.budget_amount,
        "sections": {field: sheet.section_text(field) for field in SECTIONS.values()},
        "licence": sheet.licence, "reviewed_on": sheet.last_reviewed_on,
        "updated_at": sheet.last_published_at or sheet.latest_revision_created_at,
    }  # fmt: skip


@router.get("/experiences", response={200: ExperienceList, 400: ParameterError},
            url_name="experience-list")  # fmt: skip
def list_experiences(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """Published experience sheets, newest first; filters theme (slug, sub-themes included),
    territoire (any level's key), issue (reussite, reussite-partielle, echec-instructif,
    abandon, en-cours)."""
    theme, territory = theme_of(filters.theme), territory_of(filters.territoire)
    if filters.issue and filters.issue not in Outcome.values:
        raise BadParameter("issue", f"Issue inconnue : {filters.issue[:50]}.")
    sheets = ExperiencePage.objects.live().public()
    if theme:
        sheets = sheets.filter(themes__in=theme.family_ids()).distinct()
    if territory:
        sheets = sheets.filter(commune_filter(territory))
    if filters.issue:
        sheets = sheets.filter(outcome=filters.issue)
    sheets = sheets.select_related("commune").order_by("-first_published_at", "-pk")
    sheets = sheets.prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    return paginate(request, response, sheets, page=filters.page, page_size=filters.page_size,
                    max_size=MAX_PAGE_SIZE, out=lambda s: experience_out(request, s),
                    licence=TEXT_DEFAULT)  # fmt: skip
