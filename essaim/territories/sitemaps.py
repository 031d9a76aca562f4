"""Site-map classes for territory pages: the home région's communes, EPCI and départements,
and every région. The lead wires them into essaim/sitemaps.py."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from essaim.territories.models import EPCI, Commune, Departement, Region


class TerritorySitemap(Sitemap):
    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.public().filter(region_id=settings.ESSAIM_REGION).order_by("code")


class CommuneSitemap(TerritorySitemap):
    model = Commune
    priority = 0.5


class EPCISitemap(TerritorySitemap):
    model = EPCI
    priority = 0.6


class DepartementSitemap(TerritorySitemap):
    model = Departement
    priority = 0.7


class RegionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Region.objects.public().order_by("code")
