"""Alerts in a real browser: "nouvelles initiatives près de chez moi" from the form to the
unsubscription, and moderators' alerts by theme and territory; axe-core on every page."""

import pytest
from playwright.sync_api import expect

from essaim.initiatives.models import Subscription
from essaim.taxonomy.services import load_themes
from tests.browser.helpers import assert_accessible, log_in


@pytest.fixture
def fast_forms(settings):
    # The anti-spam minimum fill time would make the browser wait; the rule has its own tests.
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def test_nearby_alert_from_subscription_to_unsubscription(page, fast_forms):
    load_themes()
    page.goto("/initiatives/alertes/")
    assert_accessible(page)

    page.get_by_label("E-mail").fill("lea@example.net")
    page.get_by_label("Commune").fill("Nullepart-sur-Rien")
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_text("Commune inconnue : essayez son code postal.")).to_be_visible()
    assert page.get_by_label("Commune").get_attribute("aria-invalid") == "true"
    assert_accessible(page)  # the form with its errors

    page.get_by_label("Commune").fill("Tours (37)")
    page.get_by_label("Distance (km)").fill("15")
    page.get_by_role("group", name="Thèmes").get_by_label("Énergie", exact=True).check()
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre alerte")
    assert_accessible(page)

    subscription = Subscription.objects.get()
    assert (subscription.commune_id, subscription.radius_km) == ("37261", 15)
    page.goto(f"/initiatives/alertes/confirmer/{subscription.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerte confirmée")
    assert_accessible(page)

    page.goto(f"/initiatives/alertes/desabonner/{subscription.token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Désabonnement effectué")
    assert_accessible(page)
    assert not Subscription.objects.exists()


def test_moderator_adds_an_alert_by_theme_and_territory(page, live_server, moderator):
    load_themes()
    log_in(page, moderator, live_server.url)
    page.goto("/initiatives/alertes/moderation/")
    assert_accessible(page)

    page.get_by_role("textbox", name="Territoire").fill("Nullepart")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Territoire inconnu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("textbox", name="Territoire").fill("37")
    page.get_by_role("group", name="Thèmes").get_by_label("Énergie", exact=True).check()
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("list").filter(has_text="Énergie")).to_be_visible()
    assert_accessible(page)  # with the moderator's alert listed
    subscription = Subscription.objects.get()
    assert (subscription.territory_key, subscription.user) == ("37", moderator)
