"""``EssaimPageQuerySet.public()``: Wagtail's meaning (no page at or below a view
restriction), without a query of its own once the restricted sections are cached, and
never stale: adding or removing a restriction, or moving a page, shows at once."""

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
    public_titles()  # reads the restricted sections once

    with django_assert_num_queries(1):
        assert [p.title for p in ExperiencePage.objects.live().public()] == ["Ouverte"]


@pytest.mark.django_db
def test_a_new_or_removed_restriction_shows_at_once(index):
    sheet = make_sheet(index, "Bientôt réservée")
    assert public_titles() == {"Bientôt réservée"}

    restriction = PageViewRestriction.objects.create(page=sheet, restriction_type="login")
    assert public_titles() == set()

    restriction.delete()
    assert public_titles() == {"Bientôt réservée"}


@pytest.mark.django_db
def test_a_sheet_moved_under_a_restricted_section_is_private_at_once(index):
    from essaim.experiences.models import ExperienceIndexPage

    sheet = make_sheet(index, "Déplacée")
    private_index = ExperienceIndexPage(title="Réservé", slug="reserve")
    Page.objects.get(depth=1).add_child(instance=private_index)
    PageViewRestriction.objects.create(page=private_index, restriction_type="login")
    assert public_titles() == {"Déplacée"}

    sheet.move(private_index, pos="last-child")

    assert public_titles() == set()


@pytest.mark.django_db
def test_a_restricted_sheet_stays_private_when_it_moves(index):
    from essaim.experiences.models import ExperienceIndexPage

    sheet = make_sheet(index, "Réservée qui déménage")
    other_index = ExperienceIndexPage(title="Autre", slug="autre")
    Page.objects.get(depth=1).add_child(instance=other_index)
    PageViewRestriction.objects.create(page=sheet, restriction_type="login")
    assert public_titles() == set()

    ExperiencePage.objects.get(pk=sheet.pk).move(other_index, pos="last-child")

    assert public_titles() == set()
