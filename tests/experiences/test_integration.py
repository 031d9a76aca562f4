"""Sheets across the site: sitemap, search, theme and territory pages, initiative pages,
navigation. Drafts and private sheets appear on none of them."""

import pytest
from wagtail.models import GroupPagePermission, PageViewRestriction

from essaim.accounts.roles import Role
from essaim.experiences.models import ExperienceIndexPage
from essaim.taxonomy.models import Theme
from tests.experiences.conftest import make_sheet
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def sheets(index):
    theme = Theme.objects.create(name="Ressourceries", slug="ressourceries")
    initiative = make_initiative("Ressourcerie de Loches", slug="ressourcerie-loches")
    live = make_sheet(index, "Collecte itinérante réussie", themes=[theme], initiative=initiative)
    draft = make_sheet(index, "Collecte brouillon secrète", publish=False, themes=[theme],
                       initiative=initiative)  # fmt: skip
    private = make_sheet(index, "Collecte privée secrète", themes=[theme], initiative=initiative)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return {"live": live, "draft": draft, "private": private, "initiative": initiative}


@pytest.mark.django_db
def test_migration_made_the_index_page_with_editors_permissions(client, index):
    assert index.url == "/experiences/" and index.live
    codenames = set(GroupPagePermission.objects.filter(page=index, group__name=Role.EDITOR)
                    .values_list("permission__codename", flat=True))  # fmt: skip
    assert {"add_page", "change_page", "publish_page"} <= codenames
    assert ExperienceIndexPage.subpage_types == ["experiences.ExperiencePage"]


@pytest.mark.django_db
def test_sitemap_lists_the_index_and_live_public_sheets_only(client, sheets):
    assert "/sitemap-experiences.xml</loc>" in client.get("/sitemap.xml").content.decode()
    xml = client.get("/sitemap-experiences.xml").content.decode()

    assert "/experiences/</loc>" in xml
    assert "/experiences/collecte-itinerante-reussie/</loc>" in xml
    assert "secrete" not in xml


@pytest.mark.django_db
def test_search_finds_live_public_sheets_only(client, sheets):
    html = client.get("/recherche/?q=collecte").content.decode()

    assert "Collecte itinérante réussie" in html
    assert "secrète" not in html


@pytest.mark.django_db
def test_theme_page_lists_live_public_sheets_only(client, sheets):
    html = client.get("/themes/ressourceries/").content.decode()

    assert "Expériences documentées" in html and "Collecte itinérante réussie" in html
    assert "secrète" not in html
    assert 'href="/experiences/?theme=ressourceries"' in html


@pytest.mark.django_db
def test_territory_page_lists_live_public_sheets_only(client, sheets):
    html = client.get("/territoires/37/").content.decode()

    assert "Collecte itinérante réussie" in html and "secrète" not in html


@pytest.mark.django_db
def test_initiative_page_links_its_live_public_sheets_only(client, sheets):
    html = client.get("/initiatives/ressourcerie-loches/").content.decode()

    assert '<h2 id="experiences-documentees">Expériences documentées</h2>' in html
    assert 'href="/experiences/collecte-itinerante-reussie/"' in html
    assert "secrète" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_initiative_page_query_count_does_not_grow_with_sheets(
    client, index, count, django_assert_max_num_queries
):
    initiative = make_initiative("Ressourcerie de Loches", slug="ressourcerie-loches")
    for number in range(count):
        make_sheet(index, f"Fiche {number}", initiative=initiative)

    with django_assert_max_num_queries(9):
        html = client.get("/initiatives/ressourcerie-loches/").content.decode()

    assert html.count('href="/experiences/fiche-') == count


@pytest.mark.django_db
def test_main_navigation_and_site_map_link_the_experiences(client, index):
    html = client.get("/experiences/").content.decode()

    assert '<a href="/experiences/" aria-current="page">Expériences</a>' in html
    assert 'href="/experiences/"' in client.get("/plan-du-site/").content.decode()


@pytest.mark.django_db
def test_editors_may_add_sheets_in_the_back_office_with_light_choosers(client, index, editor):
    client.force_login(editor)

    response = client.get(f"/admin/pages/add/experiences/experiencepage/{index.pk}/")

    assert response.status_code == 200
    # Choosers, not <select>s of every commune and initiative (4 MB before).
    assert len(response.content) < 1_000_000
    assert b"experiences_commune_chooser" in response.content
