from django.contrib.sitemaps import Sitemap

from essaim.agenda.models import Event


class EventSitemap(Sitemap):
    """Public events (past ones too: their pages stay, with their JSON-LD)."""

    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Event.objects.public().only("slug", "updated_at").order_by("-start", "pk")

    def lastmod(self, event):
        return event.updated_at
