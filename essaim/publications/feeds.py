"""Article feeds: /articles.rss (RSS 2.0) and /articles.atom, with the list's filters
(``?theme=slug``, ``?territoire=key``), and one feed per dossier
(/dossiers/<slug>.rss): its chosen articles and the newest of its theme.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from essaim.publications import listing
from essaim.publications.models import ArticlePage, DossierPage

MAX_ITEMS = 50


class ArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "Les articles publiés par le réseau et ses membres."

    def get_object(self, request):
        filters = listing.parse(request.GET)
        if filters.errors:
            raise Http404(" ".join(filters.errors.values()))
        return filters

    def title(self, filters):
        parts = [settings.ESSAIM_SITE_NAME, "articles"]
        if filters.theme:
            parts.append(filters.theme.name)
        if filters.territory:
            parts.append(filters.territory.short_label)
        return " — ".join(parts)

    def link(self, filters):
        query = []
        if filters.theme:
            query.append(f"theme={filters.theme.slug}")
        if filters.territory:
            query.append(f"territoire={filters.territory.key}")
        return "/articles/" + (f"?{'&'.join(query)}" if query else "")

    def items(self, filters):
        return listing.articles(filters)[:MAX_ITEMS]

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return article.get_url()

    def item_description(self, article):
        return escape(article.lead)

    def item_pubdate(self, article):
        return datetime.combine(
            article.published_on, time(), tzinfo=timezone.get_default_timezone()
        )

    def item_updateddate(self, article):
        return article.last_published_at or self.item_pubdate(article)

    def item_author_name(self, article):
        return ", ".join(article.author_names) or article.organisation_name or None

    def item_categories(self, article):
        return [theme.name for theme in article.themes.all()]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description


class DossierFeed(ArticlesFeed):
    def get_object(self, request, slug):
        dossier = DossierPage.objects.visible().filter(slug=slug).select_related("theme").first()
        if dossier is None:
            raise Http404
        return dossier

    def title(self, dossier):
        return f"{settings.ESSAIM_SITE_NAME} — dossier : {dossier.title}"

    def link(self, dossier):
        return dossier.get_url()

    def description(self, dossier):
        return dossier.lead

    def items(self, dossier):
        chosen = [b.value.pk for b in dossier.items if b.block_type == "page" and b.value]
        found = ArticlePage.objects.filter(pk__in=chosen)
        if dossier.theme_id:
            found = found | ArticlePage.objects.of_theme(dossier.theme)
        ids = found.values("pk")
        return listing.articles(listing.ArticleFilters()).filter(pk__in=ids)[:MAX_ITEMS]
