from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essaim.evaluation.models import Campaign


class CampaignSitemap(Sitemap):
    """The public evaluation pages: the introduction, the campaign list and each campaign
    (aggregates only; projects and assessments are private and never listed)."""

    changefreq = "weekly"
    priority = 0.4
    limit = 10_000

    def items(self):
        return ["evaluation:index", "evaluation:campaigns",
                *Campaign.objects.public().order_by("pk").only("slug")]  # fmt: skip

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()
