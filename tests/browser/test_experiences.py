"""Experience sheets in a real browser: a sheet shows its linked initiative; a co-editor
edits a section from the site and the public history shows the change; axe-core on the
list, detail, edit form, history and comparison pages."""

import pytest
from playwright.sync_api import expect

from essaim.experiences.services import ensure_index_page
from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import make_user
from tests.experiences.conftest import make_sheet
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def index(transactional_db):
    """/experiences/, with the Wagtail tree a previous browser test's flush emptied."""
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code="fr")
    root = Page.objects.filter(depth=1).first() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    return ensure_index_page()


@pytest.fixture
def coeditor(transactional_db, django_user_model):
    return make_user(django_user_model, "dominique@equipe.example.org", display_name="Dominique")


@pytest.fixture
def sheet(index, coeditor):
    initiative = make_initiative("Ressourcerie de Loches", slug="ressourcerie-loches",
                                 commune="37132")  # fmt: skip
    return make_sheet(index, "Une ressourcerie itinérante", initiative=initiative,
                      co_editors=[coeditor], commune="37132")  # fmt: skip


def test_a_sheet_shows_its_linked_initiative(page, sheet):
    page.goto("/experiences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Expériences documentées")
    assert_accessible(page)

    page.get_by_role("link", name="Une ressourcerie itinérante").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Une ressourcerie itinérante")
    initiative = page.get_by_role("link", name="Ressourcerie de Loches")
    expect(initiative).to_have_attribute("href", "/initiatives/ressourcerie-loches/")
    expect(page.get_by_role("link", name="La voir sur la carte")).to_be_visible()
    assert "dominique@equipe.example.org" not in page.content()
    assert_accessible(page)


def test_a_co_editor_edits_a_section_and_the_history_shows_it(page, sheet, coeditor, live_server):
    log_in(page, coeditor, live_server.url)
    page.goto("/experiences/une-ressourcerie-itinerante/")
    page.get_by_role("link", name="Modifier cette fiche").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier")
    assert_accessible(page)

    lesson = "Tester la vente trois mois avant d'acheter le camion."
    page.get_by_label("Enseignements").fill(lesson)
    page.get_by_label("Note de modification").fill("Ajout des enseignements")
    page.get_by_role("button", name="Publier les modifications").click()

    expect(page.get_by_text("Vos modifications sont publiées.")).to_be_visible()
    expect(page.get_by_text(lesson)).to_be_visible()

    page.get_by_role("link", name="Historique des modifications").click()
    latest = page.get_by_role("row").nth(1)
    expect(latest).to_contain_text("Dominique")
    expect(latest).to_contain_text("Ajout des enseignements")
    assert_accessible(page)

    latest.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Enseignements")).to_be_visible()
    expect(page.locator(".diff ins")).to_contain_text("Tester la vente trois mois")
    assert_accessible(page)
