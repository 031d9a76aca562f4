"""Proposals and comments of every consultation go through the one shared moderation queue."""

import pytest

from essaim.consultations import services
from essaim.consultations.models import Comment, Phase
from essaim.moderation.models import Status
from tests.consultations.factories import make_consultation, make_proposal

pytestmark = pytest.mark.django_db


def test_pending_proposals_and_comments_of_all_consultations_share_one_queue(
    client, owner, moderator
):
    first = make_consultation(Phase.PROPOSALS, slug="une")
    second = make_consultation(Phase.DISCUSSION, slug="deux", pre_moderated_comments=True)
    proposal = services.submit_proposal(consultation=first, author=owner, title="Prop lupin")
    comment = services.add_comment(proposal=make_proposal(second), author=owner, body="Avis ortie")
    client.force_login(moderator)
    queue = client.get("/admin/moderation/").content.decode()
    assert "Prop lupin" in queue and "Avis ortie" in queue
    item = client.get(f"/admin/moderation/consultations.comment/{comment.pk}/")
    assert item.status_code == 200 and "Avis ortie" in item.content.decode()
    client.post(f"/admin/moderation/consultations.proposal/{proposal.pk}/publish/")
    proposal.refresh_from_db()
    assert proposal.status == Status.PUBLISHED
    client.post(f"/admin/moderation/consultations.comment/{comment.pk}/publish/")
    assert Comment.objects.public().get() == comment


def test_visitors_report_a_public_comment(client, owner):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION))
    comment = services.add_comment(proposal=proposal, author=owner, body="Signalable")
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert comment.get_report_url() in html and proposal.get_report_url() in html
    assert client.get(comment.get_report_url()).status_code == 200
