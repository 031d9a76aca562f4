"""List pages do not grow their query count with their items (5 and 30 of each)."""

import pytest
from django.urls import reverse

from essaim.evaluation import services
from tests.evaluation.conftest import make_project
from tests.evaluation.helpers import campaign_with_answers

pytestmark = pytest.mark.django_db


def projects_of(user, count, version):
    for n in range(count):
        project = make_project(f"Projet {n}", user)
        services.start_assessment(project=project, version=version, title="1", by=user)


@pytest.mark.parametrize("count", [5, 30])
def test_index_lists_projects_in_constant_queries(
    client, owner, version, count, django_assert_max_num_queries
):
    projects_of(owner, count, version)
    client.force_login(owner)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluation:index")).content.decode()

    assert page.count("/evaluation/projets/projet-") == count


@pytest.mark.parametrize("count", [5, 30])
def test_project_page_with_many_assessments_and_actions(
    client, owner, project, version, count, django_assert_max_num_queries
):
    for n in range(count):
        assessment = services.start_assessment(
            project=project, version=version, title=f"É{n}", by=owner
        )
        services.add_action(project=project, assessment=assessment, title=f"A{n}", by=owner)
    client.force_login(owner)

    with django_assert_max_num_queries(25):
        page = client.get(project.get_absolute_url()).content.decode()

    assert page.count('class="inline-form"') == count


@pytest.mark.parametrize("count", [5, 30])
def test_campaign_page_api_and_csv_do_not_grow_with_projects(
    client, count, django_assert_max_num_queries
):
    campaign = campaign_with_answers(count)

    with django_assert_max_num_queries(14):
        page = client.get(campaign.get_absolute_url()).content.decode()
    with django_assert_max_num_queries(12):
        api = client.get("/api/v1/evaluation/campaigns").json()["results"]
    with django_assert_max_num_queries(12):
        b"".join(client.get(reverse("evaluation:aggregates-csv")).streaming_content)

    assert f"{count} projets ont consolidé" in page and api[0]["projects"] == count


@pytest.mark.parametrize("count", [5, 20])
def test_answer_and_results_pages_do_not_grow_with_answers(
    client, owner, project, count, django_assert_max_num_queries
):
    from essaim.evaluation.models import Grid

    version = Grid.objects.get(slug="grille-essaim").latest_version()
    assessment = services.start_assessment(project=project, version=version, title="1", by=owner)
    for criterion in list(version.criteria())[:count]:
        services.save_answer(assessment=assessment, respondent=owner, criterion=criterion, level=2)
    client.force_login(owner)

    with django_assert_max_num_queries(14):
        client.get(reverse("evaluation:answer", args=[assessment.pk]))
    with django_assert_max_num_queries(20):
        client.get(assessment.get_absolute_url())
