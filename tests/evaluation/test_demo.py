import io
import time

import pytest

from essaim.evaluation import aggregates, demo
from essaim.evaluation.models import Assessment, Campaign, Project

pytestmark = pytest.mark.django_db


def test_demo_makes_twelve_projects_a_campaign_with_aggregates_and_is_idempotent():
    started = time.monotonic()
    demo.load_demo(io.StringIO())
    elapsed = time.monotonic() - started
    demo.load_demo(io.StringIO())

    projects = Project.objects.filter(slug__startswith="demo-evaluation-")
    counts = sorted({p.assessments.count() for p in projects})
    campaign = Campaign.objects.get(slug=demo.CAMPAIGN_SLUG)
    assert projects.count() == 12 and counts == [2, 3]
    assert Assessment.objects.filter(campaign=campaign).count() == 8
    assert aggregates.campaign_aggregates(campaign)["projects"] == 8
    assert elapsed < 5
