"""No leak, evaluation: nothing of a project, its assessments, answers, comments, plan or
team reaches a public surface; campaigns show aggregates only, and only for groups of at
least ESSAIM_EVALUATION_MIN_GROUP projects.

Every private item carries a unique token; one public control (a campaign title, its
aggregates computed over five projects) must appear where a surface lists campaigns.
"""

import pytest
from django.urls import reverse

from essaim.evaluation import services
from essaim.evaluation.models import Campaign
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from tests.conftest import make_user
from tests.evaluation.conftest import make_project
from tests.evaluation.helpers import campaign_with_answers

PUBLIC = "qpublicevaluationz"
PRIVATE = ["qprojectz", "qdescriptionz", "qassessmentz", "qanswerz", "qevidencez",
           "qconsolidatedz", "qactionz", "qinvitez", "qsmallgroupz", "qleadz"]  # fmt: skip
TOURS = "37261"

SURFACES = [
    ("/evaluation/", True),
    ("/evaluation/campagnes/", True),
    ("/evaluation/campagnes/quetzal-qpublicevaluationz/", True),
    ("/evaluation/campagnes/petite-campagne/", False),
    ("/donnees/evaluation-agregats.csv", True),
    ("/api/v1/evaluation/campaigns", True),
    ("/api/v1/evaluation/campaigns/petite-campagne", False),
    ("/sitemap-evaluation.xml", True),
    ("/recherche/?q=Quetzal", False),
    ("/donnees/", False),
    ("/donnees/catalogue.jsonld", False),
    ("/territoires/37261/", False),
    ("/themes/quetzal-eval/", False),
    ("/observatoire/", False),
    ("/", False),
]


@pytest.fixture
def world(db, django_user_model, django_capture_on_commit_callbacks):
    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-eval")
    lead = make_user(django_user_model, "qleadz@example.org", display_name="Quetzal qleadz")
    with django_capture_on_commit_callbacks(execute=True):
        public = campaign_with_answers(5, slug="quetzal-qpublicevaluationz")
        Campaign.objects.filter(pk=public.pk).update(title=f"Quetzal {PUBLIC}")
        small = campaign_with_answers(
            4, slug="petite-campagne", levels={"c11": 3, "c12": 3, "c21": 3, "c22": 3}
        )
        for project in small.assessments.all().values_list("project", flat=True):
            from essaim.evaluation.models import Project

            Project.objects.filter(pk=project).update(name="Quetzal qsmallgroupz")
        project = make_project(
            "Quetzal qprojectz",
            lead,
            description="Quetzal qdescriptionz",
            theme=theme,
            commune=Commune.objects.get(pk=TOURS),
        )
        assessment = services.join_campaign(campaign=small, project=project, by=lead)
        assessment.title = "Quetzal qassessmentz"
        assessment.save()
        criterion = small.version.criteria().first()
        services.save_answer(
            assessment=assessment,
            respondent=lead,
            criterion=criterion,
            level=4,
            comment="Quetzal qanswerz",
            evidence_url="https://example.org/qevidencez",
        )
        services.consolidate(
            assessment=assessment,
            by=lead,
            values={criterion.pk: {"level": 4, "comment": "Quetzal qconsolidatedz"}},
        )
        services.add_action(
            project=project, assessment=assessment, title="Quetzal qactionz", by=lead
        )
        services.invite(
            project=project,
            email="qinvitez@example.org",
            by=lead,
            accept_url="http://testserver/evaluation/invitations/",
        )
    return assessment


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(("url", "lists"), SURFACES)
def test_public_surfaces_show_no_project_data(client, world, url, lists):
    response = client.get(url)
    text = body(response).lower()

    assert response.status_code == 200, url
    leaked = [token for token in PRIVATE if token in text]
    assert leaked == [], f"{url} shows private evaluation data: {leaked}"
    if lists:
        assert PUBLIC in text, f"{url} does not list the public campaign (broken control)"


def test_campaign_aggregates_name_no_project_and_give_no_single_level(client, world):
    found = client.get("/api/v1/evaluation/campaigns/petite-campagne").json()

    # Four projects consolidated plus the token project: five, so the group shows — but
    # only as quartiles; no name, comment or single project's level.
    assert found["projects"] == 5
    assert "qprojectz" not in str(found) and "qsmallgroupz" not in str(found)


@pytest.mark.parametrize("signed_in", [False, True])
def test_private_addresses_are_404_outside_the_team(client, world, signed_in, django_user_model):
    if signed_in:
        client.force_login(make_user(django_user_model, "x@example.org"))
    pk, slug = world.pk, world.project.slug
    urls = [
        reverse("evaluation:project", args=[slug]),
        reverse("evaluation:assessment", args=[pk]),
        reverse("evaluation:answer", args=[pk]),
        reverse("evaluation:consolidate", args=[pk]),
        reverse("evaluation:report", args=[pk]),
        reverse("evaluation:report-pdf", args=[pk]),
        reverse("evaluation:export-csv", args=[pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not [token for token in PRIVATE if token in body(response).lower()]
