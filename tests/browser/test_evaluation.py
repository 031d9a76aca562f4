"""Self-assessment in a real browser (issue #8, "Done when"): two team members answer (one
with autosave, one with the plain form), the lead consolidates, the radar and the table agree
with the answers (axis = mean of answered criteria × 25), a second assessment overlays the
first; a campaign with four projects shows no aggregate and with five shows it; axe-core
finds nothing on any page."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from essaim.evaluation import services
from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import make_user
from tests.evaluation.conftest import make_project, make_version
from tests.evaluation.helpers import answer_all, campaign_with_answers, consolidate_with


@pytest.fixture
def team(transactional_db, django_user_model):
    alice = make_user(django_user_model, "alice@example.org", display_name="Alice")
    bob = make_user(django_user_model, "bob@example.org", display_name="Bob")
    version = make_version()
    project = make_project("Recyclerie du Véron", alice, bob)
    return alice, bob, project, version


def choose(page, criterion: str, label: str) -> None:
    page.get_by_role("group", name=criterion).get_by_label(label, exact=True).check()


def test_two_members_answer_the_lead_consolidates_and_a_second_assessment_overlays(
    new_page, team, live_server
):
    alice, bob, project, version = team
    lead = new_page()
    log_in(lead, alice, live_server.url)
    lead.goto("/evaluation/")
    assert_accessible(lead)
    lead.get_by_role("link", name="Recyclerie du Véron").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Recyclerie du Véron")
    assert_accessible(lead)
    lead.get_by_label("Titre de l'évaluation").fill("Éval 2025")
    lead.get_by_label("Grille").select_option(label=str(version))
    lead.get_by_role("button", name="Commencer").click()

    # Alice answers with autosave: each choice is stored as soon as it is made.
    expect(lead.get_by_role("heading", level=1)).to_have_text("Mes réponses — Éval 2025")
    assert_accessible(lead)
    for criterion, label in [
        ("Critère c11", "4 — c11 niveau 4"),
        ("Critère c12", "2 — c12 niveau 2"),
        ("Critère c21", "1 — c21 niveau 1"),
        ("Critère c22", "Sans objet pour notre projet"),
    ]:
        choose(lead, criterion, label)
        expect(lead.locator("[data-autosave-status]")).to_have_text("Réponse enregistrée.")
    expect(lead.locator("[data-progress-text]")).to_have_text("4 critères renseignés sur 4")
    answer_url = lead.url
    lead.reload()
    expect(
        lead.get_by_role("group", name="Critère c11").get_by_label("4 — c11 niveau 4", exact=True)
    ).to_be_checked()

    # Bob answers privately, without waiting for autosave: the form's own button.
    member = new_page(java_script_enabled=False)
    log_in(member, bob, live_server.url)
    member.goto(answer_url)
    for criterion, label in [
        ("Critère c11", "2 — c11 niveau 2"),
        ("Critère c12", "2 — c12 niveau 2"),
        ("Critère c21", "3 — c21 niveau 3"),
        ("Critère c22", "Sans objet pour notre projet"),
    ]:
        choose(member, criterion, label)
    member.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("Éval 2025")

    # The lead consolidates with the proposed medians: 3, 2, 2 and N/A.
    lead.goto(answer_url.replace("repondre/", "consolider/"))
    assert_accessible(lead)
    lead.get_by_role("button", name="Enregistrer la consolidation").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Éval 2025")
    assert_accessible(lead)
    scores = lead.get_by_test_id("scores")
    # Axe un: (3 + 2) / 2 × 25 = 62.5; Axe deux: 2 × 25 = 50 (c22 N/A left out).
    expect(scores.locator('td[data-axis="a1"]')).to_have_text("62,5")
    expect(scores.locator('td[data-axis="a2"]')).to_have_text("50")
    polygon = lead.locator("svg.radar polygon.radar-series")
    expect(polygon).to_have_count(1)
    expect(polygon).to_have_attribute("points", "260.0,153.8 260.0,345.0")
    expect(lead.get_by_test_id("completeness")).to_contain_text("75 %")
    expect(lead.get_by_test_id("gaps")).to_contain_text("Critère c11 (2–4)")
    lead.get_by_role("link", name="Rapport imprimable").click()
    assert_accessible(lead)

    # A second assessment, a year later: the radar overlays both and the table has both.
    second = services.start_assessment(
        project=project, version=version, title="Éval 2026", by=alice
    )
    Assessment = type(second)
    Assessment.objects.filter(pk=second.pk).update(
        started_on=second.started_on.replace(year=second.started_on.year + 1)
    )
    answer_all(second, alice, {"c11": 4, "c12": 4, "c21": 4, "c22": 4})
    consolidate_with(second, {"c11": 4, "c12": 4, "c21": 4, "c22": 4}, by=alice)
    lead.goto(second.get_absolute_url())
    expect(lead.locator("svg.radar polygon.radar-series")).to_have_count(2)
    expect(lead.locator("svg.radar polygon.radar-current")).to_have_attribute(
        "points", "260.0,90.0 260.0,430.0"
    )
    expect(scores.locator("thead th")).to_have_text(["Axe", "Éval 2025", "Éval 2026"])
    expect(scores.locator('td[data-axis="a1"]')).to_have_text(["62,5", "100"])
    assert_accessible(lead)


def test_a_campaign_shows_aggregates_from_five_projects_only(page, transactional_db):
    campaign = campaign_with_answers(4, slug="campagne-2026")
    page.goto("/evaluation/campagnes/")
    assert_accessible(page)
    page.get_by_role("link", name=campaign.title).click()
    expect(page.get_by_test_id("no-aggregate")).to_be_visible()
    expect(page.locator("table.aggregates")).to_have_count(0)
    assert_accessible(page)

    lead = get_user_model().objects.create_user(email="cinquieme@example.org")
    project = make_project("Cinquième projet", lead)
    assessment = services.join_campaign(campaign=campaign, project=project, by=lead)
    levels = {"c11": 4, "c12": 2, "c21": 4, "c22": None}
    answer_all(assessment, lead, levels)
    consolidate_with(assessment, levels, by=lead)
    page.reload()

    table = page.get_by_test_id("aggregate-ensemble")
    expect(table.locator("caption")).to_have_text("Tous les projets — 5 projets")
    # Axe un over the five projects: 25, 37.5, 50, 62.5 (four) and 75 (the fifth).
    expect(table.get_by_role("row", name="Axe un")).to_contain_text("50")
    expect(page.get_by_test_id("no-aggregate")).to_have_count(0)
    assert "Cinquième projet" not in page.content()
    assert_accessible(page)


def test_a_project_is_created_and_an_invited_person_joins_its_team(
    new_page, live_server, transactional_db, django_user_model, mailoutbox
):
    alice = make_user(django_user_model, "alice@example.org", display_name="Alice")
    charlie = make_user(django_user_model, "charlie@example.org", display_name="Charlie")
    visitor = new_page()
    visitor.goto("/evaluation/")
    expect(visitor.get_by_role("link", name="Connectez-vous")).to_be_visible()
    assert_accessible(visitor)

    lead = new_page()
    log_in(lead, alice, live_server.url)
    lead.goto("/evaluation/projets/nouveau/")
    assert_accessible(lead)
    lead.get_by_label("Nom du projet").fill("Épicerie solidaire de Joué")
    lead.get_by_role("button", name="Créer le projet").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Épicerie solidaire de Joué")
    lead.get_by_label("Adresse e-mail de la personne invitée").fill("charlie@example.org")
    lead.get_by_role("button", name="Inviter").click()
    expect(lead.get_by_role("status")).to_contain_text("Invitation envoyée.")

    link = next(word for word in mailoutbox[-1].body.split() if "/invitations/" in word)
    invitee = new_page()
    log_in(invitee, charlie, live_server.url)
    invitee.goto(link)
    assert_accessible(invitee)
    invitee.get_by_role("button", name="Rejoindre l'équipe").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Épicerie solidaire de Joué")
    team = invitee.get_by_role("region", name="Équipe")
    expect(team.get_by_role("listitem")).to_have_text(["Alice — responsable", "Charlie — membre"])
