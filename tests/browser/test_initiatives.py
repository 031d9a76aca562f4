"""The contributive map's main flow in a real browser: propose → moderate → public →
reported three times → hidden; axe-core on the list, detail and proposal pages; the
proposal's map pin placed and moved with the keyboard alone."""

import base64
import re

import pytest
from playwright.sync_api import expect

from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.taxonomy.services import load_themes
from tests.browser.helpers import assert_accessible, log_in

# A 1×1 transparent PNG: tiles are answered locally, nothing reaches the network.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def no_tiles(page):
    def answer(route):
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://tile.openstreetmap.org/**", answer)
    return page


@pytest.fixture
def fast_forms(settings):
    # The anti-spam minimum fill time would make the browser wait; the rule has its own tests.
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def propose(page):
    page.goto("/initiatives/proposer/")
    assert_accessible(page)
    page.get_by_label("Nom").first.fill("Ressourcerie de la Vienne")
    page.get_by_label("Présentation courte").fill("Objets de seconde main et ateliers.")
    page.get_by_role("group", name="Réemploi et déchets").get_by_label("En général").check()
    page.get_by_label(re.compile(r"^Adresse")).fill("2 rue Voltaire")
    page.get_by_label("Code postal").fill("37500")
    page.get_by_label("Commune").fill("Chinon")
    page.get_by_label("Votre adresse e-mail").fill("lea@example.net")
    button = page.get_by_role("button", name="Envoyer la proposition")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre proposition")


def publish(page, moderator, live_server):
    log_in(page, moderator, live_server.url)
    page.goto("/admin/moderation/")
    page.get_by_role("link", name="Ressourcerie de la Vienne").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Contenu publié.")).to_be_visible()


def report(page, user, live_server, url):
    log_in(page, user, live_server.url)
    page.goto(url)
    page.get_by_role("link", name="Signaler une erreur ou une fermeture").click()
    page.get_by_label("N'existe plus").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Merci pour votre signalement")).to_be_visible()


def test_propose_moderate_show_report_hide(new_page, live_server, fast_forms, moderator,
                                           owner, member, outsider):  # fmt: skip
    load_themes()
    visitor = no_tiles(new_page())
    propose(visitor)
    assert Initiative.objects.get().status == Status.PENDING

    publish(no_tiles(new_page()), moderator, live_server)

    visitor.goto("/initiatives/")
    expect(visitor.get_by_role("link", name="Ressourcerie de la Vienne")).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Ressourcerie de la Vienne").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ressourcerie de la Vienne")
    assert_accessible(visitor)
    url = visitor.url

    for user in (owner, member, outsider):
        report(no_tiles(new_page()), user, live_server, url)

    visitor.goto("/initiatives/")
    expect(visitor.get_by_text("Aucune initiative ne correspond")).to_be_visible()
    assert visitor.request.get(url).status == 404


def test_keyboard_places_and_nudges_the_pin_and_hears_its_position(page):
    no_tiles(page)
    page.goto("/initiatives/proposer/")
    latitude = page.locator("input[name=latitude]")
    longitude = page.locator("input[name=longitude]")
    place = page.get_by_role("button", name="Placer le repère au centre de la carte")
    place.focus()
    page.keyboard.press("Enter")
    pin = page.get_by_role("button", name="Repère de l’initiative (flèches pour le déplacer)")
    expect(pin).to_be_focused()
    start = float(latitude.input_value()), float(longitude.input_value())
    assert start == (47.5, 1.7)  # the région's centre, where the map opens

    scroll = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    moved = float(latitude.input_value()), float(longitude.input_value())
    assert moved[0] > start[0] and moved[1] > start[1]
    page.keyboard.press("Shift+ArrowLeft")
    fine = float(latitude.input_value()), float(longitude.input_value())
    assert fine[0] == moved[0]
    step, fine_step = moved[1] - start[1], moved[1] - fine[1]
    assert abs(fine_step * 10 - step) < step / 5  # Shift: a tenth of a step
    assert page.evaluate("window.scrollY") == scroll  # the arrows moved the pin, not the page
    expect(pin).to_be_focused()

    live = page.locator(".pin-position")
    assert live.get_attribute("aria-live") == "polite"
    text = live.inner_text()
    said = re.fullmatch(r"Repère placé : latitude (\d+,\d{5}), longitude (\d+,\d{5})\.", text)
    assert said, text
    heard = [float(value.replace(",", ".")) for value in said.groups()]
    assert abs(heard[0] - fine[0]) <= 1e-5 and abs(heard[1] - fine[1]) <= 1e-5
    assert_accessible(page)
