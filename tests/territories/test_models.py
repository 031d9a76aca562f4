import pytest
from wagtail.search.backends import get_search_backend

from essaim.territories.models import EPCI, Commune, Departement, Region
from essaim.territories.names import fold, of_departement
from essaim.territories.sitemaps import (
    CommuneSitemap,
    DepartementSitemap,
    EPCISitemap,
    RegionSitemap,
)

pytestmark = pytest.mark.django_db


def test_site_search_finds_tours_and_the_departements():
    backend = get_search_backend()
    # PostgreSQL's French stemming makes "Tours" and "Tour-en-Sologne" equal: top 3, not first.
    assert Commune.objects.get(code="37261") in list(backend.search("Tours", Commune)[:3])
    assert list(backend.search("Indre-et-Loire", Departement)[:1])[0].code == "37"


def test_folding_makes_accents_case_and_punctuation_irrelevant():
    assert fold("Saint-Épain") == "saint epain"
    assert fold("L'Île-Bouchard") == "l ile bouchard"
    assert Commune.objects.get(code="37216").name_folded == "saint epain"


def test_departement_titles_use_the_right_french_article():
    names = ["Indre-et-Loire", "Cher", "Indre", "Landes", "Marne", "Loir-et-Cher"]
    assert [of_departement(name) for name in names] == [
        "d'Indre-et-Loire", "du Cher", "de l'Indre", "des Landes", "de la Marne", "de Loir-et-Cher",
    ]  # fmt: skip


def test_urls_use_keys_that_tell_regions_from_departements():
    assert Region.objects.get(code="24").get_absolute_url() == "/territoires/region-24/"
    assert Departement.objects.get(code="24").get_absolute_url() == "/territoires/24/"
    assert EPCI.objects.get(code="243700754").get_absolute_url() == "/territoires/243700754/"


def test_sitemaps_cover_the_home_region_and_every_region():
    assert len(CommuneSitemap().items()) == 1754
    assert [d.code for d in DepartementSitemap().items()] == ["18", "28", "36", "37", "41", "45"]
    assert all(epci.region_id == "24" for epci in EPCISitemap().items())
    assert len(RegionSitemap().items()) == 18
