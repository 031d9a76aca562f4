"""``EssaimPageQuerySet.public()``: Wagtail's meaning (no page at or below a view
restriction) in one query."""

import pytest
from wagtail.models import Page, PageViewRestriction

from essaim.experiences.models import ExperiencePage
from tests.experiences.conftest import make_sheet


def public_titles() -> set[str]:
    return set(ExperiencePage.objects.live().public().values_list("title", flat=True))


@pytest.mark.django_db
def test_a_restricted_sheet_is_not_public_and_the_others_are(index):
    make_sheet(index, "Ouverte")
    private = make_sheet(index, "Réservée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert public_titles() == {"Ouverte"}
    assert set(ExperiencePage.objects.not_public().values_list("title", flat=True)) == {"Réservée"}


@pytest.mark.django_db
def test_a_restriction_on_the_index_hides_every_sheet_below_it(index):
    make_sheet(index, "Une")
    make_sheet(index, "Deux")
    PageViewRestriction.objects.create(page=index, restriction_type="password", password="x")

    assert public_titles() == set()


@pytest.mark.django_db
def test_same_rows_as_wagtails_public(index):
    for title in ("A", "B", "C", "D"):
        make_sheet(index, title)
    restricted = ExperiencePage.objects.get(title="B")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    wagtails = Page.objects.live().public().type(ExperiencePage).values_list("title", flat=True)
    assert public_titles() == set(wagtails) == {"A", "C", "D"}


@pytest.mark.django_db
def test_public_costs_no_query_of_its_own(index, django_assert_num_queries):
    make_sheet(index, "Ouverte")
    PageViewRestriction.objects.create(page=make_sheet(index, "Privée"), restriction_type="login")

    with django_assert_num_queries(1):
        assert [p.title for p in ExperiencePage.objects.live().public()] == ["Ouverte"]
