import re

import pytest
from django.core import mail
from django.urls import reverse

from essaim.evaluation import services
from essaim.evaluation.models import Answer, Assessment, ConsolidatedAnswer, ProjectMember
from tests.evaluation.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(project, version, owner):
    return services.start_assessment(project=project, version=version, title="Éval 2025", by=owner)


def test_index_lists_my_projects_only(client, owner, project, outsider):
    make_project("Projet d'un autre", outsider)
    client.force_login(owner)

    page = client.get(reverse("evaluation:index")).content.decode()

    assert "Projet Quetzal" in page and "Projet d'un autre" not in page


def test_creating_a_project_makes_me_its_lead(client, outsider):
    client.force_login(outsider)

    response = client.post(reverse("evaluation:project-create"), {"name": "Ma Recyclerie"})

    member = ProjectMember.objects.get(user=outsider)
    assert (member.project.name, member.role) == ("Ma Recyclerie", "lead")
    assert response.url == member.project.get_absolute_url()


def test_invited_person_signs_in_and_joins(client, owner, project, outsider):
    client.force_login(owner)
    client.post(reverse("evaluation:invite", args=[project.slug]), {"email": "c@example.org"})
    link = re.search(r"https?://\S+/evaluation/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.logout()

    assert client.get(path).status_code == 302  # sign in first
    client.force_login(outsider)
    client.post(path)

    assert project.members.filter(user=outsider, role="member").exists()
    assert client.post(path).status_code == 404  # spent


def test_member_answers_through_the_plain_form(client, member, assessment):
    criteria = list(assessment.version.criteria())
    data = {f"c{c.pk}-level": "3" for c in criteria}
    data[f"c{criteria[1].pk}-level"] = "na"
    data[f"c{criteria[0].pk}-comment"] = "On avance"
    client.force_login(member)

    response = client.post(reverse("evaluation:answer", args=[assessment.pk]), data)

    assert response.status_code == 302
    answers = Answer.objects.filter(respondent=member).order_by(
        "criterion__axis__position", "criterion__position"
    )
    assert [(a.level, a.not_applicable) for a in answers] == [
        (3, False),
        (None, True),
        (3, False),
        (3, False),
    ]
    assert answers[0].comment == "On avance"


def test_autosave_stores_one_criterion_and_reports_progress(client, member, assessment):
    criterion = assessment.version.criteria().first()
    client.force_login(member)

    response = client.post(
        reverse("evaluation:autosave", args=[assessment.pk, criterion.pk]),
        {f"c{criterion.pk}-level": "2"},
    )

    assert response.json() == {"answered": 1, "total": 4}
    assert Answer.objects.get(respondent=member).level == 2


def test_autosave_refuses_a_bad_evidence_link(client, member, assessment):
    criterion = assessment.version.criteria().first()
    client.force_login(member)

    response = client.post(
        reverse("evaluation:autosave", args=[assessment.pk, criterion.pk]),
        {f"c{criterion.pk}-evidence_url": "pas une adresse"},
    )

    assert response.status_code == 400 and not Answer.objects.exists()


def test_respondents_answers_are_private_to_each(client, owner, member, assessment):
    criterion = assessment.version.criteria().first()
    services.save_answer(
        assessment=assessment,
        respondent=owner,
        criterion=criterion,
        level=4,
        comment="commentaire-secret-d-alice",
    )
    client.force_login(member)

    page = client.get(reverse("evaluation:answer", args=[assessment.pk])).content.decode()

    assert "commentaire-secret-d-alice" not in page


def test_lead_consolidates_with_the_median_by_default(client, owner, member, assessment):
    criteria = list(assessment.version.criteria())
    for user, level in ((owner, 1), (member, 2)):
        services.save_answer(
            assessment=assessment, respondent=user, criterion=criteria[0], level=level
        )
    client.force_login(owner)
    form = client.get(reverse("evaluation:consolidate", args=[assessment.pk])).content.decode()
    assert re.search(r'<option value="2" selected>2 —', form)

    data = {f"c{c.pk}-level": "" for c in criteria} | {f"c{criteria[0].pk}-level": "2"}
    client.post(reverse("evaluation:consolidate", args=[assessment.pk]), data)

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CONSOLIDATED
    assert ConsolidatedAnswer.objects.get(criterion=criteria[0]).level == 2


def test_member_cannot_consolidate(client, member, assessment):
    client.force_login(member)

    assert client.get(reverse("evaluation:consolidate", args=[assessment.pk])).status_code == 404


def test_results_page_shows_scores_in_a_table(client, owner, member, assessment):
    criteria = list(assessment.version.criteria())
    for criterion in criteria:
        services.save_answer(assessment=assessment, respondent=owner, criterion=criterion, level=4)
    client.force_login(member)

    page = client.get(assessment.get_absolute_url()).content.decode()

    assert 'role="img"' in page and "<caption>" in page
    assert re.search(r'data-axis="a1">100<', page)


def test_action_is_added_and_marked_done(client, member, assessment):
    criterion = assessment.version.criteria().first()
    client.force_login(member)
    client.post(
        reverse("evaluation:action-create", args=[assessment.pk]),
        {
            "title": "Réunir les usagers",
            "criterion": criterion.pk,
            "owner": member.pk,
            "due_on": "2026-06-30",
        },
    )
    action = assessment.project.actions.get()

    client.post(reverse("evaluation:action-update", args=[action.pk]), {"status": "done"})

    action.refresh_from_db()
    assert (action.title, action.status, action.done_at is not None) == (
        "Réunir les usagers",
        "done",
        True,
    )


def test_next_assessment_shows_what_was_done_since_the_previous_one(
    client, owner, project, version
):
    from datetime import timedelta

    from tests.evaluation.helpers import consolidate_with

    first = services.start_assessment(project=project, version=version, title="2025", by=owner)
    consolidate_with(first, {"c11": 1}, by=owner)
    done = services.add_action(project=project, assessment=first, title="Action menée", by=owner)
    services.set_action_status(action=done, status="done", by=owner)
    services.add_action(project=project, assessment=first, title="Action oubliée", by=owner)
    second = services.start_assessment(
        project=project,
        version=version,
        title="2026",
        by=owner,
        started_on=first.started_on + timedelta(days=365),
    )
    client.force_login(owner)

    page = client.get(second.get_absolute_url()).content.decode()

    section = page[page.index('data-testid="done-since"') :]
    section = section[: section.index("</ul>")]
    assert "Action menée" in section and "Action oubliée" not in section


def test_personal_data_lists_memberships_and_answers(owner, project, version):
    from essaim.evaluation.personal_data import collect

    assessment = services.start_assessment(project=project, version=version, title="1", by=owner)
    services.save_answer(
        assessment=assessment,
        respondent=owner,
        criterion=version.criteria().first(),
        level=3,
        comment="Mon avis",
    )

    data = collect(owner)

    assert data["projets"] == [{"projet": "Projet Quetzal", "rôle": "lead"}]
    assert [(a["niveau"], a["commentaire"]) for a in data["réponses"]] == [(3, "Mon avis")]


def test_low_and_diverging_criteria_are_proposed_for_the_plan(client, owner, member, assessment):
    low, diverging = list(assessment.version.criteria())[:2]
    services.save_answer(assessment=assessment, respondent=owner, criterion=low, level=0)
    for user, level in ((owner, 1), (member, 4)):
        services.save_answer(
            assessment=assessment, respondent=user, criterion=diverging, level=level
        )
    client.force_login(member)

    page = client.get(assessment.get_absolute_url()).content.decode()
    chosen = client.get(assessment.get_absolute_url(), {"critere": low.pk}).content.decode()

    proposals = page[page.index('data-testid="proposals"') :]
    proposals = proposals[: proposals.index("</ul>")]
    assert "Critère c11</a> (niveau 0)" in proposals and "Critère c12</a> (écart 1–4)" in proposals
    assert f'<option value="{low.pk}" selected>' in chosen


def test_answers_are_closed_once_consolidated(client, owner, assessment):
    services.consolidate(assessment=assessment, values={}, by=owner)
    criterion = assessment.version.criteria().first()
    client.force_login(owner)

    client.post(reverse("evaluation:answer", args=[assessment.pk]), {f"c{criterion.pk}-level": "4"})
    autosave = client.post(
        reverse("evaluation:autosave", args=[assessment.pk, criterion.pk]),
        {f"c{criterion.pk}-level": "4"},
    )

    assert autosave.status_code == 409 and not Answer.objects.exists()


def test_lead_sees_comments_and_evidence_to_consolidate(client, owner, member, assessment):
    criterion = assessment.version.criteria().first()
    services.save_answer(
        assessment=assessment,
        respondent=member,
        criterion=criterion,
        level=2,
        comment="Deux réunions cette année",
        evidence_url="https://example.org/compte-rendu",
    )
    services.save_answer(
        assessment=assessment,
        respondent=owner,
        criterion=criterion,
        level=3,
        evidence_url="javascript:alert(1)",
    )
    client.force_login(owner)

    page = client.get(reverse("evaluation:consolidate", args=[assessment.pk])).content.decode()

    assert "« Deux réunions cette année »" in page
    assert 'href="https://example.org/compte-rendu"' in page and "javascript:" not in page


def test_personal_data_page_shows_evaluation_answers(client, owner, project, version):
    assessment = services.start_assessment(project=project, version=version, title="1", by=owner)
    services.save_answer(
        assessment=assessment,
        respondent=owner,
        criterion=version.criteria().first(),
        level=3,
        comment="Mon avis perso",
    )
    client.force_login(owner)

    page = client.get("/mon-compte/mes-donnees/").content.decode()

    assert "Mon avis perso" in page and "Projet Quetzal" in page
