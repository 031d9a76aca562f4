import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.evaluation import aggregates, services
from essaim.evaluation.models import Campaign
from essaim.taxonomy.models import Theme
from tests.conftest import make_user
from tests.evaluation.conftest import make_project
from tests.evaluation.helpers import answer_all, consolidate_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(version):
    today = timezone.localdate()
    return Campaign.objects.create(
        slug="campagne-2026",
        title="Campagne 2026",
        version=version,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )


def answered_projects(campaign, count: int, django_user_model, *, theme=None, start=0):
    for n in range(start, start + count):
        lead = make_user(django_user_model, f"lead{n}@example.org")
        project = make_project(f"Projet secret {n}", lead, theme=theme)
        assessment = services.join_campaign(campaign=campaign, project=project, by=lead)
        levels = {"c11": n % 5, "c12": 2, "c21": 4, "c22": None}
        answer_all(assessment, lead, levels)
        consolidate_with(assessment, levels, by=lead)


def test_four_projects_show_no_aggregate(client, campaign, django_user_model):
    answered_projects(campaign, 4, django_user_model)

    page = client.get(campaign.get_absolute_url()).content.decode()

    assert aggregates.campaign_aggregates(campaign) == {"projects": None, "groups": []}
    assert 'data-testid="no-aggregate"' in page and "Projet secret" not in page


def test_five_projects_show_quartiles_per_axis_and_core_criterion(
    client, campaign, django_user_model
):
    answered_projects(campaign, 5, django_user_model)

    found = aggregates.campaign_aggregates(campaign)
    page = client.get(campaign.get_absolute_url()).content.decode()

    overall = found["groups"][0]
    assert (found["projects"], overall.kind, overall.projects) == (5, "ensemble", 5)
    # Axe un: c11 in 0..4 and c12 = 2 → scores 25, 37.5, 50, 62.5, 75.
    assert [(f.code, f.q1, f.median, f.q3) for f in overall.axes] == [
        ("a1", 37.5, 50.0, 62.5),
        ("a2", 100.0, 100.0, 100.0),
    ]
    assert [(f.code, f.median) for f in overall.core] == [("c11", 2.0), ("c21", 4.0)]
    assert 'data-testid="aggregate-ensemble"' in page and "Projet secret" not in page


def test_a_theme_is_shown_only_with_five_projects_in_it(campaign, django_user_model):
    alimentation = Theme.objects.create(name="Alimentation", slug="alimentation-test")
    answered_projects(campaign, 5, django_user_model, theme=alimentation)
    answered_projects(
        campaign,
        4,
        django_user_model,
        start=5,
        theme=Theme.objects.create(name="Mobilité", slug="mobilite-test"),
    )

    groups = aggregates.campaign_aggregates(campaign)["groups"]

    assert [(g.kind, g.label, g.projects) for g in groups] == [
        ("ensemble", "Tous les projets", 9),
        ("theme", "Alimentation", 5),
    ]


def test_unconsolidated_assessments_do_not_count(campaign, django_user_model):
    answered_projects(campaign, 4, django_user_model)
    lead = make_user(django_user_model, "late@example.org")
    services.join_campaign(campaign=campaign, project=make_project("Tardif", lead), by=lead)

    assert aggregates.campaign_aggregates(campaign)["groups"] == []


def test_threshold_follows_the_setting(campaign, django_user_model, settings):
    settings.ESSAIM_EVALUATION_MIN_GROUP = 3
    answered_projects(campaign, 3, django_user_model)

    assert aggregates.campaign_aggregates(campaign)["projects"] == 3


def test_open_data_csv_and_api_give_the_same_aggregates(client, campaign, django_user_model):
    answered_projects(campaign, 5, django_user_model)

    response = client.get(reverse("evaluation:aggregates-csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    api = client.get("/api/v1/evaluation/campaigns").json()["results"]

    assert [(r["indicateur_type"], r["code"], r["mediane"]) for r in rows] == [
        ("axe", "a1", "50.0"),
        ("axe", "a2", "100.0"),
        ("critere", "c11", "2.0"),
        ("critere", "c21", "4.0"),
    ]
    assert api[0]["projects"] == 5
    assert [f["median"] for f in api[0]["groups"][0]["axes"]] == [50.0, 100.0]
    assert "Projet secret" not in str(api) + str(rows)


def test_api_campaign_without_enough_projects_has_no_group(client, campaign, django_user_model):
    answered_projects(campaign, 2, django_user_model)

    found = client.get("/api/v1/evaluation/campaigns/campagne-2026").json()

    assert (found["projects"], found["groups"]) == (None, [])
    assert client.get("/api/v1/evaluation/campaigns/nulle-part").status_code == 404


def test_lead_joins_an_open_campaign_and_answers_its_version(client, campaign, owner):
    project = make_project("Mon projet", owner)
    client.force_login(owner)

    response = client.post(
        reverse("evaluation:campaign-join", args=[campaign.slug]), {"project": project.slug}
    )

    assessment = project.assessments.get()
    assert (assessment.campaign, assessment.version) == (campaign, campaign.version)
    assert response.url == reverse("evaluation:answer", args=[assessment.pk])


def test_campaign_list_and_catalogue_entry_are_public(client, campaign):
    assert "Campagne 2026" in client.get(reverse("evaluation:campaigns")).content.decode()
    assert "evaluation-agregats.csv" in client.get(reverse("observatory:data")).content.decode()


def test_api_campaign_list_is_paginated_with_a_next_link(client, version):
    today = timezone.localdate()
    for n in range(3):
        Campaign.objects.create(
            slug=f"c{n}",
            title=f"C{n}",
            version=version,
            opens_on=today - timedelta(days=n),
            closes_on=today,
        )

    response = client.get("/api/v1/evaluation/campaigns", {"page_size": 2})
    found = response.json()

    assert (found["count"], found["licence"]) == (3, "ODbL-1.0")
    assert [c["slug"] for c in found["results"]] == ["c0", "c1"]
    assert 'rel="next"' in response["Link"]
