"""The agenda in a real browser: propose anonymously → moderate → find near a commune and on
the detail page; calendar and map views; "near me" through the browser's geolocation;
axe-core on every agenda page."""

import base64
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from essaim.agenda.models import Event
from essaim.moderation.models import Status
from essaim.taxonomy.services import load_themes
from tests.agenda.conftest import PARIS, make_event
from tests.browser.helpers import assert_accessible, log_in

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
TOURS = (47.3941, 0.6848)


def no_tiles(page):
    def answer(route):
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://tile.openstreetmap.org/**", answer)
    return page


@pytest.fixture
def fast_forms(settings):
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def next_week() -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 18, 0, tzinfo=PARIS)


def propose(page):
    page.goto("/agenda/proposer/")
    assert_accessible(page)
    page.get_by_label("Titre").fill("Troc de graines à Tours")
    page.get_by_label("Présentation courte").fill("Apportez vos graines, repartez avec d'autres.")
    page.get_by_role("group", name="Alimentation et agriculture").get_by_label(
        "Jardins partagés"
    ).check()
    page.locator("#id_day").fill(next_week().date().isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.locator("#id_repeat").select_option("weekly")
    page.get_by_label("Ou nombre de fois").fill("3")
    page.locator("#id_commune_label").fill("Tours")
    page.get_by_label("Votre adresse e-mail").fill("lea@example.net")
    page.get_by_role("button", name="Voir les prochaines dates").click()
    expect(page.get_by_role("heading", name="Prochaines dates")).to_be_visible()
    expect(page.locator(".date-preview li")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre proposition")


def publish(page, moderator, live_server):
    log_in(page, moderator, live_server.url)
    page.goto("/admin/moderation/")
    page.get_by_role("link", name="Troc de graines à Tours").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Contenu publié.")).to_be_visible()


def test_propose_moderate_and_find_near_a_commune(new_page, live_server, fast_forms, moderator):
    load_themes()
    visitor = no_tiles(new_page())
    propose(visitor)
    assert Event.objects.get().status == Status.PENDING
    visitor.goto("/agenda/")
    expect(visitor.get_by_text("Aucun événement à venir")).to_be_visible()

    publish(no_tiles(new_page()), moderator, live_server)

    visitor.goto("/agenda/?pres=Tours&rayon=10")
    expect(visitor.get_by_role("link", name="Troc de graines à Tours")).to_have_count(3)
    assert_accessible(visitor)
    visitor.goto("/agenda/?pres=Orléans&rayon=10")
    expect(visitor.get_by_role("link", name="Troc de graines à Tours")).to_have_count(0)
    visitor.goto("/agenda/?pres=Tours&rayon=10")
    visitor.get_by_role("link", name="Troc de graines à Tours").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Troc de graines à Tours")
    expect(visitor.locator(".event-dates li")).to_have_count(3)
    assert_accessible(visitor)


def test_calendar_map_and_embed_load_and_are_accessible(page, live_server):
    start = next_week()
    make_event("Atelier vélo", start=start, rrule="FREQ=WEEKLY;COUNT=3", commune="37261")
    make_event("Marché d'Orléans", start=start + timedelta(days=1), commune="45234")
    no_tiles(page)
    page.goto(f"/agenda/?vue=calendrier&mois={start:%Y-%m}")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("link", name="18h00 Atelier vélo").first).to_be_visible()
    assert_accessible(page)
    page.goto("/agenda/?vue=carte")
    expect(page.locator("#agenda-map")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
    assert_accessible(page)
    page.goto("/agenda/embed/")
    expect(page.get_by_role("link", name="Atelier vélo").first).to_be_visible()
    assert_accessible(page)
    page.goto("/agenda/")
    assert_accessible(page)


def test_near_me_uses_the_browser_position(new_page, live_server):
    make_event("Atelier à Tours", start=next_week(), commune="37261")
    make_event("Atelier à Orléans", start=next_week(), commune="45234")
    page = new_page(geolocation={"latitude": TOURS[0], "longitude": TOURS[1]},
                    permissions=["geolocation"])  # fmt: skip
    page.goto("/agenda/")
    page.get_by_role("button", name="Près de moi").click()
    expect(page).to_have_url(re.compile(r"lat=47\.3941"))
    expect(page.get_by_role("link", name="Atelier à Tours")).to_be_visible()
    expect(page.get_by_role("link", name="Atelier à Orléans")).to_have_count(0)
    expect(page.get_by_text("Autour de votre position.")).to_be_visible()
