import pytest

from essaim.evaluation import services
from essaim.evaluation.models import Criterion, GridVersionUsed
from tests.evaluation.conftest import make_project

pytestmark = pytest.mark.django_db


def test_unused_version_can_still_be_edited(version):
    criterion = version.criteria().first()
    criterion.name = "Nouveau libellé"

    criterion.save()

    assert Criterion.objects.get(pk=criterion.pk).name == "Nouveau libellé"


def test_used_version_refuses_any_change_to_its_criteria(version, owner):
    project = make_project("P", owner)
    services.start_assessment(project=project, version=version, title="2025", by=owner)
    criterion = version.criteria().first()
    criterion.name = "Changé"

    with pytest.raises(GridVersionUsed):
        criterion.save()
    with pytest.raises(GridVersionUsed):
        criterion.axis.save()

    assert Criterion.objects.get(pk=criterion.pk).name == "Critère c11"


def test_new_version_copies_a_used_one_and_leaves_past_assessments_alone(version, owner):
    project = make_project("P", owner)
    assessment = services.start_assessment(project=project, version=version, title="1", by=owner)

    copy = services.new_version(version)
    changed = copy.criteria().first()
    changed.name = "Libellé révisé"
    changed.save()

    assert copy.number == version.number + 1
    assert [c.code for c in copy.criteria()] == [c.code for c in version.criteria()]
    assert assessment.version.criteria().first().name == "Critère c11"
