"""The back office (Wagtail admin) works under its relaxed CSP for the staff who use it."""

import pytest

from essaim.moderation import services
from tests.browser.helpers import log_in
from tests.testapp.models import Proposal


@pytest.fixture
def pending_proposal(member):
    proposal = Proposal.objects.create(title="Épicerie fantôme", body="…", submitted_by=member)
    services.submit(obj=proposal, by=member)
    return proposal


def test_moderator_works_the_queue_in_the_back_office(
    page, live_server, moderator, pending_proposal
):
    log_in(page, moderator, live_server.url)
    page.goto("/admin/")
    page.get_by_role("link", name="Modération").first.click()
    page.wait_for_load_state("networkidle")
    assert "Épicerie fantôme" in page.content()
    page.get_by_role("link", name="Épicerie fantôme").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Publier").first.click()
    page.wait_for_load_state("networkidle")
    pending_proposal.refresh_from_db()
    assert pending_proposal.status == "published"


def test_moderator_blocks_an_address_and_refuses_its_wave(page, live_server, moderator):
    wave = []
    for title in ("Pub n°1", "Pub n°2"):
        item = Proposal.objects.create(title=title, body="…")
        services.submit(obj=item, email="spam@example.net", address_hash="e" * 32)
        wave.append(item)
    honest = Proposal.objects.create(title="Jardin partagé", body="…")
    services.submit(obj=honest, address_hash="d" * 32)
    log_in(page, moderator, live_server.url)

    page.goto("/admin/moderation/")
    page.get_by_role("link", name="Pub n°1").click()
    page.get_by_role(
        "link", name="Bloquer l'adresse et refuser ses contributions en attente"
    ).click()
    page.wait_for_load_state("networkidle")
    assert "Pub n°2" in page.content() and "Jardin partagé" not in page.content()
    page.get_by_label("Motif").fill("Vague de publicité.")
    page.get_by_role("button", name="Confirmer : bloquer et refuser").click()
    page.wait_for_load_state("networkidle")

    assert "1 adresse(s) bloquée(s), 2 contenu(s) refusé(s)." in page.content()
    assert [p.status for p in Proposal.objects.order_by("pk")] == ["rejected", "rejected",
                                                                   "pending"]  # fmt: skip
    page.get_by_role("link", name="Adresses bloquées").click()
    page.get_by_role("button", name="Débloquer #eeeeeeee").click()
    page.wait_for_load_state("networkidle")
    assert "Aucune adresse bloquée." in page.content()
