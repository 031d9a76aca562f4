from django.contrib.sitemaps import Sitemap

from essaim.taxonomy.models import Theme


class ThemeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Theme.objects.public().order_by("slug")
