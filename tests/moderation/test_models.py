import pytest

from essaim.moderation.exceptions import TransitionNotAllowed
from essaim.moderation.models import Status
from tests.moderation.conftest import make_proposal
from tests.testapp.models import Proposal


@pytest.mark.django_db
def test_public_returns_only_published_items_that_are_not_hidden():
    visible = make_proposal(Status.PUBLISHED, title="visible")
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        make_proposal(status, title=status)
    make_proposal(Status.PUBLISHED, title="masqué", is_hidden=True)

    assert list(Proposal.objects.public()) == [visible]


@pytest.mark.django_db
def test_needing_review_is_pending_and_hidden_items():
    pending = make_proposal(Status.PENDING, title="en attente")
    hidden = make_proposal(Status.PUBLISHED, title="masqué", is_hidden=True)
    make_proposal(Status.PUBLISHED, title="publié")
    make_proposal(Status.REJECTED, title="refusé")

    assert set(Proposal.objects.needing_review()) == {pending, hidden}
    assert list(Proposal.objects.pending()) == [pending]


def test_check_transition_refuses_what_the_status_does_not_allow():
    archived = Proposal(status=Status.ARCHIVED)

    assert archived.check_transition("restore") == Status.PUBLISHED
    with pytest.raises(TransitionNotAllowed):
        archived.check_transition("publish")


@pytest.mark.django_db
def test_contributor_email_prefers_the_account_address(owner):
    signed = make_proposal(submitted_by=owner, submitter_email="autre@example.net")
    anonymous = make_proposal(submitter_email="anon@example.net")

    assert signed.contributor_email == "alice@example.org"
    assert anonymous.contributor_email == "anon@example.net"


@pytest.mark.django_db
def test_report_url_names_the_type_and_the_item():
    item = make_proposal()

    assert item.get_report_url() == f"/signaler/testapp.proposal/{item.pk}/"
