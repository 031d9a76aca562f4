"""Nobody outside a project's team reaches its data: every assessment URL answers 404 to
anonymous visitors, signed-in outsiders and members of another project."""

import pytest
from django.urls import reverse

from essaim.evaluation import services
from tests.evaluation.conftest import make_project

pytestmark = pytest.mark.django_db
SECRET = "commentaire-tres-prive"


@pytest.fixture
def assessment(project, version, owner, member):
    found = services.start_assessment(project=project, version=version, title="Éval", by=owner)
    criterion = version.criteria().first()
    services.save_answer(
        assessment=found, respondent=member, criterion=criterion, level=2, comment=SECRET
    )
    services.add_action(project=project, assessment=found, title=SECRET, by=owner)
    return found


def private_urls(assessment) -> list[tuple[str, str]]:
    pk, slug = assessment.pk, assessment.project.slug
    criterion = assessment.version.criteria().first().pk
    action = assessment.actions.get().pk
    return [
        ("get", reverse("evaluation:project", args=[slug])),
        ("post", reverse("evaluation:invite", args=[slug])),
        ("post", reverse("evaluation:assessment-create", args=[slug])),
        ("get", reverse("evaluation:assessment", args=[pk])),
        ("get", reverse("evaluation:answer", args=[pk])),
        ("post", reverse("evaluation:answer", args=[pk])),
        ("post", reverse("evaluation:autosave", args=[pk, criterion])),
        ("get", reverse("evaluation:consolidate", args=[pk])),
        ("post", reverse("evaluation:consolidate", args=[pk])),
        ("post", reverse("evaluation:action-create", args=[pk])),
        ("post", reverse("evaluation:action-update", args=[action])),
        ("get", reverse("evaluation:report", args=[pk])),
        ("get", reverse("evaluation:report-pdf", args=[pk])),
        ("get", reverse("evaluation:export-csv", args=[pk])),
    ]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_team"])
def test_every_private_url_is_404_outside_the_team(
    client, assessment, who, outsider, django_user_model
):
    if who == "outsider":
        client.force_login(outsider)
    elif who == "other_team":
        make_project("Autre projet", outsider)
        client.force_login(outsider)

    for method, url in private_urls(assessment):
        response = getattr(client, method)(url, {"status": "done", "title": "x"})
        assert response.status_code == 404, (method, url, response.status_code)
        assert SECRET not in response.content.decode()
    assert assessment.actions.get().status == "todo"


def test_staff_may_read_results_but_not_answer(client, assessment, moderator):
    client.force_login(moderator)

    assert client.get(assessment.get_absolute_url()).status_code == 200
    assert client.get(reverse("evaluation:answer", args=[assessment.pk])).status_code == 404


def test_joining_a_campaign_with_someone_elses_project_is_404(client, assessment, outsider):
    from datetime import timedelta

    from django.utils import timezone

    from essaim.evaluation.models import Campaign

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="c",
        title="C",
        version=assessment.version,
        opens_on=today,
        closes_on=today + timedelta(days=9),
    )
    client.force_login(outsider)

    response = client.post(
        reverse("evaluation:campaign-join", args=["c"]), {"project": assessment.project.slug}
    )

    assert response.status_code == 404 and not campaign.assessments.exists()
