import pytest

from essaim.evaluation import results, services
from essaim.evaluation.models import Assessment
from tests.evaluation.conftest import make_project
from tests.evaluation.helpers import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(version, owner, member, moderator):
    project = make_project("P", owner, member, moderator)
    return services.start_assessment(project=project, version=version, title="1", by=owner)


def test_proposal_is_the_rounded_median_and_na_when_nobody_gave_a_level(
    assessment, owner, member, moderator
):
    answer_all(assessment, owner, {"c11": 1, "c12": None, "c21": 4})
    answer_all(assessment, member, {"c11": 2, "c12": None, "c21": 0})
    answer_all(assessment, moderator, {"c11": 4, "c21": 1})
    ids = {c.code: c.pk for c in assessment.version.criteria()}

    proposed = services.proposed_consolidation(assessment)

    assert proposed[ids["c11"]]["level"] == 2
    assert proposed[ids["c12"]]["not_applicable"] is True
    assert proposed[ids["c21"]]["level"] == 1
    assert ids["c22"] not in proposed


def test_provisional_results_follow_the_medians_until_consolidated(assessment, owner, member):
    answer_all(assessment, owner, {"c11": 1, "c12": 3})
    answer_all(assessment, member, {"c11": 2, "c12": 3})

    provisional = results.results(assessment)
    values = {c.pk: {"level": 0, "comment": "décidé"} for c in assessment.version.criteria()}
    services.consolidate(assessment=assessment, values=values, by=owner)
    assessment.refresh_from_db()
    final = results.results(assessment)

    assert provisional.provisional and provisional.scores()[0] == ("Axe un", 62.5)
    assert assessment.status == Assessment.Status.CONSOLIDATED
    assert not final.provisional and final.scores() == [("Axe un", 0.0), ("Axe deux", 0.0)]
    assert {row.comment for row in final.rows} == {"décidé"}
