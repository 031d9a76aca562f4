from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from essaim.accounts.roles import Role
from essaim.initiatives import services
from essaim.initiatives.models import Vote
from essaim.moderation.models import Status
from tests.conftest import make_user
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def voters(db, django_user_model):
    Group.objects.get_or_create(name=Role.MEMBER)
    return [make_user(django_user_model, f"m{n}@example.org", Role.MEMBER) for n in range(10)]


def aged(initiative, days):
    initiative.submitted_at = timezone.now() - timedelta(days=days)
    initiative.save()
    return initiative


@pytest.mark.parametrize(
    ("approvals", "oppositions", "old_enough", "decision"),
    [(5, 0, True, True), (5, 0, False, None), (5, 1, True, None), (0, 5, True, False),
     (10, 3, False, True), (2, 10, False, False), (4, 0, True, None)],
)  # fmt: skip
def test_gogocarto_thresholds(approvals, oppositions, old_enough, decision):
    assert services.votes_decision(approvals=approvals, oppositions=oppositions,
                                   old_enough=old_enough) is decision  # fmt: skip


@pytest.mark.django_db
def test_five_votes_publish_once_two_days_have_passed(voters, pending):
    for voter in voters[:5]:
        services.cast_vote(initiative=pending, voter=voter, approve=True)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING  # submitted today

    aged(pending, 3)
    assert services.review_pending_initiatives()["decided"] == 1
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED


@pytest.mark.django_db
def test_one_vote_each_and_changeable(voters, pending):
    services.cast_vote(initiative=pending, voter=voters[0], approve=True)
    services.cast_vote(initiative=pending, voter=voters[0], approve=False)

    assert list(Vote.objects.values_list("voter", "approve")) == [(voters[0].pk, False)]


@pytest.mark.django_db
def test_ten_votes_against_refuse_at_once(voters, pending):
    for voter in voters:
        services.cast_vote(initiative=aged(pending, 0), voter=voter, approve=False)

    pending.refresh_from_db()
    assert pending.status == Status.REJECTED


@pytest.mark.django_db
def test_no_vote_on_ones_own_nor_without_the_role_nor_on_published(owner, outsider, voters,
                                                                    published):  # fmt: skip
    own = make_initiative("À moi", Status.PENDING, slug="a-moi", owner=voters[0])

    for voter, initiative in [(voters[0], own), (outsider, own), (voters[1], published)]:
        with pytest.raises(services.VoteNotAllowed):
            services.cast_vote(initiative=initiative, voter=voter, approve=True)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_vote_page_for_members_and_refusals(client, voters, outsider, pending):
    url = f"/initiatives/{pending.slug}/voter/"

    assert client.post(url, {"approve": "1"}).status_code == 302  # to the log-in page
    client.force_login(outsider)
    assert client.post(url, {"approve": "1"}).status_code == 403
    assert client.get("/initiatives/a-valider/").status_code == 403
    assert not Vote.objects.exists()
    client.force_login(voters[0])
    assert pending.name in client.get("/initiatives/a-valider/").content.decode()
    client.post(url, {"approve": "1"})
    assert Vote.objects.get().approve is True


@pytest.mark.django_db
def test_a_vote_read_before_another_decided_does_not_publish_twice(voters, pending):
    from essaim.initiatives.models import Initiative
    from essaim.moderation.models import ModerationEvent

    stale = Initiative.objects.get(pk=pending.pk)  # read by a concurrent request, still pending
    for voter in voters:
        Vote.objects.create(initiative=pending, voter=voter, approve=True)
    assert services.decide_by_votes(initiative=pending) is True

    assert services.decide_by_votes(initiative=stale) is None
    assert stale.status == Status.PENDING  # untouched: it decided nothing
    published = ModerationEvent.objects.filter(action=ModerationEvent.Action.PUBLISHED)
    assert published.count() == 1
