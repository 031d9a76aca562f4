from django.contrib.sitemaps import Sitemap

from essaim.experiences.models import ExperienceIndexPage, ExperiencePage


class ExperienceSitemap(Sitemap):
    """The /experiences/ list and every live, public sheet."""

    changefreq = "monthly"
    priority = 0.6
    limit = 10_000

    def items(self):
        index = list(ExperienceIndexPage.objects.live().public().order_by("pk"))
        sheets = ExperiencePage.objects.live().public().order_by("pk")
        return index + list(sheets.only("url_path", "last_published_at"))

    def location(self, page):
        # The site's root paths are cached: no query per page.
        return page.get_url_parts()[2]

    def lastmod(self, page):
        return page.last_published_at
