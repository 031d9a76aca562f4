"""Publications in a real browser: a member proposes an article from the front end, an
editor requests changes in the Wagtail admin, the member edits and resubmits, the editor
publishes; the article then shows in its dossier, its theme page, /articles.rss and the
search. axe-core on the list, detail and proposal pages."""

import importlib

import feedparser
import pytest
from django.apps import apps
from playwright.sync_api import expect
from wagtail.models import Locale, Page, Site

from essaim.accounts.roles import Role
from essaim.accounts.services import sync_role_groups
from essaim.publications.models import ArticlePage, DossierIndexPage, DossierPage
from essaim.taxonomy.models import Theme
from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import make_user

TREE = importlib.import_module("essaim.publications.migrations.0002_page_tree_and_review")


@pytest.fixture
def page_tree(transactional_db):
    """The page tree and workflow the migrations made (live-server tests flush tables)."""
    if not Site.objects.exists():
        Locale.objects.get_or_create(language_code="fr")
        root = Page.objects.filter(depth=1).first() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Accueil", slug="home", live=False))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    sync_role_groups()
    TREE.forwards(apps, None)


def workflow_action(page, live_server, article, action, comment=""):
    """What the admin's action menu posts (its modal collects the comment)."""
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_state.current_task_state
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    url = f"{live_server.url}/admin/pages/workflow/action/{article.pk}/{action}/{state.pk}/"
    response = page.request.post(url, form={"comment": comment}, headers={"X-CSRFToken": token,
                                 "Referer": f"{live_server.url}/admin/"})  # fmt: skip
    assert response.ok, response.text()[:500]


def test_member_proposal_reviewed_then_published_everywhere(new_page, live_server, page_tree,
                                                             django_user_model):  # fmt: skip
    member = make_user(django_user_model, "ruche@example.org", Role.MEMBER,
                       display_name="La Ruche")  # fmt: skip
    editor = make_user(django_user_model, "eddie@example.org", Role.EDITOR,
                       display_name="Eddie")  # fmt: skip
    theme = Theme.objects.create(name="Monnaies locales", slug="monnaies-locales")
    dossier = DossierPage(title="Dossier monnaies", slug="dossier-monnaies", lead="Le dossier.",
                          theme=theme)  # fmt: skip
    DossierIndexPage.objects.get().add_child(instance=dossier)

    author = new_page()
    log_in(author, member, live_server.url)
    author.goto("/articles/proposer/")
    assert_accessible(author)
    author.locator("#id_title").fill("La Barbaste circule à Vierzon")
    author.locator("#id_lead").fill("Une monnaie locale pour le nord du Cher.")
    author.locator("#id_body").fill("Premier paragraphe.\n\nSecond paragraphe.")
    author.get_by_label("En général").check()
    author.locator("#id_territory").fill("18279")
    author.get_by_role("button", name="Envoyer pour relecture").click()
    expect(author.get_by_text("En relecture", exact=True)).to_be_visible()
    assert_accessible(author)
    article = ArticlePage.objects.get(title="La Barbaste circule à Vierzon")

    reviewer = new_page()
    log_in(reviewer, editor, live_server.url)
    reviewer.goto(f"/admin/pages/{article.pk}/edit/")
    expect(reviewer.get_by_text("Demander des modifications").first).to_be_attached()
    workflow_action(reviewer, live_server, article, "reject", "Ajoutez le nombre d'adhérents.")

    author.goto("/articles/mes-propositions/")
    expect(author.get_by_text("Modifications demandées")).to_be_visible()
    expect(author.get_by_text("Ajoutez le nombre d'adhérents.")).to_be_visible()
    author.get_by_role("link", name="Modifier et renvoyer").click()
    assert_accessible(author)
    author.locator("#id_lead").fill("Une monnaie locale pour le nord du Cher : 120 adhérents.")
    author.get_by_role("button", name="Renvoyer pour relecture").click()
    expect(author.get_by_text("En relecture", exact=True)).to_be_visible()

    workflow_action(reviewer, live_server, article, "approve")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.lead.endswith("120 adhérents.")

    visitor = new_page()
    visitor.goto("/articles/")
    expect(visitor.get_by_role("link", name="La Barbaste circule à Vierzon")).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="La Barbaste circule à Vierzon").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("La Barbaste circule à Vierzon")
    assert_accessible(visitor)
    visitor.goto(dossier.url)
    expect(visitor.get_by_role("link", name="La Barbaste circule à Vierzon")).to_be_visible()
    visitor.goto(f"/themes/{theme.slug}/")
    expect(visitor.get_by_role("link", name="La Barbaste circule à Vierzon")).to_be_visible()
    rss = feedparser.parse(visitor.request.get("/articles.rss").body())
    assert not rss.bozo
    assert [entry.title for entry in rss.entries] == ["La Barbaste circule à Vierzon"]
    visitor.goto("/recherche/?q=barbaste")
    expect(visitor.get_by_role("link", name="La Barbaste circule à Vierzon")).to_be_visible()
