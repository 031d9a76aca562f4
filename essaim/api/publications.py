"""/api/v1/articles: the published articles, newest first, filtered like /articles/."""

from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from essaim.api.errors import ParameterError
from essaim.api.filters import territory_of, theme_of
from essaim.api.paging import paginate
from essaim.common.licences import TEXT_DEFAULT
from essaim.publications.models import ArticleAuthor, ArticlePage
from essaim.taxonomy.models import Theme

router = Router(tags=["publications"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Filters(Schema):
    theme: str = ""
    territoire: str = ""
    q: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


class ArticleOut(Schema):
    id: int
    title: str
    lead: str
    url: str
    authors: list[str]
    organisation: str
    themes: list[str]
    territory: str | None
    territory_label: str
    date: date | None
    reading_minutes: int
    licence: str
    updated_at: datetime | None


class ArticleList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ArticleOut]


def article_out(request: HttpRequest, article: ArticlePage) -> dict:
    return {
        "id": article.pk, "title": article.title, "lead": article.lead,
        "url": request.build_absolute_uri(article.url),
        "authors": [author.name for author in article.authors.all()],
        "organisation": article.organisation_name,
        "themes": sorted(t.slug for t in article.themes.all()),
        "territory": article.territory_key or None, "territory_label": article.territory_label,
        "date": article.date, "reading_minutes": article.reading_minutes,
        "licence": article.licence,
        "updated_at": article.last_published_at or article.latest_revision_created_at,
    }  # fmt: skip


@router.get("/articles", response={200: ArticleList, 400: ParameterError},
            url_name="article-list")  # fmt: skip
def list_articles(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """Published articles, newest first; filters theme (slug, sub-themes included),
    territoire (any level's key: 37, 37261, region-24, an EPCI SIREN), q (title, lead)."""
    theme, territory = theme_of(filters.theme), territory_of(filters.territoire)
    articles = ArticlePage.objects.visible()
    if theme:
        articles = articles.of_theme(theme)
    if territory:
        articles = articles.in_territory(territory)
    if q := filters.q.strip()[:100]:
        articles = articles.filter(Q(title__icontains=q) | Q(lead__icontains=q))
    articles = articles.order_by("-date", "-first_published_at", "-pk").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk", "slug")),
        Prefetch("authors", queryset=ArticleAuthor.objects.select_related("user")),
    )
    return paginate(request, response, articles, page=filters.page, page_size=filters.page_size,
                    max_size=MAX_PAGE_SIZE, out=lambda a: article_out(request, a),
                    licence=TEXT_DEFAULT)  # fmt: skip
