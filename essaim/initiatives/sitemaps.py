from django.contrib.sitemaps import Sitemap

from essaim.initiatives.models import Initiative


class InitiativeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7
    limit = 10_000  # per sitemap page: a million initiatives are 100 small files

    def items(self):
        return Initiative.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at
