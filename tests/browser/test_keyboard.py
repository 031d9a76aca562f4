"""Keyboard-only journeys (issue #12, RGAA 12.13 and 7.3): propose an initiative, find an
event near a commune and register, support a consultation proposal — with Tab, typing,
Space and Enter only, never a click. Every control is reached by tabbing from the top
of the page, in document order, and shows a visible focus ring when reached."""

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from essaim.agenda.models import Registration
from essaim.consultations.models import Phase, Support
from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.taxonomy.services import load_themes
from tests.agenda.conftest import make_event
from tests.browser.helpers import assert_accessible, log_in
from tests.browser.test_initiatives import no_tiles
from tests.conftest import make_user
from tests.consultations.factories import make_consultation, make_proposal

MAX_TABS = 250
FOCUS_RING = """el => { const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2; }"""


@pytest.fixture
def fast_forms(settings):
    # The anti-spam minimum fill time would make the browser wait; the rule has its own tests.
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, and check the focus can be seen."""
    element = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", element):
            ring = page.evaluate(FOCUS_RING, element)
            assert ring, f"no visible focus ring on {target}"
            return
    pytest.fail(f"{target} never received the focus in {MAX_TABS} presses of Tab")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def test_propose_an_initiative_with_the_keyboard_alone(new_page, fast_forms):
    load_themes()
    page = no_tiles(new_page())
    page.goto("/initiatives/proposer/")

    type_into(page, page.get_by_label("Nom").first, "Recyclerie du Chinonais")
    type_into(page, page.get_by_label("Présentation courte"), "Réemploi et ateliers.")
    tab_to(page, page.get_by_role("group", name="Réemploi et déchets").get_by_label("En général"))
    page.keyboard.press("Space")
    type_into(page, page.get_by_label("Code postal"), "37500")
    type_into(page, page.get_by_label("Commune"), "Chinon")
    type_into(page, page.get_by_label("Votre adresse e-mail"), "lea@example.net")
    tab_to(page, page.get_by_role("button", name="Envoyer la proposition"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre proposition")
    proposed = Initiative.objects.get(name="Recyclerie du Chinonais")
    assert proposed.status == Status.PENDING and proposed.commune_id == "37072"
    assert [t.name for t in proposed.themes.all()] == ["Réemploi et déchets"]  # "en général"


def test_find_an_event_near_a_commune_and_register_with_the_keyboard_alone(
    new_page, fast_forms, owner
):
    make_event("Formation : tenir sa comptabilité", slug="formation-compta",
               registration_mode="builtin", capacity=10, owner=owner)  # fmt: skip
    make_event("Atelier à Orléans", slug="atelier-orleans", commune="45234")
    page = no_tiles(new_page())
    page.goto("/agenda/")

    type_into(page, page.get_by_label("Près de (commune)"), "Tours")
    tab_to(page, page.get_by_role("button", name="Filtrer"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/agenda/?**pres=Tours**")
    expect(page.get_by_role("link", name="Atelier à Orléans")).to_have_count(0)
    tab_to(page, page.get_by_role("link", name="Formation : tenir sa comptabilité").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Formation : tenir sa comptabilité")

    type_into(page, page.get_by_label("Votre nom"), "Léa Martin")
    type_into(page, page.get_by_label("Votre adresse e-mail"), "lea@example.net")
    tab_to(page, page.get_by_label("J'accepte ces conditions."))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="M'inscrire"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre inscription")
    registration = Registration.objects.get()
    assert registration.name == "Léa Martin" and registration.email == "lea@example.net"
    assert len(mail.outbox) == 1
    assert_accessible(page)


def test_support_a_proposal_with_the_keyboard_alone(new_page, live_server, django_user_model):
    citizen = make_user(django_user_model, "camille@example.org")
    consultation = make_consultation(Phase.SUPPORTS, slug="budget-participatif")
    proposal = make_proposal(consultation, title="Des composteurs de quartier")
    page = no_tiles(new_page())
    log_in(page, citizen, live_server.url)
    page.goto(proposal.get_absolute_url())

    tab_to(page, page.get_by_role("button", name="Soutenir cette proposition"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Merci, votre soutien est enregistré.")).to_be_visible()
    assert Support.objects.filter(proposal=proposal, user=citizen).exists()
    tab_to(page, page.get_by_role("button", name="Retirer mon soutien"))
