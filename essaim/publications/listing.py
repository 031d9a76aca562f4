"""Filters of /articles/ and of the article feeds: ``theme`` (slug, with sub-themes) and
``territoire`` (any level's key), read by one parser so that the list and the feeds agree.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from essaim.taxonomy.models import Theme
from essaim.territories.territory import AnyTerritory, find_territory

PER_PAGE = 12
LISTING_RENDITION = "fill-480x270"
MAX_KEY = 100


@dataclass
class ArticleFilters:
    theme: Theme | None = None
    territory: AnyTerritory | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return bool(self.theme or self.territory)


def parse(params) -> ArticleFilters:
    """Read ``params`` (QueryDict or dict); never raises, records errors instead."""
    filters = ArticleFilters()
    if slug := params.get("theme", "").strip()[:MAX_KEY]:
        filters.theme = Theme.objects.filter(slug=slug).first()
        if filters.theme is None:
            filters.errors["theme"] = _("Thème inconnu : %(slug)s.") % {"slug": slug}
    if key := params.get("territoire", "").strip()[:MAX_KEY]:
        filters.territory = find_territory(key)
        if filters.territory is None:
            filters.errors["territoire"] = _("Territoire inconnu : %(key)s.") % {"key": key}
    return filters


def articles(filters: ArticleFilters, parent=None):
    """Public articles matching ``filters``, newest first, with what a card shows."""
    from wagtail.images import get_image_model

    from essaim.publications.models import ArticleAuthor, ArticlePage

    queryset = ArticlePage.objects.visible()
    if parent is not None:
        queryset = queryset.child_of(parent)
    if filters.theme:
        queryset = queryset.of_theme(filters.theme)
    if filters.territory:
        queryset = queryset.in_territory(filters.territory)
    images = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
    authors = ArticleAuthor.objects.select_related("user").order_by("sort_order")
    return queryset.order_by("-date", "-first_published_at", "-pk").prefetch_related(
        "themes", Prefetch("authors", queryset=authors),
        Prefetch("listing_image", queryset=images),
    )  # fmt: skip


def article_list_context(request, index_page) -> dict:
    filters = parse(request.GET)
    paginator = Paginator(articles(filters, index_page), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "articles": page,
        "page_obj": page,
        "query": query.urlencode(),
        "themes": Theme.objects.tree_order().select_related("parent"),
    }
