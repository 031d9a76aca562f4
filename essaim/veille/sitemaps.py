from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essaim.veille.models import Digest


class VeillePagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["veille:picks", "veille:items", "veille:digests"]

    def location(self, item):
        return reverse(item)


class DigestSitemap(Sitemap):
    changefreq = "never"

    def items(self):
        return Digest.objects.public().only("pk", "period_end").order_by("-period_end")

    def lastmod(self, digest):
        return digest.period_end
