import pytest

from essaim.initiatives.duplicates import (
    duplicates_of,
    find_duplicates,
    name_similarity,
)
from essaim.moderation.models import Status
from tests.initiatives.conftest import make_initiative

# One metre of latitude, in degrees.
METRE = 1 / 111_320


def test_names_compare_without_accents_case_order_or_small_words():
    assert name_similarity("Repair Café de Tours", "repair cafe tours") == 1
    assert name_similarity("Ressourcerie du Val", "La Resourcerie du Val") == 1  # a typo
    assert name_similarity("AMAP du Chinonais", "AMAP des Jardins") < 0.6


@pytest.mark.django_db
def test_similar_name_within_200_m_is_a_candidate_but_not_beyond():
    near = make_initiative("Repair café de Tours", latitude=47.39, longitude=0.68)
    make_initiative("Repair café Tours", slug="far", latitude=47.39 + 300 * METRE, longitude=0.68)

    found = find_duplicates(name="Repair Café Tours", latitude=47.39 + 50 * METRE, longitude=0.68)

    assert [(c.initiative, c.reason, c.distance) for c in found] == [(near, "proche", 50)]


@pytest.mark.django_db
def test_close_but_different_names_are_not_candidates():
    make_initiative("Épicerie solidaire", latitude=47.39, longitude=0.68)

    assert find_duplicates(name="Garage solidaire Tours", latitude=47.39, longitude=0.68) == []


@pytest.mark.django_db
def test_same_siret_or_rna_anywhere_is_a_candidate():
    siret = make_initiative("Un nom", siret="12345678900011", commune="45234")
    rna = make_initiative("Autre nom", rna="W372000001", commune="18033")

    found = find_duplicates(name="Rien à voir", siret="12345678900011", rna="W372000001")

    assert [(c.initiative, c.reason) for c in found] == [(siret, "siret"), (rna, "rna")]


@pytest.mark.django_db
def test_pending_ones_only_for_moderators_and_rejected_never():
    pending = make_initiative("AMAP de Tours", Status.PENDING, siret="12345678900011")
    make_initiative("AMAP Tours", Status.REJECTED, slug="rejected", siret="12345678900011")

    assert find_duplicates(name="x", siret="12345678900011", include_pending=False) == []
    assert [c.initiative for c in find_duplicates(name="x", siret="12345678900011")] == [pending]


@pytest.mark.django_db
def test_an_initiative_is_not_its_own_duplicate_and_at_most_20_are_listed():
    first = make_initiative("AMAP", slug="amap-0", siret="12345678900011")
    for number in range(1, 25):
        make_initiative("AMAP", slug=f"amap-{number}", siret="12345678900011")

    found = duplicates_of(first)

    assert len(found) == 20 and first not in [c.initiative for c in found]
