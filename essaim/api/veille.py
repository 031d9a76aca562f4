"""/api/v1/veille: the network's curated news watch (picks from public sources), newest
pick first. Who picked stays internal, as in /donnees/veille.csv."""

from datetime import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from essaim.api.errors import ParameterError
from essaim.api.filters import theme_of
from essaim.api.paging import paginate
from essaim.common.html import strip_html
from essaim.common.licences import TEXT_DEFAULT
from essaim.taxonomy.models import Theme
from essaim.veille.models import Pick

router = Router(tags=["veille"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Filters(Schema):
    theme: str = ""
    since: datetime | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


class PickOut(Schema):
    id: int
    title: str
    link: str
    source: str
    author: str
    published_at: datetime
    summary: str
    comment: str
    themes: list[str]
    picked_at: datetime


class PickList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[PickOut]


def pick_out(pick: Pick) -> dict:
    item = pick.item
    return {
        "id": pick.pk, "title": item.title, "link": item.link, "source": str(item.source),
        "author": item.author, "published_at": item.published_at,
        "summary": strip_html(item.summary_html), "comment": pick.comment,
        "themes": sorted(t.slug for t in pick.themes.all()), "picked_at": pick.picked_at,
    }  # fmt: skip


@router.get("/veille", response={200: PickList, 400: ParameterError}, url_name="pick-list")
def list_picks(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """The curated selection, newest pick first; filters theme (slug, sub-themes included)
    and since (picked at or after, ISO 8601). The linked articles belong to their
    publishers; the comments are the network's (CC BY-SA)."""
    theme = theme_of(filters.theme)
    picks = Pick.objects.public().select_related("item__source")
    if theme:
        picks = picks.filter(themes__in=theme.family_ids()).distinct()
    if filters.since:
        picks = picks.filter(picked_at__gte=filters.since)
    picks = picks.order_by("-picked_at", "-pk").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk", "slug"))
    )
    return paginate(request, response, picks, page=filters.page, page_size=filters.page_size,
                    max_size=MAX_PAGE_SIZE, out=pick_out, licence=TEXT_DEFAULT)  # fmt: skip
