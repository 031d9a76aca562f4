from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essaim.consultations.models import Consultation, Proposal


class ConsultationSitemap(Sitemap):
    """/consultations/, every published consultation and its public proposals."""

    changefreq = "weekly"
    priority = 0.5
    limit = 10_000

    def items(self):
        consultations = list(Consultation.objects.public().order_by("pk"))
        proposals = Proposal.objects.public().select_related("consultation").order_by("pk")
        return ["list", *consultations, *proposals.only("pk", "updated_at", "consultation__slug")]

    def location(self, item):
        return reverse("consultations:list") if item == "list" else item.get_absolute_url()

    def lastmod(self, item):
        return None if item == "list" else item.updated_at
