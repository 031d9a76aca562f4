"""One parser for the list, feeds and API: what each parameter keeps and refuses."""

import pytest
from django.http import QueryDict

from essaim.agenda import filters
from essaim.agenda.models import AttendanceMode
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from tests.agenda.conftest import make_event, paris

pytestmark = pytest.mark.django_db

NOW = paris(2027, 3, 1, 12, 0)


def titles(query: str) -> list[str]:
    f = filters.parse(QueryDict(query))
    assert f.errors == {}
    return [o.event.title for o in filters.occurrences(f, now=NOW)]


def test_coming_occurrences_only_public_and_soonest_first():
    make_event("Passé", start=paris(2027, 2, 1, 10, 0))
    make_event("Plus tard", start=paris(2027, 4, 1, 10, 0))
    make_event("Bientôt", start=paris(2027, 3, 2, 10, 0))
    make_event("En attente", start=paris(2027, 3, 3, 10, 0), status=Status.PENDING)
    assert titles("") == ["Bientôt", "Plus tard"]


def test_dates_are_local_days_inclusive():
    make_event("Le 10 à 23h30", start=paris(2027, 3, 10, 23, 30), end=paris(2027, 3, 10, 23, 45))
    make_event("Le 11 à 00h30", start=paris(2027, 3, 11, 0, 30))
    assert titles("du=2027-03-10&au=2027-03-10") == ["Le 10 à 23h30"]


def test_near_a_commune_within_the_radius():
    make_event("À Tours", commune="37261")
    make_event("À Orléans", commune="45234", slug="orleans")  # ~110 km away
    assert titles("pres=37261&rayon=20") == ["À Tours"]
    assert titles("pres=Tours&rayon=150") == ["À Tours", "À Orléans"]


def test_theme_includes_sub_themes_and_territory_any_level():
    food = Theme.objects.create(name="Alimentation", slug="alimentation")
    amap = Theme.objects.create(name="AMAP", slug="amap", parent=food)
    make_event("Distribution AMAP", themes=[amap])
    make_event("Autre", commune="45234")
    assert titles("theme=alimentation") == ["Distribution AMAP"]
    assert titles("territoire=37") == ["Distribution AMAP"]


def test_online_free_and_accessible_flags():
    make_event("En ligne", attendance_mode=AttendanceMode.ONLINE, online_url="https://v.example")
    make_event("Payant accessible", is_free=False, accessibility_motor=True)
    assert titles("en_ligne=1") == ["En ligne"]
    assert titles("gratuit=1") == ["En ligne"]
    assert titles("accessible=1") == ["Payant accessible"]


def test_bad_values_are_named_not_ignored():
    f = filters.parse(QueryDict("du=demain&territoire=99999&theme=nope&pres=Atlantide&rayon=x"))
    assert sorted(f.errors) == ["du", "pres", "rayon", "territoire", "theme"]
    assert "demain" in f.errors["du"]
