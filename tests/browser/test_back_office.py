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
