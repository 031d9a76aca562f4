"""/veille.rss: the curated selection as RSS 2.0, optionally for one theme (?theme=slug)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape, linebreaks

from essaim.taxonomy.models import Theme
from essaim.veille.models import Pick

MAX_ITEMS = 50


class PicksFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request):
        slug = request.GET.get("theme", "").strip()
        if not slug:
            return None
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise Http404
        return theme

    def title(self, theme):
        name = settings.ESSAIM_SITE_NAME
        return f"{name} — veille : {theme.name}" if theme else f"{name} — veille"

    def link(self, theme):
        if theme:
            return reverse("veille:theme", kwargs={"slug": theme.slug})
        return reverse("veille:picks")

    def description(self, theme):
        return "Les articles retenus et commentés par l'équipe du réseau."

    def items(self, theme):
        picks = Pick.objects.public().select_related("item__source").prefetch_related("themes")
        if theme:
            ids = theme.family_ids()
            picks = picks.filter(themes__in=ids).distinct()
        return picks.order_by("-picked_at", "-pk")[:MAX_ITEMS]

    def item_title(self, pick):
        return pick.item.title or pick.item.link

    def item_link(self, pick):
        return pick.item.link or reverse("veille:picks")

    def item_guid(self, pick):
        return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/veille/#choix-{pick.pk}"

    item_guid_is_permalink = False

    def item_description(self, pick):
        comment = linebreaks(escape(pick.comment)) if pick.comment else ""
        return comment + pick.item.summary_html  # sanitised when stored

    def item_pubdate(self, pick):
        return pick.picked_at

    def item_author_name(self, pick):
        return pick.item.author or pick.item.source.title or None

    def item_categories(self, pick):
        return [theme.name for theme in pick.themes.all()]
