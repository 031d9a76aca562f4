"""The back office: grids, versions, criteria and campaigns are Wagtail snippets; a criterion
of a version in use cannot be changed there."""

import pytest

from essaim.evaluation import services
from essaim.evaluation.models import Criterion
from tests.evaluation.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["grid", "gridversion", "criterion", "campaign"])
def test_snippet_lists_show_the_default_grid(admin_client, model):
    response = admin_client.get(f"/admin/snippets/evaluation/{model}/")

    assert response.status_code == 200
    if model in ("grid", "gridversion"):
        assert "Grille Essaim" in response.content.decode()


def edit(admin_client, criterion, name):
    data = {"axis": criterion.axis_id, "position": criterion.position, "code": criterion.code,
            "name": name, "description": "", "weight": "1", "core": "on",
            "allows_not_applicable": "on",
            **{f"level_{n}": f"niveau {n}" for n in range(5)},
            "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000"}  # fmt: skip
    return admin_client.post(f"/admin/snippets/evaluation/criterion/edit/{criterion.pk}/", data)


def test_criterion_of_an_unused_version_is_edited(admin_client, version):
    criterion = version.criteria().first()

    response = edit(admin_client, criterion, "Libellé revu")

    assert response.status_code == 302
    assert Criterion.objects.get(pk=criterion.pk).name == "Libellé revu"


def test_criterion_of_a_used_version_is_refused_with_a_message(admin_client, version, owner):
    services.start_assessment(
        project=make_project("P", owner), version=version, title="1", by=owner
    )
    criterion = version.criteria().first()

    response = edit(admin_client, criterion, "Libellé revu")

    assert response.status_code == 200
    assert "déjà utilisée par des évaluations" in response.content.decode()
    assert Criterion.objects.get(pk=criterion.pk).name == "Critère c11"


def test_criterion_of_a_used_version_cannot_be_deleted(admin_client, version, owner):
    services.start_assessment(
        project=make_project("P", owner), version=version, title="1", by=owner
    )
    criterion = version.criteria().first()

    response = admin_client.post(f"/admin/snippets/evaluation/criterion/delete/{criterion.pk}/")

    assert response.status_code == 302 and Criterion.objects.filter(pk=criterion.pk).exists()


def test_used_version_refuses_any_edit_in_the_back_office(version, owner):
    from django.core.exceptions import ValidationError

    services.start_assessment(
        project=make_project("P", owner), version=version, title="1", by=owner
    )
    version.notes = "changé"

    with pytest.raises(ValidationError, match="déjà utilisée"):
        version.full_clean()
