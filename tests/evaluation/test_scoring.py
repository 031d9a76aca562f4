from decimal import Decimal

import pytest

from essaim.evaluation import results, scoring, services
from tests.evaluation.conftest import make_project
from tests.evaluation.helpers import answer_all, consolidate_with

L = scoring.Level


def test_axis_score_is_mean_of_answered_levels_times_25():
    assert scoring.axis_score([L(1, 4), L(2, 2), L(3, 3), L(4, 1)]) == 62.5


def test_not_applicable_is_left_out_not_counted_as_zero():
    assert scoring.axis_score([L(1, 4), L(2, None), L(3, 2)]) == 75.0


def test_weights_are_applied():
    assert scoring.axis_score([L(1, 4, Decimal(3)), L(2, 0, Decimal(1))]) == 75.0


def test_axis_without_any_level_has_no_score():
    assert scoring.axis_score([L(1, None), L(2, None)]) is None


def test_completeness_counts_levels_only():
    assert scoring.completeness([L(1, 3), L(2, None), L(3, 0), L(4, None)]) == 50


@pytest.mark.parametrize(
    ("values", "median"), [([1, 2], 2), ([0, 1, 3], 1), ([2, 3, 3, 4], 3), ([0, 4], 2), ([], None)]
)
def test_rounded_median_rounds_half_up(values, median):
    assert scoring.rounded_median(values) == median


def test_gap_is_two_levels_or_more():
    assert scoring.has_gap([1, 3]) and not scoring.has_gap([2, 3]) and not scoring.has_gap([4])


def test_quartiles_of_five_values():
    assert scoring.quartiles([0, 25, 50, 75, 100]) == (25.0, 50.0, 75.0)


@pytest.mark.django_db
def test_consolidated_results_use_weights_and_skip_na(version, owner, member):
    project = make_project("P", owner, member)
    assessment = services.start_assessment(project=project, version=version, title="1", by=owner)
    answer_all(assessment, owner, {"c11": 4, "c12": 0, "c21": 4, "c22": 0})
    answer_all(assessment, member, {"c11": 2, "c12": None, "c21": 0, "c22": 2})
    # c22 weighs 3 in the small grid.
    consolidate_with(assessment, {"c11": 3, "c12": None, "c21": 4, "c22": 0}, by=owner)

    found = results.results(assessment)

    assert found.scores() == [("Axe un", 75.0), ("Axe deux", 25.0)]
    assert found.completeness == 75
    assert [row.criterion.code for row in found.gaps] == ["c11", "c21", "c22"]
