import pytest
from django.conf import settings

from essaim.territories.models import Commune, Level
from essaim.territories.territory import (
    UnknownTerritory,
    children,
    commune_filter,
    parents,
    resolve_territory,
    suggest,
)

pytestmark = pytest.mark.django_db


def keys(suggestions):
    return [item.key for item in suggestions]


def test_tours_resolves_with_its_epci_departement_and_region():
    tours = resolve_territory("37261")
    assert (tours.name, tours.level) == ("Tours", Level.COMMUNE)
    assert [p.key for p in parents(tours)] == ["region-24", "37", "243700754"]
    assert tours.epci.name == "Tours Métropole Val de Loire"


def test_keys_tell_regions_from_departements():
    assert resolve_territory("region-24").name == "Centre-Val de Loire"
    assert resolve_territory("24").name == "Dordogne"
    assert resolve_territory("2A").name == "Corse-du-Sud"
    assert resolve_territory("971").name == "Guadeloupe"


@pytest.mark.parametrize("key", ["99999", "region-99", "abc", "", "37261x", "123456789"])
def test_unknown_keys_raise_a_404(key):
    with pytest.raises(UnknownTerritory):
        resolve_territory(key)


def test_every_commune_of_the_home_region_resolves():
    codes = list(Commune.objects.filter(region_id="24").values_list("code", flat=True))
    assert len(codes) == 1754
    assert all(resolve_territory(code).code == code for code in codes)


def test_region_children_are_its_six_departements():
    region = resolve_territory("region-24")
    assert [d.code for d in children(region)["departements"]] == [
        "18",
        "28",
        "36",
        "37",
        "41",
        "45",
    ]


def test_commune_filter_selects_by_every_level():
    tours = resolve_territory("37261")
    for key, expected in [("37261", 1), ("243700754", 22), ("37", 272), ("region-24", 1754)]:
        assert Commune.objects.filter(commune_filter(key, prefix="")).count() == expected
    assert Commune.objects.filter(commune_filter(tours, prefix="")).get() == tours


def test_postal_code_lookup_gives_tours_first():
    assert keys(suggest("37000"))[0] == "37261"
    assert suggest("37000")[0].label == "37000 — Tours"


def test_word_prefix_without_accent_finds_saint_epain():
    assert keys(suggest("epain")) == ["37216"]
    assert suggest("Saint-Épa")[0].label == "Saint-Épain (37)"


def test_home_region_communes_come_first_then_the_most_populous():
    results = [item for item in suggest("saint") if item.level == "commune"]
    communes = [resolve_territory(item.key) for item in results]
    assert {commune.region_id for commune in communes} == {settings.ESSAIM_REGION}
    populations = [commune.population for commune in communes]
    assert populations == sorted(populations, reverse=True)
    assert suggest("saint")[0].label == "Seine-Saint-Denis (93)"  # départements come first


def test_departement_number_and_name_and_insee_code():
    assert keys(suggest("37"))[0] == "37"
    assert keys(suggest("indre"))[:2] == ["36", "37"]
    assert keys(suggest("37261")) == ["37261"]
    assert len(suggest("a")) == 10
