"""The directory's "Done when" in a real browser: a person creates a profile and hides a
field, which is then absent from the page, the API, the exports and the search; an
organisation posts a need and the matching offer's owner is notified; a visitor writes to an
organisation without ever seeing its address. axe-core on every page visited."""

import base64
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from essaim.directory.models import Membership, OfferNeed, Organisation
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import make_user

SECRET = "bureau-prive@ruche.example.org"
# A 1×1 transparent PNG answers every tile request: tests never reach the tile server.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def fast_forms(settings):
    # The anti-spam minimum fill time would make the browser wait; the rule has its own tests.
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


@pytest.fixture
def theme(transactional_db):
    return Theme.objects.create(name="Tiers-lieux", slug="tiers-lieux")


def organisation(name, *, email="", commune="37261", admins=(), themes=()):
    place = Commune.objects.get(pk=commune)
    made = Organisation.objects.create(
        name=name,
        slug=slugify(name),
        summary=f"{name}, au service du territoire.",
        commune=place,
        latitude=place.latitude,
        longitude=place.longitude,
        email=email,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    made.themes.set(themes)
    for user in admins:
        Membership.objects.create(organisation=made, user=user, role=Membership.Role.ADMIN)
    return made


def test_a_hidden_profile_field_is_absent_from_page_api_exports_and_search(
    page, new_page, live_server, theme, django_user_model
):
    person = make_user(django_user_model, "camille@example.org", display_name="Camille")
    log_in(page, person, live_server.url)
    page.goto("/mon-compte/profil-annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil dans l'annuaire")
    assert_accessible(page)
    page.get_by_label("Nom affiché").fill("Camille Xylophage")
    page.get_by_label(re.compile(r"^Présentation")).fill("Ancienne trésorière, Quokkadelphe.")
    page.get_by_label(re.compile(r"^Compétences")).fill("comptabilité, xylographie")
    page.get_by_label("Tiers-lieux").check()
    page.get_by_label("Visibilité : Présentation").select_option(label="Masqué")
    page.get_by_label("J'accepte d'apparaître dans l'annuaire des personnes").check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    assert_accessible(page)

    visitor = new_page()
    visitor.goto("/annuaire/personnes/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Camille Xylophage").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Camille Xylophage")
    expect(visitor.get_by_text("xylographie")).to_be_visible()
    assert "Quokkadelphe" not in visitor.content()
    assert "camille@example.org" not in visitor.content()
    assert_accessible(visitor)

    for url in ["/api/v1/people", "/donnees/personnes.csv", "/donnees/personnes.json"]:
        text = visitor.request.get(url).text()
        assert "Camille Xylophage" in text and "Quokkadelphe" not in text, url

    visitor.goto("/recherche/?q=xylographie")
    expect(visitor.get_by_role("link", name="Camille Xylophage")).to_be_visible()
    assert_accessible(visitor)
    visitor.goto("/recherche/?q=Quokkadelphe")
    expect(visitor.get_by_role("link", name="Camille Xylophage")).to_have_count(0)


def test_a_need_posted_by_an_organisation_notifies_the_matching_offer_owner(
    page, live_server, theme, django_user_model
):
    admin = make_user(django_user_model, "lea@ruche.example.org", display_name="Léa")
    offerer = organisation(
        "Maison des associations",
        email="salles@maison.example.org",
        commune="37122",
        themes=[theme],
    )
    offer = OfferNeed.objects.create(
        direction=OfferNeed.Direction.OFFER,
        kind=OfferNeed.Kind.PREMISES,
        title="Salle de 40 places prêtée le soir",
        organisation=offerer,
        commune=offerer.commune,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    offer.themes.set([theme])
    organisation("La Ruche", admins=[admin], themes=[theme])

    log_in(page, admin, live_server.url)
    page.goto("/annuaire/offres-besoins/publier/")
    assert_accessible(page)
    page.get_by_label("Offre ou besoin").select_option(label="Besoin")
    page.get_by_label("Nature").select_option(label="Locaux")
    page.get_by_label("Titre").fill("Cherche une salle pour nos ateliers")
    page.get_by_label("Tiers-lieux").check()
    page.get_by_label("Publié au nom de").select_option(label="La Ruche")
    page.get_by_role("button", name="Publier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Besoin : Cherche une salle pour nos ateliers"
    )
    expect(
        page.get_by_role("link", name="Offre : Salle de 40 places prêtée le soir")
    ).to_be_visible()
    assert_accessible(page)
    notice = [m for m in mail.outbox if m.to == ["salles@maison.example.org"]]
    assert len(notice) == 1 and "Cherche une salle pour nos ateliers" in notice[0].body
    assert "lea@ruche.example.org" not in notice[0].body

    page.goto("/annuaire/offres-besoins/")
    assert_accessible(page)
    page.goto("/annuaire/animateurs/")
    assert_accessible(page)


def test_a_visitor_contacts_an_organisation_without_seeing_its_address(page, fast_forms, theme):
    organisation("La Ruche Solidaire", email=SECRET, themes=[theme])
    page.goto("/annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des organisations")
    assert_accessible(page)
    page.get_by_role("link", name="La Ruche Solidaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La Ruche Solidaire")
    assert SECRET not in page.content()
    assert_accessible(page)

    page.get_by_label("Votre nom").fill("Vera")
    page.get_by_label("Votre adresse e-mail").fill("vera@example.net")
    page.get_by_label("Votre message").fill("Pouvons-nous visiter vos locaux samedi ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    assert SECRET not in page.content()
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [[SECRET]]
    assert mail.outbox[0].reply_to == ["vera@example.net"]


def test_the_pages_of_admins_members_and_facilitators_are_accessible(
    page, new_page, live_server, theme, django_user_model
):
    from essaim.accounts.roles import Role
    from essaim.directory.models import FacilitatorArea

    admin = make_user(django_user_model, "lea@ruche.example.org", display_name="Léa")
    ruche = organisation("La Ruche", admins=[admin], themes=[theme], email=SECRET)
    organisation("Le Réseau", themes=[theme])
    log_in(page, admin, live_server.url)
    for path in [
        "/annuaire/proposer/",
        f"/annuaire/{ruche.slug}/modifier/",
        f"/annuaire/{ruche.slug}/membres/",
        f"/annuaire/{ruche.slug}/liens/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.get_by_label("Type de lien").select_option(label="est membre de")
    page.get_by_label("Organisation liée").select_option(label="Le Réseau")
    page.get_by_role("button", name="Proposer le lien").click()
    expect(page.get_by_text("à confirmer par l'autre organisation")).to_be_visible()

    sacha = make_user(
        django_user_model, "sacha@example.org", Role.FACILITATOR, display_name="Sacha"
    )
    area = FacilitatorArea(user=sacha, territory_key="37")
    area.clean()
    area.save()
    facilitator = new_page()
    log_in(facilitator, sacha, live_server.url)
    facilitator.goto("/annuaire/mon-territoire/")
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Mon territoire")
    assert_accessible(facilitator)
    facilitator.goto("/annuaire/le-reseau/revendiquer/")
    assert_accessible(facilitator)

    visitor = new_page()
    visitor.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=PNG),
    )
    visitor.goto("/annuaire/animateurs/")
    expect(visitor.locator(".facilitator-map.is-ready")).to_be_visible()
    expect(visitor.get_by_role("link", name="Département d'Indre-et-Loire (37)")).to_be_visible()
    assert_accessible(visitor)
    visitor.goto("/territoires/37/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="écrire à Sacha").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Écrire à Sacha")
    assert "sacha@example.org" not in visitor.content()
    assert_accessible(visitor)
