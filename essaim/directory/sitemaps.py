from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essaim.directory.models import OfferNeed, Organisation, PersonProfile


class DirectorySitemap(Sitemap):
    """The directory's lists, public organisations, listed people, public offers and needs."""

    changefreq = "weekly"
    priority = 0.5
    limit = 10_000

    def items(self):
        lists = [
            "directory:list",
            "directory:people",
            "directory:offers-needs",
            "directory:facilitators",
        ]
        organisations = Organisation.objects.public().order_by("pk").only("slug", "updated_at")
        people = PersonProfile.objects.public().order_by("pk").only("slug", "updated_at")
        items = OfferNeed.objects.public().current().order_by("pk").only("pk", "updated_at")
        return [*lists, *organisations, *people, *items]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at
