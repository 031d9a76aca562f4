"""The site map: the statutory pages plus each app's public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essaim.agenda.sitemaps import EventSitemap
from essaim.consultations.sitemaps import ConsultationSitemap
from essaim.directory.sitemaps import DirectorySitemap
from essaim.evaluation.sitemaps import CampaignSitemap
from essaim.experiences.sitemaps import ExperienceSitemap
from essaim.initiatives.sitemaps import InitiativeSitemap
from essaim.publications.sitemaps import PublicationsSitemap
from essaim.taxonomy.sitemaps import ThemeSitemap
from essaim.territories.sitemaps import (
    CommuneSitemap,
    DepartementSitemap,
    EPCISitemap,
    RegionSitemap,
)
from essaim.veille.sitemaps import DigestSitemap, VeillePagesSitemap


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "accessibility",
            "legal-notice",
            "privacy",
            "observatory:dashboard",
            "observatory:data",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "regions": RegionSitemap,
    "departements": DepartementSitemap,
    "epci": EPCISitemap,
    "communes": CommuneSitemap,
    "themes": ThemeSitemap,
    "initiatives": InitiativeSitemap,
    "evenements": EventSitemap,
    "veille": VeillePagesSitemap,
    "veille-lettres": DigestSitemap,
    "publications": PublicationsSitemap,
    "experiences": ExperienceSitemap,
    "evaluation": CampaignSitemap,
    "consultations": ConsultationSitemap,
    "annuaire": DirectorySitemap,
}
