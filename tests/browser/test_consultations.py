"""The consultation's whole flow in a real browser (issue #10, "Done when"): a citizen
verifies an e-mail address through allauth's link, writes a proposal, a moderator
publishes it, two other people support it (a third support from the same person is
refused), the organiser answers, the results export shows it; a proposal hidden after
three reports is absent from every public surface; axe-core on every page."""

import csv
import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from essaim.accounts.roles import Role
from essaim.consultations.models import Phase, Proposal, Support
from essaim.moderation import services as moderation
from essaim.moderation.models import Status
from tests.browser.helpers import assert_accessible, log_in
from tests.browser.test_initiatives import no_tiles
from tests.conftest import PASSWORD, make_user
from tests.consultations.factories import make_consultation, make_proposal, set_phase

TITLE = "Un composteur partagé par quartier"
LINK = re.compile(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)")


def sign_up_and_verify(page) -> None:
    page.goto("/comptes/signup/")
    assert_accessible(page)
    page.locator("input[name=email]").fill("dora@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.wait_for_url("**/comptes/confirm-email/")
    link = LINK.search(mail.outbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    page.wait_for_load_state()


def write_proposal(page, slug: str) -> None:
    page.goto(f"/consultations/{slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Écrire une proposition").click()
    assert_accessible(page)
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Votre proposition").fill("Un bac par rue, entretenu par les voisins.")
    page.get_by_label("Commune concernée (facultatif)").fill("Tours")
    page.get_by_role("button", name="Placer le repère au centre de la carte").click()
    page.keyboard.press("ArrowUp")
    expect(page.locator(".pin-position")).to_contain_text("Repère placé")
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Votre proposition est envoyée")).to_be_visible()
    assert_accessible(page)


def publish(page, moderator, base_url) -> None:
    log_in(page, moderator, base_url)
    page.goto("/admin/moderation/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Contenu publié.")).to_be_visible()


def support(page, user, base_url, url) -> None:
    log_in(page, user, base_url)
    page.goto(url)
    page.get_by_role("button", name="Soutenir cette proposition").click()
    expect(page.get_by_text("Merci, votre soutien est enregistré.")).to_be_visible()
    assert_accessible(page)


def public_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200, url
    return response.text()


def test_verify_propose_moderate_support_answer_export(
    new_page, live_server, moderator, owner, member, outsider, django_user_model
):
    editor = make_user(django_user_model, "ed@example.org", Role.EDITOR, display_name="Élu")
    consultation = make_consultation(Phase.PROPOSALS, slug="quartiers", max_supports=3)
    base = live_server.url

    citizen = no_tiles(new_page())
    sign_up_and_verify(citizen)
    write_proposal(citizen, consultation.slug)
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.status == Status.PENDING and proposal.submitted_by.email == "dora@example.org"
    assert proposal.latitude is not None and proposal.longitude is not None

    publish(new_page(), moderator, base)
    proposal.refresh_from_db()
    assert proposal.is_public

    set_phase(consultation, Phase.SUPPORTS)
    url = proposal.get_absolute_url()
    support(new_page(), owner, base, url)
    bob, bob_again = new_page(), new_page()
    log_in(bob, member, base)
    log_in(bob_again, member, base)
    bob_again.goto(url)  # a second tab, its form loaded before the first support
    support(bob, member, base, url)
    expect(bob.get_by_text("Vous avez utilisé 1 soutien sur 3.").first).to_be_visible()
    bob_again.get_by_role("button", name="Soutenir cette proposition").click()
    expect(bob_again.get_by_text("Vous soutenez déjà cette proposition.")).to_be_visible()
    assert Support.objects.filter(proposal=proposal).count() == 2

    set_phase(consultation, Phase.ANSWERS)
    organiser = new_page()
    log_in(organiser, editor, base)
    organiser.goto(url)
    assert_accessible(organiser)
    organiser.locator("select[name=state]").select_option("accepted")
    organiser.get_by_label("Texte de la réponse").fill("Retenue : dix quartiers en 2027.")
    organiser.get_by_role("button", name="Publier la réponse").click()
    expect(organiser.get_by_text("Réponse publiée")).to_be_visible()
    answered = {m.to[0] for m in mail.outbox if "Réponse officielle" in m.subject}
    assert answered == {"dora@example.org", "alice@example.org", "bob@example.org"}

    visitor = new_page()
    visitor.goto(f"/consultations/{consultation.slug}/resultats/")
    assert_accessible(visitor)
    expect(visitor.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Retenue")
    rows = list(csv.DictReader(io.StringIO(
        public_text(visitor, f"/consultations/{consultation.slug}/resultats.csv"))))  # fmt: skip
    assert [(r["titre"], r["soutiens"], r["reponse"]) for r in rows] == [(TITLE, "2", "accepted")]
    visitor.goto(url)
    assert_accessible(visitor)
    visitor.goto("/consultations/")
    assert_accessible(visitor)


def test_a_proposal_hidden_after_reports_is_absent_everywhere(
    new_page, live_server, owner, member, outsider, moderator
):
    consultation = make_consultation(Phase.SUPPORTS, slug="quartiers")
    make_proposal(consultation, title="Visible zinnia")
    hidden = make_proposal(consultation, title="Masquée zirconium")
    for user in (member, outsider, moderator):
        moderation.report(obj=hidden, reason="spam", by=user)
    hidden.refresh_from_db()
    assert hidden.is_hidden

    visitor = new_page()
    visitor.goto(f"/consultations/{consultation.slug}/")
    assert_accessible(visitor)
    expect(visitor.get_by_role("link", name="Visible zinnia")).to_be_visible()
    surfaces = [
        f"/consultations/{consultation.slug}/", f"/consultations/{consultation.slug}/?tri=soutiens",
        f"/consultations/{consultation.slug}/resultats/",
        f"/consultations/{consultation.slug}/resultats.csv",
        f"/consultations/{consultation.slug}/resultats.json", "/donnees/consultations.csv",
        f"/api/v1/consultations/{consultation.slug}/proposals", "/recherche/?q=Masquée",
        "/sitemap-consultations.xml",
    ]  # fmt: skip
    for surface in surfaces:
        assert "zirconium" not in public_text(visitor, surface).lower(), surface
    assert "zinnia" in public_text(visitor, "/donnees/consultations.csv").lower()
    assert visitor.request.get(hidden.get_absolute_url()).status == 404
    visitor.goto(f"/consultations/{consultation.slug}/resultats/")
    assert_accessible(visitor)


@pytest.mark.parametrize("phase", [Phase.DISCUSSION])
def test_discussion_page_is_accessible_with_threads(new_page, live_server, owner, member, phase):
    from essaim.consultations import services

    consultation = make_consultation(phase, slug="quartiers")
    proposal = make_proposal(consultation, title="Fil de discussion")
    first = services.add_comment(proposal=proposal, author=owner, body="Premier avis")
    services.add_comment(proposal=proposal, author=member, body="Une réponse", parent=first)
    page = new_page()
    log_in(page, member, live_server.url)
    page.goto(proposal.get_absolute_url())
    expect(page.get_by_text("Une réponse")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Votre commentaire").fill("Un nouvel avis")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Votre commentaire est publié.")).to_be_visible()
    assert_accessible(page)


def test_an_organisation_deposits_a_contribution_with_a_table_of_contents(
    new_page, live_server, member
):
    consultation = make_consultation(Phase.PROPOSALS, slug="quartiers")
    page = no_tiles(new_page())
    log_in(page, member, live_server.url)
    page.goto(f"/consultations/{consultation.slug}/contribuer/")
    assert_accessible(page)
    page.locator("input[name=title]").fill("Notre contribution au débat")
    page.locator("textarea[name=summary]").fill("Trois idées pour coopérer.")
    page.get_by_label("Titre de la section 1").fill("Ce que nous observons")
    page.get_by_label("Texte de la section 1").fill("Un constat partagé.")
    page.get_by_label("Titre de la section 2").fill("Ce que nous proposons")
    page.get_by_label("Texte de la section 2").fill("Des lieux ouverts.")
    page.get_by_role("button", name="Envoyer la contribution").click()
    expect(page.get_by_text("Votre proposition est envoyée")).to_be_visible()
    toc = page.get_by_role("navigation", name="Sommaire")
    toc.get_by_role("link", name="Ce que nous proposons").click()
    expect(page.get_by_role("heading", name="2. Ce que nous proposons")).to_be_visible()
    assert_accessible(page)
    pdf = page.request.get(f"{page.url.split('#')[0]}contribution.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
