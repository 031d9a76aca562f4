from datetime import timedelta

import pytest
from django.utils import timezone

from essaim.consultations.models import Phase
from tests.consultations.factories import make_consultation, phase_dates

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phase", list(Phase))
def test_the_current_phase_comes_from_the_dates(phase):
    consultation = make_consultation(phase)
    assert consultation.phase == phase


def test_phase_at_a_given_moment():
    now = timezone.now()
    consultation = make_consultation(Phase.PROPOSALS)
    assert consultation.phase_at(now) == Phase.PROPOSALS
    assert consultation.phase_at(consultation.supports_start_at) == Phase.SUPPORTS
    assert consultation.phase_at(consultation.supports_start_at - timedelta(seconds=1)) == (
        Phase.DISCUSSION
    )
    assert consultation.phase_at(consultation.closes_at + timedelta(days=400)) == Phase.CLOSED
    assert consultation.phase_at(consultation.information_starts_at - timedelta(days=1)) == (
        Phase.COMING
    )


def test_states_group_the_phases():
    assert make_consultation(Phase.COMING, slug="a").state == "coming"
    assert make_consultation(Phase.SUPPORTS, slug="b").state == "open"
    assert make_consultation(Phase.ANSWERS, slug="c").state == "closed"


def test_the_timeline_marks_the_current_phase():
    consultation = make_consultation(Phase.DISCUSSION)
    states = {row["phase"]: row["state"] for row in consultation.timeline()}
    assert states[Phase.PROPOSALS] == "past"
    assert states[Phase.DISCUSSION] == "current"
    assert states[Phase.SUPPORTS] == "future"


def test_phases_out_of_order_are_refused():
    from django.core.exceptions import ValidationError

    dates = phase_dates(Phase.PROPOSALS)
    consultation = make_consultation(Phase.PROPOSALS)
    consultation.supports_start_at = dates["proposals_start_at"] - timedelta(days=3)
    with pytest.raises(ValidationError):
        consultation.clean()
