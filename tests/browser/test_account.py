"""A person's own account pages in a real browser: the profile and the readable copy of
their data, with axe-core on each."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_person_reads_their_data_from_their_account(page, live_server, member):
    log_in(page, member, live_server.url)
    page.goto("/mon-compte/")
    assert_accessible(page)

    page.get_by_role("link", name="Consulter mes données").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    expect(page.get_by_role("heading", name="Compte")).to_be_visible()
    expect(page.get_by_text("bob@example.org").first).to_be_visible()
    assert_accessible(page)


def test_a_person_deletes_their_account_with_their_contributions(page, live_server, owner):
    from essaim.initiatives.models import Initiative
    from tests.initiatives.conftest import make_initiative

    make_initiative("Jardin d'Alice", owner=owner)
    log_in(page, owner, live_server.url)
    page.goto("/mon-compte/supprimer/")
    expect(page.get_by_label("Garder mes contributions publiées, sans mon nom")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Supprimer aussi mes contributions").check()
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page.get_by_text("Votre compte a été supprimé.")).to_be_visible()
    assert not Initiative.objects.exists()
